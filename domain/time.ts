import { DateTime } from 'luxon';

/** Every plan in duban is kept in China's time; due dates are calendar days there. */
export const ZONE = 'Asia/Shanghai';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: string): boolean {
  return ISO_DATE.test(s) && DateTime.fromISO(s, { zone: ZONE }).isValid;
}

/** The calendar day (YYYY-MM-DD, Asia/Shanghai) that an instant falls on. */
export function dayOf(instant: string | number): string {
  const dt = typeof instant === 'number' ? DateTime.fromMillis(instant) : DateTime.fromISO(instant);
  return dt.setZone(ZONE).toISODate()!;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: ZONE }).plus({ days }).toISODate()!;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    DateTime.fromISO(to, { zone: ZONE }).diff(DateTime.fromISO(from, { zone: ZONE }), 'days').days,
  );
}

/** The instant (UTC ISO) of `hour`:00 local time on `date`. */
export function atLocalHour(date: string, hour: number): string {
  return DateTime.fromISO(date, { zone: ZONE })
    .set({ hour, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO()!;
}

export function toMillis(instant: string): number {
  return DateTime.fromISO(instant).toMillis();
}

export function isoInstant(ms: number): string {
  return DateTime.fromMillis(ms).toUTC().toISO()!;
}
