import { CardPolicy, decideInspection, decideIssue, issuedCard, type CardEvent } from '../../domain/cards';
import { openStore, type Store } from '../../store';
import { creditCode } from '../helpers/credit-code';
import { BACKENDS, useBackend } from '../helpers/store-backends';

const policy = CardPolicy.parse({});

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
  });
  afterAll(() => store?.close());

  const enterprise = (region = '泥沟镇') => ({ code: creditCode(), name: '甲化工', region, sector: '化工' });
  const record = (e: ReturnType<typeof enterprise>) => ({
    ...e,
    registeredAt: '2027-01-01T02:00:00.000Z',
    registeredBy: '区环保局',
  });

  test('registering is all or none: a code already there is named and nothing of the batch is written', async () => {
    const [a, b] = [enterprise(), enterprise('运河街道')];
    expect(await store.addEnterprises([record(a)])).toEqual({ added: 1, existing: [] });
    expect(await store.addEnterprises([record(b), record(a)])).toEqual({ added: 0, existing: [a.code] });
    expect(await store.getEnterprise(b.code)).toBeUndefined();
    expect(await store.getEnterprise(a.code)).toEqual(record(a));
    expect((await store.ledgerFor(`enterprise/${a.code}`)).map((x) => [x.seq, x.type])).toEqual([
      [1, 'EnterpriseRegistered'],
    ]);
  });

  test("a card's steps go on the enterprise's chain once each, after what is there, and into its row", async () => {
    const e = enterprise();
    await store.addEnterprises([record(e)]);
    const order = {
      enterprise: e,
      card: 1,
      color: 'yellow' as const,
      reason: '超标',
      due: '2027-03-31',
      by: '区环保局',
    };
    const d = decideIssue(order, '2027-02-01T02:00:00.000Z', policy);
    if (!d.ok) throw new Error('refused');
    const i = decideInspection(
      issuedCard(order, d.events[0], policy),
      { actor: '区环保局', result: 'fail', note: '仍超标' },
      '2027-02-10T02:00:00.000Z',
      policy,
    );
    if (!i.ok) throw new Error('refused');
    const steps = [...d.events, ...i.events].map((event: CardEvent) => ({
      key: `card-1-${event.step}`,
      event,
    }));
    expect(await store.recordEnterpriseSteps(e.code, steps.slice(0, 1))).toEqual([{ seq: 2 }]);
    // A retry of the first with the rest: the first is found, the rest numbered after it.
    expect(await store.recordEnterpriseSteps(e.code, steps)).toEqual([{ seq: 2 }, { seq: 3 }, { seq: 4 }]);
    expect((await store.ledgerFor(`enterprise/${e.code}`)).map((x) => x.type)).toEqual([
      'EnterpriseRegistered',
      'CardIssued',
      'EnterpriseInspected',
      'CardTurnedRed',
    ]);
    expect(await store.listCards({ code: e.code })).toEqual([
      {
        code: e.code,
        card: 1,
        name: '甲化工',
        region: '泥沟镇',
        sector: '化工',
        color: 'red',
        measure: '停业',
        issuedColor: 'yellow',
        issuedMeasure: '停产整治',
        reason: '超标',
        issuedAt: '2027-02-01T02:00:00.000Z',
        since: '2027-02-10T02:00:00.000Z',
        due: '2027-03-31',
        status: 'open',
      },
    ]);
    expect(await store.verifyLedger()).toMatchObject({ ok: true });
  });
});
