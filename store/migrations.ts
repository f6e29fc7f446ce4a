import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { DB } from './schema';

// Inline, so the compiled package needs no migration folder beside it. Never edit a shipped
// migration: add the next one.
const migrations: Record<string, Migration> = {
  '0001-ledger-tasks-outbox': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ledger')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
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
      await sql`create trigger ledger_no_update before update on ledger
        begin select raise(abort, 'the ledger is append-only'); end`.execute(db);
      await sql`create trigger ledger_no_delete before delete on ledger
        begin select raise(abort, 'the ledger is append-only'); end`.execute(db);

      await db.schema
        .createTable('tasks')
        .addColumn('workflow_id', 'text', (c) => c.primaryKey())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('lead', 'text', (c) => c.notNull())
        .addColumn('cooperating', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('due', 'text', (c) => c.notNull())
        .addColumn('escalation', 'text', (c) => c.notNull())
        .addColumn('acknowledged', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tasks_plan_due').on('tasks').columns(['plan', 'due', 'task_id']).execute();
      await db.schema.createIndex('tasks_status').on('tasks').column('status').execute();

      await db.schema
        .createTable('outbox')
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull().unique())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('outbox_pk', ['workflow_id', 'key'])
        .execute();
    },
  },
  '0003-restrictions-accountability': {
    async up(db: Kysely<unknown>) {
      // One row per imposition, keyed by the region's event that imposed it, so a retried record is a no-op;
      // a lift fills in the lifted_* columns. Active = lifted_at is null.
      await db.schema
        .createTable('restrictions')
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sector', 'text', (c) => c.notNull())
        .addColumn('task_workflow_id', 'text')
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('imposed_by', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'text')
        .addColumn('lifted_reason', 'text')
        .addColumn('lifted_by', 'text')
        .addPrimaryKeyConstraint('restrictions_pk', ['region', 'seq'])
        .execute();
      await db.schema
        .createIndex('restrictions_active')
        .on('restrictions')
        .columns(['region', 'sector', 'lifted_at'])
        .execute();

      await db.schema
        .createTable('accountability')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('person_name', 'text', (c) => c.notNull())
        .addColumn('person_post', 'text', (c) => c.notNull())
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('task_workflow_id', 'text', (c) => c.notNull())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('task_title', 'text', (c) => c.notNull())
        .addColumn('rung', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('referral', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
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
      await db.schema
        .createTable('calendar_years')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('holidays', 'text', (c) => c.notNull())
        .addColumn('workdays', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('loaded_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0004-tokens': {
    // API tokens: only the sha256 of each is kept, so a copy of the database lets no one in.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('department', 'text')
        .addColumn('region', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      // A name revokes one token: unique among the tokens still in force.
      await sql`create unique index tokens_live_name on tokens (name) where revoked_at is null`.execute(db);
    },
  },
  '0005-sessions': {
    // The sign-in cookie holds a session id, not the token: signing out ends it here, so a copied cookie
    // stops working. Only the id's sha256 is kept, as for tokens.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('token_id', 'integer', (c) => c.notNull().references('tokens.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
    },
  },
};

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
