import type { Breakdown, BreakdownTask, PlanWarning, Restriction } from './breakdown';
import { findDeadlines, findRecurrence } from './deadlines';
import { indexDepartments, isRegionCollective, isVague, type NameUse } from './departments';
import { PlanUnreadable } from './errors';
import { assignDue } from './due';
import { parseHeader } from './header';
import { indicatorRow, mergeIndicators } from './indicators';
import { parseHeading } from './outline';
import { documentLines, paragraphsOf, type Line } from './paragraphs';
import { planId, planRegions } from './plan-meta';
import { fanOutSubject, findRestrictions } from './scope';
import { segment, sectionOf, type Draft } from './segment';
import { findTargets } from './targets';
import { titleOf } from './titles';

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

const ORG_SUFFIX =
  /(局|委|办|部|院|厅|处|室|中心|公司|政府|街道|支队|大队|队|会|所|站|行|社|团|馆|组|区|县|市|镇|乡|署|庭|集团|企业|单位|学校|医院|园|场|台)$/;

/** Where the body starts: the first chapter heading (`一、`), else the first section, else the first clause. */
function bodyStart(lines: Line[]): number {
  for (const maxRank of [1, 2, 3]) {
    const i = lines.findIndex((l) => (parseHeading(l.text)?.rank ?? 99) <= maxRank);
    if (i >= 0) return i;
  }
  return 0;
}

function taskId(draft: Draft, ranks: number[], counters: Map<string, number>): string {
  const prefix = ranks.length >= 2 ? ranks.slice(0, -1) : ranks;
  const nums = prefix.map((r) => draft.path[r]?.number ?? 0);
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
  const seg = segment(paragraphsOf(lines.slice(start)));
  if (seg.drafts.length === 0)
    throw new PlanUnreadable(
      '没有找到任何责任分工（如“（区环保局牵头，区发改局等配合）”），无法分解任务 / ' +
        'no responsibility clause (such as “(区环保局牵头，区发改局等配合)”) found: nothing to break down',
    );

  const warnings: PlanWarning[] = [...seg.warnings];
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
  const tasks: BreakdownTask[] = seg.drafts.map((d) => {
    const tid = taskId(d, seg.ranks, counters);
    const body = d.pieces.map((p) => p.text).join('\n');
    const line = d.pieces[0].line;
    const say = (message: string, at = line) =>
      warnings.push({ line: at, message: `任务 ${tid}：${message}` });

    const name = (n: string) => (isRegionCollective(n) || isVague(n) ? n : index.canonical(n));
    const lead = [...new Set(d.clause.lead.map(name))];
    const cooperating = [...new Set(d.clause.cooperating.map(name))].filter((n) => !lead.includes(n));
    for (const n of [...lead, ...cooperating]) {
      if (isVague(n))
        say(`“${n}”不是具体单位，交办前请写明 / “${n}” is not one department: name it`, d.clause.line);
      else if (!isRegionCollective(n) && !ORG_SUFFIX.test(n))
        say(`单位名称“${n}”似乎不完整 / the department name “${n}” looks incomplete`, d.clause.line);
    }
    for (const u of d.clause.unparsed)
      say(`责任分工中“${u}”未能识别 / part of the clause was not understood: “${u}”`, d.clause.line);
    if (new Set(d.pieces.map((p) => p.paragraph)).size > 1)
      say(
        `第 ${line}–${d.clause.line} 行的几段只有最后一段有责任分工，已合为一项任务，请核对 / ` +
          `only the last of these paragraphs has a responsibility clause; they were joined into one task: check`,
      );

    const found = findDeadlines(body);
    const fanOut = [...lead, ...cooperating].some(isRegionCollective) || fanOutSubject(body) !== undefined;
    if (fanOut && regions.length === 0)
      say(
        '应分解到各镇街，但没有镇街名单（用 --regions 给出） / fans out to each region, but no regions are known (give --regions)',
      );

    let restriction: Restriction | null = null;
    for (const r of findRestrictions(body)) {
      if (!r.consequence) {
        say(
          `提到“限批”，但不是本任务未完成的后果，未设限批范围 / mentions 限批, but not as the consequence of failing this task: no restriction scope set`,
        );
        continue;
      }
      if (restriction) continue;
      restriction = { sector: r.sector || '全部行业', text: r.text };
      if (!r.sector || /相关|有关/.test(r.sector))
        say(
          `限批行业“${restriction.sector}”不具体，请写明行业 / the restricted sector “${restriction.sector}” is vague: name the sector`,
        );
      if (!fanOut)
        say(
          '有限批后果但不分解到镇街：请在 restriction.region 写明限批区域，否则升级时跳过限批 / a 限批 consequence but no region: set restriction.region, or the ladder skips the restriction',
        );
    }

    return {
      id: tid,
      section: sectionOf(d.path),
      title: titleOf(body, d.heading),
      text: body,
      lead,
      cooperating,
      due: '',
      dueRule: 'deadline',
      deadlines: found.map(({ date, kind, text: words }) => ({ date, kind, text: words })),
      recurrence: findRecurrence(body, found),
      targets: findTargets(body).map(({ at: _at, ...t }) => t),
      regions: fanOut ? regions : [],
      restriction,
      source: { line, endLine: d.clause.line },
    };
  });

  const rows = seg.preamble.flatMap((p) => {
    const h = parseHeading(p.text);
    const row = indicatorRow(h ? h.rest : p.text);
    return row ? [row] : [];
  });
  const indicators = mergeIndicators(rows);

  assignDue(
    tasks,
    indicators.flatMap((i) => i.targets.map((t) => t.year)),
    header,
    opts.today,
    warnings,
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
