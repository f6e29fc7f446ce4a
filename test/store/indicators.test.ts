import { indicatorWorkflowId } from '../../domain/indicators';
import { BadInput } from '../../services/errors';
import { createIndicatorService, indicatorDefs, type IndicatorService } from '../../services/indicators';
import { openStore, type Store } from '../../store';
import { indicatorPlan } from '../helpers/indicator-plan';
import { BACKENDS, useBackend } from '../helpers/store-backends';

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  let service: IndicatorService;
  let clock = 0;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
    service = createIndicatorService({
      store,
      now: () => new Date(Date.UTC(2027, 5, 1) + ++clock * 1000).toISOString(),
    });
  });
  afterAll(() => store?.close());

  const plan = 'tz-store';
  const b = indicatorPlan(plan, 2027);

  test('starting a plan saves its indicators once, each definition on its own ledger chain', async () => {
    expect(await service.start(b)).toEqual({ indicators: 4, changed: 4, yearClose: 'none' });
    expect(await service.start(b)).toEqual({ indicators: 4, changed: 0, yearClose: 'none' });
    expect((await store.listIndicators(plan)).map((d) => d.id)).toEqual(indicatorDefs(b).map((d) => d.id));
    const chain = await store.ledgerFor(indicatorWorkflowId(plan, 'good-water'));
    expect(chain.map((e) => [e.seq, e.type])).toEqual([[1, 'IndicatorDefined']]);
  });

  test('a value is on the ledger and judged; a correction is the one that counts', async () => {
    await service.record(plan, { indicator: 'good-water', year: 2027, value: '45%', as: '区环保局' }, 'cli');
    const r = await service.record(
      plan,
      { indicator: 'good-water', year: 2027, value: '52', as: '区环保局' },
      'api',
    );
    expect(r).toEqual({
      indicator: 'good-water',
      year: 2027,
      region: null,
      value: 52,
      unit: '%',
      workflowId: 'indicator/tz-store/good-water',
      seq: 3,
    });
    const chain = await store.ledgerFor(indicatorWorkflowId(plan, 'good-water'));
    expect(chain.map((e) => e.event)).toMatchObject([
      { type: 'IndicatorDefined' },
      { type: 'IndicatorValueRecorded', year: 2027, value: 45, unit: '%', by: '区环保局', source: 'cli' },
      { type: 'IndicatorValueRecorded', year: 2027, value: 52, unit: '%', by: '区环保局', source: 'api' },
    ]);
    const [good] = await service.list(plan);
    expect(good.targets).toEqual([
      { year: 2027, op: '>=', value: 50, actual: 52, met: true },
      { year: 2028, op: '>=', value: 53, actual: null, met: null },
    ]);
    expect(await store.verifyLedger()).toMatchObject({ ok: true });
  });

  test('a refused value names its field and writes nothing', async () => {
    const before = (await store.listIndicatorValues(plan)).length;
    await expect(
      service.record(plan, { indicator: 'good-water', year: 2027, value: '120', as: '区环保局' }, 'cli'),
    ).rejects.toMatchObject({ field: 'value', message: expect.stringContaining('0–100') });
    expect((await store.listIndicatorValues(plan)).length).toBe(before);
  });

  test('a monitoring file with bad lines records nothing and names every bad line', async () => {
    const before = await store.verifyLedger();
    const csv = [
      'indicator,year,value,region',
      'ammonia,2027,1.2,运河街道',
      'ammonia,2027,-3,泥沟镇',
      '',
      'ammonia,2016,1.0,泥沟镇',
      'ammonia,2027,1.1,泥沟镇',
    ].join('\n');
    const err = await service.importCsv(plan, csv, '区环保局').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInput);
    expect((err as Error).message).toBe(
      [
        '文件有 2 行有误，未录入任何数据 / 2 bad line(s): nothing from the file was recorded',
        '第 3 行 / line 3: value：不能为负数：-3 / value: must not be negative: -3',
        '第 5 行 / line 5: year：指标 ammonia 没有 2016 年的目标（有：2027） / year: indicator ammonia has no target for 2016 (it has: 2027)',
      ].join('\n'),
    );
    expect((await store.listIndicatorValues(plan)).filter((v) => v.indicator === 'ammonia')).toEqual([]);
    expect(await store.verifyLedger()).toEqual(before);

    const fixed = csv.replace('-3', '2.1').replace('ammonia,2016,1.0,泥沟镇\n', '');
    expect(await service.importCsv(plan, fixed, '区环保局')).toEqual({ recorded: 3 });
    const ammonia = (await service.list(plan)).find((i) => i.id === 'ammonia')!;
    expect(ammonia.targets).toEqual([
      { year: 2027, region: '运河街道', op: '<=', value: 1.5, actual: 1.2, met: true },
      { year: 2027, region: '泥沟镇', op: '<=', value: 1.5, actual: 1.1, met: true },
    ]);
    expect((await store.ledgerFor(indicatorWorkflowId(plan, 'ammonia'))).map((e) => e.event.type)).toEqual([
      'IndicatorDefined',
      'IndicatorValueRecorded',
      'IndicatorValueRecorded',
      'IndicatorValueRecorded',
    ]);
  });

  test('a file by a department that does not measure the indicator: every line refused', async () => {
    const csv = '指标,年度,数值\nblack-odorous,2027,35\nblack-odorous,2028,28\n';
    await expect(service.importCsv(plan, csv, '区环保局')).rejects.toMatchObject({
      message: expect.stringContaining(
        '第 3 行 / line 3: as：指标 black-odorous 由 区住建局 监测，区环保局 不能录入',
      ),
    });
    expect(await service.importCsv(plan, csv, '区住建局')).toEqual({ recorded: 2 });
  });

  test('concurrent recordings each get their own place on the chain', async () => {
    await Promise.all(
      [30, 31, 32, 33].map((v) =>
        service.record(
          plan,
          { indicator: 'black-odorous', year: 2028, value: String(v), as: '区住建局' },
          'api',
        ),
      ),
    );
    const seqs = (await store.ledgerFor(indicatorWorkflowId(plan, 'black-odorous'))).map((e) => e.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await store.verifyLedger()).toMatchObject({ ok: true });
  });
});
