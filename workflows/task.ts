import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  EscalationPolicy,
  assign,
  decide,
  escalate,
  evolve,
  isOpen,
  nextEscalation,
  noticesFor,
  rejectionMessage,
  toMillis,
  type Notice,
  type Rejection,
  type TaskCommand,
  type TaskEvent,
  type TaskState,
} from '../domain';
import { commandFromArgs } from './command-args';
import { Serial } from './mutex';
import { searchAttributeUpdates } from './search-attributes';
import {
  REJECTED,
  acknowledgeUpdate,
  cancelUpdate,
  rejectCompletionUpdate,
  reportProgressUpdate,
  stateQuery,
  submitCompletionUpdate,
  verifyCompletionUpdate,
  type TaskWorkflowInput,
} from './task-messages';

type Activities = ReturnType<typeof createActivities>;

// Recording must not give up: a task's history is only as good as its ledger.
const { recordEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { sendNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

function refuse(r: Rejection): never {
  throw ApplicationFailure.create({
    type: REJECTED,
    message: rejectionMessage(r),
    nonRetryable: true,
    details: [r],
  });
}

const nowIso = () => new Date().toISOString();

export async function taskWorkflow(input: TaskWorkflowInput): Promise<TaskState> {
  const { workflowId } = workflowInfo();
  const policy = EscalationPolicy.parse(input.policy ?? {});
  const serial = new Serial();
  const queued: Notice[] = [...(input.carried?.notices ?? [])];
  const sending = new Map<string, Promise<void>>();
  let state = input.carried?.state as TaskState;

  const apply = async (events: TaskEvent[]) => {
    if (events.length === 0) return;
    const before = state;
    for (const e of events) {
      state = evolve(state, e);
      queued.push(...noticesFor(e, state));
    }
    const sa = searchAttributeUpdates(before, state);
    if (sa.length > 0 && workflowInfo().typedSearchAttributes.get(sa[0].key) !== undefined)
      upsertSearchAttributes(sa);
    await recordEvents({ workflowId, events, state });
  };

  // Mail goes out beside the ladder, not in its way: a slow or absent SMTP server holds up nothing.
  const dispatchNotices = () => {
    for (const notice of queued) {
      if (sending.has(notice.key)) continue;
      const p = sendNotice({ workflowId, notice, state })
        .then(() => {
          queued.splice(queued.indexOf(notice), 1);
        })
        .catch((err: unknown) => log.error('notice not sent', { key: notice.key, err: String(err) }))
        .finally(() => sending.delete(notice.key));
      sending.set(notice.key, p);
    }
  };

  const runCommand = (cmd: TaskCommand) =>
    serial.run(async () => {
      const d = decide(state, cmd, nowIso());
      if (!d.ok) refuse(d.rejection);
      await apply(d.events);
      return state;
    });
  const validate = (cmd: TaskCommand) => {
    if (!state)
      refuse({
        code: 'starting',
        zh: '任务正在创建，请稍后再试',
        en: 'the task is still being created; try again',
      });
    const d = decide(state, cmd, nowIso());
    if (!d.ok) refuse(d.rejection);
  };
  const command = <A>(type: TaskCommand['type']) => ({
    handler: (arg: A) => runCommand(commandFromArgs(type, arg)),
    validator: (arg: A) => {
      const cmd = commandFromArgs(type, arg);
      validate(cmd);
    },
  });
  for (const [def, type] of [
    [acknowledgeUpdate, 'acknowledge'],
    [reportProgressUpdate, 'reportProgress'],
    [submitCompletionUpdate, 'submitCompletion'],
    [verifyCompletionUpdate, 'verifyCompletion'],
    [rejectCompletionUpdate, 'rejectCompletion'],
    [cancelUpdate, 'cancel'],
  ] as const) {
    const c = command<unknown>(type);
    setHandler(def as typeof acknowledgeUpdate, c.handler, { validator: c.validator });
  }
  setHandler(stateQuery, () => state);

  if (!state) await serial.run(() => apply(assign(input.spec, nowIso())));

  while (isOpen(state)) {
    dispatchNotices();
    const seen = state.seq;
    const sendingNow = sending.size;
    const next = nextEscalation(state, policy);
    const woken = () =>
      state.seq !== seen || sending.size !== sendingNow || workflowInfo().continueAsNewSuggested;
    const wait = next ? Math.max(0, toMillis(next.at) - Date.now()) : undefined;
    let timedOut = false;
    if (wait === undefined) await condition(woken);
    else timedOut = !(await condition(woken, wait));
    if (timedOut) await serial.run(() => apply(escalate(state, policy, nowIso())));
    if (workflowInfo().continueAsNewSuggested && isOpen(state)) {
      await condition(allHandlersFinished);
      // Mail still being sent is carried over; the outbox makes a resend a no-op.
      await continueAsNew<typeof taskWorkflow>({ ...input, carried: { state, notices: queued } });
    }
  }

  dispatchNotices();
  await Promise.all(sending.values());
  await condition(allHandlersFinished);
  return state;
}
