import { type Kysely, type Selectable, sql } from 'kysely';
import type { TaskEvent } from '../domain';
import { canonicalJson, sha256 } from './canonical';
import { dialectOf, writeTransaction } from './db';
import type { DB, LedgerTable } from './schema';

export const GENESIS_HASH = '0'.repeat(64);

/** PostgreSQL: the NOTIFY channel an append signals (payload: the workflow id) when it commits. */
export const LEDGER_CHANNEL = 'duban_ledger';

/** Anything that goes on the chain: numbered per workflow, stamped, typed; the rest is its payload. */
export interface LedgerEvent {
  type: string;
  seq: number;
  at: string;
}

/** A row as read back; a task's rows hold TaskEvents, a region's restriction rows RestrictionEvents. */
export interface LedgerEntry<E extends LedgerEvent = TaskEvent> {
  id: number;
  workflowId: string;
  seq: number;
  type: E['type'];
  at: string;
  event: E;
  prevHash: string;
  hash: string;
}

export type LedgerVerification =
  | {
      ok: true;
      rows: number;
      /** Rows on the chain that a later decision of their workflow replaced (absent when none). */
      superseded?: number;
    }
  | { ok: false; rows: number; firstBadId: number; problem: string };

type Row = Selectable<LedgerTable>;

function entryHash(
  prevHash: string,
  r: Pick<Row, 'workflow_id' | 'seq' | 'type' | 'at' | 'revision'>,
  payload: unknown,
): string {
  // Revision 0 hashes as rows did before revisions existed, so older chains still verify.
  const revision = r.revision > 0 ? { revision: r.revision } : {};
  return sha256(
    prevHash +
      canonicalJson({ workflowId: r.workflow_id, seq: r.seq, type: r.type, at: r.at, payload, ...revision }),
  );
}

function payloadOf(event: LedgerEvent): Record<string, unknown> {
  const { type: _t, seq: _s, at: _a, ...payload } = event;
  return payload;
}

export async function appendEvents(
  db: Kysely<DB>,
  workflowId: string,
  events: readonly LedgerEvent[],
): Promise<{ appended: number }> {
  if (events.length === 0) return { appended: 0 };
  // One transaction for read-last-hash + insert, so two appends can never both chain onto the same row.
  return writeTransaction(db, (trx) => appendWithin(trx, workflowId, events));
}

/**
 * The append itself, inside a writeTransaction the caller holds (so it can write beside it atomically).
 *
 * A seq already on the workflow's chain is skipped when it holds the same event: a retried recording. It
 * may hold another: a local activity recorded it in a workflow task whose worker died before the task
 * completed, and the task's retry decided otherwise (a command that came meanwhile went first). The retry
 * decided later, so its event carries a later `at`; it goes on the chain one revision up and supersedes,
 * from its seq on, what the unfinished task wrote. A differing event that is not later is that unfinished
 * task's own write arriving late, and is dropped. Chains numbered by the ledger itself (`nextSeq`) never
 * meet a held seq.
 */
export async function appendWithin(
  trx: Kysely<DB>,
  workflowId: string,
  events: readonly LedgerEvent[],
): Promise<{ appended: number }> {
  const pg = dialectOf(trx) === 'postgres';
  // PostgreSQL: every appender, in any process, waits here for the one before it to commit.
  const head = pg
    ? await trx
        .selectFrom('ledger_head')
        .select(['last_id', 'hash'])
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirstOrThrow()
    : undefined;
  const seqs = events.map((e) => e.seq);
  // One read: the rows at these seqs, and every revised row of the workflow (rare), whose highest revision
  // is the one new rows join.
  const rows = await trx
    .selectFrom('ledger')
    .select(['seq', 'revision', 'type', 'at', 'payload'])
    .where('workflow_id', '=', workflowId)
    .where((eb) => eb.or([eb('seq', 'in', seqs), eb('revision', '>', 0)]))
    .orderBy('revision')
    .execute();
  const wanted = new Set(seqs);
  const held = new Map<number, Pick<Row, 'revision' | 'type' | 'at' | 'payload'>>();
  for (const r of rows) if (wanted.has(r.seq)) held.set(r.seq, r);
  let revision = rows.at(-1)?.revision ?? 0;
  /** The seq from which this append superseded the workflow's earlier rows. */
  let supersededFrom: number | undefined;
  const last = head
    ? { hash: head.hash }
    : await trx.selectFrom('ledger').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  let prevHash = last?.hash ?? GENESIS_HASH;
  let lastId = head?.last_id ?? 0;
  let appended = 0;
  for (const event of events) {
    const payload = payloadOf(event);
    const json = canonicalJson(payload);
    const there = held.get(event.seq);
    const stillLive =
      there !== undefined &&
      !(supersededFrom !== undefined && there.revision < revision && supersededFrom <= event.seq);
    if (there && stillLive) {
      if (there.type === event.type && there.at === event.at && there.payload === json) continue; // a retry
      if (!(event.at > there.at)) continue; // an unfinished workflow task's write, come late
      revision += 1;
      supersededFrom = event.seq;
    }
    const row = { workflow_id: workflowId, seq: event.seq, type: event.type, at: event.at, revision };
    held.set(event.seq, { revision, type: event.type, at: event.at, payload: json });
    const hash = entryHash(prevHash, row, payload);
    // PostgreSQL: ids come from the head row, so they stay gap-free as SQLite's do (a sequence would skip
    // the ids of rolled-back appends).
    await trx
      .insertInto('ledger')
      .values({
        ...(pg ? { id: ++lastId } : {}),
        ...row,
        payload: json,
        prev_hash: prevHash,
        hash,
      })
      .execute();
    prevHash = hash;
    appended += 1;
  }
  if (pg && appended > 0) {
    await trx
      .updateTable('ledger_head')
      .set({ last_id: lastId, hash: prevHash })
      .where('id', '=', 1)
      .execute();
    // Delivered at commit to whoever LISTENs (e.g. a server's live view in another process).
    await sql`select pg_notify(${LEDGER_CHANNEL}, ${workflowId})`.execute(trx);
  }
  return { appended };
}

/**
 * A workflow's rows as its workflow decided them: a row is superseded when a row of a higher revision
 * stands at its seq or before it.
 */
function liveRows<R extends Pick<Row, 'seq' | 'revision'>>(rows: readonly R[]): R[] {
  const firstSeq = new Map<number, number>();
  for (const r of rows) firstSeq.set(r.revision, Math.min(firstSeq.get(r.revision) ?? r.seq, r.seq));
  if (firstSeq.size <= 1) return [...rows];
  return rows.filter((r) => ![...firstSeq].some(([rev, seq]) => rev > r.revision && seq <= r.seq));
}

function toEntry(r: Row): LedgerEntry {
  const payload = JSON.parse(r.payload) as Record<string, unknown>;
  return {
    id: r.id,
    workflowId: r.workflow_id,
    seq: r.seq,
    type: r.type as TaskEvent['type'],
    at: r.at,
    event: { type: r.type, ...payload, seq: r.seq, at: r.at } as TaskEvent,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The next seq on a chain of the ledger's own (an indicator's, an enterprise's, an agreement's). */
export async function nextSeq(trx: Kysely<DB>, workflowId: string): Promise<number> {
  const r = await trx
    .selectFrom('ledger')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst();
  return Number(r?.seq ?? 0) + 1;
}

export async function ledgerFor(db: Kysely<DB>, workflowId: string): Promise<LedgerEntry[]> {
  const rows = await db
    .selectFrom('ledger')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('seq')
    .orderBy('revision')
    .execute();
  return liveRows(rows).map(toEntry);
}

const PAGE = 1000;

/** Walks the whole chain in id order and names the first row that does not follow from the one before. */
export async function verifyLedger(db: Kysely<DB>): Promise<LedgerVerification> {
  let prev: Row | undefined;
  let rows = 0;
  for (;;) {
    const page = await db
      .selectFrom('ledger')
      .selectAll()
      .where('id', '>', prev?.id ?? 0)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const row of page) {
      rows += 1;
      const problem = await checkRow(db, row, prev);
      if (problem) return { ok: false, rows, firstBadId: row.id, problem };
      prev = row;
    }
    if (page.length < PAGE) break;
  }
  // The chain cannot show rows cut off its end; the high-water mark can.
  const highest = await highWaterMark(db);
  const lastId = prev?.id ?? 0;
  if (highest > lastId)
    return {
      ok: false,
      rows,
      firstBadId: lastId + 1,
      problem:
        highest === lastId + 1
          ? `row ${highest}, the last of the ledger, was deleted`
          : `rows ${lastId + 1}–${highest}, the last of the ledger, were deleted`,
    };
  const superseded = await supersededRows(db);
  return superseded > 0 ? { ok: true, rows, superseded } : { ok: true, rows };
}

/** How many rows on the chain a later revision of their workflow replaced. */
async function supersededRows(db: Kysely<DB>): Promise<number> {
  const revised = await db
    .selectFrom('ledger')
    .select('workflow_id')
    .distinct()
    .where('revision', '>', 0)
    .execute();
  let n = 0;
  for (const { workflow_id } of revised) {
    const rows = await db
      .selectFrom('ledger')
      .select(['seq', 'revision'])
      .where('workflow_id', '=', workflow_id)
      .execute();
    n += rows.length - liveRows(rows).length;
  }
  return n;
}

/** The highest ledger id ever handed out: SQLite's AUTOINCREMENT record, PostgreSQL's head row. */
async function highWaterMark(db: Kysely<DB>): Promise<number> {
  if (dialectOf(db) === 'postgres') {
    const head = await db.selectFrom('ledger_head').select('last_id').where('id', '=', 1).executeTakeFirst();
    return head?.last_id ?? 0;
  }
  const mark = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'ledger'`.execute(db);
  return mark.rows[0]?.seq ?? 0;
}

/** The last row of the chain: its id and hash, the same on every copy of one ledger. */
export async function ledgerHead(db: Kysely<DB>): Promise<{ id: number; hash: string } | undefined> {
  return db.selectFrom('ledger').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

async function checkRow(db: Kysely<DB>, row: Row, prev: Row | undefined): Promise<string | undefined> {
  const expectedPrev = prev?.hash ?? GENESIS_HASH;
  if (row.prev_hash !== expectedPrev) {
    // Tell a moved row from a missing one: is the row this one claims to follow still somewhere?
    const follows = row.prev_hash === GENESIS_HASH ? undefined : await rowWithHash(db, row.prev_hash);
    const where = prev ? `row ${prev.id}` : 'the start of the ledger';
    if (follows !== undefined || (row.prev_hash === GENESIS_HASH && prev))
      return `row ${row.id} (${row.workflow_id} #${row.seq}) is out of order: it follows ${
        follows === undefined ? 'the start of the ledger' : `row ${follows}`
      }, not ${where}`;
    return `row ${row.id} (${row.workflow_id} #${row.seq}) does not follow ${where}: a row before it was deleted or rewritten`;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    return `row ${row.id} (${row.workflow_id} #${row.seq}) was edited: its payload is not JSON`;
  }
  if (entryHash(row.prev_hash, row, payload) !== row.hash)
    return `row ${row.id} (${row.workflow_id} #${row.seq}) was edited: its content does not match its hash`;
  return undefined;
}

async function rowWithHash(db: Kysely<DB>, hash: string): Promise<number | undefined> {
  const r = await db.selectFrom('ledger').select('id').where('hash', '=', hash).limit(1).executeTakeFirst();
  return r?.id;
}
