import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import ts from 'typescript';
import {
  addDays,
  atLocalHour,
  dayOf,
  daysBetween,
  isIsoDate,
  isoInstant,
  toMillis,
  ZONE,
} from '../../domain';

describe('time helpers (Asia/Shanghai, UTC+8, no daylight saving)', () => {
  test('the zone', () => {
    expect(ZONE).toBe('Asia/Shanghai');
  });

  describe('dayOf: the local calendar day of an instant', () => {
    test.each([
      ['2026-03-01T17:00:00Z', '2026-03-02'],
      ['2026-03-01T17:00:00.000Z', '2026-03-02'],
      ['2026-03-01T16:00:00.000Z', '2026-03-02'], // local midnight
      ['2026-03-01T15:59:59.999Z', '2026-03-01'], // one millisecond before it
      ['2026-03-02T15:59:59.999Z', '2026-03-02'],
      ['2026-12-31T16:00:00.000Z', '2027-01-01'], // new year arrives in Shanghai first
      ['2028-02-28T16:00:00.000Z', '2028-02-29'],
      ['2026-03-02T00:30:00+08:00', '2026-03-02'],
      ['2026-03-01T12:00:00-05:00', '2026-03-02'], // 17:00Z
    ])('%s is %s', (instant, day) => {
      expect(dayOf(instant)).toBe(day);
    });

    test('accepts epoch milliseconds', () => {
      expect(dayOf(Date.UTC(2026, 2, 1, 17, 0))).toBe('2026-03-02');
      expect(dayOf(Date.UTC(2026, 2, 1, 15, 59, 59, 999))).toBe('2026-03-01');
      expect(dayOf(0)).toBe('1970-01-01');
    });
  });

  describe('atLocalHour: hour:00 local as a UTC instant', () => {
    test.each([
      ['2026-03-02', 9, '2026-03-02T01:00:00.000Z'],
      ['2026-03-02', 0, '2026-03-01T16:00:00.000Z'],
      ['2026-03-02', 7, '2026-03-01T23:00:00.000Z'],
      ['2026-03-02', 8, '2026-03-02T00:00:00.000Z'],
      ['2026-03-02', 23, '2026-03-02T15:00:00.000Z'],
      ['2027-01-01', 0, '2026-12-31T16:00:00.000Z'],
    ])('%s %i:00 is %s', (date, hour, instant) => {
      expect(atLocalHour(date, hour)).toBe(instant);
      expect(dayOf(instant)).toBe(date);
    });
  });

  describe('addDays', () => {
    test.each([
      ['2026-04-01', -30, '2026-03-02'],
      ['2026-04-01', -7, '2026-03-25'],
      ['2026-04-01', -1, '2026-03-31'],
      ['2026-04-01', 1, '2026-04-02'],
      ['2026-04-01', 0, '2026-04-01'],
      ['2026-02-28', 1, '2026-03-01'],
      ['2028-02-28', 1, '2028-02-29'],
      ['2026-12-31', 1, '2027-01-01'],
      ['2026-03-01', -1, '2026-02-28'],
      ['2026-01-01', 365, '2027-01-01'],
    ])('%s %+i days is %s', (date, n, expected) => {
      expect(addDays(date, n)).toBe(expected);
    });
  });

  describe('daysBetween', () => {
    test.each([
      ['2026-04-01', '2026-04-02', 1],
      ['2026-04-02', '2026-04-01', -1],
      ['2026-04-01', '2026-04-01', 0],
      ['2026-03-02', '2026-04-01', 30],
      ['2026-02-01', '2026-03-01', 28],
      ['2028-02-01', '2028-03-01', 29],
      ['2026-01-01', '2027-01-01', 365],
      ['2028-01-01', '2029-01-01', 366],
    ])('%s to %s is %i', (from, to, days) => {
      expect(daysBetween(from, to)).toBe(days);
    });
  });

  describe('isIsoDate', () => {
    test.each(['2026-03-02', '2016-02-29', '2000-01-01', '2026-12-31'])('%s is a date', (d) => {
      expect(isIsoDate(d)).toBe(true);
    });
    test.each([
      '2017-02-30',
      '2017-02-29',
      '2026-00-10',
      '2026-13-01',
      '2026-04-31',
      '2017/01/01',
      '2017-1-1',
      '2026-03-02T00:00',
      ' 2026-03-02',
      '２０２６-03-02',
      '',
    ])('%j is not', (d) => {
      expect(isIsoDate(d)).toBe(false);
    });
  });

  test('toMillis and isoInstant round-trip, always in UTC', () => {
    expect(toMillis('2026-03-02T01:00:00.000Z')).toBe(Date.UTC(2026, 2, 2, 1));
    expect(toMillis('2026-03-02T09:00:00+08:00')).toBe(Date.UTC(2026, 2, 2, 1));
    expect(isoInstant(Date.UTC(2026, 2, 2, 1))).toBe('2026-03-02T01:00:00.000Z');
    expect(isoInstant(toMillis('2026-03-01T17:00:00.000Z'))).toBe('2026-03-01T17:00:00.000Z');
  });
});

describe('the results do not depend on the machine time zone', () => {
  test('same answers in Los Angeles (a zone with daylight saving and another date)', () => {
    // The module on its own in a node whose zone is Los Angeles (the zone is read once per process).
    const js = ts.transpileModule(fs.readFileSync(path.join(__dirname, '../../domain/time.ts'), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const probe = `
      const module = { exports: {} };
      new Function('module', 'exports', ${JSON.stringify(js)})(module, module.exports);
      const t = module.exports;
      console.log(JSON.stringify([
        new Date(2026, 0, 1).getTimezoneOffset(),
        t.dayOf('2026-03-01T17:00:00Z'),
        t.dayOf(Date.UTC(2026, 2, 1, 15, 59, 59, 999)),
        t.atLocalHour('2026-03-02', 9),
        t.addDays('2026-03-08', 1),
        t.daysBetween('2026-03-01', '2026-04-01'),
        t.toMillis('2026-03-08T10:00:00.000Z'),
        t.isoInstant(Date.UTC(2026, 2, 8, 10)),
      ]));`;
    const out = execFileSync(process.execPath, ['-e', probe], {
      env: { ...process.env, TZ: 'America/Los_Angeles' },
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual([
      480, // the zone really is another
      '2026-03-02',
      '2026-03-01',
      '2026-03-02T01:00:00.000Z',
      '2026-03-09', // a US daylight-saving change day
      31,
      Date.UTC(2026, 2, 8, 10),
      '2026-03-08T10:00:00.000Z',
    ]);
  });
});

describe('the same answers as the tz database (through luxon) wherever a plan can be', () => {
  // Histories recorded before this arithmetic replaced luxon in the workflows must replay to the same
  // instants: every function against luxon over 1992–2100, with a fixed seed so a failure reproduces.
  let seed = 20161231;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const from = Date.UTC(1992, 0, 1);
  const span = Date.UTC(2100, 11, 31) - from;
  const L = (d: string) => DateTime.fromISO(d, { zone: ZONE });

  test('20,000 random days, instants, hours and offsets', () => {
    const wrong: string[] = [];
    const same = (what: string, a: unknown, b: unknown) => {
      if (a !== b && wrong.length < 10) wrong.push(`${what}: ${String(a)} ≠ luxon ${String(b)}`);
    };
    for (let i = 0; i < 20_000; i++) {
      const ms = from + rand(span);
      const iso = new Date(ms).toISOString();
      const date = DateTime.fromMillis(ms).setZone(ZONE).toISODate()!;
      const days = rand(8001) - 4000;
      const hour = rand(24);
      const other = DateTime.fromMillis(from + rand(span))
        .setZone(ZONE)
        .toISODate()!;
      same(`dayOf(${iso})`, dayOf(iso), date);
      same(`dayOf(${ms})`, dayOf(ms), date);
      same(`addDays(${date}, ${days})`, addDays(date, days), L(date).plus({ days }).toISODate());
      same(
        `daysBetween(${date}, ${other})`,
        daysBetween(date, other),
        Math.round(L(other).diff(L(date), 'days').days),
      );
      same(
        `atLocalHour(${date}, ${hour})`,
        atLocalHour(date, hour),
        L(date).set({ hour, minute: 0, second: 0, millisecond: 0 }).toUTC().toISO(),
      );
      same(`toMillis(${iso})`, toMillis(iso), DateTime.fromISO(iso).toMillis());
      same(`isoInstant(${ms})`, isoInstant(ms), DateTime.fromMillis(ms).toUTC().toISO());
    }
    expect(wrong).toEqual([]);
  });

  test('what is not a day is null, as before', () => {
    expect(addDays('2017-02-30', 1)).toBeNull();
    expect(atLocalHour('nope', 9)).toBeNull();
    expect(isoInstant(NaN)).toBeNull();
    expect(Number.isNaN(daysBetween('2026-01-01', '2026-13-01'))).toBe(true);
    expect(isIsoDate('0099-01-01')).toBe(true);
  });
});
