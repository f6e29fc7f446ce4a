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

/** The workflow inputs of one breakdown task: one spec, or one per region (`region` set, same id). */
function specsOf(plan: Breakdown['plan'], t: BreakdownTask, names: Map<string, string>): TaskSpecInput[] {
  const canonical = (n: string) => names.get(n) ?? n;
  const policy = plan.policy || t.policy ? { ...plan.policy, ...t.policy } : undefined;
  const base = {
    plan: plan.id,
    id: t.id,
    title: t.title,
    text: t.text,
    due: t.due,
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
