import type { Store } from '../store';
import type { DubanClient } from '../services/facade';
import type { AgreementService } from '../services/agreements';
import type { AssessmentService } from '../services/assessment';
import type { IndicatorService } from '../services/indicators';
import type { AttachmentService } from '../services/attachments';
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
  /** 目标责任书 and 考核 (/assessment, /agreements/…); without them the pages say there are none. */
  agreements?: AgreementService;
  assessment?: AssessmentService;
  /** Today (YYYY-MM-DD, Asia/Shanghai) the 考核 judges open tasks on; defaults to the clock. */
  today?: () => string;
  /** Uploaded files (佐证材料): without it the forms take no files and the timeline names none. */
  attachments?: Pick<AttachmentService, 'forTask'>;
  /** The department that cards enterprises (DUBAN_CARD_DEPARTMENT); default 区环保局. */
  cardDepartment?: string;
}

export interface Ctx extends Required<
  Omit<
    PageDeps,
    | 'pollMs'
    | 'publicCacheMs'
    | 'events'
    | 'indicators'
    | 'agreements'
    | 'assessment'
    | 'today'
    | 'attachments'
    | 'cardDepartment'
  >
> {
  days: TaskDaysCache;
  attachments?: PageDeps['attachments'];
}
