import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/paths';
import type { TaskSummary } from '../domain';
import { Breakdown, type Indicator } from '../importer';
import { parseBreakdownText } from '../importer';
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

export interface PlanInfo {
  id: string;
  title: string;
  indicators: Indicator[];
}

/**
 * The plans' titles and yearly indicators, from the reviewed breakdown files (`plans/*.yaml`); the store
 * keeps tasks, not plans. A file that does not read is left out: the pages still work without titles.
 */
export function loadPlans(
  dirs: readonly string[] = [path.join(projectRoot(), 'plans')],
): Map<string, PlanInfo> {
  const out = new Map<string, PlanInfo>();
  for (const dir of dirs) {
    let files: string[];
    try {
      files = fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/i.test(f));
    } catch {
      continue;
    }
    for (const f of files) {
      try {
        const parsed = Breakdown.safeParse(parseBreakdownText(fs.readFileSync(path.join(dir, f), 'utf8')));
        if (!parsed.success) continue;
        const { plan, indicators } = parsed.data;
        out.set(plan.id, { id: plan.id, title: plan.title, indicators });
      } catch {
        continue;
      }
    }
  }
  return out;
}
