import {
  condition,
  currentUpdateInfo,
  log,
  proxyActivities,
  proxyLocalActivities,
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
  sealRefusal,
  type Rejection,
  type RestrictionCommand,
  type RestrictionDecision,
  type RestrictionNotice,
} from '../domain';
import { Serial } from './mutex';
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
} from './shell';
import {
  activeRestrictionsQuery,
  imposeRestrictionSignal,
  imposeRestrictionUpdate,
  liftRestrictionSignal,
  liftRestrictionUpdate,
  type RestrictionWorkflowInput,
} from './restriction-messages';

type Activities = ReturnType<typeof createRestrictionActivities>;

// A restriction not on the ledger would be one nobody can prove.
const { recordRestrictionEvents } = proxyActivities<Activities>(RECORDING);
const { sendRestrictionNotice } = proxyActivities<Activities>(MAIL);
const local = proxyLocalActivities<Activities>(LOCAL_RECORDING);

/**
 * One per region (`restriction/{region}`), for as long as the plan runs: holds the 限批 in force there.
 * The ladder imposes and lifts by signal (repeats change nothing); a supervisor by update, with a reason,
 * and leadership is told. Every change goes on the ledger before anyone can see it in a list.
 */
export async function restrictionWorkflow(input: RestrictionWorkflowInput): Promise<void> {
  const { workflowId } = workflowInfo();
  // Histories recorded before it replay their remote recording activity (see shell.ts).
  const record = fewerWrites() ? local.recordRestrictionEvents : recordRestrictionEvents;
  const serial = new Serial();
  const outbox = new Outbox<RestrictionNotice>(input.carried?.notices, (notice) =>
    sendRestrictionNotice({ workflowId, notice }),
  );
  let state = input.carried?.state ?? emptyRestrictions(input.region);

  const run = (cmd: RestrictionCommand, tellLeadership: boolean, decideIt = decideRestriction) =>
    serial.run(async (): Promise<RestrictionDecision> => {
      const d = decideIt(state, cmd, nowIso());
      if (!d.ok || d.events.length === 0) return d;
      for (const e of d.events) state = evolveRestriction(state, e);
      await record({ workflowId, events: d.events, state });
      if (tellLeadership) outbox.queued.push(restrictionNotice(d.events));
      return d;
    });

  /** Why a sealed signal or update is refused; nothing is checked in a region started without a key. */
  const sealFault = (
    name: string,
    payload: unknown,
    seal: unknown,
    signal: boolean,
  ): Rejection | undefined => {
    if (input.commandKey === undefined) return undefined;
    const f = { workflowId, name, updateId: signal ? undefined : currentUpdateInfo()?.id, payload };
    return sealRefusal(input.commandKey, f, seal, nowIso(), { checkTime: !signal });
  };

  const fromLadder =
    (type: RestrictionCommand['type'], name: string) => async (order: unknown, seal?: unknown) => {
      const unsealed = sealFault(name, order, seal, true);
      if (unsealed) {
        log.warn('restriction signal refused', { type, reason: rejectionMessage(unsealed) });
        return;
      }
      const d = await run({ ...(order as object), type } as RestrictionCommand, false);
      // A signal has nobody to answer; the refusal is logged and the workflow goes on.
      if (!d.ok) log.warn('restriction signal refused', { type, reason: rejectionMessage(d.rejection) });
    };
  setHandler(imposeRestrictionSignal, fromLadder('impose', imposeRestrictionSignal.name));
  setHandler(liftRestrictionSignal, fromLadder('lift', liftRestrictionSignal.name));

  const byHand = (type: RestrictionCommand['type'], arg: unknown): RestrictionCommand => {
    const c = restrictionCommandFromArgs(type, arg);
    if (!c.ok) refuse(c.rejection);
    return c.command;
  };
  const checkSeal = (name: string, arg: unknown, seal: unknown) => {
    const r = sealFault(name, arg, seal, false);
    if (r) refuse(r);
  };
  const bySupervisor = (type: RestrictionCommand['type'], name: string) => ({
    handler: async (arg: unknown, seal?: unknown) => {
      checkSeal(name, arg, seal);
      const d = await run(byHand(type, arg), true, decideRestrictionByHand);
      if (!d.ok) refuse(d);
      return { events: d.events, active: state.active };
    },
    validator: (arg: unknown, seal?: unknown) => {
      checkSeal(name, arg, seal);
      const d = decideRestrictionByHand(state, byHand(type, arg), nowIso());
      if (!d.ok) refuse(d);
    },
  });
  const impose = bySupervisor('impose', imposeRestrictionUpdate.name);
  setHandler(imposeRestrictionUpdate, impose.handler, { validator: impose.validator });
  const lift = bySupervisor('lift', liftRestrictionUpdate.name);
  setHandler(liftRestrictionUpdate, lift.handler, { validator: lift.validator });
  setHandler(activeRestrictionsQuery, () => state.active);

  const historyFull = () => continueAsNewDue(input.continueAsNewAfter);

  for (;;) {
    outbox.dispatch();
    const seen = state.seq;
    const waiting = outbox.queued.length;
    const sendingNow = outbox.inFlight;
    await condition(
      () =>
        state.seq !== seen ||
        outbox.queued.length !== waiting ||
        outbox.inFlight !== sendingNow ||
        historyFull(),
    );
    if (historyFull())
      // Mail still on its way is carried over; the outbox makes a resend a no-op.
      await continueAsNewWhenIdle<typeof restrictionWorkflow>(() => [
        { ...input, carried: { state, notices: outbox.queued } },
      ]);
  }
}
