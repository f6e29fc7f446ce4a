/**
 * The Temporal dev server stopped and started again on the same database file while tasks run on the
 * demo clock (a day is 2 s) and the worker process stays up. Rungs that came due while the server was
 * down fire once it is back, later ones on their time; a task in the middle of its lifecycle takes its
 * next commands; nothing fires twice and every notification arrives once under one Message-ID.
 */
import { sleep } from '../../bench/harness';
import { toMillis, type TaskState } from '../../domain';
import {
  demoTask,
  ledgerProblems,
  mailProblems,
  rungCounts,
  startRig,
  waitForQuietOutbox,
  type Rig,
} from './rig';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig('restart');
});
afterAll(async () => {
  await rig?.close();
});

const POLICY = {
  secondsPerDay: 2,
  ackReminderAfter: '1d',
  ackReminderEvery: '3000d',
  ackAlertAfter: '3000d',
  warningDaysBefore: [1],
  interviewAfterOverdue: '2d',
};

test('tasks continue and pending rungs fire after the server restarts on its database', async () => {
  const plan = `restart-${Date.now().toString(36)}`;
  const worker = await rig.startWorker();
  const specs = [1, 2, 3].map((n) => demoTask(plan, `t${n}`, 6, POLICY));
  const lifecycle = demoTask(plan, 'life', 6, POLICY);
  await rig.duban.startTasks([...specs, lifecycle]);
  const ids = specs.map((s) => `task/${plan}/${s.id}`);
  await rig.duban.command(`${plan}/life`, 'acknowledge', { actor: '区环保局' });
  await rig.sink.waitFor(
    'the reminders of day 1',
    (ms) => ms.filter((m) => m.subject.includes('签收提醒')).length >= 6,
  );

  // Down for 8 s = four demo days: the warning (day 5) comes due meanwhile, the overdue notice soon after.
  const stoppedAt = Date.now();
  await rig.restartServer(8_000);
  const backAt = Date.now();
  expect(worker.exited()).toBe(false);

  // The task in the middle of its lifecycle goes on.
  expect(
    (await rig.duban.command(`${plan}/life`, 'submitCompletion', { actor: '区环保局', summary: '已完成' }))
      .status,
  ).toBe('submitted');
  expect((await rig.duban.command(`${plan}/life`, 'verifyCompletion', { actor: 'supervisor' })).status).toBe(
    'completed',
  );

  let states: TaskState[] = [];
  for (let i = 0; i < 60; i++) {
    states = await Promise.all(ids.map((id) => rig.duban.state(id)));
    if (states.every((s) => s.fired.includes('interview'))) break;
    await sleep(1000);
  }
  expect(states.map((s) => s.escalation)).toEqual(['interview', 'interview', 'interview']);

  const outbox = await waitForQuietOutbox(rig, 120_000);
  const ledgers = await Promise.all([...ids, `task/${plan}/life`].map((id) => rig.store.ledgerFor(id)));
  expect(ledgers.flatMap(ledgerProblems)).toEqual([]);
  expect(mailProblems(outbox, rig.sink)).toEqual([]);
  expect(new Set(rig.sink.messages.map((m) => m.messageId)).size).toBe(outbox.length);
  expect(await rig.store.verifyLedger()).toMatchObject({ ok: true });

  ledgers.slice(0, 3).forEach((l, i) => {
    const counts = rungCounts(l);
    for (const key of [`warning:1@${states[i].due}`, `overdue@${states[i].due}`, 'interview'])
      expect([key, counts.get(key)]).toEqual([key, 1]);
    // What was pending at the stop fired after the server came back.
    const escalations = l.filter((e) => e.type === 'OverdueNoticed' || e.type === 'InterviewOrdered');
    expect(escalations.length).toBeGreaterThan(0);
    for (const e of escalations) expect(toMillis(e.at)).toBeGreaterThanOrEqual(backAt - 1000);
  });
  // (the cooperating department, which never acknowledged, was reminded on day 1)
  const life = ledgers[3].map((e) => e.type).filter((t) => t !== 'AckReminderSent');
  expect(life).toEqual(['TaskAssigned', 'Acknowledged', 'CompletionSubmitted', 'CompletionVerified']);
  process.stdout.write(
    `server-restart: down ${backAt - stoppedAt} ms; ${outbox.length} notifications; t1: ${ledgers[0]
      .map((e) => `${e.type}@+${toMillis(e.at) - backAt}ms`)
      .join(' ')}\n`,
  );
}, 360_000);
