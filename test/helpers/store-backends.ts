import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPgCluster, type PgCluster } from './postgres';

/** One of the two databases the store runs on, as a test sees it: fresh stores, and a way behind its back. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Where a new, empty store goes (a path or a postgres:// URL). */
  fresh(): Promise<string>;
  /** Runs statements on the store at `location` directly, as someone with database access would. */
  exec(location: string, statements: string): Promise<void>;
  /** The same, for one query's rows. */
  rows(location: string, query: string): Promise<Record<string, unknown>[]>;
  /** Drops the ledger's no-update/no-delete triggers, as a tamperer would first. */
  dropLedgerTriggers(location: string): Promise<void>;
}

export const BACKENDS = ['sqlite', 'postgres'] as const;

/** A backend for one describe block: call inside it (it registers its own beforeAll/afterAll). */
export function useBackend(name: Backend['name']): Backend {
  let tmp: string;
  let cluster: PgCluster | undefined;
  let n = 0;
  beforeAll(async () => {
    if (name === 'sqlite') tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-store-'));
    else cluster = await startPgCluster();
  });
  afterAll(async () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    await cluster?.stop();
  });
  const pg = () => {
    if (!cluster) throw new Error('the PostgreSQL cluster is not started yet (use inside a test or hook)');
    return cluster;
  };
  if (name === 'sqlite')
    return {
      name,
      fresh: async () => path.join(tmp, `nested-${++n}`, 'deeper', 'duban.db'),
      exec: async (file, statements) => {
        const raw = new Database(file);
        try {
          raw.exec(statements);
        } catch (err) {
          // better-sqlite3's errors are made in whichever test file first loaded the native module: not
          // an Error of this file's realm, so jest's `rejects.toThrow` would not see them as thrown.
          throw new Error((err as { message?: string }).message ?? String(err));
        } finally {
          raw.close();
        }
      },
      rows: async (file, query) => {
        const raw = new Database(file, { readonly: true });
        try {
          return raw.prepare(query).all() as Record<string, unknown>[];
        } finally {
          raw.close();
        }
      },
      dropLedgerTriggers: async (file) => {
        const raw = new Database(file);
        raw.exec('drop trigger if exists ledger_no_update; drop trigger if exists ledger_no_delete;');
        raw.close();
      },
    };
  return {
    name,
    fresh: () => pg().createDatabase('store'),
    exec: async (url, statements) => void (await pg().query(url, statements)),
    rows: (url, query) => pg().query(url, query),
    dropLedgerTriggers: async (url) =>
      void (await pg().query(
        url,
        'drop trigger if exists ledger_no_update on ledger; drop trigger if exists ledger_no_delete on ledger;',
      )),
  };
}
