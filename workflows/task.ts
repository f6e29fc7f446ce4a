import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { createAccountabilityActivities } from '../activities/accountability';
import type { createCalendarActivities } from '../activities/calendar';
import type { createInterviewSignalActivities } from '../activities/interview-signal';
import type { createRestrictionActivities } from '../activities/restriction';
import {
  COMMAND_NAMES,
  assign,
  commandFromArgs,
  decide,
  escalate,
  evolve,
  interviewClosingReason,
  isOpen,
  ladderImposeOrder,
  ladderLiftOrder,
  nextEscalation,
  noticesFor,
  plannedRungs,
  resolvePolicy,
  restrictionScope,
  sealRefusal,
  toMillis,
  type CommandName,
  type Notice,
  type TaskCommand,
  type TaskEvent,
  type TaskState,
  type WorkCalendar,
} from '../domain';
import { Serial } from './mutex';
import { changeEffects } from './task-changes';
import { notYetHeld, searchAttributeUpdates } from './search-attributes';
import {
  LOCAL_RECORDING,
  MAIL,
  Outbox,
  RECORDING,
  continueAsNewDue,
  continueAsNewWhenIdle,
  fewerWrites,
  nowIso,
  refuse,
  rungClock,
} from './shell';
import {
  INTERVIEW_WORKFLOW,
  TASK_UPDATES,
  calendarUpdatedSignal,
  interviewClosedSignal,
  interviewEventSignal,
  stateQuery,
  upcomingQuery,
  type InterviewWorkflowInput,
  type TaskWorkflowInput,
} from './task-messages';

type Activities = ReturnType<typeof createActivities> &
  ReturnType<typeof createCalendarActivities> &
  ReturnType<typeof createRestrictionActivities> &
  ReturnType<typeof createAccountabilityActivities> &
  ReturnType<typeof createInterviewSignalActivities>;

const { recordEvents, getCalendar, restrictionSignal, recordAccountability, interviewSignal } =
  proxyActivities<Activities>(RECORDING);
const { sendNotice } = proxyActivities<Activities>(MAIL);
const local = proxyLocalActivities<Activities>(LOCAL_RECORDING);

export async function taskWorkflow(input: TaskWorkflowInput): Promise<TaskState> {
  const { workflowId } = workflowInfo();
  // Histories recorded before it replay their remote activities and per-pass timers (see shell.ts).
  const lean = fewerWrites();
  const record = lean ? local.recordEvents : recordEvents;
  const readCalendar = lean ? local.getCalendar : getCalendar;
  const accountFor = lean ? local.recordAccountability : recordAccountability;
  const policy = resolvePolicy(input.policy, input.spec.policy);
  const serial = new Serial();
  let state = input.carried?.state as TaskState;
  const outbox = new Outbox<Notice>(input.carried?.notices, (notice) =>
    sendNotice({ workflowId, notice, state }),
  );
  // Read before the first rung is planned; handlers are registered first so no early command is lost.
  let calendar: WorkCalendar | undefined = input.carried?.calendar;
  let calendarStale = false;
  /** Set once the task exists and is recorded; commands that came with the start wait for it. */
  let ready = input.carried !== undefined;
  const interviewIdOf = (n: number) =>
    `interview/${input.spec.plan}/${input.spec.id}${input.spec.region ? `/${input.spec.region}` : ''}/${n}`;

  // A task with a key seals what it tells its interview, through an activity (workflow code holds no
  // private key); one without signals it directly, as its history was recorded.
  const tellInterview = async (
    n: number,
    s:
      | { kind: 'event'; payload: { event: TaskEvent; state: TaskState } }
      | { kind: 'closed'; payload: { reason: string } },
  ) => {
    const interviewId = interviewIdOf(n);
    if (input.commandKey !== undefined) await interviewSignal({ interviewId, ...s });
    else if (s.kind === 'event')
      await getExternalWorkflowHandle(interviewId).signal(interviewEventSignal, s.payload);
    else await getExternalWorkflowHandle(interviewId).signal(interviewClosedSignal, s.payload);
  };

  /** What an event sets in motion beyond the task itself: the interview, the region's restrictions. */
  const effects = async (e: TaskEvent) => {
    const scope = restrictionScope(state.spec);
    switch (e.type) {
      case 'InterviewOrdered':
        await startChild(INTERVIEW_WORKFLOW, {
          workflowId: interviewIdOf(e.n),
          args: [
            {
              taskWorkflowId: workflowId,
              state,
              ordered: e,
              commandKey: input.commandKey,
            } satisfies InterviewWorkflowInput,
          ],
          // The interview outlives a continue-as-new of its task.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        return;
      case 'InterviewScheduled':
      case 'InterviewRecorded':
        await tellInterview(e.n, { kind: 'event', payload: { event: e, state } });
        return;
      case 'RestrictionImposed':
        await restrictionSignal({
          region: e.region,
          action: 'impose',
          order: ladderImposeOrder(e, workflowId),
        });
        return;
      case 'RestrictionLifted':
        if (scope)
          await restrictionSignal({
            region: e.region,
            action: 'lift',
            order: ladderLiftOrder(e, workflowId),
          });
        return;
      case 'TaskSplit':
        await changeEffects(e, state, input);
        return;
      case 'CompletionVerified':
      case 'TaskCancelled':
        if (state.interview && !state.interview.recorded)
          await tellInterview(state.interview.n, {
            kind: 'closed',
            payload: { reason: interviewClosingReason(e) },
          });
        return;
    }
  };

  const apply = async (events: TaskEvent[]) => {
    if (events.length === 0) return;
    const before = state;
    for (const e of events) {
      state = evolve(state, e);
      outbox.queued.push(...noticesFor(e, state));
    }
    const held = workflowInfo().typedSearchAttributes;
    let sa = searchAttributeUpdates(before, state);
    if (sa.length > 0 && held.get(sa[0].key) !== undefined) {
      if (lean) sa = notYetHeld(sa, held);
      if (sa.length > 0) upsertSearchAttributes(sa);
    }
    await record({ workflowId, events, state });
    for (const e of events) await effects(e);
  };

  const ctx = () => ({ policy, calendar });
  const runCommand = (cmd: TaskCommand) =>
    serial.run(async () => {
      await condition(() => ready);
      const d = decide(state, cmd, nowIso(), ctx());
      if (!d.ok) refuse(d.rejection);
      await apply(d.events);
      return state;
    });
  const validate = (cmd: TaskCommand) => {
    // A command that arrives with the start is judged by its handler once the task exists.
    if (!ready) return;
    const d = decide(state, cmd, nowIso(), ctx());
    if (!d.ok) refuse(d.rejection);
  };
  // The argument's shape is checked as it arrives (validator) and again by the handler, which also runs
  // for an update admitted before the task existed.
  const commandOf = (type: CommandName, arg: unknown): TaskCommand => {
    const c = commandFromArgs(type, arg);
    if (!c.ok) refuse(c.rejection);
    return c.command;
  };
  // Sealed by duban for this task, this command and this update id: checked before anything else, so an
  // unsealed command never enters history. A run started without a key takes commands as they come.
  const checkSeal = (type: CommandName, arg: unknown, seal: unknown) => {
    if (input.commandKey === undefined) return;
    const f = { workflowId, name: type, updateId: currentUpdateInfo()?.id, payload: arg };
    const r = sealRefusal(input.commandKey, f, seal, nowIso());
    if (r) refuse(r);
  };
  for (const type of COMMAND_NAMES)
    setHandler(
      TASK_UPDATES[type],
      async (arg: unknown, seal?: unknown) => {
        checkSeal(type, arg, seal);
        return runCommand(commandOf(type, arg));
      },
      {
        validator: (arg: unknown, seal?: unknown) => {
          checkSeal(type, arg, seal);
          validate(commandOf(type, arg));
        },
      },
    );
  setHandler(stateQuery, () => state);
  setHandler(upcomingQuery, () => (state ? plannedRungs(state, policy, calendar) : []));
  setHandler(calendarUpdatedSignal, () => {
    calendarStale = true;
  });

  /** Fires the rungs due now; an accountability record first names its persons from the directory. */
  const fireDueRungs = async () => {
    const now = nowIso();
    const events = escalate(state, policy, now, calendar);
    for (const e of events) {
      if (e.type !== 'AccountabilityRecorded') continue;
      const records = await accountFor({
        taskWorkflowId: workflowId,
        spec: state.spec,
        rung: 'accountability',
        reason: e.reason,
        referral: e.referral,
        at: now,
      });
      e.persons = records.map((r) => r.person);
    }
    await apply(events);
  };

  calendar ??= await readCalendar();
  if (!state) await apply(assign(input.spec, nowIso()));
  ready = true;

  const historyFull = () => continueAsNewDue(input.continueAsNewAfterEvents);
  const untilRung = rungClock(lean);

  while (isOpen(state)) {
    outbox.dispatch();
    const seen = state.seq;
    const sendingNow = outbox.inFlight;
    const next = nextEscalation(state, policy, calendar);
    const woken = () =>
      state.seq !== seen || outbox.inFlight !== sendingNow || calendarStale || historyFull();
    const timedOut = await untilRung(next && toMillis(next.at), woken);
    if (calendarStale) {
      calendarStale = false;
      calendar = await readCalendar();
    }
    if (timedOut) await serial.run(fireDueRungs);
    if (historyFull() && isOpen(state))
      // Mail still being sent is carried over; the outbox makes a resend a no-op.
      await continueAsNewWhenIdle<typeof taskWorkflow>(() => [
        { ...input, carried: { state, notices: outbox.queued, calendar } },
      ]);
  }

  outbox.dispatch();
  await outbox.settled();
  await condition(allHandlersFinished);
  return state;
}
