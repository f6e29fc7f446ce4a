/**
 * The /indicators page in a real browser: the measuring department records a value with the page's form and
 * sees the year judged; a department that does not measure it, and the supervisor, get no form.
 * Temporal is not needed: values go to the store through the API.
 */
import type { Page } from 'playwright-core';
import { buildHttpServer } from '../../http/server';
import { createIndicatorService } from '../../services/indicators';
import { createToken } from '../../services/tokens';
import { seededFixture, type Fixture } from '../cli/seed';
import { launchBrowser, signedInPage, type TestBrowser } from '../helpers/browser';
import { indicatorPlan } from '../helpers/indicator-plan';

const PLAN = 'tz-web';
let fx: Fixture;
let http: ReturnType<typeof buildHttpServer>;
let base: string;
let launched: TestBrowser;

beforeAll(async () => {
  fx = await seededFixture();
  const indicators = createIndicatorService({ store: fx.store });
  await indicators.start(indicatorPlan(PLAN, 2027));
  http = buildHttpServer({ facade: fx.facade, store: fx.store, indicators, onError: () => undefined });
  base = await http.listen({ port: 0, host: '127.0.0.1' });
  launched = await launchBrowser();
});
afterAll(async () => {
  await launched?.close();
  await http?.close();
  await fx?.close();
});

async function signedIn(req: Parameters<typeof createToken>[1]): Promise<Page> {
  const { token } = await createToken(fx.store, req);
  return (await signedInPage(launched.browser, base, token)).page;
}

test('the measuring department records with the form; others see the table without it', async () => {
  const zhujian = await signedIn({ role: 'department', department: '区住建局', name: 'zj' });
  await zhujian.goto('/indicators');
  const form = zhujian.locator('#indicator-black-odorous form[data-form=indicator]');
  await form.locator('select[name=year]').selectOption('2027');
  await form.locator('input[name=value]').fill('45%');
  await form.locator('button[type=submit]').click();
  await form.locator('.form-msg.ok').waitFor();
  expect(await zhujian.locator('#indicator-good-water form').count()).toBe(0);

  await zhujian.reload();
  const row = zhujian.locator('#indicator-black-odorous tr[data-year="2027"]');
  expect((await row.innerText()).replace(/\s+/g, ' ')).toBe('2027 ≤ 40% 45% 未达标');
  expect(
    (await fx.store.listIndicatorValues(PLAN)).map((v) => [v.indicator, v.value, v.by, v.source]),
  ).toEqual([['black-odorous', 45, '区住建局', 'api']]);

  // A value out of range: the API's refusal, in the form.
  await form.locator('input[name=value]').fill('140');
  await form.locator('button[type=submit]').click();
  await form.locator('.form-msg.bad').waitFor();
  expect(await form.locator('.form-msg').innerText()).toBe(
    'value：百分比应在 0–100 之间，不是 140 / value: a percentage must be between 0 and 100, not 140',
  );

  const supervisor = await signedIn({ role: 'supervisor', name: 'sup-web' });
  await supervisor.goto('/indicators');
  expect(await supervisor.locator('form[data-form=indicator]').count()).toBe(0);
  expect(await supervisor.locator('#indicator-black-odorous tr[data-year="2027"]').innerText()).toContain(
    '未达标',
  );
});
