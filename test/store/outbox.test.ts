import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
  });
  afterAll(() => store?.close());

  const claim = (workflowId: string, key: string, messageId: string) => ({
    workflowId,
    key,
    messageId,
    recipients: ['huanbao@taierzhuang.gov.cn.example'],
    subject: '【督办】任务交办：加强工业污染防治（tez/2-1-1）',
  });

  test('a second claim returns the first row unchanged', async () => {
    const first = await store.claimNotice(claim('task/o/1', '1-TaskAssigned', '<aaa@duban>'));
    expect(first).toMatchObject({ ...claim('task/o/1', '1-TaskAssigned', '<aaa@duban>'), status: 'pending' });
    expect(first.sentAt).toBeUndefined();
    const again = await store.claimNotice({
      ...claim('task/o/1', '1-TaskAssigned', '<bbb@duban>'),
      recipients: [],
    });
    expect(again).toEqual(first);
    expect(await store.listOutbox('task/o/1')).toHaveLength(1);
  });

  test('sent and undeliverable; a sent notice stays sent', async () => {
    await store.claimNotice(claim('task/o/2', '1-TaskAssigned', '<ccc@duban>'));
    await store.claimNotice(claim('task/o/2', '2-CompletionSubmitted', '<ddd@duban>'));
    await store.markSent('task/o/2', '1-TaskAssigned', '2026-03-01T01:00:05.000Z');
    await store.markUndeliverable('task/o/2', '1-TaskAssigned', 'too late');
    await store.markUndeliverable('task/o/2', '2-CompletionSubmitted', 'no address for 区不存在局');
    expect(await store.listOutbox('task/o/2')).toEqual([
      expect.objectContaining({ key: '1-TaskAssigned', status: 'sent', sentAt: '2026-03-01T01:00:05.000Z' }),
      expect.objectContaining({
        key: '2-CompletionSubmitted',
        status: 'undeliverable',
        error: 'no address for 区不存在局',
      }),
    ]);
    expect((await store.listOutbox()).map((r) => r.messageId)).toEqual([
      '<aaa@duban>',
      '<ccc@duban>',
      '<ddd@duban>',
    ]);
  });

  test('a pending notice is leased to one sender at a time; a sent one to none', async () => {
    await store.claimNotice(claim('task/o/3', '1-TaskAssigned', '<eee@duban>'));
    expect(await store.leaseNotice('task/o/3', '1-TaskAssigned', 'worker-a', 60_000)).toBe(true);
    expect(await store.leaseNotice('task/o/3', '1-TaskAssigned', 'worker-b', 60_000)).toBe(false);
    // The holder may renew; a released lease is free again.
    expect(await store.leaseNotice('task/o/3', '1-TaskAssigned', 'worker-a', 60_000)).toBe(true);
    await store.releaseNotice('task/o/3', '1-TaskAssigned', 'worker-a');
    expect(await store.leaseNotice('task/o/3', '1-TaskAssigned', 'worker-b', 60_000)).toBe(true);
    await store.markSent('task/o/3', '1-TaskAssigned', '2026-03-01T01:00:05.000Z');
    expect(await store.leaseNotice('task/o/3', '1-TaskAssigned', 'worker-b', 60_000)).toBe(false);
    // A lease that ran out is taken by the next.
    await store.claimNotice(claim('task/o/3', '2-Reminder', '<fff@duban>'));
    expect(await store.leaseNotice('task/o/3', '2-Reminder', 'worker-a', -1)).toBe(true);
    expect(await store.leaseNotice('task/o/3', '2-Reminder', 'worker-b', 60_000)).toBe(true);
    expect(await store.leaseNotice('task/o/3', 'no-such-key', 'worker-b', 60_000)).toBe(false);
  });

  test('wrong-token attempts are counted per address, and pruned', async () => {
    const t0 = 1_767_225_600_000; // a 2026 epoch-ms value: beyond 32 bits
    for (const dt of [0, 1000, 2000]) await store.recordFailedAttempt('10.0.0.1', t0 + dt);
    await store.recordFailedAttempt('10.0.0.2', t0);
    expect(await store.failedAttemptsSince('10.0.0.1', t0)).toEqual([t0 + 1000, t0 + 2000]);
    expect(await store.failedAttemptsSince('10.0.0.1', t0 - 1)).toEqual([t0, t0 + 1000, t0 + 2000]);
    expect(await store.pruneFailedAttempts(t0 + 1000)).toBe(3);
    expect(await store.failedAttemptsSince('10.0.0.1', 0)).toEqual([t0 + 2000]);
    expect(await store.failedAttemptsSince('10.0.0.2', 0)).toEqual([]);
  });
});
