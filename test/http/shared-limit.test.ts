import { Client, Connection } from '@temporalio/client';
import { StoredFailedAttempts } from '../../http/stored-attempts';
import { createDubanClient } from '../../services/facade';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';
import { makeTokens, startApi, type Api } from './helpers';

// Several HTTP servers on one database share the wrong-token limiter: a guesser spread over them is
// refused by all.

describe.each(BACKENDS)('the wrong-token limiter across servers on %s', (name) => {
  const backend = useBackend(name);
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const opened: Store[] = [];
  let a: Api;
  let b: Api;
  let good: string;
  let url: string;

  beforeAll(async () => {
    url = await backend.fresh();
    const serve = async () => {
      const store = await openStore(url);
      opened.push(store);
      const facade = createDubanClient({ client: new Client({ connection }), taskQueue: 'test', store });
      return startApi({ facade, store, auth: { counter: new StoredFailedAttempts(store, 10, 60_000) } });
    };
    a = await serve();
    b = await serve();
    good = (await makeTokens(opened[0])).supervisor;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const s of opened) await s.close();
    await connection.close();
  });

  it('10 failures through A: the 11th attempt on B is 429; a valid token is still let in on both', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await a.call(i % 2 ? 'GET' : 'POST', i % 2 ? '/api/tasks' : '/api/session', {
        ...(i % 2 ? { token: 'dbn_guess' } : { body: { token: 'dbn_guess' } }),
      });
      expect(r.status).toBe(401);
    }
    const r = await b.call('GET', '/api/tasks', { token: 'dbn_guess' });
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ error: 'too_many_requests' });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await b.call('POST', '/api/session', { body: { token: 'dbn_guess' } })).status).toBe(429);
    expect((await b.call('GET', '/api/tasks', { token: good })).status).toBe(200);
    expect((await a.call('GET', '/api/tasks', { token: good })).status).toBe(200);
    expect((await b.call('POST', '/api/session', { body: { token: good } })).status).toBe(200);
  });

  it('forgets failures once the window has passed, and clears them from the table', async () => {
    const store = opened[0];
    let now = 1_000_000;
    const f = new StoredFailedAttempts(store, 3, 1000, () => now);
    for (let i = 0; i < 3; i++) await f.fail('a');
    expect(await f.retryAfter('a')).toBe(1);
    expect(await f.retryAfter('b')).toBe(0);
    now += 1001;
    expect(await f.retryAfter('a')).toBe(0);
    await f.fail('c');
    expect(await store.failedAttemptsSince('a', 0)).toEqual([]);
    expect(await store.failedAttemptsSince('c', 0)).toEqual([now]);
  });
});
