import { DUTY_PERIODS, type DutyPeriod, type DutySpecInput } from '../domain/duty';
import type { Breakdown, BreakdownTask } from './breakdown';
import { toTaskSpecs } from './expand';

/** A duty the plan names but gives no period for (定期, or 每周): listed for review, never started. */
export interface DutyForReview {
  plan: string;
  id: string;
  region?: string;
  title: string;
  lead: string[];
  cooperating: string[];
  from: string;
  until: string;
  /** The words in the plan (定期). */
  text: string;
}

/** The plan's end: the end of the latest year any task is due (the importer's plan-end rule). */
export function planEndOf(b: Pick<Breakdown, 'tasks'>): string {
  const year = Math.max(...b.tasks.map((t) => Number(t.due.slice(0, 4))));
  return `${year}-12-31`;
}

/** The duty's own words: from its recurrence phrase to the end of that clause (自2018年起，每季度要…公开…). */
function dutyTitle(t: BreakdownTask): string {
  const phrase = t.recurrence!.text;
  const at = t.text.indexOf(phrase);
  if (at < 0) return t.title;
  const rest = t.text.slice(at);
  const stop = rest.search(/[。；;\n]/);
  const words = (stop < 0 ? rest : rest.slice(0, stop)).trim();
  const title = `${t.title}：${words}`;
  return title.length <= 180 ? title : `${title.slice(0, 179)}…`;
}

const supported = (every: string): every is DutyPeriod => (DUTY_PERIODS as readonly string[]).includes(every);

/**
 * The recurring duties of a breakdown, with each task's departments (one per region for a fanned-out
 * task): a duty starts with the first period on or after its `自…起` (else the plan's issue date, else
 * `today`) and ends with the plan. A bare 定期 names no period: it is left for a person to name one in
 * the breakdown (`recurrence.every`, `assumed: false`), not given one.
 */
export function toDuties(b: Breakdown, today: string): { duties: DutySpecInput[]; review: DutyForReview[] } {
  const until = planEndOf(b);
  const byId = new Map(b.tasks.map((t) => [t.id, t]));
  const duties: DutySpecInput[] = [];
  const review: DutyForReview[] = [];
  for (const spec of toTaskSpecs(b)) {
    const t = byId.get(spec.id)!;
    if (!t.recurrence) continue;
    const from = t.recurrence.from ?? b.plan.issuedOn ?? today;
    const base = {
      plan: spec.plan,
      id: spec.id,
      ...(spec.region ? { region: spec.region } : {}),
      title: dutyTitle(t),
      lead: spec.lead,
      cooperating: spec.cooperating ?? [],
      from: from <= until ? from : until,
      until,
    };
    const every = t.recurrence.every;
    if (t.recurrence.assumed || !supported(every)) {
      review.push({ ...base, text: t.recurrence.text });
      continue;
    }
    duties.push({ ...base, text: spec.text, every, ...(spec.policy ? { policy: spec.policy } : {}) });
  }
  return { duties, review };
}
