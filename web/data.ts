import type { TaskSummary } from '../domain';
import type { LedgerEntry } from '../store';
import { daysOf, type TaskDays } from './model';

/**
 * Ledger-derived days per task, kept while the task's seq is unchanged: the overview reads every task's
 * ledger only once, then only those that moved.
 */
export class TaskDaysCache {
  private readonly cache = new Map<string, { seq: number; days?: TaskDays }>();
  constructor(private readonly ledger: (workflowId: string) => Promise<LedgerEntry[]>) {}

  async of(tasks: readonly TaskSummary[]): Promise<Map<string, TaskDays>> {
    const out = new Map<string, TaskDays>();
    for (const t of tasks) {
      let hit = this.cache.get(t.workflowId);
      if (!hit || hit.seq !== t.seq) {
        hit = { seq: t.seq, days: daysOf((await this.ledger(t.workflowId)).map((e) => e.event)) };
        this.cache.set(t.workflowId, hit);
      }
      if (hit.days) out.set(t.workflowId, hit.days);
    }
    return out;
  }
}

export { loadPlans, type PlanInfo } from '../office/plans';
