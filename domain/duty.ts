import { z } from 'zod';
import { addWorkingDays, type WorkCalendar } from './calendar';
import { PolicyOverride, type EscalationPolicy } from './policy';
import { addDays, isIsoDate } from './time';
import { plainText, unitName } from './text';
import { SLUG, slugMessage } from './vocabulary';
import type { TaskSpec } from './task-spec';

/**
 * A recurring duty (定期 / 每季度 … 任务): one obligation of the plan that comes round every period. Each
 * period's occurrence is a task of its own (its own due date, ladder, acknowledgement and verification);
 * the duty only opens them, one per period, from its start to the plan's end.
 */

/** The periods a duty can run on; a plan's 每周 is not taken (a weekly ladder of working days makes no sense). */
export const DUTY_PERIODS = ['month', 'quarter', 'half-year', 'year'] as const;
export type DutyPeriod = (typeof DUTY_PERIODS)[number];

export const PERIOD_ZH: Record<DutyPeriod, string> = {
  month: '每月',
  quarter: '每季度',
  'half-year': '每半年',
  year: '每年',
};

const isoDate = z
  .string()
  .refine(isIsoDate, '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD')
  .refine((d) => !isIsoDate(d) || (d >= '2000-01-01' && d <= '2100-12-31'), '日期超出范围 / out of range');
const slug = z.string().regex(SLUG, slugMessage());

export const DutySpec = z
  .object({
    plan: slug,
    /** The plan's task the duty belongs to; each occurrence is `{id}.{period}`, e.g. `2-3-6.2018Q1`. */
    id: z
      .string()
      .regex(SLUG, slugMessage())
      // Leaves room for the period label in the occurrence's task id (at most 64 characters).
      .max(56, '过长 / too long (max 56)'),
    title: plainText(
      z.string().trim().min(1, '不能为空 / must not be empty').max(180, '过长 / too long (max 180)'),
    ),
    text: plainText(z.string().max(10_000, '过长 / too long (max 10000)'), true).default(''),
    lead: z.array(unitName).min(1, '至少一个牵头单位 / at least one lead department'),
    cooperating: z.array(unitName).default([]),
    region: unitName.optional(),
    every: z.enum(DUTY_PERIODS, {
      error: `周期应为 ${DUTY_PERIODS.join(' / ')} / every must be one of ${DUTY_PERIODS.join(', ')}`,
    }),
    /** The first period is the first one that begins on or after this day (自2018年起 -> 2018-01-01). */
    from: isoDate,
    /** The plan's end: the last period is the last one that ends on or before this day. */
    until: isoDate,
    restriction: z.object({ sector: unitName, region: unitName.optional() }).strict().optional(),
    policy: PolicyOverride.optional(),
  })
  .strict()
  .refine((d) => d.from <= d.until, { path: ['until'], message: '结束早于开始 / until is before from' });
export type DutySpec = z.infer<typeof DutySpec>;
export type DutySpecInput = z.input<typeof DutySpec>;

export function dutyWorkflowId(spec: Pick<DutySpec, 'plan' | 'id' | 'region'>): string {
  return spec.region ? `duty/${spec.plan}/${spec.id}/${spec.region}` : `duty/${spec.plan}/${spec.id}`;
}

/** One period of a duty: its label (2018Q1, 2018H2, 2018, 2018M03) and its first and last day. */
export interface Period {
  label: string;
  start: string;
  end: string;
}

const MONTHS: Record<DutyPeriod, number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };
const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function periodAt(every: DutyPeriod, year: number, index: number): Period {
  const span = MONTHS[every];
  const m0 = index * span + 1;
  const m1 = m0 + span - 1;
  const label =
    every === 'year'
      ? `${year}`
      : every === 'half-year'
        ? `${year}H${index + 1}`
        : every === 'quarter'
          ? `${year}Q${index + 1}`
          : `${year}M${pad(index + 1)}`;
  return { label, start: `${year}-${pad(m0)}-01`, end: `${year}-${pad(m1)}-${pad(lastDayOf(year, m1))}` };
}

/** The period `date` falls in. */
export function periodContaining(every: DutyPeriod, date: string): Period {
  const [y, m] = date.split('-').map(Number);
  return periodAt(every, y, Math.floor((m - 1) / MONTHS[every]));
}

/** The period after `p`. */
export function nextPeriod(every: DutyPeriod, p: Period): Period {
  return periodContaining(every, addDays(p.end, 1));
}

/** The period a label names (as `periodLabel` gives it), or undefined. */
export function periodOfLabel(every: DutyPeriod, label: string): Period | undefined {
  const m = /^(\d{4})(?:([QHM])(\d{1,2}))?$/.exec(label);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = m[3] === undefined ? 1 : Number(m[3]);
  const kind = { Q: 'quarter', H: 'half-year', M: 'month' }[m[2] ?? ''] ?? 'year';
  if (kind !== every || n < 1 || n > 12 / MONTHS[every]) return undefined;
  return periodAt(every, year, n - 1);
}

/** The first period of a series: the first that begins on or after `from`. */
export function firstPeriod(every: DutyPeriod, from: string): Period {
  const p = periodContaining(every, from);
  return p.start === from ? p : nextPeriod(every, p);
}

/** When an occurrence is due: the policy's span after its period ends (working days on the calendar). */
export function occurrenceDue(
  cal: WorkCalendar,
  p: Period,
  policy: Pick<EscalationPolicy, 'occurrenceDue'>,
): string {
  const { n, unit } = policy.occurrenceDue;
  return unit === 'wd' ? addWorkingDays(cal, p.end, n).date : addDays(p.end, n);
}

/** The period in words, for the occurrence's title: 2018年第1季度, 2018年上半年, 2018年度, 2018年3月. */
export function periodZh(every: DutyPeriod, p: Period): string {
  const year = p.start.slice(0, 4);
  const m = Number(p.start.slice(5, 7));
  if (every === 'year') return `${year}年度`;
  if (every === 'half-year') return `${year}年${m === 1 ? '上' : '下'}半年`;
  if (every === 'quarter') return `${year}年第${(m + 2) / 3}季度`;
  return `${year}年${m}月`;
}

/** The occurrence's task id: the duty's id and the period, e.g. `2-3-6.2018Q1`. */
export const occurrenceId = (dutyId: string, p: Period): string => `${dutyId}.${p.label}`;

/** The task one period of the duty opens: the duty's departments, due the policy's span after the period. */
export function occurrenceSpec(spec: DutySpec, p: Period, due: string): TaskSpec {
  return {
    plan: spec.plan,
    id: occurrenceId(spec.id, p),
    title: `${spec.title}（${periodZh(spec.every, p)}）`,
    text: spec.text,
    lead: spec.lead,
    cooperating: spec.cooperating,
    due,
    ...(spec.region ? { region: spec.region } : {}),
    ...(spec.restriction ? { restriction: spec.restriction } : {}),
    ...(spec.policy ? { policy: spec.policy } : {}),
  };
}

/**
 * Where a duty's series stands: still opening occurrences, past the plan's end, or not started because
 * the plan says only 定期 and a person has to name the period (`review`).
 */
export type DutyStatus = 'running' | 'ended' | 'review';

/** A duty's current occurrence, as the duty workflow opened it. */
export interface DutyOccurrence {
  /** The occurrence's task id (`2-3-6.2018Q1`) and its workflow id. */
  id: string;
  workflowId: string;
  period: string;
  due: string;
}

/** What the store keeps of a duty (the duty workflow writes it at each period). */
export interface DutyRecord {
  workflowId: string;
  plan: string;
  id: string;
  region: string | null;
  title: string;
  /** null for a duty left for review: the plan says only 定期 and names no period. */
  every: DutyPeriod | null;
  lead: string[];
  cooperating: string[];
  from: string;
  until: string;
  status: DutyStatus;
  current: DutyOccurrence | null;
  /** The next period to open, while the series runs. */
  next: { period: string; opensOn: string } | null;
  updatedAt: string;
}
