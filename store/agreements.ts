import { type Kysely, sql } from 'kysely';
import { agreementWorkflowId } from '../domain/agreement';
import { likeEscaped } from './dialect';
import { lockKey, writeTransaction } from './db';
import { appendWithin, nextSeq } from './ledger';
import type { DB } from './schema';

// 目标责任书 signatures live on the ledger alone: each unit's agreement for a year is a chain of its own
// (agreement/{plan}/{year}/{unit}), each signing one row holding the content hash signed.

export interface AgreementSignature {
  plan: string;
  year: number;
  unit: string;
  /** sha256 of the agreement's canonical content, as signed. */
  hash: string;
  by: string;
  at: string;
  workflowId: string;
  seq: number;
}

/** Appends a signing to the unit's chain (a second signing, of changed content, follows the first). */
export async function signAgreement(
  db: Kysely<DB>,
  s: Omit<AgreementSignature, 'workflowId' | 'seq'> & { tasks: number },
): Promise<AgreementSignature> {
  const workflowId = agreementWorkflowId(s.plan, s.year, s.unit);
  return writeTransaction(db, async (trx) => {
    await lockKey(trx, workflowId);
    const seq = await nextSeq(trx, workflowId);
    await appendWithin(trx, workflowId, [
      {
        type: 'AgreementSigned',
        seq,
        at: s.at,
        plan: s.plan,
        year: s.year,
        unit: s.unit,
        hash: s.hash,
        by: s.by,
        tasks: s.tasks,
      } as never,
    ]);
    return { plan: s.plan, year: s.year, unit: s.unit, hash: s.hash, by: s.by, at: s.at, workflowId, seq };
  });
}

/** Every signing of the plan's agreements for the year, oldest first (a unit's last is the one in force). */
export async function agreementSignatures(
  db: Kysely<DB>,
  plan: string,
  year: number,
): Promise<AgreementSignature[]> {
  const prefix = agreementWorkflowId(plan, year, '');
  const rows = await db
    .selectFrom('ledger')
    .select(['workflow_id', 'seq', 'at', 'payload'])
    .where(likeEscaped(db, sql.ref('workflow_id'), `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
    .where('type', '=', 'AgreementSigned')
    .orderBy('id')
    .execute();
  // LIKE is case-insensitive; plan ids are not.
  return rows
    .filter((r) => r.workflow_id.startsWith(prefix))
    .map((r) => {
      const p = JSON.parse(r.payload) as { unit: string; hash: string; by: string };
      return {
        plan,
        year,
        unit: p.unit,
        hash: p.hash,
        by: p.by,
        at: r.at,
        workflowId: r.workflow_id,
        seq: r.seq,
      };
    });
}
