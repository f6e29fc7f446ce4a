/**
 * 佐证材料 over the API on a real dev server with a worker and a SQLite store: files uploaded as multipart
 * come back byte-equal by their sha256; anonymous callers get 401, a department not on the task 403; an
 * oversized file 413 and a file of the wrong kind 415, each naming the file; a command carries the hashes
 * onto the ledger, refuses one not uploaded to its task, and `ledger verify` fails once a stored file changes.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { createAttachmentService } from '../../services/attachments';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { fileSystemStore, openStore, type Store } from '../../store';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';
import { makeTokens, startApi, type Api, type Role } from './helpers';

let env: TestWorkflowEnvironment;
let tmp: string;
let store: Store;
let worker: { stop(): Promise<void> };
let duban: DubanClient;
let api: Api;
let tokens: Record<Role, string>;
let filesDir: string;
const plan = uniqueId('attach').toLowerCase();
const MAX = 64 * 1024;

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('整改报告 '.repeat(200))]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR photo of the outfall'),
]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-attach-'));
  env = await devServerEnv();
  const config = loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_TASK_QUEUE: uniqueId('attach') });
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
  duban = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });
  filesDir = config.attachments.dir;
  const attachments = createAttachmentService({ store, files: fileSystemStore(filesDir), maxBytes: MAX });
  tokens = await makeTokens(store);
  api = await startApi({ facade: duban, store, attachments, onError: () => undefined });
  await duban.startTasks([
    {
      plan,
      id: '1',
      title: '入河排污口整治',
      lead: ['区环保局'],
      cooperating: ['区经信局'],
      due: '2030-12-31',
    },
  ]);
  await until(async () => (await store.getTask(`task/${plan}/1`)) !== undefined);
});

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await store?.close();
  await env?.teardown();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function until(ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A multipart POST of the files, as a browser's FormData sends them. */
async function upload(files: [string, Buffer][], token?: string, url = `/api/tasks/${plan}/1/attachments`) {
  const form = new FormData();
  for (const [name, bytes] of files) form.append('file', new Blob([bytes]), name);
  const r = await fetch(api.base + url, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

async function download(hash: string, token?: string) {
  const r = await fetch(`${api.base}/api/attachments/${hash}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: r.status, type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) };
}

test('uploaded files answer with their sha256 and come back byte-equal', async () => {
  const up = await upload(
    [
      ['整改报告.pdf', PDF],
      ['排污口照片.png', PNG],
    ],
    tokens.dept,
  );
  expect(up.status).toBe(200);
  expect(up.body.files).toEqual([
    { sha256: sha(PDF), name: '整改报告.pdf', size: PDF.length, type: 'application/pdf' },
    { sha256: sha(PNG), name: '排污口照片.png', size: PNG.length, type: 'image/png' },
  ]);
  // Content-addressed under the data folder.
  expect(fs.readFileSync(path.join(filesDir, sha(PDF).slice(0, 2), sha(PDF).slice(2)))).toEqual(PDF);

  const back = await download(sha(PDF), tokens.dept);
  expect(back.status).toBe(200);
  expect(back.type).toBe('application/pdf');
  expect(back.bytes.equals(PDF)).toBe(true);
  expect((await download(sha(PNG), tokens.leadership)).bytes.equals(PNG)).toBe(true);
  expect((await download(sha(PNG), tokens.supervisor)).status).toBe(200);
});

test('anonymous callers get 401, a department not on the task 403', async () => {
  await upload([['a.pdf', PDF]], tokens.dept);
  expect((await download(sha(PDF))).status).toBe(401);
  const other = await fetch(`${api.base}/api/attachments/${sha(PDF)}`, {
    headers: { authorization: `Bearer ${tokens.otherDept}` },
  });
  expect(other.status).toBe(403);
  expect(((await other.json()) as { message: string }).message).toContain('区住建局');
  expect((await upload([['b.pdf', PDF]])).status).toBe(401);
  const refused = await upload([['b.pdf', PDF]], tokens.otherDept);
  expect(refused.status).toBe(403);
  expect(refused.body.message).toContain('区住建局 不是本任务的牵头或配合单位');
  expect((await upload([['b.pdf', PDF]], tokens.leadership)).status).toBe(403);
  expect((await download('0'.repeat(64), tokens.dept)).status).toBe(404);
});

test('an oversized file is refused with 413 and a file of another kind with 415, each named', async () => {
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(MAX + 1, 0x20)]);
  const tooBig = await upload([['大文件.pdf', big]], tokens.dept);
  expect(tooBig.status).toBe(413);
  expect(tooBig.body).toMatchObject({ field: 'file', code: 'too_large' });
  expect(tooBig.body.message).toBe(
    '文件「大文件.pdf」过大（最大 64 KiB） / the file "大文件.pdf" is too large (at most 64 KiB)',
  );

  const exe = await upload([['报告.pdf', Buffer.from('MZ\x90\x00 not a pdf')]], tokens.dept);
  expect(exe.status).toBe(415);
  expect(exe.body).toMatchObject({ field: 'file', code: 'unsupported_type' });
  expect(exe.body.message).toContain('文件「报告.pdf」的类型不受支持');

  // The name says PDF, the bytes say PNG: the bytes are believed, and the mismatch refused.
  const disguised = await upload([['照片.pdf', PNG]], tokens.dept);
  expect(disguised.status).toBe(415);
  expect(disguised.body.message).toContain('文件「照片.pdf」的内容是 PNG，与文件名不符');

  // Nothing of a refused upload is stored, not even the good file beside it.
  const good = Buffer.concat([PDF, Buffer.from('another')]);
  expect(
    (
      await upload(
        [
          ['ok.pdf', good],
          ['bad.pdf', PNG],
        ],
        tokens.dept,
      )
    ).status,
  ).toBe(415);
  expect((await download(sha(good), tokens.dept)).status).toBe(404);

  const json = await api.call('POST', `/api/tasks/${plan}/1/attachments`, { token: tokens.dept, body: {} });
  expect(json.status).toBe(415);
  expect(json.body.field).toBe('content-type');
});

test('a command carries its files onto the ledger; a file not uploaded to the task is refused', async () => {
  await upload([['整改报告.pdf', PDF]], tokens.dept);
  const ack = await api.call('POST', `/api/tasks/${plan}/1/acknowledge`, { token: tokens.dept, body: {} });
  expect(ack.status).toBe(200);
  const unknown = sha(Buffer.from('never uploaded'));
  const refused = await api.call('POST', `/api/tasks/${plan}/1/reportProgress`, {
    token: tokens.dept,
    body: { note: '已完成排查', attachments: [unknown] },
  });
  expect(refused.status).toBe(400);
  expect(refused.body.field).toBe('attachments');
  expect(refused.body.message).toContain(unknown);
  const malformed = await api.call('POST', `/api/tasks/${plan}/1/reportProgress`, {
    token: tokens.dept,
    body: { note: '已完成排查', attachments: ['abc'] },
  });
  expect(malformed.status).toBe(400);
  expect(malformed.body.field).toBe('attachments');

  const ok = await api.call('POST', `/api/tasks/${plan}/1/reportProgress`, {
    token: tokens.dept,
    body: { note: '已完成排查', attachments: [sha(PDF)] },
  });
  expect(ok.status).toBe(200);
  await until(async () =>
    (await store.ledgerFor(`task/${plan}/1`)).some((e) => e.type === 'ProgressReported'),
  );
  const row = (await store.ledgerFor(`task/${plan}/1`)).find((e) => e.type === 'ProgressReported')!;
  expect(row.event).toMatchObject({ note: '已完成排查', attachments: [sha(PDF)] });

  const verified = await api.call('GET', '/api/ledger/verify', { token: tokens.supervisor });
  expect(verified.body).toMatchObject({ ok: true });

  // The stored file changed behind duban's back: the chain is whole, the proof is not.
  const file = path.join(filesDir, sha(PDF).slice(0, 2), sha(PDF).slice(2));
  const kept = fs.readFileSync(file);
  fs.writeFileSync(file, Buffer.concat([kept, Buffer.from('!')]));
  try {
    const broken = await api.call('GET', '/api/ledger/verify', { token: tokens.supervisor });
    expect(broken.body).toMatchObject({ ok: false, firstBadId: row.id });
    expect(broken.body.problem).toContain(`names the attachment ${sha(PDF)}, whose stored file was changed`);
  } finally {
    fs.writeFileSync(file, kept);
  }
});
