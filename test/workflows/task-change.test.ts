/**
 * Changing a running task (改派, 修改, 增加里程碑, 拆分), time-skipped on the test server with duban's real
 * activities, a real SQLite store, a real SMTP server, the real HTTP API with tokens and the CLI in-process:
 * after a reassignment the released department's token is refused and the new lead acknowledges, the
 * ledger holds before and after, the mails arrive; edits and milestones show in `task show --json`; a
 * split starts its sub-tasks; refusals carry their exact words.
 */
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { Session } from '../../cli/session';
import { addDays, dayOf, taskWorkflowId, type TaskEvent, type TaskState } from '../../domain';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { createToken } from '../../services/tokens';
import { taskWorkflow } from '../../workflows';
import { stateQuery, upcomingQuery } from '../../workflows/task-messages';
import { at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';
import { startApi, type Api } from '../http/helpers';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('change')));
afterAll(() => duban?.teardown());

const HOUR = 3_600_000;
const LEAD = '区环保局';
const COOP = '区经信局';
const NEW = '区水务局';
const SUPERVISOR = 'supervisor';
const EMAIL: Record<string, string> = {
  [LEAD]: 'huanbao@taierzhuang.gov.cn.example',
  [NEW]: 'shuiwu@taierzhuang.gov.cn.example',
};

interface Round {
  plan: string;
  facade: DubanClient;
  api: Api;
  token: (department: string) => Promise<string>;
  supervisor: string;
  start(id: string, title: string, due: string): Promise<string>;
  cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  sleepUntil(ms: number): Promise<void>;
  today(): Promise<string>;
}

/** One task queue, worker, facade (with the shipped directory), API and CLI for a test. */
async function round<T>(prefix: string, body: (r: Round) => Promise<T>): Promise<T> {
  const { env, store } = duban;
  const taskQueue = uniqueId(prefix);
  const plan = uniqueId(prefix).toLowerCase();
  const worker = await duban.createWorker(taskQueue);
  const facade = createDubanClient({
    client: env.client,
    taskQueue,
    store,
    directory: () => duban.directory,
  });
  const api = await startApi({ facade, store, onError: () => undefined });
  const token = async (department: string) =>
    (await createToken(store, { role: 'department', department, name: uniqueId(department) })).token;
  const supervisor = (await createToken(store, { role: 'supervisor', name: uniqueId('sup') })).token;
  const r: Round = {
    plan,
    facade,
    api,
    token,
    supervisor,
    async start(id, title, due) {
      const workflowId = taskWorkflowId({ plan, id });
      await env.client.workflow.start(taskWorkflow, {
        taskQueue,
        workflowId,
        args: [{ spec: { plan, id, title, text: '原任务内容', lead: [LEAD], cooperating: [COOP], due } }],
      });
      return workflowId;
    },
    async cli(argv) {
      let stdout = '';
      let stderr = '';
      const code = await main(argv, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        env: { DUBAN_DATA_DIR: path.join(os.tmpdir(), 'duban-cli-unused') },
        open: async () =>
          ({
            facade,
            address: 'time-skipping',
            store: async () => store,
            ensureTemporal: async () => undefined,
            close: async () => undefined,
          }) as unknown as Session,
      });
      return { code, stdout, stderr };
    },
    sleepUntil: async (ms) => env.sleep(Math.max(0, ms - (await env.currentTimeMs()))),
    today: async () => dayOf(await env.currentTimeMs()),
  };
  try {
    return await worker.runUntil(() => body(r));
  } finally {
    await api.close();
  }
}

const post = (r: Round, id: string, command: string, token: string, body: unknown) =>
  r.api.call('POST', `/api/tasks/${r.plan}/${id}/${command}`, { token, body });

const eventsOf = async (workflowId: string): Promise<TaskEvent[]> =>
  (await duban.store.ledgerFor(workflowId)).map((l) => l.event);

test('reassign (改派): the released lead is refused, the new one acknowledges, ledger and mail say so', async () => {
  await round('reassign', async (r) => {
    const due = addDays(await r.today(), 60);
    const wid = await r.start('t', '饮用水水源地整治', due);
    for (const actor of [LEAD, COOP]) await r.facade.command(wid, 'acknowledge', { actor });
    const oldLead = await r.token(LEAD);
    const newLead = await r.token(NEW);

    // Refusals: a department may not reassign; an unknown department and a blank reason are refused by name.
    const byDept = await post(r, 't', 'reassign', oldLead, { lead: [NEW], reason: '调整' });
    expect(byDept.status).toBe(403);
    expect(byDept.body.message).toBe('只有督查室可以执行此操作 / only a supervisor may do this');
    const unknown = await post(r, 't', 'reassign', r.supervisor, { lead: ['区不存在局'], reason: '调整' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      field: 'lead[0]',
      message:
        'lead[0]: 未知单位 区不存在局，通讯录中没有 / lead[0]: unknown department 区不存在局: not in the directory',
    });
    const blank = await r.cli([
      'task',
      'reassign',
      `${r.plan}/t`,
      '--as',
      SUPERVISOR,
      '--lead',
      NEW,
      '--reason',
      ' ',
    ]);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('--reason 不能为空 / --reason must not be empty');
    await expect(
      r.facade.command(wid, 'reassign', { actor: SUPERVISOR, lead: [NEW], reason: '  ' }),
    ).rejects.toThrow('请填写改派理由 / reason is required');
    expect((await eventsOf(wid)).map((e) => e.type)).not.toContain('TaskReassigned');

    // Three days on, the supervisor hands the task to 区水务局 (机构改革).
    const assignedDay = await r.today();
    await r.sleepUntil(at9(addDays(assignedDay, 3)) + HOUR);
    const reassignDay = await r.today();
    const done = await post(r, 't', 'reassign', r.supervisor, {
      lead: [NEW],
      reason: '机构改革，水源地保护职能划入区水务局',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'assigned', acknowledged: [COOP] });

    const last = (await eventsOf(wid)).at(-1)!;
    expect(last).toMatchObject({
      type: 'TaskReassigned',
      by: SUPERVISOR,
      reason: '机构改革，水源地保护职能划入区水务局',
      before: { lead: [LEAD], cooperating: [COOP] },
      after: { lead: [NEW], cooperating: [COOP] },
      released: [LEAD],
      reacknowledge: [NEW],
    });

    // The new lead's acknowledgement ladder counts from the reassignment, not from the assignment.
    const upcoming = await duban.env.client.workflow.getHandle(wid).query(upcomingQuery);
    const alert = upcoming.find((u) => u.rung.kind === 'ackAlert');
    expect(alert?.rung).toEqual({ kind: 'ackAlert', department: NEW });
    expect(alert!.day >= addDays(reassignDay, 5)).toBe(true);

    // The projection follows: listed under the new lead, no longer under the old one.
    const ids = async (department: string) =>
      (await duban.store.listTasks({ plan: r.plan, department })).map((t) => t.workflowId);
    expect(await ids(NEW)).toEqual([wid]);
    expect(await ids(LEAD)).toEqual([]);

    // The released department's token is refused; the new lead acknowledges.
    const stale = await post(r, 't', 'reportProgress', oldLead, { note: '继续推进' });
    expect(stale.status).toBe(403);
    const ack = await post(r, 't', 'acknowledge', newLead, {});
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged' });

    const title = `饮用水水源地整治（${r.plan}/t）`;
    await duban.smtp.waitFor(
      (ms) =>
        ms.some((m) => m.subject === `【督办】任务改派：${title}你单位不再承办`) &&
        ms.some((m) => m.subject === `【督办】任务交办（改派）：${title}`),
    );
    const released = duban.smtp.messages.find(
      (m) => m.subject === `【督办】任务改派：${title}你单位不再承办`,
    )!;
    expect(JSON.stringify(released.to)).toContain(EMAIL[LEAD]);
    expect(released.text).toContain('改派理由：机构改革，水源地保护职能划入区水务局');
    const assigned = duban.smtp.messages.find((m) => m.subject === `【督办】任务交办（改派）：${title}`)!;
    expect(JSON.stringify(assigned.to)).toContain(EMAIL[NEW]);
    expect(JSON.stringify(assigned.to)).not.toContain(EMAIL[LEAD]);
    expect(assigned.text).toContain('牵头单位：区水务局');
  });
});

test('edit and add-milestone show in `task show --json`; split starts the sub-tasks, linked to the parent', async () => {
  await round('edit', async (r) => {
    const today = await r.today();
    const due = addDays(today, 90);
    const wid = await r.start('e', '农村环境综合整治', due);
    const id = `${r.plan}/e`;
    const ok = async (argv: string[]) => {
      const out = await r.cli(argv);
      expect({ argv, stderr: out.stderr, code: out.code }).toEqual({ argv, stderr: '', code: 0 });
      return out.stdout;
    };
    await ok([
      'task',
      'edit',
      id,
      '--as',
      SUPERVISOR,
      '--title',
      '农村环境连片整治',
      '--content',
      '覆盖 12 个村',
      '--reason',
      '按区政府批示调整',
    ]);
    const m = addDays(today, 30);
    await ok([
      'task',
      'add-milestone',
      id,
      '--as',
      SUPERVISOR,
      '--due',
      m,
      '--title',
      '完成方案编制',
      '--reason',
      '细化进度',
    ]);
    const refusedLate = await r.cli([
      'task',
      'add-milestone',
      id,
      '--as',
      SUPERVISOR,
      '--due',
      addDays(due, 1),
      '--title',
      '太晚',
      '--reason',
      '细化',
    ]);
    expect(refusedLate.code).toBe(2);
    expect(refusedLate.stderr).toContain(
      `里程碑日期 ${addDays(due, 1)} 晚于任务截止日期 ${due}，请先调整截止日期 / the milestone's date ${addDays(due, 1)} is after the task's due date ${due}; move the due date first`,
    );

    const shown = JSON.parse(await ok(['task', 'show', id, '--json'])) as {
      milestones: unknown[];
      state: TaskState;
      ledger: { event: TaskEvent }[];
    };
    expect(shown.state.spec).toMatchObject({ title: '农村环境连片整治', text: '覆盖 12 个村' });
    expect(shown.milestones).toEqual([{ due: m, title: '完成方案编制', status: 'open' }]);
    expect(shown.ledger.map((l) => l.event)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'TaskEdited',
          before: { title: '农村环境综合整治', text: '原任务内容' },
          after: { title: '农村环境连片整治', text: '覆盖 12 个村' },
          reason: '按区政府批示调整',
        }),
        expect.objectContaining({ type: 'MilestoneAdded', milestone: 1, due: m, title: '完成方案编制' }),
      ]),
    );

    // Split: two sub-tasks, each its own task of the plan, assigned to its lead.
    const d1 = addDays(today, 40);
    await ok([
      'task',
      'split',
      id,
      '--as',
      SUPERVISOR,
      '--sub',
      `排查污染源;${d1};${COOP}`,
      '--sub',
      `建设污水管网;${due};${NEW};${LEAD}`,
      '--reason',
      '分解落实',
    ]);
    const parent = await duban.env.client.workflow.getHandle(wid).query(stateQuery);
    expect(parent.subtasks?.map((s) => [s.id, s.lead, s.due])).toEqual([
      ['e.1', [COOP], d1],
      ['e.2', [NEW], due],
    ]);
    const text = await ok(['task', 'show', id]);
    expect(text).toContain(`子任务 / sub-tasks:\n  ${r.plan}/e.1  排查污染源  牵头 ${COOP}  截止 ${d1}\n`);
    const child = await duban.env.client.workflow
      .getHandle(taskWorkflowId({ plan: r.plan, id: 'e.2' }))
      .query(stateQuery);
    expect(child.spec).toMatchObject({
      parent: 'e',
      title: '建设污水管网',
      lead: [NEW],
      cooperating: [LEAD],
      due,
    });
    expect(child.status).toBe('assigned');
    await duban.smtp.waitFor((ms) =>
      ms.some((x) => x.subject === `【督办】任务交办：建设污水管网（${r.plan}/e.2）`),
    );

    // A department in a sub-task the directory does not know: named by its place, nothing started.
    const bad = await r.cli([
      'task',
      'split',
      id,
      '--as',
      SUPERVISOR,
      '--sub',
      `再拆;${d1};区不存在局`,
      '--reason',
      '再分解',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'subs[0].lead[0]: 未知单位 区不存在局，通讯录中没有 / subs[0].lead[0]: unknown department 区不存在局: not in the directory',
    );
    expect((await duban.env.client.workflow.getHandle(wid).query(stateQuery)).subtasks).toHaveLength(2);
  });
});
