import { z } from 'zod';

// What people may write: no character that steers a terminal or reorders what a reader sees. A progress
// note with ESC sequences can erase lines and forge "审核通过" in a supervisor's terminal; a bidi override
// shows a name backwards; NUL cuts a page. One rule for every schema that reads text (task files,
// breakdowns, commands, the directory, tokens, the API), so no interface stores what another cannot show.

/** Bidi marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069). */
const isBidi = (c: number): boolean =>
  c === 0x061c ||
  c === 0x200e ||
  c === 0x200f ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069);

/** C0 and C1 controls, DEL and bidi controls: what no text may hold (a line may not even hold tab). */
export const isControl = (c: number): boolean => c < 0x20 || (c >= 0x7f && c <= 0x9f) || isBidi(c);

/**
 * The first character of `s` that text may not hold, as `U+001B`; multi-line text may hold newlines (a
 * CR only before LF, as a form sends them) and tabs.
 */
export function forbiddenChar(s: string, multiline = false): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isControl(c)) continue;
    if (multiline && (c === 0x0a || c === 0x09 || (c === 0x0d && s.charCodeAt(i + 1) === 0x0a))) continue;
    return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

/** Every control and bidi character but tab, newline and CR (layout, in HTML) as `with`. */
export function replaceControls(s: string, withChar = '\uFFFD'): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += isControl(c) && c !== 0x09 && c !== 0x0a && c !== 0x0d ? withChar : ch;
  }
  return out;
}

/** The refusal's words; `zh`/`en` name the field where the path does not. */
export const controlMessage = (code: string, zh = '', en = 'text'): string =>
  `${zh}含有控制字符或文字方向控制符（${code}），请删除 / ${en} contains a control or bidi character (${code})`;

export const NAME_MAX = 100;

/**
 * What is wrong with a department's, region's or sector's name, if anything: it becomes the last segment of
 * a workflow id (`task/{plan}/{task}/{region}`) and of a page's URL, so no `/`, no control characters,
 * 1–100 characters once trimmed.
 */
export function nameProblem(raw: string): { zh: string; en: string } | undefined {
  const s = raw.trim();
  if (s === '') return { zh: '不能为空', en: 'must not be empty' };
  if (s.length > NAME_MAX) return { zh: '过长', en: `too long (max ${NAME_MAX})` };
  if (s.includes('/')) return { zh: '不能含有 /', en: 'must not contain /' };
  const bad = forbiddenChar(s);
  if (bad)
    return {
      zh: `含有控制字符或文字方向控制符（${bad}）`,
      en: `contains a control or bidi character (${bad})`,
    };
  return undefined;
}

/** A name (department, region, sector), trimmed, by the one name rule; messages `中文 / English`. */
export const unitName = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const p = nameProblem(s);
    if (p) ctx.addIssue({ code: 'custom', message: `${p.zh} / ${p.en}` });
  });

/** Text without control characters; `multiline` lets it hold newlines and tabs. */
export function plainText<T extends z.ZodType<string>>(schema: T, multiline = false): T {
  return schema.superRefine((s, ctx) => {
    const bad = forbiddenChar(s, multiline);
    if (bad) ctx.addIssue({ code: 'custom', message: controlMessage(bad) });
  }) as unknown as T;
}
