import { actorZh as who, type ChangeEvent, type TaskState } from '../domain';
import type { Content } from './mail-templates';

/** The mails of a supervisor's change to a running task (改派, 修改, 增加里程碑, 拆分). */
export function changeContent(
  e: ChangeEvent,
  t: TaskState,
  title: string,
  ref: string,
  variant?: 'released' | 'assigned',
): Content {
  switch (e.type) {
    case 'TaskReassigned':
      if (variant === 'released')
        return {
          headline: `任务改派：${title}（${ref}）你单位不再承办`,
          tone: 'muted',
          lead: `${who(e.by)} 已将本任务改派，你单位不再是本任务的责任单位，无需继续办理。`,
          extra: [
            ['原牵头单位', e.before.lead.join('、')],
            ['原配合单位', e.before.cooperating.join('、') || undefined],
            ['改派理由', e.reason],
          ],
        };
      return {
        headline: `任务交办（改派）：${title}（${ref}）`,
        tone: 'info',
        lead: `${who(e.by)} 已将以下任务改派由你单位办理，请在督办系统中签收，并于 ${t.due} 前完成。`,
        extra: [
          ['任务内容', t.spec.text || undefined],
          ['改派理由', e.reason],
        ],
      };
    case 'TaskEdited':
      return {
        headline: `任务修改：${title}（${ref}）`,
        tone: 'info',
        lead: `${who(e.by)} 修改了本任务，请按修改后的名称和内容办理。`,
        extra: [
          ['原任务名称', e.before.title === e.after.title ? undefined : e.before.title],
          ['任务内容', e.before.text === e.after.text ? undefined : e.after.text || '（无）'],
          ['修改理由', e.reason],
        ],
      };
    case 'MilestoneAdded':
      return {
        headline: `增加里程碑：${title}（${ref}）${e.due} ${e.title}`,
        tone: 'info',
        lead: `${who(e.by)} 为本任务增加了里程碑 ${e.milestone}「${e.title}」，请于 ${e.due} 前完成并报告。`,
        extra: [
          ['里程碑', `${e.milestone}. ${e.due} ${e.title}`],
          ['增加理由', e.reason],
        ],
      };
    case 'TaskSplit':
      return {
        headline: `任务拆分：${title}（${ref}）`,
        tone: 'info',
        lead: `${who(e.by)} 将本任务拆分为子任务，子任务另行交办给其责任单位；本任务仍由督查室审核办结。`,
        extra: [
          [
            '子任务',
            e.subtasks
              .map((s) => `${s.id} ${s.title}（牵头 ${s.lead.join('、')}，截止 ${s.due}）`)
              .join('；'),
          ],
          ['拆分理由', e.reason],
        ],
      };
  }
}
