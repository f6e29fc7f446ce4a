import type { Breakdown, PlanWarning } from './breakdown';
import { indexDepartments, isRegionCollective, isVague, type NameUse } from './departments';
import { PlanUnreadable } from './errors';
import { applyDocumentRules, readDocumentRules } from './document-rules';
import { assignDue } from './due';
import { parseHeader } from './header';
import { indicatorRow, mergeIndicators } from './indicators';
import { parseHeading } from './outline';
import { documentLines, paragraphsOf, type Line } from './paragraphs';
import { planId, planRegions } from './plan-meta';
import { planYear } from './plan-year';
import { segment, type Draft } from './segment';
import { buildTask } from './task-fields';

export interface ImportOptions {
  /** The plan id; default: from `fileName`. */
  id?: string;
  /** The document's file name, for the default plan id. */
  fileName?: string;
  /** The plan's regions (镇街), overriding the header's addressees. */
  regions?: string[];
  /** Where `regions` came from, for the warning (`--regions`, a directory file …). */
  regionsFrom?: string;
  /** YYYY-MM-DD: only when the plan names no year at all, its due dates fall at this year's end. */
  today?: string;
}

/** Where the body starts: the first chapter heading (`一、`), else the first section or item, else the top. */
function bodyStart(lines: Line[]): number {
  for (const maxRank of [1, 2, 3]) {
    const i = lines.findIndex((l) => (parseHeading(l.text)?.rank ?? 99) <= maxRank);
    if (i >= 0) return i;
  }
  return 0;
}

/**
 * `chapter-section-n`: the numbers of the outline levels above the deepest one the task chapters use, then
 * the task's number under them. A level a task is not under is left out (`3-1`: chapter 3, no section).
 */
function taskId(draft: Draft, ranks: number[], counters: Map<string, number>): string {
  const prefix = ranks.length >= 2 ? ranks.slice(0, -1) : ranks;
  const nums = prefix.flatMap((r) => (draft.path[r] ? [draft.path[r].number] : []));
  const key = nums.join('-');
  const n = (counters.get(key) ?? 0) + 1;
  counters.set(key, n);
  return [...nums, n].join('-');
}

/**
 * The task breakdown of a plan document's text (pure: text in, data out). Throws PlanUnreadable when the
 * text holds no responsibility clause at all.
 */
export function importPlan(text: string, opts: ImportOptions = {}): Breakdown {
  const lines = documentLines(text);
  if (lines.length === 0) throw new PlanUnreadable('文件为空 / the document is empty');
  const start = bodyStart(lines);
  const header = parseHeader(lines.slice(0, start));
  const rules = readDocumentRules(lines);
  const seg = segment(paragraphsOf(lines.slice(start)), { namesOnly: rules.leadFirst !== undefined });
  if (seg.drafts.length === 0)
    throw new PlanUnreadable(
      '没有找到任何责任分工（如“（区环保局牵头，区发改局等配合）”），无法分解任务 / ' +
        'no responsibility clause (such as “(区环保局牵头，区发改局等配合)”) found: nothing to break down',
    );

  const warnings: PlanWarning[] = [...seg.warnings];
  applyDocumentRules(seg.drafts, rules, warnings);
  const join = (ls: Line[]) => ls.map((l) => l.text).join('\n');
  const year = planYear(header, join(lines.slice(0, start)), join(lines.slice(start)));
  const id = planId(opts, header, warnings);
  const regions = planRegions(header, opts, warnings);

  const uses: NameUse[] = seg.drafts.flatMap((d) =>
    [...d.clause.lead, ...d.clause.cooperating]
      .filter((n) => !isRegionCollective(n) && !isVague(n))
      .map((name) => ({ name, line: d.clause.line })),
  );
  const index = indexDepartments(uses);
  for (const m of index.merged)
    warnings.push({
      line: m.line,
      message: `“${m.alias}”视为“${m.name}”的别称 / “${m.alias}” is taken as another name of “${m.name}”`,
    });

  const counters = new Map<string, number>();
  const context = { index, regions, warnings, year: year?.year };
  const tasks = seg.drafts.map((d) => buildTask(d, taskId(d, seg.ranks, counters), context));

  const rows = seg.preamble.flatMap((p) => {
    const row = indicatorRow(p.text);
    return row ? [row] : [];
  });
  const indicators = mergeIndicators(rows);

  assignDue(
    tasks,
    indicators.flatMap((i) => i.targets.map((t) => t.year)),
    header,
    opts.today,
    warnings,
    year,
  );

  warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    plan: {
      id,
      title: header.title ?? lines[0].text,
      issuer: header.issuer ?? null,
      issuedOn: header.issuedOn ?? null,
      regions,
    },
    departments: index.departments,
    tasks,
    indicators,
    warnings,
  };
}
