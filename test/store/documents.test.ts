import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
  });
  afterAll(() => store?.close());

  const ask = (workflowId: string, key: string, year: number, prefix = '台督字') =>
    store.issueDocument({ workflowId, key, kind: '督办单', prefix, year, at: `${year}-03-01T01:00:00.000Z` });

  test('documents are numbered per series and year from 1; asking again for one keeps its number', async () => {
    expect((await ask('task/p/1', '5-InstructionGiven', 2027)).n).toBe(1);
    expect((await ask('task/p/2', '7-InstructionGiven', 2027)).n).toBe(2);
    // A retry of the first send: the same document, not a third number.
    expect((await ask('task/p/1', '5-InstructionGiven', 2027)).n).toBe(1);
    expect((await ask('task/p/1', '9-OverdueNoticed', 2027)).n).toBe(3);
    // Another year and another series start again from 1.
    expect((await ask('task/p/3', '4-OverdueNoticed', 2028)).n).toBe(1);
    expect((await ask('task/p/4', '4-OverdueNoticed', 2027, '台政督字')).n).toBe(1);
  });

  test('documents asked for at once each get their own number, and one asked for twice at once keeps one', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `${i + 1}-InstructionGiven`);
    const got = await Promise.all([
      ...keys.map((k) => ask('task/race', k, 2030)),
      ...keys.map((k) => ask('task/race', k, 2030)),
    ]);
    const byKey = new Map<string, number>();
    for (const d of got) {
      if (byKey.has(d.key)) expect(d.n).toBe(byKey.get(d.key));
      byKey.set(d.key, d.n);
    }
    expect([...byKey.values()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
