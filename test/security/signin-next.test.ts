/**
 * Finding 6: an open redirect after sign-in — `/signin?next=%2F%09%2Fevil.example%2F` landed on another
 * host (the browser drops the tab, `/\t/host` becomes `//host`). The server now vets `next` and the page
 * goes only where the server says: a path on this server, else `/`.
 */
import { buildHttpServer } from '../../http/server';
import { safeNext } from '../../web/signin';
import { seededFixture, type Fixture } from '../cli/seed';

let fx: Fixture;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  fx = await seededFixture();
  const app = buildHttpServer({ facade: fx.facade, store: fx.store, pages: { pollMs: 60_000 } });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  close = () => app.close();
});
afterAll(async () => {
  await close?.();
  await fx?.close();
});

const nextOf = async (query: string) => {
  const r = await fetch(`${base}/signin${query}`);
  expect(r.status).toBe(200);
  const m = /data-next="([^"]*)"/.exec(await r.text());
  return m?.[1].replace(/&amp;/g, '&');
};

it('a next that would leave the server becomes /', async () => {
  for (const q of [
    '?next=%2F%09%2Fevil.example%2F',
    '?next=//evil.example/',
    '?next=%2F%2Fevil.example',
    '?next=/%5Cevil.example',
    '?next=%5C%5Cevil.example',
    '?next=/%0A/evil.example',
    '?next=/%0D/evil.example',
    '?next=/%00',
    '?next=https://evil.example/',
    '?next=javascript:alert(1)',
    '?next=evil.example',
    '?next=/%252F%252Fevil.example', // encoded twice: decodes to //evil
    '?next=/%2509/evil.example',
    '?next=/%E2%80%AE',
    '?next=/a&next=/b',
  ])
    expect([q, await nextOf(q)]).toEqual([q, '/']);
});

it('a path on this server is kept, query and all', async () => {
  expect(await nextOf('?next=%2Ftasks%3Fplan%3Dp%26page%3D2')).toBe('/tasks?plan=p&page=2');
  expect(await nextOf(`?next=${encodeURIComponent('/tasks/p/1/泥沟镇')}`)).toBe('/tasks/p/1/泥沟镇');
  expect(await nextOf('')).toBe('/');
  expect(safeNext('/')).toBe('/');
  expect(safeNext(undefined)).toBe('/');
});

it('the page script goes where the server said, not where the address bar says', async () => {
  const js = await (await fetch(`${base}/assets/app.js`)).text();
  expect(js).toContain('form.dataset.next');
  expect(js).not.toMatch(/searchParams|URLSearchParams\(location\.search\)\.get\('next'\)/);
});
