import { assign, type RestrictionEvent, taskSpecSchema } from '../../domain';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
  });
  afterAll(() => store?.close());

  const region = '运河街道';
  const task = 'task/tez/2-1-3/运河街道';
  const imposed = (seq: number, sector: string, taskWorkflowId?: string): RestrictionEvent => ({
    type: 'RestrictionImposed',
    region,
    sector,
    ...(taskWorkflowId ? { taskWorkflowId } : {}),
    reason: '整改逾期',
    by: taskWorkflowId ? 'ladder' : 'supervisor',
    seq,
    at: `2027-03-0${seq}T01:00:00.000Z`,
  });
  const lifted = (seq: number, sector: string, taskWorkflowId?: string): RestrictionEvent => ({
    type: 'RestrictionLifted',
    region,
    sector,
    ...(taskWorkflowId ? { taskWorkflowId } : {}),
    reason: '办结',
    by: 'supervisor',
    seq,
    at: `2027-03-0${seq}T01:00:00.000Z`,
  });

  test('restriction events share the one hash chain with task events', async () => {
    const spec = taskSpecSchema().parse({
      plan: 'tez',
      id: '2-1-3',
      title: 'T',
      lead: ['区环保局'],
      due: '2027-12-31',
    });
    await store.appendEvents(task, assign(spec, '2027-01-01T01:00:00.000Z'));
    expect(await store.appendEvents(`restriction/${region}`, [imposed(1, '涉水', task)])).toEqual({
      appended: 1,
    });
    expect(await store.appendEvents(`restriction/${region}`, [imposed(1, '涉水', task)])).toEqual({
      appended: 0,
    });
    const [row] = await store.ledgerFor(`restriction/${region}`);
    const [taskRow] = await store.ledgerFor(task);
    expect(row.prevHash).toBe(taskRow.hash);
    expect(row.event).toEqual(imposed(1, '涉水', task));
    expect(await store.verifyLedger()).toEqual({ ok: true, rows: 2 });
  });

  test('the projection: a retried batch changes nothing, a lift marks only the restriction it names', async () => {
    const batch = [imposed(1, '涉水', task), imposed(2, '涉水'), imposed(3, '造纸', task)];
    await store.applyRestrictionEvents(batch);
    await store.applyRestrictionEvents(batch);
    expect(await store.listRestrictions({ region, activeOnly: true })).toHaveLength(3);

    await store.applyRestrictionEvents([lifted(4, '涉水', task)]);
    await store.applyRestrictionEvents([lifted(4, '涉水', task)]);
    const all = await store.listRestrictions({ region });
    expect(all.map((r) => [r.seq, r.sector, r.taskWorkflowId ?? null, r.lifted?.at ?? null])).toEqual([
      [1, '涉水', task, '2027-03-04T01:00:00.000Z'],
      [2, '涉水', null, null],
      [3, '造纸', task, null],
    ]);
    await store.applyRestrictionEvents([lifted(5, '涉水')]);
    expect((await store.listRestrictions({ region, activeOnly: true })).map((r) => r.seq)).toEqual([3]);
    // A re-imposition after a lift is a new row, and a late retry of the old lift does not touch it.
    await store.applyRestrictionEvents([imposed(6, '涉水', task)]);
    await store.applyRestrictionEvents([lifted(4, '涉水', task)]);
    expect((await store.listRestrictions({ region, activeOnly: true })).map((r) => r.seq)).toEqual([3, 6]);
    expect(await store.listRestrictions({ region: '泥沟镇' })).toEqual([]);
  });
});
