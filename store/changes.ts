import { type Kysely, sql } from 'kysely';
import { Client } from 'pg';
import { LEDGER_CHANNEL } from './ledger';
import type { DB } from './schema';

/**
 * Told that something may have changed: a task's workflow id when known, undefined when anything may have
 * (a reconnect, after which notifications sent meanwhile are lost; a poll that saw the mark move).
 */
export type ChangeListener = (workflowId: string | undefined) => void;

export interface ChangeFeedOptions {
  /** SQLite: how often the high-water mark is read. */
  pollMs?: number;
  /** PostgreSQL: the wait before connecting again after the listening connection dropped (doubled up to 30 s). */
  reconnectMs?: number;
  onError?: (err: unknown) => void;
}

interface Source {
  stop(): void;
  /** Settles once the source would hear a change made from now on (LISTEN issued, the baseline read). */
  ready: Promise<void>;
}

/** Stops watching; `ready` settles once a change made from then on is heard. */
export type Unwatch = (() => void) & { ready: Promise<void> };

/**
 * Changes made by any process on the database: one source per store, started with the first listener and
 * stopped with the last, so a store nobody watches holds no extra connection or timer.
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private source?: Source;

  constructor(private readonly start: (emit: ChangeListener) => Source) {}

  watch(fn: ChangeListener): Unwatch {
    this.listeners.add(fn);
    this.source ??= this.start((id) => {
      for (const l of [...this.listeners]) l(id);
    });
    const off = () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.stop();
    };
    return Object.assign(off, { ready: this.source.ready });
  }

  stop(): void {
    this.listeners.clear();
    this.source?.stop();
    this.source = undefined;
  }
}

/**
 * PostgreSQL: a dedicated connection LISTENing on the ledger's channel (a pooled one would be handed to
 * other queries). When it drops it is opened again, and listeners hear `undefined` once it is back.
 */
export function listenPostgres(url: string, emit: ChangeListener, opts: ChangeFeedOptions = {}): Source {
  const base = opts.reconnectMs ?? 1000;
  let delay = base;
  let stopped = false;
  let client: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let connectedBefore = false;
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));

  const drop = (c: Client, err?: unknown) => {
    if (client !== c) return;
    client = undefined;
    if (err) opts.onError?.(err);
    c.end().catch(() => undefined);
    if (stopped) return;
    retry = setTimeout(connect, delay);
    retry.unref();
    delay = Math.min(delay * 2, 30_000);
  };

  const connect = () => {
    retry = undefined;
    const c = new Client({ connectionString: url, application_name: 'duban-changes' });
    client = c;
    c.on('notification', (m) => {
      if (m.channel === LEDGER_CHANNEL) emit(m.payload || undefined);
    });
    c.on('error', (err) => drop(c, err));
    c.on('end', () => drop(c));
    c.connect()
      .then(() => c.query(`LISTEN ${LEDGER_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        delay = base;
        if (connectedBefore) emit(undefined);
        connectedBefore = true;
        listening();
      })
      .catch((err: unknown) => drop(c, err));
  };

  connect();
  return {
    ready,
    stop() {
      stopped = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      void c?.end().catch(() => undefined);
    },
  };
}

/**
 * SQLite: no notifications, so the ledger's high-water mark (its last id) and the projection's (the sum of
 * its seqs: each only grows) are read every `pollMs`; a move of either is a change. The projection is
 * written just after the ledger, so watching the ledger alone could wake a reader before there is anything
 * new to read.
 */
export function pollSqlite(db: Kysely<DB>, emit: ChangeListener, opts: ChangeFeedOptions = {}): Source {
  let last: string | undefined;
  let busy = false;
  const read = async () => {
    if (busy) return;
    busy = true;
    try {
      const { rows } = await sql<{ ledger: number | null; tasks: number | null; n: number }>`
        select (select max(id) from ledger) as ledger,
               (select sum(seq) from tasks) as tasks,
               (select count(*) from tasks) as n`.execute(db);
      const mark = JSON.stringify(rows[0]);
      if (last !== undefined && mark !== last) emit(undefined);
      last = mark;
    } catch (err) {
      opts.onError?.(err);
    } finally {
      busy = false;
    }
  };
  const ready = read();
  const timer = setInterval(() => void read(), opts.pollMs ?? 1000);
  // A feed nobody stopped must not keep the process alive.
  timer.unref();
  return { ready, stop: () => clearInterval(timer) };
}
