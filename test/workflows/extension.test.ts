/**
 * Extensions (延期), time-skipped on the test server with real activities, a real SQLite store and a
 * real SMTP server: one granted before the due date re-plans the warnings and the overdue notice for the
 * new date and nothing more comes for the old one; one requested after the due date is refused before
 * anything enters the workflow's history or the ledger.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { ParsedMail } from 'mailparser';
import { addDays, dayOf, taskWorkflowId, type TaskSpecInput, type TaskState } from '../../domain';
import { taskWorkflow } from '../../workflows';
import {
  REJECTED,
  acknowledgeUpdate,
  decideExtensionUpdate,
  requestExtensionUpdate,
  stateQuery,
  submitCompletionUpdate,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { addresses, at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { untilIdle } from '../helpers/idle';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => (duban = await startTimeSkippedDuban('extension')));
afterAll(() => duban?.teardown());

const HOUR = 3_600_000;
const { EventType } = temporal.api.enums.v1;
const WORKFLOW_TASK = [
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
];
const email = (dept: string) => duban.directory.departments[dept].email;

/** What a duban mail is, from its subject: 预警30, 催办, 延期申请, … */
function kind(m: ParsedMail): string {
  const s = m.subject ?? '';
  const w = /预警.*?(\d+) 天后到期/.exec(s);
  if (w) return `预警${w[1]}`;
  return /任务交办|催办|延期申请|延期已批准|延期未批准|办结待审核|办结审核通过|签收提醒/.exec(s)?.[0] ?? s;
}

test('an extension granted before the due date re-plans the ladder; one asked for after it is refused', async () => {
  const taskQueue = uniqueId('extension');
  const plan = uniqueId('plan');
  const { env, smtp, store, directory: dir } = duban;
  const worker = await duban.createWorker(taskQueue);
  const sleepUntil = async (ms: number) => env.sleep(Math.max(0, ms - (await env.currentTimeMs())));

  const start = await env.currentTimeMs();
  const today = dayOf(start);
  const due = addDays(today, 60);
  const newDue = addDays(due, 30);
  const lateDue = addDays(today, 10);
  const spec = (id: string, title: string, d: string): TaskSpecInput => ({
    plan,
    id,
    title,
    lead: ['区环保局'],
    cooperating: ['区经信局'],
    due: d,
  });
  const extendedId = taskWorkflowId({ plan, id: 'extended' });
  const lateId = taskWorkflowId({ plan, id: 'late' });
  /** The mails of one task, by its reference in the subject. */
  const mailsOf = (id: string) => smtp.messages.filter((m) => m.subject?.includes(`${plan}/${id}）`));
  const kindsOf = (id: string) => mailsOf(id).map(kind);

  await worker.runUntil(async () => {
    const extended = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: extendedId,
      args: [{ spec: spec('extended', '城区污水管网改造', due) as never }],
    });
    const late = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: lateId,
      args: [{ spec: spec('late', '农村生活污水治理', lateDue) as never }],
    });
    // Both departments acknowledge at once, so no acknowledgement rungs join the story.
    for (const h of [extended, late])
      for (const actor of ['区环保局', '区经信局'])
        await h.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });

    // ── The late task: its due date passes, the overdue notice goes out, then the lead asks. ──
    await sleepUntil(at9(addDays(lateDue, 1)) + HOUR);
    await smtp.waitFor(() => kindsOf('late').includes('催办'));
    const acceptedUpdates = async () =>
      (await late.fetchHistory()).events!.flatMap((e) =>
        e.workflowExecutionUpdateAcceptedEventAttributes
          ? [e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input?.name]
          : [],
      );
    expect(await acceptedUpdates()).toEqual(['acknowledge', 'acknowledge']);
    const historyBefore = (await late.fetchHistory()).events!.length;
    const ledgerBefore = await store.ledgerFor(lateId);

    const err = await late
      .executeUpdate(requestExtensionUpdate, {
        args: [{ actor: '区环保局', to: addDays(lateDue, 30), reason: '资金未到位' }],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(REJECTED);
    expect(cause?.message).toBe(
      `已超过办结期限 ${lateDue}，延期须由督查室决定 / the due date ${lateDue} has passed; only a supervisor can move it now`,
    );
    // Refused by the validator: no accepted update, no new event in the history, nothing on the ledger.
    expect(await acceptedUpdates()).toEqual(['acknowledge', 'acknowledge']);
    // (The test server, unlike a real one, keeps the workflow task that ran the validator: that is all.)
    const added = (await late.fetchHistory()).events!.slice(historyBefore).map((e) => e.eventType);
    expect(added.filter((t) => !WORKFLOW_TASK.includes(t!))).toEqual([]);
    const ledgerAfter = await store.ledgerFor(lateId);
    expect(ledgerAfter).toEqual(ledgerBefore);
    expect(ledgerAfter.map((e) => e.type)).not.toContain('ExtensionRequested');
    const lateState: TaskState = await late.query(stateQuery);
    expect(lateState).toMatchObject({ due: lateDue, dueHistory: [{ due: lateDue }] });
    expect(lateState.extensionRequest).toBeUndefined();
    expect(kindsOf('late')).not.toContain('延期申请');
    // Closed here, so its interview does not join the rest of the story.
    await late.executeUpdate(submitCompletionUpdate, { args: [{ actor: '区环保局', summary: '已完成' }] });
    await late.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });

    // ── The extended task: the 30-day warning for the first date goes out. ──
    await sleepUntil(at9(addDays(due, -30)) - HOUR);
    expect(kindsOf('extended').filter((k) => k.startsWith('预警'))).toEqual([]);
    await sleepUntil(at9(addDays(due, -30)) + HOUR);
    await smtp.waitFor(() => kindsOf('extended').includes('预警30'));

    // Ten days later the lead asks for 30 more days, and the supervisor grants it.
    await sleepUntil(at9(addDays(due, -20)) + HOUR);
    let state: TaskState = await extended.executeUpdate(requestExtensionUpdate, {
      args: [{ actor: '区环保局', to: newDue, reason: '雨季施工受限，管网开挖推迟' }],
    });
    expect(state.extensionRequest).toMatchObject({ by: '区环保局', to: newDue });
    state = await extended.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: 'supervisor', approve: true, note: '同意延期' }],
    });
    expect(state.due).toBe(newDue);
    expect(state.dueHistory.map((h) => h.due)).toEqual([due, newDue]);
    await smtp.waitFor(() => kindsOf('extended').includes('延期已批准'));
    const [asked] = mailsOf('extended').filter((m) => kind(m) === '延期申请');
    expect(addresses(asked)).toEqual(dir.supervisors.map((s) => s.email).sort());
    const [granted] = mailsOf('extended').filter((m) => kind(m) === '延期已批准');
    expect(granted.subject).toContain(newDue);
    expect(addresses(granted)).toEqual([email('区环保局'), email('区经信局')].sort());

    // Past the first date: neither its 7-day nor its 1-day warning nor its overdue notice came; the new
    // date's 30-day warning (due on the first date itself) did.
    await sleepUntil(at9(addDays(due, 1)) + HOUR);
    await smtp.waitFor(() => kindsOf('extended').filter((k) => k === '预警30').length === 2);
    await untilIdle(env.client, extendedId); // any stray mail has arrived by then
    // (Mail goes out beside the ladder: the request's and the grant's may arrive in either order.)
    expect(kindsOf('extended').sort()).toEqual(
      ['任务交办', '预警30', '延期申请', '延期已批准', '预警30'].sort(),
    );
    const secondWarning = mailsOf('extended').filter((m) => kind(m) === '预警30')[1];
    expect(secondWarning.text).toContain(`（${newDue}）到期`);

    // Then the rest of the new date's ladder, each on its day.
    await sleepUntil(at9(addDays(newDue, 1)) + HOUR);
    await smtp.waitFor(() => kindsOf('extended').includes('催办'));
    expect(kindsOf('extended').slice(-4)).toEqual(['预警30', '预警7', '预警1', '催办']);
    expect(kindsOf('extended')).toHaveLength(8);
    const overdue = mailsOf('extended').find((m) => kind(m) === '催办')!;
    expect(overdue.text).toContain(`本任务已于 ${newDue} 到期`);
    expect(addresses(overdue)).toEqual(
      [email('区环保局'), email('区经信局'), ...dir.supervisors.map((s) => s.email)].sort(),
    );

    state = await extended.query(stateQuery);
    expect(state).toMatchObject({ due: newDue, escalation: 'overdue' });
    expect(state.fired).toEqual([
      `warning:30@${due}`,
      `warning:30@${newDue}`,
      `warning:7@${newDue}`,
      `warning:1@${newDue}`,
      `overdue@${newDue}`,
    ]);

    // The ledger: each rung on its day, for the date then in force.
    const ledger = await store.ledgerFor(extendedId);
    const rungs = ledger
      .filter((e) => e.type === 'WarningIssued' || e.type === 'OverdueNoticed')
      .map(({ type, event, at }) => [
        type,
        'daysBefore' in event ? event.daysBefore : undefined,
        'due' in event ? event.due : undefined,
        dayOf(at),
      ]);
    expect(rungs).toEqual([
      ['WarningIssued', 30, due, addDays(due, -30)],
      ['WarningIssued', 30, newDue, due],
      ['WarningIssued', 7, newDue, addDays(newDue, -7)],
      ['WarningIssued', 1, newDue, addDays(newDue, -1)],
      ['OverdueNoticed', undefined, newDue, addDays(newDue, 1)],
    ]);
    expect(ledger.find((e) => e.type === 'ExtensionGranted')?.event).toMatchObject({
      by: 'supervisor',
      from: due,
      to: newDue,
      note: '同意延期',
    });
    expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
    expect(await store.verifyLedger()).toMatchObject({ ok: true });

    await extended.executeUpdate(submitCompletionUpdate, {
      args: [{ actor: '区环保局', summary: '已完成' }],
    });
    await extended.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await extended.result()).toMatchObject({ status: 'completed', due: newDue });
  });
});
