/**
 * The registry's writes over HTTP, against a real SQLite store and the time-skipping server with duban's
 * worker running the card workflow: an enterprise registered, carded yellow and lifted by a passing
 * re-inspection, the public lists following each step; who may write (the card department or a supervisor,
 * refused in the service's words), bad and unknown codes named `code`, a CSV with a bad line registering
 * nothing; and the forms on /enterprises for those who may use them.
 */
import type { Worker } from '@temporalio/worker';
import { rejectionMessage } from '../../domain';
import { CardPolicy, notCardManager } from '../../domain/cards';
import { createDubanClient } from '../../services/facade';
import { createEnterpriseService, type EnterpriseService } from '../../services/enterprises';
import { creditCode } from '../helpers/credit-code';
import { startTimeSkippedDuban, type TimeSkippedDuban } from '../helpers/duban-env';
import { uniqueId } from '../helpers/temporal';
import { makeTokens, startApi, type Api, type Reply, type Role } from './helpers';

let duban: TimeSkippedDuban;
let worker: Worker;
let running: Promise<void>;
let service: EnterpriseService;
let api: Api;
let tokens: Record<Role, string>;
const policy = CardPolicy.parse({});
const NOT_MANAGER = rejectionMessage(notCardManager(policy));

beforeAll(async () => {
  duban = await startTimeSkippedDuban('ent-http');
  const taskQueue = uniqueId('ent-http');
  worker = await duban.createWorker(taskQueue);
  running = worker.run();
  const client = duban.env.client;
  service = createEnterpriseService({
    store: duban.store,
    directory: duban.directory,
    policy,
    client,
    taskQueue,
  });
  tokens = await makeTokens(duban.store);
  api = await startApi({
    facade: createDubanClient({ client, taskQueue, store: duban.store }),
    store: duban.store,
    enterprises: () => service,
    onError: () => undefined,
    pages: { plans: () => new Map() },
  });
});
afterAll(async () => {
  await api?.close();
  worker?.shutdown();
  await running;
  await duban?.teardown();
});

/** Asks again until `pred` holds (the public lists are cached a few seconds, the projection follows the workflow). */
async function until(what: string, ask: () => Promise<Reply>, pred: (r: Reply) => boolean): Promise<Reply> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await ask();
    if (pred(r)) return r;
    if (Date.now() > deadline) throw new Error(`${what}: never so (${r.raw})`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

type Lists = { yellow: { code: string; measure: string; due?: string }[]; red: { code: string }[] };
const publicLists = () => api.call('GET', '/api/public/cards');
const inList = (r: Reply, color: 'yellow' | 'red', code: string) =>
  (r.body as unknown as Lists)[color].some((c) => c.code === code);

const register = (code: string, token: string, name = `台儿庄${code.slice(-4)}化工有限公司`) =>
  api.call('POST', '/api/enterprises', {
    token,
    body: { name, code, region: '邳庄镇', sector: '化工' },
  });

test('registered, carded yellow, then lifted by a passing re-inspection; the public lists follow', async () => {
  const code = creditCode();
  const added = await register(code, tokens.dept, '甲化工有限公司');
  expect(added.status).toBe(201);
  expect(added.body).toEqual({
    code,
    name: '甲化工有限公司',
    region: '邳庄镇',
    sector: '化工',
    registeredAt: expect.any(String),
  });

  const given = await api.call('POST', `/api/enterprises/${code}/cards`, {
    token: tokens.dept,
    body: { color: 'yellow', measure: '限产', reason: '超标排放', due: '2099-12-31' },
  });
  expect(given.status).toBe(201);
  expect(given.body).toMatchObject({ code, card: 1, color: 'yellow', measure: '限产', due: '2099-12-31' });
  const yellow = await until('the yellow card listed', publicLists, (r) => inList(r, 'yellow', code));
  expect((yellow.body as unknown as Lists).yellow.find((c) => c.code === code)).toMatchObject({
    name: '甲化工有限公司',
    measure: '限产',
    due: '2099-12-31',
  });

  const again = await api.call('POST', `/api/enterprises/${code}/cards`, {
    token: tokens.supervisor,
    body: { color: 'red', reason: '再犯' },
  });
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({ error: 'refused', field: 'code' });
  expect(again.body.message).toContain(`企业 ${code} 已有未撤销的黄牌，复查合格撤牌后才能再挂牌`);

  const lifted = await api.call('POST', `/api/enterprises/${code}/inspections`, {
    token: tokens.dept,
    body: { result: 'pass', note: '复查合格' },
  });
  expect(lifted.status).toBe(200);
  expect(lifted.body).toEqual({
    card: {
      code,
      card: 1,
      color: 'yellow',
      measure: '限产',
      since: expect.any(String),
      due: '2099-12-31',
      status: 'lifted',
    },
  });
  await until('the lifted card gone from the lists', publicLists, (r) => !inList(r, 'yellow', code));
  const registry = await api.call('GET', '/api/enterprises', { token: tokens.dept });
  expect(
    (registry.body.enterprises as { code: string; card: unknown }[]).find((e) => e.code === code),
  ).toMatchObject({
    card: null,
  });

  // Nothing open now: a pass is refused, a fail is recorded on the enterprise's chain.
  const none = await api.call('POST', `/api/enterprises/${code}/inspections`, {
    token: tokens.supervisor,
    body: { result: 'pass', note: '再查' },
  });
  expect(none.status).toBe(409);
  const failed = await api.call('POST', `/api/enterprises/${code}/inspections`, {
    token: tokens.supervisor,
    body: { result: 'fail', note: '再次超标' },
  });
  expect(failed).toMatchObject({ status: 200, body: { seq: expect.any(Number) } });
});

test('a department other than the card department is refused in the service’s words; the anonymous 401', async () => {
  const code = creditCode();
  await expect(
    service.add({ code, name: '乙纸业', region: '邳庄镇', sector: '造纸' }, '区住建局'),
  ).rejects.toThrow(NOT_MANAGER);
  for (const who of ['otherDept', 'region', 'leadership'] as const) {
    const r = await register(code, tokens[who]);
    expect([who, r.status, r.body]).toEqual([who, 403, { error: 'forbidden', message: NOT_MANAGER }]);
  }
  const card = await api.call('POST', `/api/enterprises/${code}/cards`, {
    token: tokens.otherDept,
    body: { color: 'yellow', reason: '超标' },
  });
  expect(card).toMatchObject({ status: 403, body: { message: NOT_MANAGER } });
  const inspection = await api.call('POST', `/api/enterprises/${code}/inspections`, {
    token: tokens.region,
    body: { result: 'fail', note: '超标' },
  });
  expect(inspection).toMatchObject({ status: 403, body: { message: NOT_MANAGER } });
  for (const [url, body] of [
    ['/api/enterprises', { name: '乙纸业', code, region: '邳庄镇', sector: '造纸' }],
    [`/api/enterprises/${code}/cards`, { color: 'yellow', reason: '超标' }],
    [`/api/enterprises/${code}/inspections`, { result: 'fail', note: '超标' }],
  ] as const)
    expect((await api.call('POST', url, { body })).status).toBe(401);
  const r = await api.call('POST', '/api/enterprises/import', {
    headers: { 'content-type': 'text/csv' },
  });
  expect(r.status).toBe(401);
  const registry = await api.call('GET', '/api/enterprises', { token: tokens.supervisor });
  expect((registry.body.enterprises as { code: string }[]).map((e) => e.code)).not.toContain(code);
});

test('a bad credit code and an unknown enterprise are refused naming `code`, as the CLI says it', async () => {
  const bad = await register('91370405MA3C1234XX', tokens.dept);
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ error: 'bad_request', field: 'code' });
  await expect(
    service.add({ code: '91370405MA3C1234XX', name: '丙', region: '邳庄镇', sector: '化工' }, '区环保局'),
  ).rejects.toThrow(bad.body.message as string);
  expect(bad.body.message).toMatch(/^code：统一社会信用代码/);

  const unknown = creditCode();
  const noSuch = `code：没有统一社会信用代码为“${unknown}”的登记企业 / code: no registered enterprise has the credit code “${unknown}”`;
  const card = await api.call('POST', `/api/enterprises/${unknown}/cards`, {
    token: tokens.dept,
    body: { color: 'red', reason: '偷排' },
  });
  expect(card).toMatchObject({ status: 400, body: { error: 'bad_request', field: 'code', message: noSuch } });
  const inspection = await api.call('POST', `/api/enterprises/${unknown}/inspections`, {
    token: tokens.dept,
    body: { result: 'fail', note: '偷排' },
  });
  expect(inspection).toMatchObject({ status: 400, body: { field: 'code', message: noSuch } });

  const noColor = await api.call('POST', `/api/enterprises/${unknown}/cards`, {
    token: tokens.dept,
    body: { color: 'green', reason: '偷排' },
  });
  expect(noColor).toMatchObject({ status: 400, body: { field: 'color' } });
});

test('a CSV with a bad line registers nothing and names the line; a good one registers all', async () => {
  const [a, b] = [creditCode(), creditCode()];
  const csv = (second: string) =>
    `name,code,region,sector\n丁化工,${a},邳庄镇,化工\n戊纸业,${second},泥沟镇,造纸\n`;
  const post = (body: string) =>
    fetch(`${api.base}/api/enterprises/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.dept}`, 'content-type': 'text/csv' },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  const codes = async () =>
    (
      (await api.call('GET', '/api/enterprises', { token: tokens.dept })).body.enterprises as {
        code: string;
      }[]
    ).map((e) => e.code);

  const bad = await post(csv('12345'));
  expect(bad.status).toBe(400);
  expect(bad.body.field).toBe('file');
  expect(bad.body.message).toContain('未录入任何数据');
  expect(bad.body.message).toContain('第 3 行 / line 3: code：统一社会信用代码应为 18 位');
  expect(await codes()).not.toContain(a);

  expect(await post(csv(b))).toEqual({ status: 200, body: { added: 2 } });
  expect(await codes()).toEqual(expect.arrayContaining([a, b]));

  const asJson = await api.call('POST', '/api/enterprises/import', {
    token: tokens.dept,
    body: { csv: 'x' },
  });
  expect(asJson.status).toBe(400);

  // As the document says: the CSV itself, as text/csv.
  const doc = (await api.call('GET', '/docs/json')).body as {
    paths: Record<
      string,
      { post: { requestBody: { content: Record<string, { schema: { type: string } }> } } }
    >;
  };
  const content = doc.paths['/api/enterprises/import'].post.requestBody.content;
  expect(Object.keys(content)).toEqual(['text/csv']);
  expect(content['text/csv'].schema.type).toBe('string');
});

test('/enterprises has the forms for the card department and supervisors; a 镇街 has neither page nor forms', async () => {
  const code = creditCode();
  expect((await register(code, tokens.dept, '己酿造厂')).status).toBe(201);
  for (const who of ['dept', 'supervisor'] as const) {
    const r = await api.call('GET', '/enterprises', { token: tokens[who] });
    expect([who, r.status]).toEqual([who, 200]);
    expect(r.raw).toContain('data-form="enterprise-add" method="post" action="/api/enterprises"');
    expect(r.raw).toContain('action="/api/enterprises/{code}/cards"');
    expect(r.raw).toContain('action="/api/enterprises/{code}/inspections"');
    expect(r.raw).toContain(`<option value="${code}">己酿造厂（${code}）</option>`);
  }
  for (const who of ['region', 'otherDept'] as const) {
    const r = await api.call('GET', '/enterprises', { token: tokens[who] });
    expect([who, r.status, r.raw.includes('data-form="enterprise')]).toEqual([who, 403, false]);
  }
});

test('the dashboard’s way: the signed-in cookie posts a registration from the same origin', async () => {
  const signin = await api.call('POST', '/api/session', { body: { token: tokens.dept } });
  const jar = signin.headers.get('set-cookie')!.split(';')[0];
  const code = creditCode();
  const origin = new URL(api.base).origin;
  const body = { name: '庚建材', code, region: '邳庄镇', sector: '建材' };
  const r = await api.call('POST', '/api/enterprises', { cookie: jar, headers: { origin }, body });
  expect(r.status).toBe(201);
  const elsewhere = await api.call('POST', '/api/enterprises', {
    cookie: jar,
    headers: { origin: 'http://evil.example' },
    body: { ...body, code: creditCode() },
  });
  expect(elsewhere.status).toBe(403);
});
