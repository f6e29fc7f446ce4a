import {
  assign,
  decide,
  evolve,
  summarize,
  taskWorkflowId,
  type TaskCommand,
  type TaskEvent,
  type TaskEventBody,
  type TaskSpecInput,
  type TaskState,
  taskSpecSchema,
} from '../../domain';
import type { Store } from '../../store';

/** A step of a task's life on a day (09:00 Shanghai): a command decided by the domain, or a rung's event. */
export type Step = [day: string, what: TaskCommand | { event: TaskEventBody }];

/** Records a task's history in the store as its workflow would: the ledger, then the projection. */
export async function record(store: Store, input: TaskSpecInput, assigned: string, steps: Step[] = []) {
  const spec = taskSpecSchema().parse(input);
  const at = (day: string) => `${day}T01:00:00.000Z`;
  let events: TaskEvent[] = assign(spec, at(assigned));
  let state = evolve(undefined, events[0]);
  for (const [day, what] of steps) {
    let fresh: TaskEvent[];
    if ('event' in what) fresh = [{ ...what.event, seq: state.seq + 1, at: at(day) } as TaskEvent];
    else {
      const d = decide(state, what, at(day));
      if (!d.ok) throw new Error(`step refused: ${d.rejection.en}`);
      fresh = d.events;
    }
    events = [...events, ...fresh];
    state = fresh.reduce<TaskState>((s, e) => evolve(s, e), state);
  }
  const workflowId = taskWorkflowId(spec);
  await store.appendEvents(workflowId, events);
  await store.upsertTask(summarize(workflowId, state));
  return { workflowId, state };
}
