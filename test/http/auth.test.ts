/**
 * Tokens, the permission rule and the session: who a request is, what it may do, how the dashboard signs
 * in, and that guessing tokens is slowed down. What reads or writes the store (tokens, sessions, the
 * limiter's callers) runs on both stores: SQLite, and PostgreSQL on a throwaway cluster.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import {
  COOKIE_NAME,
  authenticate,
  can,
  denial,
  hashToken,
  tokenFromRequest,
  type Principal,
} from '../../services/auth';
import { loadConfig } from '../../config/config';
import { FailedAttempts } from '../../http/rate-limit';
import { createToken, revokeToken } from '../../services/tokens';
import { PLAN, seededFixture, type Fixture } from '../cli/seed';
import { BACKENDS, useBackend } from '../helpers/store-backends';
import { makeTokens, startApi, type Api, type Role } from './helpers';

const sup: Principal = { role: 'supervisor' };
const lead: Principal = { role: 'leadership' };
const hb: Principal = { role: 'department', department: '区环保局' };
const ng: Principal = { role: 'region', region: '泥沟镇' };
const pub: Principal = { role: 'public' };
const task = { lead: ['区环保局', '区水务局'], cooperating: ['区发改局'], region: '泥沟镇' };

describe('can', () => {
  it('supervisors decide, departments act on their own tasks, leadership and the public only read', () => {
    expect(can(sup, 'verifyCompletion', task)).toBe(true);
    expect(can(sup, 'acknowledge', task)).toBe(false);
    expect(can(hb, 'acknowledge', task)).toBe(true);
    expect(can(hb, 'submitCompletion', task)).toBe(true);
    expect(can(hb, 'verifyCompletion', task)).toBe(false);
    expect(can({ role: 'department', department: '区水务局' }, 'acknowledge', task)).toBe(true);
    // Only the first lead submits and asks for more time; the second lead and cooperating ones do not.
    expect(can({ role: 'department', department: '区水务局' }, 'submitCompletion', task)).toBe(false);
    expect(can({ role: 'department', department: '区发改局' }, 'requestExtension', task)).toBe(false);
    expect(can({ role: 'department', department: '区住建局' }, 'acknowledge', task)).toBe(false);
    // A 镇街 acts on a task only when named lead or cooperating, as the domain decides: its region alone is not enough.
    expect(can(ng, 'reportProgress', task)).toBe(false);
    expect(can(ng, 'reportProgress', { ...task, cooperating: ['泥沟镇'] })).toBe(true);
    expect(can(ng, 'acknowledge', { ...task, region: '邳庄镇' })).toBe(false);
    for (const p of [lead, pub]) expect(can(p, 'acknowledge', task)).toBe(false);
    expect(can(lead, 'readTasks')).toBe(true);
    expect(can(pub, 'readTasks')).toBe(false);
    expect([sup, lead, hb, ng, pub].map((p) => can(p, 'readAccountability'))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([sup, lead, hb].map((p) => can(p, 'startPlan'))).toEqual([true, false, false]);
  });

  it('co-leads: the second lead may submit only on a task whose policy says all-leads', () => {
    const shui: Principal = { role: 'department', department: '区水务局' };
    const coLed = { lead: ['区环保局', '区水务局'], cooperating: ['区发改局'] };
    expect(can(shui, 'submitCompletion', coLed)).toBe(false);
    expect(can(shui, 'submitCompletion', { ...coLed, policy: { completion: 'all-leads' } })).toBe(true);
    expect(can(shui, 'requestExtension', { ...coLed, policy: { completion: 'all-leads' } })).toBe(false);
    expect(
      denial({ role: 'department', department: '区发改局' }, 'submitCompletion', {
        ...coLed,
        policy: { completion: 'all-leads' },
      }),
    ).toBe(
      '只有牵头单位 区环保局、区水务局 可以提交办结 / only the lead departments 区环保局, 区水务局 may submit completion',
    );
  });

  it('says why not, Chinese first', () => {
    expect(denial({ role: 'department', department: '区住建局' }, 'acknowledge', task)).toBe(
      '区住建局 不是本任务的牵头或配合单位 / 区住建局 is not a lead or cooperating department of this task',
    );
    expect(denial({ role: 'department', department: '区发改局' }, 'submitCompletion', task)).toBe(
      '只有牵头单位 区环保局 可以提交办结 / only the lead department 区环保局 may submit completion',
    );
    expect(denial(lead, 'cancel', task)).toBe('区领导只能查看，不能操作 / leadership reads; it does not act');
    expect(denial(hb, 'verifyCompletion', task)).toBe(
      '只有督查室可以执行此操作 / only a supervisor may do this',
    );
    expect(denial(sup, 'acknowledge', task)).toMatch(/^督查室不能代替责任单位操作 \/ /);
    expect(denial(hb, 'readAccountability')).toMatch(/^追责记录仅供督查室和区领导查看/);
  });
});

describe.each(BACKENDS)('on %s', (name) => {
  const backend = useBackend(name);
  let fx: Fixture;
  let api: Api;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    fx = await seededFixture(await backend.fresh());
    tokens = await makeTokens(fx.store);
    api = await startApi({ facade: fx.facade, store: fx.store });
  });
  afterAll(async () => {
    await api?.close();
    await fx?.close();
  });

  describe('tokens', () => {
    it('are random, stored only as their sha256, and bound to one role and unit', async () => {
      const a = await createToken(fx.store, { role: 'department', department: '区水务局', name: 'sw' });
      const b = await createToken(fx.store, { role: 'department', department: '区水务局', name: 'sw2' });
      expect(a.token).not.toBe(b.token);
      expect(a.token).toMatch(/^dbn_[A-Za-z0-9_-]{43}$/);
      const stored = await fx.store.findToken(hashToken(a.token));
      expect(stored).toMatchObject({ name: 'sw', role: 'department', department: '区水务局' });
      // What is on disk, every column: the sha256 (computed here, not by the code under test), never the token.
      const rows = await backend.rows(fx.dbFile, 'SELECT * FROM tokens');
      expect(JSON.stringify(rows)).not.toContain(a.token.slice(4));
      expect(rows.find((r) => r.name === 'sw')?.hash).toBe(
        crypto.createHash('sha256').update(a.token, 'utf8').digest('hex'),
      );
      expect(await authenticate(fx.store, a.token)).toEqual({
        role: 'department',
        department: '区水务局',
        name: 'sw',
      });
      expect(await authenticate(fx.store, `${a.token}x`)).toBeUndefined();
      expect(await authenticate(fx.store, undefined)).toBeUndefined();
      await revokeToken(fx.store, 'sw');
      expect(await authenticate(fx.store, a.token)).toBeUndefined();
      expect(await authenticate(fx.store, b.token)).toBeDefined();
    });

    it('refuse a role without its unit, or with the wrong kind of unit', async () => {
      await expect(createToken(fx.store, { role: 'department' })).rejects.toMatchObject({
        field: 'department',
      });
      await expect(createToken(fx.store, { role: 'region', department: '区环保局' })).rejects.toMatchObject({
        field: 'department',
      });
      await expect(createToken(fx.store, { role: 'mayor' as never })).rejects.toMatchObject({
        field: 'role',
      });
    });

    it('come from the Authorization header first, then the cookie', () => {
      expect(tokenFromRequest({ headers: { authorization: 'Bearer abc' } })).toBe('abc');
      expect(tokenFromRequest({ headers: { cookie: `x=1; ${COOKIE_NAME}=def` } })).toBe('def');
      expect(
        tokenFromRequest({ headers: { authorization: 'Bearer abc', cookie: `${COOKIE_NAME}=def` } }),
      ).toBe('abc');
      expect(tokenFromRequest({ headers: {} })).toBeUndefined();
    });
  });

  describe('the session', () => {
    it('POST /api/session sets an HttpOnly, SameSite=Strict cookie that then signs requests in', async () => {
      const r = await api.call('POST', '/api/session', { body: { token: tokens.dept } });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ principal: { role: 'department', department: '区环保局', name: '区环保局' } });
      const cookie = r.headers.get('set-cookie')!;
      expect(cookie).toMatch(new RegExp(`^${COOKIE_NAME}=dbs_`)); // a session id, never the token
      expect(cookie).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
      expect(cookie).not.toMatch(/Secure/); // 127.0.0.1: a browser would drop a Secure cookie over http
      const jar = cookie.split(';')[0];
      const me = await api.call('GET', '/api/session', { cookie: jar });
      expect(me.body).toEqual({
        principal: { role: 'department', department: '区环保局', name: '区环保局' },
      });
      expect((await api.call('GET', `/api/tasks?plan=${PLAN}`, { cookie: jar })).status).toBe(200);
    });

    it('marks the cookie Secure by how the request came, never by the Host header', async () => {
      const { port } = new URL(api.base);
      const signIn = (p: string) =>
        new Promise<http.IncomingMessage>((resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port: p,
              path: '/api/session',
              method: 'POST',
              headers: { host: 'duban.example.gov.cn', 'content-type': 'application/json' },
            },
            resolve,
          );
          req.on('error', reject);
          req.end(JSON.stringify({ token: tokens.leadership }));
        });
      // Plain HTTP on a real name: a Secure cookie would be dropped and sign-in would loop.
      const res = await signIn(port);
      res.resume();
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
      const always = await startApi({
        facade: fx.facade,
        store: fx.store,
        config: loadConfig({ DUBAN_SECURE_COOKIE: 'always' }),
      });
      try {
        const r = await signIn(new URL(always.base).port);
        r.resume();
        expect(String(r.headers['set-cookie'])).toMatch(/; Secure$/);
      } finally {
        await always.close();
      }
    });

    it('DELETE /api/session clears the cookie; a stale cookie leaves the visitor public, not locked out', async () => {
      const out = await api.call('DELETE', '/api/session', { cookie: `${COOKIE_NAME}=${tokens.dept}` });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${COOKIE_NAME}=; .*Max-Age=0`));
      const stale = `${COOKIE_NAME}=dbn_stale`;
      const published = await api.call('GET', '/api/restrictions', { cookie: stale });
      expect(published.status).toBe(200);
      expect(published.headers.get('set-cookie')).toMatch(new RegExp(`^${COOKIE_NAME}=; .*Max-Age=0`));
      expect((await api.call('GET', '/api/tasks', { cookie: stale })).status).toBe(401);
      expect((await api.call('DELETE', '/api/session', { cookie: stale })).status).toBe(204);
      // Signing in again over a stale cookie: cleared, then set; the browser keeps the new one.
      const again = await api.call('POST', '/api/session', { cookie: stale, body: { token: tokens.dept } });
      expect(again.status).toBe(200);
      const set = again.headers.getSetCookie();
      expect(set).toHaveLength(2);
      expect(set[0]).toMatch(/Max-Age=0/);
      expect(set[1]).toMatch(new RegExp(`^${COOKIE_NAME}=dbs_`));
    });

    it('400 names the field, 401 for a wrong token', async () => {
      const none = await api.call('POST', '/api/session', { body: {} });
      expect(none.status).toBe(400);
      expect(none.body).toMatchObject({ error: 'bad_request', field: 'token' });
      const extra = await api.call('POST', '/api/session', { body: { token: 'x', role: 'supervisor' } });
      expect(extra.body).toMatchObject({ field: 'role', message: 'role: 未知参数 / unknown parameter' });
      const wrong = await api.call('POST', '/api/session', { body: { token: 'dbn_wrong' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({
        error: 'unauthorized',
        message: '令牌无效或已撤销 / the token is invalid or revoked',
      });
      expect((await api.call('GET', '/api/session')).status).toBe(401);
    });
  });

  describe('guessing tokens', () => {
    it('after 10 failures a minute from one address: 429 with Retry-After for wrong tokens, never the right one', async () => {
      const limited = await startApi({
        facade: fx.facade,
        store: fx.store,
        auth: { maxFailures: 10, windowMs: 60_000 },
      });
      try {
        for (let i = 0; i < 10; i++) {
          const r = await limited.call(i % 2 ? 'GET' : 'POST', i % 2 ? '/api/tasks' : '/api/session', {
            ...(i % 2 ? { token: 'dbn_guess' } : { body: { token: 'dbn_guess' } }),
          });
          expect(r.status).toBe(401);
        }
        const r = await limited.call('GET', '/api/tasks', { token: 'dbn_guess' });
        expect(r.status).toBe(429);
        expect(r.body).toMatchObject({ error: 'too_many_requests' });
        expect(String(r.body.message)).toMatch(
          /^令牌错误次数过多，请 \d+ 秒后再试 \/ too many failed token attempts/,
        );
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await limited.call('POST', '/api/session', { body: { token: 'dbn_guess' } })).status).toBe(
          429,
        );
        // Failures are all that is counted: the right token is let in.
        expect((await limited.call('GET', '/api/tasks', { token: tokens.supervisor })).status).toBe(200);
        expect(
          (await limited.call('POST', '/api/session', { body: { token: tokens.supervisor } })).status,
        ).toBe(200);
        // Callers without a token are not held up: the public still reads what is published.
        expect((await limited.call('GET', '/api/restrictions')).status).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('forgets failures once the window has passed', () => {
      let now = 0;
      const f = new FailedAttempts(3, 1000, () => now);
      for (let i = 0; i < 3; i++) f.fail('a');
      expect(f.retryAfter('a')).toBe(1);
      expect(f.retryAfter('b')).toBe(0);
      now = 1001;
      expect(f.retryAfter('a')).toBe(0);
    });
  });

  // Health and the OpenAPI document do not depend on the store: once is enough.
  if (name === 'sqlite') {
    describe('GET /health and /docs', () => {
      it('answers even when Temporal does not, and serves the OpenAPI document', async () => {
        expect((await api.call('GET', '/health')).body).toEqual({ ok: true, temporal: 'down' });
        const doc = await api.call('GET', '/docs/json');
        expect(doc.status).toBe(200);
        const paths = Object.keys(doc.body.paths as object);
        expect(paths).toEqual(
          expect.arrayContaining([
            '/api/tasks',
            '/api/tasks/{plan}/{id}',
            '/api/tasks/{plan}/{id}/acknowledge',
            '/api/tasks/{plan}/{id}/{region}/recordInterview',
            '/api/restrictions/check',
            '/api/accountability',
            '/api/plans/start',
            '/api/session',
          ]),
        );
        // Every $ref points at a schema the document holds.
        const components = Object.keys((doc.body.components as { schemas: object }).schemas);
        const refs = [...doc.raw.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
        expect(refs.length).toBeGreaterThan(0);
        expect(refs.filter((r) => !components.includes(r))).toEqual([]);
        const ack = (doc.body.paths as Record<string, { post: { parameters: { name: string }[] } }>)[
          '/api/tasks/{plan}/{id}/acknowledge'
        ];
        expect(ack.post.parameters.map((p) => p.name)).toEqual(['plan', 'id']);
        expect((await fetch(`${api.base}/docs`)).status).toBe(200);
      });
    });
  }
});
