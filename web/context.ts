import type { Store } from '../store';
import type { DubanClient } from '../services/facade';
import type { PlanInfo, TaskDaysCache } from './data';

/** What the pages need from the rest of duban. */
export interface PageDeps {
  facade: DubanClient;
  store: Pick<Store, 'listRestrictions' | 'listAccountability'> &
    // The calendar years loaded, to name the calendar a rung was counted on.
    Partial<Pick<Store, 'calendarYears'>>;
  /** Plan titles and indicators; default: the breakdown files in `plans/`. */
  plans?: () => Map<string, PlanInfo>;
  /** How often the live feed looks for changed tasks. */
  pollMs?: number;
  /** How long a page waits for the workflow's upcoming rungs before it renders without them. */
  queryTimeoutMs?: number;
}

export interface Ctx extends Required<Omit<PageDeps, 'pollMs'>> {
  days: TaskDaysCache;
}
