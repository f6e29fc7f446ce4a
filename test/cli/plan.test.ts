import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import { TemporalUnavailable } from '../../services/errors';
import { createDubanClient, type DubanClient, type StartResult } from '../../services/facade';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { summarize, taskWorkflowId, type TaskCommand, type TaskSpecInput } from '../../domain';
import { toTaskSpecs, parseBreakdownText, checkBreakdown } from '../../importer';
import { openStore, type Store } from '../../store';
import { history } from './seed';

const ROOT = path.join(__dirname, '..', '..');
const PLAN_TEXT = path.join(ROOT, 'plans/taierzhuang-2016-water-pollution-plan.txt');
const SHIPPED = path.join(ROOT, 'plans/taierzhuang-2016-water.yaml');
const DIRECTORY = path.join(ROOT, 'directory/taierzhuang.yaml');
const REGIONS = '泥沟镇,邳庄镇,张山子镇,马兰屯镇,涧头集镇,运河街道,经济开发区';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], io: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: path.join(os.tmpdir(), 'duban-cli-plan-unused') },
    today: '2017-01-10',
    open: () => Promise.reject(new Error('this command should not have opened a session')),
    ...io,
  });
  return { code, stdout, stderr };
}

function session(facade: Partial<DubanClient>, opts: { temporal?: boolean } = {}): CliIo['open'] {
  return async () =>
    ({
      facade: facade as DubanClient,
      address: 'localhost:7233',
      ensureTemporal: async () => {
        if (opts.temporal === false) throw new TemporalUnavailable('down', 'server');
      },
      close: async () => undefined,
    }) satisfies Session;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-plan-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('duban plan import', () => {
  it('writes a commented breakdown that plan check accepts, and lists its notes with line numbers', async () => {
    const out = path.join(dir, 'plan.yaml');
    const r = await run([
      'plan',
      'import',
      PLAN_TEXT,
      '--id',
      'taierzhuang-2016-water',
      '--regions',
      REGIONS,
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `已写入 ${out}：64 项任务（3 项分解到镇街，交办时共 82 个流程），29 个单位，5 项指标，9 条提示 / 64 tasks (82 workflows)`,
    );
    expect(r.stdout).toContain(`duban plan check ${out} && duban plan start ${out}`);
    expect(r.stderr).toContain('提示 / note（第 107 行 / line 107）：“区规划局”视为“区规划分局”的别称');
    const yaml = fs.readFileSync(out, 'utf8');
    expect(yaml).toMatch(/^# 台儿庄区水污染防治工作方案 — 任务分解表（草稿） \/ task breakdown \(draft\)\n/);
    expect(yaml).toContain(
      '  # 2-1-2 · 第 47 行 / line 47 · 二、主要任务 / (一)实施全过程水污染防治 / 1.加强工业污染防治\n',
    );
    expect(yaml).toContain('  # 交办时分解到 7 个镇街，每个镇街一项 / started once for each of 7 regions\n');
    const check = await run(['plan', 'check', out]);
    expect(check).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^待核对 9 项/m) as string,
      stderr: '',
    });
    expect(
      check.stdout.startsWith(
        `检查通过：${out}，方案 taierzhuang-2016-water，64 项任务，交办时共 82 个流程 / check passed: 64 tasks, 82 workflows when started\n` +
          '文件中还有 9 条导入提示（warnings），核对处理后可删除 / 9 importer notes remain in the file\n',
      ),
    ).toBe(true);
  });

  it('prints YAML to stdout, or JSON with --json, and takes regions from a directory file', async () => {
    const yaml = await run(['plan', 'import', PLAN_TEXT]);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^# 台儿庄区水污染防治工作方案/);
    expect(yaml.stderr).toMatch(/^64 项任务（3 项分解到镇街，交办时共 67 个流程）/);
    expect(yaml.stderr).toContain('方案编号 taierzhuang-2016-water-pollution-plan 取自文件名');
    const json = await run(['plan', 'import', PLAN_TEXT, '--json', '--regions', DIRECTORY]);
    const b = JSON.parse(json.stdout) as { plan: { regions: string[] }; tasks: unknown[] };
    expect(b.tasks).toHaveLength(64);
    expect(b.plan.regions).toEqual([
      '运河街道',
      '泥沟镇',
      '邳庄镇',
      '张山子镇',
      '马兰屯镇',
      '涧头集镇',
      '经济开发区',
    ]);
    expect(json.stderr).toContain(`镇街名单取自 ${DIRECTORY}`);
  });

  it('will not overwrite a breakdown that may hold review edits, unless told to', async () => {
    const out = path.join(dir, 'plan.yaml');
    fs.writeFileSync(out, '# edited\n');
    const r = await run(['plan', 'import', PLAN_TEXT, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${out} 已存在（可能已审核修改过），用 --force 覆盖`);
    expect(fs.readFileSync(out, 'utf8')).toBe('# edited\n');
    expect((await run(['plan', 'import', PLAN_TEXT, '--out', out, '--force'])).code).toBe(0);
  });

  it('says clearly why a document cannot be read', async () => {
    const pdf = path.join(dir, 'plan.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4\n%âãÏÓ\n');
    const r = await run(['plan', 'import', pdf]);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `错误 / error: ${pdf}: 这是 PDF 文件，无法直接读取 / this is a PDF file. 请先另存为 UTF-8 纯文本（.txt）再导入 / save it as UTF-8 plain text (.txt) first and import that\n`,
    });
    const missing = await run(['plan', 'import', path.join(dir, 'nope.txt')]);
    expect(missing.stderr).toBe(`错误 / error: ${path.join(dir, 'nope.txt')}: 文件不存在 / file not found\n`);
    const badId = await run(['plan', 'import', PLAN_TEXT, '--id', '台儿庄']);
    expect(badId.stderr).toMatch(
      /^错误：参数取值无效 \/ error: option '--id <id>' argument '台儿庄' is invalid/,
    );
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, '会议纪要\n\n一、会议内容\n\n大家讨论了节水工作。\n');
    expect((await run(['plan', 'import', notes])).stderr).toMatch(/: 没有找到任何责任分工/);
  });
});

describe('duban plan check', () => {
  it('names each problem by file and path, with did-you-mean', async () => {
    const file = path.join(dir, 'plan.yaml');
    const text = fs.readFileSync(SHIPPED, 'utf8').replace('    lead: [区住建局]\n', '    lead: [区住建居]\n');
    fs.writeFileSync(file, text.replace('  - id: 2-1-13\n', '  - id: 2-1-13\n    leads: []\n'));
    const r = await run(['plan', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `错误 / error: ${file}: tasks[12].leads: 未知字段，是否应为 lead？ / unknown field — did you mean lead?\n`,
    );
    fs.writeFileSync(file, text);
    const names = await run(['plan', 'check', file]);
    expect(names.stderr).toBe(
      `错误 / error: ${file}: tasks[6].lead[0]: 未知单位 区住建居，是否应为 区住建局？ / unknown department 区住建居 — did you mean 区住建局?\n`,
    );
  });

  it('lists what is left for a person, each with its document line', async () => {
    const doc = path.join(dir, 'doc.txt');
    fs.writeFileSync(
      doc,
      '某市水污染防治工作方案\n一、工作目标\n到2018年，水质明显改善。\n二、主要任务\n' +
        // The units are the directory's: plan check holds a breakdown's names to it.
        '1.整治黑臭水体。2018年底前完成。（区环保局牵头，区水务局配合）\n' +
        '2.加强秸秆禁烧。2018年上半年完成。（区农业局牵头）（区林业局督导）\n',
    );
    const out = path.join(dir, 'doc.yaml');
    expect((await run(['plan', 'import', doc, '--id', 'review-demo', '--out', out])).code).toBe(0);
    const r = await run(['plan', 'check', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => /^待核对 \d+ 项 \/ \d+ items to review:$/.test(l));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1).filter((l) => l.startsWith('  第 6 行 / line 6：'))).toEqual([
      expect.stringContaining('区林业局督导'),
    ]);
    const json = JSON.parse((await run(['plan', 'check', out, '--json'])).stdout) as {
      notes: number;
      review: { line: number | null; text: string; why: string }[];
    };
    expect(json.review.length).toBe(json.notes);
    expect(json.review.find((x) => x.line === 6)).toEqual({
      line: 6,
      text: expect.stringContaining('区林业局督导') as string,
      why: '导入提示，核对后可删除 / importer note: check it, then delete it',
    });
    expect(lines.slice(at + 1).filter((l) => l.startsWith('  ')).length).toBe(json.review.length);
  });
});

const REVIEWED_REGIONS = ['运河街道', '泥沟镇', '邳庄镇', '张山子镇', '马兰屯镇', '涧头集镇', '经济开发区']
  .map((r) => `3-4-4/${r}`)
  .join('、');

describe('duban plan start', () => {
  /** A facade that starts each workflow id once, as Temporal would, and records what it was given. */
  function recordingFacade() {
    const seen = new Set<string>();
    const calls: TaskSpecInput[][] = [];
    const running = new Map<string, TaskSpecInput>();
    const facade: Partial<DubanClient> = {
      // What a running workflow reports: the spec it was started with (plan start compares against it).
      state: async (id) => history(running.get(id)!, []).state,
      startTasks: async (specs, onProgress) => {
        calls.push([...specs]);
        return specs.map((s, i) => {
          const workflowId = taskWorkflowId({ plan: s.plan, id: s.id, region: s.region });
          const r: StartResult = { workflowId, started: !seen.has(workflowId) };
          seen.add(workflowId);
          if (!running.has(workflowId)) running.set(workflowId, s);
          onProgress?.(i + 1, specs.length, r);
          return r;
        });
      },
      startDuties: async (specs) =>
        specs.map((s) => {
          const workflowId = `duty/${s.plan}/${s.id}`;
          const r = { workflowId, started: !seen.has(workflowId) };
          seen.add(workflowId);
          return r;
        }),
      reviewDuties: async (items) => items.length,
    };
    return { facade, calls, running };
  }

  it('starts every workflow of the shipped plan once, and nothing on the second run', async () => {
    const { facade, calls } = recordingFacade();
    const open = session(facade);
    const first = await run(['plan', 'start', SHIPPED], { open });
    expect(first).toEqual({
      code: 0,
      stdout:
        '方案 taierzhuang-2016-water：64 项任务，共 82 个流程 / plan taierzhuang-2016-water: 64 tasks, 82 workflows\n' +
        '新交办 82 项，已在运行 0 项 / 82 started, 0 already running\n' +
        '周期性工作：新启动 3 项，已在运行 0 项 / recurring duties: 3 started, 0 already running\n' +
        `12 项只写“定期”，未启动，请在分解表写明周期（recurrence.every，assumed: false）后再交办：2-1-6、2-3-8、3-1-6、${REVIEWED_REGIONS}、3-4-5、3-4-7 / ` +
        '12 say only “regularly” (定期) and were not started: give each a period in the breakdown, then start again\n',
      stderr: '',
    });
    const again = await run(['plan', 'start', SHIPPED], { open });
    expect(again.stdout).toContain('没有新交办的任务：82 项都已在运行 / 0 started, 82 already running\n');
    expect(again.stdout).toContain(
      '周期性工作：新启动 0 项，已在运行 3 项 / recurring duties: 0 started, 3 already running\n',
    );
    const expected = toTaskSpecs(
      checkBreakdown(parseBreakdownText(fs.readFileSync(SHIPPED, 'utf8'))).breakdown!,
    );
    expect(calls).toEqual([expected, expected]);
    expect(calls[0].filter((s) => s.id === '3-4-4').map((s) => s.region)).toEqual([
      '运河街道',
      '泥沟镇',
      '邳庄镇',
      '张山子镇',
      '马兰屯镇',
      '涧头集镇',
      '经济开发区',
    ]);
    const json = await run(['plan', 'start', SHIPPED, '--json'], { open });
    expect(JSON.parse(json.stdout)).toMatchObject({
      plan: 'taierzhuang-2016-water',
      started: 0,
      alreadyRunning: 82,
      duties: { started: 0, alreadyRunning: 3, review: expect.arrayContaining(['2-3-8', '3-4-4/泥沟镇']) },
    });
  });

  it('on a real Temporal server, the second start of the shipped plan starts nothing', async () => {
    // The facade's own startTasks against a dev server: Temporal's workflow ids decide what is new,
    // not a set kept by the test. No worker polls the queue; a started workflow just waits.
    const env = await devServerEnv();
    try {
      const store = { listTasks: async () => [], getTask: async () => undefined, ledgerFor: async () => [] };
      const facade = createDubanClient({ client: env.client, taskQueue: uniqueId('plan-start'), store });
      const open = session(facade);
      const first = await run(['plan', 'start', SHIPPED, '--json'], { open });
      expect(JSON.parse(first.stdout)).toMatchObject({ started: 82, alreadyRunning: 0 });
      const again = await run(['plan', 'start', SHIPPED], { open });
      expect(again.stdout).toContain('没有新交办的任务：82 项都已在运行 / 0 started, 82 already running\n');
      // Visibility lags the starts a little; what is listed is one workflow per id.
      let ids: string[] = [];
      for (let tries = 0; ids.length < 82 && tries < 50; tries++) {
        if (tries) await new Promise((r) => setTimeout(r, 100));
        ids = [];
        for await (const w of env.client.workflow.list({ query: 'WorkflowType = "taskWorkflow"' }))
          ids.push(w.workflowId);
      }
      expect(ids).toHaveLength(82);
      expect(new Set(ids).size).toBe(82);
    } finally {
      await env.teardown();
    }
  });

  it('checks the file before connecting, and says when Temporal is not there', async () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'plan: {id: x, title: t}\ntasks: []\n');
    const r = await run(['plan', 'start', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`错误 / error: ${bad}: tasks: 没有任务 / no tasks\n`);
    const down = await run(['plan', 'start', SHIPPED], { open: session({}, { temporal: false }) });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('npm start');
  });
});

describe('duban plan status', () => {
  let store: Store;
  const specs = toTaskSpecs(checkBreakdown(parseBreakdownText(fs.readFileSync(SHIPPED, 'utf8'))).breakdown!);
  const spec = (id: string, region?: string) => specs.find((s) => s.id === id && s.region === region)!;
  const SEED: [TaskSpecInput, TaskCommand[]][] = [
    [spec('2-1-1'), [{ type: 'acknowledge', actor: '区环保局' }]],
    [spec('2-1-3'), []],
    [
      spec('2-1-7'),
      [
        { type: 'acknowledge', actor: '区住建局' },
        { type: 'submitCompletion', actor: '区住建局', summary: '已整治' },
        { type: 'verifyCompletion', actor: 'supervisor' },
      ],
    ],
    [spec('2-1-2', '泥沟镇'), [{ type: 'acknowledge', actor: '泥沟镇' }]],
    [
      spec('2-1-4'),
      [
        { type: 'acknowledge', actor: '区环保局' },
        { type: 'submitCompletion', actor: '区环保局', summary: '已完成' },
      ],
    ],
    [spec('2-1-5'), [{ type: 'cancel', actor: 'supervisor', reason: '并入 2-1-4' }]],
  ];

  beforeEach(async () => {
    store = await openStore(path.join(dir, 'duban.db'));
    for (const [s, commands] of SEED) {
      const h = history(s, commands);
      await store.upsertTask(summarize(h.workflowId, h.state));
    }
  });
  afterEach(async () => store.close());
  const open = () => session({ list: (f) => store.listTasks(f) });

  it('summarises by department from the store: tasks, lead, acknowledged, submitted, completed, overdue', async () => {
    const r = await run(['plan', 'status', 'taierzhuang-2016-water', '--json'], { open: open() });
    const body = JSON.parse(r.stdout) as { workflows: number; departments: Record<string, unknown>[] };
    expect(body.workflows).toBe(6);
    const row = (d: string) => body.departments.find((x) => x.department === d);
    expect(row('区环保局')).toEqual({
      department: '区环保局',
      tasks: 5,
      lead: 3,
      acknowledged: 2,
      submitted: 1,
      completed: 1,
      overdue: 1,
    });
    expect(row('区经信局')).toMatchObject({ tasks: 4, lead: 1, acknowledged: 0, submitted: 1, overdue: 1 });
    expect(row('泥沟镇')).toMatchObject({ tasks: 1, lead: 1, acknowledged: 1, overdue: 0 });
    expect(row('区住建局')).toMatchObject({ tasks: 1, lead: 1, acknowledged: 1, completed: 1 });
    expect(row('区商务局')).toBeUndefined(); // only on the cancelled task
  });

  it('prints a table, Chinese first, and accepts the breakdown file for the plan', async () => {
    const r = await run(['plan', 'status', SHIPPED], { open: open() });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^单位\s+任务\s+牵头\s+已签收\s+已提交\s+已办结\s+逾期$/);
    expect(lines[2]).toMatch(/^区环保局\s+5\s+3\s+2\s+1\s+1\s+1$/);
    expect(r.stdout).toContain(
      '方案 taierzhuang-2016-water，截至 2017-01-10：共 6 个流程，待签收 1，办理中 2，待审核 1，已办结 1，已撤销 1；逾期 1',
    );
    const none = await run(['plan', 'status', 'no-such-plan'], { open: open() });
    expect(none.stdout).toBe(
      '方案 no-such-plan 还没有交办的任务 / no task of plan no-such-plan has been started\n',
    );
  });

  it('says there is no database yet', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-plan-nodb-'));
    const r = await run(['plan', 'status', 'taierzhuang-2016-water'], {
      env: { DUBAN_DATA_DIR: empty },
      open: undefined,
    });
    fs.rmSync(empty, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('找不到数据库');
  });
});
