import type { AccountabilityRecord } from './accountability';
import { indicatorStatus, type IndicatorDef, type RecordedValue } from './indicators';
import type { AssessmentPolicy, PolicyOverride } from './policy';
import type { ActiveRestriction } from './restriction';
import type { TaskEvent } from './task-events';
import type { TaskSummary } from './task-summary';
import { dayOf } from './time';

/**
 * 考核: every 镇街 and department of a plan scored for one year, from on-time completion of the tasks it
 * leads that fell due in the year, the indicator targets of the year it answers for, and the escalations
 * (约谈, 限批, 追责) it received in the year. Pure: services/ gathers the records, this judges them.
 */

export type UnitKind = 'region' | 'department';

/** What the ledger says of one task, beside its projection. */
export interface TaskRecord {
  summary: TaskSummary;
  /** Dated steps, earliest first. */
  milestones: { due: string; title: string }[];
  /** The day of the last submission not sent back. */
  submitted?: string;
  /** The days (Asia/Shanghai) a 约谈 was ordered on it. */
  interviews: string[];
  /** The task's policy as assigned (the plan's, with the task's own overrides). */
  policy?: PolicyOverride;
}

/** The task's record from its ledger (oldest first). */
export function taskRecordOf(summary: TaskSummary, events: readonly TaskEvent[]): TaskRecord {
  const r: TaskRecord = { summary, milestones: [], interviews: [] };
  for (const e of events) {
    if (e.type === 'TaskAssigned') {
      r.milestones = (e.spec.milestones ?? []).map((m) => ({ due: m.due, title: m.title }));
      if (e.spec.policy) r.policy = e.spec.policy;
    }
    if (e.type === 'CompletionSubmitted') r.submitted = dayOf(e.at);
    if (e.type === 'CompletionRejected') delete r.submitted;
    if (e.type === 'InterviewOrdered') r.interviews.push(dayOf(e.at));
  }
  return r;
}

export type OnTime = 'onTime' | 'late' | 'pending';

/**
 * The one on-time rule (the dashboard's rates use it too): done on time when submitted, and then verified,
 * by the due date in force; late when verified after it, or still open past it; pending while not yet due.
 * A cancelled task does not count (undefined).
 */
export function onTimeOf(
  t: Pick<TaskSummary, 'status' | 'due' | 'updatedAt'>,
  submitted: string | undefined,
  today: string,
): OnTime | undefined {
  if (t.status === 'cancelled') return undefined;
  if (t.status === 'completed') return (submitted ?? dayOf(t.updatedAt)) <= t.due ? 'onTime' : 'late';
  return t.due < today ? 'late' : 'pending';
}

/** The 镇街 of a plan: the regions its tasks run in and its indicators hold to account. */
export function regionsOf(tasks: readonly Pick<TaskSummary, 'region'>[], defs: readonly IndicatorDef[]) {
  const out = new Set<string>();
  for (const t of tasks) if (t.region) out.add(t.region);
  for (const d of defs) for (const r of [...d.towns, ...d.responsible]) out.add(r);
  return out;
}

/**
 * The units that answer for a target of the year: a 镇街's own value is that 镇街's, any other (a river
 * section's, the plan's one value) the responsible 镇街'; the measuring department answers for every one.
 */
export function answerableFor(def: IndicatorDef, region: string | undefined): string[] {
  return region !== undefined && def.towns.includes(region) ? [region] : def.responsible;
}

export interface AssessmentInput {
  plan: string;
  year: number;
  /** Tasks not yet due by today are pending, not late. */
  today: string;
  tasks: readonly TaskRecord[];
  indicators: readonly IndicatorDef[];
  values: readonly RecordedValue[];
  restrictions: readonly Pick<ActiveRestriction, 'region' | 'since' | 'taskWorkflowId'>[];
  accountability: readonly Pick<AccountabilityRecord, 'person' | 'plan' | 'taskWorkflowId' | 'rung' | 'at'>[];
  policy: AssessmentPolicy;
}

export interface UnitAssessment {
  /** Position in the ranking, from 1. */
  rank: number;
  unit: string;
  kind: UnitKind;
  /** 0–100: the parts added up (never below 0). */
  score: number;
  /** Points: on-time and indicators share the weights (null: nothing of it this year), escalations take off. */
  parts: { onTime: number | null; indicators: number | null; escalations: number };
  /** What the parts were counted from. */
  counts: {
    due: number;
    onTime: number;
    late: number;
    pending: number;
    targets: number;
    met: number;
    interviews: number;
    restrictions: number;
    accountability: number;
  };
}

export interface Assessment {
  plan: string;
  year: number;
  /** The day the open tasks were judged on. */
  asOf: string;
  policy: AssessmentPolicy;
  ranking: UnitAssessment[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const inYear = (day: string, year: number) => day.startsWith(`${year}-`);
const ofPlan = (plan: string, workflowId: string | undefined) =>
  workflowId !== undefined &&
  (workflowId.startsWith(`task/${plan}/`) || workflowId.startsWith(`indicator/${plan}/`));

type Counts = UnitAssessment['counts'];
const zero = (): Counts => ({
  due: 0,
  onTime: 0,
  late: 0,
  pending: 0,
  targets: 0,
  met: 0,
  interviews: 0,
  restrictions: 0,
  accountability: 0,
});

/** Scores every unit with something to answer for in the year; ties in score go by the unit's name. */
export function assess(input: AssessmentInput): Assessment {
  const { plan, year, today, policy } = input;
  const by = new Map<string, Counts>();
  const of = (unit: string) => {
    let c = by.get(unit);
    if (!c) by.set(unit, (c = zero()));
    return c;
  };

  for (const t of input.tasks) {
    const s = t.summary;
    if (inYear(s.due, year)) {
      const judged = onTimeOf(s, t.submitted, today);
      if (judged)
        for (const unit of s.lead) {
          const c = of(unit);
          if (judged !== 'pending') c.due += 1;
          c[judged] += 1;
        }
    }
    const interviews = t.interviews.filter((d) => inYear(d, year)).length;
    if (interviews > 0) for (const unit of s.lead) of(unit).interviews += interviews;
  }

  for (const def of input.indicators) {
    const status = indicatorStatus(def, input.values);
    for (const target of status.targets.filter((x) => x.year === year)) {
      // A value never reported is the measuring department's failure, not the 镇街'.
      const m = of(def.department);
      m.targets += 1;
      if (target.met === true) m.met += 1;
      if (target.met === null) continue;
      for (const unit of answerableFor(def, target.region)) {
        if (unit === def.department) continue;
        const c = of(unit);
        c.targets += 1;
        if (target.met) c.met += 1;
      }
    }
  }

  for (const r of input.restrictions)
    if (ofPlan(plan, r.taskWorkflowId) && inYear(dayOf(r.since), year)) of(r.region).restrictions += 1;

  // One record per person: a firing that names two people of one department counts once for it.
  const fired = new Set<string>();
  for (const a of input.accountability) {
    const key = `${a.person.department}\n${a.taskWorkflowId}\n${a.rung}`;
    if (a.plan !== plan || !inYear(dayOf(a.at), year) || fired.has(key)) continue;
    fired.add(key);
    of(a.person.department).accountability += 1;
  }

  const regions = regionsOf(
    input.tasks.map((t) => t.summary),
    input.indicators,
  );
  const { weights: w, deductions: d } = policy;
  const scored = [...by].map(([unit, c]): UnitAssessment => {
    const onTimeRate = c.due > 0 ? c.onTime / c.due : null;
    const metRate = c.targets > 0 ? c.met / c.targets : null;
    const total = (onTimeRate === null ? 0 : w.onTime) + (metRate === null ? 0 : w.indicators);
    // Nothing judged this year: the whole score stands, less what was escalated.
    const share = (weight: number, rate: number | null) =>
      rate === null ? null : total === 0 ? 0 : round2((100 * weight * rate) / total);
    const onTime = share(w.onTime, onTimeRate);
    const indicators = share(w.indicators, metRate);
    const deducted = round2(
      c.interviews * d.interview + c.restrictions * d.restriction + c.accountability * d.accountability,
    );
    const escalations = deducted === 0 ? 0 : -deducted;
    const base = onTime === null && indicators === null ? 100 : (onTime ?? 0) + (indicators ?? 0);
    return {
      rank: 0,
      unit,
      kind: regions.has(unit) ? 'region' : 'department',
      score: Math.max(0, round2(base + escalations)),
      parts: { onTime, indicators, escalations },
      counts: c,
    };
  });
  // Code-point order, so the tie order is the same on every machine and locale.
  scored.sort((a, b) => b.score - a.score || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  scored.forEach((u, i) => (u.rank = i + 1));
  return { plan, year, asOf: today, policy, ranking: scored };
}
