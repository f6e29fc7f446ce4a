/**
 * Findings 11 and 17: a YAML alias bomb in /api/plans/check answered 500; a 4.9 MB plan import blocked
 * the whole process for seconds. The reader's limits now answer 400 naming the field, a text over 2 MB is
 * refused 413 naming it, and the importer runs on its own thread with a time limit, so /health answers
 * while a large document is being read. (Needs `npm run build`: the worker thread runs the compiled code.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { PlanPool } from '../../http/plan-pool';
import { seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from '../http/helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;
const plan = fs.readFileSync(
  path.join(__dirname, '..', '..', 'plans', 'taierzhuang-2016-water-pollution-plan.txt'),
  'utf8',
);

/** The billion laughs: ten lines that expand to 10^9 strings. */
const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'plan: *i',
].join('\n');

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  api = await startApi({ facade: fx.facade, store: fx.store, onError: () => undefined });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const post = (url: string, body: unknown, token = tokens.supervisor) =>
  api.call('POST', url, { token, body });

describe('YAML the reader refuses', () => {
  it('an alias bomb in /api/plans/check and /start is a 400 naming yaml, not a 500', async () => {
    for (const url of ['/api/plans/check', '/api/plans/start']) {
      const r = await post(url, { yaml: BOMB });
      expect([url, r.status]).toEqual([url, 400]);
      expect(r.body).toMatchObject({ error: 'bad_request', field: 'yaml' });
      expect(String(r.body.message)).toMatch(/别名|alias/);
    }
  });

  it('a syntax error is still an issue to fix in review', async () => {
    const r = await post('/api/plans/check', { yaml: 'plan: [' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: false });
  });
});

describe('the size cap', () => {
  it('a text over 2 MB is refused 413, naming the field, in the ApiError shape', async () => {
    const big = '一'.repeat(700_000) + 'x'; // 2.1 MB in UTF-8
    const imp = await post('/api/plans/import', { text: big });
    expect(imp.status).toBe(413);
    expect(imp.body).toMatchObject({ error: 'bad_request', field: 'text' });
    const check = await post('/api/plans/check', { yaml: `plan: '${big}'` });
    expect(check.status).toBe(413);
    expect(check.body).toMatchObject({ error: 'bad_request', field: 'yaml' });
  });
});

describe('the importer’s thread', () => {
  it('the real plan still imports', async () => {
    const r = await post('/api/plans/import', { text: plan, id: 'water-imp' });
    expect(r.status).toBe(200);
    expect(r.body.tasks).toBeGreaterThan(10);
  });

  it('a large document is read off the request thread: the event loop keeps turning meanwhile', async () => {
    let text = plan;
    while (Buffer.byteLength(text) < 1.9 * 1024 * 1024) text += `\n${plan}`;
    // On the request thread the import would hold the loop until it finished: no turn could come between.
    // (Measured over HTTP in one process the test's own client shares the loop, so the pool is asked here.)
    const pool = new PlanPool();
    let done = false;
    const importing = pool
      .run<{ tasks: number }>({ kind: 'import', text, opts: { id: 'water-big', today: '2026-12-01' } })
      .finally(() => (done = true));
    let turns = 0;
    while (!done) {
      await new Promise((r) => setImmediate(r));
      if (!done) turns += 1;
    }
    expect(turns).toBeGreaterThan(0);
    expect((await importing).tasks).toBeGreaterThan(10);
    const big = await post('/api/plans/import', { text, id: 'water-big' });
    expect(big.status).toBe(200);
  });

  it('a document over the time limit is stopped and answered 400 naming text', async () => {
    const strict = await startApi({ facade: fx.facade, store: fx.store, plans: { timeoutMs: 1 } });
    try {
      const r = await strict.call('POST', '/api/plans/import', {
        token: tokens.supervisor,
        body: { text: plan },
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: 'bad_request', field: 'text' });
    } finally {
      await strict.close();
    }
  });
});
