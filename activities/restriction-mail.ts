import { SUPERVISOR, dayOf, type RestrictionNotice } from '../domain';
import { renderFieldMail } from './field-mail';
import type { RenderedMail } from './mail-templates';

const who = (by: string) => (by === SUPERVISOR ? '督查室' : by);

/** The leadership mail for a supervisor's impose or lift: Chinese, every value escaped. */
export function renderRestrictionNotice({ events }: RestrictionNotice): RenderedMail {
  const first = events[0];
  const imposed = first.type === 'RestrictionImposed';
  const sectors = [...new Set(events.map((e) => e.sector))].join('、');
  const tasks = events.flatMap((e) => (e.taskWorkflowId ? [e.taskWorkflowId] : []));
  const headline = `${imposed ? '限批' : '解除限批'}：${first.region} ${sectors} 行业`;
  const lead = imposed
    ? `${who(first.by)}决定：自 ${dayOf(first.at)} 起，${first.region} ${sectors} 行业新建项目暂停审批（限批），直至解除。`
    : `${who(first.by)}决定：自 ${dayOf(first.at)} 起，解除 ${first.region} ${sectors} 行业的限批。`;
  const fields: [string, string][] = [
    ['镇街', first.region],
    ['行业', sectors],
    [imposed ? '限批理由' : '解除理由', first.reason],
    ['决定', who(first.by)],
    ['日期', dayOf(first.at)],
    ...(tasks.length > 0 ? [['相关任务', tasks.join('、')] as [string, string]] : []),
  ];
  return renderFieldMail({ headline, lead, fields, accent: imposed ? '#c62828' : '#2e7d32' });
}
