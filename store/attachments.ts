import type { Kysely, Selectable } from 'kysely';
import type { AttachmentsTable, DB } from './schema';

/** A file uploaded to a task (佐证材料): the file itself is in the file store under its sha256. */
export interface AttachmentRecord {
  sha256: string;
  workflowId: string;
  name: string;
  size: number;
  /** The type its content was recognised as (MIME). */
  type: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** A ledger row naming an attachment. */
export interface LedgerAttachment {
  id: number;
  workflowId: string;
  seq: number;
  sha256: string;
}

const toRecord = (r: Selectable<AttachmentsTable>): AttachmentRecord => ({
  sha256: r.sha256,
  workflowId: r.workflow_id,
  name: r.name,
  size: Number(r.size),
  type: r.type,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at,
});

/** The same file uploaded to the same task again keeps its first name and time. */
export async function addAttachment(db: Kysely<DB>, a: AttachmentRecord): Promise<AttachmentRecord> {
  await db
    .insertInto('attachments')
    .values({
      sha256: a.sha256,
      workflow_id: a.workflowId,
      name: a.name,
      size: a.size,
      type: a.type,
      uploaded_by: a.uploadedBy,
      uploaded_at: a.uploadedAt,
    })
    .onConflict((oc) => oc.columns(['sha256', 'workflow_id']).doNothing())
    .execute();
  const row = await db
    .selectFrom('attachments')
    .selectAll()
    .where('sha256', '=', a.sha256)
    .where('workflow_id', '=', a.workflowId)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Every task the file was uploaded to, oldest upload first. */
export async function attachmentTasks(db: Kysely<DB>, sha256: string): Promise<AttachmentRecord[]> {
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('sha256', '=', sha256)
    .orderBy('uploaded_at')
    .orderBy('workflow_id')
    .execute();
  return rows.map(toRecord);
}

/** The files uploaded to a task, oldest first. */
export async function taskAttachments(db: Kysely<DB>, workflowId: string): Promise<AttachmentRecord[]> {
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('uploaded_at')
    .orderBy('sha256')
    .execute();
  return rows.map(toRecord);
}

const PAGE = 1000;

/** Every attachment hash the ledger's events name, in ledger order. */
export async function ledgerAttachments(db: Kysely<DB>): Promise<LedgerAttachment[]> {
  const out: LedgerAttachment[] = [];
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('ledger')
      .select(['id', 'workflow_id', 'seq', 'payload'])
      .where('id', '>', after)
      .where('payload', 'like', '%"attachments":%')
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const r of page) {
      after = r.id;
      let hashes: unknown;
      try {
        hashes = (JSON.parse(r.payload) as { attachments?: unknown }).attachments;
      } catch {
        continue; // the chain's own check names a payload that is not JSON
      }
      if (!Array.isArray(hashes)) continue;
      for (const h of hashes)
        if (typeof h === 'string') out.push({ id: r.id, workflowId: r.workflow_id, seq: r.seq, sha256: h });
    }
    if (page.length < PAGE) return out;
  }
}
