import Database from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { DB } from './schema';

/** The two databases the store runs on: an embedded SQLite file, or a PostgreSQL server several processes share. */
export type Dialect = 'sqlite' | 'postgres';

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

export interface DbOptions {
  /** PostgreSQL: connections this process keeps open at most. */
  pool?: number;
}

export const DEFAULT_POOL = 10;

/** A SQLite path or a postgres:// URL. */
export function openDb(location: string, opts: DbOptions = {}): Kysely<DB> {
  return isPostgresUrl(location) ? openPostgres(location, opts) : openSqlite(location);
}

function openSqlite(file: string): Kysely<DB> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  try {
    // WAL lets the CLI and dashboard read while the worker writes; busy_timeout waits out the other writer.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
}

function openPostgres(url: string, opts: DbOptions): Kysely<DB> {
  const pool = new Pool({
    connectionString: url,
    max: opts.pool ?? DEFAULT_POOL,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server dropped (restart, failover) is discarded; the next query opens a new one.
  // Without a listener, pg would throw it at the process.
  pool.on('error', () => undefined);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Any Kysely instance or transaction, whatever its table types. */
export type AnyDb = Pick<Kysely<unknown>, 'getExecutor'>;

export function dialectOf(db: AnyDb): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * A write transaction. SQLite: takes the write lock up front (BEGIN IMMEDIATE): holding the one connection
 * serialises callers in this process; the immediate lock stops another process from slipping a write between
 * our read and our write (a deferred transaction would fail to upgrade). PostgreSQL: READ COMMITTED, and
 * whatever must not interleave takes a row lock (the ledger's head row) or `lockKey`.
 */
export function writeTransaction<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (dialectOf(db) === 'postgres') return db.transaction().execute(fn);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

/**
 * Inside a writeTransaction: waits until no other transaction holds `key`, and holds it to commit.
 * SQLite's write lock already serialises every writer, so there it is nothing.
 */
export async function lockKey(trx: Kysely<DB>, key: string): Promise<void> {
  if (dialectOf(trx) === 'postgres')
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
