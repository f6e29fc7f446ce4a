/**
 * The SMTP server is down (nothing listens on its port) for the first 25 s of three tasks' lives on the
 * demo clock (a day is 2 s). The ladder does not wait for mail: the warning and the overdue notice go on
 * the ledger on their time while no mail can leave. The sends are retried; once the server listens again
 * every notification arrives, once per outbox row under its own Message-ID, and nothing is lost.
 */
import { sleep } from '../../bench/harness';
import { toMillis } from '../../domain';
import { demoTask, ledgerProblems, mailProblems, startRig, waitForQuietOutbox, type Rig } from './rig';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig('smtp', { smtpListening: false });
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

test('mail is retried until the SMTP server is back; the ladder is not held up; nothing is lost', async () => {
  const plan = `smtp-${Date.now().toString(36)}`;
  await rig.startWorker();
  const specs = [1, 2, 3].map((n) => demoTask(plan, `t${n}`, 3, POLICY));
  const startedAt = Date.now();
  await rig.duban.startTasks(specs);
  const ids = specs.map((s) => `task/${plan}/${s.id}`);

  // Day 4 (8 s) is the overdue notice: on the ledger in time although no mail has gone out.
  for (let i = 0; i < 40; i++) {
    const ledgers = await Promise.all(ids.map((id) => rig.store.ledgerFor(id)));
    if (ledgers.every((l) => l.some((e) => e.type === 'OverdueNoticed'))) break;
    await sleep(500);
  }
  const whileDown = await Promise.all(ids.map((id) => rig.store.ledgerFor(id)));
  for (const l of whileDown) {
    expect(l.map((e) => e.type)).toEqual(['TaskAssigned', 'WarningIssued', 'OverdueNoticed']);
    const assignedAt = toMillis(l[0].at);
    // Planned: the warning on day 2, the overdue notice on day 4 of 2 s each.
    expect(toMillis(l[1].at) - assignedAt).toBeGreaterThanOrEqual(4_000);
    expect(toMillis(l[1].at) - assignedAt).toBeLessThan(4_000 + 2_000);
    expect(toMillis(l[2].at) - assignedAt).toBeGreaterThanOrEqual(8_000);
    expect(toMillis(l[2].at) - assignedAt).toBeLessThan(8_000 + 2_000);
  }
  const pending = await rig.store.listOutbox();
  expect(rig.sink.messages).toHaveLength(0);
  expect(pending.filter((o) => o.status === 'sent')).toEqual([]);

  await sleep(Math.max(0, startedAt + 25_000 - Date.now()));
  await rig.sink.start();
  const upAt = Date.now();
  const outbox = await waitForQuietOutbox(rig, 150_000, 9);
  // Three notices per task: assignment, warning, overdue — each arrived once.
  expect(outbox).toHaveLength(9);
  expect(mailProblems(outbox, rig.sink)).toEqual([]);
  expect(rig.sink.messages).toHaveLength(9);
  for (const m of rig.sink.messages) expect(m.receivedAt).toBeGreaterThanOrEqual(upAt);
  const ledgers = await Promise.all(ids.map((id) => rig.store.ledgerFor(id)));
  expect(ledgers.flatMap(ledgerProblems)).toEqual([]);
  expect(ledgers.map((l) => l.length)).toEqual([3, 3, 3]);
  expect(await rig.store.verifyLedger()).toMatchObject({ ok: true });

  // The sends were retried by Temporal (attempt > 1), not lost and not re-queued as new notifications.
  const history = await rig.client.workflow.getHandle(ids[0]).fetchHistory();
  const attempts = history
    .events!.filter((e) => e.activityTaskStartedEventAttributes)
    .map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
  expect(Math.max(...attempts)).toBeGreaterThan(1);
  process.stdout.write(
    `smtp-down: up after ${upAt - startedAt} ms; last mail ${Math.max(...rig.sink.messages.map((m) => m.receivedAt)) - upAt} ms after; ` +
      `send attempts seen: ${attempts.join(',')}\n`,
  );
}, 360_000);
