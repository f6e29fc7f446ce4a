import { InvalidArgumentError, type Command } from 'commander';
import { concurrencyOption, startWithProgress } from './start-progress';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { isOverdue, isSlug, shortId, slugMessage, type TaskSummary } from '../domain';
import {
  PlanUnreadable,
  breakdownToYaml,
  decodePlan,
  importPlan,
  regionName,
  toTaskSpecs,
  type Breakdown,
  type CheckResult,
} from '../importer';
import { breakdownXlsx } from '../office/breakdown-xlsx';
import { checkBreakdownXlsx, isXlsx } from '../services/breakdown-xlsx';
import type { Directory } from '../directory/directory';
import type { CliContext } from './session';
import { checkBreakdownInput } from '../services/plan-ops';
import { indicatorDefs } from '../services/indicators';
import {
  FIELD_ZH,
  applyChanges,
  runningDifferences,
  type AppliedChange,
  type SpecChange,
} from '../services/plan-changes';
import { BadInput } from '../services/errors';
import { reviewList, startPlanDuties, type ReviewEntry } from '../services/plan-ops';
import { table } from './format';
import { TaskFileError, readFileOrFail } from '../services/task-file';

const MAX_ISSUES = 20;

/** The review list under a passed check: one line per item, with its document line. */
function reviewText(items: ReviewEntry[]): string {
  const at = (line: number | null) => (line === null ? '无行号 / no line' : `第 ${line} 行 / line ${line}`);
  return [
    `待核对 ${items.length} 项 / ${items.length} items to review:`,
    ...items.map((r) => `  ${at(r.line)}：${r.text} — ${r.why}`),
  ].join('\n');
}

/** A reviewed breakdown file, checked (with the directory: its names too); every problem named by path. */
export function loadBreakdown(file: string, directory?: Directory): Breakdown {
  // Unreadable YAML comes back as an issue at the top (path '').
  return passed(file, checkBreakdownInput({ yaml: readFileOrFail(file).toString('utf8') }, directory));
}

/** The same for a 任务分解表 in Excel too (.xlsx): its problems named by sheet and cell. */
export async function loadBreakdownFile(file: string, directory?: Directory): Promise<Breakdown> {
  if (!isXlsx(file)) return loadBreakdown(file, directory);
  return passed(file, await checkBreakdownXlsx(readFileOrFail(file), directory));
}

function passed(file: string, { breakdown, issues }: CheckResult): Breakdown {
  if (issues.length > 0 || !breakdown) {
    const shown = issues.slice(0, MAX_ISSUES);
    if (issues.length > MAX_ISSUES)
      shown.push({
        path: '',
        message: `另有 ${issues.length - MAX_ISSUES} 处错误 / and ${issues.length - MAX_ISSUES} more`,
      });
    throw new TaskFileError(file, shown);
  }
  return breakdown;
}

/** `--regions 泥沟镇,邳庄镇` or a directory file (YAML): its `regions`, else its departments that are 镇街. */
function regionsOption(value: string): { regions: string[]; from: string } {
  if (/\.(ya?ml|json)$/i.test(value)) {
    let doc: Record<string, unknown> | null;
    try {
      doc = YAML.parse(readFileOrFail(value).toString('utf8')) as Record<string, unknown> | null;
    } catch (err) {
      throw new TaskFileError(value, [
        { path: '', message: `YAML 格式错误 / invalid YAML: ${(err as Error).message.split('\n')[0]}` },
      ]);
    }
    const list = Array.isArray(doc?.regions)
      ? doc.regions.map(String)
      : Object.keys((doc?.departments as Record<string, unknown> | undefined) ?? {}).filter((n) =>
          regionName(n),
        );
    if (list.length === 0)
      throw new BadInput('--regions', `--regions：${value} 中没有镇街 / no regions in ${value}`);
    return { regions: list, from: value };
  }
  const regions = value.split(/[,，、\s]+/).filter((r) => r !== '');
  if (regions.length === 0)
    throw new BadInput('--regions', '--regions 不能为空 / --regions must not be empty');
  return { regions, from: '--regions' };
}

const workflowCount = (b: Breakdown) => b.tasks.reduce((n, t) => n + Math.max(1, t.regions.length), 0);

/** Per department (lead or cooperating, 镇街 included): how far its tasks have come. */
export interface DepartmentProgress {
  department: string;
  tasks: number;
  lead: number;
  acknowledged: number;
  submitted: number;
  completed: number;
  overdue: number;
}

/** Cancelled tasks are left out; overdue is the domain's one rule (a waiting submission is not). */
export function progressByDepartment(tasks: TaskSummary[], today: string): DepartmentProgress[] {
  const rows = new Map<string, DepartmentProgress>();
  for (const t of tasks) {
    if (t.status === 'cancelled') continue;
    for (const d of [...t.lead, ...t.cooperating]) {
      const r = rows.get(d) ?? {
        department: d,
        tasks: 0,
        lead: 0,
        acknowledged: 0,
        submitted: 0,
        completed: 0,
        overdue: 0,
      };
      rows.set(d, r);
      r.tasks++;
      if (t.lead.includes(d)) r.lead++;
      if (t.acknowledged.includes(d)) r.acknowledged++;
      if (t.status === 'submitted') r.submitted++;
      if (t.status === 'completed') r.completed++;
      if (isOverdue(t, today)) r.overdue++;
    }
  }
  return [...rows.values()].sort((a, b) => b.tasks - a.tasks || b.lead - a.lead);
}

/** The duties a start started, and those left for a person to give a period. */
function dutyStartText(d: { started: number; alreadyRunning: number; review: string[] }): string {
  const lines = [
    `周期性工作：新启动 ${d.started} 项，已在运行 ${d.alreadyRunning} 项 / recurring duties: ${d.started} started, ${d.alreadyRunning} already running`,
  ];
  if (d.review.length > 0)
    lines.push(
      `${d.review.length} 项只写“定期”，未启动，请在分解表写明周期（recurrence.every，assumed: false）后再交办：${d.review.join('、')} / ` +
        `${d.review.length} say only “regularly” (定期) and were not started: give each a period in the breakdown, then start again`,
    );
  return lines.join('\n');
}

/** What differs from the running tasks, and what became of each difference when applied. */
function changesText(changes: SpecChange[], applied?: AppliedChange[]): string {
  const tasks = new Set(changes.map((c) => c.workflowId)).size;
  const lines = [
    `\n分解表与 ${tasks} 项运行中的任务不同（共 ${changes.length} 处） / ${changes.length} difference(s) from ${tasks} running task(s):`,
  ];
  for (const [i, c] of changes.entries()) {
    const outcome = applied ? `  → ${applied[i].note}` : '';
    lines.push(
      `  ${shortId(c.workflowId)}  ${FIELD_ZH[c.field]} ${c.field}：运行中 ${c.running || '—'} → 分解表 ${c.breakdown || '—'}${outcome}`,
    );
  }
  if (!applied)
    lines.push(
      '运行中的任务保持原样。用 --apply-changes 修改截止日期（督查室决定，理由“方案修订”）；' +
        '牵头、配合单位、标题等需改派，尚未支持 / the running tasks keep their spec. --apply-changes moves due dates ' +
        '(a supervisor’s decision, reason 方案修订); lead, cooperating and title need a reassignment, not supported yet',
    );
  return lines.join('\n');
}

/** `duban plan …`: import a plan document, check the reviewed breakdown, start it, follow it. */
export function registerPlanCommands(
  program: Command,
  { say, warn, today, getSession, withTemporal, progressToTty, directory }: CliContext,
): void {
  const plan = program
    .command('plan')
    .description('工作方案：导入、检查、交办、进度 / plans: import, check, start, status');

  plan
    .command('import')
    .description('把方案原文（UTF-8 文本）分解为任务分解表（YAML） / break a plan document down into tasks')
    .argument('<file>', '方案原文 / the plan document (text)')
    .option('--out <file>', '写入文件（默认输出到屏幕） / write the breakdown here (default: stdout)')
    .option('--json', '输出 JSON / print JSON instead of YAML')
    .option(
      '--regions <list|file>',
      '镇街名单：逗号分隔，或通讯录 YAML / the regions: a list, or a directory file',
    )
    .option('--id <id>', '方案编号（默认取文件名） / plan id (default: from the file name)', (v: string) => {
      if (!isSlug(v)) throw new InvalidArgumentError(slugMessage('方案编号', 'a plan id'));
      return v;
    })
    .option('--force', '覆盖已有的 --out 文件 / overwrite the --out file')
    .action(
      (
        file: string,
        opts: { out?: string; json?: boolean; regions?: string; id?: string; force?: boolean },
      ) => {
        if (opts.out && !opts.force && fs.existsSync(opts.out))
          throw new BadInput(
            '--out',
            `${opts.out} 已存在（可能已审核修改过），用 --force 覆盖 / ${opts.out} exists (it may hold review edits): use --force to overwrite`,
          );
        const regions = opts.regions ? regionsOption(opts.regions) : undefined;
        let breakdown: Breakdown;
        try {
          const { text, note } = decodePlan(readFileOrFail(file));
          breakdown = importPlan(text, {
            id: opts.id,
            fileName: path.basename(file),
            regions: regions?.regions,
            regionsFrom: regions?.from,
            today,
          });
          if (note) breakdown.warnings.unshift({ line: null, message: note });
        } catch (err) {
          if (err instanceof PlanUnreadable)
            throw new TaskFileError(file, [{ path: '', message: err.message }]);
          throw err;
        }
        const output = opts.json ? `${JSON.stringify(breakdown, null, 2)}\n` : breakdownToYaml(breakdown);
        if (opts.out) fs.writeFileSync(opts.out, output);
        else say(output.replace(/\n$/, ''));

        const report = opts.out ? say : warn;
        const fanned = breakdown.tasks.filter((t) => t.regions.length > 0).length;
        report(
          `${opts.out ? `已写入 ${opts.out}：` : ''}${breakdown.tasks.length} 项任务（${fanned} 项分解到镇街，交办时共 ${workflowCount(breakdown)} 个流程），` +
            `${breakdown.departments.length} 个单位，${breakdown.indicators.length} 项指标，${breakdown.warnings.length} 条提示 / ` +
            `${breakdown.tasks.length} tasks (${workflowCount(breakdown)} workflows), ${breakdown.departments.length} departments, ` +
            `${breakdown.indicators.length} indicators, ${breakdown.warnings.length} notes`,
        );
        for (const w of breakdown.warnings)
          warn(`提示 / note${w.line ? `（第 ${w.line} 行 / line ${w.line}）` : ''}：${w.message}`);
        if (opts.out)
          report(
            `请审核后检查并交办 / review it, then: duban plan check ${opts.out} && duban plan start ${opts.out}`,
          );
      },
    );

  plan
    .command('check')
    .description('检查审核修改后的任务分解表 / validate an edited breakdown')
    .argument('<file>', '任务分解表（YAML、JSON 或 Excel .xlsx） / the breakdown file')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (file: string, opts: { json?: boolean }) => {
      const b = await loadBreakdownFile(file, directory());
      const summary = {
        ok: true,
        plan: b.plan.id,
        tasks: b.tasks.length,
        workflows: workflowCount(b),
        notes: b.warnings.length,
        review: reviewList(b),
      };
      if (opts.json) {
        say(JSON.stringify(summary, null, 2));
        return;
      }
      say(
        `检查通过：${file}，方案 ${b.plan.id}，${summary.tasks} 项任务，交办时共 ${summary.workflows} 个流程 / ` +
          `check passed: ${summary.tasks} tasks, ${summary.workflows} workflows when started`,
      );
      if (summary.notes > 0)
        say(
          `文件中还有 ${summary.notes} 条导入提示（warnings），核对处理后可删除 / ${summary.notes} importer notes remain in the file`,
        );
      if (summary.review.length > 0) say(reviewText(summary.review));
    });

  plan
    .command('start')
    .description(
      '按任务分解表交办全部任务（重复交办不会重复启动） / start every task of a breakdown (idempotent)',
    )
    .argument('<file>', '任务分解表（YAML、JSON 或 Excel .xlsx） / the breakdown file')
    .option('--json', '输出 JSON / machine-readable output')
    .option(
      '--apply-changes',
      '把分解表的修改用于已在运行的任务（目前只能改截止日期） / apply the breakdown’s changes to running tasks (the due date, for now)',
    )
    .addOption(concurrencyOption())
    .action(async (file: string, opts: { json?: boolean; applyChanges?: boolean; concurrency?: number }) => {
      const b = await loadBreakdownFile(file, directory());
      const specs = toTaskSpecs(b);
      const s = await withTemporal();
      const results = await startWithProgress(s.facade, specs, {
        json: opts.json,
        concurrency: opts.concurrency,
        tty: progressToTty,
        warn,
      });
      const started = results.filter((r) => r.started).length;
      const running = results.length - started;
      const duties = await startPlanDuties(s.facade, b, today);
      // A corrected breakdown does not silently keep the running spec: say what differs, apply on request.
      const changes = await runningDifferences(s.facade, specs, results);
      const applied = opts.applyChanges ? await applyChanges(s.facade, changes) : undefined;
      // The worker creates the store too; starting a plan before it ever ran must not fail on that.
      const tracked =
        s.indicators && indicatorDefs(b).length > 0
          ? await (await s.indicators({ create: true })).start(b)
          : undefined;
      if (opts.json) {
        say(
          JSON.stringify(
            {
              plan: b.plan.id,
              started,
              alreadyRunning: running,
              results,
              duties,
              changes,
              ...(applied ? { applied } : {}),
              ...(tracked ? { indicators: tracked.indicators } : {}),
            },
            null,
            2,
          ),
        );
        return;
      }
      say(
        `方案 ${b.plan.id}：${b.tasks.length} 项任务，共 ${results.length} 个流程 / plan ${b.plan.id}: ${b.tasks.length} tasks, ${results.length} workflows`,
      );
      say(
        started === 0
          ? `没有新交办的任务：${running} 项都已在运行 / ${started} started, ${running} already running`
          : `新交办 ${started} 项，已在运行 ${running} 项 / ${started} started, ${running} already running`,
      );
      say(dutyStartText(duties));
      if (changes.length > 0) say(changesText(changes, applied));
      if (tracked && tracked.indicators > 0)
        say(`跟踪指标 ${tracked.indicators} 项 / ${tracked.indicators} indicators tracked`);
    });

  plan
    .command('export')
    .description(
      '任务分解表另存为 Excel（.xlsx）或 YAML/JSON，供经办人修改后再检查、交办 / ' +
        'save a breakdown as Excel (.xlsx) or YAML/JSON, to edit and check again',
    )
    .argument('<file>', '任务分解表（YAML、JSON 或 .xlsx） / the breakdown file')
    .requiredOption('--out <file>', '写入文件：.xlsx、.yaml 或 .json / the file to write')
    .option('--force', '覆盖已有的 --out 文件 / overwrite the --out file')
    .action(async (file: string, opts: { out: string; force?: boolean }) => {
      if (!/\.(xlsx|ya?ml|json)$/i.test(opts.out))
        throw new BadInput(
          '--out',
          '--out 应为 .xlsx、.yaml 或 .json 文件 / --out must be a .xlsx, .yaml or .json file',
        );
      if (!opts.force && fs.existsSync(opts.out))
        throw new BadInput(
          '--out',
          `${opts.out} 已存在，用 --force 覆盖 / ${opts.out} exists: use --force to overwrite`,
        );
      const b = await loadBreakdownFile(file, directory());
      const out = /\.xlsx$/i.test(opts.out)
        ? await breakdownXlsx(b)
        : /\.json$/i.test(opts.out)
          ? `${JSON.stringify(b, null, 2)}\n`
          : breakdownToYaml(b);
      fs.writeFileSync(opts.out, out);
      say(
        `已写入 ${opts.out}：方案 ${b.plan.id}，${b.tasks.length} 项任务 / wrote ${opts.out}: plan ${b.plan.id}, ${b.tasks.length} tasks`,
      );
    });

  plan
    .command('status')
    .description('按单位汇总方案进度（来自数据库） / progress of a plan by department (from the database)')
    .argument('<plan>', '方案编号，或任务分解表文件 / plan id, or the breakdown file')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (planArg: string, opts: { json?: boolean }) => {
      const planId = /\.(ya?ml|json|xlsx)$/i.test(planArg)
        ? (await loadBreakdownFile(planArg)).plan.id
        : planArg;
      const s = await getSession();
      const tasks = await s.facade.list({ plan: planId });
      const rows = progressByDepartment(tasks, today);
      if (opts.json) {
        say(JSON.stringify({ plan: planId, today, workflows: tasks.length, departments: rows }, null, 2));
        return;
      }
      if (tasks.length === 0) {
        say(`方案 ${planId} 还没有交办的任务 / no task of plan ${planId} has been started`);
        return;
      }
      const n = (x: number) => String(x);
      say(
        table(
          ['单位', '任务', '牵头', '已签收', '已提交', '已办结', '逾期'],
          rows.map((r) => [
            r.department,
            n(r.tasks),
            n(r.lead),
            n(r.acknowledged),
            n(r.submitted),
            n(r.completed),
            n(r.overdue),
          ]),
        ).replace(/\n$/, ''),
      );
      const count = (st: TaskSummary['status']) => tasks.filter((t) => t.status === st).length;
      const overdue = tasks.filter((t) => isOverdue(t, today)).length;
      say(
        `\n方案 ${planId}，截至 ${today}：共 ${tasks.length} 个流程，待签收 ${count('assigned')}，办理中 ${count('acknowledged')}，` +
          `待审核 ${count('submitted')}，已办结 ${count('completed')}，已撤销 ${count('cancelled')}；逾期 ${overdue} / ` +
          `${tasks.length} workflows: ${count('assigned')} assigned, ${count('acknowledged')} acknowledged, ` +
          `${count('submitted')} submitted, ${count('completed')} completed, ${count('cancelled')} cancelled; ${overdue} overdue`,
      );
    });
}
