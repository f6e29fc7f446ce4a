import type { Kysely } from 'kysely';
import { lockKey, writeTransaction } from './db';
import type { DB } from './schema';

/** A numbered document as issued: its series (the 文号's prefix), year and number in that year. */
export interface IssuedDocument {
  workflowId: string;
  key: string;
  kind: string;
  prefix: string;
  year: number;
  n: number;
  issuedAt: string;
}

export interface DocumentRequest {
  workflowId: string;
  /** The notice the document goes with: one document per (task, notice), whatever the retries. */
  key: string;
  kind: string;
  prefix: string;
  year: number;
  at: string;
}

/**
 * The document for this (task, notice), numbered the first time it is asked for: the next number of its
 * series and year. A retry, or a second process racing the first, gets the number already given.
 */
export function issueDocument(db: Kysely<DB>, req: DocumentRequest): Promise<IssuedDocument> {
  return writeTransaction(db, async (trx) => {
    // The series is counted under its own lock, so two documents of one year never take one number.
    await lockKey(trx, `documents\n${req.prefix}\n${req.year}`);
    const found = await trx
      .selectFrom('documents')
      .selectAll()
      .where('workflow_id', '=', req.workflowId)
      .where('key', '=', req.key)
      .executeTakeFirst();
    if (found)
      return {
        workflowId: found.workflow_id,
        key: found.key,
        kind: found.kind,
        prefix: found.prefix,
        year: Number(found.year),
        n: Number(found.n),
        issuedAt: found.issued_at,
      };
    const last = await trx
      .selectFrom('documents')
      .select((eb) => eb.fn.max('n').as('n'))
      .where('prefix', '=', req.prefix)
      .where('year', '=', req.year)
      .executeTakeFirst();
    const n = Number(last?.n ?? 0) + 1;
    await trx
      .insertInto('documents')
      .values({
        workflow_id: req.workflowId,
        key: req.key,
        kind: req.kind,
        prefix: req.prefix,
        year: req.year,
        n,
        issued_at: req.at,
      })
      .execute();
    return { ...req, n, issuedAt: req.at };
  });
}
