import type { Indicator, IndicatorTarget } from './breakdown';
import { findTargets } from './targets';

/** Where a qualitative target's predicate begins: `小季河水质|基本达到…`, `地下水…级别|稳中趋好`. */
const PREDICATE =
  /(?:总体|全面|明显|逐步)?(?:基本)?(?:达到|消除|恢复|改善|好转|稳中趋好|保持稳定|得到|实现|趋好|不降低)/;

/** A clause that only qualifies the next one: `除地质原因外`, `在…条件下`, `其中`. */
const QUALIFIER = /^(除|在|按|其中|扣除|不含|含).*|.*(外|下|后|中)$/;

/** Two spellings of one indicator across years: without brackets, `达到或`, `总体`, spaces. */
const indicatorKey = (name: string) =>
  name
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/达到或|总体|基本|\s/g, '')
    .trim();

export interface IndicatorRow {
  year: number;
  entries: ({ name: string } & IndicatorTarget)[];
}

/**
 * One year's row of an indicator table written as prose: `到 2017 年，A达到 50%以上，B控制在 40%以内;C稳中趋好。`
 * A row is a paragraph that opens with its year and names at least one number; a qualifying clause
 * (`除地质原因外`) goes with the next one.
 */
export function indicatorRow(text: string): IndicatorRow | undefined {
  const head = /^(?:[到至]\s*)?(\d{4})\s*年(?:底|末)?(?:前)?\s*[，,：:]?\s*/.exec(text);
  if (!head) return undefined;
  const year = Number(head[1]);
  const body = text.slice(head[0].length);
  if (findTargets(body).length === 0) return undefined;
  const entries: IndicatorRow['entries'] = [];
  let qualifier = '';
  for (const raw of body.split(/[，,；;。]/)) {
    const clause = raw.trim();
    if (clause === '') continue;
    const words = qualifier ? `${qualifier}，${clause}` : clause;
    const targets = findTargets(clause);
    if (targets.length > 0) {
      for (const t of targets)
        entries.push({ name: t.name, year, op: t.op, value: t.value, unit: t.unit, text: words });
      qualifier = '';
      continue;
    }
    if (QUALIFIER.test(clause)) {
      qualifier = words;
      continue;
    }
    // A goal in words: named by what comes before its predicate, or by all of it (`全面建立…河长体系`).
    const p = PREDICATE.exec(clause);
    const name = p && p.index > 0 ? clause.slice(0, p.index).replace(/(?:总体|基本|全面)+$/, '') : clause;
    entries.push({ name, year, op: null, value: null, unit: null, text: words });
    qualifier = '';
  }
  return { year, entries };
}

/** The rows merged into one list of indicators, in the order they first appear, each year in order. */
export function mergeIndicators(rows: IndicatorRow[]): Indicator[] {
  const byKey = new Map<string, Indicator>();
  for (const row of rows) {
    for (const { name, ...target } of row.entries) {
      const key = indicatorKey(name);
      const ind = byKey.get(key) ?? { name, targets: [] };
      byKey.set(key, ind);
      ind.targets.push(target);
    }
  }
  const out = [...byKey.values()];
  for (const ind of out) ind.targets.sort((a, b) => a.year - b.year);
  return out;
}
