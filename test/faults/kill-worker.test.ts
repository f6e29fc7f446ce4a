/**
 * kill -9 of the worker in the middle of an escalation. Three tasks climb the ladder on the demo clock
 * (a day is 2 s); the SMTP server holds every message 1.5 s before answering, and the worker is killed
 * the moment the first warning mail is in the server's hands but not yet answered — the worst moment:
 * the mail may be delivered, the worker never hears so. Rungs come due while it is down; a new worker
 * process then takes over. Every rung must happen exactly once, the unanswered mail must come again
 * under the same Message-ID (never a new one), every notification must arrive, and the chain verifies.
 */
import { sleep, type WorkerProcess } from '../../bench/harness';
import type { TaskState } from '../../domain';
import {
  demoTask,
  ledgerProblems,
  rungCounts,
  mailProblems,
  startRig,
  waitForQuietOutbox,
  type Rig,
} from './rig';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig('kill');
});
afterAll(async () => {
  await rig?.close();
});

const POLICY = {
  secondsPerDay: 2,
  ackReminderAfter: '1d',
  ackReminderEvery: '3000d',
  ackAlertAfter: '3d',
  warningDaysBefore: [3, 1],
  interviewAfterOverdue: '2d',
};

test('every rung exactly once, no new Message-ID for an old notification, the chain verifies', async () => {
  const plan = `kill-${Date.now().toString(36)}`;
  const first = await rig.startWorker();
  rig.sink.holdMs = 1500;
  let killedAt = 0;
  let killing: Promise<void> | undefined;
  let heldAtKill: string | undefined;
  rig.sink.onData = (m) => {
    if (!killing && m.subject.includes('预警')) {
      heldAtKill = m.messageId;
      killedAt = Date.now();
      killing = first.kill9();
    }
  };
  const specs = [1, 2, 3].map((n) => demoTask(plan, `t${n}`, 5, POLICY));
  await rig.duban.startTasks(specs);

  await rig.sink.waitFor('a warning mail (the moment of the kill)', () => killing !== undefined, 60_000);
  await killing;
  expect(first.exited()).toBe(true);
  // Down for three demo days: the alerts and the second warning come due meanwhile.
  await sleep(6_000);
  rig.sink.holdMs = 0;
  const second: WorkerProcess = await rig.startWorker();
  const restartedAt = Date.now();

  const ids = specs.map((s) => `task/${plan}/${s.id}`);
  // Day 8 is the interview; everything before it must have fired (or been skipped as less severe).
  let states: TaskState[] = [];
  const poll = async () => {
    states = await Promise.all(ids.map((id) => rig.duban.state(id)));
    return states.every((s) => s.fired.includes('interview'));
  };
  for (let i = 0; i < 120 && !(await poll()); i++) await sleep(1000);
  expect(states.map((s) => s.escalation)).toEqual(['interview', 'interview', 'interview']);
  for (const s of states) {
    for (const key of [
      'ack-alert:区环保局',
      'ack-alert:区发改局',
      `warning:3@${s.due}`,
      `warning:1@${s.due}`,
      `overdue@${s.due}`,
    ])
      expect(s.fired).toContain(key);
    expect(Object.keys(s.ackReminded).sort()).toEqual(['区发改局', '区环保局']);
  }

  // The mail held at the kill is retried after its start-to-close timeout (2 minutes): wait for it.
  const outbox = await waitForQuietOutbox(rig, 200_000);
  const ledgers = await Promise.all(ids.map((id) => rig.store.ledgerFor(id)));
  expect(ledgers.flatMap(ledgerProblems)).toEqual([]);
  expect(mailProblems(outbox, rig.sink)).toEqual([]);
  expect(await rig.store.verifyLedger()).toMatchObject({ ok: true });

  // The mail the worker was killed over reached the server; it went out again under the same ID.
  const held = rig.sink.messages.filter((m) => m.messageId === heldAtKill);
  expect(held.length).toBeGreaterThanOrEqual(2);
  expect(new Set(held.map((m) => m.subject)).size).toBe(1);
  // One Message-ID per notification: as many distinct IDs as outbox rows.
  expect(new Set(rig.sink.messages.map((m) => m.messageId)).size).toBe(outbox.length);
  // Each rung of the ladder exactly once per task: fired, or (come due together with a more severe one
  // while the worker was down) marked skipped on the event that went out instead.
  ledgers.forEach((l, i) => {
    const due = states[i].due;
    const counts = rungCounts(l);
    for (const key of [
      'ack-alert:区环保局',
      'ack-alert:区发改局',
      `warning:3@${due}`,
      `warning:1@${due}`,
      `overdue@${due}`,
      'interview',
    ])
      expect([key, counts.get(key)]).toEqual([key, 1]);
    expect(l.filter((e) => e.type === 'AckReminderSent')).toHaveLength(2);
    expect(l.filter((e) => e.type === 'InterviewOrdered')).toHaveLength(1);
  });
  const timeline = ledgers[0].map((e) => `${e.type}${rungCounts([e]).size > 1 ? '(+skipped)' : ''}`);
  process.stdout.write(
    `kill-worker: killed at +${killedAt - restartedAt} ms vs restart; ${rig.sink.messages.length} mails, ` +
      `${outbox.length} notifications, ${held.length} deliveries of the held one; t1: ${timeline.join(' ')}\n`,
  );
  await second.stop();
}, 360_000);
