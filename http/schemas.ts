import { z } from 'zod';
import {
  ESCALATION_LEVELS,
  SLUG,
  TASK_STATUSES,
  controlMessage,
  forbiddenChar,
  missingOr,
  slugMessage,
} from '../domain';
import { ApiError } from './errors';

// The shapes the API answers with. Response schemas are also an allow-list: what is not named here is not
// sent, which is how the public answers are kept free of names.

const STATUS = z.enum(TASK_STATUSES);
const ESCALATION = z.enum(ESCALATION_LEVELS);

export const TaskSummary = z
  .object({
    workflowId: z.string(),
    plan: z.string(),
    taskId: z.string(),
    region: z.string().optional(),
    title: z.string(),
    lead: z.array(z.string()),
    cooperating: z.array(z.string()),
    status: STATUS,
    due: z.string(),
    milestoneDue: z
      .string()
      .optional()
      .describe('最早一个未报告完成的里程碑日期 / the earliest milestone not yet reported done'),
    escalation: ESCALATION,
    priority: z
      .literal('high')
      .optional()
      .describe('领导批示列为重点督办 / raised to high by a leadership instruction'),
    acknowledged: z.array(z.string()),
    assignedAt: z.string(),
    updatedAt: z.string(),
    seq: z.number().int(),
  })
  .meta({ id: 'TaskSummary' });

/** Why a rung fired or is planned (derived when read, never recorded). */
export const RungWhy = z.object({
  rule: z.string().describe('策略规则 / the policy rule, e.g. warningDaysBefore: 30'),
  calendar: z.string().describe('计日方式与日历 / the days counted and the calendar year'),
  skipped: z.array(z.object({ key: z.string(), rung: z.string(), why: z.string() })),
  text: z.string(),
});

export const LedgerEntry = z
  .object({
    id: z.number().int(),
    workflowId: z.string(),
    seq: z.number().int(),
    type: z.string(),
    at: z.string(),
    /** The event as recorded (for readers who may not see names, without them). */
    event: z.looseObject({ type: z.string(), seq: z.number(), at: z.string() }),
    prevHash: z.string(),
    hash: z.string(),
    why: RungWhy.optional(),
  })
  .meta({ id: 'LedgerEntry' });

export const PlannedRung = z.object({
  at: z.string(),
  rung: z.looseObject({ kind: z.string() }),
  key: z.string(),
  day: z.string(),
  provisional: z.boolean(),
  why: RungWhy.optional(),
});

export const MilestoneItem = z.object({
  due: z.string(),
  title: z.string(),
  status: z.enum(['open', 'reported', 'verified']).describe('未完成 / 待审核 / 已审核'),
});

export const DueChange = z.object({ due: z.string(), at: z.string(), by: z.string(), reason: z.string() });

// The patterns resolveTaskId enforces, here so the OpenAPI document carries them too.
export const TaskParams = z.object({
  plan: z.string().regex(SLUG, slugMessage('方案编号', 'a plan id')).describe('方案编号 / plan id'),
  id: z.string().regex(SLUG, slugMessage('任务编号', 'a task id')).describe('任务编号 / task id'),
});
/** A task fanned out to 镇街: one workflow per region, the region last in its path. */
export const RegionTaskParams = TaskParams.extend({
  region: z.string().min(1).max(100).describe('镇街（分解到镇街的任务） / the 镇街 of a fanned-out task'),
});

/** The URLs of a task, without and with its region, and the params schema of each. */
export const TASK_PATHS = [
  ['/api/tasks/:plan/:id', TaskParams],
  ['/api/tasks/:plan/:id/:region', RegionTaskParams],
] as const;

export const PrincipalSchema = z.object({
  role: z.enum(['supervisor', 'leadership', 'department', 'region', 'public']),
  department: z.string().optional(),
  region: z.string().optional(),
  name: z.string().optional(),
});

/** The error answers a route documents, beside its success. */
export function errors<
  const C extends readonly (400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 429 | 503)[],
>(...codes: C) {
  return Object.fromEntries(codes.map((c) => [c, ApiError])) as { [K in C[number]]: typeof ApiError };
}

export const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD');
export const text = (max = 5000) =>
  z
    .string({
      error: missingOr('应为文字 / must be text'),
    })
    .trim()
    .min(1, '不能为空 / must not be empty')
    .max(max, `过长（最多 ${max} 字） / too long (max ${max})`)
    .superRefine((s, ctx) => {
      const bad = forbiddenChar(s, max > 100);
      if (bad) ctx.addIssue({ code: 'custom', message: controlMessage(bad) });
    });
export const name = text(100);

/** A recurring duty and its current occurrence (services/duties.ts). */
export const Duty = z
  .object({
    plan: z.string(),
    id: z.string(),
    workflowId: z.string(),
    region: z.string().nullable(),
    title: z.string(),
    every: z
      .enum(['month', 'quarter', 'half-year', 'year'])
      .nullable()
      .describe('周期；null：原文只写“定期”，待核定 / the period; null: the plan says only 定期, for review'),
    lead: z.array(z.string()),
    cooperating: z.array(z.string()),
    from: z.string(),
    until: z.string(),
    status: z.enum(['running', 'ended', 'review']),
    current: z
      .object({
        id: z.string(),
        workflowId: z.string(),
        period: z.string().describe('如 2018Q1、2018H2、2018 / e.g. 2018Q1, 2018H2, 2018'),
        due: z.string(),
        status: STATUS,
        escalation: ESCALATION,
      })
      .nullable(),
    next: z.object({ period: z.string(), opensOn: z.string() }).nullable(),
  })
  .meta({ id: 'Duty' });
