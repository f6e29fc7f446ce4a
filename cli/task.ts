import { type Command, InvalidArgumentError, Option } from 'commander';
import { approverOf, findDepartment } from '../directory/directory';
import type { z } from 'zod';
import {
  COMMANDS,
  STATUS_ZH,
  addDays,
  daysBetween,
  milestoneList,
  shortId,
  taskWorkflowId,
  type PlannedRung,
  type TaskSpec,
  type TaskState,
} from '../domain';
import type { CliContext } from './session';
import { concurrencyOption, startWithProgress } from './start-progress';
import { StoreMissing } from '../services/errors';
import { TaskNotFound, TemporalUnavailable, BadInput } from '../services/errors';
import { TaskFilterQuery, type CommandArgs, type CommandName } from '../services/facade';
import fs from 'node:fs';
import { taskListTitle, taskListXlsx } from '../office/task-xlsx';
import { listTable, parseStatus, showText, type ShowModel } from './format';
import { parseTaskFile, TaskFileError } from '../services/task-file';
import { calendarSources, explained, stateFromLedger } from '../services/task-detail';
import type { LedgerEntry } from '../store';
import { ATTACH_HELP, collectFiles, uploadFiles } from './attach';
import { registerTaskChangeCommands } from './task-change';

const COMMAND_DONE: Record<CommandName, string> = {
  acknowledge: '已签收 / acknowledged',
  reportProgress: '已反馈进展 / progress reported',
  submitCompletion: '已提交办结，等待督查室审核 / completion submitted',
  verifyCompletion: '已审核通过，任务办结 / completion verified',
  rejectCompletion: '已退回 / completion sent back',
  cancel: '已撤销 / cancelled',
  requestExtension: '已提交延期申请，等待督查室决定 / extension requested',
  decideExtension: '已决定延期申请 / extension decided',
  scheduleInterview: '已安排约谈 / interview scheduled',
  recordInterview: '已记录约谈，整改期限已确定 / interview recorded',
  reportMilestone: '已报告里程碑完成，等待督查室审核 / milestone reported',
  verifyMilestone: '里程碑已审核通过 / milestone verified',
  rejectMilestone: '里程碑已退回 / milestone sent back',
  pause: '任务已挂起，督办提醒暂停 / task paused',
  resume: '任务已恢复，截止日期已顺延 / task resumed',
  reassign: '已改派，新的责任单位须重新签收 / reassigned; the new departments acknowledge',
  editTask: '任务已修改 / task edited',
  addMilestone: '已增加里程碑 / milestone added',
  splitTask: '已拆分，子任务已交办 / split; the sub-tasks are assigned',
  approveCompletion: '分管领导已审核同意，办结已报送督查室 / approved; submitted to the supervisors',
  returnCompletion: '分管领导已退回办结 / completion returned in the department',
  instruct: '已作出批示，已通知责任单位和督查室 / instruction given',
};

/** A drill's task due on `due`, its milestones moved by as many days as its due date. */
function dueIn(t: TaskSpec, due: string): TaskSpec {
  const shift = daysBetween(t.due, due);
  return {
    ...t,
    due,
    ...(t.milestones ? { milestones: t.milestones.map((m) => ({ ...m, due: addDays(m.due, shift) })) } : {}),
  };
}

/** `--milestone 2`: the milestone's number on the task, counted from 1. */
function milestoneNumber(v: string): string {
  if (!/^\d{1,2}$/.test(v) || Number(v) < 1)
    throw new InvalidArgumentError(
      '--milestone 应为里程碑序号（从 1 起） / --milestone must be the number of a milestone (from 1)',
    );
  return v;
}

/**
 * An option checked by the contract's rule for the field it fills, so the CLI takes and refuses the same
 * values as the API and the task itself.
 */
export function byContract<K extends CommandName>(type: K, field: string, option: string) {
  const schema = (COMMANDS[type].schema.shape as Record<string, z.ZodType>)[field];
  return (v: string) => {
    const r = schema.safeParse(v);
    if (!r.success) throw new InvalidArgumentError(`${option}: ${r.error.issues[0].message}`);
    return v;
  };
}

export function nonEmpty(field: string) {
  return (v: string) => {
    if (v.trim() === '') throw new InvalidArgumentError(`${field} 不能为空 / ${field} must not be empty`);
    return v;
  };
}

/** `duban task …`: start, list, show and act on tasks. */
export function registerTaskCommands(
  program: Command,
  { say, warn, today, getSession, withTemporal, progressToTty, cwd }: CliContext,
): void {
  const task = program
    .command('task')
    .description('任务：交办、查询、签收、反馈、办结、审核 / tasks: start, list, show and act on them');

  task
    .command('start')
    .description(
      '按任务文件交办任务（重复交办不会重复启动） / start the tasks of a YAML or JSON file (idempotent)',
    )
    .requiredOption('-f, --file <file>', '任务文件（YAML 或 JSON） / task file')
    .option('--json', '输出 JSON / machine-readable output')
    .option(
      '--due-in <days>',
      '演示与演练：所有任务的期限改为今天起 N 天 / demos and drills: every task is due N days from today',
      (v) => {
        if (!/^\d{1,4}$/.test(v))
          throw new InvalidArgumentError('--due-in 应为天数 / --due-in must be a number of days');
        return Number(v);
      },
    )
    .addOption(concurrencyOption())
    .action(async (opts: { file: string; json?: boolean; dueIn?: number; concurrency?: number }) => {
      const parsed = parseTaskFile(opts.file);
      const specs =
        opts.dueIn === undefined ? parsed : parsed.map((t) => dueIn(t, addDays(today, opts.dueIn!)));
      // A department the directory does not know would never hear of its task: refuse the file, naming it.
      const directory = (await getSession()).directory?.();
      const unknown = directory
        ? specs.flatMap((t) =>
            [
              ...t.lead.map((d, i) => [`lead[${i}]`, d]),
              ...t.cooperating.map((d, i) => [`cooperating[${i}]`, d]),
              ...(t.region ? [['region', t.region]] : []),
            ]
              .filter(([, d]) => findDepartment(directory, d) === undefined)
              .map(([field, d]) => ({
                path: `${shortId(taskWorkflowId(t))}: ${field}`,
                message: `未知单位 ${d}，通讯录中没有 / unknown department ${d}: not in the directory`,
              })),
          )
        : [];
      if (unknown.length > 0) throw new TaskFileError(opts.file, unknown);
      const s = await withTemporal();
      const results = await startWithProgress(s.facade, specs, {
        json: opts.json,
        concurrency: opts.concurrency,
        tty: progressToTty,
        warn,
      });
      if (opts.json) {
        say(JSON.stringify(results, null, 2));
        return;
      }
      for (const r of results) say(`${r.started ? '已交办  ' : '已存在  '} ${shortId(r.workflowId)}`);
      const started = results.filter((r) => r.started).length;
      say(
        `\n共 ${results.length} 项：新交办 ${started} 项，已存在 ${results.length - started} 项（未重复启动） / ` +
          `${results.length} task(s): ${started} started, ${results.length - started} already started`,
      );
    });

  task
    .command('list')
    .description('列出任务（来自数据库） / list tasks (from the database)')
    .option('--json', '输出 JSON / machine-readable output')
    .option('--plan <plan>', '按方案筛选 / filter by plan')
    .addOption(
      new Option(
        '--status <status>',
        `按状态筛选：${Object.entries(STATUS_ZH)
          .map(([k, v]) => `${k}(${v})`)
          .join(' ')}`,
      ).argParser((v) => {
        const s = parseStatus(v);
        if (!s)
          throw new InvalidArgumentError(
            `状态应为 / status must be one of ${Object.keys(STATUS_ZH).join(', ')}`,
          );
        return s;
      }),
    )
    .option('--dept <department>', '按单位（牵头或配合）筛选 / filter by department (lead or cooperating)')
    .option('--xlsx <file>', '另存为 Excel 台账（.xlsx） / also write the list as an Excel ledger (.xlsx)')
    .action(
      async (opts: { json?: boolean; plan?: string; status?: string; dept?: string; xlsx?: string }) => {
        const filter = TaskFilterQuery.safeParse({
          plan: opts.plan,
          status: opts.status,
          department: opts.dept,
        });
        if (!filter.success) {
          const iss = filter.error.issues[0];
          const field = iss.path[0] === 'department' ? '--dept' : `--${String(iss.path[0])}`;
          throw new BadInput(field, `${field}: ${iss.message}`);
        }
        const s = await getSession();
        const tasks = await s.facade.list(filter.data);
        if (opts.xlsx) {
          fs.writeFileSync(opts.xlsx, await taskListXlsx(tasks, today, taskListTitle(filter.data, today)));
          say(`已写入 ${opts.xlsx}：${tasks.length} 项任务 / wrote ${opts.xlsx}: ${tasks.length} task(s)`);
          return;
        }
        say(opts.json ? JSON.stringify(tasks, null, 2) : listTable(tasks, today));
      },
    );

  /** The calendar years loaded, to name the calendar a rung was counted on; none without a database. */
  const loadedYears = async () => {
    const s = await getSession();
    if (!s.store) return undefined;
    try {
      const store = await s.store({ create: false });
      return () => store.calendarYears();
    } catch (e) {
      if (e instanceof StoreMissing) return undefined;
      throw e;
    }
  };

  task
    .command('show')
    .description('查看任务状态和全部记录 / show a task: its state and ledger timeline')
    .argument('<id>', '任务编号，如 taierzhuang-2016-water/2-1-1 / task id (plan/id)')
    .option('--json', '输出 JSON / machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const s = await getSession();
      const workflowId = s.facade.resolveId(id);
      let state: TaskState | undefined;
      let upcoming: PlannedRung[] | undefined;
      let liveNote: string | undefined;
      try {
        await s.ensureTemporal();
        state = await s.facade.state(workflowId);
        upcoming = await s.facade.upcoming(workflowId);
      } catch (e) {
        if (e instanceof TemporalUnavailable) liveNote = e.message;
        else if (!(e instanceof TaskNotFound)) throw e;
      }
      let summary: ShowModel['summary'];
      let ledger: ShowModel['ledger'] = [];
      try {
        summary = await s.facade.summary(workflowId);
        ledger = (await s.facade.ledger(workflowId)) as ShowModel['ledger'];
      } catch (e) {
        if (!(e instanceof StoreMissing) || !state) throw e;
      }
      if (!state && !summary) {
        if (liveNote) throw new TemporalUnavailable(liveNote, 'server');
        throw new TaskNotFound(workflowId);
      }
      if (liveNote)
        warn(
          `（实时状态不可用，显示数据库记录 / live state unavailable, showing the stored record: ${liveNote}）`,
        );
      const why = explained(
        ledger,
        upcoming ?? [],
        state ?? stateFromLedger(ledger as LedgerEntry[]),
        await calendarSources(await loadedYears()),
      );
      const milestones = milestoneList(state ?? stateFromLedger(ledger as LedgerEntry[]));
      ledger = why.ledger;
      upcoming = why.upcoming ?? [];
      if (opts.json) {
        say(
          JSON.stringify(
            {
              workflowId,
              status: state?.status ?? summary?.status ?? null,
              milestones,
              state: state ?? null,
              summary: summary ?? null,
              ledger,
              upcoming: upcoming ?? [],
            },
            null,
            2,
          ),
        );
        return;
      }
      say(showText({ workflowId, state, summary, ledger, upcoming }, today));
    });

  const commandAction =
    <T extends CommandName>(type: T, toArgs: (o: Record<string, string>) => CommandArgs[T]) =>
    async (id: string, opts: Record<string, string> & { json?: boolean; attach?: string[] }) => {
      const s = await getSession();
      const workflowId = s.facade.resolveId(id);
      await s.ensureTemporal();
      const args = toArgs(opts);
      // The files go up first; the command then names them by their hashes.
      const uploaded = opts.attach?.length
        ? await uploadFiles(s, workflowId, opts.attach, args.actor, cwd)
        : [];
      const state = await s.facade.command(
        workflowId,
        type,
        uploaded.length ? { ...args, attachments: uploaded.map((f) => f.sha256) } : args,
      );
      if (opts.json) {
        say(JSON.stringify(state, null, 2));
        return;
      }
      say(`${COMMAND_DONE[type]}：${shortId(workflowId)}`);
      for (const f of uploaded)
        say(`佐证材料 / attachment：${f.name}（${f.size} 字节 / bytes）sha256 ${f.sha256}`);
      say(`当前状态：${STATUS_ZH[state.status]} (${state.status})`);
    };

  const actOn = (name: string, zh: string) =>
    task
      .command(name)
      .description(zh)
      .argument('<id>', '任务编号，如 taierzhuang-2016-water/2-1-1 / task id (plan/id)')
      .option('--json', '输出任务的新状态 JSON / print the new state as JSON');

  actOn('ack', '签收任务 / acknowledge a task')
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .action(commandAction('acknowledge', (o) => ({ actor: o.as })));
  actOn('report', '反馈进展 / report progress')
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .requiredOption('--note <text>', '进展情况 / what has been done', nonEmpty('--note'))
    .option('--attach <file>', ATTACH_HELP, collectFiles)
    .action(commandAction('reportProgress', (o) => ({ actor: o.as, note: o.note })));
  actOn('submit', '提交办结（牵头单位） / submit completion (lead department)')
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .requiredOption('--summary <text>', '办结情况 / what was completed', nonEmpty('--summary'))
    .option('--attach <file>', ATTACH_HELP, collectFiles)
    .option(
      '--person <name>',
      '经办人（记入台账） / the person submitting, on the ledger',
      nonEmpty('--person'),
    )
    .action(async (id: string, opts: Record<string, string> & { json?: boolean }) => {
      // Where the directory sets in-department approval, a 经办人's completion goes to the 分管领导 first.
      const directory = (await getSession()).directory?.();
      const approver = directory && approverOf(directory, opts.as);
      return commandAction('submitCompletion', (o) => ({
        actor: o.as,
        summary: o.summary,
        ...(o.person ? { person: o.person } : {}),
        ...(approver ? { approver } : {}),
      }))(id, opts);
    });
  actOn(
    'approve',
    "分管领导审核同意本单位的办结，报送督查室 / approve the department's completion (分管领导)",
  )
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .requiredOption('--person <name>', '分管领导 / the approver', nonEmpty('--person'))
    .action(commandAction('approveCompletion', (o) => ({ actor: o.as, person: o.person })));
  actOn('return', "分管领导退回本单位的办结 / return the department's completion (分管领导)")
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .requiredOption('--person <name>', '分管领导 / the approver', nonEmpty('--person'))
    .requiredOption('--reason <text>', '退回理由 / reason', nonEmpty('--reason'))
    .action(commandAction('returnCompletion', (o) => ({ actor: o.as, person: o.person, reason: o.reason })));
  actOn('verify', '审核通过（督查室） / verify completion (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .option('--note <text>', '审核意见 / note')
    .action(commandAction('verifyCompletion', (o) => ({ actor: o.as, ...(o.note ? { note: o.note } : {}) })));
  actOn('reject', '退回办结（督查室） / send completion back (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption('--reason <text>', '退回理由 / reason', nonEmpty('--reason'))
    .action(commandAction('rejectCompletion', (o) => ({ actor: o.as, reason: o.reason })));
  actOn('cancel', '撤销任务（督查室） / cancel a task (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption('--reason <text>', '撤销理由 / reason', nonEmpty('--reason'))
    .action(commandAction('cancel', (o) => ({ actor: o.as, reason: o.reason })));
  actOn(
    'extend',
    '申请延期（牵头单位，期限前） / request an extension (lead department, before the due date)',
  )
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .requiredOption(
      '--to <date>',
      '新的完成时限 YYYY-MM-DD / new due date',
      byContract('requestExtension', 'to', '--to'),
    )
    .requiredOption('--reason <text>', '延期理由 / reason', nonEmpty('--reason'))
    .action(commandAction('requestExtension', (o) => ({ actor: o.as, to: o.to, reason: o.reason })));
  actOn('decide-extension', '决定延期申请（督查室） / grant or deny an extension (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .option('--approve', '批准 / grant')
    .option('--deny', '不批准 / deny')
    .option(
      '--to <date>',
      '批准的新期限（默认按申请） / the new due date (default: as requested)',
      byContract('decideExtension', 'to', '--to'),
    )
    .option('--note <text>', '意见 / note')
    .action(
      commandAction('decideExtension', (o) => {
        if (Boolean(o.approve) === Boolean(o.deny))
          throw new BadInput(
            '--approve',
            '请给出 --approve 或 --deny 之一 / give exactly one of --approve or --deny',
          );
        return {
          actor: o.as,
          approve: Boolean(o.approve),
          ...(o.to ? { to: o.to } : {}),
          ...(o.note ? { note: o.note } : {}),
        };
      }),
    );

  actOn('report-milestone', '报告里程碑完成（牵头单位） / report a milestone done (lead department)')
    .requiredOption('--as <department>', '操作单位 / acting department', nonEmpty('--as'))
    .requiredOption('--milestone <n>', '里程碑序号（从 1 起） / milestone number (from 1)', milestoneNumber)
    .requiredOption('--note <text>', '完成情况 / what was done', nonEmpty('--note'))
    .action(
      commandAction('reportMilestone', (o) => ({
        actor: o.as,
        milestone: Number(o.milestone),
        note: o.note,
      })),
    );
  actOn('verify-milestone', '里程碑审核通过（督查室） / verify a milestone (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption('--milestone <n>', '里程碑序号（从 1 起） / milestone number (from 1)', milestoneNumber)
    .option('--note <text>', '审核意见 / note')
    .action(
      commandAction('verifyMilestone', (o) => ({
        actor: o.as,
        milestone: Number(o.milestone),
        ...(o.note ? { note: o.note } : {}),
      })),
    );
  actOn('reject-milestone', '退回里程碑（督查室） / send a milestone back (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption('--milestone <n>', '里程碑序号（从 1 起） / milestone number (from 1)', milestoneNumber)
    .requiredOption('--reason <text>', '退回理由 / reason', nonEmpty('--reason'))
    .action(
      commandAction('rejectMilestone', (o) => ({
        actor: o.as,
        milestone: Number(o.milestone),
        reason: o.reason,
      })),
    );
  actOn('pause', '挂起任务，暂停督办提醒（督查室） / pause a task: reminders and rungs stop (supervisor)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption('--reason <text>', '挂起理由 / reason', nonEmpty('--reason'))
    .action(commandAction('pause', (o) => ({ actor: o.as, reason: o.reason })));
  actOn(
    'resume',
    '恢复任务，截止日期按挂起的工作日顺延（督查室） / resume a task; its dates move by the working days paused (supervisor)',
  )
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .action(commandAction('resume', (o) => ({ actor: o.as })));

  registerTaskChangeCommands(actOn, commandAction, { byContract, nonEmpty });
  actOn('instruct', '领导批示：通知责任单位和督查室，附督办单（区领导） / give an instruction (leadership)')
    .requiredOption('--as <role>', '区领导：leadership', nonEmpty('--as'))
    .requiredOption('--text <text>', '批示内容 / the instruction', nonEmpty('--text'))
    .addOption(
      new Option('--priority <level>', '列为重点督办：high / raise the task to high priority').choices([
        'high',
      ]),
    )
    .action(
      commandAction('instruct', (o) => ({
        actor: o.as,
        text: o.text,
        ...(o.priority ? { priority: o.priority as 'high' } : {}),
      })),
    );

  const interview = program
    .command('interview')
    .description('约谈：安排与记录（督查室） / interviews (约谈): schedule and record them (supervisor)');
  interview
    .command('schedule')
    .description('安排约谈时间和地点 / set the time and place of the task interview')
    .argument('<id>', '任务编号 / task id (plan/id)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption(
      '--at <time>',
      '约谈时间 "YYYY-MM-DD HH:mm" / when',
      byContract('scheduleInterview', 'at', '--at'),
    )
    .requiredOption('--place <text>', '约谈地点 / where', nonEmpty('--place'))
    .option('--json', '输出任务的新状态 JSON / print the new state as JSON')
    .action(commandAction('scheduleInterview', (o) => ({ actor: o.as, at: o.at, place: o.place })));
  interview
    .command('record')
    .description(
      '记录约谈：参加人员、整改意见、整改期限 / record an interview: attendees, opinions, rectification due',
    )
    .argument('<id>', '任务编号 / task id (plan/id)')
    .requiredOption('--as <role>', '督查室：supervisor', nonEmpty('--as'))
    .requiredOption(
      '--attendees <names>',
      '参加人员，用逗号分隔 / attendees, comma-separated',
      nonEmpty('--attendees'),
    )
    .requiredOption('--opinions <text>', '整改意见 / rectification opinions', nonEmpty('--opinions'))
    .option(
      '--due <date>',
      '整改期限 YYYY-MM-DD（默认 20 个工作日后） / rectification due (default: 20 working days)',
      byContract('recordInterview', 'rectificationDue', '--due'),
    )
    .option('--json', '输出任务的新状态 JSON / print the new state as JSON')
    .action(
      commandAction('recordInterview', (o) => ({
        actor: o.as,
        attendees: o.attendees
          .split(/[,，、]/)
          .map((a) => a.trim())
          .filter(Boolean),
        opinions: o.opinions,
        ...(o.due ? { rectificationDue: o.due } : {}),
      })),
    );
}
