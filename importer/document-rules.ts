/**
 * Statements a document makes once about all its clauses — `列第一位者为牵头单位，下同`, `以下各项工作均需
 * 各县、区人民政府落实，不再列出` — read once from the text, then applied to every clause after them.
 */
import type { PlanWarning } from './breakdown';
import { namesOf } from './clause';
import { documentRules } from './conventions';
import { isRegionCollective } from './departments';
import type { Line } from './paragraphs';
import type { Draft } from './segment';

export interface DocumentRules {
  /** The line saying the first unit listed leads. */
  leadFirst?: number;
  /** Units every clause from `line` on includes (as implementers). */
  standing: { line: number; units: string[]; text: string }[];
}

export function readDocumentRules(lines: Line[]): DocumentRules {
  const out: DocumentRules = { standing: [] };
  for (const l of lines) {
    for (const rule of documentRules) {
      const m = rule.match.exec(l.text);
      if (!m) continue;
      if (rule.statement === 'lead-first') out.leadFirst ??= l.line;
      else {
        const units = namesOf(m[1].replace(/\s+/g, '').replace(/^(?:由)/, ''));
        if (units) out.standing.push({ line: l.line, units, text: m[0] });
      }
    }
  }
  return out;
}

/**
 * Applies the rules to the drafts from their lines on: without any 牵头 mark, the first unit listed leads
 * and the others cooperate (collectives of regions stay where they are); standing units join every lead.
 */
export function applyDocumentRules(drafts: Draft[], rules: DocumentRules, warnings: PlanWarning[]) {
  let firstLed = 0;
  const standingUsed = rules.standing.map(() => 0);
  for (const d of drafts) {
    let lead = d.clause.lead;
    let cooperating = d.clause.cooperating;
    if (rules.leadFirst !== undefined && d.clause.line >= rules.leadFirst && !d.clause.explicitLead) {
      const units = lead.filter((n) => !isRegionCollective(n));
      if (units.length > 1) {
        lead = [units[0], ...lead.filter(isRegionCollective)];
        cooperating = [...units.slice(1), ...cooperating];
        firstLed++;
      }
    }
    for (const [i, s] of rules.standing.entries()) {
      if (d.clause.line < s.line) continue;
      const added = s.units.filter((u) => !lead.includes(u));
      if (added.length > 0) standingUsed[i]++;
      lead = [...lead, ...added];
      cooperating = cooperating.filter((n) => !s.units.includes(n));
    }
    d.clause = { ...d.clause, lead, cooperating };
  }
  if (rules.leadFirst !== undefined)
    warnings.push({
      line: rules.leadFirst,
      message:
        `全文规则“列第一位者为牵头单位”：${firstLed} 项任务按此定牵头单位，请核对 / ` +
        `document rule “the first unit listed leads”: applied to ${firstLed} tasks; check`,
    });
  for (const [i, s] of rules.standing.entries())
    warnings.push({
      line: s.line,
      message:
        `全文规则“${s.text}”：${s.units.join('、')} 已加入其后 ${standingUsed[i]} 项任务的责任单位，请核对 / ` +
        `document rule: ${s.units.join('、')} added to the units of ${standingUsed[i]} later tasks; check`,
    });
}
