import {
  evolve,
  isOpen,
  type PlannedRung,
  type TaskEvent,
  type TaskState,
  type TaskSummary,
} from '../domain';
import type { LedgerEntry } from '../store';
import { TaskNotFound, TemporalUnavailable } from './errors';
import type { DubanClient } from './facade';

export interface TaskDetail {
  task: TaskSummary;
  /** Oldest first. */
  ledger: LedgerEntry[];
  /** Every due date the task has had, the first from its assignment. */
  dueHistory: TaskState['dueHistory'];
  /** The rungs still ahead; null when the workflow did not answer in time (Temporal down, no worker). */
  upcoming: PlannedRung[] | null;
}

/** The task's state as its ledger tells it: the same fold the workflow makes, no Temporal needed. */
export function stateFromLedger(ledger: readonly LedgerEntry[]): TaskState | undefined {
  if (ledger[0]?.event.type !== 'TaskAssigned') return undefined;
  return ledger.reduce<TaskState | undefined>((s, e) => evolve(s, e.event as TaskEvent), undefined);
}

/** Null when the workflow does not answer in time; the call itself ends at that deadline too. */
async function rungsAhead(
  facade: Pick<DubanClient, 'upcoming'>,
  workflowId: string,
  timeoutMs: number,
): Promise<PlannedRung[] | null> {
  try {
    return await facade.upcoming(workflowId, { timeoutMs });
  } catch (err) {
    if (err instanceof TemporalUnavailable || err instanceof TaskNotFound) return null;
    throw err;
  }
}

/** Summary, timeline and due-date history from the store; the rungs ahead from the workflow, if it answers. */
export async function taskDetail(
  facade: Pick<DubanClient, 'summary' | 'ledger' | 'upcoming'>,
  workflowId: string,
  upcomingTimeoutMs = 3000,
): Promise<TaskDetail> {
  const task = await facade.summary(workflowId);
  if (!task) throw new TaskNotFound(workflowId);
  const ledger = await facade.ledger(workflowId);
  const state = stateFromLedger(ledger);
  const upcoming = isOpen(task) ? await rungsAhead(facade, workflowId, upcomingTimeoutMs) : [];
  return { task, ledger, dueHistory: state?.dueHistory ?? [], upcoming };
}
