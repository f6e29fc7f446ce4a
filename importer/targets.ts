import type { Op, Target } from './breakdown';
import { findDeadlines } from './deadlines';

/** Verbs that put a number on something, longest first: `提高到 40%` is a level, `提高 10 个百分点` a change. */
const VERBS: [string, Op][] = (
  [
    ['达到', '>='],
    ['提高到', '>='],
    ['提升到', '>='],
    ['提高至', '>='],
    ['提升至', '>='],
    ['增加到', '>='],
    ['增长到', '>='],
    ['保持在', '>='],
    ['稳定在', '>='],
    ['不低于', '>='],
    ['不少于', '>='],
    ['下降到', '<='],
    ['降低到', '<='],
    ['降至', '<='],
    ['减少到', '<='],
    ['控制在', '<='],
    ['不高于', '<='],
    ['不超过', '<='],
    ['高于', '>'],
    ['大于', '>'],
    ['低于', '<'],
    ['小于', '<'],
    ['提高', '+>='],
    ['提升', '+>='],
    ['增加', '+>='],
    ['增长', '+>='],
    ['下降', '->='],
    ['降低', '->='],
    ['减少', '->='],
    ['削减', '->='],
  ] as [string, Op][]
).sort((a, b) => b[0].length - a[0].length);

const VERB_RE = new RegExp(`(分别)?(${VERBS.map(([v]) => v).join('|')})`, 'g');
const UNIT =
  '%|％|‰|个百分点|[万亿千百]?(?:吨|立方米|平方米|平方公里|公顷|亩|千米|公里|米|个|处|家|座|套|台|人|项|元|倍|条|口|眼|辆|户|村)';
// Units not in the list (`微克/立方米`) are the words up to the qualifier or the end of the clause.
const OTHER_UNIT = '[^\\s\\d，,。；;、和及]{1,8}?(?=以上|以内|以下|左右|[，,。；;]|$)';
const VALUE = new RegExp(`^\\s*(\\d+(?:\\.\\d+)?)\\s*(${UNIT}|${OTHER_UNIT})?`);
const MORE = new RegExp(`^\\s*(?:和|、|，|,)\\s*(\\d+(?:\\.\\d+)?)\\s*(${UNIT})?`);
const QUALIFIER = /^\s*(以上|以内|以下|左右)/;

/** The thing measured: the clause's words before the verb, without the year or filler words. */
function measureName(before: string): string {
  const clause = before.split(/[，,；;。：:]/).pop() ?? '';
  return clause
    .replace(/^\s*(?:[自从到至于在]?\s*\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?(?:前|之前|以前|起)?)\s*/, '')
    .replace(/^(?:使|确保|力争|要|实现)/, '')
    .replace(/(?:总体|要|应|均|基本|需|必须|全部|稳定|逐步|分别)+$/, '')
    .replace(/\s+/g, '')
    .trim();
}

function opWith(base: Op, qualifier: string | undefined): Op {
  if (qualifier === '左右') return '=';
  if (qualifier === '以内' || qualifier === '以下') return base === '+>=' || base === '->=' ? base : '<=';
  return base;
}

export interface FoundTarget extends Target {
  at: number;
}

/**
 * Quantitative targets: `污水处理率达到95%以上`, `控制在10%以内`, `分别达到90%和60%以上`. The year is that of
 * the nearest deadline before it in the same sentence; a target with no name of its own
 * (`2020年控制在10%以内`) takes the one before it.
 */
export function findTargets(text: string): FoundTarget[] {
  const out: FoundTarget[] = [];
  const deadlines = findDeadlines(text).filter((d) => d.kind !== 'from');
  for (const m of text.matchAll(VERB_RE)) {
    const after = text.slice(m.index + m[0].length);
    const first = VALUE.exec(after);
    if (!first || /^\s*\d{4}\s*年/.test(after)) continue;
    const values = [{ value: Number(first[1]), unit: first[2] ?? '' }];
    let rest = after.slice(first[0].length);
    for (let more = MORE.exec(rest); m[1] && more; more = MORE.exec(rest)) {
      values.push({ value: Number(more[1]), unit: more[2] ?? '' });
      rest = rest.slice(more[0].length);
    }
    // `分别达到90%和60%以上`: the last unit and qualifier apply to every value.
    const unit = values[values.length - 1].unit;
    const qualifier = QUALIFIER.exec(rest)?.[1];
    const end =
      m.index + m[0].length + (after.length - rest.length) + (qualifier ? rest.indexOf(qualifier) + 2 : 0);
    const sentenceStart = Math.max(...['。', '；', ';'].map((p) => text.lastIndexOf(p, m.index))) + 1;
    const year = deadlines.filter((d) => d.at >= sentenceStart && d.at < m.index).pop();
    const name = measureName(text.slice(sentenceStart, m.index)) || out[out.length - 1]?.name || '';
    const clauseStart = Math.max(sentenceStart, ...['，', ','].map((p) => text.lastIndexOf(p, m.index) + 1));
    for (const v of values) {
      out.push({
        name,
        op: opWith(VERBS.find(([verb]) => verb === m[2])![1], qualifier),
        value: v.value,
        unit: v.unit || unit,
        year: year ? Number(year.date.slice(0, 4)) : null,
        text: text.slice(clauseStart, end).trim(),
        at: m.index,
      });
    }
  }
  return out;
}
