import { parsePeriod, previousMonth } from '../../domain/bulletin';

describe('a bulletin period names its first and last day', () => {
  test.each([
    ['2027-03', { key: '2027-03', label: '2027年3月', from: '2027-03-01', to: '2027-03-31' }],
    ['2028-02', { key: '2028-02', label: '2028年2月', from: '2028-02-01', to: '2028-02-29' }],
    ['2027-02', { key: '2027-02', label: '2027年2月', from: '2027-02-01', to: '2027-02-28' }],
    ['2027-12', { key: '2027-12', label: '2027年12月', from: '2027-12-01', to: '2027-12-31' }],
    ['2027Q1', { key: '2027Q1', label: '2027年第一季度', from: '2027-01-01', to: '2027-03-31' }],
    ['2027-q4', { key: '2027Q4', label: '2027年第四季度', from: '2027-10-01', to: '2027-12-31' }],
    ['2027', { key: '2027', label: '2027年', from: '2027-01-01', to: '2027-12-31' }],
    ['all', { key: 'all', label: '截至 2027-05-06', to: '2027-05-06' }],
  ])('%s', (text, period) => {
    expect(parsePeriod(text, '2027-05-06')).toEqual(period);
  });

  test('what is no period is refused, naming it', () => {
    expect(parsePeriod('2027-13', '2027-05-06')).toEqual({
      error:
        '统计期应为月份（2027-03）、季度（2027Q1）或年份（2027）：2027-13 / ' +
        'the period must be a month (2027-03), a quarter (2027Q1) or a year (2027): 2027-13',
    });
  });

  test.each([
    ['2027-03-01', '2027-02'],
    ['2027-01-15', '2026-12'],
    ['2027-12-31', '2027-11'],
  ])('the month before %s is %s', (day, month) => {
    expect(previousMonth(day)).toBe(month);
  });
});
