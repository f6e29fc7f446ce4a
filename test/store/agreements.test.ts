import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
  });
  afterAll(() => store?.close());

  const signing = (plan: string, unit: string, hash: string, at: string) => ({
    plan,
    year: 2027,
    unit,
    hash,
    by: unit,
    at,
    tasks: 3,
  });

  test('each unit’s signings chain on its own agreement chain; a plan and year lists only its own', async () => {
    const a = await store.signAgreement(signing('p1', '泥沟镇', 'a'.repeat(64), '2027-01-05T01:00:00.000Z'));
    expect(a).toEqual({
      plan: 'p1',
      year: 2027,
      unit: '泥沟镇',
      hash: 'a'.repeat(64),
      by: '泥沟镇',
      at: '2027-01-05T01:00:00.000Z',
      workflowId: 'agreement/p1/2027/泥沟镇',
      seq: 1,
    });
    const b = await store.signAgreement(signing('p1', '泥沟镇', 'b'.repeat(64), '2027-03-01T01:00:00.000Z'));
    expect(b.seq).toBe(2);
    await store.signAgreement(signing('p1', '区环保局', 'c'.repeat(64), '2027-01-06T01:00:00.000Z'));
    // Another plan whose id only differs in case, and another year: not listed.
    await store.signAgreement(signing('P1', '泥沟镇', 'd'.repeat(64), '2027-01-06T01:00:00.000Z'));
    await store.signAgreement({
      ...signing('p1', '泥沟镇', 'e'.repeat(64), '2028-01-06T01:00:00.000Z'),
      year: 2028,
    });

    const listed = await store.agreementSignatures('p1', 2027);
    expect(listed.map((s) => [s.unit, s.hash[0], s.seq])).toEqual([
      ['泥沟镇', 'a', 1],
      ['泥沟镇', 'b', 2],
      ['区环保局', 'c', 1],
    ]);
    expect((await store.ledgerFor('agreement/p1/2027/泥沟镇')).map((e) => e.event)).toEqual([
      {
        type: 'AgreementSigned',
        seq: 1,
        at: a.at,
        plan: 'p1',
        year: 2027,
        unit: '泥沟镇',
        hash: a.hash,
        by: '泥沟镇',
        tasks: 3,
      },
      {
        type: 'AgreementSigned',
        seq: 2,
        at: b.at,
        plan: 'p1',
        year: 2027,
        unit: '泥沟镇',
        hash: b.hash,
        by: '泥沟镇',
        tasks: 3,
      },
    ]);
    expect(await store.verifyLedger()).toEqual({ ok: true, rows: 5 });
  });
});
