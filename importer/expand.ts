import type { TaskSpecInput } from '../domain/task-spec';
import type { Breakdown, BreakdownTask } from './breakdown';
import { isRegionCollective } from './departments';

/** Spelling -> the name the breakdown lists the department under. */
export function aliasMap(b: Pick<Breakdown, 'departments'>): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of b.departments) {
    m.set(d.name, d.name);
    for (const a of d.aliases) m.set(a, d.name);
  }
  return m;
}

const MILESTONE_TITLE_MAX = 200;

/**
 * The dated steps of a task whose due date is the last of several deadlines (`dueRule: last-deadline`):
 * one milestone per date, titled by the sentence of the text that names it. A due date set by hand, or
 * other than the last deadline, leaves the task without milestones.
 */
export function milestonesOf(t: BreakdownTask): { due: string; title: string }[] {
  const dated = t.deadlines.filter((d) => d.kind !== 'from');
  const dates = [...new Set(dated.map((d) => d.date))].sort();
  if (t.dueRule !== 'last-deadline' || dates.length < 2 || dates.at(-1) !== t.due) return [];
  return dates.map((date) => {
    const phrase = dated.find((d) => d.date === date)!.text;
    return { due: date, title: sentenceAround(t.text, phrase) || phrase };
  });
}

/** The clause of `text` (between 。；; or line ends) holding `phrase`, cut to a title's length. */
function sentenceAround(text: string, phrase: string): string {
  const at = text.indexOf(phrase);
  if (at < 0) return '';
  const stops = /[。；;\n]/;
  let start = at;
  while (start > 0 && !stops.test(text[start - 1])) start--;
  let end = at + phrase.length;
  while (end < text.length && !stops.test(text[end])) end++;
  const s = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return s.length > MILESTONE_TITLE_MAX ? `${s.slice(0, MILESTONE_TITLE_MAX - 1)}…` : s;
}

/** The workflow inputs of one breakdown task: one spec, or one per region (`region` set, same id). */
function specsOf(plan: Breakdown['plan'], t: BreakdownTask, names: Map<string, string>): TaskSpecInput[] {
  const canonical = (n: string) => names.get(n) ?? n;
  const policy = plan.policy || t.policy ? { ...plan.policy, ...t.policy } : undefined;
  const milestones = milestonesOf(t);
  const base = {
    plan: plan.id,
    id: t.id,
    title: t.title,
    text: t.text,
    due: t.due,
    ...(milestones.length ? { milestones } : {}),
    ...(policy ? { policy: policy as TaskSpecInput['policy'] } : {}),
  };
  const dedupe = (xs: string[]) => [...new Set(xs.map(canonical))];
  if (t.regions.length === 0) {
    const lead = dedupe(t.lead);
    const restriction = t.restriction && {
      sector: t.restriction.sector,
      ...(t.restriction.region ? { region: t.restriction.region } : {}),
    };
    return [
      {
        ...base,
        lead,
        cooperating: dedupe(t.cooperating).filter((n) => !lead.includes(n)),
        ...(restriction ? { restriction } : {}),
      },
    ];
  }
  const named = [...t.lead, ...t.cooperating].some(isRegionCollective);
  return t.regions.map((region) => {
    // A clause's 各镇街 becomes the region in the same role; a task fanned out by its text (各镇街要…) is
    // the region's own work, so the region leads and submits, and the plan's lead departments co-sign.
    const swap = (xs: string[]) => xs.map((n) => (isRegionCollective(n) ? region : n));
    const lead = dedupe(named ? swap(t.lead) : [region, ...t.lead]);
    const cooperating = dedupe(swap(t.cooperating)).filter((n) => !lead.includes(n));
    return {
      ...base,
      region,
      lead,
      cooperating,
      ...(t.restriction ? { restriction: { sector: t.restriction.sector } } : {}),
    };
  });
}

/** Every workflow a breakdown starts, in task order; a fanned-out task gives one per region. */
export function toTaskSpecs(b: Breakdown): TaskSpecInput[] {
  const names = aliasMap(b);
  return b.tasks.flatMap((t) => specsOf(b.plan, t, names));
}
