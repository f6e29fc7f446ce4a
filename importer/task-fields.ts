import type { BreakdownTask, PlanWarning, Restriction } from './breakdown';
import { findDeadlines, findRecurrence } from './deadlines';
import { isRegionCollective, isVague, looksLikeOrg, type DepartmentIndex } from './departments';
import { fanOutSubject, findRestrictions } from './scope';
import { sectionOf, type Draft } from './segment';
import { findTargets } from './targets';
import { titleOf } from './titles';

export interface TaskContext {
  index: DepartmentIndex;
  regions: string[];
  warnings: PlanWarning[];
  /** The year of a one-year plan, for time limits in a clause (`12月底前完成`). */
  year?: number;
}

/**
 * A draft's fields: departments by their listed names, deadlines, recurrence, targets, fan-out and 限批
 * scope — and a note for everything the supervisor should look at. `due` is set later, for all tasks at once.
 */
export function buildTask(
  d: Draft,
  tid: string,
  { index, regions, warnings, year }: TaskContext,
): BreakdownTask {
  const body = d.pieces.map((p) => p.text).join('\n');
  const line = d.pieces[0].line;
  const say = (message: string, at = line) => warnings.push({ line: at, message: `任务 ${tid}：${message}` });

  const name = (n: string) => (isRegionCollective(n) || isVague(n) ? n : index.canonical(n));
  const lead = [...new Set(d.clause.lead.map(name))];
  const cooperating = [...new Set(d.clause.cooperating.map(name))].filter((n) => !lead.includes(n));
  for (const n of [...lead, ...cooperating]) {
    if (isVague(n))
      say(`“${n}”不是具体单位，交办前请写明 / “${n}” is not one department: name it`, d.clause.line);
    else if (!looksLikeOrg(n))
      say(`单位名称“${n}”似乎不完整 / the department name “${n}” looks incomplete`, d.clause.line);
  }
  for (const u of d.clause.unparsed)
    say(`责任分工中“${u}”未能识别 / part of the clause was not understood: “${u}”`, d.clause.line);
  // Under a heading with its own clause, several paragraphs are one task by design; elsewhere, check.
  if (new Set(d.pieces.map((p) => p.paragraph)).size > 1 && d.clause.line >= line)
    say(
      `第 ${line}–${d.clause.line} 行的几段只有最后一段有责任分工，已合为一项任务，请核对 / ` +
        `only the last of these paragraphs has a responsibility clause; they were joined into one task: check`,
    );

  const found = [
    ...findDeadlines(body),
    ...clauseDeadlines(d.clause.timing, year, (m) => say(m, d.clause.line)),
  ];
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
    source: { line, clauseLine: d.clause.line },
  };
}

const monthEnd = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);

/** `12月底前完成` in the clause of a one-year plan: a deadline in the plan's year; without a year, a note. */
function clauseDeadlines(timing: string[], year: number | undefined, say: (m: string) => void) {
  return timing.flatMap((t) => {
    const m = /(\d{1,2})月底前|年底前/.exec(t);
    if (!m) return [];
    if (year === undefined) {
      say(
        `分工中的时限“${t}”没有年份，未设期限 / the time limit “${t}” in the clause names no year: no deadline set`,
      );
      return [];
    }
    const month = m[1] ? Number(m[1]) : 12;
    return [{ date: monthEnd(year, month), kind: 'by' as const, text: t, at: 0 }];
  });
}
