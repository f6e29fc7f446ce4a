import {
  type ColumnDefinitionBuilder,
  type ColumnDataType,
  type Expression,
  type Kysely,
  type Migration,
  Migrator,
  sql,
} from 'kysely';
import { dialectOf } from './db';
import type { DB } from './schema';

// One list of migrations for both dialects (Kysely's kysely_migration table holds the versions on each);
// where the two differ, the branch is here and SQLite's statements stay exactly as they were shipped.
const isPg = (db: Kysely<unknown>) => dialectOf(db) === 'postgres';

/** PostgreSQL compares text by the database's locale; "C" orders as SQLite does (by code point). */
const textType = (db: Kysely<unknown>): ColumnDataType | Expression<unknown> =>
  isPg(db) ? sql`text collate "C"` : 'text';

/** A row id the database hands out, which an explicit value (a copied row) may still set. */
const idColumn = (db: Kysely<unknown>) => (c: ColumnDefinitionBuilder) =>
  isPg(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

// Inline, so the compiled package needs no migration folder beside it. Never edit a shipped
// migration: add the next one.
const migrations: Record<string, Migration> = {
  '0001-ledger-tasks-outbox': {
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('ledger')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('workflow_id', T, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('type', T, (c) => c.notNull())
        .addColumn('at', T, (c) => c.notNull())
        .addColumn('payload', T, (c) => c.notNull())
        .addColumn('prev_hash', T, (c) => c.notNull())
        .addColumn('hash', T, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('ledger_workflow_seq')
        .unique()
        .on('ledger')
        .columns(['workflow_id', 'seq'])
        .execute();
      await db.schema.createIndex('ledger_hash').on('ledger').column('hash').execute();
      // The database itself refuses edits made through the application's own paths; the hash chain
      // catches whoever drops these triggers first.
      if (isPg(db)) await ledgerPostgres(db);
      else {
        await sql`create trigger ledger_no_update before update on ledger
        begin select raise(abort, 'the ledger is append-only'); end`.execute(db);
        await sql`create trigger ledger_no_delete before delete on ledger
        begin select raise(abort, 'the ledger is append-only'); end`.execute(db);
      }

      await db.schema
        .createTable('tasks')
        .addColumn('workflow_id', T, (c) => c.primaryKey())
        .addColumn('plan', T, (c) => c.notNull())
        .addColumn('task_id', T, (c) => c.notNull())
        .addColumn('region', T)
        .addColumn('title', T, (c) => c.notNull())
        .addColumn('lead', T, (c) => c.notNull())
        .addColumn('cooperating', T, (c) => c.notNull())
        .addColumn('status', T, (c) => c.notNull())
        .addColumn('due', T, (c) => c.notNull())
        .addColumn('escalation', T, (c) => c.notNull())
        .addColumn('acknowledged', T, (c) => c.notNull())
        .addColumn('assigned_at', T, (c) => c.notNull())
        .addColumn('updated_at', T, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tasks_plan_due').on('tasks').columns(['plan', 'due', 'task_id']).execute();
      await db.schema.createIndex('tasks_status').on('tasks').column('status').execute();

      await db.schema
        .createTable('outbox')
        .addColumn('workflow_id', T, (c) => c.notNull())
        .addColumn('key', T, (c) => c.notNull())
        .addColumn('message_id', T, (c) => c.notNull().unique())
        .addColumn('recipients', T, (c) => c.notNull())
        .addColumn('subject', T, (c) => c.notNull())
        .addColumn('status', T, (c) => c.notNull())
        .addColumn('claimed_at', T, (c) => c.notNull())
        .addColumn('sent_at', T)
        .addColumn('error', T)
        .addPrimaryKeyConstraint('outbox_pk', ['workflow_id', 'key'])
        .execute();
    },
  },
  '0003-restrictions-accountability': {
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      // One row per imposition, keyed by the region's event that imposed it, so a retried record is a no-op;
      // a lift fills in the lifted_* columns. Active = lifted_at is null.
      await db.schema
        .createTable('restrictions')
        .addColumn('region', T, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sector', T, (c) => c.notNull())
        .addColumn('task_workflow_id', T)
        .addColumn('since', T, (c) => c.notNull())
        .addColumn('reason', T, (c) => c.notNull())
        .addColumn('imposed_by', T, (c) => c.notNull())
        .addColumn('lifted_at', T)
        .addColumn('lifted_reason', T)
        .addColumn('lifted_by', T)
        .addPrimaryKeyConstraint('restrictions_pk', ['region', 'seq'])
        .execute();
      await db.schema
        .createIndex('restrictions_active')
        .on('restrictions')
        .columns(['region', 'sector', 'lifted_at'])
        .execute();

      await db.schema
        .createTable('accountability')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('person_name', T, (c) => c.notNull())
        .addColumn('person_post', T, (c) => c.notNull())
        .addColumn('department', T, (c) => c.notNull())
        .addColumn('task_workflow_id', T, (c) => c.notNull())
        .addColumn('plan', T, (c) => c.notNull())
        .addColumn('task_id', T, (c) => c.notNull())
        .addColumn('task_title', T, (c) => c.notNull())
        .addColumn('rung', T, (c) => c.notNull())
        .addColumn('reason', T, (c) => c.notNull())
        .addColumn('referral', T, (c) => c.notNull())
        .addColumn('at', T, (c) => c.notNull())
        .execute();
      // A retried activity writes each person's record for a rung once.
      await db.schema
        .createIndex('accountability_once')
        .unique()
        .on('accountability')
        .columns(['task_workflow_id', 'rung', 'person_name'])
        .execute();
      await db.schema
        .createIndex('accountability_person')
        .on('accountability')
        .column('person_name')
        .execute();
    },
  },
  '0002-calendar-years': {
    // One row per year an operator loaded (the State Council's notice); it replaces the package's year.
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('calendar_years')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('holidays', T, (c) => c.notNull())
        .addColumn('workdays', T, (c) => c.notNull())
        .addColumn('source', T, (c) => c.notNull())
        .addColumn('loaded_at', T, (c) => c.notNull())
        .execute();
    },
  },
  '0004-tokens': {
    // API tokens: only the sha256 of each is kept, so a copy of the database lets no one in.
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('name', T, (c) => c.notNull())
        .addColumn('hash', T, (c) => c.notNull().unique())
        .addColumn('role', T, (c) => c.notNull())
        .addColumn('department', T)
        .addColumn('region', T)
        .addColumn('created_at', T, (c) => c.notNull())
        .addColumn('revoked_at', T)
        .execute();
      // A name revokes one token: unique among the tokens still in force.
      await sql`create unique index tokens_live_name on tokens (name) where revoked_at is null`.execute(db);
    },
  },
  '0005-notice-lease-failed-attempts': {
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      // Who is sending a pending notice, and until when: the first to take it sends, a racer sends nothing.
      await db.schema.alterTable('outbox').addColumn('lease_holder', T).execute();
      await db.schema.alterTable('outbox').addColumn('lease_until', T).execute();
      // Wrong-token attempts per client address, shared by every HTTP server of one installation.
      await db.schema
        .createTable('failed_attempts')
        .addColumn('address', T, (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('failed_attempts_address_at')
        .on('failed_attempts')
        .columns(['address', 'at_ms'])
        .execute();
    },
  },
  '0006-bookmarks': {
    // What the last digest listed and which calendar the open tasks were told of, so neither repeats itself.
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('bookmarks')
        .addColumn('name', T, (c) => c.primaryKey())
        .addColumn('value', T, (c) => c.notNull())
        .addColumn('updated_at', T, (c) => c.notNull())
        .execute();
    },
  },
  '0007-sessions': {
    // The sign-in cookie holds a session id, not the token: signing out ends it here, so a copied cookie
    // stops working. Only the id's sha256 is kept, as for tokens.
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('hash', T, (c) => c.notNull().unique())
        .addColumn('token_id', 'integer', (c) => c.notNull().references('tokens.id'))
        .addColumn('created_at', T, (c) => c.notNull())
        .addColumn('last_seen_at', T, (c) => c.notNull())
        .addColumn('expires_at', T, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
    },
  },
  '0009-milestone-due': {
    // The earliest milestone not yet reported done: the overdue rule reads it beside the due date.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('tasks').addColumn('milestone_due', textType(db)).execute();
    },
  },
  '0010-indicators': {
    // The plan's indicators as last started (the definition, JSON), and every value recorded, in order: the
    // latest for a year and region is the one judged. The ledger holds the same values, chained.
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('indicators')
        .addColumn('plan', T, (c) => c.notNull())
        .addColumn('id', T, (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('definition', T, (c) => c.notNull())
        .addColumn('saved_at', T, (c) => c.notNull())
        .addPrimaryKeyConstraint('indicators_pk', ['plan', 'id'])
        .execute();
      await db.schema
        .createTable('indicator_values')
        .addColumn('id', 'integer', idColumn(db))
        .addColumn('plan', T, (c) => c.notNull())
        .addColumn('indicator', T, (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('region', T, (c) => c.notNull())
        .addColumn('value', T, (c) => c.notNull())
        .addColumn('recorded_by', T, (c) => c.notNull())
        .addColumn('recorded_at', T, (c) => c.notNull())
        .addColumn('source', T, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('indicator_values_plan')
        .on('indicator_values')
        .columns(['plan', 'indicator', 'id'])
        .execute();
    },
  },
  '0011-duties': {
    // Where each recurring duty's series stands (its occurrences are tasks, in `tasks`).
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('duties')
        .addColumn('workflow_id', T, (c) => c.primaryKey())
        .addColumn('plan', T, (c) => c.notNull())
        .addColumn('duty_id', T, (c) => c.notNull())
        .addColumn('region', T)
        .addColumn('title', T, (c) => c.notNull())
        .addColumn('every', T)
        .addColumn('lead', T, (c) => c.notNull())
        .addColumn('cooperating', T, (c) => c.notNull())
        .addColumn('starts', T, (c) => c.notNull())
        .addColumn('ends', T, (c) => c.notNull())
        .addColumn('status', T, (c) => c.notNull())
        .addColumn('current', T)
        .addColumn('next', T)
        .addColumn('updated_at', T, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('duties_plan').on('duties').columns(['plan', 'duty_id']).execute();
    },
  },
  '0013-enterprises-cards': {
    // The enterprise registry, each 红黄牌 as its steps left it, and which steps are on the enterprise's
    // ledger chain (a retried recording finds its step there and appends nothing).
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('enterprises')
        .addColumn('code', T, (c) => c.primaryKey())
        .addColumn('name', T, (c) => c.notNull())
        .addColumn('region', T, (c) => c.notNull())
        .addColumn('sector', T, (c) => c.notNull())
        .addColumn('registered_at', T, (c) => c.notNull())
        .addColumn('registered_by', T, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cards')
        .addColumn('code', T, (c) => c.notNull())
        .addColumn('card', 'integer', (c) => c.notNull())
        .addColumn('name', T, (c) => c.notNull())
        .addColumn('region', T, (c) => c.notNull())
        .addColumn('sector', T, (c) => c.notNull())
        .addColumn('plan', T)
        .addColumn('color', T, (c) => c.notNull())
        .addColumn('measure', T, (c) => c.notNull())
        .addColumn('issued_color', T, (c) => c.notNull())
        .addColumn('issued_measure', T, (c) => c.notNull())
        .addColumn('reason', T, (c) => c.notNull())
        .addColumn('issued_at', T, (c) => c.notNull())
        .addColumn('since', T, (c) => c.notNull())
        .addColumn('due', T)
        .addColumn('status', T, (c) => c.notNull())
        .addColumn('lifted_at', T)
        .addPrimaryKeyConstraint('cards_pk', ['code', 'card'])
        .execute();
      await db.schema
        .createTable('enterprise_steps')
        .addColumn('code', T, (c) => c.notNull())
        .addColumn('key', T, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('enterprise_steps_pk', ['code', 'key'])
        .execute();
    },
  },
  '0014-attachments': {
    // Which task each uploaded file (佐证材料) was uploaded to, by its sha256: one row per file and task.
    // The bytes are in the file store (store/files.ts), named by the same hash.
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('attachments')
        .addColumn('sha256', T, (c) => c.notNull())
        .addColumn('workflow_id', T, (c) => c.notNull())
        .addColumn('name', T, (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('type', T, (c) => c.notNull())
        .addColumn('uploaded_by', T, (c) => c.notNull())
        .addColumn('uploaded_at', T, (c) => c.notNull())
        .addPrimaryKeyConstraint('attachments_pk', ['sha256', 'workflow_id'])
        .execute();
      await db.schema
        .createIndex('attachments_task')
        .on('attachments')
        .columns(['workflow_id', 'uploaded_at'])
        .execute();
    },
  },
  '0015-documents-priority-person': {
    // Numbered 督办单 / 催办单 (one row per document, numbered per series and year), the priority a 批示
    // raises, and the person (经办人) a token names beside its department.
    async up(db: Kysely<unknown>) {
      const T = textType(db);
      await db.schema
        .createTable('documents')
        .addColumn('workflow_id', T, (c) => c.notNull())
        .addColumn('key', T, (c) => c.notNull())
        .addColumn('kind', T, (c) => c.notNull())
        .addColumn('prefix', T, (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('issued_at', T, (c) => c.notNull())
        .addPrimaryKeyConstraint('documents_pk', ['workflow_id', 'key'])
        .execute();
      await db.schema
        .createIndex('documents_number')
        .unique()
        .on('documents')
        .columns(['prefix', 'year', 'n'])
        .execute();
      await db.schema.alterTable('tasks').addColumn('priority', T).execute();
      await db.schema.alterTable('tokens').addColumn('person', T).execute();
    },
  },
  '0016-ledger-revisions': {
    // A workflow's seq may be written twice: once by a workflow task that never completed (its worker died
    // after a local activity recorded), once by the retry that decided otherwise. Both stay on the chain;
    // the retry's row is one revision up, and supersedes the other from that seq on.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('ledger')
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.dropIndex('ledger_workflow_seq').execute();
      await db.schema
        .createIndex('ledger_workflow_seq_revision')
        .unique()
        .on('ledger')
        .columns(['workflow_id', 'seq', 'revision'])
        .execute();
    },
  },
};

/**
 * PostgreSQL's forms of what SQLite does for the ledger: PL/pgSQL triggers refuse edits (and TRUNCATE), and
 * a head row stands for sqlite_sequence. Appenders lock the head row, so processes take turns on one chain,
 * and the row keeps the last id and hash, a high-water mark that rolls back with its transaction (a sequence
 * would not).
 */
async function ledgerPostgres(db: Kysely<unknown>): Promise<void> {
  await sql`create function ledger_append_only() returns trigger language plpgsql as $$
    begin raise exception 'the ledger is append-only'; end $$`.execute(db);
  await sql`create trigger ledger_no_update before update on ledger
    for each row execute function ledger_append_only()`.execute(db);
  await sql`create trigger ledger_no_delete before delete on ledger
    for each row execute function ledger_append_only()`.execute(db);
  await sql`create trigger ledger_no_truncate before truncate on ledger
    for each statement execute function ledger_append_only()`.execute(db);
  await db.schema
    .createTable('ledger_head')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('last_id', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into ledger_head (id, last_id, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
}

export async function migrate(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
