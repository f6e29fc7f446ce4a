/**
 * Finding 4: ten bad tokens a minute from one address locked that address out, valid tokens included;
 * without trustProxy everyone behind a proxy or NAT shared one address. Now only failures count, keyed
 * by address and token bucket, a valid token always gets in, and DUBAN_TRUST_PROXY names the proxies.
 */
import { loadConfig } from '../../config/config';
import { failureKey } from '../../http/rate-limit';
import { seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from '../http/helpers';

let fx: Fixture;
let tokens: Record<Role, string>;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
});
afterAll(async () => {
  await fx?.close();
});

async function guess(api: Api, n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    out.push((await api.call('GET', '/api/tasks', { token: 'dbn_guess', headers })).status);
  return out;
}

it('a flood of wrong tokens never locks out a valid one from the same address', async () => {
  const api = await startApi({ facade: fx.facade, store: fx.store, auth: { maxFailures: 10 } });
  try {
    const statuses = await guess(api, 15);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    for (const role of ['supervisor', 'dept', 'region'] as const)
      expect((await api.call('GET', '/api/tasks', { token: tokens[role] })).status).toBe(200);
    const signIn = await api.call('POST', '/api/session', { body: { token: tokens.dept } });
    expect(signIn.status).toBe(200);
  } finally {
    await api.close();
  }
});

it('keys on more than the address: another token bucket from the same address is not held up', () => {
  expect(failureKey('10.0.0.1', 'dbn_a')).not.toBe(failureKey('10.0.0.2', 'dbn_a'));
  const buckets = new Set(Array.from({ length: 50 }, (_, i) => failureKey('10.0.0.1', `dbn_${i}`)));
  expect(buckets.size).toBeGreaterThan(1);
});

it('DUBAN_TRUST_PROXY: behind one proxy each client is counted by its own forwarded address', async () => {
  const behind = await startApi({
    facade: fx.facade,
    store: fx.store,
    auth: { maxFailures: 3 },
    config: loadConfig({ DUBAN_TRUST_PROXY: '1' }),
  });
  const direct = await startApi({ facade: fx.facade, store: fx.store, auth: { maxFailures: 3 } });
  try {
    expect(await guess(behind, 4, { 'x-forwarded-for': '203.0.113.5' })).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy, same wrong token: its own count.
    expect(await guess(behind, 1, { 'x-forwarded-for': '203.0.113.6' })).toEqual([401]);
    // Off (the default), the header is not believed: a client cannot pick a fresh address per guess.
    const spoofed = [];
    for (let i = 0; i < 4; i++)
      spoofed.push(...(await guess(direct, 1, { 'x-forwarded-for': `198.51.100.${i}` })));
    expect(spoofed).toEqual([401, 401, 401, 429]);
  } finally {
    await behind.close();
    await direct.close();
  }
});

it('the setting: off by default, a hop count or a list of proxies', () => {
  expect(loadConfig({}).http.trustProxy).toBe(false);
  expect(loadConfig({ DUBAN_TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
  expect(loadConfig({ DUBAN_TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }).http.trustProxy).toEqual([
    '10.0.0.1',
    '10.1.0.0/16',
  ]);
  expect(() => loadConfig({ DUBAN_TRUST_PROXY: 'everyone' })).toThrow(/DUBAN_TRUST_PROXY/);
});
