import type { Kysely } from 'kysely';
import type { DutyPeriod, DutyRecord, DutyStatus } from '../domain/duty';
import type { DB, DutiesTable } from './schema';

// The `duties` projection: where each recurring duty's series stands, written by its workflow at each
// period (and by plan start for a duty left for review). The occurrences themselves are tasks.

const toRow = (d: DutyRecord): DutiesTable => ({
  workflow_id: d.workflowId,
  plan: d.plan,
  duty_id: d.id,
  region: d.region,
  title: d.title,
  every: d.every,
  lead: JSON.stringify(d.lead),
  cooperating: JSON.stringify(d.cooperating),
  starts: d.from,
  ends: d.until,
  status: d.status,
  current: d.current ? JSON.stringify(d.current) : null,
  next: d.next ? JSON.stringify(d.next) : null,
  updated_at: d.updatedAt,
});

const fromRow = (r: DutiesTable): DutyRecord => ({
  workflowId: r.workflow_id,
  plan: r.plan,
  id: r.duty_id,
  region: r.region,
  title: r.title,
  every: r.every as DutyPeriod | null,
  lead: JSON.parse(r.lead) as string[],
  cooperating: JSON.parse(r.cooperating) as string[],
  from: r.starts,
  until: r.ends,
  status: r.status as DutyStatus,
  current: r.current ? (JSON.parse(r.current) as DutyRecord['current']) : null,
  next: r.next ? (JSON.parse(r.next) as DutyRecord['next']) : null,
  updatedAt: r.updated_at,
});

/** Writes the duty as it now stands, unless the row already holds a later write. */
export async function upsertDuty(db: Kysely<DB>, d: DutyRecord): Promise<void> {
  const row = toRow(d);
  const { workflow_id: _key, ...rest } = row;
  await db
    .insertInto('duties')
    .values(row)
    .onConflict((oc) =>
      oc.column('workflow_id').doUpdateSet(rest).where('duties.updated_at', '<=', row.updated_at),
    )
    .execute();
}

/** A plan's duties (every plan's without one), by plan, duty id and region. */
export async function listDuties(db: Kysely<DB>, plan?: string): Promise<DutyRecord[]> {
  let q = db.selectFrom('duties').selectAll();
  if (plan !== undefined) q = q.where('plan', '=', plan);
  const rows = await q.orderBy('plan').orderBy('duty_id').orderBy('workflow_id').execute();
  return rows.map(fromRow);
}
