/**
 * Finding: anyone who reaches Temporal's port could send `cancel` with `{"actor":"supervisor"}` and the
 * ledger said `by: supervisor`. Now duban seals every command with its key and the workflows refuse what
 * it did not seal: the attack, a seal from another key, a seal captured for another task, command or
 * update, a stale seal, and the ladder's restriction signals. The facade's own path still works.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { createCommandKeyFile, type CommandKey } from '../../config/command-key';
import {
  BAD_SIGNATURE,
  STALE_SIGNATURE,
  UNSIGNED_COMMAND,
  rejectionMessage,
  restrictionWorkflowId,
  sealCommand,
  type CommandSeal,
  type Rejection,
} from '../../domain';
import { CommandRefused, createDubanClient, type DubanClient } from '../../services/facade';
import { createRestrictionClient, type RestrictionClient } from '../../services/restrictions';
import { openStore, type Store } from '../../store';
import {
  activeRestrictionsQuery,
  imposeRestrictionSignal,
  imposeRestrictionUpdate,
} from '../../workflows/restriction-messages';
import { REJECTED, interviewEventSignal } from '../../workflows/task-messages';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let store: Store;
let tmp: string;
let worker: { stop(): Promise<void> } | undefined;
let duban: DubanClient;
let restrictions: RestrictionClient;
let key: CommandKey;
let otherKey: CommandKey;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-sec-actor-'));
  env = await devServerEnv();
  key = createCommandKeyFile(path.join(tmp, 'command-key.pem'));
  otherKey = createCommandKeyFile(path.join(tmp, 'other-key.pem'));
  const config = loadConfig({
    DUBAN_DATA_DIR: tmp,
    DUBAN_TASK_QUEUE: uniqueId('sec-actor'),
    DUBAN_COMMAND_KEY_FILE: path.join(tmp, 'command-key.pem'),
  });
  expect(config.commandKey?.publicKey).toBe(key.publicKey);
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
  const taskQueue = config.temporal.taskQueue;
  duban = createDubanClient({ client: env.client, taskQueue, store, commandKey: config.commandKey });
  restrictions = createRestrictionClient({ client: env.client, taskQueue, commandKey: config.commandKey });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function startTask(): Promise<string> {
  const plan = uniqueId('sec');
  const [r] = await duban.startTasks([
    { plan, id: '2-1-1', title: '加强工业污染防治', lead: ['区环保局'], due: '2030-12-31' },
  ]);
  // Recorded before anything is sent, so "nothing else on the ledger" means what it says.
  for (const until = Date.now() + 30_000; (await store.ledgerFor(r.workflowId)).length === 0;) {
    if (Date.now() > until) throw new Error(`${r.workflowId} was never recorded`);
    await new Promise((res) => setTimeout(res, 100));
  }
  return r.workflowId;
}

/** What a raw Temporal client gets back: the refusal's type, message and code. */
async function refusal(p: Promise<unknown>): Promise<{ type?: string; message: string; code?: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  const f = cause as ApplicationFailure;
  return { type: f.type ?? undefined, message: f.message, code: (f.details?.[0] as { code?: string })?.code };
}

const refused = (r: Rejection) => ({
  type: REJECTED,
  message: rejectionMessage(r),
  code: 'unsigned',
});

const forged = { actor: 'supervisor', reason: '伪造的撤销 / a forged cancel' };
const now = () => new Date().toISOString();

/** Nothing but the assignment and what the facade itself did is on the ledger or in the history. */
async function expectUntouched(workflowId: string, ledgerTypes: string[]) {
  expect((await store.ledgerFor(workflowId)).map((e) => e.type)).toEqual(ledgerTypes);
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  expect(
    accepted.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.name),
  ).toEqual(ledgerTypes.includes('Acknowledged') ? ['acknowledge'] : []);
}

test('the attack replayed: a raw `cancel` as "supervisor" is refused, nothing on the ledger', async () => {
  const id = await startTask();
  const r = await refusal(env.client.workflow.getHandle(id).executeUpdate('cancel', { args: [forged] }));
  expect(r).toEqual(refused(UNSIGNED_COMMAND));
  expect(r.message).toBe(
    '未经签名的命令：命令须经督办系统发出 / unsigned command: commands must be sent through duban (its facade, CLI or HTTP server)',
  );
  await expectUntouched(id, ['TaskAssigned']);
  expect((await duban.state(id)).status).toBe('assigned');
});

test('a seal made with another key is refused', async () => {
  const id = await startTask();
  const updateId = randomUUID();
  const seal = sealCommand(
    otherKey.sign,
    { workflowId: id, name: 'cancel', updateId, payload: forged },
    now(),
  );
  const r = await refusal(
    env.client.workflow.getHandle(id).executeUpdate('cancel', { args: [forged, seal], updateId }),
  );
  expect(r).toEqual(refused(BAD_SIGNATURE));
  await expectUntouched(id, ['TaskAssigned']);
});

test('a seal captured for another task, another command or another update id is refused', async () => {
  const [id, other] = [await startTask(), await startTask()];
  const handle = env.client.workflow.getHandle(id);
  const updateId = randomUUID();
  const forOther = sealCommand(
    key.sign,
    { workflowId: other, name: 'cancel', updateId, payload: forged },
    now(),
  );
  expect(await refusal(handle.executeUpdate('cancel', { args: [forged, forOther], updateId }))).toEqual(
    refused(BAD_SIGNATURE),
  );
  const ack = { actor: '区环保局' };
  const forAck = sealCommand(
    key.sign,
    { workflowId: id, name: 'acknowledge', updateId, payload: forged },
    now(),
  );
  expect(await refusal(handle.executeUpdate('cancel', { args: [forged, forAck], updateId }))).toEqual(
    refused(BAD_SIGNATURE),
  );
  // A seal for another payload (the department's own acknowledge) does not carry a changed actor.
  const ackSeal = sealCommand(
    key.sign,
    { workflowId: id, name: 'acknowledge', updateId, payload: ack },
    now(),
  );
  const asSupervisor = { actor: 'supervisor' };
  expect(
    await refusal(handle.executeUpdate('acknowledge', { args: [asSupervisor, ackSeal], updateId })),
  ).toEqual(refused(BAD_SIGNATURE));
  // The same seal with a new update id: refused; with its own id, Temporal answers the first result again.
  await handle.executeUpdate('acknowledge', { args: [ack, ackSeal], updateId });
  expect(
    await refusal(handle.executeUpdate('acknowledge', { args: [ack, ackSeal], updateId: randomUUID() })),
  ).toEqual(refused(BAD_SIGNATURE));
  await handle.executeUpdate('acknowledge', { args: [ack, ackSeal], updateId });
  await expectUntouched(id, ['TaskAssigned', 'Acknowledged']);
});

test('a seal from long ago is refused', async () => {
  const id = await startTask();
  const updateId = randomUUID();
  const ack = { actor: '区环保局' };
  const old = new Date(Date.now() - 60 * 60_000).toISOString();
  const seal: CommandSeal = sealCommand(
    key.sign,
    { workflowId: id, name: 'acknowledge', updateId, payload: ack },
    old,
  );
  const r = await refusal(
    env.client.workflow.getHandle(id).executeUpdate('acknowledge', { args: [ack, seal], updateId }),
  );
  expect(r).toEqual(refused(STALE_SIGNATURE));
  await expectUntouched(id, ['TaskAssigned']);
});

test('the facade without the key is refused by a task started with it', async () => {
  const id = await startTask();
  const keyless = createDubanClient({ client: env.client, taskQueue: 'unused', store });
  const err = await keyless.command(id, 'cancel', forged).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CommandRefused);
  expect((err as CommandRefused).message).toBe(rejectionMessage(UNSIGNED_COMMAND));
  expect((err as CommandRefused).code).toBe('unsigned');
});

test('the normal path: the facade sends, the workflow takes it and the ledger names the department', async () => {
  const id = await startTask();
  await duban.command(id, 'acknowledge', { actor: '区环保局' });
  await duban.command(id, 'reportProgress', { actor: '区环保局', note: '已完成排查 / survey done' });
  await duban.command(id, 'cancel', { actor: '督查室', reason: '方案调整 / the plan changed' });
  const ledger = await store.ledgerFor(id);
  expect(ledger.map((e) => e.type)).toEqual([
    'TaskAssigned',
    'Acknowledged',
    'ProgressReported',
    'TaskCancelled',
  ]);
});

test("a region's 限批: a raw signal or update is refused, the supervisor's own through the client is taken", async () => {
  const region = uniqueId('镇');
  const workflowId = restrictionWorkflowId(region);
  const first = await restrictions.impose(region, {
    actor: '督查室',
    sector: '工业',
    reason: '整改不力 / remedy lagging',
  });
  expect(first.active).toHaveLength(1);
  const handle = env.client.workflow.getHandle(workflowId);
  const order = { sector: '建设', reason: '伪造 / forged', by: 'ladder', taskWorkflowId: 'task/x/1' };
  await handle.signal(imposeRestrictionSignal, order);
  const r = await refusal(
    handle.executeUpdate(imposeRestrictionUpdate, {
      args: [{ actor: 'supervisor', sector: '农业', reason: '伪造 / forged' }],
    }),
  );
  expect(r).toEqual(refused(UNSIGNED_COMMAND));
  // The signal is read after the update in the same history; the query comes after both.
  const active = await handle.query(activeRestrictionsQuery);
  expect(active.map((a) => a.sector)).toEqual(['工业']);
  // The ladder's own signal, sealed by the worker's activity as restrictionSignal does, is taken.
  const ladder = { ...order, reason: '整改期限已过 / overdue' };
  const seal = sealCommand(
    key.sign,
    { workflowId, name: imposeRestrictionSignal.name, payload: ladder },
    now(),
  );
  await handle.signal(imposeRestrictionSignal, ladder, seal);
  const after = await handle.query(activeRestrictionsQuery);
  expect(after.map((a) => a.sector).sort()).toEqual(['工业', '建设'].sort());
});

test("a forged step sent to a task's interview (约谈) is dropped: no summons goes out for it", async () => {
  const plan = uniqueId('sec');
  // On the demo clock (a day is a second) and overdue: the interview is ordered a second after assignment.
  const [{ workflowId }] = await duban.startTasks([
    {
      plan,
      id: 'iv',
      title: '约谈任务',
      lead: ['区住建局'],
      due: '2001-01-01',
      policy: {
        secondsPerDay: 1,
        interviewAfterOverdue: '1d',
        ackReminderAfter: '3000d',
        ackAlertAfter: '3000d',
      },
    },
  ]);
  let state = await duban.state(workflowId).catch(() => undefined);
  for (const until = Date.now() + 30_000; !state?.interview; state = await duban.state(workflowId)) {
    if (Date.now() > until) throw new Error('the interview was never ordered');
    await new Promise((res) => setTimeout(res, 200));
  }
  const interviewId = `interview/${plan}/iv/${state.interview.n}`;
  // The task knows of its interview once the event is evolved; the child starts just after it is recorded.
  for (const until = Date.now() + 30_000; ;) {
    const started = await env.client.workflow
      .getHandle(interviewId)
      .describe()
      .then(() => true)
      .catch(() => false);
    if (started) break;
    if (Date.now() > until) throw new Error('the interview workflow never started');
    await new Promise((res) => setTimeout(res, 200));
  }
  const forgedStep = { ...state.interview, type: 'InterviewScheduled', seq: 999, place: '伪造的会场' };
  await env.client.workflow.getHandle(interviewId).signal(interviewEventSignal, {
    event: forgedStep as never,
    state,
  });
  // The supervisor's own scheduling, through the facade, goes out.
  await duban.command(workflowId, 'scheduleInterview', {
    actor: '督查室',
    at: '2030-06-01 09:30',
    place: '区政府第三会议室',
  });
  let keys: string[] = [];
  for (const until = Date.now() + 30_000; !keys.some((k) => k.endsWith('InterviewScheduled'));) {
    if (Date.now() > until) throw new Error(`no scheduled notice: ${keys.join(', ')}`);
    await new Promise((res) => setTimeout(res, 200));
    keys = (await store.listOutbox(interviewId)).map((o) => o.key);
  }
  expect(keys).not.toContain('999-InterviewScheduled');
  expect(JSON.stringify(await store.listOutbox(interviewId))).not.toContain('伪造的会场');
});
