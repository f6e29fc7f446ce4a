import { addWorkingDays, type WorkCalendar } from './calendar';
import { taskClock } from './clock';
import { resolvePolicy, type EscalationPolicy } from './policy';
import type { TaskSpec } from './task-spec';
import { atLocalHour } from './time';

/**
 * The plan's indicators (主要指标): yearly targets, the department that measures each, and how a value is
 * judged against its year's target. Pure: the store keeps the values, the year-close workflow acts on misses.
 */

/** Water-quality classes, best first (GB 3838): a class target is met by that class or a better one. */
export const WATER_CLASSES = ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', '劣Ⅴ'] as const;
export type WaterClass = (typeof WATER_CLASSES)[number];

/** The unit of a class indicator; its values are classes, not numbers. */
export const CLASS_UNIT = '类';

export type IndicatorOp = '>=' | '>' | '<=' | '<' | 'class';
export type IndicatorValue = number | WaterClass;

export interface IndicatorTargetDef {
  year: number;
  op: IndicatorOp;
  value: IndicatorValue;
  /** The plan's words. */
  text: string;
}

export interface IndicatorDef {
  plan: string;
  id: string;
  name: string;
  /** `%`, `mg/L`, … or `类` for a water-quality class. */
  unit: string;
  /** The department that measures it and alone records its values. */
  department: string;
  /** Where values are recorded one by one (镇街 or river sections); empty: one value for the plan. */
  regions: string[];
  /** Those of `regions` that are 镇街 of the plan: a miss there is that 镇街's to answer for. */
  towns: string[];
  /** The 镇街 that answer for any other miss (a river section's, or the plan's one value). */
  responsible: string[];
  /** 限批 on the responsible 镇街 when a year closes missed, where the plan says so. */
  restriction: { sector: string } | null;
  targets: IndicatorTargetDef[];
}

/** One recorded value (the latest for its year and region wins). */
export interface RecordedValue {
  plan: string;
  indicator: string;
  year: number;
  region: string | null;
  value: IndicatorValue;
  by: string;
  at: string;
  source: 'cli' | 'api' | 'web' | 'csv';
}

/** The ledger chain of an indicator's values. */
export const indicatorWorkflowId = (plan: string, id: string): string => `indicator/${plan}/${id}`;
/** The plan's year-close workflow; its consequences are on its own chain. */
export const indicatorYearWorkflowId = (plan: string): string => `indicators/${plan}`;

const ASCII_CLASS: Record<string, WaterClass> = {
  I: 'Ⅰ',
  II: 'Ⅱ',
  III: 'Ⅲ',
  IV: 'Ⅳ',
  V: 'Ⅴ',
  劣V: '劣Ⅴ',
};

/** `Ⅲ`, `III`, `Ⅲ类`, `劣V类` -> the class; anything else undefined. */
export function waterClassOf(raw: string): WaterClass | undefined {
  const s = raw.trim().replace(/类$/, '').trim();
  if ((WATER_CLASSES as readonly string[]).includes(s)) return s as WaterClass;
  return ASCII_CLASS[s.toUpperCase()];
}

const rankOf = (c: WaterClass) => WATER_CLASSES.indexOf(c);

/** Whether `actual` meets the target: a class target by the same or a better class. */
export function meets(target: Pick<IndicatorTargetDef, 'op' | 'value'>, actual: IndicatorValue): boolean {
  const { op, value } = target;
  if (op === 'class') return rankOf(actual as WaterClass) <= rankOf(value as WaterClass);
  const a = actual as number;
  const t = value as number;
  switch (op) {
    case '>=':
      return a >= t;
    case '>':
      return a > t;
    case '<=':
      return a <= t;
    case '<':
      return a < t;
  }
}

/** A refusal naming the field it is about; the message is `中文 / English`. */
export interface IndicatorRefusal {
  field: 'plan' | 'indicator' | 'year' | 'region' | 'value' | 'as';
  message: string;
}
export type Checked<T> = { ok: true; value: T } | { ok: false; refusal: IndicatorRefusal };
const refuse = (field: IndicatorRefusal['field'], zh: string, en: string): Checked<never> => ({
  ok: false,
  refusal: { field, message: `${field}：${zh} / ${field}: ${en}` },
});

const NUMBER = /^([+-]?\d+(?:\.\d+)?)\s*(.*)$/;
const sameUnit = (a: string, b: string) =>
  a.replace(/％/g, '%').replace(/\s/g, '').toLowerCase() ===
  b.replace(/％/g, '%').replace(/\s/g, '').toLowerCase();

/** A value as typed (`45`, `45%`, `Ⅲ类`) for this indicator: its unit, and a range that makes sense for it. */
export function parseIndicatorValue(def: IndicatorDef, raw: string): Checked<IndicatorValue> {
  const text = raw.trim();
  if (def.unit === CLASS_UNIT) {
    const c = waterClassOf(text);
    return c
      ? { ok: true, value: c }
      : refuse(
          'value',
          `“${text}”不是水质类别（Ⅰ、Ⅱ、Ⅲ、Ⅳ、Ⅴ、劣Ⅴ）`,
          `“${text}” is not a water-quality class (Ⅰ, Ⅱ, Ⅲ, Ⅳ, Ⅴ, 劣Ⅴ)`,
        );
  }
  const m = NUMBER.exec(text);
  if (!m) return refuse('value', `应为数字（单位 ${def.unit}）`, `must be a number (in ${def.unit})`);
  const unit = m[2].trim();
  if (unit !== '' && !sameUnit(unit, def.unit))
    return refuse('value', `单位应为 ${def.unit}，不是 ${unit}`, `the unit must be ${def.unit}, not ${unit}`);
  const n = Number(m[1]);
  if (def.unit === '%' && (n < 0 || n > 100))
    return refuse(
      'value',
      `百分比应在 0–100 之间，不是 ${n}`,
      `a percentage must be between 0 and 100, not ${n}`,
    );
  if (n < 0) return refuse('value', `不能为负数：${n}`, `must not be negative: ${n}`);
  return { ok: true, value: n };
}

export interface ValueInput {
  indicator: string;
  year: number;
  region?: string;
  value: string;
  /** Who records it: a department's name. */
  as: string;
}

/** Everything a recording must get right before anything is written, the first wrong field named. */
export function checkValue(
  plan: string,
  defs: readonly IndicatorDef[],
  input: ValueInput,
): Checked<{ def: IndicatorDef; year: number; region: string | null; value: IndicatorValue }> {
  const def = defs.find((d) => d.id === input.indicator);
  if (!def)
    return refuse(
      'indicator',
      `方案 ${plan} 没有指标 ${input.indicator}（有：${defs.map((d) => d.id).join('、') || '无'}）`,
      `plan ${plan} has no indicator ${input.indicator} (it has: ${defs.map((d) => d.id).join(', ') || 'none'})`,
    );
  const years = def.targets.map((t) => t.year);
  if (!Number.isInteger(input.year) || !years.includes(input.year))
    return refuse(
      'year',
      `指标 ${def.id} 没有 ${input.year} 年的目标（有：${years.join('、')}）`,
      `indicator ${def.id} has no target for ${input.year} (it has: ${years.join(', ')})`,
    );
  const region = input.region?.trim() || null;
  if (def.regions.length > 0 && (region === null || !def.regions.includes(region)))
    return refuse(
      'region',
      region === null
        ? `指标 ${def.id} 按区域录入，请写明（${def.regions.join('、')}）`
        : `指标 ${def.id} 没有区域“${region}”（有：${def.regions.join('、')}）`,
      region === null
        ? `indicator ${def.id} is recorded per region: name one (${def.regions.join(', ')})`
        : `indicator ${def.id} has no region “${region}” (it has: ${def.regions.join(', ')})`,
    );
  if (def.regions.length === 0 && region !== null)
    return refuse(
      'region',
      `指标 ${def.id} 不分区域，不能写“${region}”`,
      `indicator ${def.id} is not recorded per region: leave out “${region}”`,
    );
  if (input.as !== def.department)
    return refuse(
      'as',
      `指标 ${def.id} 由 ${def.department} 监测，${input.as} 不能录入`,
      `indicator ${def.id} is measured by ${def.department}; ${input.as} may not record it`,
    );
  const v = parseIndicatorValue(def, input.value);
  if (!v.ok) return v;
  return { ok: true, value: { def, year: input.year, region, value: v.value } };
}

/** The latest value per year and region. */
const keyOf = (year: number, region: string | null) => `${year}\n${region ?? ''}`;
function latest(values: readonly RecordedValue[]): Map<string, RecordedValue> {
  const out = new Map<string, RecordedValue>();
  for (const v of values) out.set(keyOf(v.year, v.region), v); // in recording order: the last wins
  return out;
}

export interface JudgedTarget {
  year: number;
  region?: string;
  op: IndicatorOp;
  value: IndicatorValue;
  actual: IndicatorValue | null;
  /** null while no value is recorded. */
  met: boolean | null;
}

export interface IndicatorStatus {
  id: string;
  name: string;
  unit: string;
  department: string;
  targets: JudgedTarget[];
}

/** Each year's target (per region where it has them) with its latest value, judged. */
export function indicatorStatus(def: IndicatorDef, values: readonly RecordedValue[]): IndicatorStatus {
  const byKey = latest(values.filter((v) => v.indicator === def.id));
  const regions: (string | null)[] = def.regions.length > 0 ? def.regions : [null];
  const targets = def.targets.flatMap((t) =>
    regions.map((region): JudgedTarget => {
      const v = byKey.get(keyOf(t.year, region));
      return {
        year: t.year,
        ...(region !== null ? { region } : {}),
        op: t.op,
        value: t.value,
        actual: v?.value ?? null,
        met: v ? meets(t, v.value) : null,
      };
    }),
  );
  return { id: def.id, name: def.name, unit: def.unit, department: def.department, targets };
}

/** A target that a closed year missed (or that no value was recorded for). */
export interface YearMiss {
  indicator: string;
  name: string;
  unit: string;
  year: number;
  region: string | null;
  op: IndicatorOp;
  target: IndicatorValue;
  actual: IndicatorValue | null;
  department: string;
  /** The 镇街 whose heads are interviewed (约谈). */
  regions: string[];
  /** 限批 on those 镇街, where the plan says so. */
  restriction: { sector: string } | null;
}

/** The year's targets: those missed, and those no value was recorded for (the department's own failure). */
export function judgeYear(
  defs: readonly IndicatorDef[],
  values: readonly RecordedValue[],
  year: number,
): { judged: number; missed: YearMiss[]; unreported: YearMiss[] } {
  const missed: YearMiss[] = [];
  const unreported: YearMiss[] = [];
  let judged = 0;
  for (const def of defs) {
    const target = def.targets.find((t) => t.year === year);
    if (!target) continue;
    for (const t of indicatorStatus(def, values).targets.filter((x) => x.year === year)) {
      judged += 1;
      if (t.met === true) continue;
      const region = t.region ?? null;
      const answerable = region !== null && def.towns.includes(region) ? [region] : def.responsible;
      const miss: YearMiss = {
        indicator: def.id,
        name: def.name,
        unit: def.unit,
        year,
        region,
        op: t.op,
        target: t.value,
        actual: t.actual,
        department: def.department,
        regions: t.met === null ? [] : answerable,
        restriction: t.met === null ? null : def.restriction,
      };
      (t.met === null ? unreported : missed).push(miss);
    }
  }
  return { judged, missed, unreported };
}

/** When year `year` closes: 09:00 on the first working day of the next year (元旦 and its 调休 skipped). */
export function yearCloseAt(cal: WorkCalendar, year: number): string {
  return atLocalHour(addWorkingDays(cal, `${year + 1}-01-01`, 0).date, 9);
}

const OP_ZH: Record<IndicatorOp, string> = {
  '>=': '≥',
  '>': '>',
  '<=': '≤',
  '<': '<',
  class: '达到或优于',
};

/** `≥ 50%`, `达到或优于 Ⅲ类`. */
export function targetText(op: IndicatorOp, value: IndicatorValue, unit: string): string {
  return op === 'class' ? `${OP_ZH[op]} ${value}${CLASS_UNIT}` : `${OP_ZH[op]} ${value}${unit}`;
}

/** `45%`, `Ⅳ类`, `未报送`. */
export function actualText(actual: IndicatorValue | null, unit: string): string {
  if (actual === null) return '未报送 / not reported';
  return `${actual}${unit}`;
}

/** A short, stable tag of a river section for a task id (ids are ASCII; sections are named in Chinese). */
function tagOf(s: string): string {
  let h = 0x811c9dc5;
  for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * The rectification tasks (整改) a missed target opens on the plan: one per responsible 镇街, led by it with
 * the measuring department cooperating (the department alone when the plan names no 镇街), due after the
 * policy's rectification period from the close, and with its 约谈 ordered at once — so it is scheduled,
 * recorded and followed on the task's own ladder. No 限批 scope: the year close imposes that itself.
 */
export function rectificationSpecs(
  plan: string,
  m: YearMiss,
  cal: WorkCalendar,
  closedAt: string,
  policy: EscalationPolicy = resolvePolicy(),
): TaskSpec[] {
  const clock = taskClock(closedAt, policy, cal);
  const due = clock.plus(clock.today(closedAt), policy.rectificationPeriod).date;
  const where = m.region ? `（${m.region}）` : '';
  const reason = `${m.year} 年度指标“${m.name}”${where}目标为 ${targetText(m.op, m.target, m.unit)}，实际为 ${actualText(m.actual, m.unit)}，未完成年度目标`;
  // A river section's miss names its section in the id: one 镇街 may answer for several sections.
  const suffix = m.region && !m.regions.includes(m.region) ? `-${tagOf(m.region)}` : '';
  const prefix = `rectify-${m.year}-`;
  const id = `${prefix}${m.indicator.slice(0, 64 - prefix.length - suffix.length)}${suffix}`;
  const base = {
    plan,
    id,
    title: `${m.year}年度指标「${m.name}」${where}未达标整改`,
    text: `${reason}。依照方案约谈责任单位负责人，限期整改。`,
    due,
    interviewAtStart: { reason },
  };
  if (m.regions.length === 0) return [{ ...base, lead: [m.department], cooperating: [] }];
  return m.regions.map((region) => ({
    ...base,
    lead: [region],
    cooperating: region === m.department ? [] : [m.department],
    region,
  }));
}
