import type { PlanWarning } from './breakdown';
import { findClauses, type Clause } from './clause';
import { headingLabel, parseHeading, type Heading } from './outline';
import { lineAt, type Paragraph } from './paragraphs';

/** Text a responsibility clause closes, before it becomes a task. */
export interface Draft {
  /** The outline at the clause: index = rank. */
  path: (Heading | undefined)[];
  /** The heading the task opens, when it is the first task under it. */
  heading?: string;
  pieces: { text: string; line: number; paragraph: number }[];
  clause: Clause & { line: number };
}

export interface Segmented {
  drafts: Draft[];
  /** Body text of chapters before the first one with clauses: the preamble, aims and indicators. */
  preamble: { text: string; line: number }[];
  /** Ranks of the headings used in the chapters with tasks, ascending. */
  ranks: number[];
  warnings: PlanWarning[];
}

const quote = (s: string) => {
  const chars = [...s.replace(/\s+/g, '')];
  return `“${chars.slice(0, 24).join('')}${chars.length > 24 ? '…' : ''}”`;
};

/**
 * Walks the body: every stretch of text up to a responsibility clause is a draft task; text that no
 * clause closes before the next heading is reported. Chapters with no clause at all before the first
 * one with clauses are the preamble and targets; clause-less chapters after it are reported.
 */
export function segment(paragraphs: Paragraph[]): Segmented {
  const parsed = paragraphs.map((p) => {
    const heading = parseHeading(p.text);
    // Where the paragraph's body starts: after its heading, if it has one.
    const offset = heading ? p.text.length - heading.rest.length : 0;
    const clauses = findClauses(p.text).filter((c) => c.start >= offset);
    return { p, heading, offset, clauses };
  });
  const topRank = Math.min(...parsed.flatMap((x) => (x.heading ? [x.heading.rank] : [])), 99);

  const chapterOf: number[] = [];
  const withClauses = new Set<number>();
  let chapter = 0;
  for (const x of parsed) {
    if (x.heading?.rank === topRank) chapter++;
    chapterOf.push(chapter);
    if (x.clauses.length > 0) withClauses.add(chapter);
  }
  const firstTaskChapter = Math.min(...withClauses);

  const out: Segmented = { drafts: [], preamble: [], ranks: [], warnings: [] };
  const ranks = new Set<number>();
  const path: (Heading | undefined)[] = [];
  let pending: Draft['pieces'] = [];
  let freshHeading: string | undefined;
  let pendingHeading: string | undefined;

  const flush = () => {
    for (const line of [...new Set(pending.map((x) => x.line))]) {
      const words = pending
        .filter((x) => x.line === line)
        .map((x) => x.text)
        .join('');
      out.warnings.push({
        line,
        message: `没有责任分工的文字，未归入任何任务：${quote(words)} / text without a responsibility clause belongs to no task`,
      });
    }
    pending = [];
  };

  for (const [i, { p, heading, offset, clauses }] of parsed.entries()) {
    const ch = chapterOf[i];
    if (heading) {
      flush();
      path[heading.rank] = heading;
      path.length = heading.rank + 1;
      if (withClauses.has(ch)) ranks.add(heading.rank);
      freshHeading = heading.title || undefined;
    }
    if (offset >= p.text.length) continue;

    if (!withClauses.has(ch)) {
      const text = p.text.slice(offset).trim();
      if (ch < firstTaskChapter) out.preamble.push({ text, line: lineAt(p, offset) });
      else
        out.warnings.push({
          line: lineAt(p, offset),
          message: `本章没有责任分工，此段未归入任何任务：${quote(text)} / a chapter without responsibility clauses: this paragraph belongs to no task`,
        });
      continue;
    }

    // A piece of text up to a clause, without the full stop some plans put after a clause.
    const push = (from: number, to: number) => {
      const raw = p.text.slice(from, to);
      const skip = /^[。；;，,.\s]*/.exec(raw)![0].length;
      const text = raw.slice(skip).trim();
      if (text === '') return;
      if (pending.length === 0) pendingHeading = freshHeading;
      pending.push({ text, line: lineAt(p, from + skip), paragraph: i });
    };
    let cursor = offset;
    for (const c of clauses) {
      push(cursor, c.start);
      if (pending.length === 0) {
        out.warnings.push({
          line: lineAt(p, c.start),
          message: `责任分工前没有任务内容，已按标题建立任务 / a responsibility clause with no requirement before it: the task takes the heading's words`,
        });
      }
      out.drafts.push({
        path: [...path],
        heading: pending.length ? pendingHeading : freshHeading,
        pieces: pending.length
          ? pending
          : [{ text: freshHeading ?? '', line: lineAt(p, c.start), paragraph: i }],
        clause: { ...c, line: lineAt(p, c.start) },
      });
      pending = [];
      pendingHeading = undefined;
      freshHeading = undefined;
      cursor = c.end;
    }
    push(cursor, p.text.length);
  }
  flush();
  out.ranks = [...ranks].sort((a, b) => a - b);
  return out;
}

export const sectionOf = (path: (Heading | undefined)[]) =>
  path
    .filter((h): h is Heading => !!h)
    .map(headingLabel)
    .join(' / ');
