/**
 * Finding 5: the cookie's Secure flag followed the Host header, so over plain HTTP on a real name the
 * browser dropped it and sign-in looped. DUBAN_SECURE_COOKIE (auto|always|never) decides now; auto marks
 * it Secure when the request came over HTTPS (the socket, or a trusted proxy's X-Forwarded-Proto).
 */
import { loadConfig } from '../../config/config';
import { COOKIE_NAME } from '../../services/auth';
import { seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Role } from '../http/helpers';

let fx: Fixture;
let tokens: Record<Role, string>;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
});
afterAll(async () => {
  await fx?.close();
});

async function cookieFrom(env: Record<string, string>, headers: Record<string, string>) {
  const api = await startApi({ facade: fx.facade, store: fx.store, config: loadConfig(env) });
  try {
    const r = await api.call('POST', '/api/session', { body: { token: tokens.dept }, headers });
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie')!;
    // The cookie signs the next request in over the same plain HTTP.
    const me = await api.call('GET', '/api/session', { cookie: cookie.split(';')[0], headers });
    return { cookie, signedIn: me.status === 200 };
  } finally {
    await api.close();
  }
}

it('plain HTTP on a non-localhost name: not Secure (auto), so the browser keeps it and sign-in works', async () => {
  const { cookie, signedIn } = await cookieFrom({}, { host: 'duban.example.gov.cn' });
  expect(cookie).toMatch(new RegExp(`^${COOKIE_NAME}=`));
  expect(cookie).not.toMatch(/Secure/);
  expect(signedIn).toBe(true);
});

it('auto: Secure when a trusted proxy says the request came over HTTPS; an untrusted header is ignored', async () => {
  const https = { host: 'duban.example.gov.cn', 'x-forwarded-proto': 'https' };
  expect((await cookieFrom({ DUBAN_TRUST_PROXY: '1' }, https)).cookie).toMatch(/; Secure$/);
  expect((await cookieFrom({}, https)).cookie).not.toMatch(/Secure/);
});

it('always and never', async () => {
  expect((await cookieFrom({ DUBAN_SECURE_COOKIE: 'always' }, {})).cookie).toMatch(/; Secure$/);
  const never = { DUBAN_SECURE_COOKIE: 'never', DUBAN_TRUST_PROXY: '1' };
  expect((await cookieFrom(never, { 'x-forwarded-proto': 'https' })).cookie).not.toMatch(/Secure/);
  expect(() => loadConfig({ DUBAN_SECURE_COOKIE: 'sometimes' })).toThrow(/DUBAN_SECURE_COOKIE/);
});
