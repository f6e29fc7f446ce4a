import type { Store } from '../store';
import type { DubanClient } from '../services/facade';
import type { IndicatorService } from '../services/indicators';
import type { PlanInfo, TaskDaysCache } from './data';

/** What the pages need from the rest of duban. */
export interface PageDeps {
  facade: DubanClient;
  /** With watchChanges, the live feed reads the projection when the database says it changed. */
  store: Pick<Store, 'listRestrictions' | 'listAccountability'> &
    // The calendar years loaded, to name the calendar a rung was counted on.
    Partial<Pick<Store, 'calendarYears' | 'watchChanges'>> &
    // The enterprises and their 红黄牌 (/public's lists, /enterprises); a store without them has none.
    Partial<Pick<Store, 'listCards' | 'listEnterprises'>>;
  /** Plan titles and indicators; default: the breakdown files in `plans/`. */
  plans?: () => Map<string, PlanInfo>;
  /** How often the live feed looks for changed tasks, when the store has no watchChanges. */
  pollMs?: number;
  /** How long the anonymous /public page is kept (default 5 s). */
  publicCacheMs?: number;
  /** Live-feed connections at once: in all, and per signed-in principal. */
  events?: { max?: number; perPrincipal?: number };
  /** How long a page waits for the workflow's upcoming rungs before it renders without them. */
  queryTimeoutMs?: number;
  /** The plans' indicators (/indicators); without it the page says there are none. */
  indicators?: IndicatorService;
  /** The department that cards enterprises (DUBAN_CARD_DEPARTMENT); default 区环保局. */
  cardDepartment?: string;
}

export interface Ctx extends Required<
  Omit<PageDeps, 'pollMs' | 'publicCacheMs' | 'events' | 'indicators' | 'cardDepartment'>
> {
  days: TaskDaysCache;
}
