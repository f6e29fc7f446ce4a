/**
 * `duban indicator …` in-process on the real session: the store is a real SQLite file in the data folder
 * (Temporal is not needed to record or list, and is not reachable here).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { EXIT, type Session } from '../../cli/session';
import { createIndicatorService } from '../../services/indicators';
import { openStore } from '../../store';
import { indicatorPlan } from '../helpers/indicator-plan';

let tmp: string;
let env: Record<string, string>;
const PLAN = 'tz-cli';

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-indicator-cli-'));
  env = { DUBAN_DATA_DIR: path.join(tmp, 'data'), TEMPORAL_ADDRESS: '127.0.0.1:1' };
  const store = await openStore(path.join(tmp, 'data', 'duban.db'));
  try {
    await createIndicatorService({ store }).start(indicatorPlan(PLAN, 2027));
  } finally {
    await store.close();
  }
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd: tmp,
    today: '2027-06-01',
  });
  return { code, stdout, stderr };
}

const record = (...args: string[]) =>
  run(['indicator', 'record', '--plan', PLAN, '--indicator', 'black-odorous', '--year', '2027', ...args]);

test('the measuring department records a value; the list judges it against its year', async () => {
  const r = await record('--value', '45%', '--as', '区住建局');
  expect(r).toMatchObject({ code: EXIT.ok, stderr: '' });
  expect(r.stdout).toBe(
    '已录入 / recorded：black-odorous 2027 年 = 45%（台账 / ledger indicator/tz-cli/black-odorous #2）\n',
  );
  const list = await run(['indicator', 'list', '--plan', PLAN, '--json']);
  expect(list.code).toBe(EXIT.ok);
  const json = JSON.parse(list.stdout) as { id: string; targets: unknown[] }[];
  expect(json.map((i) => i.id)).toEqual(['good-water', 'black-odorous', 'ammonia', 'xiaojihe']);
  expect(json[1]).toEqual({
    id: 'black-odorous',
    name: '城区建成区黑臭水体',
    unit: '%',
    department: '区住建局',
    targets: [
      { year: 2027, op: '<=', value: 40, actual: 45, met: false },
      { year: 2028, op: '<=', value: 30, actual: null, met: null },
    ],
  });
  const text = await run(['indicator', 'list', '--plan', PLAN]);
  expect(text.stdout).toContain('black-odorous  城区建成区黑臭水体（%，监测：区住建局）');
  expect(text.stdout).toMatch(/2027\s+≤ 40%\s+45%\s+未达标 \/ missed/);
});

test.each([
  [
    ['--value', '45', '--as', '区环保局'],
    'as：指标 black-odorous 由 区住建局 监测，区环保局 不能录入 / as: indicator black-odorous is measured by 区住建局; 区环保局 may not record it',
  ],
  [
    ['--value', '45', '--as', 'supervisor'],
    'as：指标 black-odorous 由 区住建局 监测，supervisor 不能录入 / as: indicator black-odorous is measured by 区住建局; supervisor may not record it',
  ],
  [
    ['--value', '130', '--as', '区住建局'],
    'value：百分比应在 0–100 之间，不是 130 / value: a percentage must be between 0 and 100, not 130',
  ],
  [
    ['--value', '3mg/L', '--as', '区住建局'],
    'value：单位应为 %，不是 mg/L / value: the unit must be %, not mg/L',
  ],
])('refused with the field named: %j', async (args, message) => {
  const r = await record(...args);
  expect(r).toEqual({ code: EXIT.error, stdout: '', stderr: `错误 / error: ${message}\n` });
});

test('an unknown indicator or year is refused by name', async () => {
  const unknown = await run([
    'indicator',
    'record',
    '--plan',
    PLAN,
    '--indicator',
    'cod',
    '--year',
    '2027',
    '--value',
    '1',
    '--as',
    '区环保局',
  ]);
  expect(unknown.stderr).toBe(
    '错误 / error: indicator：方案 tz-cli 没有指标 cod（有：good-water、black-odorous、ammonia、xiaojihe） / indicator: plan tz-cli has no indicator cod (it has: good-water, black-odorous, ammonia, xiaojihe)\n',
  );
  const year = await record('--year', '2016', '--value', '1', '--as', '区住建局');
  expect(year.stderr).toBe(
    '错误 / error: year：指标 black-odorous 没有 2016 年的目标（有：2027、2028） / year: indicator black-odorous has no target for 2016 (it has: 2027, 2028)\n',
  );
  const plan = await run(['indicator', 'list', '--plan', 'no-such-plan']);
  expect(plan.code).toBe(EXIT.error);
  expect(plan.stderr).toContain('plan：方案 no-such-plan 没有跟踪的指标');
});

test('a monitoring file: a bad line named by its number records nothing; the corrected file records all', async () => {
  const file = path.join(tmp, 'monitoring.csv');
  fs.writeFileSync(
    file,
    '\uFEFFindicator,year,value,region\r\nammonia,2027,1.2,运河街道\r\nammonia,2027,1.3,小季河\r\n',
  );
  const bad = await run(['indicator', 'import', 'monitoring.csv', '--plan', PLAN, '--as', '区环保局']);
  expect(bad).toEqual({
    code: EXIT.error,
    stdout: '',
    stderr:
      '错误 / error: 文件有 1 行有误，未录入任何数据 / 1 bad line(s): nothing from the file was recorded\n' +
      '第 3 行 / line 3: region：指标 ammonia 没有区域“小季河”（有：运河街道、泥沟镇） / region: indicator ammonia has no region “小季河” (it has: 运河街道, 泥沟镇)\n',
  });
  const before = JSON.parse((await run(['indicator', 'list', '--plan', PLAN, '--json'])).stdout);
  expect(before[2].targets.map((t: { actual: unknown }) => t.actual)).toEqual([null, null]);

  fs.writeFileSync(
    file,
    'indicator,year,value,region\nammonia,2027,1.2,运河街道\nammonia,2027,1.7 mg/L,泥沟镇\n',
  );
  const good = await run(['indicator', 'import', file, '--plan', PLAN, '--as', '区环保局', '--json']);
  expect(good).toMatchObject({ code: EXIT.ok, stderr: '' });
  expect(JSON.parse(good.stdout)).toEqual({ recorded: 2 });
  const after = JSON.parse((await run(['indicator', 'list', '--plan', PLAN, '--json'])).stdout);
  expect(after[2].targets).toEqual([
    { year: 2027, region: '运河街道', op: '<=', value: 1.5, actual: 1.2, met: true },
    { year: 2027, region: '泥沟镇', op: '<=', value: 1.5, actual: 1.7, met: false },
  ]);

  const missing = await run(['indicator', 'import', 'nope.csv', '--plan', PLAN, '--as', '区环保局']);
  expect(missing.stderr).toBe('错误 / error: nope.csv：文件不存在 / file not found\n');
});

test('starting the shipped plan tracks its four indicators with a figure to judge', async () => {
  const store = await openStore(path.join(tmp, 'shipped.db'));
  try {
    const open = async () =>
      ({
        facade: {
          startTasks: async (specs: readonly { plan: string; id: string; region?: string }[]) =>
            specs.map((s) => ({ workflowId: `task/${s.plan}/${s.id}`, started: true })),
          startDuties: async (duties: readonly { plan: string; id: string }[]) =>
            duties.map((d) => ({ workflowId: `duty/${d.plan}/${d.id}`, started: true })),
          reviewDuties: async (items: readonly unknown[]) => items.length,
        } as never,
        address: 'localhost:7233',
        ensureTemporal: async () => undefined,
        indicators: async () => createIndicatorService({ store }),
        close: async () => undefined,
      }) satisfies Session;
    let stdout = '';
    const code = await main(
      ['plan', 'start', path.join(__dirname, '../../plans/taierzhuang-2016-water.yaml')],
      {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => undefined },
        env,
        open,
      },
    );
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('跟踪指标 4 项 / 4 indicators tracked\n');
    const defs = await store.listIndicators('taierzhuang-2016-water');
    expect(
      defs.map((d) => [d.id, d.unit, d.department, d.targets.map((t) => `${t.year}${t.op}${t.value}`)]),
    ).toEqual([
      ['xiaojihe-class', '类', '区环保局', ['2017classⅢ', '2018classⅢ', '2019classⅢ', '2020classⅢ']],
      ['good-water-share', '%', '区环保局', ['2017>=50', '2018>=53', '2019>=57', '2020>=60', '2030>=65']],
      ['black-odorous-share', '%', '区住建局', ['2017<=40', '2018<=30', '2019<=20', '2020<=10']],
      ['drinking-water-share', '%', '区环保局', ['2017>90', '2018>95', '2019>95', '2020>98', '2030>=100']],
    ]);
    expect(defs[2]).toMatchObject({ responsible: ['运河街道'], restriction: { sector: '涉水' } });
  } finally {
    await store.close();
  }
});
