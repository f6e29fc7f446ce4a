import { DateTime } from 'luxon';
import { SEVERE_LEVELS, ZONE, daysBetween, isOverdue, type TaskSummary } from '../domain';
import { onTimeOf } from '../domain/assessment';
import type { TaskDays } from '../domain/task-days';

// What the pages compute from the projection and the ledger; pure, so it is tested without a server.

export type Light = 'green' | 'yellow' | 'red' | 'purple' | 'done' | 'cancelled';

export const LIGHT_ZH: Record<Light, string> = {
  green: '正常',
  yellow: '临期',
  red: '逾期',
  purple: '已升级',
  done: '已办结',
  cancelled: '已撤销',
};

export const DUE_SOON_DAYS = 30;

export const todayInChina = (): string => DateTime.now().setZone(ZONE).toISODate()!;

/**
 * The traffic light: purple outranks red (an escalated task is also overdue), red outranks yellow. Red is
 * overdue by the one rule (a submission waiting for the supervisor is not), or a 催办 already sent.
 */
export function lightOf(t: Pick<TaskSummary, 'status' | 'due' | 'escalation'>, today: string): Light {
  if (t.status === 'completed') return 'done';
  if (t.status === 'cancelled') return 'cancelled';
  if (SEVERE_LEVELS.includes(t.escalation)) return 'purple';
  const left = daysBetween(today, t.due);
  if (isOverdue(t, today) || t.escalation === 'overdue') return 'red';
  if (left <= DUE_SOON_DAYS || t.escalation === 'warning') return 'yellow';
  return 'green';
}

export function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

export { daysOf, stateOf, type TaskDays } from '../domain/task-days';

export interface DepartmentRate {
  department: string;
  total: number;
  completed: number;
  onTime: number;
  late: number;
  /** onTime / (onTime + late); null while nothing has come due. */
  rate: number | null;
}

/**
 * On time: submitted (and then verified) by the due date in force — the clock holds while a submission waits.
 * Late: verified after a late submission, or open past the due date. Tasks not yet due do not count.
 */
export function departmentRates(
  tasks: readonly TaskSummary[],
  days: ReadonlyMap<string, TaskDays>,
  today: string,
): DepartmentRate[] {
  const by = new Map<string, DepartmentRate>();
  for (const t of tasks) {
    if (t.status === 'cancelled') continue;
    for (const dept of t.lead) {
      const r = by.get(dept) ?? { department: dept, total: 0, completed: 0, onTime: 0, late: 0, rate: null };
      by.set(dept, r);
      r.total += 1;
      if (t.status === 'completed') r.completed += 1;
      // The 考核's own rule (domain/assessment.ts), so the overview ranks as the yearly assessment does.
      const judged = onTimeOf(t, days.get(t.workflowId)?.submitted, today);
      if (judged === 'onTime') r.onTime += 1;
      else if (judged === 'late') r.late += 1;
    }
  }
  for (const r of by.values()) r.rate = r.onTime + r.late > 0 ? r.onTime / (r.onTime + r.late) : null;
  return [...by.values()].sort(
    (a, b) =>
      (b.rate ?? -1) - (a.rate ?? -1) || b.total - a.total || a.department.localeCompare(b.department, 'zh'),
  );
}

export type Series = [day: string, count: number][];

/** Cumulative counts per day of change: assigned, acknowledged, submitted, completed. */
export function progressSeries(all: readonly TaskDays[]): Record<keyof TaskDays, Series> {
  const keys: (keyof TaskDays)[] = ['assigned', 'acknowledged', 'submitted', 'completed'];
  const out = {} as Record<keyof TaskDays, Series>;
  for (const k of keys) {
    const counts = countBy(
      all.filter((d) => d[k]),
      (d) => d[k]!,
    );
    let sum = 0;
    out[k] = Object.keys(counts)
      .sort()
      .map((day) => [day, (sum += counts[day])]);
  }
  return out;
}

export interface YearProgress {
  year: string;
  total: number;
  completed: number;
  overdue: number;
  open: number;
}

/** Tasks by the year they are due: how many, done, overdue (the one rule), and the rest still open. */
export function progressByYear(tasks: readonly TaskSummary[], today: string): YearProgress[] {
  const by = new Map<string, YearProgress>();
  for (const t of tasks) {
    if (t.status === 'cancelled') continue;
    const year = t.due.slice(0, 4);
    const y = by.get(year) ?? { year, total: 0, completed: 0, overdue: 0, open: 0 };
    by.set(year, y);
    y.total += 1;
    if (t.status === 'completed') y.completed += 1;
    else if (isOverdue(t, today)) y.overdue += 1;
    else y.open += 1;
  }
  return [...by.values()].sort((a, b) => a.year.localeCompare(b.year));
}

export interface Card {
  department: string;
  tasks: TaskSummary[];
}

/** 红牌: overdue or escalated; 黄牌: due soon or warned. By lead department, the most tasks first. */
export function cards(tasks: readonly TaskSummary[], today: string): { red: Card[]; yellow: Card[] } {
  const red = new Map<string, TaskSummary[]>();
  const yellow = new Map<string, TaskSummary[]>();
  for (const t of tasks) {
    const l = lightOf(t, today);
    const into = l === 'red' || l === 'purple' ? red : l === 'yellow' ? yellow : undefined;
    if (!into) continue;
    for (const d of t.lead) into.set(d, [...(into.get(d) ?? []), t]);
  }
  const list = (m: Map<string, TaskSummary[]>) =>
    [...m]
      .map(([department, ts]) => ({ department, tasks: ts }))
      .sort((a, b) => b.tasks.length - a.tasks.length || a.department.localeCompare(b.department, 'zh'));
  return { red: list(red), yellow: list(yellow) };
}
