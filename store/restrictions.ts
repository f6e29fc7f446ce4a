import type { Kysely, Selectable } from 'kysely';
import type { RestrictionEvent, RestrictionRecord } from '../domain';
import { lockKey, writeTransaction } from './db';
import type { DB, RestrictionsTable } from './schema';

export interface RestrictionFilter {
  region?: string;
  /** Only those in force (not lifted). */
  activeOnly?: boolean;
}

/** The projection of a region's events. Idempotent: a retried batch changes nothing the first did not. */
export async function applyRestrictionEvents(
  db: Kysely<DB>,
  events: readonly RestrictionEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await writeTransaction(db, async (trx) => {
    for (const region of new Set(events.map((e) => e.region))) await lockKey(trx, `restrictions\n${region}`);
    for (const e of events) {
      if (e.type === 'RestrictionImposed') {
        await trx
          .insertInto('restrictions')
          .values({
            region: e.region,
            seq: e.seq,
            sector: e.sector,
            task_workflow_id: e.taskWorkflowId ?? null,
            since: e.at,
            reason: e.reason,
            imposed_by: e.by,
          })
          .onConflict((oc) => oc.columns(['region', 'seq']).doNothing())
          .execute();
        continue;
      }
      let q = trx
        .updateTable('restrictions')
        .set({ lifted_at: e.at, lifted_reason: e.reason, lifted_by: e.by })
        .where('region', '=', e.region)
        .where('sector', '=', e.sector)
        .where('seq', '<', e.seq)
        .where('lifted_at', 'is', null);
      q =
        e.taskWorkflowId === undefined
          ? q.where('task_workflow_id', 'is', null)
          : q.where('task_workflow_id', '=', e.taskWorkflowId);
      await q.execute();
    }
  });
}

function toRecord(r: Selectable<RestrictionsTable>): RestrictionRecord {
  return {
    region: r.region,
    sector: r.sector,
    ...(r.task_workflow_id !== null ? { taskWorkflowId: r.task_workflow_id } : {}),
    since: r.since,
    reason: r.reason,
    by: r.imposed_by,
    seq: r.seq,
    ...(r.lifted_at !== null
      ? { lifted: { at: r.lifted_at, reason: r.lifted_reason ?? '', by: r.lifted_by ?? '' } }
      : {}),
  };
}

/** Ordered by region, then when imposed. */
export async function listRestrictions(
  db: Kysely<DB>,
  f: RestrictionFilter = {},
): Promise<RestrictionRecord[]> {
  let q = db.selectFrom('restrictions').selectAll();
  if (f.region !== undefined) q = q.where('region', '=', f.region.trim());
  if (f.activeOnly) q = q.where('lifted_at', 'is', null);
  return (await q.orderBy('region').orderBy('seq').execute()).map(toRecord);
}
