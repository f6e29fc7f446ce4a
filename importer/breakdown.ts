import { z } from 'zod';
import { isIsoDate } from '../domain/time';
import { plainText, unitName } from '../domain/text';
import { SLUG, slugMessage } from '../domain/vocabulary';
import { WATER_CLASSES } from '../domain/indicators';

/**
 * The task breakdown (任务分解表): what `duban plan import` proposes and the supervisor edits.
 * The JSON shape is documented in importer/README.md; fields are only ever added, never renamed.
 * Defaults let a supervisor delete empty fields while editing without breaking the file.
 */

const slug = z.string().regex(SLUG, slugMessage());
const isoDate = z
  .string()
  .refine(isIsoDate, '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD')
  .refine((d) => !isIsoDate(d) || (d >= '2000-01-01' && d <= '2100-12-31'), '日期超出范围 / out of range');
const text = plainText(z.string().trim().min(1, '不能为空 / must not be empty'));
/** Departments, regions and sectors: the domain's one name rule (they end up in workflow ids and URLs). */
const names = z.array(unitName);

export const DeadlineKind = z.enum(['by', 'from', 'target']);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

export const Deadline = z
  .object({
    /** by: the last day; from: the first day; target: the end of the target period. */
    date: isoDate,
    kind: DeadlineKind,
    /** The words in the plan, e.g. `2017年底前`. */
    text: z.string(),
  })
  .strict();
export type Deadline = z.infer<typeof Deadline>;

export const Every = z.enum(['week', 'month', 'quarter', 'half-year', 'year']);
export type Every = z.infer<typeof Every>;

export const Recurrence = z
  .object({
    every: Every,
    from: isoDate.nullable().default(null),
    text: z.string(),
    /** True when the plan says only 定期 (regularly) and the interval is the importer's assumption. */
    assumed: z.boolean().default(false),
  })
  .strict();
export type Recurrence = z.infer<typeof Recurrence>;

/** `+>=`: increase by at least; `->=`: decrease by at least (提高/削减 … 个百分点以上). */
export const Op = z.enum(['>=', '>', '<=', '<', '=', '+>=', '->=']);
export type Op = z.infer<typeof Op>;

export const Target = z
  .object({
    name: z.string(),
    op: Op,
    value: z.number(),
    unit: z.string(),
    year: z.number().int().nullable().default(null),
    text: z.string(),
  })
  .strict();
export type Target = z.infer<typeof Target>;

/** One year of an indicator; a qualitative one (稳中趋好) has no op, value or unit. */
export const IndicatorTarget = z
  .object({
    year: z.number().int(),
    op: Op.nullable(),
    value: z.number().nullable(),
    unit: z.string().nullable(),
    text: z.string(),
    /** A water-quality class to reach (达到或优于): met by that class or a better one; op and value unused. */
    class: z.enum(WATER_CLASSES).optional(),
  })
  .strict();
export type IndicatorTarget = z.infer<typeof IndicatorTarget>;

/**
 * An indicator is tracked (values recorded, years closed) once the supervisor gives it an `id` and the
 * `department` that measures it; `regions` where values are per 镇街 or river section, `responsible` the 镇街
 * that answer for a river section's miss, `restriction` the 限批 a missed year brings where the plan says so.
 */
export const Indicator = z
  .object({
    name: text,
    targets: z.array(IndicatorTarget),
    id: slug.optional(),
    department: unitName.optional(),
    regions: names.optional(),
    responsible: names.optional(),
    restriction: z.object({ sector: unitName }).strict().nullable().optional(),
  })
  .strict();
export type Indicator = z.infer<typeof Indicator>;

export const Restriction = z
  .object({
    /** The sector whose new projects are not approved (涉水, 相关行业 …). */
    sector: unitName,
    /** For a task that does not fan out: the region the 限批 would cover. */
    region: unitName.optional(),
    text: z.string().default(''),
  })
  .strict();
export type Restriction = z.infer<typeof Restriction>;

/** How `due` was chosen; see importer/README.md. `manual` is for a due date the supervisor set. */
export const DueRule = z.enum(['deadline', 'last-deadline', 'plan-end', 'manual']);
export type DueRule = z.infer<typeof DueRule>;

export const BreakdownTask = z
  .object({
    id: slug,
    section: z.string().default(''),
    title: plainText(
      z.string().trim().min(1, '不能为空 / must not be empty').max(200, '过长 / too long (max 200)'),
    ),
    text: plainText(z.string().max(10_000, '过长 / too long (max 10000)'), true).default(''),
    lead: names.min(1, '至少一个牵头单位 / at least one lead department'),
    cooperating: names.default([]),
    /** The due date the task's workflow runs to. */
    due: isoDate,
    dueRule: DueRule.default('manual'),
    deadlines: z.array(Deadline).default([]),
    recurrence: Recurrence.nullable().default(null),
    targets: z.array(Target).default([]),
    /** Non-empty: the task is started once per region (镇街). */
    regions: names.default([]),
    restriction: Restriction.nullable().default(null),
    /** Escalation policy overrides for this task, passed to the workflow as they are. */
    policy: z.record(z.string(), z.unknown()).optional(),
    source: z
      .object({ line: z.number().int().positive(), clauseLine: z.number().int().positive() })
      .strict()
      .optional(),
  })
  .strict();
export type BreakdownTask = z.infer<typeof BreakdownTask>;

export const Department = z.object({ name: unitName, aliases: names.default([]) }).strict();
export type Department = z.infer<typeof Department>;

export const PlanWarning = z
  .object({ line: z.number().int().positive().nullable(), message: z.string() })
  .strict();
export type PlanWarning = z.infer<typeof PlanWarning>;

export const Breakdown = z
  .object({
    plan: z
      .object({
        id: slug,
        title: text,
        issuer: z.string().nullable().default(null),
        issuedOn: isoDate.nullable().default(null),
        regions: names.default([]),
        /** Escalation policy overrides for every task of the plan; a task's own `policy` wins. */
        policy: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    departments: z.array(Department).default([]),
    tasks: z.array(BreakdownTask).min(1, '没有任务 / no tasks'),
    indicators: z.array(Indicator).default([]),
    warnings: z.array(PlanWarning).default([]),
  })
  .strict();
export type Breakdown = z.infer<typeof Breakdown>;
