import { z } from 'zod';

/** The escalation ladder's settings; every number can be overridden per plan and per task. */
export const EscalationPolicy = z
  .object({
    /** Due-soon warnings (预警), calendar days before the due date. */
    warningDaysBefore: z.array(z.number().int().min(1).max(365)).default([30, 7, 1]),
    /** Local hour (Asia/Shanghai) at which the clock's notices go out. */
    noticeHour: z.number().int().min(0).max(23).default(9),
  })
  .strict();
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;
export type EscalationPolicyInput = z.input<typeof EscalationPolicy>;

export const DEFAULT_POLICY: EscalationPolicy = EscalationPolicy.parse({});
