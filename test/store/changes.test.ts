import { assign, summarize, type TaskEvent, evolve, type TaskState, taskSpecSchema } from '../../domain';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

const spec = taskSpecSchema().parse({
  plan: 'tez',
  id: '2-1-1',
  title: '加强工业污染防治',
  lead: ['区环保局'],
  due: '2030-12-31',
});
const events: TaskEvent[] = [
  ...assign(spec, '2026-03-01T01:00:00.000Z'),
  { type: 'Acknowledged', by: '区环保局', seq: 2, at: '2026-03-02T01:00:00.000Z' },
];

/** Appends the events up to `seq` and their projection, as the worker's activity does. */
async function record(store: Store, workflowId: string, seq: number): Promise<void> {
  const upTo = events.filter((e) => e.seq <= seq);
  await store.appendEvents(workflowId, upTo);
  const state = upTo.reduce<TaskState>((s, e) => evolve(s, e), undefined as unknown as TaskState);
  await store.upsertTask(summarize(workflowId, state));
}

/** Resolves with what the listener heard once `pred` holds for it, or rejects after `ms`. */
function heard(
  store: Store,
  pred: (seen: (string | undefined)[]) => boolean,
  ms = 8000,
): { done: Promise<(string | undefined)[]>; ready: Promise<void>; stop(): void } {
  const seen: (string | undefined)[] = [];
  let stop: () => void = () => undefined;
  let ready: Promise<void> = Promise.resolve();
  const done = new Promise<(string | undefined)[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`not heard in ${ms} ms; heard ${JSON.stringify(seen)}`));
    }, ms);
    const off = store.watchChanges((id) => {
      seen.push(id);
      if (pred(seen)) {
        clearTimeout(timer);
        off();
        resolve(seen);
      }
    });
    ready = off.ready;
    stop = () => {
      clearTimeout(timer);
      off();
    };
  });
  return { done, ready, stop: () => stop() };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('watchChanges on %s', (name) => {
  const backend = useBackend(name);
  let url: string;
  let watcher: Store;
  let writer: Store;

  beforeEach(async () => {
    url = await backend.fresh();
    watcher = await openStore({ file: url, changes: { pollMs: 100, reconnectMs: 100 } });
    writer = await openStore(url);
  });
  afterEach(async () => {
    await watcher.close();
    await writer.close();
  });

  it("hears another store's append and projection", async () => {
    const h = heard(watcher, (seen) => seen.length > 0);
    // The listener is in place (LISTEN issued, or the poll's baseline read) before the write.
    await h.ready;
    await record(writer, 'task/tez/2-1-1', 1);
    const seen = await h.done;
    if (name === 'postgres') expect(seen).toContain('task/tez/2-1-1');
    else expect(seen).toEqual([undefined]);
  });

  it('stops when the last listener goes: nothing more is heard', async () => {
    const seen: unknown[] = [];
    const off = watcher.watchChanges((id) => seen.push(id));
    await off.ready;
    off();
    // A second store that still listens hears the write: by then the first would have, had it still been.
    const probe = await openStore({ file: url, changes: { pollMs: 100, reconnectMs: 100 } });
    try {
      const h = heard(probe, (got) => got.length > 0);
      await h.ready;
      await record(writer, 'task/tez/2-1-1', 1);
      await h.done;
    } finally {
      await probe.close();
    }
    expect(seen).toEqual([]);
  });

  if (name === 'postgres')
    it('listens again after its connection is dropped, and says so', async () => {
      const h = heard(watcher, (seen) => seen.includes('task/tez/2-1-1'));
      await h.ready;
      const killed = await backend.rows(
        url,
        "select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = 'duban-changes'",
      );
      expect(killed).toHaveLength(1);
      // Reconnected: an undefined ("anything may have changed") first, then the notifications again.
      for (let i = 0; i < 50; i += 1) {
        await settle(100);
        const back = await backend.rows(
          url,
          "select 1 from pg_stat_activity where application_name = 'duban-changes' and query ilike 'LISTEN%'",
        );
        if (back.length > 0) break;
      }
      await record(writer, 'task/tez/2-1-1', 2);
      const seen = await h.done;
      expect(seen[0]).toBeUndefined();
      expect(seen).toContain('task/tez/2-1-1');
    });
});
