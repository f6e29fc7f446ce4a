import type { Kysely, Selectable } from 'kysely';
import type { AccountabilityFilter, AccountabilityRecord } from '../domain';
import { writeTransaction } from './db';
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
 * Stores each record once per (task, rung, person) and returns the records as stored, in the order given:
 * a retry gets back what the first attempt wrote, even if the directory changed in between.
 */
export async function addAccountability(
  db: Kysely<DB>,
  records: readonly AccountabilityRecord[],
): Promise<AccountabilityEntry[]> {
  if (records.length === 0) return [];
  return writeTransaction(db, async (trx) => {
    const out: AccountabilityEntry[] = [];
    for (const r of records) {
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
      const stored = await trx
        .selectFrom('accountability')
        .selectAll()
        .where('task_workflow_id', '=', r.taskWorkflowId)
        .where('rung', '=', r.rung)
        .where('person_name', '=', r.person.name)
        .executeTakeFirstOrThrow();
      out.push(toEntry(stored));
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
