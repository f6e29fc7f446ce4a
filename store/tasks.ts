import { type Kysely, type Selectable, sql } from 'kysely';
import { CLOCK_STATUSES, type TaskStatus, type TaskSummary } from '../domain';
import { inDepartment, likeEscaped } from './dialect';
import { dialectOf } from './db';
import { LEDGER_CHANNEL } from './ledger';
import type { DB, TasksTable } from './schema';

export interface TaskFilter {
  plan?: string;
  status?: TaskStatus;
  /** Lead or cooperating. */
  department?: string;
}

export async function upsertTask(db: Kysely<DB>, t: TaskSummary): Promise<void> {
  const row = {
    workflow_id: t.workflowId,
    plan: t.plan,
    task_id: t.taskId,
    region: t.region ?? null,
    title: t.title,
    lead: JSON.stringify(t.lead),
    cooperating: JSON.stringify(t.cooperating),
    status: t.status,
    due: t.due,
    milestone_due: t.milestoneDue ?? null,
    escalation: t.escalation,
    priority: t.priority ?? null,
    acknowledged: JSON.stringify(t.acknowledged),
    assigned_at: t.assignedAt,
    updated_at: t.updatedAt,
    seq: t.seq,
  };
  const { workflow_id: _id, ...changes } = row;
  // Activities can finish out of order (a retry after a later one): an older summary never wins. At one
  // seq the later decision wins: a worker that died mid-task may land its summary after the retry's.
  const r = await db
    .insertInto('tasks')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('workflow_id')
        .doUpdateSet(changes)
        .where((eb) =>
          eb.or([
            eb('excluded.seq', '>', sql.ref<number>('tasks.seq')),
            eb.and([
              eb('excluded.seq', '=', sql.ref<number>('tasks.seq')),
              eb('excluded.updated_at', '>=', sql.ref<string>('tasks.updated_at')),
            ]),
          ]),
        ),
    )
    .executeTakeFirst();
  // The projection lands just after the ledger's append: a live view woken by the append alone could read
  // it a moment too early, so the projection's write is announced too.
  if (dialectOf(db) === 'postgres' && Number(r.numInsertedOrUpdatedRows ?? 0) > 0)
    await sql`select pg_notify(${LEDGER_CHANNEL}, ${t.workflowId})`.execute(db);
}

function toSummary(r: Selectable<TasksTable>): TaskSummary {
  return {
    workflowId: r.workflow_id,
    plan: r.plan,
    taskId: r.task_id,
    ...(r.region !== null ? { region: r.region } : {}),
    title: r.title,
    lead: JSON.parse(r.lead) as string[],
    cooperating: JSON.parse(r.cooperating) as string[],
    status: r.status as TaskStatus,
    due: r.due,
    ...(r.milestone_due !== null && r.milestone_due !== undefined ? { milestoneDue: r.milestone_due } : {}),
    escalation: r.escalation as TaskSummary['escalation'],
    ...(r.priority === 'high' ? { priority: 'high' as const } : {}),
    acknowledged: JSON.parse(r.acknowledged) as string[],
    assignedAt: r.assigned_at,
    updatedAt: r.updated_at,
    seq: r.seq,
  };
}

export async function getTask(db: Kysely<DB>, workflowId: string): Promise<TaskSummary | undefined> {
  const r = await db.selectFrom('tasks').selectAll().where('workflow_id', '=', workflowId).executeTakeFirst();
  return r && toSummary(r);
}

export async function listTasks(db: Kysely<DB>, filter: TaskFilter = {}): Promise<TaskSummary[]> {
  let q = db.selectFrom('tasks').selectAll();
  if (filter.plan !== undefined) q = q.where('plan', '=', filter.plan);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  const dept = filter.department;
  if (dept !== undefined) q = q.where(inDepartment(db, dept));
  const rows = await q
    .orderBy('plan')
    .orderBy('due')
    .orderBy('task_id')
    .orderBy('region', (o) => o.nullsFirst())
    .execute();
  return rows.map(toSummary);
}

/** The API's list: the filters above and more, one page of it, and how many match in all. */
export interface TaskSearch extends TaskFilter {
  region?: string;
  escalation?: TaskSummary['escalation'];
  /** Overdue on `today` (YYYY-MM-DD), the domain's isOverdue in SQL; `is: false` for all the others. */
  overdue?: { today: string; is: boolean };
  /** Part of the title. */
  text?: string;
  limit: number;
  offset: number;
}

export async function searchTasks(
  db: Kysely<DB>,
  f: TaskSearch,
): Promise<{ total: number; tasks: TaskSummary[] }> {
  let q = db.selectFrom('tasks');
  if (f.plan !== undefined) q = q.where('plan', '=', f.plan);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.region !== undefined) q = q.where('region', '=', f.region);
  if (f.escalation !== undefined) q = q.where('escalation', '=', f.escalation);
  if (f.overdue !== undefined) {
    // isOverdue: the due date or an earlier milestone not yet reported done has passed, the clock running.
    const today = f.overdue.today;
    const late = sql<boolean>`((due < ${today} or coalesce(milestone_due < ${today}, false)) and status in (${sql.join([...CLOCK_STATUSES])}))`;
    q = q.where(f.overdue.is ? late : sql<boolean>`not ${late}`);
  }
  if (f.text !== undefined) {
    const pattern = `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(likeEscaped(db, sql.ref('title'), pattern));
  }
  const dept = f.department;
  if (dept !== undefined) q = q.where(inDepartment(db, dept));
  const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('plan')
    .orderBy('due')
    .orderBy('task_id')
    .orderBy('region', (o) => o.nullsFirst())
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { total: Number(n), tasks: rows.map(toSummary) };
}
