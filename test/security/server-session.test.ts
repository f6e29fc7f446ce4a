/**
 * Finding 13: the cookie was the 30-day bearer token itself, and sign-out ended nothing. Now the cookie
 * holds a random session id kept (hashed) in the store: sign-out deletes it, a copied cookie stops
 * working, revoking the token ends its sessions, and sessions end when idle or old.
 */
import { COOKIE_NAME, hashToken } from '../../services/auth';
import { createToken, revokeToken } from '../../services/tokens';
import { seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from '../http/helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  api = await startApi({ facade: fx.facade, store: fx.store });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

async function signIn(token: string, a = api): Promise<string> {
  const r = await a.call('POST', '/api/session', { body: { token } });
  expect(r.status).toBe(200);
  return r.headers.get('set-cookie')!.split(';')[0];
}
const whoami = (cookie: string, a = api) => a.call('GET', '/api/session', { cookie });

it('the cookie holds a session id, never the token, and the store keeps only its hash', async () => {
  const cookie = await signIn(tokens.dept);
  const id = decodeURIComponent(cookie.slice(COOKIE_NAME.length + 1));
  expect(id).toMatch(/^dbs_[A-Za-z0-9_-]{43}$/);
  expect(cookie).not.toContain(tokens.dept);
  expect(await fx.store.findSession(hashToken(id))).toMatchObject({ token: { department: '区环保局' } });
  expect(await fx.store.findSession(id)).toBeUndefined();
  // The token itself in the cookie no longer signs anyone in.
  expect((await whoami(`${COOKIE_NAME}=${tokens.dept}`)).status).toBe(401);
});

it('sign-out ends the session server-side: a copy of the cookie stops working', async () => {
  const cookie = await signIn(tokens.dept);
  const copy = cookie;
  expect((await whoami(copy)).status).toBe(200);
  const out = await api.call('DELETE', '/api/session', { cookie });
  expect(out.status).toBe(204);
  expect(out.raw).toBe('');
  expect((await whoami(copy)).status).toBe(401);
  expect((await api.call('GET', '/api/tasks', { cookie: copy })).status).toBe(401);
});

it('revoking the token ends its sessions', async () => {
  const made = await createToken(fx.store, { role: 'region', region: '泥沟镇', name: 'to-revoke' });
  const cookie = await signIn(made.token);
  expect((await whoami(cookie)).status).toBe(200);
  await revokeToken(fx.store, 'to-revoke');
  expect((await whoami(cookie)).status).toBe(401);
});

it('a session ends when idle too long, and at its end however busy', async () => {
  const short = await startApi({
    facade: fx.facade,
    store: fx.store,
    auth: { session: { idleMs: 300, maxMs: 60_000 } },
  });
  const capped = await startApi({
    facade: fx.facade,
    store: fx.store,
    auth: { session: { idleMs: 60_000, maxMs: 300 } },
  });
  try {
    const idle = await signIn(tokens.leadership, short);
    const busy = await signIn(tokens.leadership, capped);
    expect((await whoami(idle, short)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect((await whoami(idle, short)).status).toBe(401);
    expect((await whoami(busy, capped)).status).toBe(401);
  } finally {
    await short.close();
    await capped.close();
  }
});
