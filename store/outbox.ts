import type { Kysely, Selectable } from 'kysely';
import type { DB, OutboxTable } from './schema';

export type OutboxStatus = 'pending' | 'sent' | 'undeliverable';

export interface NoticeClaim {
  workflowId: string;
  key: string;
  messageId: string;
  recipients: string[];
  subject: string;
}

export interface OutboxEntry extends NoticeClaim {
  status: OutboxStatus;
  claimedAt: string;
  sentAt?: string;
  error?: string;
}

function toEntry(r: Selectable<OutboxTable>): OutboxEntry {
  return {
    workflowId: r.workflow_id,
    key: r.key,
    messageId: r.message_id,
    recipients: JSON.parse(r.recipients) as string[],
    subject: r.subject,
    status: r.status as OutboxStatus,
    claimedAt: r.claimed_at,
    ...(r.sent_at !== null ? { sentAt: r.sent_at } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
  };
}

/** The outbox row for this notice: written now if absent, else the one a previous attempt wrote. */
export async function claimNotice(
  db: Kysely<DB>,
  c: NoticeClaim,
  now = new Date().toISOString(),
): Promise<OutboxEntry> {
  await db
    .insertInto('outbox')
    .values({
      workflow_id: c.workflowId,
      key: c.key,
      message_id: c.messageId,
      recipients: JSON.stringify(c.recipients),
      subject: c.subject,
      status: 'pending',
      claimed_at: now,
    })
    // Any unique conflict, not only (workflow id, key): the Message-ID is derived from them, and on
    // PostgreSQL a racing insert can trip its index first.
    .onConflict((oc) => oc.doNothing())
    .execute();
  const r = await db
    .selectFrom('outbox')
    .selectAll()
    .where('workflow_id', '=', c.workflowId)
    .where('key', '=', c.key)
    .executeTakeFirstOrThrow();
  return toEntry(r);
}

export async function markSent(
  db: Kysely<DB>,
  workflowId: string,
  key: string,
  sentAt: string,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: sentAt, error: null })
    .where('workflow_id', '=', workflowId)
    .where('key', '=', key)
    .execute();
}

export async function markUndeliverable(
  db: Kysely<DB>,
  workflowId: string,
  key: string,
  why: string,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'undeliverable', error: why })
    .where('workflow_id', '=', workflowId)
    .where('key', '=', key)
    .where('status', '!=', 'sent')
    .execute();
}

export async function listOutbox(db: Kysely<DB>, workflowId?: string): Promise<OutboxEntry[]> {
  let q = db.selectFrom('outbox').selectAll();
  if (workflowId !== undefined) q = q.where('workflow_id', '=', workflowId);
  return (await q.orderBy('workflow_id').orderBy('claimed_at').orderBy('key').execute()).map(toEntry);
}

/**
 * Takes the right to send a pending notice until `now + ms`: true for the one caller that gets it. A racer
 * (another worker retrying the same notice while the first still sends) gets false until the first marks it
 * sent, releases it, or its lease runs out. One conditional UPDATE, so PostgreSQL's row lock decides between
 * processes: the second UPDATE waits for the first and then no longer matches.
 */
export async function leaseNotice(
  db: Kysely<DB>,
  workflowId: string,
  key: string,
  holder: string,
  ms: number,
  now = new Date(),
): Promise<boolean> {
  const at = now.toISOString();
  const r = await db
    .updateTable('outbox')
    .set({ lease_holder: holder, lease_until: new Date(now.getTime() + ms).toISOString() })
    .where('workflow_id', '=', workflowId)
    .where('key', '=', key)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at), eb('lease_holder', '=', holder)]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives a lease back (a send that failed), so a retry need not wait for it to run out. */
export async function releaseNotice(
  db: Kysely<DB>,
  workflowId: string,
  key: string,
  holder: string,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ lease_holder: null, lease_until: null })
    .where('workflow_id', '=', workflowId)
    .where('key', '=', key)
    .where('lease_holder', '=', holder)
    .execute();
}
