import type { Kysely, Selectable } from 'kysely';
import type { AccountabilityFilter, AccountabilityRecord } from '../domain';
import { lockKey, writeTransaction } from './db';
import type { AccountabilityTable, DB } from './schema';

/** A stored record, with the id the store gave it. */
export type AccountabilityEntry = AccountabilityRecord & { id: number };

function toEntry(r: Selectable<AccountabilityTable>): AccountabilityEntry {
  return {
    id: r.id,
    person: { name: r.person_name, post: r.person_post, department: r.department },
    taskWorkflowId: r.task_workflow_id,
    plan: r.plan,
    taskId: r.task_id,
    taskTitle: r.task_title,
    rung: r.rung,
    reason: r.reason,
    referral: r.referral,
    at: r.at,
  };
}

/**
 * Stores the records of one firing of a rung (same task and rung) once: if any record of that task and rung
 * is already there, nothing is written and those are returned. So a retry returns what the first attempt
 * wrote, even if the directory changed in between and would now name someone else.
 */
export async function addAccountability(
  db: Kysely<DB>,
  records: readonly AccountabilityRecord[],
): Promise<AccountabilityEntry[]> {
  if (records.length === 0) return [];
  return writeTransaction(db, async (trx) => {
    const out: AccountabilityEntry[] = [];
    const firings = new Map<string, AccountabilityRecord[]>();
    for (const r of records) {
      const key = JSON.stringify([r.taskWorkflowId, r.rung]);
      firings.set(key, [...(firings.get(key) ?? []), r]);
    }
    for (const batch of firings.values()) {
      const { taskWorkflowId, rung } = batch[0];
      // Another process firing the same rung waits, then finds this firing's records.
      await lockKey(trx, `accountability\n${taskWorkflowId}\n${rung}`);
      const stored = () =>
        trx
          .selectFrom('accountability')
          .selectAll()
          .where('task_workflow_id', '=', taskWorkflowId)
          .where('rung', '=', rung)
          .orderBy('id')
          .execute();
      const already = await stored();
      if (already.length === 0)
        for (const r of batch)
          await trx
            .insertInto('accountability')
            .values({
              person_name: r.person.name,
              person_post: r.person.post,
              department: r.person.department,
              task_workflow_id: r.taskWorkflowId,
              plan: r.plan,
              task_id: r.taskId,
              task_title: r.taskTitle,
              rung: r.rung,
              reason: r.reason,
              referral: r.referral,
              at: r.at,
            })
            .onConflict((oc) => oc.columns(['task_workflow_id', 'rung', 'person_name']).doNothing())
            .execute();
      out.push(...(already.length > 0 ? already : await stored()).map(toEntry));
    }
    return out;
  });
}

/** Oldest first. */
export async function listAccountability(
  db: Kysely<DB>,
  f: AccountabilityFilter = {},
): Promise<AccountabilityEntry[]> {
  let q = db.selectFrom('accountability').selectAll();
  if (f.person !== undefined) q = q.where('person_name', '=', f.person.trim());
  if (f.department !== undefined) q = q.where('department', '=', f.department.trim());
  if (f.taskWorkflowId !== undefined) q = q.where('task_workflow_id', '=', f.taskWorkflowId);
  return (await q.orderBy('at').orderBy('id').execute()).map(toEntry);
}
