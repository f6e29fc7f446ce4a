/**
 * Responsibility clauses (责任分工): `（区环保局牵头，区发改局、区经信局等配合）` and the genre's other
 * spellings — any bracket pair, half- or full-width punctuation, role verbs (牵头, 负责, 具体落实, 参与 …)
 * or labels (`牵头单位：…；配合单位：…`), inside brackets or alone on a line.
 */

import { namesRules, partRules } from './conventions';
import { looksLikeOrg } from './departments';

export interface Clause {
  /** Offsets of the clause in its paragraph: [start, end). */
  start: number;
  end: number;
  lead: string[];
  cooperating: string[];
  /** Parts of the clause that are not a role, a time limit or a standing statement, kept for a warning. */
  unparsed: string[];
}

/** What findClauses knows besides the roles: for the document-wide rules and the due date. */
export interface ClauseDetail extends Clause {
  /** Time limits written in the clause: `年内持续推进`, `12月底前完成`. */
  timing: string[];
  /** Whether any name is marked 牵头 (or 牵头单位): if not, a 列第一位者为牵头单位 rule decides the lead. */
  explicitLead: boolean;
}

export interface ClauseContext {
  /** The document says the first unit listed leads: a bracket of names without a role is a clause. */
  namesOnly?: boolean;
}

type Role = 'lead' | 'implement' | 'cooperate' | 'guide';

/** Longest first, so `配合落实` is cooperation, not 落实. */
const VERBS: [string, Role][] = (
  [
    ['按职责分工负责', 'implement'],
    ['按职责分工落实', 'implement'],
    ['按职能分工负责', 'implement'],
    ['按职责负责', 'implement'],
    ['牵头负责', 'lead'],
    ['牵头督导', 'lead'],
    ['牵头推进', 'lead'],
    ['总牵头', 'lead'],
    ['负总责', 'lead'],
    ['牵头抓总', 'lead'],
    ['牵头落实', 'lead'],
    ['负责落实', 'implement'],
    ['具体落实', 'implement'],
    ['依责落实', 'implement'],
    ['抓好落实', 'implement'],
    ['分别负责', 'implement'],
    ['分别落实', 'implement'],
    ['共同负责', 'implement'],
    ['组织实施', 'implement'],
    ['配合落实', 'cooperate'],
    ['协同配合', 'cooperate'],
    ['积极配合', 'cooperate'],
    ['共同配合', 'cooperate'],
    ['牵头', 'lead'],
    ['主办', 'lead'],
    ['主责', 'lead'],
    ['负责', 'implement'],
    ['落实', 'implement'],
    ['配合', 'cooperate'],
    ['参与', 'cooperate'],
    ['协助', 'cooperate'],
    ['协同', 'cooperate'],
    ['协办', 'cooperate'],
    ['指导', 'guide'],
    ['统筹', 'guide'],
  ] as [string, Role][]
).sort((a, b) => b[0].length - a[0].length);

const LABELS =
  '牵头单位|牵头部门|牵头处室|主办单位|主责单位|主责部门|责任单位|责任部门|负责单位|负责部门|落实单位|实施单位|配合单位|配合部门|参与单位|参与部门|协办单位|协同单位|协同部门|协助单位';
const LABEL = new RegExp(`^(${LABELS})[:：](.+)$`);
/** Labels that say something else than who (`适用范围：…`): they only end the label before them. */
const OTHER_LABELS = '适用范围|适用对象|完成时限|完成时间|时间节点|时限要求';
/** A label inside the text, where a second label follows the first without a separator. */
const LABEL_INSIDE = new RegExp(`(?<=.)(?=(?:${LABELS}|${OTHER_LABELS})[:：])`, 'g');
/** A label clause ending a paragraph, after the requirement: `…完成。责任单位：县环保局。` */
const TRAILING_LABEL = new RegExp(`(?:^|[。；;])\\s*((?:${LABELS})[:：][^。]*)[。.]?$`);
const LABEL_ROLE = (label: string): Role =>
  /^(牵头|主办|主责)/.test(label) ? 'lead' : /^(责任|负责|落实|实施)/.test(label) ? 'implement' : 'cooperate';
/** A role verb after a label's names (`责任单位：省发改委、商务厅按职责分工负责`) says nothing more. */
const LABEL_TAIL = /(按职责分工负责|按职责分工落实|按职责负责|分别负责|共同负责|负责落实|负责)$/;

const OPEN = '(（【[〔';
const CLOSE = ')）】]〕';

/** Words that never occur in a department's name but do in sentences. */
const NOT_A_NAME = /的|要|需|均|不再|以下|以上|完成|开展|加强|推进|确保|情况/;
// 、 only survives inside brackets (各县（市、区）政府): the list was split at the others.
const NAME = /^[\p{Script=Han}A-Za-z0-9（）()·、]{2,40}$/u;

/** Splits at separators outside nested brackets (`各县（市、区）政府` stays whole). */
function splitTop(s: string, seps: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch) && depth > 0) depth--;
    if (depth === 0 && seps.test(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

export function namesOf(list: string): string[] | undefined {
  const cleaned = list
    .replace(/^(由|请|其中)/, '')
    .replace(/(等有关单位|等相关单位|等有关部门|等相关部门|等单位|等部门|等)$/, '');
  const parts = splitTop(cleaned, /[、,，/]/).flatMap((p) =>
    p.split(/以及|及(?=[区市县省各])|和(?=[区市县省各])/).filter((x) => x !== ''),
  );
  if (parts.length === 0) return undefined;
  let names = parts.map((p) => p.replace(/\(/g, '（').replace(/\)/g, '）'));
  for (const rule of namesRules) names = rule.apply(names);
  if (names.length === 0) return undefined;
  return names.every((n) => NAME.test(n) && !NOT_A_NAME.test(n)) ? names : undefined;
}

interface Part {
  role: Role;
  names: string[];
  label: boolean;
}

function segmentOf(seg: string): Part | undefined {
  const label = LABEL.exec(seg);
  if (label) {
    const names = namesOf(label[2].replace(LABEL_TAIL, ''));
    return names && { role: LABEL_ROLE(label[1]), names, label: true };
  }
  for (const [verb, role] of VERBS) {
    if (seg.length > verb.length && seg.endsWith(verb)) {
      const names = namesOf(seg.slice(0, -verb.length));
      return names && { role, names, label: false };
    }
  }
  return undefined;
}

const partOf = (seg: string) => partRules.find((r) => r.match.test(seg))?.means;

/**
 * The roles of a clause's content, or undefined when it is not a responsibility clause. Names cut off
 * from their role by a comma (`责任单位：区环保局，区发改局` or `区发改局，区经信局配合`) join the label
 * before them, else the role after them. Under a 牵头单位 label, 责任单位 are the lead's partners; 指导 is
 * the lead only when nobody else is.
 */
export function parseClauseDetail(
  content: string,
  ctx: ClauseContext = {},
): Omit<ClauseDetail, 'start' | 'end'> | undefined {
  const flat = content.replace(/\s+/g, '').replace(LABEL_INSIDE, '；');
  const segs = splitTop(flat, /[，,；;。]/);
  if (segs.length === 0) return undefined;
  const parsed: Part[] = [];
  const unparsed: string[] = [];
  const timing: string[] = [];
  let statements = 0;
  let orphans: string[] = [];
  let lastWasLabel = false;
  for (const seg of segs) {
    const p = segmentOf(seg);
    if (p) {
      p.names = [...orphans, ...p.names];
      orphans = [];
      parsed.push(p);
      lastWasLabel = p.label;
      continue;
    }
    const means = partOf(seg);
    if (means === 'timing') timing.push(seg);
    if (means === 'statement') statements++;
    if (means) continue;
    // Names without a role must at least look like bodies, or any short sentence would pass.
    const names = namesOf(seg)?.every(looksLikeOrg) ? namesOf(seg) : undefined;
    if (names && lastWasLabel) parsed[parsed.length - 1]!.names.push(...names);
    else if (names) orphans.push(...names);
    // What opens a clause is names or a role; anything else is an ordinary parenthesis.
    else if (parsed.length === 0 && orphans.length === 0) return undefined;
    else unparsed.push(seg);
  }
  // A list of names and nothing else is a clause where the document says the first one leads.
  if (parsed.length === 0 && orphans.length > 0 && (ctx.namesOnly || statements > 0)) {
    parsed.push({ role: 'implement', names: orphans, label: false });
    orphans = [];
  }
  if (parsed.length === 0) return undefined;
  unparsed.push(...orphans);
  const leadLabel = parsed.some((p) => p.label && p.role === 'lead');
  const roleOf = (p: Part): Role => (leadLabel && p.label && p.role === 'implement' ? 'cooperate' : p.role);
  const by = (role: Role) => parsed.flatMap((p) => (roleOf(p) === role ? p.names : []));
  let lead = [...new Set([...by('lead'), ...by('implement')])];
  let guides = by('guide');
  if (lead.length === 0) [lead, guides] = [guides, []];
  if (lead.length === 0) return undefined;
  const cooperating = [...new Set([...guides, ...by('cooperate')])].filter((n) => !lead.includes(n));
  return { lead, cooperating, unparsed, timing, explicitLead: by('lead').length > 0 };
}

export function parseClause(
  content: string,
  ctx: ClauseContext = {},
): Omit<Clause, 'start' | 'end'> | undefined {
  const d = parseClauseDetail(content, ctx);
  return d && { lead: d.lead, cooperating: d.cooperating, unparsed: d.unparsed };
}

/** The responsibility clauses of a paragraph, in order. */
export function findClauses(text: string, ctx: ClauseContext = {}): ClauseDetail[] {
  const out: ClauseDetail[] = [];
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (OPEN.includes(ch)) {
      if (depth === 0) open = i;
      depth++;
    } else if (CLOSE.includes(ch) && depth > 0) {
      depth--;
      if (depth === 0) {
        const c = parseClauseDetail(text.slice(open + 1, i), ctx);
        if (c) out.push({ start: open, end: i + 1, ...c });
      }
    }
  }
  if (out.length === 0) {
    // A clause alone on its line, without brackets: `牵头单位：区环保局；配合单位：区发改局`.
    const bare = text.replace(/[。.]$/, '');
    const c = parseClauseDetail(bare);
    if (c && c.unparsed.length === 0) out.push({ start: 0, end: text.length, ...c });
  }
  if (out.length === 0) {
    const m = TRAILING_LABEL.exec(text);
    const c = m && parseClauseDetail(m[1]);
    if (m && c && c.unparsed.length === 0)
      out.push({ start: text.lastIndexOf(m[1]), end: text.length, ...c });
  }
  return out;
}

/** Words that make a bracket look like a responsibility clause, read or not. */
const ROLE_WORD = /负责|牵头|配合|参与|指导|协助|协办|责任单位|责任部门/;

/** Brackets that speak of roles but were not read as a clause: each becomes a warning, never nothing. */
export function unreadBrackets(
  text: string,
  clauses: { start: number }[],
): { start: number; content: string }[] {
  const out: { start: number; content: string }[] = [];
  const taken = new Set(clauses.map((c) => c.start));
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (OPEN.includes(ch)) {
      if (depth === 0) open = i;
      depth++;
    } else if (CLOSE.includes(ch) && depth > 0) {
      depth--;
      const content = text.slice(open + 1, i);
      if (depth === 0 && !taken.has(open) && ROLE_WORD.test(content) && [...content].length <= 200)
        out.push({ start: open, content });
    }
  }
  return out;
}
