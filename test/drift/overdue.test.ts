/**
 * One plan, one overdue count, at every interface: a submitted task past its due date (the ladder holds
 * while the supervisor has not verified: not overdue), an acknowledged one past it (overdue, 催办 sent),
 * an assigned one past it (overdue), and one not yet due. No Temporal: a seeded store is enough.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import {
  DEFAULT_POLICY,
  digestItems,
  escalate,
  evolve,
  isOverdue,
  renderDigest,
  summarize,
  type TaskCommand,
  type TaskSpecInput,
  type TaskSummary,
} from '../../domain';
import { progressOf } from '../../http/public';
import type { DubanClient } from '../../services/facade';
import { TaskSearchQuery, searchTasks } from '../../services/task-search';
import { openStore, type Store } from '../../store';
import { lightOf, progressByYear } from '../../web/model';
import { filterTasks, ListQuery, taskListPage } from '../../web/task-list';
import type { Ctx } from '../../web/context';
import { history } from '../cli/seed';

const PLAN = 'drift-plan';
const TODAY = '2027-03-01';
const spec = (id: string, due: string): TaskSpecInput => ({
  plan: PLAN,
  id,
  title: `任务${id}`,
  lead: ['区环保局'],
  due,
});
const ack: TaskCommand = { type: 'acknowledge', actor: '区环保局' };

/** The tasks as the workflows would have left them; the late acknowledged one has had its 催办. */
function seed(): TaskSummary[] {
  const submitted = history(spec('submitted-late', '2027-01-31'), [
    ack,
    { type: 'submitCompletion', actor: '区环保局', summary: '已完成，待审核' },
  ]);
  const late = history(spec('acked-late', '2027-01-31'), [ack]);
  const noticed = escalate(late.state, DEFAULT_POLICY, '2027-02-03T04:00:00.000Z');
  expect(noticed.map((e) => e.type)).toEqual(['OverdueNoticed']);
  const lateState = noticed.reduce((s, e) => evolve(s, e), late.state);
  const assigned = history(spec('assigned-late', '2027-02-15'), []);
  const notDue = history(spec('not-due', '2027-06-30'), [ack]);
  return [
    summarize(submitted.workflowId, submitted.state),
    summarize(late.workflowId, lateState),
    summarize(assigned.workflowId, assigned.state),
    summarize(notDue.workflowId, notDue.state),
  ];
}

const OVERDUE = 2;
let dir: string;
let store: Store;
let tasks: TaskSummary[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-drift-'));
  store = await openStore(path.join(dir, 'duban.db'));
  tasks = seed();
  for (const t of tasks) await store.upsertTask(t);
});
afterAll(async () => {
  await store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<string> {
  let stdout = '';
  const open: CliIo['open'] = async () =>
    ({
      facade: { list: (f) => store.listTasks(f) } as Partial<DubanClient> as DubanClient,
      address: 'localhost:7233',
      ensureTemporal: async () => undefined,
      close: async () => undefined,
    }) satisfies Session;
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: { DUBAN_DATA_DIR: dir },
    today: TODAY,
    open,
  });
  expect(code).toBe(0);
  return stdout;
}

describe('the overdue count is the same at every interface', () => {
  it('the domain rule', () => {
    expect(tasks.filter((t) => isOverdue(t, TODAY)).map((t) => t.taskId)).toEqual([
      'acked-late',
      'assigned-late',
    ]);
  });

  it('duban plan status: the summary line and the department rows', async () => {
    const text = await cli(['plan', 'status', PLAN]);
    expect(text).toContain(`；逾期 ${OVERDUE} / `);
    expect(text).toContain(`; ${OVERDUE} overdue`);
    const json = JSON.parse(await cli(['plan', 'status', PLAN, '--json'])) as {
      departments: { department: string; overdue: number }[];
    };
    expect(json.departments).toEqual([expect.objectContaining({ department: '区环保局', overdue: OVERDUE })]);
  });

  it('duban task list: the 逾期 note', async () => {
    const lines = (await cli(['task', 'list', '--plan', PLAN])).split('\n');
    expect(lines.filter((l) => /逾期 \d+ 天$/.test(l))).toHaveLength(OVERDUE);
    expect(lines.find((l) => l.includes('submitted-late'))).not.toMatch(/逾期/);
  });

  it('the store’s search (the API’s ?overdue=) and its complement', async () => {
    const late = await store.searchTasks({
      plan: PLAN,
      overdue: { today: TODAY, is: true },
      limit: 50,
      offset: 0,
    });
    expect(late.total).toBe(OVERDUE);
    const rest = await store.searchTasks({
      plan: PLAN,
      overdue: { today: TODAY, is: false },
      limit: 50,
      offset: 0,
    });
    expect(rest.total).toBe(tasks.length - OVERDUE);
    const page = await searchTasks(store, TaskSearchQuery.parse({ plan: PLAN, overdue: 'true' }), TODAY);
    expect(page.tasks.map((t) => t.taskId).sort()).toEqual(['acked-late', 'assigned-late']);
  });

  it('the dashboard’s model: the overdue filter, the year table and the red lights', () => {
    expect(filterTasks(tasks, ListQuery.parse({ overdue: '1' }), TODAY)).toHaveLength(OVERDUE);
    expect(progressByYear(tasks, TODAY).reduce((n, y) => n + y.overdue, 0)).toBe(OVERDUE);
    expect(tasks.filter((t) => lightOf(t, TODAY) === 'red')).toHaveLength(OVERDUE);
  });

  it('the public API’s progress', () => {
    const [p] = progressOf(tasks, TODAY).plans;
    expect(p.overdue).toBe(OVERDUE);
    expect(p.byYear.reduce((n, y) => n + y.overdue, 0)).toBe(OVERDUE);
  });

  it('the daily digest lists the overdue ones, not the waiting submission', () => {
    expect(digestItems(tasks, TODAY).map((t) => t.taskId)).toEqual(['acked-late', 'assigned-late']);
  });
});

describe('the overdue rung reads 催办', () => {
  it('in the dashboard’s task list', async () => {
    const ctx = { facade: { list: async () => tasks }, plans: () => new Map() } as unknown as Ctx;
    const html = await taskListPage(ctx, { role: 'supervisor' }, { plan: PLAN });
    expect(html).toMatch(/<option value="overdue"\s*>催办<\/option>/);
    const row = html.slice(html.indexOf(`data-wf="task/${PLAN}/acked-late"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('<span class="esc">催办</span>');
  });

  it('in the digest mail', () => {
    const mail = renderDigest(digestItems(tasks, TODAY), TODAY);
    expect(mail.text).toContain(`${PLAN}/acked-late  任务acked-late  牵头：区环保局  期限：2027-01-31  催办`);
    expect(mail.html).toContain('期限：2027-01-31  催办');
    expect(mail.text).not.toMatch(/期限：\S+ {2}逾期/);
  });
});
