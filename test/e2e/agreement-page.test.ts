/**
 * A 目标责任书's page in a real browser: the 镇街 signs with the page's 签订 button and the page then shows it
 * signed, the row on the ledger; the supervisor sees the agreement without the button.
 * Temporal is not needed: the tasks are in the store, and signing goes to the store through the API.
 */
import type { Page } from 'playwright-core';
import { buildHttpServer } from '../../http/server';
import { createAgreementService } from '../../services/agreements';
import { createAssessmentService } from '../../services/assessment';
import { createToken } from '../../services/tokens';
import { seededFixture, type Fixture } from '../cli/seed';
import { launchBrowser, signedInPage, type TestBrowser } from '../helpers/browser';
import { record } from '../office/story';

const PLAN = 'tz-agree-web';
let fx: Fixture;
let http: ReturnType<typeof buildHttpServer>;
let base: string;
let launched: TestBrowser;

beforeAll(async () => {
  fx = await seededFixture();
  await record(
    fx.store,
    { plan: PLAN, id: '1-1', title: '整治入河排污口', lead: ['泥沟镇'], region: '泥沟镇', due: '2027-05-31' },
    '2027-01-04',
  );
  http = buildHttpServer({
    facade: fx.facade,
    store: fx.store,
    agreements: createAgreementService({ store: fx.store }),
    assessment: createAssessmentService({ store: fx.store }),
    onError: () => undefined,
  });
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

const path = `/agreements/${PLAN}/2027/${encodeURIComponent('泥沟镇')}`;

test('the 镇街 signs its agreement with the button; the supervisor gets none', async () => {
  const supervisor = await signedIn({ role: 'supervisor', name: 'sup-agree' });
  await supervisor.goto(path);
  expect(await supervisor.locator('#agreement').innerText()).toContain('整治入河排污口');
  expect(await supervisor.locator('form[data-form=agreement]').count()).toBe(0);

  const town = await signedIn({ role: 'region', region: '泥沟镇', name: 'ngz' });
  await town.goto(path);
  expect(await town.locator('#agreement').innerText()).toContain('尚未签订');
  await town.locator('form[data-form=agreement] button[type=submit]').click();
  await town.locator('#agreement .badge.completed').waitFor();
  expect(await town.locator('#agreement .badge.completed').innerText()).toBe('已签订');
  expect(await town.locator('form[data-form=agreement]').count()).toBe(0);
  expect((await fx.store.ledgerFor(`agreement/${PLAN}/2027/泥沟镇`)).map((e) => e.event)).toMatchObject([
    { type: 'AgreementSigned', unit: '泥沟镇', by: '泥沟镇', tasks: 1 },
  ]);

  await supervisor.goto(`/assessment?plan=${PLAN}&year=2027`);
  expect(await supervisor.locator('#agreements tr[data-unit="泥沟镇"]').innerText()).toContain('已签订');
});
