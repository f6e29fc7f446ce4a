import { parseHeading } from './outline';

/** A paragraph of the document, with where each of its source lines begins (for line numbers). */
export interface Paragraph {
  text: string;
  line: number;
  starts: { line: number; at: number }[];
}

export interface Line {
  text: string;
  line: number;
}

/** Non-blank lines, trimmed of ASCII, full-width and no-break spaces, numbered from 1. */
export function documentLines(text: string): Line[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ text: t.replace(/^[\s\u3000\u00a0]+|[\s\u3000\u00a0]+$/g, ''), line: i + 1 }))
    .filter((l) => l.text !== '');
}

/** The source line of a character of a paragraph. */
export function lineAt(p: Paragraph, index: number): number {
  let line = p.line;
  for (const s of p.starts) if (s.at <= index) line = s.line;
  return line;
}

const OPEN = '(（【[〔';
const CLOSE = ')）】]〕';

function unclosedBracket(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch) && depth > 0) depth--;
  }
  return depth > 0;
}

// A sentence may end in a full stop, a closing quote after one, or a closing bracket (a clause).
const ENDS_SENTENCE = /(?:[。！!？?；;：:]|[。！？][”’"」』]|[)）】\]〕])$/;

/**
 * Whether `next` continues `prev` across a page break or a hard line wrap: `prev` stops mid-sentence
 * (no full stop, or a bracket left open), is long enough to be body text rather than a title line, and
 * `next` is not a heading.
 */
function continues(prev: string, next: string): boolean {
  if (parseHeading(next)) return false;
  const heading = parseHeading(prev);
  if (heading && heading.rest === '') return false;
  if (unclosedBracket(prev)) return true;
  return !ENDS_SENTENCE.test(prev) && [...prev].length >= 20;
}

/** Paragraphs of body text: lines cut by a page break (with or without blank lines) are joined again. */
export function paragraphsOf(lines: Line[]): Paragraph[] {
  const out: Paragraph[] = [];
  for (const l of lines) {
    const prev = out[out.length - 1];
    if (prev && continues(prev.text, l.text)) {
      prev.starts.push({ line: l.line, at: prev.text.length });
      prev.text += l.text;
    } else {
      out.push({ text: l.text, line: l.line, starts: [{ line: l.line, at: 0 }] });
    }
  }
  return out;
}
