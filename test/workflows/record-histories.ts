/**
 * Scripted lives, one per branch of the task workflow and its neighbours (the interview child, the
 * region's restriction workflow), run on the time-skipping server with duban's real activities; each
 * returns the histories to save for the replay test. `DUBAN_RECORD_HISTORY=1 npx jest
 * test/workflows/replay` records them all; `DUBAN_RECORD_HISTORY=<name>` records the one that saves it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseCommandKey, type CommandKey } from '../../config/command-key';
import { createMailer } from '../../activities/mailer';
import { createRestrictionActivities } from '../../activities/restriction';
import {
  addDays,
  addWorkingDays,
  atLocalHour,
  builtinCalendar,
  dayOf,
  dutyWorkflowId,
  mergeCalendars,
  nextPeriod,
  periodContaining,
  restrictionWorkflowId,
  sealCommand,
  taskWorkflowId,
  toMillis,
  type ActiveRestriction,
  type DutySpec,
  type TaskSpec,
  type TaskState,
} from '../../domain';
import { dutyWorkflow, restrictionWorkflow, taskWorkflow } from '../../workflows';
import {
  activeRestrictionsQuery,
  imposeRestrictionUpdate,
  liftRestrictionUpdate,
} from '../../workflows/restriction-messages';
import {
  TASK_UPDATES,
  acknowledgeUpdate,
  calendarUpdatedSignal,
  cancelUpdate,
  decideExtensionUpdate,
  interviewEventSignal,
  recordInterviewUpdate,
  requestExtensionUpdate,
  scheduleInterviewUpdate,
  stateQuery,
  submitCompletionUpdate,
  upcomingQuery,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { DIGEST_WORKFLOW, fullDigestWorkflowId, type FullDigestInput } from '../../workflows/digest-messages';
import { at9, type TimeSkippedDuban } from '../helpers/duban-env';
import { CARD_WORKFLOW_IDS, recordCardRedLifted } from './record-card-history';
import {
  INDICATOR_WORKFLOW_IDS,
  recordIndicatorYear,
  recordIndicatorYearV2,
} from './record-indicator-history';
import { recordTaskChanges } from './record-task-changes';

type History = temporal.api.history.v1.IHistory;
/**
 * The shape the task, interview and region workflows record today: v2 since recording went to local
 * activities (workflows/shell.ts, FEWER_WRITES). The v1 files stay as the older code recorded them.
 */
const V = 'v2';
/** The histories one recording saves, by file name without `.history.pb`. */
export type Recorded = Record<string, History>;
export type Recording = (duban: TimeSkippedDuban) => Promise<Recorded>;

const HOUR = 3_600_000;
const LEAD = '区环保局';
const COOP = '区经信局';

/** Polls until `check` returns something truthy (signals and mail are handled asynchronously). */
async function eventually<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function clock(duban: TimeSkippedDuban) {
  const { env } = duban;
  return {
    /** Skips time to `ms`, then waits for the workflows to catch up with what came due. */
    sleepUntil: async (ms: number) => env.sleep(Math.max(0, ms - (await env.currentTimeMs()))),
    today: async () => dayOf(await env.currentTimeMs()),
  };
}

const stateOf = (h: WorkflowHandle<typeof taskWorkflow>): Promise<TaskState> => h.query(stateQuery);
const stateWhen = (h: WorkflowHandle<typeof taskWorkflow>, what: string, pred: (s: TaskState) => boolean) =>
  eventually(what, async () => {
    const s = await stateOf(h);
    return pred(s) && s;
  });

function spec(id: string, title: string, due: string, extra: Partial<TaskSpec> = {}): TaskSpec {
  return { plan: 'record', id, title, text: '', lead: [LEAD], cooperating: [COOP], due, ...extra };
}

async function acknowledgeAll(h: WorkflowHandle<typeof taskWorkflow>) {
  for (const actor of [LEAD, COOP]) await h.executeUpdate(acknowledgeUpdate, { args: [{ actor }] });
}

/** Overdue, then 30 days on the interview (约谈) is ordered; scheduled, recorded, then verified. */
export const recordInterview: Recording = async (duban) => {
  const { env } = duban;
  const { sleepUntil, today } = clock(duban);
  const taskQueue = 'record-interview';
  const worker = await duban.createWorker(taskQueue);
  const due = addDays(await today(), 10);
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: '3-1-1' }),
      args: [{ spec: spec('3-1-1', '约谈记录', due) }],
    });
    await acknowledgeAll(h);
    await sleepUntil(at9(addDays(due, 30)) + HOUR);
    const ordered = await stateWhen(h, 'interview ordered', (s) => s.escalation === 'interview');
    const interviewId = `interview/record/3-1-1/${ordered.interview!.n}`;
    await h.executeUpdate(scheduleInterviewUpdate, {
      args: [{ actor: 'supervisor', at: `${addDays(due, 32)} 09:30`, place: '区政府第三会议室' }],
    });
    await sleepUntil(at9(addDays(due, 32)) + 2 * HOUR);
    await h.executeUpdate(recordInterviewUpdate, {
      args: [{ actor: 'supervisor', attendees: ['区环保局局长'], opinions: '限期完成整改' }],
    });
    const interview = env.client.workflow.getHandle(interviewId);
    expect(await interview.result()).toEqual({ outcome: 'recorded' });
    await sleepUntil(at9(addDays(due, 35)) + HOUR);
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已整改' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await h.result()).toMatchObject({ status: 'completed', escalation: 'interview' });
    return {
      [`task-interview-${V}`]: await h.fetchHistory(),
      [`interview-${V}`]: await interview.fetchHistory(),
    };
  });
};

/**
 * A task with a restriction scope: the interview is ordered and never held, 限批 on its region and
 * sector, 追责 naming persons; verified late, it lifts the restriction and closes the interview.
 */
export const recordRestriction: Recording = async (duban) => {
  const { env } = duban;
  const { sleepUntil, today } = clock(duban);
  const taskQueue = 'record-restriction';
  const worker = await duban.createWorker(taskQueue);
  const due = addDays(await today(), 10);
  const region = '泥沟镇';
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: '2-1-5', region }),
      args: [{ spec: spec('2-1-5', '限批追责', due, { region, restriction: { sector: '造纸' } }) }],
    });
    await acknowledgeAll(h);
    await sleepUntil(at9(addDays(due, 30)) + HOUR);
    const ordered = await stateWhen(h, 'interview ordered', (s) => s.escalation === 'interview');
    const rect = ordered.interview!.rectificationDue;
    const interviewId = `interview/record/2-1-5/${region}/${ordered.interview!.n}`;
    await sleepUntil(at9(addDays(rect, 1)) + HOUR);
    await stateWhen(h, 'restriction imposed', (s) => s.escalation === 'restriction');
    const restriction = env.client.workflow.getHandle(restrictionWorkflowId(region));
    await eventually('restriction in force', async () => {
      const a: ActiveRestriction[] = await restriction.query(activeRestrictionsQuery);
      return a.length === 1;
    });
    await sleepUntil(at9(addDays(rect, 30)) + HOUR);
    await stateWhen(h, 'accountability recorded', (s) => s.escalation === 'accountability');
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已整改' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await h.result()).toMatchObject({
      status: 'completed',
      restriction: { liftedAt: expect.any(String) },
    });
    const interview = env.client.workflow.getHandle(interviewId);
    expect(await interview.result()).toEqual({ outcome: '任务已办结' });
    await eventually('restriction lifted', async () => {
      const a: ActiveRestriction[] = await restriction.query(activeRestrictionsQuery);
      return a.length === 0;
    });
    return {
      [`task-restriction-${V}`]: await h.fetchHistory(),
      [`interview-closed-${V}`]: await interview.fetchHistory(),
    };
  });
};

/** Daily reminders to a department that never acknowledges grow the history until it continues-as-new. */
export const recordContinueAsNew: Recording = async (duban) => {
  const { env } = duban;
  const { sleepUntil, today } = clock(duban);
  const taskQueue = 'record-continue-as-new';
  const worker = await duban.createWorker(taskQueue);
  const start = await today();
  const due = addDays(start, 3 * 365);
  const workflowId = taskWorkflowId({ plan: 'record', id: '2-3-1' });
  return worker.runUntil(async () => {
    const first = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId,
      args: [{ spec: spec('2-3-1', '长期任务', due), continueAsNewAfterEvents: 200 }],
    });
    await first.executeUpdate(acknowledgeUpdate, { args: [{ actor: LEAD }] });
    await sleepUntil(at9(addDays(start, 42)) + HOUR);
    const latest = env.client.workflow.getHandle<typeof taskWorkflow>(workflowId);
    const second = await eventually('continued as new', async () => {
      const d = await latest.describe();
      return d.runId !== first.firstExecutionRunId && d.runId;
    });
    // The new run acknowledges, is warned, and closes.
    await latest.executeUpdate(acknowledgeUpdate, { args: [{ actor: COOP }] });
    await sleepUntil(at9(addDays(due, -30)) + HOUR);
    await stateWhen(latest, '30-day warning', (s) => s.fired.some((f) => f.startsWith('warning:30')));
    await latest.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已建成' }] });
    await latest.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await latest.result()).toMatchObject({ status: 'completed' });
    const firstRun = await env.client.workflow
      .getHandle(workflowId, first.firstExecutionRunId)
      .fetchHistory();
    expect(firstRun.events!.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    return {
      [`task-continue-as-new-${V}`]: firstRun,
      [`task-continue-as-new-run2-${V}`]: await env.client.workflow
        .getHandle(workflowId, second)
        .fetchHistory(),
    };
  });
};

// A made-up 2029 calendar: the first week of July off (as in calendar-replan.test.ts).
const TEST_2029 = {
  year: 2029,
  holidays: ['2029-07-02', '2029-07-03', '2029-07-04', '2029-07-05', '2029-07-06'],
  workdays: [],
};

/** A provisional rectification due date, counted again once the calendarUpdated signal comes. */
export const recordCalendar: Recording = async (duban) => {
  const { env, store } = duban;
  const { sleepUntil } = clock(duban);
  const taskQueue = 'record-calendar';
  const worker = await duban.createWorker(taskQueue);
  const due = '2029-05-31';
  const interviewDay = addDays(due, 30);
  const published = addWorkingDays(mergeCalendars(builtinCalendar(), TEST_2029), interviewDay, 20);
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: 'replan' }),
      args: [{ spec: spec('replan', '重新计算整改期限', due, { lead: ['区水务局'], cooperating: [] }) }],
    });
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: '区水务局' }] });
    await sleepUntil(toMillis(atLocalHour(interviewDay, 9)) + 60_000);
    await stateWhen(h, 'provisional interview', (s) => s.interview?.provisional === true);
    await store.saveCalendarYear(TEST_2029, 'record calendar');
    await h.signal(calendarUpdatedSignal);
    await eventually('re-planned', async () => {
      const [next] = await h.query(upcomingQuery);
      return next?.day === addDays(published.date, 1) && !next.provisional;
    });
    await sleepUntil(toMillis(atLocalHour(addDays(published.date, 1), 9)) + 60_000);
    await stateWhen(h, 'accountability', (s) => s.escalation === 'accountability');
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: '区水务局', summary: '已整改' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    await h.result();
    return { [`task-calendar-${V}`]: await h.fetchHistory() };
  });
};

/** An extension asked for and granted, a second asked for and denied, then a supervisor moves the date. */
export const recordExtension: Recording = async (duban) => {
  const { env } = duban;
  const { sleepUntil, today } = clock(duban);
  const taskQueue = 'record-extension';
  const worker = await duban.createWorker(taskQueue);
  const due = addDays(await today(), 60);
  const newDue = addDays(due, 30);
  const movedDue = addDays(newDue, 20);
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: '2-2-4' }),
      args: [{ spec: spec('2-2-4', '延期', due) }],
    });
    await acknowledgeAll(h);
    await sleepUntil(at9(addDays(due, -30)) + HOUR);
    await stateWhen(h, '30-day warning', (s) => s.fired.length === 1);
    await sleepUntil(at9(addDays(due, -20)) + HOUR);
    await h.executeUpdate(requestExtensionUpdate, {
      args: [{ actor: LEAD, to: newDue, reason: '雨季施工受限' }],
    });
    await h.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: 'supervisor', approve: true, note: '同意延期' }],
    });
    await sleepUntil(at9(addDays(newDue, -7)) + HOUR);
    await stateWhen(h, '7-day warning', (s) => s.fired.includes(`warning:7@${newDue}`));
    await h.executeUpdate(requestExtensionUpdate, {
      args: [{ actor: LEAD, to: addDays(newDue, 60), reason: '资金未到位' }],
    });
    await h.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: 'supervisor', approve: false, note: '理由不充分' }],
    });
    await sleepUntil(at9(addDays(newDue, 1)) + HOUR);
    await stateWhen(h, 'overdue', (s) => s.escalation === 'overdue');
    // Past the due date only the supervisor can move it, without a request.
    const moved = await h.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: 'supervisor', approve: true, to: movedDue, note: '经领导同意调整期限' }],
    });
    expect(moved.dueHistory.map((d) => d.due)).toEqual([due, newDue, movedDue]);
    await sleepUntil(at9(addDays(movedDue, -1)) + HOUR);
    await stateWhen(h, '1-day warning', (s) => s.fired.includes(`warning:1@${movedDue}`));
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已完成' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await h.result()).toMatchObject({ status: 'completed', due: movedDue });
    return { [`task-extension-${V}`]: await h.fetchHistory() };
  });
};

/**
 * A region's restriction workflow: imposed by the ladder's signal-with-start, a supervisor's impose and
 * lift by update (mailed to leadership), the ladder's lift, then signals until it continues-as-new.
 */
export const recordRestrictionEntity: Recording = async (duban) => {
  const { env } = duban;
  const taskQueue = 'record-restriction-entity';
  const worker = await duban.createWorker(taskQueue);
  const acts = createRestrictionActivities({
    store: duban.store,
    client: env.client,
    taskQueue,
    directory: duban.directory,
    mailer: createMailer({
      smtpUrl: duban.smtp.url,
      from: '督查室 <duban@test.example>',
      dir: path.join(duban.tmp, 'mail'),
    }),
  });
  const region = '涧头集镇';
  const workflowId = restrictionWorkflowId(region);
  const order = (task: string, sector: string) => ({
    sector,
    reason: '整改期限已过，仍未完成整改',
    by: 'ladder',
    taskWorkflowId: `task/record/${task}/${region}`,
  });
  return worker.runUntil(async () => {
    const first = await env.client.workflow.start(restrictionWorkflow, {
      taskQueue,
      workflowId,
      args: [{ region, continueAsNewAfter: 60 }],
    });
    const active = (): Promise<ActiveRestriction[]> => first.query(activeRestrictionsQuery);
    const activeCount = (n: number) => eventually(`${n} in force`, async () => (await active()).length === n);
    await acts.restrictionSignal({ region, action: 'impose', order: order('2-1-3', '涉水') });
    await activeCount(1);
    await first.executeUpdate(imposeRestrictionUpdate, {
      args: [{ actor: 'supervisor', sector: '造纸', reason: '群众举报偷排' }],
    });
    await first.executeUpdate(liftRestrictionUpdate, {
      args: [{ actor: 'supervisor', sector: '造纸', reason: '已完成整改，经现场核查' }],
    });
    await acts.restrictionSignal({
      region,
      action: 'lift',
      order: { taskWorkflowId: `task/record/2-1-3/${region}`, reason: '任务办结审核通过', by: 'ladder' },
    });
    await activeCount(0);
    await duban.smtp.waitFor((ms) => ms.filter((m) => m.subject?.includes(region)).length === 2);
    // One sector at a time, so the history fills in the same steps each time it is recorded.
    for (let i = 1; i <= 20; i++) {
      const d = await env.client.workflow.getHandle(workflowId).describe();
      if (d.runId !== first.firstExecutionRunId) break;
      await acts.restrictionSignal({ region, action: 'impose', order: order(`行业${i}`, `行业${i}`) });
      await eventually(`行业${i} in force`, async () => {
        const a: ActiveRestriction[] = await env.client.workflow
          .getHandle(workflowId)
          .query(activeRestrictionsQuery);
        return a.some((r) => r.sector === `行业${i}`);
      });
    }
    const firstRun = await env.client.workflow.getHandle(workflowId, first.firstExecutionRunId).describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    return {
      [`restriction-entity-${V}`]: await env.client.workflow
        .getHandle(workflowId, first.firstExecutionRunId)
        .fetchHistory(),
    };
  });
};

const SIGNED_REGION = '马兰屯镇';
/**
 * The workflow id a history must be replayed under, where it matters: a seal names its workflow, so a
 * sealed history replayed under another id would refuse its own commands.
 */
export const WORKFLOW_IDS: Record<string, string> = {
  ...Object.fromEntries(
    ['v1', V].flatMap((v) => [
      [`task-signed-${v}`, taskWorkflowId({ plan: 'record', id: '2-1-6', region: SIGNED_REGION })],
      [`restriction-signed-${v}`, restrictionWorkflowId(SIGNED_REGION)],
      [`interview-signed-${v}`, `interview/record/2-1-6/${SIGNED_REGION}/1`],
    ]),
  ),
  'digest-daily-v1': 'record-digest-daily',
  'digest-full-v1': fullDigestWorkflowId('2027-03-01', 1),
  ...INDICATOR_WORKFLOW_IDS,
  ...CARD_WORKFLOW_IDS,
  'duty-quarterly-v1': dutyWorkflowId({ plan: 'record', id: '2-3-6' }),
  'duty-quarterly-run2-v1': dutyWorkflowId({ plan: 'record', id: '2-3-6' }),
};

/** A fresh key for one recording (its public half is in the history it records). */
function freshKey(): CommandKey {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' });
  return parseCommandKey(String(pem), 'recording');
}

/**
 * The restriction life with a command key, as duban starts tasks now: every update sealed (with the test
 * server's time), the ladder's signals to the region sealed by its activity, and an unsealed `cancel`
 * refused on the way without a trace in the history.
 */
export const recordSigned: Recording = async (duban) => {
  const { env } = duban;
  const { sleepUntil, today } = clock(duban);
  const taskQueue = 'record-signed';
  const key = freshKey();
  const worker = await duban.createWorker(taskQueue, { commandKey: key });
  const due = addDays(await today(), 10);
  const region = SIGNED_REGION;
  const workflowId = WORKFLOW_IDS[`task-signed-${V}`];
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId,
      args: [
        {
          spec: spec('2-1-6', '签名命令', due, { region, restriction: { sector: '化工' } }),
          commandKey: key.publicKey,
        },
      ],
    });
    const sealed = async <A extends object>(
      def: { name: string },
      payload: A,
    ): Promise<{ args: [A, ReturnType<typeof sealCommand>]; updateId: string }> => {
      const updateId = randomUUID();
      const at = new Date(await env.currentTimeMs()).toISOString();
      return {
        args: [payload, sealCommand(key.sign, { workflowId, name: def.name, updateId, payload }, at)],
        updateId,
      };
    };
    for (const actor of [LEAD, COOP])
      await h.executeUpdate(acknowledgeUpdate, await sealed(acknowledgeUpdate, { actor }));
    await expect(
      h.executeUpdate(cancelUpdate, { args: [{ actor: 'supervisor', reason: '伪造' }] }),
    ).rejects.toThrow();
    await sleepUntil(at9(addDays(due, 30)) + HOUR);
    const ordered = await stateWhen(h, 'interview ordered', (s) => s.escalation === 'interview');
    const rect = ordered.interview!.rectificationDue;
    const interview = env.client.workflow.getHandle(
      `interview/record/2-1-6/${region}/${ordered.interview!.n}`,
    );
    await h.executeUpdate(
      scheduleInterviewUpdate,
      await sealed(scheduleInterviewUpdate, {
        actor: 'supervisor',
        at: `${addDays(due, 32)} 09:30`,
        place: '区政府第三会议室',
      }),
    );
    // A forged step sent to the interview directly: dropped, so no summons goes out for it.
    await interview.signal(interviewEventSignal, {
      event: { ...ordered.interview!, type: 'InterviewScheduled', place: '伪造' } as never,
      state: ordered,
    });
    await sleepUntil(at9(addDays(rect, 1)) + HOUR);
    await stateWhen(h, 'restriction imposed', (s) => s.escalation === 'restriction');
    const restriction = env.client.workflow.getHandle(restrictionWorkflowId(region));
    await eventually('restriction in force', async () => {
      const a: ActiveRestriction[] = await restriction.query(activeRestrictionsQuery);
      return a.length === 1;
    });
    await h.executeUpdate(
      submitCompletionUpdate,
      await sealed(submitCompletionUpdate, { actor: LEAD, summary: '已整改' }),
    );
    await h.executeUpdate(
      verifyCompletionUpdate,
      await sealed(verifyCompletionUpdate, { actor: 'supervisor' }),
    );
    expect(await h.result()).toMatchObject({
      status: 'completed',
      restriction: { liftedAt: expect.any(String) },
    });
    await eventually('restriction lifted', async () => {
      const a: ActiveRestriction[] = await restriction.query(activeRestrictionsQuery);
      return a.length === 0;
    });
    expect(await interview.result()).toEqual({ outcome: '任务已办结' });
    expect(JSON.stringify(duban.smtp.messages)).toContain('区政府第三会议室');
    expect(JSON.stringify(duban.smtp.messages)).not.toContain('伪造');
    return {
      [`task-signed-${V}`]: await h.fetchHistory(),
      [`restriction-signed-${V}`]: await restriction.fetchHistory(),
      [`interview-signed-${V}`]: await interview.fetchHistory(),
    };
  });
};

/** Every recording, by the names of the histories it saves. */
/** An overdue task in the store, so that a digest has something to mail. */
async function overdueTask(duban: TimeSkippedDuban): Promise<void> {
  const today = dayOf(await duban.env.currentTimeMs());
  await duban.store.upsertTask({
    workflowId: taskWorkflowId({ plan: 'record', id: '9-1-1' }),
    plan: 'record',
    taskId: '9-1-1',
    title: '摘要记录',
    lead: [LEAD],
    cooperating: [],
    status: 'acknowledged',
    due: addDays(today, -10),
    escalation: 'overdue',
    acknowledged: [LEAD],
    assignedAt: '2026-01-01T01:00:00.000Z',
    updatedAt: '2026-01-01T01:00:00.000Z',
    seq: 3,
  });
}

/** A run as the daily schedule starts it: by name, with no input. */
export const recordDigestDaily: Recording = async (duban) => {
  const taskQueue = 'record-digest-daily';
  const worker = await duban.createWorker(taskQueue);
  await overdueTask(duban);
  return worker.runUntil(async () => {
    const h = await duban.env.client.workflow.start(DIGEST_WORKFLOW, {
      taskQueue,
      workflowId: WORKFLOW_IDS['digest-daily-v1'],
      args: [],
    });
    expect(await h.result()).toEqual({ items: 1, sent: true });
    return { 'digest-daily-v1': await h.fetchHistory() };
  });
};

/** A one-off run for the full list, as `duban digest --send` starts it. */
export const recordDigestFull: Recording = async (duban) => {
  const taskQueue = 'record-digest-full';
  const worker = await duban.createWorker(taskQueue);
  await overdueTask(duban);
  return worker.runUntil(async () => {
    const input: FullDigestInput = { full: true, day: '2027-03-01', n: 1 };
    const h = await duban.env.client.workflow.start(DIGEST_WORKFLOW, {
      taskQueue,
      workflowId: WORKFLOW_IDS['digest-full-v1'],
      args: [input],
    });
    expect(await h.result()).toMatchObject({ sent: true });
    return { 'digest-full-v1': await h.fetchHistory() };
  });
};

/** Two milestones: the first missed (its own warnings and 催办), reported and verified; the second sent back once. */
export const recordMilestones: Recording = async (duban) => {
  const { env } = duban;
  const { sleepUntil, today } = clock(duban);
  const taskQueue = 'record-milestones';
  const worker = await duban.createWorker(taskQueue);
  const first = addDays(await today(), 20);
  const due = addDays(await today(), 90);
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: '2-3-6' }),
      args: [
        {
          spec: spec('2-3-6', '里程碑', due, {
            milestones: [
              { due: first, title: '建成设施' },
              { due, title: '稳定运行' },
            ],
          }),
        },
      ],
    });
    await acknowledgeAll(h);
    await sleepUntil(at9(addDays(first, 1)) + HOUR);
    await stateWhen(h, 'milestone overdue', (s) => s.fired.includes(`milestone:1:overdue@${first}`));
    await h.executeUpdate(TASK_UPDATES.reportMilestone, {
      args: [{ actor: LEAD, milestone: 1, note: '已建成' }],
    });
    await h.executeUpdate(TASK_UPDATES.verifyMilestone, { args: [{ actor: 'supervisor', milestone: 1 }] });
    await h.executeUpdate(TASK_UPDATES.reportMilestone, {
      args: [{ actor: LEAD, milestone: 2, note: '运行' }],
    });
    await h.executeUpdate(TASK_UPDATES.rejectMilestone, {
      args: [{ actor: 'supervisor', milestone: 2, reason: '数据不全' }],
    });
    await h.executeUpdate(TASK_UPDATES.reportMilestone, {
      args: [{ actor: LEAD, milestone: 2, note: '补全' }],
    });
    await h.executeUpdate(TASK_UPDATES.verifyMilestone, { args: [{ actor: 'supervisor', milestone: 2 }] });
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已完成' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await h.result()).toMatchObject({ status: 'completed' });
    return { [`task-milestones-${V}`]: await h.fetchHistory() };
  });
};

/** Paused before a warning was due, held through it, resumed: the dates move by the working days paused. */
export const recordPause: Recording = async (duban) => {
  const { env } = duban;
  const { sleepUntil, today } = clock(duban);
  const taskQueue = 'record-pause';
  const worker = await duban.createWorker(taskQueue);
  const due = addDays(await today(), 60);
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: '2-5-1' }),
      args: [{ spec: spec('2-5-1', '挂起', due) }],
    });
    await acknowledgeAll(h);
    await sleepUntil(at9(addDays(due, -40)) + HOUR);
    await h.executeUpdate(TASK_UPDATES.pause, { args: [{ actor: 'supervisor', reason: '方案调整' }] });
    await sleepUntil(at9(addDays(due, -20)) + HOUR);
    const resumed = await h.executeUpdate(TASK_UPDATES.resume, { args: [{ actor: 'supervisor' }] });
    expect(resumed.due > due).toBe(true);
    await sleepUntil(at9(addDays(resumed.due, -7)) + HOUR);
    await stateWhen(h, '7-day warning', (s) => s.fired.includes(`warning:7@${resumed.due}`));
    await h.executeUpdate(cancelUpdate, { args: [{ actor: 'supervisor', reason: '并入其他任务' }] });
    expect(await h.result()).toMatchObject({ status: 'cancelled' });
    return { [`task-pause-${V}`]: await h.fetchHistory() };
  });
};

/**
 * A recurring duty over two quarters: the first run waits for its quarter, opens the occurrence through
 * its activity and continues-as-new; the second opens the last quarter's and ends with the plan.
 */
export const recordDuty: Recording = async (duban) => {
  const { env } = duban;
  const { today } = clock(duban);
  const taskQueue = 'record-duty';
  const worker = await duban.createWorker(taskQueue);
  const q1 = nextPeriod('quarter', periodContaining('quarter', await today()));
  const q2 = nextPeriod('quarter', q1);
  const dutySpec: DutySpec = {
    plan: 'record',
    id: '2-3-6',
    title: '每季度公开饮水安全状况',
    text: '',
    lead: [LEAD],
    cooperating: [COOP],
    every: 'quarter',
    from: q1.start,
    until: q2.end,
  };
  const workflowId = WORKFLOW_IDS['duty-quarterly-v1'];
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(dutyWorkflow, {
      taskQueue,
      workflowId,
      args: [{ spec: dutySpec }],
    });
    expect(await h.result()).toMatchObject({ last: { period: q2.label }, runs: 2 });
    const firstRun = await env.client.workflow.getHandle(workflowId, h.firstExecutionRunId).fetchHistory();
    expect(firstRun.events!.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    return {
      'duty-quarterly-v1': firstRun,
      'duty-quarterly-run2-v1': await env.client.workflow.getHandle(workflowId).fetchHistory(),
    };
  });
};

/** Two leadership instructions (领导批示), the second raising the priority; overdue, then verified. */
export const recordInstruct: Recording = async (duban) => {
  const { env } = duban;
  const { sleepUntil, today } = clock(duban);
  const taskQueue = 'record-instruct';
  const worker = await duban.createWorker(taskQueue);
  const due = addDays(await today(), 20);
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: '2-6-1' }),
      args: [{ spec: spec('2-6-1', '领导批示', due) }],
    });
    await acknowledgeAll(h);
    await h.executeUpdate(TASK_UPDATES.instruct, { args: [{ actor: 'leadership', text: '请关注进度。' }] });
    await h.executeUpdate(TASK_UPDATES.instruct, {
      args: [{ actor: 'leadership', text: '请抓紧，列为重点。', priority: 'high' }],
    });
    await sleepUntil(at9(addDays(due, 1)) + HOUR);
    await stateWhen(h, 'overdue', (s) => s.fired.includes(`overdue@${due}`));
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: LEAD, summary: '已完成' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await h.result()).toMatchObject({ status: 'completed', priority: 'high' });
    return { [`task-instruct-${V}`]: await h.fetchHistory() };
  });
};

/** A 经办人's completion returned, then approved by the 分管领导 (in-department approval), then verified. */
export const recordApproval: Recording = async (duban) => {
  const { env } = duban;
  const { today } = clock(duban);
  const taskQueue = 'record-approval';
  const worker = await duban.createWorker(taskQueue);
  const due = addDays(await today(), 20);
  return worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, {
      taskQueue,
      workflowId: taskWorkflowId({ plan: 'record', id: '2-6-2' }),
      args: [{ spec: spec('2-6-2', '分管领导审核', due) }],
    });
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: LEAD, person: '张三' }] });
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: COOP }] });
    const submit = () =>
      h.executeUpdate(submitCompletionUpdate, {
        args: [{ actor: LEAD, person: '张三', approver: '王五', summary: '已完成' }],
      });
    await submit();
    await h.executeUpdate(TASK_UPDATES.returnCompletion, {
      args: [{ actor: LEAD, person: '王五', reason: '缺照片' }],
    });
    await submit();
    await h.executeUpdate(TASK_UPDATES.approveCompletion, { args: [{ actor: LEAD, person: '王五' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await h.result()).toMatchObject({ status: 'completed' });
    return { [`task-approval-${V}`]: await h.fetchHistory() };
  });
};

export const RECORDINGS: Record<string, Recording> = {
  [`task-approval-${V}`]: recordApproval,
  [`task-instruct-${V}`]: recordInstruct,
  [`task-milestones-${V}`]: recordMilestones,
  [`task-pause-${V}`]: recordPause,
  [`task-interview-${V}`]: recordInterview,
  [`task-restriction-${V}`]: recordRestriction,
  [`task-continue-as-new-${V}`]: recordContinueAsNew,
  [`task-calendar-${V}`]: recordCalendar,
  [`task-extension-${V}`]: recordExtension,
  [`restriction-entity-${V}`]: recordRestrictionEntity,
  [`task-signed-${V}`]: recordSigned,
  'duty-quarterly-v1': recordDuty,
  'digest-daily-v1': recordDigestDaily,
  'digest-full-v1': recordDigestFull,
  'indicator-year-v1': recordIndicatorYear,
  'indicator-year-v2': recordIndicatorYearV2,
  'task-change-v2': recordTaskChanges,
  'card-red-lifted-v1': recordCardRedLifted,
};
