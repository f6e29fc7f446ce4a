/**
 * `plan start` with a corrected breakdown reports, per running task, what differs from the running spec
 * instead of silently keeping it ("0 started, 82 already running"), and with --apply-changes moves the due
 * dates (a supervisor's decision, reason 方案修订) and says honestly that the rest needs a reassignment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import {
  decide,
  evolve,
  rejectionMessage,
  taskWorkflowId,
  type TaskCommand,
  type TaskSpecInput,
  type TaskState,
} from '../../domain';
import { checkBreakdown, parseBreakdownText, toTaskSpecs } from '../../importer';
import { CommandRefused } from '../../services/errors';
import type { DubanClient } from '../../services/facade';
import { history } from '../cli/seed';

const SHIPPED = path.join(__dirname, '..', '..', 'plans', 'taierzhuang-2016-water.yaml');
const PLAN = 'taierzhuang-2016-water';
let dir: string;
let corrected: string;

/** Every task of the shipped plan running, as the workflows would report them; commands go through decide. */
function runningPlan() {
  const states = new Map<string, TaskState>();
  const specs = toTaskSpecs(checkBreakdown(parseBreakdownText(fs.readFileSync(SHIPPED, 'utf8'))).breakdown!);
  for (const s of specs) states.set(taskWorkflowId(s), history(s, []).state);
  const commands: { id: string; type: string; args: unknown }[] = [];
  const facade: Partial<DubanClient> = {
    startTasks: async (list: readonly TaskSpecInput[]) =>
      list.map((s) => ({ workflowId: taskWorkflowId(s), started: !states.has(taskWorkflowId(s)) })),
    // The plan's recurring duties, as running already (they are not what this test is about).
    startDuties: async (list) => list.map((d) => ({ workflowId: `duty/${d.plan}/${d.id}`, started: false })),
    reviewDuties: async () => 0,
    state: async (id) => states.get(id)!,
    command: async (id, type, args) => {
      commands.push({ id, type, args });
      const state = states.get(id)!;
      const d = decide(state, { type, ...args } as TaskCommand, '2017-01-10T02:00:00.000Z');
      if (!d.ok) throw new CommandRefused(rejectionMessage(d.rejection), d.rejection.code);
      const next = d.events.reduce((s, e) => evolve(s, e), state);
      states.set(id, next);
      return next;
    },
  };
  const open: CliIo['open'] = async () =>
    ({
      facade: facade as DubanClient,
      address: 'localhost:7233',
      ensureTemporal: async () => undefined,
      close: async () => undefined,
    }) satisfies Session;
  return { open, commands, states };
}

async function run(argv: string[], open: CliIo['open']) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: dir },
    today: '2017-01-10',
    open,
  });
  return { code, stdout, stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-sec-changes-'));
  corrected = path.join(dir, 'corrected.yaml');
  const b = checkBreakdown(parseBreakdownText(fs.readFileSync(SHIPPED, 'utf8'))).breakdown!;
  const task = (id: string) => b.tasks.find((t) => t.id === id)!;
  task('2-1-1').due = '2027-12-31'; // later: a running task can take it
  task('2-1-3').lead = ['区水务局'];
  task('2-1-4').title = `${task('2-1-4').title}（修订）`;
  fs.writeFileSync(corrected, JSON.stringify(b));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the differences are reported per running task, and nothing is changed without asking', async () => {
  const { open, commands, states } = runningPlan();
  const due = states.get(`task/${PLAN}/2-1-1`)!.due;
  const r = await run(['plan', 'start', corrected], open);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('没有新交办的任务：82 项都已在运行 / 0 started, 82 already running\n');
  expect(r.stdout).toContain('分解表与 3 项运行中的任务不同（共 3 处）');
  expect(r.stdout).toContain(`  ${PLAN}/2-1-1  截止日期 due：运行中 ${due} → 分解表 2027-12-31\n`);
  expect(r.stdout).toMatch(new RegExp(`  ${PLAN}/2-1-3  牵头单位 lead：运行中 \\S+ → 分解表 区水务局\\n`));
  expect(r.stdout).toContain(`  ${PLAN}/2-1-4  标题 title：运行中 `);
  expect(r.stdout).toContain('运行中的任务保持原样。用 --apply-changes 修改截止日期');
  expect(commands).toEqual([]);
  const json = JSON.parse((await run(['plan', 'start', corrected, '--json'], open)).stdout) as {
    changes: { workflowId: string; field: string; running: string; breakdown: string }[];
  };
  expect(json.changes.map((c) => [c.workflowId, c.field])).toEqual([
    [`task/${PLAN}/2-1-1`, 'due'],
    [`task/${PLAN}/2-1-3`, 'lead'],
    [`task/${PLAN}/2-1-4`, 'title'],
  ]);
});

test('--apply-changes moves the due date by a supervisor decision, and says what it cannot change', async () => {
  const { open, commands, states } = runningPlan();
  const r = await run(['plan', 'start', corrected, '--apply-changes'], open);
  expect(r.code).toBe(0);
  expect(commands).toEqual([
    {
      id: `task/${PLAN}/2-1-1`,
      type: 'decideExtension',
      args: { actor: 'supervisor', approve: true, to: '2027-12-31', note: '方案修订' },
    },
  ]);
  expect(states.get(`task/${PLAN}/2-1-1`)!.due).toBe('2027-12-31');
  expect(r.stdout).toContain('→ 分解表 2027-12-31  → 已改为 2027-12-31（方案修订） / due date moved');
  expect(r.stdout).toMatch(/2-1-3 {2}牵头单位 lead：.*→ 需改派，尚未支持，运行中的任务保持原样/);
  // Applied once, the due date no longer differs.
  const again = await run(['plan', 'start', corrected], open);
  expect(again.stdout).not.toContain('截止日期 due');
});

test('a due date the task refuses (earlier than in force) is reported as refused, not hidden', async () => {
  const { open } = runningPlan();
  const b = JSON.parse(fs.readFileSync(corrected, 'utf8')) as { tasks: { id: string; due: string }[] };
  b.tasks.find((t) => t.id === '2-1-1')!.due = '2017-02-01';
  const earlier = path.join(dir, 'earlier.yaml');
  fs.writeFileSync(earlier, JSON.stringify(b));
  const r = await run(['plan', 'start', earlier, '--apply-changes'], open);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/2-1-1 {2}截止日期 due：.*→ 分解表 2017-02-01 {2}→ 任务拒绝 \/ refused: /);
});
