import type { DutyRecord } from '../../domain';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
  });
  afterAll(() => store?.close());

  const duty = (over: Partial<DutyRecord> & Pick<DutyRecord, 'plan' | 'id'>): DutyRecord => ({
    workflowId: `duty/${over.plan}/${over.id}${over.region ? `/${over.region}` : ''}`,
    region: null,
    title: '每季度向社会公开饮水安全状况信息',
    every: 'quarter',
    lead: ['区卫计局', '区环保局'],
    cooperating: ['区水务局'],
    from: '2018-01-01',
    until: '2020-12-31',
    status: 'running',
    current: null,
    next: { period: '2018Q1', opensOn: '2018-01-01' },
    updatedAt: '2018-01-01T00:00:00.000Z',
    ...over,
  });

  test('a duty round-trips, its occurrence and next period too; a plan lists only its own, by id', async () => {
    const a = duty({
      plan: 'p1',
      id: '3-1-2',
      every: 'year',
      current: { id: '3-1-2.2018', workflowId: 'task/p1/3-1-2.2018', period: '2018', due: '2019-01-15' },
    });
    const b = duty({ plan: 'p1', id: '2-3-6' });
    const review = duty({
      plan: 'p1',
      id: '3-4-4',
      region: '泥沟镇',
      every: null,
      status: 'review',
      next: null,
    });
    for (const d of [a, b, review]) await store.upsertDuty(d);
    await store.upsertDuty(duty({ plan: 'p2', id: '2-3-6' }));
    expect(await store.listDuties('p1')).toEqual([b, a, { ...review, region: '泥沟镇' }]);
    expect((await store.listDuties()).map((d) => d.plan)).toEqual(['p1', 'p1', 'p1', 'p2']);
  });

  test('a later write wins; an earlier one (a retried activity of a past run) does not go back', async () => {
    const now = duty({
      plan: 'p3',
      id: '2-3-6',
      current: {
        id: '2-3-6.2018Q2',
        workflowId: 'task/p3/2-3-6.2018Q2',
        period: '2018Q2',
        due: '2018-07-13',
      },
      updatedAt: '2018-04-01T01:00:00.000Z',
    });
    await store.upsertDuty(now);
    await store.upsertDuty(duty({ plan: 'p3', id: '2-3-6', updatedAt: '2018-01-01T01:00:00.000Z' }));
    expect(await store.listDuties('p3')).toEqual([now]);
    const ended = { ...now, status: 'ended' as const, next: null, updatedAt: '2018-07-01T01:00:00.000Z' };
    await store.upsertDuty(ended);
    expect(await store.listDuties('p3')).toEqual([ended]);
  });
});
