import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CommandSeal } from '../domain/command-signature';
import type {
  ActiveRestriction,
  ImposeOrder,
  LiftOrder,
  RestrictionEvent,
  RestrictionNotice,
  RestrictionState,
} from '../domain/restriction';

/** The workflow type's registered name (clients start it by name, without importing the workflow). */
export const RESTRICTION_WORKFLOW = 'restrictionWorkflow';

export interface RestrictionWorkflowInput {
  /** The 镇街; the workflow id is `restriction/{region}`. */
  region: string;
  /** Continue-as-new once history has this many events; unset: when the server suggests it. For tests. */
  continueAsNewAfter?: number;
  /** Carried over by continue-as-new; absent on a fresh start. */
  carried?: { state: RestrictionState; notices: RestrictionNotice[] };
  /** The public key (Ed25519, hex) signals and updates must be sealed with; absent: taken unsealed. */
  commandKey?: string;
}

/** The workflow's signature, for clients that start it by name. */
export type RestrictionWorkflow = (input: RestrictionWorkflowInput) => Promise<void>;

/** From the escalation ladder: fire-and-forget, and a repeat changes nothing. Sealed like a command. */
export const imposeRestrictionSignal = defineSignal<[ImposeOrder, CommandSeal?]>('imposeRestriction');
export const liftRestrictionSignal = defineSignal<[LiftOrder, CommandSeal?]>('liftRestriction');

/** A supervisor's (督查室) own impose or lift, with a reason; leadership is mailed. */
export interface SupervisorImposeArgs {
  actor: string;
  sector: string;
  reason: string;
  taskWorkflowId?: string;
}
export interface SupervisorLiftArgs {
  actor: string;
  sector?: string;
  taskWorkflowId?: string;
  reason: string;
}
/** What changed (no events: it was already so) and what is in force now. */
export interface RestrictionChange {
  events: RestrictionEvent[];
  active: ActiveRestriction[];
}
export const imposeRestrictionUpdate = defineUpdate<RestrictionChange, [SupervisorImposeArgs, CommandSeal?]>(
  'imposeRestrictionBySupervisor',
);
export const liftRestrictionUpdate = defineUpdate<RestrictionChange, [SupervisorLiftArgs, CommandSeal?]>(
  'liftRestrictionBySupervisor',
);

export const activeRestrictionsQuery = defineQuery<ActiveRestriction[]>('activeRestrictions');
