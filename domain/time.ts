/** Every plan in duban is kept in China's time; due dates are calendar days there. */
export const ZONE = 'Asia/Shanghai';

// China's clocks have stood at UTC+8 without daylight saving since 1992 (the tz database agrees), so a
// calendar day there is a fixed 24 h window and the arithmetic is plain integer arithmetic. It runs in
// every workflow's first activation and every replay: a time-zone library's Intl formatters, built afresh
// in each workflow's own copy of its module, cost far more than the ladder they date.
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Days since 1970-01-01 of a YYYY-MM-DD that names a real day, else NaN. A civil date is the same day in
 * every zone, so day numbers are the whole of calendar arithmetic (the work calendar counts in them too).
 */
export function dayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d);
  // 02-30 rolls over into March: then it named no day.
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d
    ? day.getTime() / DAY_MS
    : NaN;
}

/**
 * The YYYY-MM-DD of a day number. NaN gives null, as the library these functions replaced did for an
 * invalid date; callers rule it out with isIsoDate first.
 */
export function dateOfDay(day: number): string {
  return (Number.isFinite(day) ? new Date(day * DAY_MS).toISOString().slice(0, 10) : null) as string;
}

export function isIsoDate(s: string): boolean {
  return !Number.isNaN(dayNumber(s));
}

/** The calendar day (YYYY-MM-DD, Asia/Shanghai) that an instant falls on. */
export function dayOf(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : toMillis(instant);
  return dateOfDay(Math.floor((ms + OFFSET_MS) / DAY_MS));
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** The instant (UTC ISO) of `hour`:00 local time on `date`. */
export function atLocalHour(date: string, hour: number): string {
  return isoInstant(dayNumber(date) * DAY_MS + hour * 3_600_000 - OFFSET_MS);
}

export function toMillis(instant: string): number {
  return Date.parse(instant);
}

export function isoInstant(ms: number): string {
  return (Number.isFinite(ms) ? new Date(ms).toISOString() : null) as string;
}
