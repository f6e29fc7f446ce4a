import {
  checkValue,
  indicatorStatus,
  judgeYear,
  rectificationSpecs,
  yearCloseAt,
  type RecordedValue,
} from '../../domain/indicators';
import {
  addWorkingDays,
  assign,
  builtinCalendar,
  escalate,
  evolve,
  resolvePolicy,
  taskSpecSchema,
} from '../../domain';
import { indicatorDefs } from '../../services/indicators';
import { indicatorPlan } from '../helpers/indicator-plan';

const defs = indicatorDefs(indicatorPlan('tz', 2027));
const value = (v: Partial<RecordedValue> & Pick<RecordedValue, 'indicator' | 'value'>): RecordedValue => ({
  plan: 'tz',
  year: 2027,
  region: null,
  by: '区环保局',
  at: '2027-06-01T00:00:00.000Z',
  source: 'cli',
  ...v,
});

test('a breakdown tracks the indicators with an id, a department and a target a value can be judged by', () => {
  expect(defs.map((d) => [d.id, d.unit, d.targets.map((t) => `${t.year}${t.op}${t.value}`)])).toEqual([
    ['good-water', '%', ['2027>=50', '2028>=53']],
    ['black-odorous', '%', ['2027<=40', '2028<=30']],
    ['ammonia', 'mg/L', ['2027<=1.5']],
    ['xiaojihe', '类', ['2027classⅢ']],
  ]);
  expect(defs[2].towns).toEqual(['运河街道', '泥沟镇']);
  expect(defs[3].towns).toEqual([]);
});

test.each([
  [
    { indicator: 'nope' },
    'indicator：方案 tz 没有指标 nope（有：good-water、black-odorous、ammonia、xiaojihe） / indicator: plan tz has no indicator nope (it has: good-water, black-odorous, ammonia, xiaojihe)',
  ],
  [
    { year: 2016 },
    'year：指标 good-water 没有 2016 年的目标（有：2027、2028） / year: indicator good-water has no target for 2016 (it has: 2027, 2028)',
  ],
  [
    { value: '101' },
    'value：百分比应在 0–100 之间，不是 101 / value: a percentage must be between 0 and 100, not 101',
  ],
  [{ value: '45mg/L' }, 'value：单位应为 %，不是 mg/L / value: the unit must be %, not mg/L'],
  [{ value: '很好' }, 'value：应为数字（单位 %） / value: must be a number (in %)'],
  [
    { as: '区水务局' },
    'as：指标 good-water 由 区环保局 监测，区水务局 不能录入 / as: indicator good-water is measured by 区环保局; 区水务局 may not record it',
  ],
  [
    { region: '运河街道' },
    'region：指标 good-water 不分区域，不能写“运河街道” / region: indicator good-water is not recorded per region: leave out “运河街道”',
  ],
  [
    { indicator: 'ammonia', value: '-0.2' },
    'region：指标 ammonia 按区域录入，请写明（运河街道、泥沟镇） / region: indicator ammonia is recorded per region: name one (运河街道, 泥沟镇)',
  ],
  [
    { indicator: 'ammonia', region: '泥沟镇', value: '-0.2' },
    'value：不能为负数：-0.2 / value: must not be negative: -0.2',
  ],
  [
    { indicator: 'xiaojihe', region: '小季河', value: 'Ⅵ' },
    'value：“Ⅵ”不是水质类别（Ⅰ、Ⅱ、Ⅲ、Ⅳ、Ⅴ、劣Ⅴ） / value: “Ⅵ” is not a water-quality class (Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ)',
  ],
])('refused: %j', (change, message) => {
  const r = checkValue('tz', defs, {
    indicator: 'good-water',
    year: 2027,
    value: '45',
    as: '区环保局',
    ...change,
  });
  expect(r).toMatchObject({ ok: false, refusal: { message } });
});

test('values in their unit, a class in any spelling', () => {
  const ok = (indicator: string, v: string, region?: string) =>
    checkValue('tz', defs, {
      indicator,
      year: 2027,
      value: v,
      region,
      as: indicator === 'black-odorous' ? '区住建局' : '区环保局',
    });
  expect(ok('good-water', '45%')).toMatchObject({ ok: true, value: { value: 45 } });
  expect(ok('good-water', '45 ％')).toMatchObject({ ok: true, value: { value: 45 } });
  expect(ok('ammonia', '1.2 mg/L', '泥沟镇')).toMatchObject({
    ok: true,
    value: { value: 1.2, region: '泥沟镇' },
  });
  expect(ok('xiaojihe', 'IV类', '小季河')).toMatchObject({ ok: true, value: { value: 'Ⅳ' } });
  expect(ok('xiaojihe', '劣V', '小季河')).toMatchObject({ ok: true, value: { value: '劣Ⅴ' } });
});

test('each year judged against its own target; the latest value counts; a class is met by a better one', () => {
  const values = [
    value({ indicator: 'good-water', value: 40 }),
    value({ indicator: 'good-water', value: 55 }),
    value({ indicator: 'xiaojihe', region: '小季河', value: 'Ⅱ' }),
  ];
  expect(indicatorStatus(defs[0], values).targets).toEqual([
    { year: 2027, op: '>=', value: 50, actual: 55, met: true },
    { year: 2028, op: '>=', value: 53, actual: null, met: null },
  ]);
  expect(indicatorStatus(defs[3], values).targets).toEqual([
    { year: 2027, region: '小季河', op: 'class', value: 'Ⅲ', actual: 'Ⅱ', met: true },
  ]);
});

test('a closed year: misses with whom they fall on, values never reported apart', () => {
  const values = [
    value({ indicator: 'good-water', value: 55 }),
    value({ indicator: 'black-odorous', value: 45, by: '区住建局' }),
    value({ indicator: 'ammonia', region: '运河街道', value: 1.2 }),
    value({ indicator: 'ammonia', region: '泥沟镇', value: 2.1 }),
    value({ indicator: 'xiaojihe', region: '小季河', value: 'Ⅳ' }),
  ];
  const r = judgeYear(defs, values, 2027);
  expect(r.judged).toBe(5);
  expect(r.unreported).toEqual([]);
  expect(r.missed.map((m) => [m.indicator, m.region, m.actual, m.regions, m.restriction])).toEqual([
    ['black-odorous', null, 45, ['运河街道'], { sector: '涉水' }],
    ['ammonia', '泥沟镇', 2.1, ['泥沟镇'], null],
    ['xiaojihe', '小季河', 'Ⅳ', [], null],
  ]);
  expect(judgeYear(defs, [], 2028).unreported.map((m) => m.indicator)).toEqual([
    'good-water',
    'black-odorous',
  ]);
});

test('a year closes on the first working day of the next, at 09:00 Beijing time', () => {
  // 元旦 2026 is Thursday to Saturday; Sunday 2026-01-04 is a working day in its stead (调休).
  expect(yearCloseAt(builtinCalendar(), 2025)).toBe('2026-01-04T01:00:00.000Z');
  expect(yearCloseAt(builtinCalendar(), 2024)).toBe('2025-01-02T01:00:00.000Z');
});

test('a missed target opens a rectification task per 镇街 whose 约谈 is ordered with the assignment', () => {
  const cal = builtinCalendar();
  const values = [value({ indicator: 'black-odorous', value: 45 })];
  const miss = judgeYear(defs, values, 2027).missed.find((m) => m.indicator === 'black-odorous')!;
  const at = yearCloseAt(cal, 2027);
  const [spec, ...more] = rectificationSpecs('tz', miss, cal, at);
  expect(more).toEqual([]);
  expect(taskSpecSchema().parse(spec)).toEqual(spec);
  expect(spec).toMatchObject({
    id: 'rectify-2027-black-odorous',
    title: '2027年度指标「城区建成区黑臭水体」未达标整改',
    lead: ['运河街道'],
    cooperating: ['区住建局'],
    region: '运河街道',
    due: addWorkingDays(cal, at.slice(0, 10), 20).date,
  });
  expect(spec.restriction).toBeUndefined();
  const state = evolve(undefined, assign(spec, at)[0]);
  const [ordered] = escalate(state, resolvePolicy(), at, cal);
  expect(ordered).toMatchObject({
    type: 'InterviewOrdered',
    daysOverdue: 0,
    rectificationDue: spec.due,
    reason: '2027 年度指标“城区建成区黑臭水体”目标为 ≤ 40%，实际为 45%，未完成年度目标',
  });
});
