import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import { CommandRefused, TemporalUnavailable } from '../../services/errors';
import type { DubanClient } from '../../services/facade';
import type { TaskState } from '../../domain';
import { PLAN, history, seededFixture, type Fixture } from './seed';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with a session of our own (or none at all: `open` then fails the test). */
async function run(argv: string[], io: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: path.join(os.tmpdir(), 'duban-cli-unused') },
    today: '2026-11-28',
    open: () => Promise.reject(new Error('this command should not have opened a session')),
    ...io,
  });
  return { code, stdout, stderr };
}

/** A session around a facade of our making; `temporal: false` makes ensureTemporal fail as when nothing listens. */
function session(
  facade: Partial<DubanClient>,
  opts: { temporal?: boolean; calls?: string[] } = {},
): CliIo['open'] {
  return async () =>
    ({
      facade: { resolveId: (id: string) => `task/${id.replace(/^task\//, '')}`, ...facade } as DubanClient,
      address: 'localhost:7233',
      ensureTemporal: async () => {
        opts.calls?.push('ensureTemporal');
        if (opts.temporal === false) throw new TemporalUnavailable('down', 'server');
      },
      close: async () => undefined,
    }) satisfies Session;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('arguments', () => {
  it('prints help and exits 0 for --help', async () => {
    const r = await run(['task', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: duban task/);
    for (const c of ['start', 'list', 'show', 'ack', 'report', 'submit', 'verify', 'reject', 'cancel']) {
      expect(r.stdout).toMatch(new RegExp(`\\n  ${c} `));
    }
  });

  it('exits 1 with usage when no subcommand is given', async () => {
    const r = await run(['task']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Usage: duban task/);
  });

  it('names a missing required option, Chinese first', async () => {
    const r = await run(['task', 'ack', `${PLAN}/2-1-1`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "错误：缺少必填选项 / error: required option '--as <department>' not specified\n用法见 / usage: duban task --help\n",
    );
    const note = await run(['task', 'report', `${PLAN}/2-1-1`, '--as', '区环保局']);
    expect(note.code).toBe(1);
    expect(note.stderr).toContain("required option '--note <text>' not specified");
  });

  it('refuses an empty --note before sending anything', async () => {
    const r = await run(['task', 'report', `${PLAN}/2-1-1`, '--as', '区环保局', '--note', '  ']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--note 不能为空 / --note must not be empty');
  });

  it('names unknown commands, options and bad status values', async () => {
    const cmd = await run(['task', 'frobnicate']);
    expect(cmd.code).toBe(1);
    expect(cmd.stderr).toMatch(/^错误：未知命令 \/ error: unknown command 'frobnicate'/);
    const opt = await run(['task', 'list', '--colour']);
    expect(opt.code).toBe(1);
    expect(opt.stderr).toMatch(/^错误：未知选项 \/ error: unknown option '--colour'/);
    const status = await run(['task', 'list', '--status', 'late']);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(
      /^错误：参数取值无效 \/ error: option '--status <status>' argument 'late' is invalid/,
    );
    const extra = await run(['task', 'ack', 'a/b', 'c/d', '--as', 'x']);
    expect(extra.code).toBe(1);
    expect(extra.stderr).toMatch(/^错误：参数过多/);
  });

  it('names a malformed task id and never reaches Temporal', async () => {
    const calls: string[] = [];
    const { resolveTaskId } = await import('../../services/facade');
    const r = await run(['task', 'ack', '2-1-1', '--as', '区环保局'], {
      open: session({ resolveId: resolveTaskId }, { calls }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^错误 \/ error: 任务编号应为 方案\/编号.*a task id is plan\/id or task\/plan\/id\[\/region\]/,
    );
    expect(calls).toEqual([]);
  });

  it('names the file and field of a bad task file before connecting', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-file-'));
    const file = path.join(dir, 'tasks.yaml');
    fs.writeFileSync(
      file,
      'tasks:\n  - {plan: p, id: a, title: A, lead: [甲], due: 2027-01-01}\n  - {plan: p, id: b, title: B, lead: [乙], due: 2027-1-1}\n',
    );
    const r = await run(['task', 'start', '--file', file]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `错误 / error: ${file}: tasks[1].due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD\n`,
    );
  });

  it('names a wrong configuration variable', async () => {
    const r = await run(['task', 'list'], { env: { DUBAN_TEMPORAL_PORT: 'seven' }, open: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DUBAN_TEMPORAL_PORT');
  });
});

describe('commands', () => {
  const state = (status: TaskState['status']) => ({ status }) as TaskState;

  it('passes each command with its options to the facade and says what happened, Chinese first', async () => {
    const sent: unknown[] = [];
    const open = session({
      command: async (id: string, type: string, args: unknown) => {
        sent.push([id, type, args]);
        return state(type === 'verifyCompletion' ? 'completed' : 'acknowledged');
      },
    });
    const id = `${PLAN}/2-1-1`;
    const ack = await run(['task', 'ack', id, '--as', '区环保局'], { open });
    expect(ack).toEqual({
      code: 0,
      stdout: `已签收 / acknowledged：${id}\n当前状态：办理中 (acknowledged)\n`,
      stderr: '',
    });
    await run(['task', 'report', id, '--as', '区环保局', '--note', '已完成排查'], { open });
    await run(['task', 'submit', id, '--as', '区环保局', '--summary', '全部完成'], { open });
    const verify = await run(['task', 'verify', id, '--as', 'supervisor', '--json'], { open });
    expect(JSON.parse(verify.stdout)).toEqual({ status: 'completed' });
    await run(['task', 'verify', id, '--as', 'supervisor', '--note', '同意'], { open });
    await run(['task', 'reject', id, '--as', 'supervisor', '--reason', '材料不全'], { open });
    await run(['task', 'cancel', id, '--as', '督查室', '--reason', '任务合并'], { open });
    const wid = `task/${id}`;
    expect(sent).toEqual([
      [wid, 'acknowledge', { actor: '区环保局' }],
      [wid, 'reportProgress', { actor: '区环保局', note: '已完成排查' }],
      [wid, 'submitCompletion', { actor: '区环保局', summary: '全部完成' }],
      [wid, 'verifyCompletion', { actor: 'supervisor' }],
      [wid, 'verifyCompletion', { actor: 'supervisor', note: '同意' }],
      [wid, 'rejectCompletion', { actor: 'supervisor', reason: '材料不全' }],
      [wid, 'cancel', { actor: '督查室', reason: '任务合并' }],
    ]);
  });

  it('exits 2 on a refusal, with the reason in Chinese and English on stderr', async () => {
    const message =
      '区住建局 不是本任务的牵头或配合单位 / 区住建局 is not a lead or cooperating department of this task';
    const r = await run(['task', 'ack', `${PLAN}/2-1-1`, '--as', '区住建局'], {
      open: session({ command: () => Promise.reject(new CommandRefused(message, 'not_on_task')) }),
    });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `已拒绝 / refused: ${message}\n` });
  });

  it('starts the tasks of the example file and reports which already existed', async () => {
    const seen: string[] = [];
    const open = session({
      startTasks: async (specs) =>
        specs.map((s) => {
          const workflowId = `task/${s.plan}/${s.id}`;
          const started = !seen.includes(workflowId);
          seen.push(workflowId);
          return { workflowId, started };
        }),
    });
    const file = path.join(__dirname, '..', '..', 'examples', 'taierzhuang-tasks.yaml');
    const first = await run(['task', 'start', '--file', file], { open });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`已交办   ${PLAN}/2-1-1\n`);
    const again = await run(['task', 'start', '--file', file, '--json'], { open });
    const results = JSON.parse(again.stdout) as { workflowId: string; started: boolean }[];
    expect(results.length).toBeGreaterThanOrEqual(3);
    expect(results.every((r) => !r.started)).toBe(true);
    expect(results[0]).toEqual({ workflowId: `task/${PLAN}/2-1-1`, started: false });
  });

  it('starts a large file at the asked concurrency and, without a terminal, says how far it is each tenth', async () => {
    const asked: (number | undefined)[] = [];
    const open = session({
      startTasks: async (specs, onProgress, opts) => {
        asked.push(opts?.concurrency);
        return specs.map((s, i) => {
          const r = { workflowId: `task/${s.plan}/${s.id}`, started: true };
          onProgress?.(i + 1, specs.length, r);
          return r;
        });
      },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-many-'));
    const file = path.join(dir, 'many.yaml');
    const rows = Array.from(
      { length: 250 },
      (_, i) => `  - {plan: many, id: t${i}, title: T${i}, lead: [区环保局], due: 2027-01-01}`,
    );
    fs.writeFileSync(file, `tasks:\n${rows.join('\n')}\n`);
    const r = await run(['task', 'start', '--file', file, '--concurrency', '3'], { open });
    const bad = await run(['task', 'start', '--file', file, '--concurrency', '0'], { open });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(0);
    expect(asked).toEqual([3]);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('交办中 25/250 / starting: 25 of 250');
    expect(lines[9]).toBe('交办中 250/250 / starting: 250 of 250');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--concurrency 应为 1–1000 / --concurrency must be 1–1000');
  });

  it('says the server is not reachable and how to start it (exit 3)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-down-'));
    const port = await freePort();
    const r = await run(['task', 'ack', `${PLAN}/2-1-1`, '--as', '区环保局'], {
      env: { DUBAN_DATA_DIR: dir, DUBAN_TEMPORAL_PORT: String(port) },
      open: undefined,
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`无法连接 Temporal 服务器 localhost:${port}`);
    expect(r.stderr).toContain('npm start');
    expect(r.stderr).toContain(`the Temporal server at localhost:${port} is not reachable`);
  }, 20_000);

  it('says there is no database yet instead of creating one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cli-nodb-'));
    const r = await run(['task', 'list'], { env: { DUBAN_DATA_DIR: dir }, open: undefined });
    const created = fs.existsSync(path.join(dir, 'duban.db'));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`找不到数据库 ${path.join(dir, 'duban.db')}`);
    expect(created).toBe(false);
  });
});

describe('reading from the store', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await seededFixture();
  });
  afterAll(async () => fx?.close());
  const open = () => session(fx.facade, { temporal: false });

  it('lists tasks as a table, Chinese first, with the clock against today', async () => {
    const r = await run(['task', 'list', '--plan', PLAN], { open: open(), today: '2027-01-05' });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^任务\s+标题\s+牵头单位\s+状态\s+截止日期\s+提醒$/);
    expect(lines[1]).toMatch(/^-+( +-+){5}$/);
    expect(lines[2]).toMatch(
      new RegExp(`^${PLAN}/2-1-2 +依法淘汰落后产能 +区经信局 +待签收 +2026-12-31 +逾期 5 天$`),
    );
    expect(lines[3]).toMatch(
      new RegExp(`^${PLAN}/2-1-1 +加强工业污染防治：严格环境准入 +区环保局 +办理中 +2027-06-30$`),
    );
    expect(lines[4]).toMatch(/ 已办结 +2027-12-31$/);
    expect(r.stdout).toContain('共 3 项（待签收 1，办理中 1，已办结 1） / 3 task(s)');
    // the columns line up in display width: every row's status starts where the header's does
    const col = (l: string) =>
      [...l.slice(0, l.search(/(待签收|办理中|已办结|状态)/))].reduce(
        (w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1),
        0,
      );
    expect(new Set([lines[0], lines[2], lines[3], lines[4]].map(col)).size).toBe(1);
  });

  it('lists as stable JSON with filters (status in Chinese too)', async () => {
    const r = await run(['task', 'list', '--json', '--dept', '区环保局'], { open: open() });
    const tasks = JSON.parse(r.stdout) as { workflowId: string }[];
    expect(tasks.map((t) => t.workflowId)).toEqual([`task/${PLAN}/2-1-2`, `task/${PLAN}/2-1-1`]);
    expect(tasks).toEqual(await fx.store.listTasks({ department: '区环保局' }));
    const done = await run(['task', 'list', '--json', '--status', '已办结'], { open: open() });
    expect((JSON.parse(done.stdout) as { taskId: string }[]).map((t) => t.taskId)).toEqual(['2-1-7']);
    const none = await run(['task', 'list', '--plan', 'nothing-here'], { open: open() });
    expect(none.stdout).toBe('（没有符合条件的任务 / no tasks match）\n');
  });

  it('shows a task and its ledger from the store when Temporal is down, saying so', async () => {
    const r = await run(['task', 'show', `${PLAN}/2-1-1`], { open: open() });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^（实时状态不可用，显示数据库记录/);
    expect(r.stdout).toContain(
      `任务 ${PLAN}/2-1-1  加强工业污染防治：严格环境准入\n状态：办理中 (acknowledged)\n截止日期：2027-06-30\n`,
    );
    expect(r.stdout).toContain('已签收：区环保局；未签收：区发改局、区经信局\n');
    expect(r.stdout).toContain('记录（共 3 条） / ledger:\n');
    expect(r.stdout).toContain(
      '  #1   2026-11-28 09:00  任务交办：牵头 区环保局，配合 区发改局、区经信局，截止 2027-06-30\n',
    );
    expect(r.stdout).toContain('  #2   2026-11-28 10:00  区环保局 签收\n');
    expect(r.stdout).toContain('  #3   2026-11-28 11:00  区环保局 反馈进展：已制定差别化区域环境准入政策\n');
  });

  it('shows the live state when Temporal answers, as JSON too', async () => {
    const live = history(
      {
        plan: PLAN,
        id: '2-1-1',
        title: '加强工业污染防治：严格环境准入',
        lead: ['区环保局'],
        cooperating: ['区发改局', '区经信局'],
        due: '2027-06-30',
      },
      [{ type: 'acknowledge', actor: '区环保局' }],
    ).state;
    const r = await run(['task', 'show', `${PLAN}/2-1-1`, '--json'], {
      open: session({ ...fx.facade, state: async () => live, upcoming: async () => [] }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const shown = JSON.parse(r.stdout) as {
      workflowId: string;
      state: TaskState;
      summary: { seq: number };
      ledger: { type: string }[];
    };
    expect(shown.workflowId).toBe(`task/${PLAN}/2-1-1`);
    expect(shown.state.status).toBe('acknowledged');
    expect(shown.summary.seq).toBe(3);
    expect(shown.ledger.map((e) => e.type)).toEqual(['TaskAssigned', 'Acknowledged', 'ProgressReported']);
    expect(shown).toHaveProperty('upcoming', []);
  });

  it('says when a task does not exist, or that it cannot tell while Temporal is down', async () => {
    const { TaskNotFound } = await import('../../services/errors');
    const r = await run(['task', 'show', `${PLAN}/9-9-9`], {
      open: session({ ...fx.facade, state: (id: string) => Promise.reject(new TaskNotFound(id)) }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`错误 / error: 未找到任务 task/${PLAN}/9-9-9 / no task task/${PLAN}/9-9-9\n`);
    const down = await run(['task', 'show', `${PLAN}/9-9-9`], { open: open() });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('npm start');
  });
});
