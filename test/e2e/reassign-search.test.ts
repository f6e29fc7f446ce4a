/**
 * On a dev server with duban's search attributes: a reassignment moves the task's DubanLead to the new
 * first lead, and a split's sub-tasks start searchable, with their own plan, task, lead and status.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { addDays, dayOf, taskWorkflowId } from '../../domain';
import { createDubanClient } from '../../services/facade';
import { openStore, type Store } from '../../store';
import { SA } from '../../workflows/search-attributes';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let tmp: string;
let store: Store;
let worker: { stop(): Promise<void> };
let taskQueue: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-reassign-sa-'));
  env = await devServerEnv();
  const config = loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_TASK_QUEUE: uniqueId('reassign-sa') });
  taskQueue = config.temporal.taskQueue;
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
});
afterAll(async () => {
  await worker?.stop();
  await store?.close();
  await env?.teardown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('DubanLead follows a reassignment; sub-tasks start with their own search attributes', async () => {
  const facade = createDubanClient({ client: env.client, taskQueue, store });
  const plan = uniqueId('sa').toLowerCase();
  const due = addDays(dayOf(Date.now()), 60);
  const [{ workflowId }] = await facade.startTasks([
    { plan, id: 't', title: '改派检索', lead: ['区环保局'], cooperating: ['区经信局'], due },
  ]);
  const lead = async (id: string) =>
    (await env.client.workflow.getHandle(id).describe()).typedSearchAttributes.get(SA.lead);
  expect(await lead(workflowId)).toBe('区环保局');

  await facade.command(workflowId, 'reassign', {
    actor: 'supervisor',
    lead: ['区水务局'],
    reason: '机构改革',
  });
  expect(await lead(workflowId)).toBe('区水务局');

  await facade.command(workflowId, 'splitTask', {
    actor: 'supervisor',
    subs: [{ title: '排查', due, lead: ['区经信局'] }],
    reason: '分解',
  });
  const child = await env.client.workflow.getHandle(taskWorkflowId({ plan, id: 't.1' })).describe();
  expect([SA.plan, SA.task, SA.lead, SA.status].map((k) => child.typedSearchAttributes.get(k))).toEqual([
    plan,
    't.1',
    '区经信局',
    'assigned',
  ]);
});
