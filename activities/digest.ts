import { ESCALATION_ZH, SEVERE_LEVELS, escapeHtml, isOpen, isOverdue, type TaskSummary } from '../domain';
import type { Store } from '../store';
import { deliverOnce, type DeliveryDeps } from './deliver';
import { resolveAudience, type Directory } from '../directory/directory';
import type { RenderedMail } from './mail-templates';

/** Overdue tasks (the one rule) and open ones up the ladder: what leadership should hear of each morning. */
export function digestItems(tasks: TaskSummary[], today: string): TaskSummary[] {
  return tasks.filter(
    (t) =>
      isOverdue(t, today) ||
      (isOpen(t) && (t.escalation === 'overdue' || SEVERE_LEVELS.includes(t.escalation))),
  );
}

export function renderDigest(items: TaskSummary[], today: string): RenderedMail {
  const line = (t: TaskSummary) =>
    `${t.plan}/${t.taskId}${t.region ? `/${t.region}` : ''}  ${t.title}  牵头：${t.lead.join('、')}  期限：${t.due}  ${ESCALATION_ZH[t.escalation]}`;
  const subject = `【督办】每日督办摘要（${today}）：逾期及升级任务 ${items.length} 项`;
  const lead = `截至 ${today}，以下 ${items.length} 项任务已逾期或已升级（约谈、限批、追责），请关注。`;
  const text = [
    lead,
    '',
    ...items.map(line),
    '',
    '——',
    '本邮件由督办系统每日自动发送；无逾期或升级任务时不发送。',
    '',
  ].join('\n');
  const rows = items.map((t) => `<li>${escapeHtml(line(t))}</li>`).join('\n');
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px"><p>${escapeHtml(lead)}</p><ul>
${rows}
</ul></body></html>
`;
  return { subject, text, html };
}

export function createDigestActivities({
  store,
  mailer,
  directory,
}: DeliveryDeps & { store: Pick<Store, 'listTasks'>; directory: Directory }) {
  return {
    /** Mails leadership the day's digest, once per day, and only when there is something to say. */
    async sendDigest({ day }: { day: string }): Promise<{ items: number; sent: boolean }> {
      const items = digestItems(await store.listTasks({}), day);
      if (items.length === 0) return { items: 0, sent: false };
      const to = resolveAudience(directory, [{ role: 'leadership' }, { role: 'supervisors' }]);
      const r = await deliverOnce(
        { store, mailer },
        { workflowId: 'digest', key: day, to, mail: renderDigest(items, day) },
      );
      return { items: items.length, sent: r.status === 'sent' };
    },
  };
}
