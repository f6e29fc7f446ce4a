/**
 * The 批示 route on a real dev server with a worker: leadership's token instructs (200, on the task's ledger,
 * the priority raised in the list); a department, the supervisor and a 镇街 get 403 with the reason, the
 * public 401, a blank text 409 naming it.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { createRestrictionClient } from '../../services/restrictions';
import { openStore, type Store } from '../../store';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';
import { makeTokens, startApi, type Api, type Role } from './helpers';

let env: TestWorkflowEnvironment;
let tmp: string;
let store: Store;
let worker: { stop(): Promise<void> };
let duban: DubanClient;
let api: Api;
let tokens: Record<Role, string>;
const plan = uniqueId('api-instruct').toLowerCase();

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-instruct-'));
  env = await devServerEnv();
  const config = loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_TASK_QUEUE: uniqueId('api-instruct') });
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
  const taskQueue = config.temporal.taskQueue;
  duban = createDubanClient({ client: env.client, taskQueue, store });
  tokens = await makeTokens(store);
  api = await startApi({
    facade: duban,
    store,
    restrictions: createRestrictionClient({ client: env.client, taskQueue }),
    onError: () => undefined,
  });
});

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await store?.close();
  await env?.teardown();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const ONLY = '只有区领导可以作出批示 / only leadership may give an instruction';

test('leadership instructs through the API; everyone else is told why not', async () => {
  await duban.startTasks([
    {
      plan,
      id: 'a',
      title: '城区污水管网改造',
      lead: ['区环保局'],
      cooperating: ['区经信局'],
      due: '2030-12-31',
    },
  ]);
  const workflowId = `task/${plan}/a`;
  const deadline = Date.now() + 60_000;
  while (!(await store.getTask(workflowId))) {
    if (Date.now() > deadline) throw new Error('the task never reached the projection');
    await new Promise((r) => setTimeout(r, 200));
  }
  const url = `/api/tasks/${plan}/a/instruct`;
  const send = (who: Role | 'public', body: unknown) =>
    api.call('POST', url, { ...(who === 'public' ? {} : { token: tokens[who] }), body });

  expect((await send('public', { text: '请抓紧' })).status).toBe(401);
  for (const who of ['dept', 'supervisor', 'region'] as const) {
    const r = await send(who, { text: '请抓紧' });
    expect({ who, status: r.status, message: r.body.message }).toEqual({ who, status: 403, message: ONLY });
  }
  const blank = await send('leadership', { text: '  ' });
  expect({ status: blank.status, field: blank.body.field, message: blank.body.message }).toEqual({
    status: 400,
    field: 'text',
    message: 'text: 请填写批示内容 / text is required',
  });
  const bad = await send('leadership', { text: '请抓紧', priority: 'urgent' });
  expect({ status: bad.status, field: bad.body.field }).toEqual({ status: 400, field: 'priority' });

  const ok = await send('leadership', { text: '请抓紧推进，月底前见成效。', priority: 'high' });
  expect({ status: ok.status, workflowId: ok.body.workflowId }).toEqual({ status: 200, workflowId });
  const ledger = await store.ledgerFor(workflowId);
  expect(ledger.at(-1)?.event).toMatchObject({
    type: 'InstructionGiven',
    by: 'leadership',
    text: '请抓紧推进，月底前见成效。',
    priority: 'high',
  });
  const list = await api.call('GET', `/api/tasks?plan=${plan}`, { token: tokens.supervisor });
  expect((list.body.tasks as { priority?: string }[])[0].priority).toBe('high');
});
