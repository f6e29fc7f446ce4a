import { createCalendarActivities } from '../../activities/calendar';
import { addWorkingDays, builtinCalendar } from '../../domain/calendar';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let file: string;
  let store: Store;
  beforeAll(async () => {
    file = await db.fresh();
    store = await openStore(file);
  });
  afterAll(() => store?.close());

  const y2027 = {
    year: 2027,
    holidays: ['2027-01-03', '2027-01-01', '2027-01-02'],
    workdays: ['2027-01-31'],
  };

  test('a new store has no loaded years', async () => {
    expect(await store.calendarYears()).toEqual([]);
  });

  test('a saved year reads back sorted, with its source and when it was loaded', async () => {
    const saved = await store.saveCalendarYear(y2027, '国办发明电〔2026〕X号');
    expect(saved).toEqual({
      year: 2027,
      holidays: ['2027-01-01', '2027-01-02', '2027-01-03'],
      workdays: ['2027-01-31'],
      source: '国办发明电〔2026〕X号',
      loadedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown as string,
    });
    expect(await store.calendarYears()).toEqual([saved]);
  });

  test('saving a year again replaces it; years come back oldest first', async () => {
    await store.saveCalendarYear({ year: 2028, holidays: ['2028-01-01'], workdays: [] }, 'b');
    await store.saveCalendarYear({ ...y2027, holidays: ['2027-01-01'], workdays: [] }, 'corrected');
    const years = await store.calendarYears();
    expect(years.map((y) => [y.year, y.source, y.holidays, y.workdays])).toEqual([
      [2027, 'corrected', ['2027-01-01'], []],
      [2028, 'b', ['2028-01-01'], []],
    ]);
  });

  test('an invalid year is refused and nothing is stored', async () => {
    const before = await store.calendarYears();
    await expect(
      store.saveCalendarYear({ year: 2029, holidays: ['2029-02-30'], workdays: [] }, 'x'),
    ).rejects.toThrow(/2029-02-30/);
    expect(await store.calendarYears()).toEqual(before);
  });

  test('loaded years survive reopening the file', async () => {
    const again = await openStore(file);
    try {
      expect((await again.calendarYears()).map((y) => y.year)).toEqual([2027, 2028]);
    } finally {
      await again.close();
    }
  });

  test('getCalendar: the builtin years plus every loaded one', async () => {
    const { getCalendar } = createCalendarActivities({ store });
    const cal = await getCalendar();
    expect(cal.years).toEqual([...builtinCalendar().years, 2027, 2028]);
    // 2027-01-01 is a day off as loaded; 2027-01-02/03 (a weekend) were in the first load only.
    expect(addWorkingDays(cal, '2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: false });
    expect(addWorkingDays(cal, '2028-12-29', 1)).toEqual({ date: '2029-01-01', provisional: true });
    expect(addWorkingDays(cal, '2017-01-26', 1)).toEqual({ date: '2017-02-03', provisional: false });
  });
});
