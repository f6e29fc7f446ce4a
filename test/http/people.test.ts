/**
 * People (经办人) and in-department approval through the API, on a real dev server with a worker and a
 * directory where 区环保局's completions go to its 分管领导 first: the token's person is on the ledger, a
 * 经办人's submission awaits approval, the 分管领导 returns or approves it (报送督查室); a department
 * without approval submits straight on; a token naming an unknown person is refused, the field named.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { SHIPPED_DIRECTORY, loadConfig } from '../../config/config';
import { loadDirectory } from '../../directory/directory';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { createToken } from '../../services/tokens';
import { openStore, type Store } from '../../store';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';
import { startApi, type Api } from './helpers';

let env: TestWorkflowEnvironment;
let tmp: string;
let store: Store;
let worker: { stop(): Promise<void> };
let duban: DubanClient;
let api: Api;
const plan = uniqueId('api-people').toLowerCase();
const tokens: Record<string, string> = {};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-people-'));
  const dir = YAML.parse(fs.readFileSync(SHIPPED_DIRECTORY, 'utf8')) as {
    departments: Record<string, Record<string, unknown>>;
  };
  dir.departments['区环保局'] = {
    ...dir.departments['区环保局'],
    staff: [{ name: '张三' }],
    approver: '王五',
  };
  dir.departments['区住建局'] = { ...dir.departments['区住建局'], staff: [{ name: '李四' }] };
  const directoryFile = path.join(tmp, 'directory.yaml');
  fs.writeFileSync(directoryFile, YAML.stringify(dir));
  env = await devServerEnv();
  const config = loadConfig({
    DUBAN_DATA_DIR: tmp,
    DUBAN_DIRECTORY: directoryFile,
    DUBAN_TASK_QUEUE: uniqueId('api-people'),
  });
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
  duban = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });
  const directory = loadDirectory(directoryFile);
  const make = async (department: string, person?: string) =>
    (await createToken(store, { role: 'department', department, person }, undefined, directory)).token;
  tokens.zhang = await make('区环保局', '张三');
  tokens.wang = await make('区环保局', '王五');
  tokens.li = await make('区住建局', '李四');
  tokens.supervisor = (await createToken(store, { role: 'supervisor' })).token;
  api = await startApi({ facade: duban, store, config, onError: () => undefined });
});

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await store?.close();
  await env?.teardown();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function started(id: string, lead: string, cooperating: string): Promise<string> {
  await duban.startTasks([
    { plan, id, title: `任务 ${id}`, lead: [lead], cooperating: [cooperating], due: '2030-12-31' },
  ]);
  const workflowId = `task/${plan}/${id}`;
  const deadline = Date.now() + 60_000;
  while (!(await store.getTask(workflowId))) {
    if (Date.now() > deadline) throw new Error('the task never reached the projection');
    await new Promise((r) => setTimeout(r, 200));
  }
  return workflowId;
}
const cmd = (who: string, id: string, command: string, body?: unknown) =>
  api.call('POST', `/api/tasks/${plan}/${id}/${command}`, { token: tokens[who], ...(body ? { body } : {}) });

test('a token naming an unknown person is refused, naming the field', async () => {
  const directory = loadDirectory(path.join(tmp, 'directory.yaml'));
  await expect(
    createToken(store, { role: 'department', department: '区环保局', person: '赵六' }, undefined, directory),
  ).rejects.toThrow('person: 通讯录中 区环保局 没有人员 赵六 / 区环保局 has no person 赵六 in the directory');
});

test('a 经办人 submits, the 分管领导 returns, then approves: 报送督查室, every step with its person', async () => {
  const workflowId = await started('a', '区环保局', '区住建局');
  expect((await cmd('zhang', 'a', 'acknowledge')).status).toBe(200);
  expect((await cmd('li', 'a', 'acknowledge')).status).toBe(200);
  // A body cannot name the person or the approver: they are the token's and the directory's.
  expect(
    (await cmd('zhang', 'a', 'submitCompletion', { summary: '完成', approver: '张三' })).body.field,
  ).toBe('approver');
  const asked = await cmd('zhang', 'a', 'submitCompletion', { summary: '管网已完工' });
  expect({ status: asked.status, state: asked.body.status }).toEqual({ status: 200, state: 'acknowledged' });
  const notYours = await cmd('zhang', 'a', 'approveCompletion');
  expect({ status: notYours.status, message: notYours.body.message }).toEqual({
    status: 409,
    message:
      "只有分管领导 王五 可以审核 区环保局 的办结 / only 王五 (分管领导) may decide on 区环保局's completion",
  });
  expect((await cmd('wang', 'a', 'returnCompletion', { reason: '缺现场照片' })).body.status).toBe(
    'acknowledged',
  );
  expect((await cmd('zhang', 'a', 'submitCompletion', { summary: '补充了照片' })).status).toBe(200);
  const approved = await cmd('wang', 'a', 'approveCompletion');
  expect({ status: approved.status, state: approved.body.status }).toEqual({
    status: 200,
    state: 'submitted',
  });
  expect((await cmd('supervisor', 'a', 'verifyCompletion', {})).body.status).toBe('completed');

  const ledger = (await store.ledgerFor(workflowId)).map((e) => [
    e.event.type,
    (e.event as { by?: string }).by,
    e.event.person,
  ]);
  expect(ledger.slice(1)).toEqual([
    ['Acknowledged', '区环保局', '张三'],
    ['Acknowledged', '区住建局', '李四'],
    ['InternalApprovalRequested', '区环保局', '张三'],
    ['InternalApprovalReturned', '区环保局', '王五'],
    ['InternalApprovalRequested', '区环保局', '张三'],
    ['InternalApprovalGranted', '区环保局', '王五'],
    ['CompletionSubmitted', '区环保局', '王五'],
    ['CompletionVerified', 'supervisor', undefined],
  ]);
});

test('a department without approval configured submits straight to the supervisors', async () => {
  await started('b', '区住建局', '区环保局');
  expect((await cmd('li', 'b', 'acknowledge')).status).toBe(200);
  const r = await cmd('li', 'b', 'submitCompletion', { summary: '完成' });
  expect({ status: r.status, state: r.body.status }).toEqual({ status: 200, state: 'submitted' });
});
