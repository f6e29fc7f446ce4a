import { replaceControls } from './text';
import type { EscalationLevel, MilestoneStatus, Rung, TaskStatus } from './task-events';
import type { TaskSummary } from './task-summary';

// The words every interface uses for a task (CLI, pages, API, mail), and the rules behind the words that
// count: what is open, what is overdue. One definition each, so two screens never disagree about one plan.

export const TASK_STATUSES = [
  'assigned',
  'acknowledged',
  'submitted',
  'paused',
  'completed',
  'cancelled',
] as const satisfies readonly TaskStatus[];

/** Still in someone's hands: the workflow runs and the task counts as not done. */
export const OPEN_STATUSES: readonly TaskStatus[] = ['assigned', 'acknowledged', 'submitted', 'paused'];

export function isOpen(s: Pick<TaskSummary, 'status'>): boolean {
  return OPEN_STATUSES.includes(s.status);
}

/**
 * The statuses the deadline clock runs in. A submitted task waits for the supervisor, so the ladder holds
 * its rungs (no 催办 goes out) until it is sent back: past its due date it is awaiting verification, not
 * overdue. A paused task (挂起) has its clock stopped; a resume gives the time back.
 */
export const CLOCK_STATUSES: readonly TaskStatus[] = OPEN_STATUSES.filter(
  (s) => s !== 'submitted' && s !== 'paused',
);

/**
 * The date the clock holds a task to: its due date, or the earlier date of a milestone not yet reported
 * done (a milestone reported waits for the supervisor, as a submitted task does).
 */
export function dueInForce(t: Pick<TaskSummary, 'due' | 'milestoneDue'>): string {
  return t.milestoneDue !== undefined && t.milestoneDue < t.due ? t.milestoneDue : t.due;
}

/**
 * Overdue on `today` (YYYY-MM-DD, Asia/Shanghai): the clock runs and the due date in force has passed —
 * the task's own, or that of a milestone not yet reported done.
 */
export function isOverdue(t: Pick<TaskSummary, 'status' | 'due' | 'milestoneDue'>, today: string): boolean {
  return CLOCK_STATUSES.includes(t.status) && dueInForce(t) < today;
}

/** How people read a status (Chinese first). */
export const STATUS_ZH: Record<TaskStatus, string> = {
  assigned: '待签收',
  acknowledged: '办理中',
  submitted: '待审核',
  paused: '已挂起',
  completed: '已办结',
  cancelled: '已撤销',
};

/** How people read where a milestone stands. */
export const MILESTONE_STATUS_ZH: Record<MilestoneStatus, string> = {
  open: '未完成',
  reported: '待审核',
  verified: '已审核',
};

/** The rungs of the ladder by name; the overdue notice is 催办 wherever it is shown. */
export const RUNG_ZH: Record<Rung['kind'], string> = {
  ackReminder: '签收提醒',
  ackAlert: '未签收告警',
  warning: '预警',
  overdue: '催办',
  milestoneWarning: '里程碑预警',
  milestoneOverdue: '里程碑催办',
  interview: '约谈',
  restriction: '限批',
  accountability: '追责',
};

export const ESCALATION_LEVELS = [
  'none',
  'warning',
  'overdue',
  'interview',
  'restriction',
  'accountability',
] as const satisfies readonly EscalationLevel[];

/** How far up the ladder a task has gone, in the rungs' own words. */
export const ESCALATION_ZH: Record<EscalationLevel, string> = {
  none: '—',
  warning: RUNG_ZH.warning,
  overdue: RUNG_ZH.overdue,
  interview: RUNG_ZH.interview,
  restriction: RUNG_ZH.restriction,
  accountability: RUNG_ZH.accountability,
};

/** The rungs past the overdue notice: someone is called to account. */
export const SEVERE_LEVELS: readonly EscalationLevel[] = ['interview', 'restriction', 'accountability'];

/** A plan or task id: what goes into a workflow id and a URL unescaped. */
export const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const isSlug = (s: string): boolean => SLUG.test(s);
/** What a bad id is told; `zh`/`en` name the id (`方案编号`, `a plan id`) where the field does not. */
export const slugMessage = (zh = '', en = ''): string =>
  `${zh}只能用字母、数字、. _ -，最长 64 / ${en ? `${en} has ` : ''}letters, digits, . _ - only (max 64)`;

/** The short id people type: `plan/id[/region]`. */
export const shortId = (workflowId: string): string => workflowId.replace(/^task\//, '');

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for HTML, in pages and in mail alike. A control or bidi character (NUL, ESC, U+202E …) stored
 * before the text rules shows as U+FFFD: it neither cuts the page nor reorders what is around it.
 */
export const escapeHtml = (s: string): string => replaceControls(s.replace(/[&<>"']/g, (c) => ESCAPES[c]));
