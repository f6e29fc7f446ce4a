import type { EscalationPolicy } from './policy';
import type { Rung, TaskEvent } from './task-events';
import { type TaskState } from './task-state';
import { addDays, atLocalHour, daysBetween, dayOf, toMillis } from './time';

export interface PlannedRung {
  at: string;
  rung: Rung;
  key: string;
}

function rungKey(r: Rung): string {
  return r.kind === 'warning' ? `warning:${r.daysBefore}` : 'overdue';
}

/**
 * Every rung still ahead of the task, earliest first. Warnings whose time had already passed when the
 * task was assigned are never sent late; the overdue notice is, at once. A submitted task waits for
 * the supervisor, so its rungs are held until it is sent back.
 */
export function plannedRungs(state: TaskState, policy: EscalationPolicy): PlannedRung[] {
  if (state.status !== 'assigned' && state.status !== 'acknowledged') return [];
  const assigned = toMillis(state.assignedAt);
  const out: PlannedRung[] = [];
  for (const n of [...new Set(policy.warningDaysBefore)].sort((a, b) => b - a)) {
    const at = atLocalHour(addDays(state.due, -n), policy.noticeHour);
    if (toMillis(at) > assigned) out.push({ at, rung: { kind: 'warning', daysBefore: n }, key: '' });
  }
  const overdueAt = atLocalHour(addDays(state.due, 1), policy.noticeHour);
  out.push({
    at: toMillis(overdueAt) > assigned ? overdueAt : state.assignedAt,
    rung: { kind: 'overdue' },
    key: '',
  });
  return out
    .map((p) => ({ ...p, key: rungKey(p.rung) }))
    .filter((p) => !state.fired.includes(p.key))
    .sort((a, b) => toMillis(a.at) - toMillis(b.at));
}

export function nextEscalation(state: TaskState, policy: EscalationPolicy): PlannedRung | undefined {
  return plannedRungs(state, policy)[0];
}

/**
 * The event of the rungs due at `now`. When several are due at once (a task assigned late, or a worker
 * that was down) only the most severe is sent; the others are marked skipped so none goes out late.
 */
export function escalate(state: TaskState, policy: EscalationPolicy, now: string): TaskEvent[] {
  const due = plannedRungs(state, policy).filter((p) => toMillis(p.at) <= toMillis(now));
  if (due.length === 0) return [];
  const chosen = due.find((p) => p.rung.kind === 'overdue') ?? due[due.length - 1];
  const skipped = due.filter((p) => p !== chosen).map((p) => p.key);
  const base = { seq: state.seq + 1, at: now, ...(skipped.length ? { skipped } : {}) };
  if (chosen.rung.kind === 'overdue') {
    return [
      { type: 'OverdueNoticed', due: state.due, daysOverdue: daysBetween(state.due, dayOf(now)), ...base },
    ];
  }
  return [{ type: 'WarningIssued', daysBefore: chosen.rung.daysBefore, due: state.due, ...base }];
}
