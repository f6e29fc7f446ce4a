import { z } from 'zod';
import { ESCALATION_LEVELS, SLUG, TASK_STATUSES, oneOf, slugMessage, type TaskSummary } from '../domain';
import type { Store } from '../store';

// The task list as the API (and anything else that pages) asks for it; the rules of a filter in one place.

export const MAX_PAGE_SIZE = 200;

const one = (what: string) => `应为一个${what} / must be one ${what === '方案编号' ? 'plan id' : 'value'}`;
const name = (zh: string) =>
  z
    .string({ error: one(zh) })
    .trim()
    .min(1, '不能为空 / must not be empty')
    .max(100, '过长 / too long (max 100)');
const whole = (min: number, max: number) =>
  z.coerce
    .number({ error: '应为整数 / must be a whole number' })
    .int('应为整数 / must be a whole number')
    .min(min, `不能小于 ${min} / must be at least ${min}`)
    .max(max, `不能大于 ${max} / must be at most ${max}`);

export const TaskSearchQuery = z
  .object({
    plan: z
      .string({ error: one('方案编号') })
      .regex(SLUG, slugMessage('方案编号', 'a plan id'))
      .optional(),
    department: name('单位').optional().describe('牵头或配合单位 / lead or cooperating department'),
    region: name('镇街').optional(),
    status: z.enum(TASK_STATUSES, { error: oneOf('状态', 'status', TASK_STATUSES) }).optional(),
    overdue: z
      .enum(['true', 'false'], { error: 'overdue 应为 true 或 false / overdue must be true or false' })
      .optional()
      .describe('true: 已过截止日期且未提交办结 / past the due date and not submitted'),
    escalation: z
      .enum(ESCALATION_LEVELS, { error: oneOf('升级级别', 'escalation', ESCALATION_LEVELS) })
      .optional(),
    q: name('关键词').optional().describe('标题包含 / part of the title'),
    page: whole(1, 100_000).default(1),
    pageSize: whole(1, MAX_PAGE_SIZE).default(50),
  })
  .strict();
export type TaskSearchQuery = z.output<typeof TaskSearchQuery>;

export interface TaskPage {
  total: number;
  page: number;
  pageSize: number;
  tasks: TaskSummary[];
}

/** `today` (YYYY-MM-DD, Asia/Shanghai) decides what is overdue. */
export async function searchTasks(
  store: Pick<Store, 'searchTasks'>,
  q: TaskSearchQuery,
  today: string,
): Promise<TaskPage> {
  const { total, tasks } = await store.searchTasks({
    plan: q.plan,
    department: q.department,
    region: q.region,
    status: q.status,
    escalation: q.escalation,
    text: q.q,
    ...(q.overdue ? { overdue: { today, is: q.overdue === 'true' } } : {}),
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { total, page: q.page, pageSize: q.pageSize, tasks };
}
