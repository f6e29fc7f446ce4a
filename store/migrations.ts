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
