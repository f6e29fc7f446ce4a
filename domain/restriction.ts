import { z } from 'zod';
import { actorArg, shapeRefusal, type ArgumentRejection } from './commands';
import { SUPERVISOR, type Rejection } from './task-events';

/** One 限批 in force: new projects of `sector` in `region` are not approved until it is lifted. */
export interface ActiveRestriction {
  region: string;
  sector: string;
  /** The task whose neglect caused it; absent when a supervisor imposed it on their own account. */
  taskWorkflowId?: string;
  since: string;
  reason: string;
  by: string;
}

/** A region's restrictions, as its entity workflow holds them. */
export interface RestrictionState {
  region: string;
  active: ActiveRestriction[];
  /** Sequence number of the last event (0 before the first). */
  seq: number;
}

export type RestrictionEventBody =
  | {
      type: 'RestrictionImposed';
      region: string;
      sector: string;
      taskWorkflowId?: string;
      reason: string;
      by: string;
    }
  | {
      type: 'RestrictionLifted';
      region: string;
      sector: string;
      taskWorkflowId?: string;
      reason: string;
      by: string;
    };

/** Numbered per region from 1 and stamped with the workflow's time, like a task's events. */
export type RestrictionEvent = RestrictionEventBody & { seq: number; at: string };

/** What the ladder (by signal) or a supervisor (by update) asks for. */
export interface ImposeOrder {
  sector: string;
  reason: string;
  by: string;
  taskWorkflowId?: string;
}
/** By task: every restriction that task caused (in `sector` only, when given). By sector: all of them there. */
export interface LiftOrder {
  sector?: string;
  taskWorkflowId?: string;
  reason: string;
  by: string;
}

export type RestrictionCommand = ({ type: 'impose' } & ImposeOrder) | ({ type: 'lift' } & LiftOrder);

export type RestrictionDecision =
  { ok: true; events: RestrictionEvent[] } | { ok: false; rejection: Rejection };

export const MAX_REASON = 2000;
const MAX_NAME = 100;

export function restrictionWorkflowId(region: string): string {
  return `restriction/${region.trim()}`;
}

export function emptyRestrictions(region: string): RestrictionState {
  return { region: region.trim(), active: [], seq: 0 };
}

/** Sector names are free text; only surrounding space is not part of the name. */
export const normalizeSector = (sector: string): string => sector.trim();

/** The restrictions in force on `sector` (none: not restricted). */
export function isRestricted(state: Pick<RestrictionState, 'active'>, sector: string): ActiveRestriction[] {
  const s = normalizeSector(sector);
  return state.active.filter((r) => r.sector === s);
}

const refuse = (code: string, zh: string, en: string): RestrictionDecision => ({
  ok: false,
  rejection: { code, zh, en },
});

function checkText(
  value: unknown,
  max: number,
  field: string,
  zhField: string,
): RestrictionDecision | undefined {
  if (typeof value !== 'string' || value.trim() === '')
    return refuse('missing_text', `请填写${zhField}`, `${field} is required`);
  if (value.trim().length > max)
    return refuse('text_too_long', `${zhField}过长（最多 ${max} 字）`, `${field} is too long (max ${max})`);
  return undefined;
}

const sameTask = (a: string | undefined, b: string | undefined) => (a ?? '') === (b ?? '');

/**
 * Whether an impose or lift is allowed, and the events it causes. Repeats are no-ops, not refusals: the
 * ladder's signal may arrive twice. Only a supervisor's lift of a sector that is not restricted is refused,
 * since a person asked for something that cannot be done.
 */
export function decideRestriction(
  state: RestrictionState,
  cmd: RestrictionCommand,
  now: string,
): RestrictionDecision {
  const bad =
    checkText(cmd.by, MAX_NAME, 'by', '操作人') ??
    checkText(cmd.reason, MAX_REASON, 'reason', '理由') ??
    (cmd.type === 'impose' || cmd.sector !== undefined
      ? checkText(cmd.sector, MAX_NAME, 'sector', '行业')
      : undefined) ??
    (cmd.taskWorkflowId !== undefined
      ? checkText(cmd.taskWorkflowId, 300, 'taskWorkflowId', '任务')
      : undefined);
  if (bad) return bad;
  const by = cmd.by.trim();
  const reason = cmd.reason.trim();
  const taskWorkflowId = cmd.taskWorkflowId?.trim();
  const { region } = state;
  let seq = state.seq;
  const event = (body: RestrictionEventBody): RestrictionEvent => ({ ...body, seq: ++seq, at: now });

  if (cmd.type === 'impose') {
    const sector = normalizeSector(cmd.sector);
    if (isRestricted(state, sector).some((r) => sameTask(r.taskWorkflowId, taskWorkflowId)))
      return { ok: true, events: [] };
    return {
      ok: true,
      events: [
        event({
          type: 'RestrictionImposed',
          region,
          sector,
          ...(taskWorkflowId ? { taskWorkflowId } : {}),
          reason,
          by,
        }),
      ],
    };
  }

  const sector = cmd.sector === undefined ? undefined : normalizeSector(cmd.sector);
  if (sector === undefined && taskWorkflowId === undefined)
    return refuse(
      'missing_scope',
      '请说明解除哪个行业或哪项任务的限批',
      'name the sector or the task to lift',
    );
  const lifted = state.active.filter(
    (r) =>
      (sector === undefined || r.sector === sector) &&
      (taskWorkflowId === undefined || r.taskWorkflowId === taskWorkflowId),
  );
  if (lifted.length === 0) {
    // A verified task lifts "whatever it caused", which may be nothing; that is not a mistake.
    if (taskWorkflowId !== undefined) return { ok: true, events: [] };
    return refuse(
      'not_restricted',
      `${region} 的 ${sector} 行业未在限批中，无需解除`,
      `sector ${sector} is not restricted in ${region}; there is nothing to lift`,
    );
  }
  return {
    ok: true,
    events: lifted.map((r) =>
      event({
        type: 'RestrictionLifted',
        region,
        sector: r.sector,
        ...(r.taskWorkflowId ? { taskWorkflowId: r.taskWorkflowId } : {}),
        reason,
        by,
      }),
    ),
  };
}

export function evolveRestriction(state: RestrictionState, e: RestrictionEvent): RestrictionState {
  if (e.type === 'RestrictionImposed') {
    const { type: _t, seq: _s, at, ...r } = e;
    return { ...state, seq: e.seq, active: [...state.active, { ...r, since: at }] };
  }
  return {
    ...state,
    seq: e.seq,
    active: state.active.filter(
      (r) => !(r.sector === e.sector && sameTask(r.taskWorkflowId, e.taskWorkflowId)),
    ),
  };
}

/** Whether `actor` may impose or lift by hand: only the 督查室 (the ladder acts by signal, as `ladder`). */
export function mayActOnRestrictions(actor: string): boolean {
  return actor.trim() === SUPERVISOR;
}

/** A supervisor's impose or lift as a client sends it: the actor, the reason, the sector or task. */
export const RESTRICTION_COMMANDS = {
  impose: z.strictObject({
    actor: actorArg('操作人', Infinity),
    sector: z.string(),
    reason: z.string(),
    taskWorkflowId: z.string().optional(),
  }),
  lift: z.strictObject({
    actor: actorArg('操作人', Infinity),
    reason: z.string(),
    sector: z.string().optional(),
    taskWorkflowId: z.string().optional(),
  }),
};
export type RestrictionArgs = {
  [K in RestrictionCommand['type']]: z.input<(typeof RESTRICTION_COMMANDS)[K]>;
};

/** An impose or lift by hand from an update's argument, or why it is malformed. */
export function restrictionCommandFromArgs(
  type: RestrictionCommand['type'],
  arg: unknown,
): { ok: true; command: RestrictionCommand } | { ok: false; rejection: ArgumentRejection } {
  const bad = shapeRefusal(RESTRICTION_COMMANDS[type], arg);
  if (bad) return { ok: false, rejection: bad };
  const { actor, ...rest } = arg as { actor: string };
  return { ok: true, command: { ...rest, by: actor.trim(), type } as RestrictionCommand };
}

export const SUPERVISOR_ONLY_RESTRICTION: Rejection = {
  code: 'supervisor_only',
  field: 'actor',
  zh: '只有督查室可以限批或解除限批',
  en: 'only a supervisor may impose or lift a restriction',
};

/** A person's impose or lift: only the 督查室 may, and then as decideRestriction says. */
export function decideRestrictionByHand(
  state: RestrictionState,
  cmd: RestrictionCommand,
  now: string,
): RestrictionDecision {
  if (!mayActOnRestrictions(cmd.by)) return { ok: false, rejection: SUPERVISOR_ONLY_RESTRICTION };
  return decideRestriction(state, cmd, now);
}

/** A restriction as the store keeps it for lists: active, or lifted and when. */
export interface RestrictionRecord extends ActiveRestriction {
  /** The region's event that imposed it. */
  seq: number;
  lifted?: { at: string; reason: string; by: string };
}

/** A mail to leadership about a supervisor's impose or lift; `key` is stable per region, for the outbox. */
export interface RestrictionNotice {
  key: string;
  events: RestrictionEvent[];
}

export function restrictionNotice(events: RestrictionEvent[]): RestrictionNotice {
  return { key: `${events[0].seq}-${events[0].type}`, events };
}
