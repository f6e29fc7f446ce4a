import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import http from 'node:http';
import { assign, evolve, summarize, type TaskEvent, type TaskState, taskSpecSchema } from '../../domain';
import { buildHttpServer } from '../../http/server';
import { createDubanClient } from '../../services/facade';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';
import { makeTokens } from './helpers';

// Several HTTP servers on one database (behind one proxy): a browser on one sees what went through another,
// or what a worker in its own process wrote.

const spec = taskSpecSchema().parse({
  plan: 'tez',
  id: '2-1-1',
  title: '加强工业污染防治',
  lead: ['区环保局'],
  due: '2030-12-31',
});
const WF = 'task/tez/2-1-1';
const events: TaskEvent[] = [
  ...assign(spec, '2026-03-01T01:00:00.000Z'),
  { type: 'Acknowledged', by: '区环保局', seq: 2, at: '2026-03-02T01:00:00.000Z' },
  { type: 'ProgressReported', by: '区环保局', note: '已制定方案', seq: 3, at: '2026-03-03T01:00:00.000Z' },
];

/** What the worker's activity does for a command: the ledger's append, then the projection. */
async function record(store: Store, seq: number): Promise<void> {
  const upTo = events.filter((e) => e.seq <= seq);
  await store.appendEvents(WF, upTo);
  const state = upTo.reduce<TaskState>((s, e) => evolve(s, e), undefined as unknown as TaskState);
  await store.upsertTask(summarize(WF, state));
}

interface Feed {
  /** Resolves with the stream so far once it holds `text`. */
  until(text: string, ms?: number): Promise<string>;
  end(): void;
}

function openEvents(base: string, token: string): Promise<Feed> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.get(
      { hostname, port, path: '/events', headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`/events: ${res.statusCode}`));
        let text = '';
        const waiting = new Set<() => void>();
        res.on('data', (c: Buffer) => {
          text += c.toString();
          for (const w of [...waiting]) w();
        });
        resolve({
          until: (want, ms = 8000) =>
            new Promise((done, fail) => {
              const check = () => {
                if (!text.includes(want)) return;
                waiting.delete(check);
                clearTimeout(timer);
                done(text);
              };
              const timer = setTimeout(() => {
                waiting.delete(check);
                fail(new Error(`no ${want} in ${ms} ms; the stream: ${text}`));
              }, ms);
              waiting.add(check);
              check();
            }),
          end: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
  });
}

describe.each(BACKENDS)('the live feed across servers on %s', (name) => {
  const backend = useBackend(name);
  const opened: Store[] = [];
  const apps: FastifyInstance[] = [];
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  let storeA: Store;
  let worker: Store;
  let baseB: string;
  let token: string;

  beforeAll(async () => {
    const url = await backend.fresh();
    const open = async () => {
      const s = await openStore({ file: url, changes: { pollMs: 200 } });
      opened.push(s);
      return s;
    };
    worker = await open();
    await record(worker, 1);
    const serve = async (store: Store) => {
      const facade = createDubanClient({ client: new Client({ connection }), taskQueue: 'test', store });
      // pollMs is what a store without watchChanges would be read at: far beyond the test's waits.
      const app = buildHttpServer({ facade, store, pages: { pollMs: 600_000 } });
      apps.push(app);
      return app.listen({ port: 0, host: '127.0.0.1' });
    };
    storeA = await open();
    await serve(storeA);
    baseB = await serve(await open());
    token = (await makeTokens(storeA)).supervisor;
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const s of opened) await s.close();
    await connection.close();
  });

  it("B's feed tells of a change written through A's store, then of one a worker wrote", async () => {
    const feed = await openEvents(baseB, token);
    try {
      await feed.until('event: ready');
      await record(storeA, 2);
      await feed.until(`"id":"${WF}","seq":2`);
      await record(worker, 3);
      const text = await feed.until(`"id":"${WF}","seq":3`);
      expect(text).toMatch(/^retry: 2000\n\n/);
    } finally {
      feed.end();
    }
  });
});
