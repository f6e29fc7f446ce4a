/**
 * A task open for years (the plan runs to 2030), time-skipped on the test server with real activities,
 * a real SQLite store and a real SMTP server. A cooperating department that does not acknowledge is
 * reminded every working day, so the history grows and the workflow continues-as-new; every piece of
 * state and every pending rung survives it, the ledger has no gap and no repeat, and three years on the
 * warnings and the overdue notice still come on their days.
 *
 * The server suggests continue-as-new only after thousands of events; the `continueAsNewAfterEvents`
 * test hook asks for it after a few hundred, so the test takes seconds.
 */
import {
  addDays,
  builtinCalendar,
  dayOf,
  nextWorkingDay,
  taskWorkflowId,
  type TaskState,
} from '../../domain';
import { taskWorkflow } from '../../workflows';
import {
  acknowledgeUpdate,
  reportProgressUpdate,
  stateQuery,
  submitCompletionUpdate,
  upcomingQuery,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('long-lived')));
afterAll(() => duban?.teardown());

const HOUR = 3_600_000;
const LEAD = '区环保局';
const COOP = '区经信局';
const cal = builtinCalendar();

test('a task open for years continues-as-new and keeps its state, its pending rungs and its ledger whole', async () => {
  const taskQueue = uniqueId('long-lived');
  const plan = uniqueId('plan');
  const { env, smtp, store } = duban;
  const worker = await duban.createWorker(taskQueue);
  const workflowId = taskWorkflowId({ plan, id: '2-3-1' });
  const sleepUntil = async (ms: number) => env.sleep(Math.max(0, ms - (await env.currentTimeMs())));
  const ledger = () => store.ledgerFor(workflowId);
  const reminderDays = async () =>
    (await ledger()).flatMap((e) => (e.event.type === 'AckReminderSent' ? [e.event.day] : []));

  const start = await env.currentTimeMs();
  const today = dayOf(start);
  const due = addDays(today, 3 * 365);

  await worker.runUntil(async () => {
    const first = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId,
      args: [
        {
          spec: {
            plan,
            id: '2-3-1',
            title: '推进城镇污水处理设施建设',
            text: '',
            lead: [LEAD],
            cooperating: [COOP],
            due,
          },
          continueAsNewAfterEvents: 200,
        },
      ],
    });
    const firstRunId = first.firstExecutionRunId;
    const task = env.client.workflow.getHandle(workflowId); // always the latest run
    await first.executeUpdate(acknowledgeUpdate, { args: [{ actor: LEAD }] });
    await first.executeUpdate(reportProgressUpdate, {
      args: [{ actor: LEAD, note: '已完成选址和可研批复' }],
    });

    // Six weeks of daily reminders to the cooperating department: the history grows past the hook.
    const firstReminder = nextWorkingDay(cal, today).date;
    await sleepUntil(at9(addDays(today, 42)) + HOUR);
    const description = await task.describe();
    expect(description.runId).not.toBe(firstRunId);
    const firstRun = await env.client.workflow.getHandle(workflowId, firstRunId).fetchHistory();
    expect(firstRun.events!.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();

    // Everything from before the continue-as-new is still there.
    let state: TaskState = await task.query(stateQuery);
    const days = await reminderDays();
    expect(days.length).toBeGreaterThan(20);
    expect(days[0]).toBe(firstReminder);
    // One reminder every working day, none missed and none repeated across the continue-as-new.
    days.slice(1).forEach((d, i) => expect(d).toBe(nextWorkingDay(cal, days[i]).date));
    expect(state).toMatchObject({
      status: 'acknowledged',
      due,
      acknowledged: { [LEAD]: expect.any(String) },
      progress: [{ by: LEAD, note: '已完成选址和可研批复' }],
      progressCount: 1,
      ackReminded: { [COOP]: days.at(-1) },
      dueHistory: [{ due }],
      escalation: 'none',
    });
    expect(state.acknowledged[COOP]).toBeUndefined();
    expect(state.fired).toEqual([`ack-alert:${COOP}`]);
    expect(state.seq).toBe((await ledger()).length);

    // The next reminder is still planned, and fires on its day in the new run.
    const next = nextWorkingDay(cal, days.at(-1)!).date;
    expect((await task.query(upcomingQuery))[0]).toMatchObject({
      rung: { kind: 'ackReminder', department: COOP },
      day: next,
    });
    const runBefore = description.runId;
    await sleepUntil(at9(next) + HOUR);
    expect((await reminderDays()).at(-1)).toBe(next);
    // Follow the chain of runs: each but the latest ended by continuing as new.
    const runs = [firstRunId];
    for (;;) {
      const events = (await env.client.workflow.getHandle(workflowId, runs.at(-1)).fetchHistory()).events!;
      const following = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (!following) break;
      runs.push(following);
    }
    expect(runs).toContain(runBefore);
    expect(runs.at(-1)).toBe((await task.describe()).runId);
    expect(runs.length).toBeGreaterThanOrEqual(3);

    // Every reminder reached the SMTP server (a resend across a continue-as-new keeps its Message-ID).
    const reminders = smtp.messages.filter(
      (m) => m.subject?.includes('签收提醒') && m.subject.includes(plan),
    );
    expect(new Set(reminders.map((m) => m.messageId)).size).toBe((await reminderDays()).length);

    // The department acknowledges at last; the task then waits three years for its warnings.
    await task.executeUpdate(acknowledgeUpdate, { args: [{ actor: COOP }] });
    const upcoming = await task.query(upcomingQuery);
    expect(upcoming.map((r) => r.key)).toEqual([
      `warning:30@${due}`,
      `warning:7@${due}`,
      `warning:1@${due}`,
      `overdue@${due}`,
      'interview',
    ]);
    await sleepUntil(at9(addDays(due, 1)) + HOUR);
    await smtp.waitFor((ms) => ms.some((m) => m.subject?.includes('催办') && m.subject.includes(plan)));
    const rungs = (await ledger())
      .filter((e) => e.type === 'WarningIssued' || e.type === 'OverdueNoticed')
      .map((e) => [e.type, dayOf(e.at)]);
    expect(rungs).toEqual([
      ['WarningIssued', addDays(due, -30)],
      ['WarningIssued', addDays(due, -7)],
      ['WarningIssued', addDays(due, -1)],
      ['OverdueNoticed', addDays(due, 1)],
    ]);

    // Completed at last: the final state holds everything since the first run.
    await task.executeUpdate(submitCompletionUpdate, {
      args: [{ actor: LEAD, summary: '污水处理厂已投运' }],
    });
    await task.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    state = await task.result();
    expect(state).toMatchObject({
      status: 'completed',
      acknowledged: { [LEAD]: expect.any(String), [COOP]: expect.any(String) },
      progressCount: 1,
      escalation: 'overdue',
    });
    expect(state.fired).toEqual([
      `ack-alert:${COOP}`,
      `warning:30@${due}`,
      `warning:7@${due}`,
      `warning:1@${due}`,
      `overdue@${due}`,
    ]);

    // The ledger: 1..n without a gap or a repeat, the chain intact, ending where the state ends.
    const entries = await ledger();
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.at(-1)!.seq).toBe(state.seq);
    expect(entries.at(-1)!.type).toBe('CompletionVerified');
    expect(await store.verifyLedger()).toMatchObject({ ok: true });
  });
});
