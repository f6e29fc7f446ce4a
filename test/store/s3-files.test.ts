/**
 * 佐证材料 in an S3-compatible bucket, against a real S3 server (moto's, which checks SigV4 signatures):
 * a file put comes back byte-equal and sits at `prefix/attachments/ab/cdef…`; its state follows the
 * object (intact, changed when overwritten, missing when deleted); a wrong secret is refused naming the
 * endpoint and S3's error code; and the HTTP upload route and the ledger's verification work on the bucket.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import { loadConfig } from '../../config/config';
import { attachmentsFromConfig } from '../../services/attachments';
import { createDubanClient } from '../../services/facade';
import {
  openStore,
  s3Client,
  s3FileStore,
  S3Error,
  s3KeyOf,
  type S3Client,
  type S3FileSettings,
  type Store,
} from '../../store';
import { signV4 } from '../../store/s3';
import { makeTokens, startApi, type Api } from '../http/helpers';
import { startS3Server, type S3Server } from '../helpers/s3';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';

let s3: S3Server;
let n = 0;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('整改报告 '.repeat(200))]);

beforeAll(async () => {
  s3 = await startS3Server();
}, 600_000);

afterAll(async () => {
  await s3?.stop();
});

/** A new bucket, made with duban's own client, and its settings. */
async function newBucket(prefix = 'duban/test'): Promise<{ settings: S3FileSettings; client: S3Client }> {
  n += 1;
  const settings: S3FileSettings = {
    endpoint: s3.endpoint,
    bucket: `duban-${process.pid}-${n}`,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    prefix,
  };
  const client = s3Client(settings);
  await client.createBucket();
  return { settings, client };
}

test('the signature is the one AWS documents for its GET object example', () => {
  // docs.aws.amazon.com, "Signature Calculations for the Authorization Header", GET object.
  const auth = signV4({
    method: 'GET',
    url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
    headers: {
      host: 'examplebucket.s3.amazonaws.com',
      range: 'bytes=0-9',
      'x-amz-content-sha256': sha(Buffer.alloc(0)),
      'x-amz-date': '20130524T000000Z',
    },
    payloadSha256: sha(Buffer.alloc(0)),
    region: 'us-east-1',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    amzDate: '20130524T000000Z',
  });
  expect(auth).toBe(
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
      'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
      'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  );
});

test('a file put comes back byte-equal, stored at prefix/attachments/ab/cdef…', async () => {
  const { settings, client } = await newBucket('duban/prod/');
  const files = s3FileStore(settings);
  expect(await files.put(PDF)).toBe(sha(PDF));
  expect((await files.get(sha(PDF)))!.equals(PDF)).toBe(true);
  expect(await files.get(sha(Buffer.from('never put')))).toBeUndefined();

  const key = `duban/prod/attachments/${sha(PDF).slice(0, 2)}/${sha(PDF).slice(2)}`;
  expect(s3KeyOf(settings.prefix, sha(PDF))).toBe(key);
  const raw = await client.send('GET', key);
  expect(raw.status).toBe(200);
  expect(raw.body.equals(PDF)).toBe(true);
  expect(await client.headObject(key)).toEqual({ size: PDF.length });
  expect(files.location).toBe(`${s3.endpoint}/${settings.bucket}/duban/prod/attachments`);

  // Putting the same bytes again is storing them once.
  expect(await files.put(PDF)).toBe(sha(PDF));
  expect((await client.getObject(key))!.equals(PDF)).toBe(true);
});

test('the state follows the object: intact, changed once overwritten, missing once deleted', async () => {
  const { settings, client } = await newBucket('');
  const files = s3FileStore(settings);
  const hash = await files.put(PDF);
  const key = `attachments/${hash.slice(0, 2)}/${hash.slice(2)}`;
  expect(await files.state(hash)).toBe('intact');

  await client.putObject(key, Buffer.concat([PDF, Buffer.from('!')]));
  expect(await files.state(hash)).toBe('changed');

  await client.deleteObject(key);
  expect(await client.headObject(key)).toBeUndefined();
  expect(await files.state(hash)).toBe('missing');
  expect(await files.state('not a hash')).toBe('missing');
});

test('a wrong secret key is refused, naming the endpoint and S3 error code', async () => {
  const { settings } = await newBucket();
  const files = s3FileStore({ ...settings, secretAccessKey: `${settings.secretAccessKey}x` });
  const err = await files.put(PDF).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(S3Error);
  expect((err as S3Error).code).toBe('SignatureDoesNotMatch');
  expect((err as S3Error).status).toBe(403);
  expect((err as Error).message).toContain(s3.endpoint);
  expect((err as Error).message).toContain('403 SignatureDoesNotMatch');
  // Nothing was stored under the right key.
  expect(await s3FileStore(settings).state(sha(PDF))).toBe('missing');
});

test('an endpoint that does not answer is named in the error', async () => {
  const { settings } = await newBucket();
  const files = s3FileStore({ ...settings, endpoint: 'http://127.0.0.1:1' });
  const err = await files.get(sha(PDF)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(S3Error);
  expect((err as Error).message).toMatch(
    /^S3 GET http:\/\/127\.0\.0\.1:1\/duban-.*: no answer from http:\/\/127\.0\.0\.1:1 \(/,
  );
});

describe('over HTTP, with DUBAN_ATTACHMENT_STORE=s3', () => {
  let env: TestWorkflowEnvironment;
  let tmp: string;
  let store: Store;
  let worker: { stop(): Promise<void> };
  let api: Api;
  let tokens: Awaited<ReturnType<typeof makeTokens>>;
  let bucket: { settings: S3FileSettings; client: S3Client };
  let dubanEnv: NodeJS.ProcessEnv;
  const plan = uniqueId('s3attach').toLowerCase();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-s3-'));
    bucket = await newBucket('duban');
    const secretFile = path.join(tmp, 's3-secret');
    fs.writeFileSync(secretFile, `${s3.secretAccessKey}\n`);
    env = await devServerEnv();
    dubanEnv = {
      DUBAN_DATA_DIR: tmp,
      DUBAN_TASK_QUEUE: uniqueId('s3attach'),
      TEMPORAL_ADDRESS: env.address,
      DUBAN_ATTACHMENT_STORE: 's3',
      DUBAN_S3_ENDPOINT: s3.endpoint,
      DUBAN_S3_BUCKET: bucket.settings.bucket,
      DUBAN_S3_PREFIX: 'duban',
      DUBAN_S3_ACCESS_KEY_ID: s3.accessKeyId,
      DUBAN_S3_SECRET_ACCESS_KEY_FILE: secretFile,
    };
    const config = loadConfig(dubanEnv);
    store = await openStore(config.db.file);
    worker = await runDubanWorker(env, config, store);
    const duban = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });
    tokens = await makeTokens(store);
    api = await startApi({
      facade: duban,
      store,
      attachments: attachmentsFromConfig(config, store),
      onError: () => undefined,
    });
    await duban.startTasks([
      { plan, id: '1', title: '入河排污口整治', lead: ['区环保局'], due: '2030-12-31' },
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

  /** `duban ledger verify`, configured by the same environment. */
  async function verify(): Promise<{ code: number; out: string }> {
    let out = '';
    const write = (t: string) => (out += t);
    const code = await main(['ledger', 'verify'], {
      stdout: { write },
      stderr: { write },
      env: dubanEnv,
      cwd: tmp,
    });
    return { code, out };
  }

  async function until(ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test('an upload lands in the bucket; the ledger verifies it, and fails once the object changes or goes', async () => {
    const form = new FormData();
    form.append('file', new Blob([PDF]), '整改报告.pdf');
    const up = await fetch(`${api.base}/api/tasks/${plan}/1/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.dept}` },
      body: form,
    });
    expect(up.status).toBe(200);
    expect(((await up.json()) as { files: unknown[] }).files).toEqual([
      { sha256: sha(PDF), name: '整改报告.pdf', size: PDF.length, type: 'application/pdf' },
    ]);
    const key = `duban/attachments/${sha(PDF).slice(0, 2)}/${sha(PDF).slice(2)}`;
    expect((await bucket.client.getObject(key))!.equals(PDF)).toBe(true);
    // Nothing under the data folder: the bucket is the store.
    expect(fs.existsSync(path.join(tmp, 'attachments'))).toBe(false);

    const back = await fetch(`${api.base}/api/attachments/${sha(PDF)}`, {
      headers: { authorization: `Bearer ${tokens.supervisor}` },
    });
    expect(back.status).toBe(200);
    expect(Buffer.from(await back.arrayBuffer()).equals(PDF)).toBe(true);

    expect(
      (await api.call('POST', `/api/tasks/${plan}/1/acknowledge`, { token: tokens.dept, body: {} })).status,
    ).toBe(200);
    const ok = await api.call('POST', `/api/tasks/${plan}/1/reportProgress`, {
      token: tokens.dept,
      body: { note: '已完成排查', attachments: [sha(PDF)] },
    });
    expect(ok.status).toBe(200);
    await until(async () =>
      (await store.ledgerFor(`task/${plan}/1`)).some((e) => e.type === 'ProgressReported'),
    );
    const row = (await store.ledgerFor(`task/${plan}/1`)).find((e) => e.type === 'ProgressReported')!;

    const verified = await verify();
    expect(verified.out).toContain('佐证材料 1 份与其哈希一致 / 1 attachment(s) match their hashes');
    expect(verified.code).toBe(0);
    expect((await api.call('GET', '/api/ledger/verify', { token: tokens.supervisor })).body).toMatchObject({
      ok: true,
    });

    await bucket.client.putObject(key, Buffer.concat([PDF, Buffer.from('!')]));
    const changed = await verify();
    expect(changed.code).not.toBe(0);
    expect(changed.out).toContain(`ledger verification FAILED at row ${row.id}`);
    expect(changed.out).toContain(`names the attachment ${sha(PDF)}, whose stored file was changed`);
    const viaApi = await api.call('GET', '/api/ledger/verify', { token: tokens.supervisor });
    expect(viaApi.body).toMatchObject({ ok: false, firstBadId: row.id });

    await bucket.client.deleteObject(key);
    const missing = await verify();
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain(
      `which is missing from ${s3.endpoint}/${bucket.settings.bucket}/duban/attachments`,
    );
  });
});
