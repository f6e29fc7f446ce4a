import type { WorkCalendar } from './calendar';
import { addWorkingDays, workingDaysBetween } from './calendar';
import type { EscalationPolicy, Span } from './policy';
import { addDays, atLocalHour, dayOf, daysBetween, isoInstant, toMillis } from './time';

export interface Dated {
  date: string;
  /** Counted over a year whose official calendar is not yet known (weekdays only). */
  provisional: boolean;
}

/** How a task's ladder reads time: real days in Asia/Shanghai, or the demo policy's short days. */
export interface Clock {
  /** The calendar day an instant falls on. */
  today(now: string): string;
  /** When the clock's notices for a day go out. */
  at(day: string): string;
  plus(day: string, span: Span): Dated;
  /** The working days in (from, to]: what a pause from `from` to `to` took from the task. */
  workingDaysBetween(from: string, to: string): number;
}

export function taskClock(assignedAt: string, policy: EscalationPolicy, cal: WorkCalendar): Clock {
  const spd = policy.secondsPerDay;
  if (spd) {
    // Demo: day 0 is the assignment day, each further day lasts `spd` seconds, every day is a working day.
    const day0 = dayOf(assignedAt);
    const start = toMillis(assignedAt);
    return {
      today: (now) => addDays(day0, Math.floor((toMillis(now) - start) / (spd * 1000))),
      at: (day) => isoInstant(start + daysBetween(day0, day) * spd * 1000),
      plus: (day, span) => ({ date: addDays(day, span.n), provisional: false }),
      workingDaysBetween: (from, to) => Math.max(0, daysBetween(from, to)),
    };
  }
  return {
    today: (now) => dayOf(now),
    at: (day) => atLocalHour(day, policy.noticeHour),
    plus: (day, span) =>
      span.unit === 'd'
        ? { date: addDays(day, span.n), provisional: false }
        : addWorkingDays(cal, day, span.n),
    workingDaysBetween: (from, to) => workingDaysBetween(cal, from, to),
  };
}
