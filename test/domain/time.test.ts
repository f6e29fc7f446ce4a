import { DateTime, Settings } from 'luxon';
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
  // Luxon's default zone is the machine's; make it one with daylight saving and a different date line.
  beforeAll(() => {
    Settings.defaultZone = 'America/Los_Angeles';
  });
  afterAll(() => {
    Settings.defaultZone = 'system';
  });

  test('same answers in Los Angeles', () => {
    expect(DateTime.local(2026, 1, 1).offset).toBe(-480); // the zone really changed
    expect(dayOf('2026-03-01T17:00:00Z')).toBe('2026-03-02');
    expect(dayOf(Date.UTC(2026, 2, 1, 15, 59, 59, 999))).toBe('2026-03-01');
    expect(atLocalHour('2026-03-02', 9)).toBe('2026-03-02T01:00:00.000Z');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09'); // a US daylight-saving change day
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(toMillis('2026-03-08T10:00:00.000Z')).toBe(Date.UTC(2026, 2, 8, 10));
    expect(isoInstant(Date.UTC(2026, 2, 8, 10))).toBe('2026-03-08T10:00:00.000Z');
  });
});
