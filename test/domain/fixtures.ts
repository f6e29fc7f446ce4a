import {
  assign,
  builtinCalendar,
  decide,
  departmentsOf,
  evolve,
  type TaskSpec,
  type DecideContext,
  type Decision,
  type Rejection,
  type TaskCommand,
  type TaskEvent,
  type TaskSpecInput,
  type TaskState,
  taskSpecSchema,
} from '../../domain';

/** Two lead departments (the first submits) and one cooperating department. */
export const LEAD = '区环保局';
export const SECOND_LEAD = '区水利局';
export const COOP = '区住建局';

export const ASSIGNED_AT = '2026-01-01T01:00:00.000Z';

/** China's official working-day calendar as the `chinese-days` package ships it (2004–2026). */
export const CAL = builtinCalendar();

export function spec(over: Partial<TaskSpecInput> = {}): TaskSpec {
  return taskSpecSchema().parse({
    plan: 'tez-water-2016',
    id: 'T01',
    title: '城区污水管网改造',
    lead: [LEAD, SECOND_LEAD],
    cooperating: [COOP],
    due: '2026-04-01',
    ...over,
  });
}

export function fold(events: TaskEvent[], state?: TaskState): TaskState {
  return events.reduce<TaskState | undefined>((s, e) => evolve(s, e), state)!;
}

export function assigned(over: Partial<TaskSpecInput> = {}, at = ASSIGNED_AT): TaskState {
  return fold(assign(spec(over), at));
}

/** Decides a command that must be accepted, and applies its events. */
export function run(
  state: TaskState,
  cmd: TaskCommand,
  now: string,
  ctx?: DecideContext,
): { state: TaskState; events: TaskEvent[] } {
  const d = decide(state, cmd, now, ctx);
  if (!d.ok)
    throw new Error(`expected ${cmd.type} to be accepted, got ${d.rejection.code}: ${d.rejection.en}`);
  return { state: fold(d.events, state), events: d.events };
}

/** Decides a command that must be refused, and returns why. */
export function refused(
  state: TaskState,
  cmd: TaskCommand,
  now = '2026-02-01T00:00:00.000Z',
  ctx?: DecideContext,
): Rejection {
  const d: Decision = decide(state, cmd, now, ctx);
  if (d === undefined) throw new Error(`decide returned undefined for ${cmd.type}`);
  if (d.ok)
    throw new Error(`expected ${cmd.type} to be refused, got ${d.events.map((e) => e.type).join(', ')}`);
  return d.rejection;
}

export const acknowledgedByLead = (at = '2026-01-02T02:00:00.000Z'): TaskState =>
  run(assigned(), { type: 'acknowledge', actor: LEAD }, at).state;

/**
 * Assigned, and every department (leads and cooperating) acknowledged at the same instant: no
 * acknowledgement rungs, only the deadline ladder. Seq 1 + one per department.
 */
export function acknowledgedByAll(over: Partial<TaskSpecInput> = {}, at = ASSIGNED_AT): TaskState {
  let s = assigned(over, at);
  for (const actor of departmentsOf(s.spec)) s = run(s, { type: 'acknowledge', actor }, at).state;
  return s;
}

export const submitted = (at = '2026-01-10T02:00:00.000Z'): TaskState =>
  run(acknowledgedByLead(), { type: 'submitCompletion', actor: LEAD, summary: '已完成改造' }, at).state;

export const completed = (): TaskState =>
  run(submitted(), { type: 'verifyCompletion', actor: 'supervisor' }, '2026-01-11T02:00:00.000Z').state;

export const cancelled = (): TaskState =>
  run(assigned(), { type: 'cancel', actor: 'supervisor', reason: '任务合并' }, '2026-01-05T02:00:00.000Z')
    .state;

/** Freezes an object graph, so any mutation in strict-mode code throws. */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}
