/**
 * Finding 10: no Origin or CSRF check, and `acknowledge` accepted a body-less POST (a CORS simple
 * request): a page on another port of the same host acknowledged for a signed-in department. Now a
 * cookie-authenticated state change from another origin is refused 403, and a command's body must be
 * JSON unless a bearer token (never a browser's cookie) sends it.
 */
import { PLAN, seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from '../http/helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;
let cookie: string;
let own: string;
const ACK = `/api/tasks/${PLAN}/2-1-2/acknowledge`;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  api = await startApi({ facade: fx.facade, store: fx.store, onError: () => undefined });
  own = api.base;
  const r = await api.call('POST', '/api/session', { body: { token: tokens.dept } });
  cookie = r.headers.get('set-cookie')!.split(';')[0];
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const post = (url: string, headers: Record<string, string>, body?: string) =>
  fetch(api.base + url, { method: 'POST', headers, body });

describe('a cookie-authenticated POST from another origin', () => {
  it('is refused 403 with the ApiError shape: another port of the same host, another site', async () => {
    const other = own.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`);
    for (const headers of <Record<string, string>[]>[
      { origin: other },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: other },
    ]) {
      const r = await post(ACK, { cookie, 'content-type': 'application/json', ...headers }, '{}');
      expect([headers, r.status]).toEqual([headers, 403]);
      expect(await r.json()).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/跨站/) });
    }
    // Signing out and signing in are state changes too.
    const out = await fetch(api.base + '/api/session', {
      method: 'DELETE',
      headers: { cookie, origin: other },
    });
    expect(out.status).toBe(403);
    const signIn = await post(
      '/api/session',
      { 'content-type': 'application/json', origin: other },
      '{"token":"x"}',
    );
    expect(signIn.status).toBe(403);
  });

  it('from this server’s own page passes the check (503 here: no Temporal behind it)', async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: own },
      { origin: own, 'sec-fetch-site': 'same-origin' },
      {},
    ]) {
      const r = await post(ACK, { cookie, 'content-type': 'application/json', ...headers }, '{}');
      expect([headers, r.status]).toEqual([headers, 503]);
    }
  });

  it('bearer-token requests are not affected', async () => {
    const r = await post(ACK, { authorization: `Bearer ${tokens.dept}`, origin: 'https://evil.example' });
    expect(r.status).toBe(503);
  });
});

describe('acknowledge’s body', () => {
  it('a CORS simple request (no body, or text/plain) with the cookie is refused 415', async () => {
    for (const [headers, body] of [
      [{}, undefined],
      [{ 'content-type': 'text/plain' }, ''],
      [{ 'content-type': 'text/plain;charset=UTF-8' }, '{}'],
    ] as const) {
      const r = await post(ACK, { cookie, origin: own, ...headers }, body);
      expect([headers, r.status]).toEqual([headers, 415]);
      expect(await r.json()).toMatchObject({ error: 'bad_request', field: 'content-type' });
    }
  });

  it('an empty JSON object is fine', async () => {
    const r = await post(ACK, { cookie, origin: own, 'content-type': 'application/json' }, '{}');
    expect(r.status).toBe(503);
  });
});
