import type { WorkCalendar } from './calendar';
import { taskClock } from './clock';
import type { EscalationPolicy } from './policy';
import type { Rung, TaskEvent, TaskEventBody } from './task-events';
import { restrictionScope } from './task-spec';
import { departmentsOf, milestoneKey, type TaskState } from './task-state';
import { addDays, daysBetween, toMillis } from './time';

export interface PlannedRung {
  at: string;
  rung: Rung;
  key: string;
  /** The day the rung belongs to (Asia/Shanghai, or the demo policy's day). */
  day: string;
  /** Planned over a year whose official calendar is not yet known (weekdays only). */
  provisional: boolean;
}

const EMPTY: WorkCalendar = { years: [], holidays: [], workdays: [] };

/** The deadline rungs, least severe first: when several are due at once only the most severe goes out. */
const SEVERITY: Rung['kind'][] = ['warning', 'overdue', 'interview', 'restriction', 'accountability'];

/**
 * Every rung still ahead of the task, earliest first. Warnings whose time had already passed when the
 * task was assigned (or when an extension last moved its due date) are never sent late; the overdue
 * notice is, at once, and a task born overdue gets its full interview period from then. A submitted
 * task waits for the supervisor, so its rungs are held until it is sent back.
 */
export function plannedRungs(
  state: TaskState,
  policy: EscalationPolicy,
  cal: WorkCalendar = EMPTY,
): PlannedRung[] {
  if (state.status !== 'assigned' && state.status !== 'acknowledged') return [];
  const clock = taskClock(state.assignedAt, policy, cal);
  const assigned = toMillis(state.assignedAt);
  const assignedDay = clock.today(state.assignedAt);
  // Warnings already past when the due date in force was set (assignment, or the last extension) never go out.
  const dueSetAt = Math.max(assigned, toMillis(state.dueHistory?.at(-1)?.at ?? state.assignedAt));
  const out: PlannedRung[] = [];
  const add = (rung: Rung, key: string, day: string, provisional = false, notBefore = true) => {
    if (state.fired.includes(key)) return;
    const at = clock.at(day);
    const late = toMillis(at) <= assigned;
    if (!notBefore && toMillis(at) <= dueSetAt) return;
    out.push({ rung, key, day, provisional, at: late ? state.assignedAt : at });
  };

  for (const department of departmentsOf(state.spec)) {
    if (state.acknowledged[department]) continue;
    const last = state.ackReminded[department];
    // A department named by a reassignment counts from then (改派), the others from the assignment.
    const from = state.ackFrom?.[department];
    const namedDay = from ? clock.today(from) : assignedDay;
    const reminder = last
      ? clock.plus(last, policy.ackReminderEvery)
      : clock.plus(namedDay, policy.ackReminderAfter);
    add(
      { kind: 'ackReminder', department },
      `ack-reminder:${department}:${reminder.date}`,
      reminder.date,
      reminder.provisional,
    );
    const alert = clock.plus(namedDay, policy.ackAlertAfter);
    add({ kind: 'ackAlert', department }, `ack-alert:${department}`, alert.date, alert.provisional);
  }

  const due = state.due;
  const warnings = [...new Set(policy.warningDaysBefore)].sort((a, b) => b - a);
  for (const n of warnings) {
    add({ kind: 'warning', daysBefore: n }, `warning:${n}@${due}`, addDays(due, -n), false, false);
  }
  // Each milestone before the last has its own warnings and overdue notice; the last is the due date's.
  (state.milestones ?? []).forEach((m, i) => {
    if (m.status !== 'open' || m.due >= due) return;
    const milestone = i + 1;
    const k = milestoneKey(milestone);
    for (const n of warnings)
      add(
        { kind: 'milestoneWarning', milestone, daysBefore: n },
        `${k}warning:${n}@${m.due}`,
        addDays(m.due, -n),
        false,
        false,
      );
    add({ kind: 'milestoneOverdue', milestone }, `${k}overdue@${m.due}`, addDays(m.due, 1));
  });
  add({ kind: 'overdue' }, `overdue@${due}`, addDays(due, 1));
  if (!state.interview && state.spec.interviewAtStart) {
    // Ordered with the assignment: at once, whatever the hour of the clock's notices.
    if (!state.fired.includes('interview'))
      out.push({
        rung: { kind: 'interview' },
        key: 'interview',
        day: assignedDay,
        provisional: false,
        at: state.assignedAt,
      });
  } else if (!state.interview) {
    const overdueFrom = due > assignedDay ? due : assignedDay;
    const d = clock.plus(overdueFrom, policy.interviewAfterOverdue);
    add({ kind: 'interview' }, 'interview', d.date, d.provisional);
  } else {
    const { date: rect, provisional: rectProvisional } = rectificationDue(state, policy, cal);
    const scope = restrictionScope(state.spec);
    if (scope && !state.restriction)
      add({ kind: 'restriction' }, 'restriction', addDays(rect, 1), rectProvisional);
    if (!state.accountability) {
      const d = scope
        ? clock.plus(rect, policy.accountabilityAfterRectification)
        : { date: addDays(rect, 1), provisional: false };
      add({ kind: 'accountability' }, 'accountability', d.date, d.provisional || rectProvisional);
    }
  }
  return out.sort((a, b) => toMillis(a.at) - toMillis(b.at) || a.key.localeCompare(b.key));
}

export function nextEscalation(
  state: TaskState,
  policy: EscalationPolicy,
  cal: WorkCalendar = EMPTY,
): PlannedRung | undefined {
  return plannedRungs(state, policy, cal)[0];
}

/**
 * The events of the rungs due at `now`. Each department's acknowledgement rungs go out on their own;
 * of the deadline rungs only the most severe is sent and the others are marked skipped, so none goes
 * out late. An accountability event names no one yet: the workflow fills in the persons the
 * directory names at that moment.
 */
export function escalate(
  state: TaskState,
  policy: EscalationPolicy,
  now: string,
  cal: WorkCalendar = EMPTY,
): TaskEvent[] {
  const due = plannedRungs(state, policy, cal).filter((p) => toMillis(p.at) <= toMillis(now));
  if (due.length === 0) return [];
  const clock = taskClock(state.assignedAt, policy, cal);
  const today = clock.today(now);
  const bodies: TaskEventBody[] = [];
  for (const p of due) {
    if (p.rung.kind === 'ackReminder')
      bodies.push({ type: 'AckReminderSent', department: p.rung.department, day: today, ...prov(p) });
    if (p.rung.kind === 'ackAlert')
      bodies.push({ type: 'AckAlertRaised', department: p.rung.department, ...prov(p) });
  }
  bodies.push(...milestoneEvents(state, due, today));
  const deadline = due.filter((p) => SEVERITY.includes(p.rung.kind));
  // The most severe; of equals (several warnings) the latest, so a 7-day warning is not sent as a 30-day one.
  const chosen = deadline.reduce<PlannedRung | undefined>(
    (best, p) => (!best || SEVERITY.indexOf(p.rung.kind) >= SEVERITY.indexOf(best.rung.kind) ? p : best),
    undefined,
  );
  if (chosen) {
    const skipped = deadline.filter((p) => p !== chosen).map((p) => p.key);
    const sk = skipped.length ? { skipped } : {};
    const rung = chosen.rung;
    const daysOverdue = Math.max(0, daysBetween(state.due, today));
    if (rung.kind === 'warning')
      bodies.push({ type: 'WarningIssued', daysBefore: rung.daysBefore, due: state.due, ...sk });
    if (rung.kind === 'overdue') bodies.push({ type: 'OverdueNoticed', due: state.due, daysOverdue, ...sk });
    if (rung.kind === 'interview') {
      const rect = clock.plus(today, policy.rectificationPeriod);
      bodies.push({
        type: 'InterviewOrdered',
        n: 1,
        due: state.due,
        daysOverdue,
        rectificationDue: rect.date,
        rectificationFrom: today,
        ...(rect.provisional ? { provisional: true } : {}),
        ...sk,
        ...(state.spec.interviewAtStart ? { reason: state.spec.interviewAtStart.reason } : {}),
      });
    }
    const rect = rectificationDue(state, policy, cal).date;
    const scope = restrictionScope(state.spec);
    if (rung.kind === 'restriction' && scope)
      bodies.push({
        type: 'RestrictionImposed',
        region: scope.region,
        sector: scope.sector,
        rectificationDue: rect,
      });
    if (rung.kind === 'accountability')
      bodies.push({
        type: 'AccountabilityRecorded',
        persons: [],
        reason: scope
          ? `整改期限 ${rect} 已过 ${policy.accountabilityAfterRectification.n} 天仍未完成`
          : `整改期限 ${rect} 已过仍未完成（无限批范围）`,
        referral: policy.referral,
        rectificationDue: rect,
      });
  }
  return bodies.map((b, i) => ({ ...b, seq: state.seq + 1 + i, at: now }) as TaskEvent);
}

/**
 * The rectification due date in force. One counted by default over a year whose calendar was not yet
 * published is counted again from the same day with the calendar as it is now.
 */
export function rectificationDue(
  state: TaskState,
  policy: EscalationPolicy,
  cal: WorkCalendar = EMPTY,
): { date: string; provisional: boolean } {
  const iv = state.interview;
  if (!iv) return { date: '', provisional: false };
  if (!iv.provisional || !iv.rectificationFrom)
    return { date: iv.rectificationDue, provisional: iv.provisional };
  return taskClock(state.assignedAt, policy, cal).plus(iv.rectificationFrom, policy.rectificationPeriod);
}

/**
 * A milestone's rungs due at once go out as one: its overdue notice, or else its latest warning; the
 * others are marked skipped. Milestones are told of each on its own.
 */
function milestoneEvents(state: TaskState, due: PlannedRung[], today: string): TaskEventBody[] {
  const groups = new Map<number, PlannedRung[]>();
  for (const p of due)
    if (p.rung.kind === 'milestoneWarning' || p.rung.kind === 'milestoneOverdue')
      groups.set(p.rung.milestone, [...(groups.get(p.rung.milestone) ?? []), p]);
  const out: TaskEventBody[] = [];
  for (const [milestone, rungs] of groups) {
    const m = state.milestones![milestone - 1];
    const rank = (p: PlannedRung) =>
      p.rung.kind === 'milestoneOverdue' ? 1000 : -('daysBefore' in p.rung ? p.rung.daysBefore : 0);
    const chosen = rungs.reduce((best, p) => (rank(p) > rank(best) ? p : best));
    const skipped = rungs.filter((p) => p !== chosen).map((p) => p.key);
    const sk = skipped.length ? { skipped } : {};
    const base = { milestone, title: m.title, due: m.due };
    if (chosen.rung.kind === 'milestoneOverdue')
      out.push({
        type: 'MilestoneOverdueNoticed',
        ...base,
        daysOverdue: Math.max(0, daysBetween(m.due, today)),
        ...sk,
      });
    else if (chosen.rung.kind === 'milestoneWarning')
      out.push({ type: 'MilestoneWarningIssued', ...base, daysBefore: chosen.rung.daysBefore, ...sk });
  }
  return out;
}

const prov = (p: PlannedRung) => (p.provisional ? { provisional: true } : {});
