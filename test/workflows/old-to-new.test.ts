/**
 * A task started on the workflow code from before recording went to local activities finishes on today's:
 * a worker on the older code (a bundle of that commit's workflows/ and domain/, test/fixtures/workflows)
 * runs it to mid-ladder and stops; a worker on the current code replays that history, fires the later
 * rungs and takes the completion. The run keeps its recorded shape to the end (no patch marker, its
 * recording still a remote activity), every step is on one unbroken ledger chain and every mail arrives;
 * a task started after the switch records through local activities.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import path from 'node:path';
import { createMailer } from '../../activities/mailer';
import { addDays, dayOf, taskWorkflowId, type TaskSpec, type TaskState } from '../../domain';
import { taskWorkflow } from '../../workflows';
import { FEWER_WRITES } from '../../workflows/shell';
import {
  acknowledgeUpdate,
  stateQuery,
  submitCompletionUpdate,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { createWorkerActivities } from '../../worker/activities';
import { at9, startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';

const OLD_BUNDLE = path.join(__dirname, '..', 'fixtures', 'workflows', 'before-fewer-writes.js');
const HOUR = 3_600_000;
const LEAD = '区环保局';
const COOP = '区经信局';

let duban: TimeSkippedDuban;
beforeAll(async () => {
  duban = await startTimeSkippedDuban('old-to-new');
});
afterAll(async () => {
  await duban?.teardown();
});

async function eventually<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stateWhen = (h: WorkflowHandle<typeof taskWorkflow>, what: string, pred: (s: TaskState) => boolean) =>
  eventually(what, async () => {
    const s: TaskState = await h.query(stateQuery);
    return pred(s) && s;
  });

type Event = temporal.api.history.v1.IHistoryEvent;
const patchMarkers = (events: Event[]) =>
  events.filter(
    (e) =>
      e.markerRecordedEventAttributes?.markerName === 'core_patch' &&
      Buffer.from(
        e.markerRecordedEventAttributes.details?.['patch-data']?.payloads?.[0]?.data ?? [],
      ).includes(FEWER_WRITES),
  );
const scheduled = (events: Event[], name: string) =>
  events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name).length;
const localActivities = (events: Event[], name: string) =>
  events.filter(
    (e) =>
      e.markerRecordedEventAttributes?.markerName === 'core_local_activity' &&
      Buffer.from(e.markerRecordedEventAttributes.details?.data?.payloads?.[0]?.data ?? []).includes(
        `"activity_type":"${name}"`,
      ),
  ).length;

function workerOn(taskQueue: string, bundle: { codePath: string } | undefined): Promise<Worker> {
  if (!bundle) return duban.createWorker(taskQueue);
  return Worker.create({
    connection: duban.env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    // No sticky queue: the time-skipping server would hold the next workflow task for the stopped worker.
    maxCachedWorkflows: 0,
    activities: createWorkerActivities({
      store: duban.store,
      directory: duban.directory,
      mailer: createMailer({
        smtpUrl: duban.smtp.url,
        from: '督查室 <duban@test.example>',
        dir: path.join(duban.tmp, 'mail'),
      }),
      client: duban.env.client,
      taskQueue,
    }),
  });
}

test('a task started on the older code is warned there, then goes overdue and closes on the current code', async () => {
  const { env, store, smtp } = duban;
  const taskQueue = 'old-to-new';
  const today = dayOf(await env.currentTimeMs());
  const due = addDays(today, 10);
  const spec: TaskSpec = {
    plan: 'old-to-new',
    id: '2-1-1',
    title: '跨版本任务',
    text: '',
    lead: [LEAD],
    cooperating: [COOP],
    due,
  };
  const workflowId = taskWorkflowId(spec);
  const sleepUntil = async (ms: number) => env.sleep(Math.max(0, ms - (await env.currentTimeMs())));
  const mailsAbout = (kind: string) =>
    smtp.messages.filter((m) => m.subject?.includes(kind) && m.subject.includes('跨版本任务'));

  const old = await workerOn(taskQueue, { codePath: OLD_BUNDLE });
  const h = await old.runUntil(async () => {
    const started = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId,
      args: [{ spec }],
    });
    for (const actor of [LEAD, COOP]) await started.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });
    await sleepUntil(at9(addDays(due, -7)) + HOUR);
    await stateWhen(started, '7-day warning', (s) => s.fired.includes(`warning:7@${due}`));
    await smtp.waitFor(() => mailsAbout('预警').length === 1);
    return started;
  });
  const before = (await h.fetchHistory()).events!;
  expect(patchMarkers(before)).toHaveLength(0);

  const current = await workerOn(taskQueue, undefined);
  await current.runUntil(async () => {
    await sleepUntil(at9(addDays(due, -1)) + HOUR);
    await stateWhen(h, '1-day warning', (s) => s.fired.includes(`warning:1@${due}`));
    await sleepUntil(at9(addDays(due, 1)) + HOUR);
    await stateWhen(h, 'overdue', (s) => s.escalation === 'overdue');
    await smtp.waitFor(() => mailsAbout('催办').length === 1);
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已完成' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await h.result()).toMatchObject({ status: 'completed', escalation: 'overdue' });
  });

  // The run kept the shape it was started with: recording stayed an activity after the switch.
  const after = (await h.fetchHistory()).events!;
  expect(patchMarkers(after)).toHaveLength(0);
  expect(scheduled(after, 'recordEvents')).toBeGreaterThan(scheduled(before, 'recordEvents'));
  expect(localActivities(after, 'recordEvents')).toBe(0);

  const ledger = await store.ledgerFor(workflowId);
  expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
  expect(ledger.map((e) => e.type)).toEqual([
    'TaskAssigned',
    'Acknowledged',
    'Acknowledged',
    'WarningIssued',
    'WarningIssued',
    'OverdueNoticed',
    'CompletionSubmitted',
    'CompletionVerified',
  ]);
  // The 7-day warning fired on the older code, the 1-day warning and the overdue notice on the current one.
  expect(ledger.flatMap((e) => (e.event.type === 'WarningIssued' ? [e.event.daysBefore] : []))).toEqual([
    7, 1,
  ]);
  expect(mailsAbout('预警')).toHaveLength(2);
  expect(await store.verifyLedger()).toMatchObject({ ok: true });
  expect((await store.getTask(workflowId))?.status).toBe('completed');
});

test('a task started on the current code records through local activities, behind the patch', async () => {
  const { env, store } = duban;
  const taskQueue = 'old-to-new-fresh';
  const due = addDays(dayOf(await env.currentTimeMs()), 40);
  const spec: TaskSpec = {
    plan: 'old-to-new',
    id: '2-1-2',
    title: '新任务',
    text: '',
    lead: [LEAD],
    cooperating: [],
    due,
  };
  const worker = await workerOn(taskQueue, undefined);
  const h = await worker.runUntil(async () => {
    const started = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId(spec),
      args: [{ spec }],
    });
    await started.executeUpdate(acknowledgeUpdate, { args: [{ actor: LEAD }] });
    await started.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已完成' }] });
    await started.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    await started.result();
    return started;
  });
  const events = (await h.fetchHistory()).events!;
  expect(patchMarkers(events)).toHaveLength(1);
  expect(scheduled(events, 'recordEvents')).toBe(0);
  expect(scheduled(events, 'getCalendar')).toBe(0);
  expect(localActivities(events, 'recordEvents')).toBe(4);
  expect(localActivities(events, 'getCalendar')).toBe(1);
  expect((await store.ledgerFor(taskWorkflowId(spec))).map((e) => e.type)).toEqual([
    'TaskAssigned',
    'Acknowledged',
    'CompletionSubmitted',
    'CompletionVerified',
  ]);
});
