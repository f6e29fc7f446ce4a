import { chineseNumber } from './numerals';

/**
 * Outline headings of Chinese official documents, by rank:
 * 0 `第一部分` / `第一章`, 1 `一、`, 2 `（一）`, 3 `1.`, 4 `（1）`, 5 `①`.
 */
export interface Heading {
  rank: number;
  number: number;
  /** The marker as written, e.g. `(一)`. */
  marker: string;
  /** The heading's own words (`实施全过程水污染防治`), or '' when the line starts straight with text. */
  title: string;
  /** Text on the same line after the heading (`1.总体目标。到 2020 年，…` -> `到 2020 年，…`). */
  rest: string;
}

const CN = '[一二三四五六七八九十百零〇两]+';
const MARKERS: { rank: number; re: RegExp }[] = [
  { rank: 0, re: new RegExp(`^第\\s*(${CN}|\\d+)\\s*(?:部分|章|篇)[、.．:：\\s]*`) },
  { rank: 1, re: new RegExp(`^(${CN})\\s*[、.．]\\s*`) },
  { rank: 2, re: new RegExp(`^[（(]\\s*(${CN})\\s*[）)]\\s*[、.．]?\\s*`) },
  // `1.` but not `1.5万吨` or a year: a number with a decimal point is body text.
  { rank: 3, re: /^(\d{1,2})\s*[.．、](?!\d)\s*/ },
  { rank: 4, re: /^[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*/ },
  { rank: 5, re: /^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*/ },
];

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';
const SENTENCE_END = /[。；;！!？?]/;

export function parseHeading(line: string): Heading | undefined {
  for (const { rank, re } of MARKERS) {
    const m = re.exec(line);
    if (!m) continue;
    const number = rank === 5 ? CIRCLED.indexOf(m[1]) + 1 : chineseNumber(m[1]);
    if (number === undefined || number === 0) continue;
    const after = line.slice(m[0].length).trim();
    const marker = m[0].trim();
    // A whole line without a full stop is a heading (`二、主要任务`); so is a short first sentence
    // (`1.加强工业污染防治。严格环境准入，…`), whose remainder is the body.
    if (!SENTENCE_END.test(after) && [...after].length <= 40) {
      return { rank, number, marker, title: after.replace(/[:：]$/, ''), rest: '' };
    }
    const first = /^([^。；;！!？?，,]{1,24})[。.．]\s*/.exec(after);
    if (first) return { rank, number, marker, title: first[1].trim(), rest: after.slice(first[0].length) };
    return { rank, number, marker, title: '', rest: after };
  }
  return undefined;
}

export const headingLabel = (h: Heading) => `${h.marker}${h.title}`;
