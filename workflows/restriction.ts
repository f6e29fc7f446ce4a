import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createRestrictionActivities } from '../activities/restriction';
import {
  decideRestriction,
  decideRestrictionByHand,
  emptyRestrictions,
  evolveRestriction,
  rejectionMessage,
  restrictionCommandFromArgs,
  restrictionNotice,
  type RestrictionCommand,
  type RestrictionDecision,
  type RestrictionNotice,
} from '../domain';
import { Serial } from './mutex';
import {
  activeRestrictionsQuery,
  imposeRestrictionSignal,
  imposeRestrictionUpdate,
  liftRestrictionSignal,
  liftRestrictionUpdate,
  type RestrictionWorkflowInput,
} from './restriction-messages';
import { REJECTED } from './task-messages';

type Activities = ReturnType<typeof createRestrictionActivities>;

// A restriction not on the ledger would be one nobody can prove: recording never gives up.
const { recordRestrictionEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { sendRestrictionNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

const nowIso = () => new Date().toISOString();

function refuse(d: Extract<RestrictionDecision, { ok: false }>): never {
  throw ApplicationFailure.create({
    type: REJECTED,
    message: rejectionMessage(d.rejection),
    nonRetryable: true,
    details: [d.rejection],
  });
}

/**
 * One per region (`restriction/{region}`), for as long as the plan runs: holds the 限批 in force there.
 * The ladder imposes and lifts by signal (repeats change nothing); a supervisor by update, with a reason,
 * and leadership is told. Every change goes on the ledger before anyone can see it in a list.
 */
export async function restrictionWorkflow(input: RestrictionWorkflowInput): Promise<void> {
  const { workflowId } = workflowInfo();
  const serial = new Serial();
  const queued: RestrictionNotice[] = [...(input.carried?.notices ?? [])];
  const sending = new Map<string, Promise<void>>();
  let state = input.carried?.state ?? emptyRestrictions(input.region);

  const run = (cmd: RestrictionCommand, tellLeadership: boolean, decideIt = decideRestriction) =>
    serial.run(async (): Promise<RestrictionDecision> => {
      const d = decideIt(state, cmd, nowIso());
      if (!d.ok || d.events.length === 0) return d;
      for (const e of d.events) state = evolveRestriction(state, e);
      await recordRestrictionEvents({ workflowId, events: d.events, state });
      if (tellLeadership) queued.push(restrictionNotice(d.events));
      return d;
    });

  const fromLadder = (type: RestrictionCommand['type']) => async (order: unknown) => {
    const d = await run({ ...(order as object), type } as RestrictionCommand, false);
    // A signal has nobody to answer; the refusal is logged and the workflow goes on.
    if (!d.ok) log.warn('restriction signal refused', { type, reason: rejectionMessage(d.rejection) });
  };
  setHandler(imposeRestrictionSignal, fromLadder('impose'));
  setHandler(liftRestrictionSignal, fromLadder('lift'));

  const byHand = (type: RestrictionCommand['type'], arg: unknown): RestrictionCommand => {
    const c = restrictionCommandFromArgs(type, arg);
    if (!c.ok) refuse({ ok: false, rejection: c.rejection });
    return c.command;
  };
  const bySupervisor = (type: RestrictionCommand['type']) => ({
    handler: async (arg: unknown) => {
      const d = await run(byHand(type, arg), true, decideRestrictionByHand);
      if (!d.ok) refuse(d);
      return { events: d.events, active: state.active };
    },
    validator: (arg: unknown) => {
      const d = decideRestrictionByHand(state, byHand(type, arg), nowIso());
      if (!d.ok) refuse(d);
    },
  });
  const impose = bySupervisor('impose');
  setHandler(imposeRestrictionUpdate, impose.handler, { validator: impose.validator });
  const lift = bySupervisor('lift');
  setHandler(liftRestrictionUpdate, lift.handler, { validator: lift.validator });
  setHandler(activeRestrictionsQuery, () => state.active);

  // Mail goes out beside the record, not in its way: a slow SMTP server holds up no impose or lift.
  const dispatchNotices = () => {
    for (const notice of queued) {
      if (sending.has(notice.key)) continue;
      const p = sendRestrictionNotice({ workflowId, notice })
        .then(() => {
          queued.splice(queued.indexOf(notice), 1);
        })
        .catch((err: unknown) => log.error('notice not sent', { key: notice.key, err: String(err) }))
        .finally(() => sending.delete(notice.key));
      sending.set(notice.key, p);
    }
  };

  const limit = input.continueAsNewAfter;
  const historyFull = () =>
    workflowInfo().continueAsNewSuggested || (limit !== undefined && workflowInfo().historyLength >= limit);

  for (;;) {
    dispatchNotices();
    const seen = state.seq;
    const waiting = queued.length;
    const sendingNow = sending.size;
    await condition(
      () => state.seq !== seen || queued.length !== waiting || sending.size !== sendingNow || historyFull(),
    );
    if (historyFull()) {
      await condition(allHandlersFinished);
      // Mail still on its way is carried over; the outbox makes a resend a no-op.
      await continueAsNew<typeof restrictionWorkflow>({
        ...input,
        carried: { state, notices: queued },
      });
    }
  }
}
