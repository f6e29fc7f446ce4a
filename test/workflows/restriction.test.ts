/**
 * A region's restriction workflow on the time-skipping server: the ladder's signal-with-start arriving
 * twice imposes once; a non-supervisor's update is refused before it reaches history; a task's lift
 * takes away what it caused; the state survives continue-as-new; a supervisor's change mails leadership.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDirectory } from '../../directory/directory';
import { createMailer } from '../../activities/mailer';
import { createRestrictionActivities } from '../../activities/restriction';
import { SHIPPED_DIRECTORY } from '../../config/config';
import { restrictionWorkflowId, type ActiveRestriction } from '../../domain';
import { openStore, type Store } from '../../store';
import { restrictionWorkflow } from '../../workflows';
import {
  activeRestrictionsQuery,
  imposeRestrictionSignal,
  imposeRestrictionUpdate,
  liftRestrictionUpdate,
} from '../../workflows/restriction-messages';
import { untilIdle } from '../helpers/idle';
import { startSmtpCapture, type SmtpCapture } from '../helpers/smtp';
import { bundleWorkflows, timeSkippingEnv, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let smtp: SmtpCapture;
let store: Store;
let tmp: string;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;
let acts: ReturnType<typeof createRestrictionActivities>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-restriction-'));
  [env, smtp] = await Promise.all([timeSkippingEnv(), startSmtpCapture()]);
  store = await openStore(path.join(tmp, 'duban.db'));
  taskQueue = uniqueId('restriction');
  acts = createRestrictionActivities({
    store,
    client: env.client,
    taskQueue,
    directory: loadDirectory(SHIPPED_DIRECTORY),
    mailer: createMailer({ smtpUrl: smtp.url, from: '督查室 <duban@test.example>', dir: tmp }),
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities: acts,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await smtp?.close();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const handle = (region: string) => env.client.workflow.getHandle(restrictionWorkflowId(region));
const active = (region: string) => handle(region).query(activeRestrictionsQuery);

/** Queries until the region's restrictions satisfy `pred` (signals are handled asynchronously). */
async function activeWhen(
  region: string,
  pred: (a: ActiveRestriction[]) => boolean,
): Promise<ActiveRestriction[]> {
  const until = Date.now() + 20_000;
  for (;;) {
    const a = await active(region);
    if (pred(a)) return a;
    if (Date.now() > until) throw new Error(`restrictions never matched: ${JSON.stringify(a)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const order = (task: string, sector = '涉水') => ({
  sector,
  reason: '整改期限已过，仍未完成整改',
  by: 'ladder',
  taskWorkflowId: task,
});

test('the ladder imposing twice by signal-with-start makes one restriction, on the ledger once', async () => {
  const region = uniqueId('运河街道');
  const task = `task/tez/2-1-3/${region}`;
  const first = await acts.restrictionSignal({ region, action: 'impose', order: order(task) });
  const second = await acts.restrictionSignal({ region, action: 'impose', order: order(task) });
  expect(first).toEqual({ workflowId: `restriction/${region}`, delivered: true });
  expect(second).toEqual(first);

  const [r] = await activeWhen(region, (a) => a.length > 0);
  // Both signals are in history, so the query below sees the state after both.
  const history = await handle(region).fetchHistory();
  const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes);
  expect(signals).toHaveLength(2);
  expect(await active(region)).toHaveLength(1);
  expect(r).toMatchObject({ region, sector: '涉水', taskWorkflowId: task, by: 'ladder' });

  const ledger = await store.ledgerFor(`restriction/${region}`);
  expect(ledger.map((e) => [e.seq, e.type])).toEqual([[1, 'RestrictionImposed']]);
  expect(await store.listRestrictions({ region })).toEqual([
    {
      region,
      sector: '涉水',
      taskWorkflowId: task,
      since: r.since,
      reason: '整改期限已过，仍未完成整改',
      by: 'ladder',
      seq: 1,
    },
  ]);
  expect(await store.verifyLedger()).toMatchObject({ ok: true });
});

test("a department's update is refused with a reason and leaves nothing in history", async () => {
  const region = uniqueId('泥沟镇');
  await acts.restrictionSignal({ region, action: 'impose', order: order(`task/tez/2-2-1/${region}`) });
  await activeWhen(region, (a) => a.length === 1);

  const refused = handle(region).executeUpdate(imposeRestrictionUpdate, {
    args: [{ actor: '区环保局', sector: '造纸', reason: '自行决定' }],
  });
  await expect(refused).rejects.toThrow(WorkflowUpdateFailedError);
  const err = (await refused.catch((e: unknown) => e)) as WorkflowUpdateFailedError;
  expect(err.cause?.message).toBe(
    '只有督查室可以限批或解除限批 / only a supervisor may impose or lift a restriction',
  );

  const noReason = (await handle(region)
    .executeUpdate(liftRestrictionUpdate, { args: [{ actor: 'supervisor', sector: '涉水', reason: ' ' }] })
    .catch((e: unknown) => e)) as WorkflowUpdateFailedError;
  expect(noReason.cause?.message).toBe('请填写理由 / reason is required');

  const notRestricted = (await handle(region)
    .executeUpdate(liftRestrictionUpdate, { args: [{ actor: 'supervisor', sector: '造纸', reason: '误报' }] })
    .catch((e: unknown) => e)) as WorkflowUpdateFailedError;
  expect(notRestricted.cause?.message).toBe(
    `${region} 的 造纸 行业未在限批中，无需解除 / sector 造纸 is not restricted in ${region}; there is nothing to lift`,
  );

  const history = await handle(region).fetchHistory();
  const updates = history.events!.filter(
    (e) =>
      e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes,
  );
  expect(updates).toEqual([]);
  expect(await active(region)).toHaveLength(1);
  expect((await store.ledgerFor(`restriction/${region}`)).map((e) => e.type)).toEqual(['RestrictionImposed']);
});

test("a supervisor's impose and lift are recorded and mailed to leadership, once each", async () => {
  const region = uniqueId('邳庄镇');
  await acts.restrictionSignal({ region, action: 'impose', order: order(`task/tez/2-2-1/${region}`) });
  await activeWhen(region, (a) => a.length === 1);
  const imposed = await handle(region).executeUpdate(imposeRestrictionUpdate, {
    args: [{ actor: 'supervisor', sector: '造纸', reason: '群众举报偷排' }],
  });
  expect(imposed.events.map((e) => [e.type, e.sector, e.by, e.seq])).toEqual([
    ['RestrictionImposed', '造纸', 'supervisor', 2],
  ]);
  expect(imposed.active.map((r) => r.sector)).toEqual(['涉水', '造纸']);

  const lifted = await handle(region).executeUpdate(liftRestrictionUpdate, {
    args: [{ actor: 'supervisor', sector: '涉水', reason: '已完成整改，经现场核查' }],
  });
  expect(lifted.events.map((e) => [e.type, e.sector, e.seq])).toEqual([['RestrictionLifted', '涉水', 3]]);
  expect(lifted.active.map((r) => r.sector)).toEqual(['造纸']);

  const mine = () => smtp.messages.filter((m) => m.subject?.includes(region));
  await smtp.waitFor(() => mine().length >= 2);
  await untilIdle(env.client, restrictionWorkflowId(region)); // any stray mail has arrived by then
  expect(
    mine()
      .map((m) => m.subject)
      .sort(),
  ).toEqual([`【督办】解除限批：${region} 涉水 行业`, `【督办】限批：${region} 造纸 行业`].sort());
  const to = (mine()[0].to as { value: { address: string }[] }).value.map((v) => v.address).sort();
  expect(to).toEqual(['fuquzhang.huanbao@taierzhuang.gov.cn.example', 'quzhang@taierzhuang.gov.cn.example']);
  expect(mine().find((m) => m.subject?.startsWith('【督办】限批'))?.text).toContain('限批理由：群众举报偷排');

  const list = await store.listRestrictions({ region });
  expect(list.map((r) => [r.sector, r.lifted?.reason ?? null])).toEqual([
    ['涉水', '已完成整改，经现场核查'],
    ['造纸', null],
  ]);
  expect(await store.listRestrictions({ region, activeOnly: true })).toHaveLength(1);
  expect((await store.listOutbox(`restriction/${region}`)).map((o) => [o.key, o.status])).toEqual([
    ['2-RestrictionImposed', 'sent'],
    ['3-RestrictionLifted', 'sent'],
  ]);
});

test('a verified task lifts what it caused; lifting where there is no workflow is a quiet no-op', async () => {
  const region = uniqueId('张山子镇');
  const a = `task/tez/2-1-3/${region}`;
  const b = `task/tez/2-3-1/${region}`;
  await acts.restrictionSignal({ region, action: 'impose', order: order(a, '涉水') });
  await acts.restrictionSignal({ region, action: 'impose', order: order(a, '造纸') });
  await acts.restrictionSignal({ region, action: 'impose', order: order(b, '涉水') });
  await activeWhen(region, (x) => x.length === 3);

  await acts.restrictionSignal({
    region,
    action: 'lift',
    order: { taskWorkflowId: a, reason: '任务办结审核通过', by: 'ladder' },
  });
  const left = await activeWhen(region, (x) => x.length === 1);
  expect(left.map((r) => [r.sector, r.taskWorkflowId])).toEqual([['涉水', b]]);
  expect((await store.ledgerFor(`restriction/${region}`)).map((e) => e.type)).toEqual([
    'RestrictionImposed',
    'RestrictionImposed',
    'RestrictionImposed',
    'RestrictionLifted',
    'RestrictionLifted',
  ]);
  // No supervisor acted: the task workflow mails its own lift; nothing from here.
  expect(smtp.messages.filter((m) => m.subject?.includes(region))).toEqual([]);

  const nowhere = uniqueId('马兰屯镇');
  expect(
    await acts.restrictionSignal({
      region: nowhere,
      action: 'lift',
      order: { taskWorkflowId: a, reason: 'x', by: 'ladder' },
    }),
  ).toEqual({ workflowId: `restriction/${nowhere}`, delivered: false });
});

test('continue-as-new carries every restriction and the numbering; the new run goes on', async () => {
  const region = uniqueId('涧头集镇');
  const workflowId = restrictionWorkflowId(region);
  const first = await env.client.workflow.start(restrictionWorkflow, {
    taskQueue,
    workflowId,
    args: [{ region, continueAsNewAfter: 20 }],
  });
  const sectors = Array.from({ length: 12 }, (_, i) => `行业${i + 1}`);
  for (const s of sectors) await first.signal(imposeRestrictionSignal, order(`task/tez/${s}/${region}`, s));

  const all = await activeWhen(region, (x) => x.length === 12);
  expect(all.map((r) => r.sector)).toEqual(sectors);
  // Signals may arrive batched, so the history reaches its limit a little after the last one is applied.
  let latest = await handle(region).describe();
  for (let i = 0; i < 100 && latest.runId === first.firstExecutionRunId; i++) {
    await new Promise((r) => setTimeout(r, 200));
    latest = await handle(region).describe();
  }
  expect(latest.runId).not.toBe(first.firstExecutionRunId);
  const firstRun = await env.client.workflow.getHandle(workflowId, first.firstExecutionRunId).describe();
  expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');

  // The new run numbers on from where the old one stopped, and lifts what the old one imposed.
  await acts.restrictionSignal({
    region,
    action: 'lift',
    order: { taskWorkflowId: `task/tez/行业1/${region}`, reason: '办结', by: 'ladder' },
  });
  await activeWhen(region, (x) => x.length === 11);
  const ledger = await store.ledgerFor(workflowId);
  expect(ledger.map((e) => e.seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  expect(ledger.at(-1)?.type).toBe('RestrictionLifted');
  expect(await store.verifyLedger()).toMatchObject({ ok: true });
});
