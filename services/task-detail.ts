import {
  builtinCalendar,
  evolve,
  explainHistory,
  explainPlanned,
  isOpen,
  milestoneList,
  resolvePolicy,
  type CalendarSources,
  type PlannedRung,
  type RungWhy,
  type TaskEvent,
  type TaskState,
  type TaskSummary,
} from '../domain';
import type { LedgerEntry, LoadedCalendarYear } from '../store';
import { TaskNotFound, TemporalUnavailable } from './errors';
import type { DubanClient } from './facade';

export interface TaskDetail {
  task: TaskSummary;
  /** Oldest first; a rung's entry says why it fired (`why`). */
  ledger: (LedgerEntry & { why?: RungWhy })[];
  /** Every due date the task has had, the first from its assignment. */
  dueHistory: TaskState['dueHistory'];
  milestones: ReturnType<typeof milestoneList>;
  /**
   * The rungs still ahead, each with why it is planned; null when the workflow did not answer in time
   * (Temporal down, no worker).
   */
  upcoming: (PlannedRung & { why?: RungWhy })[] | null;
}

/** Where each year's working days come from: the package's years, and those an operator loaded. */
export async function calendarSources(
  loaded?: () => Promise<readonly LoadedCalendarYear[]>,
): Promise<CalendarSources> {
  const years = loaded ? await loaded() : [];
  return {
    builtin: builtinCalendar().years,
    loaded: years.map(({ year, loadedAt }) => ({ year, loadedAt })),
  };
}

/**
 * The ledger and the rungs ahead with why each rung fired or is planned: the rule of the task's policy,
 * the calendar its days were counted on, the rungs passed over. Derived here, never recorded.
 */
export function explained<E extends { event: unknown }>(
  ledger: readonly E[],
  upcoming: readonly PlannedRung[] | null,
  state: TaskState | undefined,
  sources: CalendarSources,
): { ledger: (E & { why?: RungWhy })[]; upcoming: (PlannedRung & { why?: RungWhy })[] | null } {
  const why = explainHistory(
    ledger.map((e) => e.event as TaskEvent),
    sources,
  );
  const policy = state && resolvePolicy(state.spec.policy);
  const ahead = upcoming && state && policy ? explainPlanned(upcoming, state, policy, sources) : [];
  return {
    ledger: ledger.map((e, i) => (why[i] ? { ...e, why: why[i] } : e)),
    upcoming: upcoming && upcoming.map((p, i) => (ahead[i] ? { ...p, why: ahead[i] } : p)),
  };
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
  /** The calendar years an operator loaded (the store's); without it only the package's are named. */
  calendarYears?: () => Promise<readonly LoadedCalendarYear[]>,
): Promise<TaskDetail> {
  const task = await facade.summary(workflowId);
  if (!task) throw new TaskNotFound(workflowId);
  const ledger = await facade.ledger(workflowId);
  const state = stateFromLedger(ledger);
  const upcoming = isOpen(task) ? await rungsAhead(facade, workflowId, upcomingTimeoutMs) : [];
  const sources = await calendarSources(calendarYears);
  return {
    task,
    ...explained(ledger, upcoming, state, sources),
    dueHistory: state?.dueHistory ?? [],
    milestones: milestoneList(state),
  };
}
