/**
 * Finding 9: /public was rendered afresh for every anonymous request (400 at 40 concurrent pushed /health
 * past a second), and /events accepted any number of anonymous connections, telling the public live
 * which task changed. Now the public answers are cached by URL for a few seconds (with Cache-Control),
 * and /events is for signed-in readers, capped per principal and in all.
 */
import http from 'node:http';
import type { DubanClient } from '../../services/facade';
import { buildHttpServer } from '../../http/server';
import { seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, type Role } from '../http/helpers';

let fx: Fixture;
let tokens: Record<Role, string>;
let base: string;
let close: () => Promise<void>;
let lists = 0;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  const facade: DubanClient = {
    ...fx.facade,
    list: (...a: Parameters<DubanClient['list']>) => {
      lists++;
      return fx.facade.list(...a);
    },
  };
  const app = buildHttpServer({
    facade,
    store: fx.store,
    pages: { pollMs: 60_000, publicCacheMs: 60_000, events: { max: 3, perPrincipal: 2 } },
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
});
afterAll(async () => {
  await close?.();
  await fx?.close();
});

async function crowd(url: string, n: number, concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        const r = await fetch(base + url);
        await r.arrayBuffer();
        statuses.push(r.status);
      }
    }),
  );
  return statuses;
}

describe('anonymous public answers', () => {
  it('/public: 400 requests at 40 concurrent render the page once, with Cache-Control', async () => {
    lists = 0;
    const statuses = await crowd('/public', 400, 40);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(lists).toBe(1);
    const r = await fetch(`${base}/public`);
    expect(r.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(r.headers.get('vary')).toMatch(/cookie/);
    // Another URL is another entry.
    await (await fetch(`${base}/public?x=1`)).text();
    expect(lists).toBe(2);
  });

  it('/api/public/progress: the same', async () => {
    const app = buildHttpServer({
      facade: {
        ...fx.facade,
        list: (...a: Parameters<DubanClient['list']>) => {
          lists++;
          return fx.facade.list(...a);
        },
      },
      store: fx.store,
      pages: false,
    });
    const b = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      lists = 0;
      const rs = await Promise.all(Array.from({ length: 40 }, () => fetch(`${b}/api/public/progress`)));
      expect(rs.every((r) => r.status === 200)).toBe(true);
      expect(lists).toBe(1);
      expect(rs[0].headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    } finally {
      await app.close();
    }
  });

  it('the anonymous public page does not open the live feed', async () => {
    const html = await (await fetch(`${base}/public`)).text();
    expect(html).not.toMatch(/data-watch=/);
  });
});

/** Opens /events and resolves with the status once the head arrives; `end` closes the socket. */
function openEvents(token?: string): Promise<{ status: number; body: Promise<string>; end(): void }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.get(
      { hostname, port, path: '/events', headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        const body = new Promise<string>((done) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => done(text));
          res.on('close', () => done(text));
        });
        resolve({ status: res.statusCode!, body, end: () => req.destroy() });
      },
    );
    req.on('error', reject);
  });
}

describe('/events', () => {
  it('tells the public nothing: 401 in the ApiError shape', async () => {
    const r = await openEvents();
    expect(r.status).toBe(401);
    expect(JSON.parse(await r.body)).toMatchObject({ error: 'unauthorized' });
  });

  it('caps connections per principal (429) and in all (503); a closed one frees its place', async () => {
    const a = await openEvents(tokens.dept);
    const b = await openEvents(tokens.dept);
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await openEvents(tokens.dept);
    expect(c.status).toBe(429);
    expect(JSON.parse(await c.body)).toMatchObject({ error: 'too_many_requests' });
    const d = await openEvents(tokens.supervisor);
    expect(d.status).toBe(200);
    const e = await openEvents(tokens.leadership);
    expect(e.status).toBe(503);
    expect(JSON.parse(await e.body)).toMatchObject({ error: 'unavailable' });
    a.end();
    await new Promise((r) => setTimeout(r, 200));
    const f = await openEvents(tokens.leadership);
    expect(f.status).toBe(200);
    for (const x of [b, d, f]) x.end();
  });
});
