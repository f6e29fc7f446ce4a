import type { Deadline, DeadlineKind, Every, Recurrence } from './breakdown';

/** A deadline and where in the text it was found. */
export interface FoundDeadline extends Deadline {
  at: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const endOfMonth = (y: number, m: number) => `${y}-${pad(m)}-${pad(lastDay(y, m))}`;
const validYear = (y: number) => y >= 1990 && y <= 2100;

const QUARTER_END: Record<string, number> = { 一: 3, 二: 6, 三: 9, 四: 12, '1': 3, '2': 6, '3': 9, '4': 12 };

const Y = '(\\d{4})\\s*年';
const AT = '(?:[到至于在]\\s*)?';
const BEFORE = '\\s*(前|之前|以前)?';
/** The genre's deadline phrases, longest first at each position; see importer/README.md. */
const PATTERNS: { re: string; kind: DeadlineKind; date(m: string[]): string | undefined }[] = [
  {
    re: `[自从]\\s*${Y}(?:\\s*(\\d{1,2})\\s*月(?:\\s*(\\d{1,2})\\s*日)?)?\\s*(?:起|开始)`,
    kind: 'from',
    date: (m) => `${m[1]}-${pad(Number(m[2] ?? 1))}-${pad(Number(m[3] ?? 1))}`,
  },
  {
    re: `${AT}${Y}\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日${BEFORE}`,
    kind: 'by',
    date: (m) => `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`,
  },
  {
    // `2017年6月底前` is the month's last day; `2018年3月前` is before March: the end of February.
    re: `${AT}${Y}\\s*(\\d{1,2})\\s*月\\s*(底|末|份)?${BEFORE}`,
    kind: 'by',
    date: (m) => {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      if (!m[3] && m[4]) return mo === 1 ? `${y - 1}-12-31` : endOfMonth(y, mo - 1);
      return endOfMonth(y, mo);
    },
  },
  {
    re: `${AT}${Y}\\s*(上半年|下半年|第?([一二三四1-4])季度)\\s*(?:末|底)?${BEFORE}`,
    kind: 'by',
    date: (m) => {
      const y = Number(m[1]);
      if (m[2] === '上半年') return `${y}-06-30`;
      if (m[2] === '下半年') return `${y}-12-31`;
      return endOfMonth(y, QUARTER_END[m[3]]);
    },
  },
  { re: `${AT}${Y}\\s*(?:年)?(?:底|末)${BEFORE}`, kind: 'by', date: (m) => `${m[1]}-12-31` },
  { re: `${AT}${Y}\\s*(?:前|之前|以前)`, kind: 'by', date: (m) => `${Number(m[1]) - 1}-12-31` },
  { re: `[到至]\\s*${Y}`, kind: 'target', date: (m) => `${m[1]}-12-31` },
  { re: `${Y}(?!\\s*\\d{1,2}\\s*月)`, kind: 'target', date: (m) => `${m[1]}-12-31` },
];

const STICKY = PATTERNS.map((p) => ({ ...p, sticky: new RegExp(p.re, 'y') }));

/** Deadlines in a task's text (`2016年底`, `2017年6月底前`, `到2020年`, `自2018年起` …), in order. */
export function findDeadlines(text: string): FoundDeadline[] {
  const out: FoundDeadline[] = [];
  for (let i = 0; i < text.length; i++) {
    if (/\d/.test(text[i - 1] ?? '')) continue;
    for (const p of STICKY) {
      p.sticky.lastIndex = i;
      const m = p.sticky.exec(text);
      if (!m) continue;
      const date = p.date(m);
      if (date && validYear(Number(m[1])) && isRealDate(date)) {
        out.push({ date, kind: p.kind, text: m[0].replace(/^[于在]\s*/, '').trim(), at: i });
        i += m[0].length - 1;
      }
      break;
    }
  }
  return out;
}

function isRealDate(d: string): boolean {
  const [y, m, day] = d.split('-').map(Number);
  return m >= 1 && m <= 12 && day >= 1 && day <= lastDay(y, m);
}

const EVERY: [RegExp, Every][] = [
  [/每(?:个)?周/, 'week'],
  [/每(?:个)?月/, 'month'],
  [/每(?:个)?季度?/, 'quarter'],
  [/每半年/, 'half-year'],
  [/每(?:一)?年(?:度)?/, 'year'],
];

/**
 * A recurring duty: `每季度`, `每年` (from the `自…起` before it in the same sentence, if any); a bare
 * `定期` is taken as yearly and marked `assumed`.
 */
export function findRecurrence(text: string, deadlines: FoundDeadline[]): Recurrence | null {
  let best: { at: number; every: Every; text: string; assumed: boolean } | undefined;
  for (const [re, every] of EVERY) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.at)) best = { at: m.index, every, text: m[0], assumed: false };
  }
  if (!best) {
    const m = /定期/.exec(text);
    if (!m) return null;
    best = { at: m.index, every: 'year', text: m[0], assumed: true };
  }
  const sentenceStart = Math.max(...['。', '；', ';'].map((p) => text.lastIndexOf(p, best!.at))) + 1;
  const from = deadlines.filter((d) => d.kind === 'from' && d.at >= sentenceStart && d.at < best!.at).pop();
  return {
    every: best.every,
    from: from ? from.date : null,
    text: from ? `${from.text}，${best.text}` : best.text,
    assumed: best.assumed,
  };
}
