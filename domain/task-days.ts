import type { TaskEvent } from './task-events';
import { evolve, type TaskState } from './task-state';
import { dayOf } from './time';

// What a task's ledger says about its days: read by the dashboard's charts and by the 督查通报.

/** The days that matter for charts and on-time rates, read once from a task's ledger. */
export interface TaskDays {
  assigned: string;
  /** When the submitting (first lead) department acknowledged. */
  acknowledged?: string;
  /** The last submission that was not sent back. */
  submitted?: string;
  completed?: string;
}

export function daysOf(events: readonly TaskEvent[]): TaskDays | undefined {
  const first = events[0];
  if (first?.type !== 'TaskAssigned') return undefined;
  const lead = first.spec.lead[0];
  const d: TaskDays = { assigned: dayOf(first.at) };
  for (const e of events) {
    if (e.type === 'Acknowledged' && e.by === lead && !d.acknowledged) d.acknowledged = dayOf(e.at);
    if (e.type === 'CompletionSubmitted') d.submitted = dayOf(e.at);
    if (e.type === 'CompletionRejected') d.submitted = undefined;
    if (e.type === 'CompletionVerified') d.completed = dayOf(e.at);
  }
  return d;
}

/** The task as its workflow holds it, rebuilt from the ledger (every change is there). */
export function stateOf(events: readonly TaskEvent[]): TaskState | undefined {
  if (events[0]?.type !== 'TaskAssigned') return undefined;
  return events.reduce<TaskState | undefined>((s, e) => evolve(s, e), undefined);
}
