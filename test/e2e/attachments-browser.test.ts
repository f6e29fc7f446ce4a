/**
 * 佐证材料 on the dashboard in a real browser: a department picks a file on the progress form, the page
 * uploads it and sends the report naming it; the timeline lists the file as a download link, and the link
 * gives back the very bytes. Against the real HTTP server, a dev Temporal server and duban's worker.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { addDays, dayOf } from '../../domain';
import { buildHttpServer } from '../../http/server';
import { attachmentsFromConfig } from '../../services/attachments';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { createToken } from '../../services/tokens';
import { openStore, type Store } from '../../store';
import { launchBrowser, signedInPage, type TestBrowser } from '../helpers/browser';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');

let env: TestWorkflowEnvironment;
let store: Store;
let tmp: string;
let worker: { stop(): Promise<void> } | undefined;
let duban: DubanClient;
let http: FastifyInstance;
let base: string;
let launched: TestBrowser;
const plan = uniqueId('web-files').toLowerCase();
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('排查台账 '.repeat(50))]);

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-files-browser-'));
  env = await devServerEnv();
  const config = loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_TASK_QUEUE: uniqueId('files-browser') });
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
  duban = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });
  http = buildHttpServer({ facade: duban, store, config, attachments: attachmentsFromConfig(config, store) });
  base = await http.listen({ port: 0, host: '127.0.0.1' });
  launched = await launchBrowser();
});

afterAll(async () => {
  await launched?.close();
  await http?.close();
  await worker?.stop();
  await env?.teardown();
  await store?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function until(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a department attaches a file to its progress report; the timeline links to it', async () => {
  const id = `${plan}/1`;
  await duban.startTasks([
    {
      plan,
      id: '1',
      title: '排查入河排污口',
      lead: ['区环保局'],
      cooperating: [],
      due: addDays(dayOf(Date.now()), 100),
    },
  ]);
  await until('the task', async () => (await store.getTask(`task/${id}`)) !== undefined);
  await duban.command(id, 'acknowledge', { actor: '区环保局' });
  const { token } = await createToken(store, { role: 'department', department: '区环保局' });

  const { context, page } = await signedInPage(launched.browser, base, token);
  await page.goto(`/tasks/${id}`);
  const form = page.locator('form[data-command=reportProgress]');
  await form.locator('textarea[name=note]').fill('已完成全部排查，台账见附件');
  await form
    .locator('input[type=file]')
    .setInputFiles({ name: '排查台账.pdf', mimeType: 'application/pdf', buffer: PDF });
  await form.locator('button[type=submit]').click();

  const link = page.locator('#task-timeline a[download]', { hasText: '排查台账.pdf' });
  await link.waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'browser-attachment.png'), fullPage: true });
  expect(await page.locator('#task-timeline').textContent()).toContain(
    '已完成全部排查，台账见附件（佐证材料 1 份）',
  );
  const sha = createHash('sha256').update(PDF).digest('hex');
  expect(await link.getAttribute('href')).toBe(`/api/attachments/${sha}`);
  const got = await page.request.get(`/api/attachments/${sha}`);
  expect(got.status()).toBe(200);
  expect(Buffer.from(await got.body()).equals(PDF)).toBe(true);
  const row = (await store.ledgerFor(`task/${id}`)).find((e) => e.type === 'ProgressReported');
  expect(row?.event).toMatchObject({ attachments: [sha] });
  await context.close();
});
