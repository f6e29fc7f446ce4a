import type { PlanWarning } from './breakdown';
import { findClauses, unreadBrackets, type ClauseContext, type ClauseDetail } from './clause';
import { headingLabel, parseHeading, type Heading } from './outline';
import { lineAt, type Paragraph } from './paragraphs';

/** Text a responsibility clause closes, before it becomes a task. */
export interface Draft {
  /** The outline at the clause: index = rank. */
  path: (Heading | undefined)[];
  /** The heading the task opens, when it is the first task under it. */
  heading?: string;
  pieces: { text: string; line: number; paragraph: number }[];
  clause: ClauseDetail & { line: number };
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
 * A heading that ends in its own clause (`1.加强工业污染防治（区环保局牵头，区发改局配合）`): the clause covers
 * the text under the heading. Returns the heading with the clause taken out of its title.
 */
function headingClause(
  p: Paragraph,
  heading: Heading | undefined,
  ctx: ClauseContext,
): { heading: Heading; clause: ClauseDetail } | undefined {
  if (!heading) return undefined;
  const markerEnd = p.text.indexOf(heading.marker) + heading.marker.length;
  const last = findClauses(p.text, ctx).pop();
  if (!last || last.start <= markerEnd || !/^[。.]?$/.test(p.text.slice(last.end).trim())) return undefined;
  const title = p.text.slice(markerEnd, last.start).trim();
  if (title === '' || /[。；;！!？?]/.test(title)) return undefined;
  return { heading: { ...heading, title: title.replace(/[:：，,]$/, ''), rest: '' }, clause: last };
}

/**
 * Walks the body: every stretch of text up to a responsibility clause is a draft task; so is the text
 * under a heading that carries its own clause. Text that no clause closes before the next heading is
 * reported. Chapters with no clause at all before the first one with clauses are the preamble and
 * targets; clause-less chapters after it are reported.
 */
export function segment(paragraphs: Paragraph[], ctx: ClauseContext = {}): Segmented {
  const unread: PlanWarning[] = [];
  const parsed = paragraphs.map((p) => {
    const own = headingClause(p, parseHeading(p.text), ctx);
    const heading = own?.heading ?? parseHeading(p.text);
    // Where the paragraph's body starts: after its heading, if it has one.
    const offset = heading ? p.text.length - heading.rest.length : 0;
    const clauses = own ? [] : findClauses(p.text, ctx).filter((c) => c.start >= offset);
    for (const b of unreadBrackets(p.text, own ? [own.clause] : clauses))
      unread.push({
        line: lineAt(p, b.start),
        message: `括号中的责任分工未能识别，请人工分解：${quote(b.content)} / a bracket that speaks of roles was not read as a clause: break it down by hand`,
      });
    return { p, heading, offset, clauses, own: own?.clause };
  });
  const topRank = Math.min(...parsed.flatMap((x) => (x.heading ? [x.heading.rank] : [])), 99);

  const chapterOf: number[] = [];
  const withClauses = new Set<number>();
  let chapter = 0;
  for (const x of parsed) {
    if (x.heading?.rank === topRank) chapter++;
    chapterOf.push(chapter);
    if (x.clauses.length > 0 || x.own) withClauses.add(chapter);
  }
  const firstTaskChapter = Math.min(...withClauses);

  const out: Segmented = { drafts: [], preamble: [], ranks: [], warnings: unread };
  const ranks = new Set<number>();
  const path: (Heading | undefined)[] = [];
  let pending: Draft['pieces'] = [];
  let freshHeading: string | undefined;
  let pendingHeading: string | undefined;
  /** The clause of the heading whose text we are in, and whether any task has taken it yet. */
  let covering:
    | {
        clause: Draft['clause'];
        rank: number;
        title: string;
        paragraph: number;
        used: boolean;
        /** Whether a task under it had a clause of its own (the heading's is then only a coordinator). */
        superseded: boolean;
      }
    | undefined;

  const draft = (pieces: Draft['pieces'], clause: Draft['clause'], heading: string | undefined) => {
    out.drafts.push({ path: [...path], heading, pieces, clause });
    pending = [];
    pendingHeading = undefined;
    freshHeading = undefined;
  };

  const flush = () => {
    if (pending.length > 0 && covering) {
      covering.used = true;
      covering.superseded = false;
      draft(pending, covering.clause, pendingHeading);
      return;
    }
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

  /** Leaving a heading with a clause: if nothing under it became a task, its own words are the task. */
  const leave = (rank: number) => {
    if (!covering || rank > covering.rank) return;
    if (!covering.used)
      draft(
        [{ text: covering.title, line: covering.clause.line, paragraph: covering.paragraph }],
        covering.clause,
        undefined,
      );
    else if (covering.superseded)
      out.warnings.push({
        line: covering.clause.line,
        message:
          `标题“${covering.title}”的责任分工（${[...covering.clause.lead, ...covering.clause.cooperating].join('、')}）未用于任务：其下各项有各自的分工，请核对 / ` +
          `the heading's clause is used by no task: the items under it carry their own; check`,
      });
    covering = undefined;
  };

  for (const [i, { p, heading, offset, clauses, own }] of parsed.entries()) {
    const ch = chapterOf[i];
    if (heading) {
      flush();
      leave(heading.rank);
      path[heading.rank] = heading;
      path.length = heading.rank + 1;
      if (withClauses.has(ch)) ranks.add(heading.rank);
      freshHeading = heading.title || undefined;
      if (own)
        covering = {
          clause: { ...own, line: lineAt(p, own.start) },
          rank: heading.rank,
          title: heading.title,
          paragraph: i,
          used: false,
          superseded: false,
        };
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
      const clause = { ...c, line: lineAt(p, c.start) };
      if (pending.length > 0) draft(pending, clause, pendingHeading);
      else draft([{ text: freshHeading ?? '', line: clause.line, paragraph: i }], clause, freshHeading);
      if (covering && !covering.used) covering.superseded = true;
      if (covering) covering.used = true;
      cursor = c.end;
    }
    push(cursor, p.text.length);
  }
  flush();
  leave(-1);
  out.ranks = [...ranks].sort((a, b) => a - b);
  return out;
}

export const sectionOf = (path: (Heading | undefined)[]) =>
  path
    .filter((h): h is Heading => !!h)
    .map(headingLabel)
    .join(' / ');
