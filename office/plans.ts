import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/paths';
import { Breakdown, parseBreakdownText, type Indicator } from '../importer';

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
