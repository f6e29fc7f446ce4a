import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import type { Config } from '../config/config';
import { loadDirectory, type Directory } from '../directory/directory';
import { createDigestClient, type DigestClient } from './digest';
import { StoreMissing, TemporalUnavailable } from './errors';
import { createDubanClient, type DubanClient } from './facade';
import { createIndicatorService, type IndicatorService } from './indicators';
import { createEnterpriseService, type EnterpriseService } from './enterprises';
import { CardPolicy } from '../domain/cards';
import { createRestrictionClient, type RestrictionClient } from './restrictions';
import { isPostgresUrl, openStore, type Store } from '../store';
import { attachmentsFromConfig, type AttachmentService } from './attachments';
import { directoryOf } from './breakdown-directory';

/** What a command-line or other short-lived client talks to; tests put a fake in its place. */
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
  /** The digest workflow's one-off runs (the full list, mailed on request). */
  digest?: DigestClient;
  /** The plans' indicators, on the store (opened, or created, on first use) and Temporal. */
  indicators?(opts?: { create?: boolean }): Promise<IndicatorService>;
  /** Uploaded files (佐证材料): the store's records and the data folder's file store. */
  attachments?(opts?: { create?: boolean }): Promise<AttachmentService>;
  /** The enterprise registry and its 红黄牌, on the store (opened, or created, on first use) and Temporal. */
  enterprises?(opts?: { create?: boolean }): Promise<EnterpriseService>;
  /** The directory, read on first use (people's post history for 终身追责). */
  directory?(): Directory;
  close(): Promise<void>;
}

/** The store, opened on first use (commands that only talk to Temporal never touch it). */
function lazyStore(db: Config['db']): Pick<
  Store,
  'listTasks' | 'getTask' | 'ledgerFor' | 'listDuties' | 'upsertDuty' | 'taskAttachments'
> & {
  full(create: boolean): Promise<Store>;
  close(): Promise<void>;
} {
  const file = db.file;
  let opened: Promise<Store> | undefined;
  // A PostgreSQL server is there or not when we connect; only a SQLite file can be missing.
  const exists = () => isPostgresUrl(file) || fs.existsSync(file);
  const get = (create = false) => {
    if (!create && !exists()) throw new StoreMissing(file);
    opened ??= openStore(db);
    return opened;
  };
  return {
    full: async (create) => get(create),
    listTasks: async (f) => (await get()).listTasks(f),
    getTask: async (id) => (exists() ? (await get()).getTask(id) : undefined),
    ledgerFor: async (id) => (await get()).ledgerFor(id),
    listDuties: async (plan) => (exists() ? (await get()).listDuties(plan) : []),
    upsertDuty: async (duty) => (await get(true)).upsertDuty(duty),
    taskAttachments: async (id) => (exists() ? (await get()).taskAttachments(id) : []),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

export async function openSession(config: Config): Promise<Session> {
  const address = config.temporal.address ?? `localhost:${config.temporal.port}`;
  const connection = Connection.lazy({ address, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const store = lazyStore(config.db);
  // The same key as the server's (config reads the data folder's), so the CLI's commands are sealed too.
  const { commandKey } = config;
  const facade = createDubanClient({
    client,
    taskQueue: config.temporal.taskQueue,
    store,
    commandKey,
    startConcurrency: config.temporal.startConcurrency,
    directory: directoryOf(config),
  });
  let directory: Directory | undefined;
  async function ensureTemporal() {
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
  }
  return {
    facade,
    address,
    store: async (opts) => store.full(opts?.create ?? false),
    restrictions: createRestrictionClient({ client, taskQueue: config.temporal.taskQueue, commandKey }),
    digest: createDigestClient({ client, taskQueue: config.temporal.taskQueue }),
    indicators: async (opts) =>
      createIndicatorService({
        store: await store.full(opts?.create ?? false),
        client,
        taskQueue: config.temporal.taskQueue,
        commandKey: commandKey?.publicKey,
        searchAttributes: true,
      }),
    attachments: async (opts) => attachmentsFromConfig(config, await store.full(opts?.create ?? false)),
    enterprises: async (opts) =>
      createEnterpriseService({
        store: await store.full(opts?.create ?? false),
        directory: (directory ??= loadDirectory(config.directoryFile)),
        policy: CardPolicy.parse(config.cards),
        client,
        taskQueue: config.temporal.taskQueue,
        ready: () => ensureTemporal(),
      }),
    directory: () => (directory ??= loadDirectory(config.directoryFile)),
    ensureTemporal,
    async close() {
      await store.close();
      await connection.close();
    },
  };
}
