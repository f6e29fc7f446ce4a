/**
 * A worker killed between recording a rung and completing the workflow task that decided it. The rung is
 * recorded by a local activity, so it is on the ledger while the task that decided it never completes;
 * an acknowledgement arrives while the worker is down, and the task's retry on a new worker takes it
 * first, so the retry numbers its events otherwise. The ledger must end as the workflow decided: the
 * acknowledgement on it, every rung dealt with once, what the dead worker wrote kept on the chain but
 * superseded, every notice mailed once, and the projection equal to the workflow's state.
 *
 * The moment is held open with a row lock: the test locks the task's projection row before the rung comes
 * due, so the recording activity appends to the ledger and then waits on its projection write.
 */
import { Client as PgClient } from 'pg';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { waitUntil } from '../../bench/harness';
import { summarize } from '../../domain';
import { TASK_UPDATES } from '../../workflows/task-messages';
import { startPgCluster, type PgCluster } from '../helpers/postgres';
import {
  demoTask,
  ledgerProblems,
  mailedEntries,
  mailProblems,
  rowKey,
  rungCounts,
  startRig,
  waitForQuietOutbox,
  type Rig,
} from './rig';

const POLICY = {
  secondsPerDay: 10,
  ackReminderAfter: '3000d',
  ackAlertAfter: '3000d',
  warningDaysBefore: [1],
  interviewAfterOverdue: '3000d',
};

const ADMITTED =
  temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage
    .UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED;

let cluster: PgCluster;
let dbUrl: string;
let rig: Rig;
let lock: PgClient | undefined;

beforeAll(async () => {
  cluster = await startPgCluster();
  dbUrl = await cluster.createDatabase('unfinished');
  rig = await startRig('unfinished', { dbUrl });
}, 240_000);
afterAll(async () => {
  await lock?.end().catch(() => undefined);
  await rig?.close();
  await cluster?.stop();
});

test('a rung recorded by a task that never completed: the ledger ends as the workflow decided', async () => {
  const plan = `unfinished-${Date.now().toString(36)}`;
  const spec = demoTask(plan, 't1', 2, POLICY);
  const id = `task/${plan}/t1`;
  const first = await rig.startWorker();
  await rig.duban.startTasks([spec]);
  // The assignment recorded, projected and mailed: nothing of it is in flight at the kill.
  await waitForQuietOutbox(rig, 60_000, 1);
  await waitUntil(
    'the projection of the assignment',
    async () => (await rig.store.getTask(id))?.seq === 1,
    30_000,
  );

  lock = new PgClient({ connectionString: dbUrl });
  await lock.connect();
  await lock.query('begin');
  await lock.query('select 1 from tasks where workflow_id = $1 for update', [id]);
  await waitUntil(
    'the warning on the ledger (its projection waits on the lock)',
    async () => (await rig.store.ledgerFor(id)).some((e) => e.type === 'WarningIssued'),
    60_000,
    () => '',
    50,
  );
  await first.kill9();
  const orphan = (await rig.store.ledgerFor(id)).map((e) => `${e.seq} ${e.type}`);
  expect(orphan).toEqual(['1 TaskAssigned', '2 WarningIssued']);
  await lock.query('rollback');
  await lock.end();
  lock = undefined;

  // The department acknowledges while no worker runs; the update waits, admitted, for the task's retry.
  const updateId = randomUUID();
  const acked = rig.client.workflow
    .getHandle(id)
    .executeUpdate(TASK_UPDATES.acknowledge, { args: [{ actor: '区环保局' }], updateId });
  await waitUntil(
    'the acknowledgement admitted',
    async () => {
      try {
        const r = await rig.connection.workflowService.pollWorkflowExecutionUpdate({
          namespace: 'default',
          updateRef: { workflowExecution: { workflowId: id }, updateId },
          identity: 'unfinished-recording test',
          waitPolicy: { lifecycleStage: ADMITTED },
        });
        return (r.stage ?? 0) >= ADMITTED;
      } catch {
        return false; // not yet known to the server
      }
    },
    30_000,
  );
  const second = await rig.startWorker();
  const state = await acked;
  expect(state.acknowledged).toMatchObject({ 区环保局: expect.any(String) });

  await waitUntil(
    'the overdue notice on the ledger',
    async () => (await rig.store.ledgerFor(id)).some((e) => e.type === 'OverdueNoticed'),
    120_000,
  );
  const ledger = await rig.store.ledgerFor(id);
  const now = await rig.duban.state(id);
  // As the workflow decided: its seqs one by one, the acknowledgement once, each rung dealt with once.
  expect(ledger.at(-1)?.seq).toBe(now.seq);
  expect(ledgerProblems(ledger)).toEqual([]);
  expect(ledger.filter((e) => e.type === 'Acknowledged').map((e) => e.event)).toMatchObject([
    { by: '区环保局' },
  ]);
  const counts = rungCounts(ledger);
  expect([counts.get(`warning:1@${spec.due}`), counts.get(`overdue@${spec.due}`)]).toEqual([1, 1]);
  // The dead worker's warning stays on the chain, superseded; the chain verifies.
  expect(await rig.store.verifyLedger()).toMatchObject({ ok: true, superseded: 1 });

  // Every notice the ledger asks for went out once, and only those.
  const mailed = mailedEntries([ledger]);
  const outbox = await waitForQuietOutbox(rig, 200_000, mailed);
  expect(outbox.map((o) => o.key).sort()).toEqual(mailed.map(rowKey).sort());
  expect(mailProblems(outbox, rig.sink)).toEqual([]);
  await waitUntil(
    "the projection to equal the workflow's state",
    async () =>
      JSON.stringify(await rig.store.getTask(id)) ===
      JSON.stringify(summarize(id, await rig.duban.state(id))),
    30_000,
  );
  process.stdout.write(`unfinished-recording: ${ledger.map((e) => `${e.seq} ${e.type}`).join(', ')}\n`);
  await second.stop();
}, 420_000);
