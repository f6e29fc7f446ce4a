import { assign, type TaskEvent, type TaskSummary, taskSpecSchema } from '../../domain';
import { openStore, type Store } from '../../store';
import { startPgCluster, type PgCluster } from '../helpers/postgres';

// Several processes on one PostgreSQL database: each store here has its own pool, as each worker would.

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(() => cluster.stop());

const spec = taskSpecSchema().parse({
  plan: 'tez',
  id: '2-1-1',
  title: '加强工业污染防治',
  lead: ['区环保局'],
  due: '2030-12-31',
});
const assigned = assign(spec, '2026-03-01T01:00:00.000Z')[0];
const ack = (seq: number): TaskEvent => ({
  type: 'Acknowledged',
  by: '区环保局',
  seq,
  at: '2026-03-02T01:00:00.000Z',
});

async function stores(url: string, n: number): Promise<Store[]> {
  // One at a time: the first runs the migrations, the others find them done.
  const out: Store[] = [];
  for (let i = 0; i < n; i += 1) out.push(await openStore({ file: url, pool: 3 }));
  return out;
}

test('stores opened at once migrate the database once', async () => {
  const url = await cluster.createDatabase('migrate');
  const opened = await Promise.all(Array.from({ length: 4 }, () => openStore({ file: url, pool: 2 })));
  const rows = await cluster.query(url, 'select name from kysely_migration order by name');
  expect(rows.map((r) => r.name)).toEqual([
    '0001-ledger-tasks-outbox',
    '0002-calendar-years',
    '0003-restrictions-accountability',
    '0004-tokens',
    '0005-notice-lease-failed-attempts',
    '0006-bookmarks',
    '0007-sessions',
    '0009-milestone-due',
    '0010-indicators',
    '0011-duties',
    '0013-enterprises-cards',
    '0014-attachments',
    '0015-documents-priority-person',
    '0016-ledger-revisions',
  ]);
  await Promise.all(opened.map((s) => s.close()));
});

test('parallel appenders on one ledger keep one unbroken chain', async () => {
  const url = await cluster.createDatabase('chain');
  const appenders = await stores(url, 6);
  try {
    // 6 processes × 20 tasks, each task appended twice (a retry), interleaved.
    await Promise.all(
      appenders.flatMap((s, p) =>
        Array.from({ length: 20 }, (_, t) => [
          s.appendEvents(`task/p${p}/${t}`, [assigned, ack(2)]),
          appenders[(p + 1) % appenders.length].appendEvents(`task/p${p}/${t}`, [assigned, ack(2), ack(3)]),
        ]).flat(),
      ),
    );
    expect(await appenders[0].verifyLedger()).toEqual({ ok: true, rows: 6 * 20 * 3 });
    const ids = await cluster.query<{ id: number }>(url, 'select id from ledger order by id');
    expect(ids.map((r) => r.id)).toEqual(Array.from({ length: 360 }, (_, i) => i + 1));
    const head = await appenders[3].ledgerHead();
    expect(head?.id).toBe(360);
  } finally {
    await Promise.all(appenders.map((s) => s.close()));
  }
});

test('two claimers on one outbox row: one lease', async () => {
  const url = await cluster.createDatabase('outbox');
  const [a, b] = await stores(url, 2);
  try {
    const claim = {
      workflowId: 'task/o/1',
      key: '1-TaskAssigned',
      messageId: '<m@duban>',
      recipients: ['x@example'],
      subject: 's',
    };
    const [ra, rb] = await Promise.all([a.claimNotice(claim), b.claimNotice(claim)]);
    expect(ra).toEqual(rb);
    for (let round = 0; round < 10; round += 1) {
      const key = `race-${round}`;
      await a.claimNotice({ ...claim, key, messageId: `<${key}@duban>` });
      const won = await Promise.all([
        a.leaseNotice(claim.workflowId, key, 'A', 60_000),
        b.leaseNotice(claim.workflowId, key, 'B', 60_000),
      ]);
      expect(won.filter(Boolean)).toHaveLength(1);
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('projection upserts from several processes: the highest seq wins, whatever the order', async () => {
  const url = await cluster.createDatabase('tasks');
  const writers = await stores(url, 4);
  try {
    const summary = (seq: number): TaskSummary => ({
      workflowId: 'task/tez/2-1-1',
      plan: 'tez',
      taskId: '2-1-1',
      title: '加强工业污染防治',
      lead: ['区环保局'],
      cooperating: [],
      status: seq >= 40 ? 'acknowledged' : 'assigned',
      due: '2030-12-31',
      escalation: 'none',
      acknowledged: [],
      assignedAt: '2026-03-01T01:00:00.000Z',
      updatedAt: `2026-03-01T01:00:${String(seq).padStart(2, '0')}.000Z`,
      seq,
    });
    const seqs = Array.from({ length: 40 }, (_, i) => 40 - i);
    await Promise.all(seqs.map((seq, i) => writers[i % writers.length].upsertTask(summary(seq))));
    expect((await writers[0].getTask('task/tez/2-1-1'))?.seq).toBe(40);
  } finally {
    await Promise.all(writers.map((s) => s.close()));
  }
});

test('one firing of a rung is recorded once though two processes record it at once', async () => {
  const url = await cluster.createDatabase('acct');
  const [a, b] = await stores(url, 2);
  try {
    const record = (name: string) => ({
      person: { name, post: '局长', department: '区环保局' },
      taskWorkflowId: 'task/tez/2-1-1',
      plan: 'tez',
      taskId: '2-1-1',
      taskTitle: '加强工业污染防治',
      rung: 'accountability',
      reason: '逾期',
      referral: '区纪委监委',
      at: '2026-04-01T01:00:00.000Z',
    });
    // The directory changed between the two: each would name someone else.
    const [ra, rb] = await Promise.all([
      a.addAccountability([record('张三')]),
      b.addAccountability([record('李四')]),
    ]);
    expect(ra).toEqual(rb);
    expect(await a.listAccountability()).toHaveLength(1);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
