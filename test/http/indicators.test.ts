/**
 * The indicator routes on the real server and a real SQLite store: anyone signed in reads them judged; only
 * the measuring department records, each refusal naming its field; a monitoring file with a bad line
 * records nothing. Temporal is not needed here (the year close is tested in test/workflows).
 */
import { createIndicatorService } from '../../services/indicators';
import { seededFixture, type Fixture } from '../cli/seed';
import { indicatorPlan } from '../helpers/indicator-plan';
import { makeTokens, startApi, type Api, type Role } from './helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;
const PLAN = 'tz-api';
const url = `/api/plans/${PLAN}/indicators`;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  const indicators = createIndicatorService({ store: fx.store });
  await indicators.start(indicatorPlan(PLAN, 2027));
  api = await startApi({ facade: fx.facade, store: fx.store, indicators, onError: () => undefined });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const post = (indicator: string, body: unknown, token = tokens.dept) =>
  api.call('POST', `${url}/${indicator}/values`, { token, body });

test('the measuring department records; every signed-in reader sees the year judged', async () => {
  const r = await post('good-water', { year: 2027, value: 48 });
  expect(r.status).toBe(201);
  expect(r.body).toEqual({
    indicator: 'good-water',
    year: 2027,
    region: null,
    value: 48,
    unit: '%',
    workflowId: `indicator/${PLAN}/good-water`,
    seq: 2,
  });
  expect((await post('xiaojihe', { year: 2027, value: 'Ⅲ类', region: '小季河' })).status).toBe(201);
  for (const token of [tokens.leadership, tokens.region, tokens.otherDept]) {
    const list = await api.call('GET', url, { token });
    expect(list.status).toBe(200);
    const [good, , , river] = list.body as unknown as { targets: unknown[] }[];
    expect(good.targets[0]).toEqual({ year: 2027, op: '>=', value: 50, actual: 48, met: false });
    expect(river.targets).toEqual([
      { year: 2027, region: '小季河', op: 'class', value: 'Ⅲ', actual: 'Ⅲ', met: true },
    ]);
  }
  expect((await api.call('GET', url)).status).toBe(401);
  const chain = await fx.store.ledgerFor(`indicator/${PLAN}/good-water`);
  expect(chain.map((e) => e.event)).toMatchObject([
    { type: 'IndicatorDefined' },
    { type: 'IndicatorValueRecorded', value: 48, by: '区环保局', source: 'api' },
  ]);
});

test.each([
  [
    'an unknown indicator',
    'cod',
    { year: 2027, value: 1 },
    'indicator',
    `indicator：方案 ${PLAN} 没有指标 cod（有：good-water、black-odorous、ammonia、xiaojihe） / indicator: plan ${PLAN} has no indicator cod (it has: good-water, black-odorous, ammonia, xiaojihe)`,
  ],
  [
    'a year without a target',
    'good-water',
    { year: 2019, value: 1 },
    'year',
    'year：指标 good-water 没有 2019 年的目标（有：2027、2028） / year: indicator good-water has no target for 2019 (it has: 2027, 2028)',
  ],
  [
    'a percentage over 100',
    'good-water',
    { year: 2027, value: 100.5 },
    'value',
    'value：百分比应在 0–100 之间，不是 100.5 / value: a percentage must be between 0 and 100, not 100.5',
  ],
  [
    'the wrong unit',
    'ammonia',
    { year: 2027, value: '12%', region: '泥沟镇' },
    'value',
    'value：单位应为 mg/L，不是 % / value: the unit must be mg/L, not %',
  ],
  [
    'a class that is not a water-quality class',
    'xiaojihe',
    { year: 2027, value: 'Ⅶ类', region: '小季河' },
    'value',
    'value：“Ⅶ类”不是水质类别（Ⅰ、Ⅱ、Ⅲ、Ⅳ、Ⅴ、劣Ⅴ） / value: “Ⅶ类” is not a water-quality class (Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ)',
  ],
  [
    'a department that does not measure it',
    'black-odorous',
    { year: 2027, value: 20 },
    'as',
    'as：指标 black-odorous 由 区住建局 监测，区环保局 不能录入 / as: indicator black-odorous is measured by 区住建局; 区环保局 may not record it',
  ],
])('400 for %s, naming the field', async (_what, indicator, body, field, message) => {
  const r = await post(indicator, body);
  expect(r.status).toBe(400);
  expect(r.body).toEqual({ error: 'bad_request', field, message });
});

test('403 for the supervisor, leadership and a 镇街: values are the measuring department’s', async () => {
  for (const token of [tokens.supervisor, tokens.leadership, tokens.region]) {
    const r = await post('good-water', { year: 2027, value: 60 }, token);
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      error: 'forbidden',
      message:
        '监测数据只能由负责监测的单位录入 / a value is recorded only by the department that measures it',
    });
  }
  expect((await post('good-water', { year: 2027, value: 60 }, '')).status).toBe(401);
});

test('a monitoring file: one bad line and nothing is recorded', async () => {
  const csv = 'indicator,year,value,region\nammonia,2027,0.9,运河街道\nammonia,二〇二七,0.8,泥沟镇\n';
  const bad = await api.call('POST', `${url}/import`, { token: tokens.dept, body: { csv } });
  expect(bad.status).toBe(400);
  expect(bad.body).toEqual({
    error: 'bad_request',
    field: 'file',
    message:
      '文件有 1 行有误，未录入任何数据 / 1 bad line(s): nothing from the file was recorded\n' +
      '第 3 行 / line 3: year：“二〇二七”不是年份 / year: “二〇二七” is not a year',
  });
  const list = await api.call('GET', url, { token: tokens.dept });
  expect(
    (list.body as unknown as { targets: { actual: unknown }[] }[])[2].targets.map((t) => t.actual),
  ).toEqual([null, null]);
  const good = await api.call('POST', `${url}/import`, {
    token: tokens.dept,
    body: { csv: csv.replace('二〇二七', '2027') },
  });
  expect(good).toMatchObject({ status: 200, body: { recorded: 2 } });
  const forbidden = await api.call('POST', `${url}/import`, { token: tokens.supervisor, body: { csv } });
  expect(forbidden.status).toBe(403);
});
