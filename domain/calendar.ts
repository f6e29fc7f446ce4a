import data from 'chinese-days/dist/chinese-days.json';
import { z } from 'zod';
import { missingOr } from './messages';
import { dateOfDay, dayNumber } from './time';

/**
 * China's working-day calendar as plain data, so it can be handed to a workflow as an argument: the
 * workflow never reads a package's table itself, and a newer table cannot change a replayed history.
 * Dates are Asia/Shanghai calendar days, YYYY-MM-DD. Treat a calendar as immutable: lookups are cached
 * per object.
 */
export interface WorkCalendar {
  /** The years whose official calendar is known; any other year counts Monday–Friday, provisionally. */
  years: number[];
  /** Days off: statutory holidays, including days off in lieu (调休放假). */
  holidays: string[];
  /** Weekend days that are working days (调休上班). */
  workdays: string[];
}

/** One year's official calendar, as the State Council publishes it and an operator loads it. */
export interface CalendarYear {
  year: number;
  holidays: string[];
  workdays: string[];
}

const DAY_MS = 86_400_000;
const WEEKDAY_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The day number (domain/time.ts) of a date: calendar arithmetic in Asia/Shanghai without a time zone
 * library in the hot loop. No official calendar names a day before the year 100.
 */
function parseDay(date: string): number | undefined {
  const day = dayNumber(date);
  return Number.isNaN(day) || date < '0100' ? undefined : day;
}

function dayOfDate(date: string): number {
  const day = parseDay(date);
  if (day === undefined) throw new RangeError(`不是有效日期 / not a date (YYYY-MM-DD): ${date}`);
  return day;
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

const yearOf = (date: string) => Number(date.slice(0, 4));

const UNKNOWN = 0;
const WORKING = 1;
const OFF = 2;

/** Each covered day's status in one array, indexed from the first covered year's 1 January. */
interface Compiled {
  first: number;
  status: Uint8Array;
}

const compiledCache = new WeakMap<WorkCalendar, Compiled>();

function compile(cal: WorkCalendar): Compiled {
  const cached = compiledCache.get(cal);
  if (cached) return cached;
  const years = new Set(cal.years);
  let compiled: Compiled = { first: 0, status: new Uint8Array(0) };
  if (years.size > 0) {
    const lo = Math.min(...years);
    const hi = Math.max(...years);
    const first = Date.UTC(lo, 0, 1) / DAY_MS;
    const status = new Uint8Array(Date.UTC(hi + 1, 0, 1) / DAY_MS - first);
    for (const y of years) {
      const end = Date.UTC(y + 1, 0, 1) / DAY_MS;
      for (let d = Date.UTC(y, 0, 1) / DAY_MS; d < end; d++) status[d - first] = isWeekend(d) ? OFF : WORKING;
    }
    // Days listed for a year the calendar does not claim to know are ignored, not half-trusted.
    const mark = (dates: string[], value: number) => {
      for (const date of dates) {
        if (!years.has(yearOf(date))) continue;
        status[dayOfDate(date) - first] = value;
      }
    };
    mark(cal.holidays, OFF);
    mark(cal.workdays, WORKING);
    compiled = { first, status };
  }
  compiledCache.set(cal, compiled);
  return compiled;
}

function statusOf(c: Compiled, day: number): number {
  const i = day - c.first;
  return i >= 0 && i < c.status.length ? c.status[i] : UNKNOWN;
}

let builtin: WorkCalendar | undefined;

/** The calendar the `chinese-days` package ships (2004 to the last year it has). Frozen; shared. */
export function builtinCalendar(): WorkCalendar {
  if (!builtin) {
    const holidays = Object.keys(data.holidays).sort();
    const workdays = Object.keys(data.workdays).sort();
    const years = [...new Set([...holidays, ...workdays].map(yearOf))].sort((a, b) => a - b);
    builtin = Object.freeze({
      years: Object.freeze(years) as number[],
      holidays: Object.freeze(holidays) as string[],
      workdays: Object.freeze(workdays) as string[],
    });
  }
  return builtin;
}

/** `base` with each given year's days replaced by that year's list; later years win over earlier ones. */
export function mergeCalendars(base: WorkCalendar, ...years: CalendarYear[]): WorkCalendar {
  const loaded = new Map(years.map((y) => [y.year, y]));
  const keep = (d: string) => !loaded.has(yearOf(d));
  return {
    years: [...new Set([...base.years, ...loaded.keys()])].sort((a, b) => a - b),
    holidays: [...base.holidays.filter(keep), ...[...loaded.values()].flatMap((y) => y.holidays)].sort(),
    workdays: [...base.workdays.filter(keep), ...[...loaded.values()].flatMap((y) => y.workdays)].sort(),
  };
}

/** Whether the official calendar of `date`'s year is known. */
export function isCovered(cal: WorkCalendar, date: string): boolean {
  return statusOf(compile(cal), dayOfDate(date)) !== UNKNOWN;
}

function working(c: Compiled, day: number): { working: boolean; covered: boolean } {
  const s = statusOf(c, day);
  return s === UNKNOWN
    ? { working: !isWeekend(day), covered: false }
    : { working: s === WORKING, covered: true };
}

/** Whether `date` is a working day; in a year without an official calendar, Monday to Friday. */
export function isWorkingDay(cal: WorkCalendar, date: string): boolean {
  return working(compile(cal), dayOfDate(date)).working;
}

/**
 * The n-th working day after `date` (n >= 1; n = 0 returns `date` itself if it is a working day, else
 * the next one). `provisional` is true when any day it stepped over or landed on lies in a year the
 * calendar does not cover: the answer may move when that year's calendar is published.
 */
export function addWorkingDays(
  cal: WorkCalendar,
  date: string,
  n: number,
): { date: string; provisional: boolean } {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`工作日数应为非负整数 / working days must be a whole number >= 0: ${n}`);
  const c = compile(cal);
  let day = dayOfDate(date) + (n === 0 ? 0 : 1);
  let left = Math.max(n, 1);
  let provisional = false;
  for (; ; day++) {
    const d = working(c, day);
    if (!d.covered) provisional = true;
    if (d.working && --left === 0) return { date: dateOfDay(day), provisional };
  }
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(cal: WorkCalendar, date: string): { date: string; provisional: boolean } {
  return addWorkingDays(cal, date, 1);
}

/** How many working days lie in (from, to]; 0 when `to` is not after `from`. */
export function workingDaysBetween(cal: WorkCalendar, from: string, to: string): number {
  const c = compile(cal);
  const end = dayOfDate(to);
  let count = 0;
  for (let day = dayOfDate(from) + 1; day <= end; day++) if (working(c, day).working) count++;
  return count;
}

const dateString = z
  .string({
    error: missingOr('应为日期文字 YYYY-MM-DD / expected a date string YYYY-MM-DD'),
  })
  .refine((d) => parseDay(d) !== undefined, {
    error: (iss) => `${String(iss.input)} 不是有效日期（YYYY-MM-DD） / ${String(iss.input)} is not a date`,
  });

const dateList = z.array(dateString, {
  error: missingOr('应为日期列表 / expected a list of dates'),
});

const yearRange = '年份应在 2000–2100 之间 / the year must be 2000–2100';

/** One year's calendar file, checked strictly: issues name the field and index (`holidays[3]`). */
export const CalendarYearSchema = z
  .object(
    {
      year: z
        .number({
          error: missingOr('应为年份数字 / expected a year (a number)'),
        })
        .int('应为整数年份 / expected a whole year')
        .min(2000, yearRange)
        .max(2100, yearRange),
      holidays: dateList.min(1, '至少应有一个放假日 / at least one day off'),
      workdays: dateList,
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `未知字段 ${iss.keys.join(', ')}（只能有 year、holidays、workdays） / ` +
            `unknown field ${iss.keys.join(', ')} (expected year, holidays, workdays)`
          : '应为 {year, holidays, workdays} / expected {year, holidays, workdays}',
    },
  )
  .strict()
  .superRefine((y, ctx) => {
    const seen = new Map<string, string>();
    const check = (field: 'holidays' | 'workdays') =>
      y[field].forEach((date, i) => {
        const day = parseDay(date);
        if (day === undefined) return; // already reported by the element's own check
        const issue = (message: string) => ctx.addIssue({ code: 'custom', path: [field, i], message });
        if (yearOf(date) !== y.year) issue(`${date} 不在 ${y.year} 年 / ${date} is not in ${y.year}`);
        const w = weekdayOf(day);
        if (field === 'workdays' && w !== 0 && w !== 6)
          issue(
            `${date} 是${WEEKDAY_ZH[w]}，调休上班日应为周六或周日 / ` +
              `${date} is a ${WEEKDAY_EN[w]}; a working weekend day must be a Saturday or Sunday`,
          );
        const where = `${field}[${i}]`;
        const before = seen.get(date);
        if (before?.startsWith(field))
          issue(`${date} 与 ${before} 重复 / ${date} is listed twice (${before})`);
        else if (before)
          issue(
            `${date} 已列为放假日 ${before}，不能同时调休上班 / ${date} is already a day off (${before}), ` +
              'it cannot also be a working day',
          );
        else seen.set(date, where);
      });
    check('holidays');
    check('workdays');
  });
