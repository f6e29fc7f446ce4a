import { answerableFor, regionsOf, type TaskRecord, type UnitKind } from './assessment';
import { firstPeriod, nextPeriod, occurrenceId, periodZh, type DutyRecord } from './duty';
import { targetText, type IndicatorDef } from './indicators';

/**
 * 目标责任书: what one 镇街 or department undertakes under a plan for one year — the tasks due in it (as lead,
 * cooperating, or as the region they run in), the milestones and recurring duties' periods that fall in it,
 * and the indicator targets of the year it answers for or measures. Pure: its content is what gets signed,
 * so nothing in it moves with a task's progress (status, acknowledgements): only with what is asked.
 */

export type TaskRole = 'lead' | 'cooperating' | 'region';

export interface AgreementContent {
  plan: string;
  year: number;
  unit: string;
  kind: UnitKind;
  tasks: { taskId: string; region?: string; title: string; role: TaskRole; due: string }[];
  milestones: { taskId: string; region?: string; task: string; title: string; due: string }[];
  duties: { dutyId: string; region?: string; title: string; role: TaskRole; period: string; label: string }[];
  indicators: {
    indicator: string;
    name: string;
    region?: string;
    target: string;
    role: 'answerable' | 'measuring';
  }[];
}

export interface AgreementInput {
  plan: string;
  tasks: readonly TaskRecord[];
  duties: readonly DutyRecord[];
  indicators: readonly IndicatorDef[];
}

/** A refusal naming its field; the message is `中文 / English`. */
export interface AgreementRefusal {
  field: 'plan' | 'year' | 'unit' | 'as';
  message: string;
}
export type Checked<T> = { ok: true; value: T } | { ok: false; refusal: AgreementRefusal };
const refuse = (field: AgreementRefusal['field'], zh: string, en: string): Checked<never> => ({
  ok: false,
  refusal: { field, message: `${field}：${zh} / ${field}: ${en}` },
});

const roleOf = (
  unit: string,
  x: { lead: readonly string[]; cooperating: readonly string[]; region?: string | null },
): TaskRole | undefined =>
  x.lead.includes(unit)
    ? 'lead'
    : x.cooperating.includes(unit)
      ? 'cooperating'
      : x.region === unit
        ? 'region'
        : undefined;

/** A duty's periods from its start to the plan's end (as its workflow opens them), those of `year`. */
function periodsIn(d: DutyRecord, year: number) {
  if (!d.every) return [];
  const out = [];
  for (let p = firstPeriod(d.every, d.from); p.end <= d.until && p.start <= `${year}-12-31`;) {
    if (p.start.startsWith(`${year}-`)) out.push(p);
    p = nextPeriod(d.every, p);
  }
  return out;
}

const ofYear = (day: string, year: number) => day.startsWith(`${year}-`);

/** Every unit the plan names, and the years it runs over (first to last date it holds). */
export function planScope(input: AgreementInput): { units: Set<string>; years: [number, number] | null } {
  const units = new Set<string>();
  const days: string[] = [];
  for (const { summary: t, milestones } of input.tasks) {
    if (t.status === 'cancelled') continue;
    [...t.lead, ...t.cooperating, ...(t.region ? [t.region] : [])].forEach((u) => units.add(u));
    days.push(t.assignedAt.slice(0, 10), t.due, ...milestones.map((m) => m.due));
  }
  for (const d of input.duties) {
    [...d.lead, ...d.cooperating, ...(d.region ? [d.region] : [])].forEach((u) => units.add(u));
    days.push(d.from, d.until);
  }
  for (const def of input.indicators) {
    [def.department, ...def.towns, ...def.responsible].forEach((u) => units.add(u));
    days.push(...def.targets.map((t) => `${t.year}-01-01`));
  }
  if (days.length === 0) return { units, years: null };
  days.sort();
  return { units, years: [Number(days[0].slice(0, 4)), Number(days[days.length - 1].slice(0, 4))] };
}

/** Whether the plan names the unit and runs in the year; the first that is wrong is named. */
export function checkAgreementScope(input: AgreementInput, year: number, unit: string): Checked<null> {
  const { units, years } = planScope(input);
  if (!years) return refuse('plan', `方案 ${input.plan} 没有任务`, `plan ${input.plan} has no tasks`);
  if (!Number.isInteger(year) || year < years[0] || year > years[1])
    return refuse(
      'year',
      `方案 ${input.plan} 的年度为 ${years[0]}–${years[1]}，没有 ${year} 年`,
      `plan ${input.plan} runs ${years[0]}–${years[1]}; ${year} is out of range`,
    );
  if (!units.has(unit))
    return refuse(
      'unit',
      `方案 ${input.plan} 没有单位“${unit}”`,
      `plan ${input.plan} names no unit “${unit}”`,
    );
  return { ok: true, value: null };
}

/** The unit's agreement for the year, in the plan's order (tasks by due date and id). */
export function agreementOf(input: AgreementInput, year: number, unit: string): AgreementContent {
  const regions = regionsOf(
    input.tasks.map((t) => t.summary),
    input.indicators,
  );
  for (const d of input.duties) if (d.region) regions.add(d.region);
  // A duty's occurrences are tasks too: listed once, under the duty.
  const occurrences = new Set(
    input.duties.flatMap((d) => periodsIn(d, year).map((p) => occurrenceId(d.id, p))),
  );
  const where = (region: string | undefined) => (region ? { region } : {});

  const tasks: AgreementContent['tasks'] = [];
  const milestones: AgreementContent['milestones'] = [];
  for (const { summary: t, milestones: ms } of input.tasks) {
    if (t.status === 'cancelled') continue;
    const role = roleOf(unit, t);
    if (!role) continue;
    if (ofYear(t.due, year) && !occurrences.has(t.taskId))
      tasks.push({ taskId: t.taskId, ...where(t.region), title: t.title, role, due: t.due });
    for (const m of ms)
      if (ofYear(m.due, year))
        milestones.push({ taskId: t.taskId, ...where(t.region), task: t.title, title: m.title, due: m.due });
  }
  const order = (a: { due: string; taskId: string }, b: { due: string; taskId: string }) =>
    a.due < b.due ? -1 : a.due > b.due ? 1 : a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0;
  tasks.sort(order);
  milestones.sort(order);

  const duties: AgreementContent['duties'] = [];
  for (const d of input.duties) {
    const role = roleOf(unit, d);
    if (!role || !d.every) continue;
    const every = d.every;
    for (const p of periodsIn(d, year))
      duties.push({
        dutyId: d.id,
        ...where(d.region ?? undefined),
        title: d.title,
        role,
        period: periodZh(every, p),
        label: p.label,
      });
  }

  const indicators: AgreementContent['indicators'] = [];
  for (const def of input.indicators) {
    const target = def.targets.find((t) => t.year === year);
    if (!target) continue;
    const text = targetText(target.op, target.value, def.unit);
    const places: (string | undefined)[] = def.regions.length > 0 ? def.regions : [undefined];
    for (const region of places) {
      const role =
        def.department === unit
          ? 'measuring'
          : answerableFor(def, region).includes(unit)
            ? 'answerable'
            : undefined;
      if (role) indicators.push({ indicator: def.id, name: def.name, ...where(region), target: text, role });
    }
  }
  return {
    plan: input.plan,
    year,
    unit,
    kind: regions.has(unit) ? 'region' : 'department',
    tasks,
    milestones,
    duties,
    indicators,
  };
}

export const ROLE_ZH: Record<TaskRole | 'answerable' | 'measuring', string> = {
  lead: '牵头',
  cooperating: '配合',
  region: '属地',
  answerable: '责任',
  measuring: '监测',
};

/** The ledger chain of one unit's agreement for one year. */
export const agreementWorkflowId = (plan: string, year: number, unit: string): string =>
  `agreement/${plan}/${year}/${unit}`;
