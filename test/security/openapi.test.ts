/**
 * Finding 16: the OpenAPI document did not match the server — path slug patterns missing, 414 and 429
 * undocumented, the 414 body not the ApiError shape, DELETE /api/session documented as JSON but an empty
 * 204. The test reads /docs/json and holds each claim against a real response.
 */
import { PLAN, seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from '../http/helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;
type Op = {
  parameters?: { name: string; in: string; schema: { pattern?: string; maxLength?: number } }[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
let paths: Record<string, Record<string, Op>>;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  api = await startApi({ facade: fx.facade, store: fx.store, auth: { maxFailures: 2 } });
  paths = (await api.call('GET', '/docs/json')).body.paths as typeof paths;
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const API_ERROR_KEYS = ['error', 'message'];

it('path parameters carry the patterns the server enforces, and the server refuses what they exclude', async () => {
  const op = paths['/api/tasks/{plan}/{id}'].get;
  const param = (n: string) => op.parameters!.find((p) => p.in === 'path' && p.name === n)!.schema;
  for (const n of ['plan', 'id']) {
    const pattern = new RegExp(param(n).pattern!);
    expect(pattern.test('2-1-1')).toBe(true);
    expect(pattern.test('a b')).toBe(false);
  }
  const bad = await api.call('GET', `/api/tasks/${PLAN}/${encodeURIComponent('a b')}`, {
    token: tokens.leadership,
  });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ error: 'bad_request', field: 'id' });
  const region = paths['/api/tasks/{plan}/{id}/{region}'].get.parameters!.find((p) => p.name === 'region')!;
  expect(region.schema.maxLength).toBe(100);
  for (const c of Object.keys(paths).filter((u) => u.includes('{id}')))
    for (const o of Object.values(paths[c]))
      expect([c, o.parameters?.find((p) => p.name === 'id')?.schema.pattern]).toEqual([
        c,
        expect.any(String),
      ]);
});

it('414 is documented on routes with path parameters, and its body is the ApiError shape', async () => {
  expect(paths['/api/tasks/{plan}/{id}'].get.responses['414']).toBeDefined();
  const r = await api.call('GET', `/api/tasks/${PLAN}/${'a'.repeat(200)}`, { token: tokens.leadership });
  expect(r.status).toBe(414);
  expect(Object.keys(r.body).sort()).toEqual(API_ERROR_KEYS.sort());
  expect(r.body).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/过长/) });
});

it('429 is documented wherever a token is looked at, and happens there', async () => {
  for (const [url, ops] of Object.entries(paths).filter(([u]) => u.startsWith('/api/')))
    for (const [method, op] of Object.entries(ops))
      expect([method, url, op.responses['429'] !== undefined]).toEqual([method, url, true]);
  for (let i = 0; i < 2; i++) await api.call('GET', '/api/tasks', { token: 'dbn_wrong' });
  const r = await api.call('GET', '/api/tasks', { token: 'dbn_wrong' });
  expect(r.status).toBe(429);
  expect(r.body).toMatchObject({ error: 'too_many_requests' });
});

it('DELETE /api/session is documented as an empty 204, as it answers', async () => {
  const op = paths['/api/session'].delete;
  expect(Object.keys(op.responses)).toContain('204');
  expect(op.responses['204'].content).toBeUndefined();
  const r = await api.call('DELETE', '/api/session');
  expect(r.status).toBe(204);
  expect(r.raw).toBe('');
  expect(r.headers.get('content-type')).toBeNull();
});

it('every $ref points at a schema the document holds', async () => {
  const doc = await api.call('GET', '/docs/json');
  const components = Object.keys((doc.body.components as { schemas: object }).schemas);
  const refs = [...doc.raw.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
  for (const r of new Set(refs)) expect(components).toContain(r);
});
