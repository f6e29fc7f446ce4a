/**
 * Recording is a local activity now: one whose first attempts fail (the database busy, say) is retried
 * until it lands, and the ledger stays one chain, each event once, in order.
 */
import { Worker } from '@temporalio/worker';
import path from 'node:path';
import { createMailer } from '../../activities/mailer';
import { addDays, dayOf, taskWorkflowId, type TaskSpec } from '../../domain';
import { taskWorkflow } from '../../workflows';
import {
  acknowledgeUpdate,
  submitCompletionUpdate,
  verifyCompletionUpdate,
} from '../../workflows/task-messages';
import { createWorkerActivities } from '../../worker/activities';
import { startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { bundleWorkflows } from '../helpers/temporal';

let duban: TimeSkippedDuban;
beforeAll(async () => {
  duban = await startTimeSkippedDuban('local-recording');
});
afterAll(async () => {
  await duban?.teardown();
});

test('a recording that fails twice per command is retried, and the ledger holds every event once, chained', async () => {
  const { env, store } = duban;
  const taskQueue = 'local-recording';
  const real = createWorkerActivities({
    store,
    directory: duban.directory,
    mailer: createMailer({
      smtpUrl: duban.smtp.url,
      from: '督查室 <duban@test.example>',
      dir: path.join(duban.tmp, 'mail'),
    }),
    client: env.client,
    taskQueue,
  });
  const attempts = new Map<number, number>();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities: {
      ...real,
      async recordEvents(arg: Parameters<typeof real.recordEvents>[0]) {
        const seq = arg.events[0].seq;
        const n = (attempts.get(seq) ?? 0) + 1;
        attempts.set(seq, n);
        // The first attempt writes and then fails, as a connection lost before the answer would.
        if (n === 1) await real.recordEvents(arg);
        if (n < 3) throw new Error(`database is locked (attempt ${n})`);
        return real.recordEvents(arg);
      },
    },
  });
  const spec: TaskSpec = {
    plan: 'local-recording',
    id: '2-1-1',
    title: '重试记录',
    text: '',
    lead: ['区环保局'],
    cooperating: [],
    due: addDays(dayOf(await env.currentTimeMs()), 40),
  };
  const workflowId = taskWorkflowId(spec);
  await worker.runUntil(async () => {
    const h = await env.client.workflow.start(taskWorkflow, { taskQueue, workflowId, args: [{ spec }] });
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: '区环保局' }] });
    await h.executeUpdate(submitCompletionUpdate, { args: [{ actor: '区环保局', summary: '已完成' }] });
    await h.executeUpdate(verifyCompletionUpdate, { args: [{ actor: 'supervisor' }] });
    expect(await h.result()).toMatchObject({ status: 'completed' });
  });
  expect([...attempts.values()]).toEqual([3, 3, 3, 3]);
  const ledger = await store.ledgerFor(workflowId);
  expect(ledger.map((e) => [e.seq, e.type])).toEqual([
    [1, 'TaskAssigned'],
    [2, 'Acknowledged'],
    [3, 'CompletionSubmitted'],
    [4, 'CompletionVerified'],
  ]);
  expect(await store.verifyLedger()).toMatchObject({ ok: true });
  expect((await store.getTask(workflowId))?.status).toBe('completed');
});
