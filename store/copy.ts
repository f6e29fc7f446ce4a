import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { dialectOf, isPostgresUrl, openDb, writeTransaction } from './db';
import { ledgerHead, verifyLedger } from './ledger';
import { migrate } from './migrations';
import type { DB } from './schema';

/** Every table of an installation, with the key that orders its rows (the ledger last: it is the longest). */
const TABLES: readonly { name: keyof DB; key: readonly string[] }[] = [
  { name: 'calendar_years', key: ['year'] },
  { name: 'tokens', key: ['id'] },
  { name: 'tasks', key: ['workflow_id'] },
  { name: 'outbox', key: ['workflow_id', 'key'] },
  { name: 'restrictions', key: ['region', 'seq'] },
  { name: 'accountability', key: ['id'] },
  { name: 'failed_attempts', key: ['address', 'at_ms'] },
  { name: 'bookmarks', key: ['name'] },
  { name: 'sessions', key: ['id'] },
  { name: 'indicators', key: ['plan', 'id'] },
  { name: 'indicator_values', key: ['id'] },
  { name: 'duties', key: ['workflow_id'] },
  { name: 'attachments', key: ['sha256', 'workflow_id'] },
  { name: 'enterprises', key: ['code'] },
  { name: 'cards', key: ['code', 'card'] },
  { name: 'enterprise_steps', key: ['code', 'key'] },
  { name: 'documents', key: ['workflow_id', 'key'] },
  { name: 'ledger', key: ['id'] },
];

/** Tables whose ids PostgreSQL hands out: after explicit ids are copied in, its counter must move past them. */
const IDENTITY_TABLES = ['tokens', 'accountability', 'sessions', 'indicator_values'] as const;

const PAGE = 500;

export class CopyError extends Error {
  override name = 'CopyError';
}

/**
 * `sqlite:data/duban.db`, `file:…`, a path, or a postgres:// URL → what openDb takes. A relative path is
 * taken from `cwd`.
 */
export function parseStoreUrl(url: string, cwd = process.cwd()): string {
  if (isPostgresUrl(url)) {
    try {
      const u = new URL(url);
      if (!u.hostname || u.pathname.replace(/^\//, '') === '') throw new Error('no host or database');
    } catch {
      throw new CopyError(`不是可用的 PostgreSQL 地址 / not a usable PostgreSQL URL: ${redact(url)}`);
    }
    return url;
  }
  if (/^(sqlite|file):/.test(url)) return path.resolve(cwd, url.replace(/^(sqlite|file):(\/\/)?/, ''));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url))
    throw new CopyError(`不支持的数据库地址 / not a SQLite file or postgres:// URL: ${redact(url)}`);
  return path.resolve(cwd, url);
}

/** A URL as it may be printed: the password masked. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
}

export interface CopyResult {
  tables: { table: string; rows: number }[];
  /** The ledger's last row on the target, the same as on the source. */
  head?: { id: number; hash: string };
}

async function open(location: string, role: string, url: string): Promise<Kysely<DB>> {
  let db: Kysely<DB> | undefined;
  try {
    db = openDb(location);
    await migrate(db);
    return db;
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    throw new CopyError(
      `无法打开${role === 'from' ? '源' : '目标'}数据库 / cannot open the ${role === 'from' ? 'source' : 'target'} ${redact(url)}: ${
        err instanceof Error ? err.message : String(err)
      }`,
      { cause: err },
    );
  }
}

async function count(db: Kysely<DB>, table: keyof DB): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Copies every table of the store at `fromUrl` into the one at `toUrl` (either SQLite or PostgreSQL), in one
 * transaction on the target, and checks that the target's ledger verifies to the source's head. A target
 * holding anything is refused unless `force`, which empties it first.
 */
export async function copyStore(
  fromUrl: string,
  toUrl: string,
  opts: { force?: boolean; cwd?: string; progress?: (p: CopyProgress) => void } = {},
): Promise<CopyResult> {
  const fromLoc = parseStoreUrl(fromUrl, opts.cwd);
  const toLoc = parseStoreUrl(toUrl, opts.cwd);
  if (fromLoc === toLoc)
    throw new CopyError(`源与目标相同 / source and target are the same: ${redact(fromUrl)}`);
  if (!isPostgresUrl(fromLoc) && !fs.existsSync(fromLoc))
    throw new CopyError(`找不到源数据库 / no database at ${fromUrl}`);
  const from = await open(fromLoc, 'from', fromUrl);
  let to: Kysely<DB> | undefined;
  try {
    to = await open(toLoc, 'to', toUrl);
    const target = to;
    const source = await verifyLedger(from);
    if (!source.ok)
      throw new CopyError(
        `源数据库的账本校验未通过，不复制 / the source ledger does not verify (row ${source.firstBadId}: ${source.problem})`,
      );
    const result = await writeTransaction(target, async (trx) => {
      const filled: string[] = [];
      for (const t of TABLES) if ((await count(trx, t.name)) > 0) filled.push(t.name);
      if (filled.length > 0 && !opts.force)
        throw new CopyError(
          `目标数据库不是空的（${filled.join(', ')}），加 --force 覆盖 / the target ${redact(toUrl)} is not empty (${filled.join(', ')}): --force replaces its contents`,
        );
      if (filled.length > 0) await empty(trx);
      const tables: CopyResult['tables'] = [];
      for (const t of TABLES)
        tables.push({ table: t.name, rows: await copyTable(from, trx, t, opts.progress) });
      if (dialectOf(trx) === 'postgres') await settlePostgres(trx);
      return tables;
    });
    const check = await verifyLedger(target);
    const [sourceHead, targetHead] = [await ledgerHead(from), await ledgerHead(target)];
    if (!check.ok || check.rows !== source.rows || sourceHead?.hash !== targetHead?.hash)
      throw new CopyError(
        `复制后目标账本与源不符 / after the copy the target ledger does not match the source (${
          check.ok ? `${check.rows} of ${source.rows} rows` : check.problem
        })`,
      );
    return { tables: result, ...(targetHead ? { head: targetHead } : {}) };
  } finally {
    await from.destroy().catch(() => undefined);
    await to?.destroy().catch(() => undefined);
  }
}

async function copyTable(
  from: Kysely<DB>,
  to: Kysely<DB>,
  t: (typeof TABLES)[number],
  progress?: (p: CopyProgress) => void,
): Promise<number> {
  const total = await count(from, t.name);
  let copied = 0;
  progress?.({ table: t.name, copied, total });
  while (copied < total) {
    let q = from.selectFrom(t.name).selectAll();
    for (const k of t.key) q = q.orderBy(sql.ref(k));
    const rows = (await q.limit(PAGE).offset(copied).execute()) as Record<string, unknown>[];
    if (rows.length === 0) break;
    // PostgreSQL hands bigint back as text; both take a number.
    const values = rows.map((r) => ('at_ms' in r ? { ...r, at_ms: Number(r.at_ms) } : r));
    await to
      .insertInto(t.name)
      .values(values as never)
      .execute();
    copied += rows.length;
    progress?.({ table: t.name, copied, total });
  }
  return copied;
}

/** Empties every table, the ledger's append-only triggers held off for this transaction alone. */
async function empty(trx: Kysely<DB>): Promise<void> {
  if (dialectOf(trx) === 'postgres') {
    await sql`alter table ledger disable trigger user`.execute(trx);
    // Dependents first (sessions name their token).
    for (const t of [...TABLES].reverse()) await trx.deleteFrom(t.name).execute();
    await sql`alter table ledger enable trigger user`.execute(trx);
    await sql`update ledger_head set last_id = 0, hash = ${'0'.repeat(64)} where id = 1`.execute(trx);
    return;
  }
  const triggers = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'ledger'`.execute(trx);
  for (const tr of triggers.rows) await sql`drop trigger ${sql.id(tr.name)}`.execute(trx);
  for (const t of [...TABLES].reverse()) await trx.deleteFrom(t.name).execute();
  await sql`delete from sqlite_sequence`.execute(trx);
  for (const tr of triggers.rows) await sql.raw(tr.sql).execute(trx);
}

/** After explicit ids: the ledger's head row and the id counters follow the copied rows. */
async function settlePostgres(trx: Kysely<DB>): Promise<void> {
  const head = await ledgerHead(trx);
  await trx
    .updateTable('ledger_head')
    .set({ last_id: head?.id ?? 0, hash: head?.hash ?? '0'.repeat(64) })
    .where('id', '=', 1)
    .execute();
  for (const table of IDENTITY_TABLES)
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(
      table,
    )}), 0) + 1, false)`.execute(trx);
}
