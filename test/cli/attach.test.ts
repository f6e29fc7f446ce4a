/**
 * `duban task report|submit --attach FILE` through the real session (Temporal dev server, duban's worker,
 * the SQLite file and the data folder's file store): the files are uploaded, the command carries their
 * hashes onto the ledger, and `duban ledger verify` fails, naming the file, once a stored file is changed
 * or gone. A file that does not pass is refused before anything is sent.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { loadConfig } from '../../config/config';
import { createDubanClient } from '../../services/facade';
import { openStore, type Store } from '../../store';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let store: Store;
let worker: { stop(): Promise<void> };
let tmp: string;
let cliEnv: NodeJS.ProcessEnv;
const plan = uniqueId('attach-cli').toLowerCase();
const ID = `${plan}/1`;
const WF = `task/${plan}/1`;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF photo')]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-attach-cli-'));
  env = await devServerEnv();
  cliEnv = {
    DUBAN_DATA_DIR: path.join(tmp, 'data'),
    DUBAN_TASK_QUEUE: uniqueId('attach-cli'),
    TEMPORAL_ADDRESS: env.address,
  };
  const config = loadConfig(cliEnv);
  fs.mkdirSync(config.dataDir, { recursive: true });
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
  const facade = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });
  await facade.startTasks([
    { plan, id: '1', title: '黑臭水体整治', lead: ['区环保局'], cooperating: [], due: '2030-12-31' },
  ]);
  await until(async () => (await store.getTask(WF)) !== undefined);
  fs.writeFileSync(path.join(tmp, '验收报告.pdf'), PDF);
  fs.writeFileSync(path.join(tmp, '现场照片.jpg'), JPG);
  fs.writeFileSync(path.join(tmp, '说明.txt'), '只是文字');
});

afterAll(async () => {
  await worker?.stop();
  await store?.close();
  await env?.teardown();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function until(ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: cliEnv,
    cwd: tmp,
  });
  return { code, stdout, stderr };
}

const rowOf = async (type: string) => (await store.ledgerFor(WF)).find((e) => e.type === type);

test('report and submit upload their files and put the hashes on the ledger; verify proves the files', async () => {
  expect((await run(['task', 'ack', ID, '--as', '区环保局'])).code).toBe(0);

  const report = await run([
    'task',
    'report',
    ID,
    '--as',
    '区环保局',
    '--note',
    '已完成清淤',
    '--attach',
    '验收报告.pdf',
    '--attach',
    path.join(tmp, '现场照片.jpg'),
  ]);
  expect(report.stderr).toBe('');
  expect(report.code).toBe(0);
  expect(report.stdout).toContain(
    `佐证材料 / attachment：验收报告.pdf（${PDF.length} 字节 / bytes）sha256 ${sha(PDF)}`,
  );
  expect(report.stdout).toContain(`sha256 ${sha(JPG)}`);
  await until(async () => (await rowOf('ProgressReported')) !== undefined);
  expect((await rowOf('ProgressReported'))!.event).toMatchObject({
    note: '已完成清淤',
    attachments: [sha(PDF), sha(JPG)],
  });

  // Refused before anything is sent: a missing file, a file of a kind duban does not take.
  const missing = await run([
    'task',
    'submit',
    ID,
    '--as',
    '区环保局',
    '--summary',
    '已办结',
    '--attach',
    '无.pdf',
  ]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('--attach: 找不到文件 无.pdf / --attach: no such file 无.pdf');
  const text = await run([
    'task',
    'submit',
    ID,
    '--as',
    '区环保局',
    '--summary',
    '已办结',
    '--attach',
    '说明.txt',
  ]);
  expect(text.code).toBe(1);
  expect(text.stderr).toContain('文件「说明.txt」的类型不受支持');
  expect(await rowOf('CompletionSubmitted')).toBeUndefined();

  const submit = await run([
    'task',
    'submit',
    ID,
    '--as',
    '区环保局',
    '--summary',
    '已办结',
    '--attach',
    '验收报告.pdf',
  ]);
  expect(submit.code).toBe(0);
  await until(async () => (await rowOf('CompletionSubmitted')) !== undefined);
  expect((await rowOf('CompletionSubmitted'))!.event).toMatchObject({ attachments: [sha(PDF)] });

  const intact = await run(['ledger', 'verify']);
  expect(intact.code).toBe(0);
  expect(intact.stdout).toContain('佐证材料 2 份与其哈希一致 / 2 attachment(s) match their hashes');

  const file = path.join(tmp, 'data', 'attachments', sha(PDF).slice(0, 2), sha(PDF).slice(2));
  const row = (await rowOf('ProgressReported'))!;
  fs.writeFileSync(file, Buffer.concat([PDF, Buffer.from('% edited')]));
  const changed = await run(['ledger', 'verify']);
  expect(changed.code).toBe(4);
  expect(changed.stderr).toContain(`ledger verification FAILED at row ${row.id}`);
  expect(changed.stderr).toContain(
    `row ${row.id} (${WF} #${row.seq}) names the attachment ${sha(PDF)}, whose stored file was changed`,
  );

  fs.rmSync(file);
  const gone = await run(['ledger', 'verify', '--json']);
  expect(gone.code).toBe(4);
  expect(JSON.parse(gone.stdout)).toMatchObject({ ok: false, firstBadId: row.id });
  expect(JSON.parse(gone.stdout).problem).toContain(`${sha(PDF)}, which is missing from`);
});
