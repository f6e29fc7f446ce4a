import { z } from 'zod';
import { PolicyOverride } from './policy';
import { isIsoDate } from './time';
import { plainText, unitName } from './text';
import { SLUG, slugMessage } from './vocabulary';

// Built on first use. Each workflow runs its own copy of every module it loads, zod's construction of a
// schema included; workflows never parse a task spec, so they never build this one.
function build() {
  const name = unitName;
  const isoDate = z
    .string()
    .refine(isIsoDate, '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD')
    // Only a well-formed date can be out of range; 'soon' is a format error, not also a range error.
    .refine(
      (d) => !isIsoDate(d) || (d >= '2000-01-01' && d <= '2100-12-31'),
      '日期超出范围 / date out of range (2000–2100)',
    );
  const slug = z.string().regex(SLUG, slugMessage());

  /** A dated step of a task (里程碑 / 节点): "2017年底前…" of a task that runs to 2020. */
  const Milestone = z
    .object({
      due: isoDate,
      title: plainText(
        z.string().trim().min(1, '不能为空 / must not be empty').max(200, '过长 / too long (max 200)'),
      ),
    })
    .strict();

  return z
    .object({
      plan: slug,
      id: slug,
      title: plainText(
        z.string().trim().min(1, '不能为空 / must not be empty').max(200, '过长 / too long (max 200)'),
      ),
      text: plainText(z.string().max(10_000, '过长 / too long (max 10000)'), true).default(''),
      lead: z.array(name).min(1, '至少一个牵头单位 / at least one lead department'),
      cooperating: z.array(name).default([]),
      due: isoDate,
      /** Dated steps, earliest first; the last one's date is the task's due date. */
      milestones: z.array(Milestone).max(50, '里程碑过多 / too many milestones (max 50)').optional(),
      region: name.optional(),
      /** 限批 scope: the ladder restricts new-project approvals in this sector of the task's region. */
      restriction: z.object({ sector: name, region: name.optional() }).strict().optional(),
      /** Overrides of the escalation policy for this task only. */
      policy: PolicyOverride.optional(),
      /** The task this one was split from (`duban task split`): its id in the same plan. */
      parent: slug.optional(),
      /**
       * A task opened because something was already missed (an indicator's year target): its 约谈 is ordered
       * as soon as it is assigned, for this reason, not after it falls overdue.
       */
      interviewAtStart: z
        .object({
          reason: plainText(
            z.string().trim().min(1, '不能为空 / must not be empty').max(500, '过长 / too long (max 500)'),
          ),
        })
        .strict()
        .optional(),
    })
    .strict()
    .superRefine((t, ctx) => {
      const seen = new Set<string>();
      for (const [i, d] of [...t.lead, ...t.cooperating].entries()) {
        if (seen.has(d)) {
          const inLead = i < t.lead.length;
          ctx.addIssue({
            code: 'custom',
            path: inLead ? ['lead', i] : ['cooperating', i - t.lead.length],
            message: `单位重复 / department named twice: ${d}`,
          });
        }
        seen.add(d);
      }
      const ms = t.milestones ?? [];
      for (const [i, m] of ms.entries()) {
        if (i > 0 && m.due <= ms[i - 1].due)
          ctx.addIssue({
            code: 'custom',
            path: ['milestones', i, 'due'],
            message: `应晚于上一个里程碑 ${ms[i - 1].due} / must be later than the milestone before (${ms[i - 1].due})`,
          });
      }
      const last = ms.at(-1);
      if (last && last.due !== t.due)
        ctx.addIssue({
          code: 'custom',
          path: ['due'],
          message: `应为最后一个里程碑的日期 ${last.due} / must be the last milestone's date (${last.due})`,
        });
    });
}

let built: ReturnType<typeof build> | undefined;

/** The schema of a task spec: what a supervisor hands out, as the task file or the importer gives it. */
export function taskSpecSchema(): ReturnType<typeof build> {
  return (built ??= build());
}

/** A dated step of a task (里程碑 / 节点): "2017年底前…" of a task that runs to 2020. */
export type Milestone = NonNullable<TaskSpec['milestones']>[number];
/** What a supervisor hands out: one task of a plan. */
export type TaskSpec = z.infer<ReturnType<typeof build>>;
export type TaskSpecInput = z.input<ReturnType<typeof build>>;

export function taskWorkflowId(spec: Pick<TaskSpec, 'plan' | 'id' | 'region'>): string {
  return spec.region ? `task/${spec.plan}/${spec.id}/${spec.region}` : `task/${spec.plan}/${spec.id}`;
}

/** The department that submits completion: the first lead named. */
export function submittingDepartment(spec: Pick<TaskSpec, 'lead'>): string {
  return spec.lead[0];
}

/**
 * The lead departments whose signature completes the task, the submitting department first: only it,
 * or with `completion: all-leads` every lead department.
 */
export function signingLeads(spec: Pick<TaskSpec, 'lead'> & { policy?: { completion?: string } }): string[] {
  return spec.policy?.completion === 'all-leads' ? [...spec.lead] : [submittingDepartment(spec)];
}

/** The region and sector a 限批 would cover, when the task has such a scope. */
export function restrictionScope(spec: TaskSpec): { region: string; sector: string } | undefined {
  const region = spec.restriction?.region ?? spec.region;
  return spec.restriction && region ? { region, sector: spec.restriction.sector } : undefined;
}
