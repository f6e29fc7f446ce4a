/**
 * Milestones, time-skipped on the test server with duban's real activities, a real SQLite store and a real
 * SMTP server: a missed milestone escalates on its own (its 催办 at the SMTP server, the ledger row, the
 * projection overdue), milestones are reported, sent back and verified; refusals carry their exact words.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  addDays,
  dayOf,
  isOverdue,
  milestoneList,
  taskWorkflowId,
  type TaskSpecInput,
  type TaskState,
} from '../../domain';
import { taskWorkflow } from '../../workflows';
import { TASK_UPDATES, stateQuery, upcomingQuery } from '../../workflows/task-messages';
import { addresses, at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('milestones')));
afterAll(() => duban?.teardown());

const HOUR = 3_600_000;
const LEAD = '区环保局';
const COOP = '区经信局';
const SUPERVISOR = 'supervisor';
const email = (dept: string) => duban.directory.departments[dept].email;

/** The refusal's `中文 / English` message, from a failed update. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure)
      return e.cause.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

function setup(prefix: string) {
  const { env } = duban;
  const plan = uniqueId(prefix);
  const sleepUntil = async (ms: number) => env.sleep(Math.max(0, ms - (await env.currentTimeMs())));
  const start = (
    id: string,
    spec: Omit<TaskSpecInput, 'plan' | 'id' | 'lead' | 'cooperating'>,
    taskQueue: string,
  ) =>
    env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan, id }),
      args: [{ spec: { plan, id, lead: [LEAD], cooperating: [COOP], ...spec } as never }],
    });
  const mailsOf = (id: string) => duban.smtp.messages.filter((m) => m.subject?.includes(`${plan}/${id}）`));
  return { plan, sleepUntil, start, mailsOf };
}

test('a missed milestone escalates on its own; milestones are reported, sent back and verified', async () => {
  const taskQueue = uniqueId('milestones');
  const { env, store, smtp } = duban;
  const { plan, sleepUntil, start, mailsOf } = setup('plan');
  const worker = await duban.createWorker(taskQueue);
  const today = dayOf(await env.currentTimeMs());
  const first = addDays(today, 20);
  const due = addDays(today, 90);
  const wid = taskWorkflowId({ plan, id: 'two' });

  await worker.runUntil(async () => {
    const h = await start(
      'two',
      {
        title: '工业集聚区污水集中处理',
        due,
        milestones: [
          { due: first, title: '建成污水集中处理设施' },
          { due, title: '安装自动在线监控装置' },
        ],
      },
      taskQueue,
    );
    for (const actor of [LEAD, COOP]) await h.executeUpdate(TASK_UPDATES.acknowledge, { args: [{ actor }] });

    // The first milestone passes unreported: its own 催办 goes out the next morning, to the departments and
    // the supervisors, and the task is overdue though its due date is months away.
    await sleepUntil(at9(addDays(first, 1)) + HOUR);
    await smtp.waitFor((ms) =>
      ms.some((m) => m.subject?.includes(`${plan}/two）`) && m.subject.includes('里程碑催办')),
    );
    const notice = mailsOf('two').find((m) => m.subject!.includes('里程碑催办'))!;
    expect(notice.subject).toBe(
      `【督办】里程碑催办：工业集聚区污水集中处理（${plan}/two）里程碑 1 已逾期 1 天`,
    );
    expect(addresses(notice)).toEqual(
      expect.arrayContaining([email(LEAD), email(COOP), ...duban.directory.supervisors.map((s) => s.email)]),
    );
    const overdue = (await store.ledgerFor(wid)).find((e) => e.type === 'MilestoneOverdueNoticed')!;
    expect(overdue.event).toMatchObject({ milestone: 1, due: first, title: '建成污水集中处理设施' });
    expect(dayOf(overdue.at)).toBe(addDays(first, 1));
    const s1: TaskState = await h.query(stateQuery);
    expect(s1.escalation).toBe('overdue');
    const summary = (await store.getTask(wid))!;
    expect(summary.milestoneDue).toBe(first);
    expect(isOverdue(summary, addDays(first, 1))).toBe(true);
    // The 30-day warning of the task's own date is still planned, and nothing more of milestone 1.
    expect((await h.query(upcomingQuery)).map((r) => r.key)).not.toContain(`milestone:1:overdue@${first}`);

    // Refusals name the milestone and why.
    expect(
      await refusal(
        h.executeUpdate(TASK_UPDATES.reportMilestone, { args: [{ actor: LEAD, milestone: 3, note: 'x' }] }),
      ),
    ).toBe('本任务没有里程碑 3（共 2 个） / milestone 3 does not exist (the task has 2)');
    expect(
      await refusal(
        h.executeUpdate(TASK_UPDATES.reportMilestone, { args: [{ actor: COOP, milestone: 1, note: 'x' }] }),
      ),
    ).toBe(
      `只有牵头单位 ${LEAD} 可以报告里程碑完成 / only the lead department ${LEAD} may report a milestone done`,
    );
    expect(
      await refusal(
        h.executeUpdate(TASK_UPDATES.verifyMilestone, { args: [{ actor: SUPERVISOR, milestone: 1 }] }),
      ),
    ).toBe('没有报告完成待审核的里程碑 / no milestone has been reported done');

    await h.executeUpdate(TASK_UPDATES.reportMilestone, {
      args: [{ actor: LEAD, milestone: 1, note: '设施已建成并通水' }],
    });
    // Reported, it waits for the supervisor: no longer overdue.
    await eventually(async () => (await store.getTask(wid))?.milestoneDue === due);
    expect(isOverdue((await store.getTask(wid))!, addDays(first, 2))).toBe(false);
    const verified = await h.executeUpdate(TASK_UPDATES.verifyMilestone, {
      args: [{ actor: SUPERVISOR, milestone: 1, note: '现场核查属实' }],
    });
    expect(milestoneList(verified)).toEqual([
      { due: first, title: '建成污水集中处理设施', status: 'verified' },
      { due, title: '安装自动在线监控装置', status: 'open' },
    ]);
    // The overdue notice only that milestone caused is spent.
    expect(verified.escalation).toBe('none');
    expect(
      await refusal(
        h.executeUpdate(TASK_UPDATES.verifyMilestone, { args: [{ actor: SUPERVISOR, milestone: 1 }] }),
      ),
    ).toBe('没有报告完成待审核的里程碑 / no milestone has been reported done');

    await h.executeUpdate(TASK_UPDATES.reportMilestone, {
      args: [{ actor: LEAD, milestone: 2, note: '已安装' }],
    });
    await h.executeUpdate(TASK_UPDATES.rejectMilestone, {
      args: [{ actor: SUPERVISOR, milestone: 2, reason: '未联网' }],
    });
    await h.executeUpdate(TASK_UPDATES.reportMilestone, {
      args: [{ actor: LEAD, milestone: 2, note: '已联网' }],
    });
    await h.executeUpdate(TASK_UPDATES.verifyMilestone, { args: [{ actor: SUPERVISOR, milestone: 2 }] });
    await h.executeUpdate(TASK_UPDATES.submitCompletion, { args: [{ actor: LEAD, summary: '全部完成' }] });
    await h.executeUpdate(TASK_UPDATES.verifyCompletion, { args: [{ actor: SUPERVISOR }] });
    const done = await h.result();
    expect(done.status).toBe('completed');
    expect(milestoneList(done).map((m) => m.status)).toEqual(['verified', 'verified']);

    await eventually(async () => (await store.ledgerFor(wid)).some((e) => e.type === 'CompletionVerified'));
    expect((await store.ledgerFor(wid)).map((e) => e.type)).toEqual([
      'TaskAssigned',
      'Acknowledged',
      'Acknowledged',
      'MilestoneWarningIssued',
      'MilestoneWarningIssued',
      'MilestoneOverdueNoticed',
      'MilestoneReported',
      'MilestoneVerified',
      'MilestoneReported',
      'MilestoneRejected',
      'MilestoneReported',
      'MilestoneVerified',
      'CompletionSubmitted',
      'CompletionVerified',
    ]);
    const subjects = mailsOf('two').map((m) => m.subject);
    expect(subjects).toContain(`【督办】里程碑被退回：工业集聚区污水集中处理（${plan}/two）里程碑 2`);
  });
});

async function eventually(check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('never happened');
    await new Promise((r) => setTimeout(r, 100));
  }
}
