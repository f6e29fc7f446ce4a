import { daysOf, stateOf } from './task-days';
import type { EscalationLevel, TaskEvent } from './task-events';
import { dayOf, daysBetween } from './time';
import { isOverdue } from './vocabulary';

// The 督查通报's figures: per lead department and per 镇街, what stood as of the period's last day, rebuilt
// from each task's ledger (so a bulletin for a past month says what was true then, not what is true now).

/** A month (2027-03), a quarter (2027Q1), a year (2027), or everything up to today (no `from`). */
export interface BulletinPeriod {
  /** `2027-03`, `2027Q1`, `2027`, or `all`. */
  key: string;
  /** 2027年3月, 2027年第一季度, 2027年, 截至 2027-03-31. */
  label: string;
  from?: string;
  to: string;
}

const QUARTER_ZH = ['一', '二', '三', '四'];

/** The period a `--period` names, or why it names none (`中文 / English`). */
export function parsePeriod(text: string | undefined, today: string): BulletinPeriod | { error: string } {
  if (text === undefined || text === '' || text === 'all')
    return { key: 'all', label: `截至 ${today}`, to: today };
  const t = text.trim().toUpperCase();
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(t);
  const quarter = /^(\d{4})-?Q([1-4])$/.exec(t);
  const year = /^(\d{4})$/.exec(t);
  // From the first day of `y`-`m` to the last day of the month `months` - 1 later (day 0 is the one before).
  const span = (y: string, m: number, months: number) => {
    const last = new Date(0);
    last.setUTCFullYear(Number(y), m - 1 + months, 0);
    return { from: `${y}-${String(m).padStart(2, '0')}-01`, to: last.toISOString().slice(0, 10) };
  };
  if (month) return { key: t, label: `${month[1]}年${+month[2]}月`, ...span(month[1], +month[2], 1) };
  if (quarter) {
    return {
      key: `${quarter[1]}Q${quarter[2]}`,
      label: `${quarter[1]}年第${QUARTER_ZH[+quarter[2] - 1]}季度`,
      ...span(quarter[1], +quarter[2] * 3 - 2, 3),
    };
  }
  if (year) return { key: t, label: `${year[1]}年`, ...span(year[1], 1, 12) };
  return {
    error:
      `统计期应为月份（2027-03）、季度（2027Q1）或年份（2027）：${text} / ` +
      `the period must be a month (2027-03), a quarter (2027Q1) or a year (2027): ${text}`,
  };
}

/** The month before `day`'s: what the monthly bulletin sent on the 1st reports. */
export function previousMonth(day: string): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** One lead department's or 镇街's line of the bulletin. */
export interface BulletinRow {
  unit: string;
  /** Tasks assigned by the period's end and not cancelled. */
  tasks: number;
  /** Verified by the period's end. */
  completed: number;
  /** Verified within the period. */
  completedInPeriod: number;
  /** Completed, submitted by the due date in force. */
  onTime: number;
  /** Open past the due date at the period's end (the one rule: a submission waiting is not). */
  overdue: number;
  /** 约谈 ordered, 限批 imposed, 追责 recorded within the period. */
  interviews: number;
  restrictions: number;
  accountability: number;
  /** onTime / (completed + overdue); null while nothing has come due or been done. */
  rate: number | null;
}

export interface BulletinTask {
  workflowId: string;
  title: string;
  lead: string[];
  region?: string;
  due: string;
  daysOverdue: number;
  escalation: EscalationLevel;
}

export interface Bulletin {
  plan: string;
  title: string;
  period: BulletinPeriod;
  /** The day the figures stand on: the period's last day, or today while the period runs. */
  asOf: string;
  /** The day it was made. */
  issued: string;
  total: BulletinRow;
  departments: BulletinRow[];
  regions: BulletinRow[];
  /** Named in the bulletin (通报批评): the units with the most escalations and overdue tasks. */
  worst: { unit: string; why: string }[];
  /** Overdue at the period's end, the longest overdue first. */
  overdueTasks: BulletinTask[];
}

export interface BulletinInput {
  plan: string;
  title?: string;
  period: BulletinPeriod;
  today: string;
  tasks: readonly { workflowId: string; events: readonly TaskEvent[] }[];
}

const MAX_WORST = 3;
const MAX_OVERDUE_LISTED = 20;

const emptyRow = (unit: string): BulletinRow => ({
  unit,
  tasks: 0,
  completed: 0,
  completedInPeriod: 0,
  onTime: 0,
  overdue: 0,
  interviews: 0,
  restrictions: 0,
  accountability: 0,
  rate: null,
});

const escalations = (r: BulletinRow) => r.interviews + r.restrictions + r.accountability;

function worstOf(rows: readonly BulletinRow[]): { unit: string; why: string }[] {
  return rows
    .filter((r) => r.overdue > 0 || escalations(r) > 0)
    .sort(
      (a, b) =>
        b.accountability - a.accountability ||
        b.restrictions - a.restrictions ||
        b.interviews - a.interviews ||
        b.overdue - a.overdue ||
        (a.rate ?? 1) - (b.rate ?? 1) ||
        a.unit.localeCompare(b.unit, 'zh'),
    )
    .slice(0, MAX_WORST)
    .map((r) => ({
      unit: r.unit,
      why: [
        r.overdue > 0 ? `逾期未办结 ${r.overdue} 项` : '',
        r.interviews > 0 ? `被约谈 ${r.interviews} 次` : '',
        r.restrictions > 0 ? `被限批 ${r.restrictions} 次` : '',
        r.accountability > 0 ? `被追责 ${r.accountability} 次` : '',
      ]
        .filter(Boolean)
        .join('，'),
    }));
}

const byUnit = (m: Map<string, BulletinRow>) =>
  [...m.values()].sort(
    (a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.tasks - a.tasks || a.unit.localeCompare(b.unit, 'zh'),
  );

/** The bulletin's figures, from each task's ledger, as they stood on the period's last day. */
export function bulletinOf({ plan, title, period, today, tasks }: BulletinInput): Bulletin {
  const asOf = period.to < today ? period.to : today;
  const from = period.from ?? '0000-01-01';
  const inPeriod = (day: string) => day >= from && day <= asOf;
  const total = emptyRow('合计');
  const departments = new Map<string, BulletinRow>();
  const regions = new Map<string, BulletinRow>();
  const overdueTasks: BulletinTask[] = [];

  for (const t of tasks) {
    const events = t.events.filter((e) => dayOf(e.at) <= asOf);
    const state = stateOf(events);
    if (!state || state.status === 'cancelled') continue;
    const days = daysOf(events);
    const completed = state.status === 'completed';
    const onTime = completed && (days?.submitted ?? days?.completed ?? asOf) <= state.due;
    const overdue = isOverdue(state, asOf);
    const count = (type: TaskEvent['type']) =>
      events.filter((e) => e.type === type && inPeriod(dayOf(e.at))).length;
    const add = (r: BulletinRow) => {
      r.tasks += 1;
      if (completed) r.completed += 1;
      if (completed && days?.completed && inPeriod(days.completed)) r.completedInPeriod += 1;
      if (onTime) r.onTime += 1;
      if (overdue) r.overdue += 1;
      r.interviews += count('InterviewOrdered');
      r.restrictions += count('RestrictionImposed');
      r.accountability += count('AccountabilityRecorded');
    };
    add(total);
    for (const d of state.spec.lead) {
      if (!departments.has(d)) departments.set(d, emptyRow(d));
      add(departments.get(d)!);
    }
    const region = state.spec.region;
    if (region) {
      if (!regions.has(region)) regions.set(region, emptyRow(region));
      add(regions.get(region)!);
    }
    if (overdue)
      overdueTasks.push({
        workflowId: t.workflowId,
        title: state.spec.title,
        lead: state.spec.lead,
        ...(region ? { region } : {}),
        due: state.due,
        daysOverdue: daysBetween(state.due, asOf),
        escalation: state.escalation,
      });
  }
  const rows = [total, ...departments.values(), ...regions.values()];
  for (const r of rows) r.rate = r.completed + r.overdue > 0 ? r.onTime / (r.completed + r.overdue) : null;
  const depts = byUnit(departments);
  const regs = byUnit(regions);
  return {
    plan,
    title: title ?? plan,
    period,
    asOf,
    issued: today,
    total,
    departments: depts,
    regions: regs,
    worst: worstOf([...depts, ...regs]),
    overdueTasks: overdueTasks
      .sort((a, b) => b.daysOverdue - a.daysOverdue || a.workflowId.localeCompare(b.workflowId))
      .slice(0, MAX_OVERDUE_LISTED),
  };
}
