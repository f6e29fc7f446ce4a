/**
 * Pause (挂起), time-skipped on the test server with duban's real activities, a real SQLite store and a
 * real SMTP server: a pause across the Spring Festival holds every rung, and the resume moves the due date
 * and the milestones by the working days paused, counted on the loaded calendar; refusals carry their
 * exact words. Its own file: the dates are fixed (2029), so the server's clock must start at today.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { milestoneList, taskWorkflowId, type TaskSpecInput } from '../../domain';
import { taskWorkflow } from '../../workflows';
import { TASK_UPDATES, stateQuery, upcomingQuery } from '../../workflows/task-messages';
import { at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('pause')));
afterAll(() => duban?.teardown());

const HOUR = 3_600_000;
const LEAD = '区环保局';
const COOP = '区经信局';
const SUPERVISOR = 'supervisor';

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

// A made-up 2029 calendar: the Spring Festival (2029-02-13) off from 02-10 to 02-18, Saturday 02-24 worked.
const TEST_2029 = {
  year: 2029,
  holidays: [
    '2029-02-10',
    '2029-02-11',
    '2029-02-12',
    '2029-02-13',
    '2029-02-14',
    '2029-02-15',
    '2029-02-16',
    '2029-02-17',
    '2029-02-18',
  ],
  workdays: ['2029-02-24'],
};

test('a pause across the Spring Festival holds every rung; the resume gives back the working days paused', async () => {
  const taskQueue = uniqueId('pause');
  const { store, smtp } = duban;
  const { plan, sleepUntil, start, mailsOf } = setup('pause');
  // The dates below are fixed: the test server's clock starts at today, well before them.
  expect(await duban.env.currentTimeMs()).toBeLessThan(Date.parse('2029-01-01'));
  await store.saveCalendarYear(TEST_2029, 'test calendar');
  const worker = await duban.createWorker(taskQueue);
  const wid = taskWorkflowId({ plan, id: 'p' });

  await worker.runUntil(async () => {
    const h = await start(
      'p',
      {
        title: '饮用水水源地规范化建设',
        due: '2029-06-29',
        milestones: [
          { due: '2029-03-16', title: '完成水源地标志设置' },
          { due: '2029-06-29', title: '完成隔离防护工程' },
        ],
      },
      taskQueue,
    );
    for (const actor of [LEAD, COOP]) await h.executeUpdate(TASK_UPDATES.acknowledge, { args: [{ actor }] });
    expect(await refusal(h.executeUpdate(TASK_UPDATES.resume, { args: [{ actor: SUPERVISOR }] }))).toBe(
      '任务未挂起，不能恢复 / the task is not paused; there is nothing to resume',
    );

    // Paused Monday 2029-02-05; resumed Monday 2029-02-26. Working days in (02-05, 02-26]: 02-06…09 (4),
    // 02-19…23 (5), Saturday 02-24 (1), 02-26 (1) = 11; weekdays alone would have been 15.
    await sleepUntil(at9('2029-02-05') + HOUR);
    const paused = await h.executeUpdate(TASK_UPDATES.pause, {
      args: [{ actor: SUPERVISOR, reason: '上级调整建设方案' }],
    });
    expect(paused.status).toBe('paused');
    expect(await h.query(upcomingQuery)).toEqual([]);
    expect(
      await refusal(h.executeUpdate(TASK_UPDATES.pause, { args: [{ actor: SUPERVISOR, reason: '再挂起' }] })),
    ).toBe('任务已挂起 / the task is already paused');
    expect(
      await refusal(
        h.executeUpdate(TASK_UPDATES.reportMilestone, { args: [{ actor: LEAD, milestone: 1, note: 'x' }] }),
      ),
    ).toBe(
      '任务已挂起（上级调整建设方案），请待督查室恢复后再操作 / the task is paused; wait until a supervisor resumes it',
    );
    await smtp.waitFor((ms) =>
      ms.some((m) => m.subject === `【督办】任务挂起：饮用水水源地规范化建设（${plan}/p）`),
    );
    const mailsBefore = mailsOf('p').length;
    const firedBefore = paused.fired;

    // The milestone's 30-day warning (02-14) falls in the pause: it does not go out, nor does any mail.
    await sleepUntil(at9('2029-02-26') + HOUR);
    expect((await h.query(stateQuery)).fired).toEqual(firedBefore);
    expect(mailsOf('p')).toHaveLength(mailsBefore);
    expect((await store.getTask(wid))?.status).toBe('paused');

    const resumed = await h.executeUpdate(TASK_UPDATES.resume, { args: [{ actor: SUPERVISOR }] });
    expect(resumed.status).toBe('acknowledged');
    // 2029-06-29 (Friday) + 11 working days = 2029-07-16; 2029-03-16 + 11 = 2029-04-02.
    expect(resumed.due).toBe('2029-07-16');
    expect(milestoneList(resumed).map((m) => m.due)).toEqual(['2029-04-02', '2029-07-16']);
    expect(resumed.dueHistory.map((d) => [d.due, d.reason])).toEqual([
      ['2029-06-29', '交办'],
      ['2029-07-16', '恢复：挂起 11 个工作日'],
    ]);
    // The ladder re-plans on the new dates: milestone 1's 30-day warning on 2029-03-03.
    const ahead = await h.query(upcomingQuery);
    expect(ahead[0]).toMatchObject({ key: 'milestone:1:warning:30@2029-04-02', day: '2029-03-03' });

    await eventually(async () => (await store.ledgerFor(wid)).some((e) => e.type === 'TaskResumed'));
    const ledger = await store.ledgerFor(wid);
    expect(ledger.find((e) => e.type === 'TaskPaused')!.event).toMatchObject({
      by: SUPERVISOR,
      reason: '上级调整建设方案',
      status: 'acknowledged',
    });
    expect(ledger.find((e) => e.type === 'TaskResumed')!.event).toMatchObject({
      pausedOn: '2029-02-05',
      workingDays: 11,
      from: '2029-06-29',
      to: '2029-07-16',
      milestones: [
        { milestone: 1, from: '2029-03-16', to: '2029-04-02' },
        { milestone: 2, from: '2029-06-29', to: '2029-07-16' },
      ],
    });
    await smtp.waitFor((ms) =>
      ms.some((m) => m.subject?.includes(`${plan}/p）`) && m.subject.includes('任务恢复')),
    );

    await h.executeUpdate(TASK_UPDATES.cancel, { args: [{ actor: SUPERVISOR, reason: '并入其他任务' }] });
    expect((await h.result()).status).toBe('cancelled');
  });
});

async function eventually(check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('never happened');
    await new Promise((r) => setTimeout(r, 100));
  }
}
