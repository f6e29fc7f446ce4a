import {
  CalendarYearSchema,
  addWorkingDays,
  builtinCalendar,
  isCovered,
  isWorkingDay,
  mergeCalendars,
  nextWorkingDay,
  workingDaysBetween,
  type CalendarYear,
} from '../../domain/calendar';

const cal = builtinCalendar();

/** A plausible 2027 (not the official one): New Year 01-01..03 off, Sunday 01-31 worked. */
const year2027: CalendarYear = {
  year: 2027,
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-05', '2027-02-08', '2027-02-09'],
  workdays: ['2027-01-31'],
};

describe('the builtin calendar (chinese-days 1.5.7)', () => {
  test('covers 2004 to 2026, every year in between', () => {
    expect(cal.years[0]).toBe(2004);
    expect(cal.years.at(-1)).toBe(2026);
    expect(cal.years).toHaveLength(2026 - 2004 + 1);
    expect(isCovered(cal, '2004-01-01')).toBe(true);
    expect(isCovered(cal, '2026-12-31')).toBe(true);
    expect(isCovered(cal, '2003-12-31')).toBe(false);
    expect(isCovered(cal, '2027-01-01')).toBe(false);
  });

  test('is shared and frozen, so no caller can change it for the others', () => {
    expect(builtinCalendar()).toBe(cal);
    expect(Object.isFrozen(cal) && Object.isFrozen(cal.holidays)).toBe(true);
  });
});

describe('isWorkingDay', () => {
  test.each([
    ['2017-01-22', true, 'a Sunday worked before the Spring Festival (调休上班)'],
    ['2017-01-02', false, 'a Monday off in lieu of New Year’s Day on a Sunday'],
    ['2017-01-27', false, 'Spring Festival eve'],
    ['2017-01-30', false, 'Spring Festival, a Monday'],
    ['2017-02-02', false, 'the last day of the Spring Festival week'],
    ['2017-02-03', true, 'the Friday after it'],
    ['2017-02-04', true, 'a Saturday worked after it'],
    ['2017-02-05', false, 'an ordinary Sunday'],
    ['2020-01-31', false, 'the Spring Festival holiday extended in 2020'],
    ['2020-02-01', false, 'a Saturday first scheduled as a working day, then given off'],
    ['2020-02-03', true, 'back to work'],
    ['2019-09-29', true, 'a Sunday worked before National Day'],
    ['2019-10-07', false, 'National Day week'],
    ['2019-10-12', true, 'a Saturday worked after it'],
    ['2026-03-04', true, 'an ordinary Wednesday'],
  ])('%s: %s (%s)', (date, expected) => {
    expect(isWorkingDay(cal, date)).toBe(expected);
  });

  test('an uncovered year counts Monday to Friday only', () => {
    expect(isCovered(cal, '2031-01-01')).toBe(false);
    expect(isWorkingDay(cal, '2031-01-01')).toBe(true); // New Year's Day, a Wednesday: unknown, so a weekday
    expect(isWorkingDay(cal, '2031-01-04')).toBe(false); // Saturday
    expect(isWorkingDay(cal, '2031-01-05')).toBe(false); // Sunday
  });

  test('refuses what is not a date', () => {
    expect(() => isWorkingDay(cal, '2017-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay(cal, '2017-1-5')).toThrow(/not a date/);
    expect(() => isCovered(cal, '0099-01-01')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  test('skips the whole Spring Festival week', () => {
    expect(addWorkingDays(cal, '2017-01-26', 1)).toEqual({ date: '2017-02-03', provisional: false });
    expect(addWorkingDays(cal, '2017-01-26', 2)).toEqual({ date: '2017-02-04', provisional: false });
    expect(addWorkingDays(cal, '2017-01-20', 1)).toEqual({ date: '2017-01-22', provisional: false });
  });

  test('n = 0 is the day itself when it is a working day, else the next one', () => {
    expect(addWorkingDays(cal, '2017-01-22', 0)).toEqual({ date: '2017-01-22', provisional: false });
    expect(addWorkingDays(cal, '2017-01-28', 0)).toEqual({ date: '2017-02-03', provisional: false });
  });

  test('20 working days across National Day 2019 (a rectification period)', () => {
    expect(addWorkingDays(cal, '2019-09-20', 20)).toEqual({ date: '2019-10-23', provisional: false });
    expect(addWorkingDays(cal, '2019-09-30', 1)).toEqual({ date: '2019-10-08', provisional: false });
  });

  test('a rung in an uncovered year is planned on weekdays and marked provisional', () => {
    expect(addWorkingDays(cal, '2031-01-03', 1)).toEqual({ date: '2031-01-06', provisional: true });
    expect(addWorkingDays(cal, '2031-01-06', 5)).toEqual({ date: '2031-01-13', provisional: true });
  });

  test('provisional as soon as it steps into an uncovered year, not before', () => {
    expect(addWorkingDays(cal, '2026-12-28', 3)).toEqual({ date: '2026-12-31', provisional: false });
    expect(addWorkingDays(cal, '2026-12-30', 3)).toEqual({ date: '2027-01-04', provisional: true });
    // Landing on a covered day does not clear what was guessed on the way.
    const gap = mergeCalendars(cal, { year: 2028, holidays: ['2028-01-03'], workdays: [] });
    expect(addWorkingDays(gap, '2027-12-30', 2)).toEqual({ date: '2028-01-04', provisional: true });
  });

  test('after the year is loaded, the same call gives the loaded answer and is no longer provisional', () => {
    const loaded = mergeCalendars(cal, year2027);
    expect(addWorkingDays(loaded, '2026-12-30', 3)).toEqual({ date: '2027-01-05', provisional: false });
    expect(addWorkingDays(cal, '2027-02-04', 1)).toEqual({ date: '2027-02-05', provisional: true });
    expect(addWorkingDays(loaded, '2027-02-04', 1)).toEqual({ date: '2027-02-10', provisional: false });
    expect(addWorkingDays(loaded, '2027-01-29', 1)).toEqual({ date: '2027-01-31', provisional: false });
  });

  test('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(cal, '2017-01-26', -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2017-01-26', 1.5)).toThrow(RangeError);
  });

  test('is fast enough to run for every rung of every task', () => {
    const started = Date.now();
    for (let i = 0; i < 20_000; i++) addWorkingDays(cal, `2025-0${1 + (i % 9)}-1${i % 10}`, 20);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('nextWorkingDay', () => {
  test('is strictly after the date', () => {
    expect(nextWorkingDay(cal, '2017-01-21')).toEqual({ date: '2017-01-22', provisional: false });
    expect(nextWorkingDay(cal, '2017-01-22')).toEqual({ date: '2017-01-23', provisional: false });
    expect(nextWorkingDay(cal, '2019-09-30')).toEqual({ date: '2019-10-08', provisional: false });
    expect(nextWorkingDay(cal, '2031-01-03')).toEqual({ date: '2031-01-06', provisional: true });
  });
});

describe('workingDaysBetween: working days in (from, to]', () => {
  test('across National Day 2019', () => {
    // 09-29 (Sun, worked), 09-30, 10-08..10-11, 10-12 (Sat, worked), 10-14
    expect(workingDaysBetween(cal, '2019-09-27', '2019-10-14')).toBe(8);
    expect(workingDaysBetween(cal, '2019-09-30', '2019-10-07')).toBe(0);
  });

  test('across the 2017 Spring Festival', () => {
    // 01-22 (Sun, worked), 01-23..26, 02-03, 02-04 (Sat, worked)
    expect(workingDaysBetween(cal, '2017-01-20', '2017-02-05')).toBe(7);
  });

  test('an empty interval counts nothing', () => {
    expect(workingDaysBetween(cal, '2017-02-03', '2017-02-03')).toBe(0);
    expect(workingDaysBetween(cal, '2017-02-10', '2017-02-03')).toBe(0);
  });

  test('agrees with addWorkingDays', () => {
    for (const [from, n] of [
      ['2017-01-26', 1],
      ['2019-09-20', 20],
      ['2020-01-20', 15],
    ] as const) {
      expect(workingDaysBetween(cal, from, addWorkingDays(cal, from, n).date)).toBe(n);
    }
  });
});

describe('mergeCalendars', () => {
  test('adds an uncovered year', () => {
    const merged = mergeCalendars(cal, year2027);
    expect(merged.years.at(-1)).toBe(2027);
    expect(isCovered(merged, '2027-06-01')).toBe(true);
    expect(isWorkingDay(merged, '2027-01-01')).toBe(false);
    expect(isWorkingDay(merged, '2027-01-31')).toBe(true);
    expect(isWorkingDay(merged, '2027-03-01')).toBe(true); // a Monday the year does not mention
  });

  test('replaces a covered year entirely and leaves the others alone', () => {
    const merged = mergeCalendars(cal, { year: 2017, holidays: ['2017-01-03'], workdays: [] });
    expect(isWorkingDay(merged, '2017-01-22')).toBe(false);
    expect(isWorkingDay(merged, '2017-01-02')).toBe(true);
    expect(isWorkingDay(merged, '2017-01-03')).toBe(false);
    expect(isWorkingDay(merged, '2017-01-27')).toBe(true);
    expect(merged.holidays.filter((d) => d.startsWith('2017-'))).toEqual(['2017-01-03']);
    expect(isWorkingDay(merged, '2020-01-31')).toBe(false);
    expect(merged.years).toEqual(cal.years);
  });

  test('the later of two loads of one year wins; the base is not changed', () => {
    const merged = mergeCalendars(cal, year2027, { ...year2027, holidays: ['2027-03-01'] });
    expect(isWorkingDay(merged, '2027-01-01')).toBe(true);
    expect(isWorkingDay(merged, '2027-03-01')).toBe(false);
    expect(isCovered(cal, '2027-01-01')).toBe(false);
  });

  test('is plain data that survives a JSON round trip (as a workflow argument does)', () => {
    const merged = JSON.parse(JSON.stringify(mergeCalendars(cal, year2027))) as typeof cal;
    expect(addWorkingDays(merged, '2026-12-30', 3)).toEqual({ date: '2027-01-05', provisional: false });
  });
});

describe('CalendarYearSchema', () => {
  const problems = (input: unknown) => {
    const r = CalendarYearSchema.safeParse(input);
    if (r.success) return [];
    return r.error.issues.map(
      (i) =>
        `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`,
    );
  };

  test('accepts a plausible year', () => {
    expect(CalendarYearSchema.parse(year2027)).toEqual(year2027);
  });

  test('names the field and index of a date that does not exist', () => {
    expect(
      problems({ ...year2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-30'] }),
    ).toEqual(['.holidays[3]: 2027-02-30 不是有效日期（YYYY-MM-DD） / 2027-02-30 is not a date']);
    expect(problems({ ...year2027, workdays: ['2027-1-31'] })).toEqual([
      '.workdays[0]: 2027-1-31 不是有效日期（YYYY-MM-DD） / 2027-1-31 is not a date',
    ]);
  });

  test('refuses a date outside the year, a weekday worked, a day in both lists, a day twice', () => {
    expect(
      problems({
        year: 2027,
        holidays: ['2026-12-31', '2027-01-01', '2027-01-01'],
        workdays: ['2027-01-06', '2027-01-01'],
      }),
    ).toEqual([
      '.holidays[0]: 2026-12-31 不在 2027 年 / 2026-12-31 is not in 2027',
      '.holidays[2]: 2027-01-01 与 holidays[1] 重复 / 2027-01-01 is listed twice (holidays[1])',
      '.workdays[0]: 2027-01-06 是星期三，调休上班日应为周六或周日 / 2027-01-06 is a Wednesday; a working weekend day must be a Saturday or Sunday',
      '.workdays[1]: 2027-01-01 是星期五，调休上班日应为周六或周日 / 2027-01-01 is a Friday; a working weekend day must be a Saturday or Sunday',
      '.workdays[1]: 2027-01-01 已列为放假日 holidays[1]，不能同时调休上班 / 2027-01-01 is already a day off (holidays[1]), it cannot also be a working day',
    ]);
  });

  test('allows a weekend day off (a holiday that falls on a Saturday)', () => {
    expect(problems({ year: 2027, holidays: ['2027-01-02'], workdays: [] })).toEqual([]);
  });

  test('names missing, mistyped and unknown fields, and a year out of range', () => {
    expect(problems({ holidays: '2027-01-01', extra: 1 })).toEqual([
      '.year: 缺少必填字段 / required field is missing',
      '.holidays: 应为日期列表 / expected a list of dates',
      '.workdays: 缺少必填字段 / required field is missing',
      ': 未知字段 extra（只能有 year、holidays、workdays） / unknown field extra (expected year, holidays, workdays)',
    ]);
    expect(problems({ year: 1999, holidays: ['1999-01-01'], workdays: [] })).toEqual([
      '.year: 年份应在 2000–2100 之间 / the year must be 2000–2100',
    ]);
    expect(problems({ year: 2027, holidays: [], workdays: [20270131] })).toEqual([
      '.holidays: 至少应有一个放假日 / at least one day off',
      '.workdays[0]: 应为日期文字 YYYY-MM-DD / expected a date string YYYY-MM-DD',
    ]);
  });
});
