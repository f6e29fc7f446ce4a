/**
 * /enterprises in a real browser, the card workflow on the time-skipping server with duban's worker: the card
 * department registers an enterprise, gives it a 黄牌 and lifts it with a passing re-inspection, each with the
 * page's form (posted to the API with the sign-in cookie), and sees the registry follow; a refusal is shown in
 * the form.
 */
import type { Worker } from '@temporalio/worker';
import type { Page } from 'playwright-core';
import { CardPolicy } from '../../domain/cards';
import { buildHttpServer } from '../../http/server';
import { createDubanClient } from '../../services/facade';
import { createEnterpriseService } from '../../services/enterprises';
import { createToken } from '../../services/tokens';
import { launchBrowser, signedInPage, type TestBrowser } from '../helpers/browser';
import { creditCode } from '../helpers/credit-code';
import { startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';

let duban: TimeSkippedDuban;
let worker: Worker;
let running: Promise<void>;
let http: ReturnType<typeof buildHttpServer>;
let base: string;
let launched: TestBrowser;

beforeAll(async () => {
  duban = await startTimeSkippedDuban('ent-page');
  const taskQueue = uniqueId('ent-page');
  worker = await duban.createWorker(taskQueue);
  running = worker.run();
  const client = duban.env.client;
  const service = createEnterpriseService({
    store: duban.store,
    directory: duban.directory,
    policy: CardPolicy.parse({}),
    client,
    taskQueue,
  });
  http = buildHttpServer({
    facade: createDubanClient({ client, taskQueue, store: duban.store }),
    store: duban.store,
    enterprises: () => service,
    onError: () => undefined,
    pages: { plans: () => new Map() },
  });
  base = await http.listen({ port: 0, host: '127.0.0.1' });
  launched = await launchBrowser();
});
afterAll(async () => {
  await launched?.close();
  await http?.close();
  worker?.shutdown();
  await running;
  await duban?.teardown();
});

async function signedIn(req: Parameters<typeof createToken>[1]): Promise<Page> {
  const { token } = await createToken(duban.store, req);
  return (await signedInPage(launched.browser, base, token)).page;
}

/** The registry row of the enterprise, once the page shows it so (the API answered before the projection). */
async function rowSays(page: Page, code: string, text: string): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    await page.goto('/enterprises');
    const row = page.locator('#ent-list tr', { hasText: code });
    const said = (await row.count()) > 0 ? (await row.innerText()).replace(/\s+/g, ' ') : '';
    if (said.includes(text)) return said;
    if (Date.now() > until) throw new Error(`row of ${code}: “${said}”, never “${text}”`);
    await page.waitForTimeout(200);
  }
}

test('the card department registers, cards and lifts with the forms', async () => {
  const page = await signedIn({ role: 'department', department: '区环保局', name: 'hb-web' });
  await page.goto('/enterprises');
  const code = creditCode();

  const add = page.locator('form[data-form=enterprise-add]');
  await add.locator('input[name=name]').fill('壬化工有限公司');
  await add.locator('input[name=code]').fill('12345');
  await add.locator('input[name=region]').fill('邳庄镇');
  await add.locator('input[name=sector]').fill('化工');
  await add.locator('button[type=submit]').click();
  await add.locator('.form-msg.bad').waitFor();
  expect(await add.locator('.form-msg').innerText()).toMatch(/^code：统一社会信用代码应为 18 位/);
  await add.locator('input[name=code]').fill(code);
  await add.locator('button[type=submit]').click();
  await add.locator('.form-msg.ok').waitFor();
  expect(await rowSays(page, code, '壬化工有限公司')).toContain('邳庄镇 化工 —');

  const card = page.locator('form[data-form=enterprise-card]');
  await card.locator('select[name=code]').selectOption(code);
  await card.locator('select[name=color]').selectOption('yellow');
  await card.locator('select[name=measure]').selectOption('限产');
  await card.locator('textarea[name=reason]').fill('废水超标排放');
  await card.locator('input[name=due]').fill('2099-12-31');
  await card.locator('button[type=submit]').click();
  await card.locator('.form-msg.ok').waitFor();
  expect(await rowSays(page, code, '黄牌')).toContain('黄牌（限产） 2099-12-31');

  const inspection = page.locator('form[data-form=enterprise-inspection]');
  await inspection.locator('select[name=code]').selectOption(code);
  await inspection.locator('select[name=result]').selectOption('pass');
  await inspection.locator('textarea[name=note]').fill('复查合格');
  await inspection.locator('button[type=submit]').click();
  await inspection.locator('.form-msg.ok').waitFor();
  expect(await rowSays(page, code, '—')).not.toContain('黄牌');
  const record = (await page.locator('#ent-cards').innerText()).replace(/\s+/g, ' ');
  expect(record).toContain('壬化工有限公司 黄牌（限产） 废水超标排放');
  expect(record).toContain('已撤销');
});
