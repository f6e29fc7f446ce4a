/**
 * duban's database locked by another writer for 14 s — longer than the worker's 5 s busy timeout — while
 * rungs come due (the demo clock: a day is 2 s) and a department acknowledges. The recording activity
 * fails and is retried; once the lock is gone every event is on the ledger exactly once, in order, the
 * chain verifies, the projection matches the ledger and every notification went out once.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { sleep, waitUntil } from '../../bench/harness';
import {
  demoTask,
  ledgerProblems,
  mailedEntries,
  mailProblems,
  rungCounts,
  startRig,
  waitForQuietOutbox,
  type Rig,
  activityAttempts,
} from './rig';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig('dblock');
});
afterAll(async () => {
  await rig?.close();
});

const POLICY = {
  secondsPerDay: 2,
  ackReminderAfter: '3000d',
  ackAlertAfter: '3000d',
  warningDaysBefore: [1],
  interviewAfterOverdue: '3000d',
};

test('recording retries while the database is locked; nothing lost, nothing written twice', async () => {
  const plan = `dblock-${Date.now().toString(36)}`;
  await rig.startWorker();
  const specs = [1, 2, 3].map((n) => demoTask(plan, `t${n}`, 4, POLICY));
  await rig.duban.startTasks(specs);
  const ids = specs.map((s) => `task/${plan}/${s.id}`);
  await rig.sink.waitFor('the assignment mails', (ms) => ms.length >= 3);

  // Another writer takes the write lock and keeps it: the warning (day 3) and the overdue notice (day 5)
  // come due behind it, and so does a department's acknowledgement.
  const locker = new Database(path.join(rig.tmp, 'duban.db'));
  locker.exec('begin immediate');
  const lockedAt = Date.now();
  let ackDoneAt = 0;
  const ack = rig.duban.command(`${plan}/t1`, 'acknowledge', { actor: '区发改局' }).then((s) => {
    ackDoneAt = Date.now();
    return s;
  });
  await sleep(14_000);
  expect(ackDoneAt).toBe(0);
  locker.exec('rollback');
  locker.close();
  const releasedAt = Date.now();
  expect((await ack).acknowledged).toHaveProperty('区发改局');
  expect(ackDoneAt).toBeGreaterThanOrEqual(releasedAt);

  await waitUntil(
    'every task to have its overdue notice on the ledger',
    async () => {
      const ledgers = await Promise.all(ids.map((id) => rig.store.ledgerFor(id)));
      return ledgers.every((l) => l.some((e) => e.type === 'OverdueNoticed'));
    },
    120_000,
  );
  const ledgers = await Promise.all(ids.map((id) => rig.store.ledgerFor(id)));
  // One notification per assignment, warning and overdue notice on the ledger, each sent once.
  const mailed = mailedEntries(ledgers);
  const outbox = await waitForQuietOutbox(rig, 150_000, mailed);
  expect(ledgers.flatMap(ledgerProblems)).toEqual([]);
  // Each rung once: fired, or — where the lock held it past the next one — skipped beside the more severe.
  ledgers.forEach((l) => {
    const counts = rungCounts(l);
    const due = (l[0].event as { spec: { due: string } }).spec.due;
    for (const key of [`warning:1@${due}`, `overdue@${due}`])
      expect([key, counts.get(key)]).toEqual([key, 1]);
  });
  expect(ledgers[0].filter((e) => e.type === 'Acknowledged')).toHaveLength(1);
  expect(await rig.store.verifyLedger()).toMatchObject({ ok: true });
  // The projection holds the last event of each task.
  for (const [i, id] of ids.entries()) expect((await rig.store.getTask(id))?.seq).toBe(ledgers[i].length);
  expect(outbox).toHaveLength(mailed.length);
  expect(mailProblems(outbox, rig.sink)).toEqual([]);
  expect(rig.sink.messages).toHaveLength(mailed.length);

  // The recording activity failed against the lock and was retried.
  const retried: number[] = [];
  for (const id of ids)
    retried.push(
      ...activityAttempts((await rig.client.workflow.getHandle(id).fetchHistory()).events!, 'recordEvents'),
    );
  expect(Math.max(...retried)).toBeGreaterThan(1);
  process.stdout.write(
    `db-locked: locked ${releasedAt - lockedAt} ms; ack answered ${ackDoneAt - releasedAt} ms after the release; ` +
      `recordEvents attempts: ${retried.join(',')}\n`,
  );
}, 360_000);
