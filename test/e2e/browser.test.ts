/**
 * The dashboard in a real browser (Chromium from npm, driven by playwright-core) against the real HTTP
 * server on a dev Temporal server with a worker: a department signs in and acknowledges; the supervisor's
 * open page follows without reload; the supervisor verifies; the public page names no one.
 * Screenshots go to test-artifacts/.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../config/config';
import { loadDirectory } from '../../directory/directory';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { buildHttpServer } from '../../http/server';
import { createRestrictionClient } from '../../services/restrictions';
import { addDays, dayOf, type TaskSpecInput } from '../../domain';
import { openStore, type Store } from '../../store';
import { launchBrowser, signedInPage, type TestBrowser } from '../helpers/browser';
import { pdfText } from '../helpers/office';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';
import { main as cli } from '../../cli/main';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');

// Distinctive names, so "no names on the public page" cannot pass by accident or fail on a substring.
const DIRECTORY = `
supervisors:
  - { name: 督查员甄督查, email: dcs@test.example }
leadership:
  - { name: 钱领导, post: 区长, email: qz@test.example }
departments:
  区环保局:
    email: hb@test.example
    head: { name: 孙环保, post: 局长, email: hb.head@test.example }
  区发改局:
    email: fg@test.example
    head: { name: 周发改, post: 局长, email: fg.head@test.example }
  区经信局:
    email: jx@test.example
    head: { name: 吴经信, post: 局长, email: jx.head@test.example }
  泥沟镇:
    email: ng@test.example
    head: { name: 郑泥沟, post: 镇长, email: ng.head@test.example }
people:
  - name: 冯历任
    posts:
      - { post: 局长, department: 区环保局, from: 2000-01-01 }
`;
const ATTENDEES = ['陈参会', '褚参会'];

let env: TestWorkflowEnvironment;
let store: Store;
let tmp: string;
let worker: { stop(): Promise<void> } | undefined;
let duban: DubanClient;
let http: FastifyInstance;
let base: string;
let launched: TestBrowser;
let browser: Browser;
let directoryFile: string;
let cliEnv: NodeJS.ProcessEnv;
const plan = uniqueId('web').toLowerCase();

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-browser-'));
  directoryFile = path.join(tmp, 'directory.yaml');
  fs.writeFileSync(directoryFile, DIRECTORY);
  env = await devServerEnv();
  cliEnv = { DUBAN_DATA_DIR: tmp, DUBAN_DIRECTORY: directoryFile, DUBAN_TASK_QUEUE: uniqueId('browser') };
  const config = loadConfig(cliEnv);
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
  duban = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });
  // As app/main.ts wires it.
  const restrictions = createRestrictionClient({ client: env.client, taskQueue: config.temporal.taskQueue });
  http = buildHttpServer({ facade: duban, store, restrictions, config });
  base = await http.listen({ port: 0, host: '127.0.0.1' });
  launched = await launchBrowser();
  browser = launched.browser;
});

afterAll(async () => {
  await launched?.close();
  await http?.close();
  await worker?.stop();
  await env?.teardown();
  await store?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const today = () => dayOf(new Date().toISOString());

function spec(id: string, extra: Partial<TaskSpecInput> = {}): TaskSpecInput {
  return {
    plan,
    id,
    title: `加强工业污染防治 ${id}`,
    lead: ['区环保局'],
    cooperating: ['区发改局'],
    due: addDays(today(), 200),
    ...extra,
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `duban token create …`, as a supervisor would run it: the token is the one line on stdout. */
async function token(...args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await cli(['token', 'create', ...args], {
    env: cliEnv,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('已创建') });
  return stdout.trim();
}

const signedIn = (token: string) =>
  signedInPage(browser, base, token, { viewport: { width: 1280, height: 900 } });

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `browser-${name}.png`), fullPage: true });

test('department acknowledges, the supervisor sees it live and verifies; the public page names no one', async () => {
  // A task to acknowledge, one submitted for verification, and one neglected up the whole ladder.
  const ackId = `${plan}/ack-1`;
  const verifyId = `${plan}/verify-1`;
  const neglected = spec('neglect-1', {
    title: '集中治理工业集聚区水污染',
    region: '泥沟镇',
    restriction: { sector: '造纸' },
    due: addDays(today(), 1),
    policy: {
      secondsPerDay: 1,
      interviewAfterOverdue: '1d',
      rectificationPeriod: '1d',
      accountabilityAfterRectification: '1d',
    },
  });
  const neglectedId = `${plan}/neglect-1/泥沟镇`;
  // A title with markup in it shows as text and runs nothing.
  const markup = '加强工业污染防治 <img src=x onerror=alert(1)>';
  await duban.startTasks([
    spec('ack-1', { title: markup }),
    spec('verify-1', { cooperating: [] }),
    neglected,
  ]);
  await duban.command(verifyId, 'acknowledge', { actor: '区环保局' });
  await duban.command(verifyId, 'submitCompletion', { actor: '区环保局', summary: '已全部完成整治' });
  await until('the interview', async () => (await duban.summary(neglectedId))?.escalation === 'interview');
  await duban.command(neglectedId, 'recordInterview', {
    actor: 'supervisor',
    attendees: ATTENDEES,
    opinions: '限期整改',
  });
  await until(
    'accountability',
    async () => (await duban.summary(neglectedId))?.escalation === 'accountability',
  );
  expect((await store.listAccountability()).length).toBeGreaterThan(0);

  const supervisorToken = await token('--role', 'supervisor', '--name', 'e2e-督查室');
  const deptToken = await token('--role', 'department', '--dept', '区环保局');

  // The supervisor opens the task; it waits for the department.
  const sup = await signedIn(supervisorToken);
  const dialogs: string[] = [];
  sup.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await shot(sup.page, 'overview');
  expect(await sup.page.locator('[data-chart] canvas').count()).toBeGreaterThan(0);
  await sup.page.goto(`/tasks/${ackId}`);
  expect(await sup.page.locator('h1').textContent()).toBe(markup);
  const badge = sup.page.locator('#task-head [data-status]');
  await expect(badge.getAttribute('data-status')).resolves.toBe('assigned');
  expect(await badge.textContent()).toBe('待签收');
  await sup.page.waitForFunction('document.body.dataset.live === "on"');
  await sup.page.evaluate('window.notReloaded = true');

  // The department signs in and acknowledges in its own browser.
  const dept = await signedIn(deptToken);
  await dept.page.goto(`/tasks/${ackId}`);
  expect(await dept.page.locator('form[data-command=verifyCompletion]').count()).toBe(0);
  await dept.page.click('form[data-command=acknowledge] button[type=submit]');
  await dept.page.waitForSelector('#task-head [data-status=acknowledged]');
  await dept.page.waitForSelector('form[data-command=reportProgress]');
  await shot(dept.page, 'department-acknowledged');
  // No names for a department, and no accountability records.
  await dept.page.goto(`/tasks/${neglectedId.split('/').map(encodeURIComponent).join('/')}`);
  const seen = await dept.page.locator('#task-timeline').textContent();
  expect(seen).toContain('参加 2 人');
  for (const n of [...ATTENDEES, '冯历任', '郑泥沟']) expect(seen).not.toContain(n);
  const denied = await dept.page.goto('/accountability');
  expect(denied?.status()).toBe(403);

  // The supervisor's page turned without a reload.
  await sup.page.waitForSelector('#task-head [data-status=acknowledged]', { timeout: 15_000 });
  expect(await badge.textContent()).toBe('办理中');
  expect(await sup.page.locator('#task-timeline').textContent()).toContain('区环保局 签收');
  expect(await sup.page.evaluate('window.notReloaded')).toBe(true);
  await shot(sup.page, 'supervisor-live');
  expect(dialogs).toEqual([]);

  // The supervisor verifies the submitted task.
  await sup.page.goto(`/tasks/${verifyId}`);
  await sup.page.fill('form[data-command=verifyCompletion] textarea[name=note]', '材料齐全，同意办结');
  await sup.page.click('form[data-command=verifyCompletion] button[type=submit]');
  await sup.page.waitForSelector('#task-head [data-status=completed]');
  expect(await sup.page.locator('#task-timeline').textContent()).toContain('审核通过：材料齐全，同意办结');
  expect((await duban.summary(verifyId))?.status).toBe('completed');
  await shot(sup.page, 'supervisor-verified');

  // Names are for the supervisor: attendees on the interviews page, persons on the accountability page.
  await sup.page.goto('/interviews');
  expect(await sup.page.locator('body').textContent()).toContain(ATTENDEES[0]);
  await shot(sup.page, 'interviews');
  await sup.page.goto(
    `/restrictions?region=${encodeURIComponent('泥沟镇')}&sector=${encodeURIComponent('造纸')}`,
  );
  expect(await sup.page.locator('.answer').textContent()).toContain('限批中');
  await shot(sup.page, 'restrictions');
  await sup.page.goto('/accountability');
  expect(await sup.page.locator('#accountability').textContent()).toContain('冯历任');
  await shot(sup.page, 'accountability');
  await sup.page.goto(`/tasks?plan=${plan}&escalation=accountability`);
  expect(await sup.page.locator('#task-list tbody tr').count()).toBe(1);
  await shot(sup.page, 'task-list');

  // The public page: progress, restrictions and lists, and nobody's name.
  const anon = await browser.newContext({
    baseURL: base,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
  });
  const pub = await anon.newPage();
  await pub.goto('/public');
  const text = (await pub.locator('body').innerText()) + (await pub.content());
  expect(text).toContain('泥沟镇');
  expect(text).toContain('造纸');
  expect(text).toContain('区环保局');
  const dir = loadDirectory(directoryFile);
  const names = [
    ...dir.supervisors.map((s) => s.name),
    ...dir.leadership.map((l) => l.name),
    ...Object.values(dir.departments).flatMap((d) => (d.head ? [d.head.name] : [])),
    ...dir.people.map((p) => p.name),
    ...ATTENDEES,
  ];
  expect(names.length).toBeGreaterThan(8);
  for (const n of names) expect({ name: n, shown: text.includes(n) }).toEqual({ name: n, shown: false });
  await shot(pub, 'public');
  // The yearly public report, linked from /public: the page and its PDF name no one either.
  await pub.locator('.report-links a').first().click();
  await pub.waitForURL(/\/public\/report\//);
  const report = (await pub.locator('body').innerText()) + (await pub.content());
  expect(report).toContain('一、任务完成情况');
  expect(report).toContain('区环保局');
  const pdf = await anon.request.get(new URL(pub.url()).pathname + '.pdf');
  expect(pdf.status()).toBe(200);
  const pdfWords = pdfText(await pdf.body());
  expect(pdfWords).toContain('年度实施情况公开报告');
  for (const n of names)
    expect({ name: n, page: report.includes(n), pdf: pdfWords.includes(n) }).toEqual({
      name: n,
      page: false,
      pdf: false,
    });
  // Signed-in pages are not for the public.
  await pub.goto(`/tasks/${ackId}`);
  expect(new URL(pub.url()).pathname).toBe('/signin');

  // The overview, once all is settled: the counters, a light's colour, the ranking.
  await sup.page.goto('/');
  const cards = await sup.page.$$eval('#ov-cards .card', (cs) =>
    cs.map(
      (c) => `${c.querySelector('.l')?.textContent?.trim()} ${c.querySelector('.n')?.textContent?.trim()}`,
    ),
  );
  expect(cards).toEqual([
    '任务总数 3',
    '待签收 1',
    '办理中 1',
    '待审核 0',
    '已挂起 0',
    '已办结 1',
    '已撤销 0',
    '逾期 0',
    '已升级 1',
    '临期 0',
  ]);
  const colour = (id: string) =>
    sup.page.$eval(
      `#ov-board [data-wf="task/${id}"] .light`,
      (e) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
        ).getComputedStyle(e).backgroundColor,
    );
  expect(await colour(neglectedId)).toBe('rgb(130, 80, 223)'); // purple: 追责
  expect(await colour(ackId)).toBe('rgb(26, 127, 55)'); // green: due in 200 days
  expect(await colour(verifyId)).toBe('rgb(140, 149, 159)'); // grey: 已办结
  const rank = await sup.page.$$eval('#ov-rank tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim())),
  );
  // One lead department: verify-1 done on time, neither other task due yet.
  expect(rank).toEqual([['1', '区环保局', '3', '1', '1', '0', '100%']]);

  // Signing out ends the session.
  await sup.page.click('[data-signout]');
  await sup.page.waitForURL((u) => u.pathname === '/signin');
  await sup.page.goto('/');
  expect(new URL(sup.page.url()).pathname).toBe('/signin');
  await Promise.all([sup.context.close(), dept.context.close(), anon.close()]);
});
