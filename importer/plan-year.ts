/**
 * The year of a one-year plan (`…2018年行动计划`, `确保完成2018年度各项目标任务`, a 国发〔2020〕6号 that
 * speaks of 今年): its undated tasks are due at that year's end, not at the end of the latest year named.
 */
import type { PlanHeader } from './header';

/** A span of years, or words of a plan running several years: not a one-year plan. */
const SPAN = /\d{4}\s*[-—–~至到]\s*\d{4}|三年|五年|十三五|十四五|十五五|中长期|规划/;
const YEAR = /(?<!\d)(\d{4})\s*年(?!\s*[-—–~至到])/g;

export interface PlanYear {
  year: number;
  /** Where it was read, for the note. */
  from: string;
}

export function planYear(header: PlanHeader, headerText: string, body: string): PlanYear | undefined {
  const title = header.title ?? '';
  if (title && !SPAN.test(title)) {
    const years = [...new Set([...title.matchAll(YEAR)].map((m) => Number(m[1])))];
    if (years.length === 1) return { year: years[0], from: `标题“${title}”` };
  }
  const text = `${headerText}\n${body}`;
  const stated = /确保完成\s*(\d{4})\s*年度?各项(?:目标)?任务|做好\s*(\d{4})\s*年(?:度)?(?:政府)?工作/.exec(
    text,
  );
  if (stated) return { year: Number(stated[1] ?? stated[2]), from: `正文“${stated[0]}”` };
  const number = /[〔［[（(](\d{4})[〕］\])）]\s*\d+\s*号/.exec(headerText);
  if (number && /今年|本年度|年内/.test(text) && !SPAN.test(title))
    return { year: Number(number[1]), from: `文号“${number[0]}”与“今年”` };
  return undefined;
}
