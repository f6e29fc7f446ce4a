import { isRegionCollective, regionName } from './departments';
import { chineseNumber } from './numerals';
import type { Line } from './paragraphs';

export interface PlanHeader {
  title?: string;
  issuer?: string;
  issuedOn?: string;
  /** Regions the notice is addressed to by name, and collectives (各镇人民政府) it cannot list. */
  addressees?: { line: number; regions: string[]; collectives: string[] };
}

const pad = (n: number) => String(n).padStart(2, '0');
const CN_DIGITS = '[〇零一二三四五六七八九十]';

/** `2016年11月22日` or `二〇一六年十一月二十二日` -> 2016-11-22. */
export function dateLine(s: string): string | undefined {
  const t = s.replace(/\s+/g, '');
  const m =
    /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(t) ??
    new RegExp(`^(${CN_DIGITS}{4})年(${CN_DIGITS}{1,3})月(${CN_DIGITS}{1,3})日$`).exec(t);
  if (!m) return undefined;
  const [y, mo, d] = [m[1], m[2], m[3]].map((x) => chineseNumber(x));
  if (y === undefined || mo === undefined || d === undefined || mo < 1 || mo > 12 || d < 1 || d > 31)
    return undefined;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

const PLAN_WORD = /(方案|计划|规划|意见|办法|要点|细则|清单)$/;
const clean = (s: string) => s.replace(/[\s《》〈〉]/g, '');

/**
 * What the lines before the plan's first heading say about it: the notice (`…关于印发…的通知`), its
 * addressees, the issuer's signature and date, and the plan's own title line.
 */
export function parseHeader(lines: Line[]): PlanHeader {
  const h: PlanHeader = {};
  for (const [i, l] of lines.entries()) {
    const notice = /^(.*?)关于印发(.+?)的通知$/.exec(clean(l.text));
    if (notice) {
      h.issuer ??= notice[1] || undefined;
      h.title ??= notice[2];
      continue;
    }
    const date = dateLine(l.text);
    if (date) {
      h.issuedOn ??= date;
      const prev = lines[i - 1];
      if (prev && [...prev.text].length <= 30 && !/[。，：:]/.test(prev.text) && !dateLine(prev.text))
        h.issuer = clean(prev.text);
      continue;
    }
    if (!h.addressees && /[：:]$/.test(l.text) && /[，,、]/.test(l.text)) {
      const items = l.text.replace(/[：:]$/, '').split(/[，,、;；]/);
      h.addressees = {
        line: l.line,
        regions: items.map((x) => regionName(x.trim())).filter((x): x is string => !!x),
        collectives: items.map((x) => x.trim()).filter(isRegionCollective),
      };
      continue;
    }
    const t = clean(l.text);
    if (PLAN_WORD.test(t) && [...t].length <= 60 && !/[。，,：:]/.test(t)) h.title = t;
  }
  return h;
}
