import { z } from 'zod';

/** A span of days: `30d` calendar days, `20wd` working days (China's calendar); a bare number is days. */
export interface Span {
  n: number;
  unit: 'd' | 'wd';
}

const parsedSpan = z.object({ n: z.number().int().min(0).max(3650), unit: z.enum(['d', 'wd']) }).strict();
// Accepts its own output too, so a parsed policy can be parsed again (specs travel through several hands).
const span = z
  .union([z.number().int().min(0).max(3650), z.string(), parsedSpan])
  .transform((v, ctx): Span => {
    if (typeof v === 'number') return { n: v, unit: 'd' };
    if (typeof v === 'object') return v;
    const m = /^\s*(\d{1,4})\s*(d|wd)\s*$/.exec(v);
    if (!m) {
      ctx.addIssue({
        code: 'custom',
        message: `"${v}" 不是有效时长 / is not a span: use e.g. 30d (days) or 20wd (working days)`,
      });
      return z.NEVER;
    }
    return { n: Number(m[1]), unit: m[2] as Span['unit'] };
  });

const weight = (what: string) =>
  z
    .number({ error: `${what}应为 0–100 的数 / ${what} must be a number from 0 to 100` })
    .min(0, `${what}不能为负 / ${what} must not be negative`)
    .max(100, `${what}不能超过 100 / ${what} must be at most 100`);

/**
 * 考核 (the yearly assessment): how much on-time completion and indicators met weigh (a unit without one
 * of them is scored on the other alone), and the points each escalation received takes off.
 */
export const AssessmentOverride = z
  .object({
    weights: z
      .object({ onTime: weight('按期办结权重'), indicators: weight('指标权重') })
      .partial()
      .strict(),
    deductions: z
      .object({
        interview: weight('约谈扣分'),
        restriction: weight('限批扣分'),
        accountability: weight('追责扣分'),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type AssessmentOverride = z.input<typeof AssessmentOverride>;

export const ASSESSMENT_DEFAULTS = {
  weights: { onTime: 60, indicators: 40 },
  deductions: { interview: 5, restriction: 10, accountability: 20 },
};

/** The assessment's settings: the defaults with a plan's overrides applied; the weights may not both be 0. */
export const AssessmentPolicy = AssessmentOverride.transform((o) => ({
  weights: { ...ASSESSMENT_DEFAULTS.weights, ...o.weights },
  deductions: { ...ASSESSMENT_DEFAULTS.deductions, ...o.deductions },
})).refine((p) => p.weights.onTime + p.weights.indicators > 0, {
  path: ['weights'],
  message: '权重不能都为 0 / the weights must not both be 0',
});
export type AssessmentPolicy = z.infer<typeof AssessmentPolicy>;

/** The ladder's settings with nothing filled in: what a plan or a task may override. */
export const PolicyOverride = z
  .object({
    /** Local hour (Asia/Shanghai) at which the clock's notices go out. */
    noticeHour: z.number().int().min(0).max(23),
    /** 签收提醒: first reminder to a department that has not acknowledged, then again every `ackReminderEvery`. */
    ackReminderAfter: span,
    ackReminderEvery: span,
    /** Supervisors (and the lead) hear of a department that still has not acknowledged. */
    ackAlertAfter: span,
    /** 预警: calendar days before the due date. */
    warningDaysBefore: z.array(z.number().int().min(1).max(365)),
    /** 约谈: ordered this long after the due date passed. */
    interviewAfterOverdue: span,
    /** 整改期限: from the interview (or its order, until it is recorded). */
    rectificationPeriod: span,
    /** 追责: this long after the rectification due date passed (at once where there is no 限批 scope). */
    accountabilityAfterRectification: span,
    /** Where accountability records are referred. */
    referral: z.string().trim().min(1).max(100),
    /**
     * Who signs the completion: the first lead department (`first-lead`, the default), or every lead
     * department, each submitting or co-signing (会签), and each then answerable in 追责 (`all-leads`).
     * Read from the task's own policy (the importer writes the plan's policy into it).
     */
    completion: z.enum(['first-lead', 'all-leads']),
    /** A recurring duty's occurrence is due this long after its period ends (每季度 … 任务). */
    occurrenceDue: span,
    /**
     * For demonstrations only: a day lasts this many seconds, counted from the task's assignment, and
     * working days are plain days. Unset in real use.
     */
    secondsPerDay: z.number().int().min(1).max(86_400),
    /** 考核's weights: a plan's setting, carried by each of its tasks as the rest of its policy is. */
    assessment: AssessmentOverride,
  })
  .partial()
  .strict();
export type PolicyOverride = z.input<typeof PolicyOverride>;

const DEFAULTS = {
  noticeHour: 9,
  ackReminderAfter: { n: 1, unit: 'wd' } as Span,
  ackReminderEvery: { n: 1, unit: 'wd' } as Span,
  ackAlertAfter: { n: 5, unit: 'wd' } as Span,
  warningDaysBefore: [30, 7, 1],
  interviewAfterOverdue: { n: 30, unit: 'd' } as Span,
  rectificationPeriod: { n: 20, unit: 'wd' } as Span,
  accountabilityAfterRectification: { n: 30, unit: 'd' } as Span,
  referral: '区监察局',
  occurrenceDue: { n: 10, unit: 'wd' } as Span,
  secondsPerDay: undefined as number | undefined,
  assessment: undefined as AssessmentOverride | undefined,
};

/** The escalation ladder's settings: the design's default policy, with overrides applied. */
export const EscalationPolicy = PolicyOverride.transform((o) => ({ ...DEFAULTS, ...o }));
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;
export type EscalationPolicyInput = z.input<typeof EscalationPolicy>;

export const DEFAULT_POLICY: EscalationPolicy = EscalationPolicy.parse({});

/** Later overrides win field by field (plan policy, then the task's own). */
export function resolvePolicy(...layers: (PolicyOverride | undefined)[]): EscalationPolicy {
  return EscalationPolicy.parse(Object.assign({}, ...layers.filter(Boolean)));
}

/** The documented demo policy: the whole ladder in minutes (a day is 5 seconds). */
export const DEMO_POLICY: PolicyOverride = { secondsPerDay: 5 };
