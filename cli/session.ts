import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import type { Config } from '../config/config';
import { loadDirectory, type Directory } from '../directory/directory';
import { createDubanClient, type DubanClient } from '../services/facade';
import { TemporalUnavailable } from '../services/errors';
import { createRestrictionClient, type RestrictionClient } from '../services/restrictions';
import { openStore, type Store } from '../store';

/** The store is not there yet (nothing has been started on this machine). */
export class StoreMissing extends Error {
  constructor(readonly file: string) {
    super(
      `找不到数据库 ${file}：请先启动 duban（npm start）并交办任务，或设置 DUBAN_DATA_DIR / DUBAN_DB_URL / ` +
        `no database at ${file}: start duban first (npm start) and start tasks, or set DUBAN_DATA_DIR / DUBAN_DB_URL`,
    );
  }
}

export interface Writer {
  write(s: string): unknown;
}

/** What the CLI talks to; tests replace `open` to run without Temporal. */
export interface Session {
  facade: DubanClient;
  /** Where Temporal is expected, for messages. */
  address: string;
  /** Resolves when Temporal answers; rejects with TemporalUnavailable when it does not. */
  ensureTemporal(): Promise<void>;
  /** The whole store, for commands that write to it; without `create`, a missing file is StoreMissing. */
  store?(opts?: { create?: boolean }): Promise<Store>;
  /** The regions' 限批 workflows (live). */
  restrictions?: RestrictionClient;
  /** The directory, read on first use (people's post history for 终身追责). */
  directory?(): Directory;
  close(): Promise<void>;
}

export interface CliIo {
  stdout?: Writer;
  stderr?: Writer;
  /** Defaults to process.env (read once here, at the entry point). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Today (YYYY-MM-DD, Asia/Shanghai) for overdue notes; defaults to the clock. */
  today?: string;
  /** Opens the facade; the default connects lazily to Temporal and opens the store. */
  open?: (config: Config) => Promise<Session>;
}

/** Exit codes: 0 done, 1 bad input or other error, 2 refused by the task, 3 Temporal not reachable, 4 ledger broken. */
export const EXIT = { ok: 0, error: 1, refused: 2, unavailable: 3, ledgerBroken: 4 } as const;

/** The store, opened on first use (commands that only talk to Temporal never touch it). */
function lazyStore(file: string): Pick<Store, 'listTasks' | 'getTask' | 'ledgerFor'> & {
  full(create: boolean): Promise<Store>;
  close(): Promise<void>;
} {
  let opened: Promise<Store> | undefined;
  const get = (create = false) => {
    if (!create && !fs.existsSync(file)) throw new StoreMissing(file);
    opened ??= openStore(file);
    return opened;
  };
  return {
    full: async (create) => get(create),
    listTasks: async (f) => (await get()).listTasks(f),
    getTask: async (id) => (fs.existsSync(file) ? (await get()).getTask(id) : undefined),
    ledgerFor: async (id) => (await get()).ledgerFor(id),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

export async function openSession(config: Config): Promise<Session> {
  const address = config.temporal.address ?? `localhost:${config.temporal.port}`;
  const connection = Connection.lazy({ address, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const store = lazyStore(config.db.file);
  const facade = createDubanClient({ client, taskQueue: config.temporal.taskQueue, store });
  let directory: Directory | undefined;
  return {
    facade,
    address,
    store: async (opts) => store.full(opts?.create ?? false),
    restrictions: createRestrictionClient({ client, taskQueue: config.temporal.taskQueue }),
    directory: () => (directory ??= loadDirectory(config.directoryFile)),
    async ensureTemporal() {
      try {
        await connection.ensureConnected();
      } catch (err) {
        throw new TemporalUnavailable(
          'Temporal 服务器无法连接 / the Temporal server is not reachable',
          'server',
          {
            cause: err,
          },
        );
      }
    },
    async close() {
      await store.close();
      await connection.close();
    },
  };
}

/** What every command group gets: output, today's date, and the lazily opened session. */
export interface CliContext {
  say(s: string): void;
  warn(s: string): void;
  today: string;
  /** The facade and store; opens no connection by itself. */
  getSession(): Promise<Session>;
  /** The session, once Temporal answers (throws TemporalUnavailable otherwise). */
  withTemporal(): Promise<Session>;
  /** Whether a progress bar may be drawn on stderr (a terminal, not a test or a pipe). */
  progressToTty: boolean;
}
