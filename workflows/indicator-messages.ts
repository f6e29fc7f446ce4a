/** The workflow type's registered name (services start it by name, without importing the workflow). */
export const INDICATOR_YEAR_WORKFLOW = 'indicatorYearWorkflow';

/**
 * One per plan (`indicators/{plan}`), started with the plan: it closes each target year on the working
 * calendar, judges the indicators and opens the consequences of a miss.
 */
export interface IndicatorYearInput {
  plan: string;
  /** The last year closed by an earlier run; absent on a fresh start. */
  after?: number;
  /** Given to the rectification tasks a miss opens, as `plan start` gives them to a plan's tasks. */
  commandKey?: string;
  /** The rectification tasks carry duban's search attributes (the servers duban starts register them). */
  searchAttributes?: boolean;
}

export interface IndicatorYearResult {
  closed: { year: number; judged: number; missed: number; unreported: number }[];
}
