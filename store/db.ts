import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import type { DB } from './schema';

export function openDb(file: string): Kysely<DB> {
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

/**
 * A write transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE). Holding the one
 * connection serialises callers in this process; the immediate lock stops another process from
 * slipping a write between our read and our write (a deferred transaction would fail to upgrade).
 */
export function writeTransaction<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
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
