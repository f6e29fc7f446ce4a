import {
  actorZh as who,
  escapeHtml,
  type Notice,
  type RenderedMail,
  type TaskEvent,
  type TaskState,
} from '../domain';

import { changeContent } from './change-mail';

export type { RenderedMail } from '../domain';

// Control characters are exactly what must go, so the rule against matching them does not apply here.
// eslint-disable-next-line no-control-regex
const BREAKS = /[\r\n\u0000-\u001f\u007f\u2028\u2029]+/g;
/** Header-safe: a line break in a title must not be able to start a new header. */
export const oneLine = (s: string): string => s.replace(BREAKS, ' ').trim();

export type Tone = 'info' | 'good' | 'muted' | 'yellow' | 'red';
const TONES: Record<Tone, { bg: string; border: string }> = {
  info: { bg: '#eef4fb', border: '#2f6fb3' },
  good: { bg: '#e8f5e9', border: '#2e7d32' },
  muted: { bg: '#f2f2f2', border: '#777777' },
  yellow: { bg: '#fff8d6', border: '#d4a000' },
  red: { bg: '#fdecea', border: '#c62828' },
};

export interface Content {
  /** What the subject says after 【督办】. */
  headline: string;
  tone: Tone;
  /** The first paragraph: what happened and what to do. */
  lead: string;
  /** Fields particular to the event, after the task's own. */
  extra: [string, string | undefined][];
}

/** The files an event carried, as a mail says it: how many, and where they are (the task's page). */
const filesLine = (hashes: readonly string[] | undefined) =>
  hashes?.length ? `${hashes.length} 份（在督办系统的任务页查看、下载）` : undefined;

function contentOf(e: TaskEvent, t: TaskState, title: string, ref: string, n: Notice): Content {
  const lead = t.spec.lead[0];
  switch (e.type) {
    case 'TaskAssigned':
      return {
        headline: `任务交办：${title}（${ref}）`,
        tone: 'info',
        lead: `现将以下任务交由你单位办理，请在督办系统中签收，并于 ${t.due} 前完成。`,
        extra: [['任务内容', e.spec.text || undefined]],
      };
    case 'Acknowledged':
      return {
        headline: `签收：${title}（${ref}）`,
        tone: 'info',
        lead: `${who(e.by)} 已签收本任务。`,
        extra: [],
      };
    case 'ProgressReported':
      return {
        headline: `进展反馈：${title}（${ref}）`,
        tone: 'info',
        lead: `${who(e.by)} 报送了本任务的进展。`,
        extra: [
          ['进展情况', e.note],
          ['佐证材料', filesLine(e.attachments)],
        ],
      };
    case 'CompletionSubmitted':
      return {
        headline: `办结待审核：${title}（${ref}）`,
        tone: 'info',
        lead: `牵头单位 ${who(e.by)} 已提交办结，请督查室审核。`,
        extra: [
          ['办结情况', e.summary],
          ['佐证材料', filesLine(e.attachments)],
        ],
      };
    case 'CompletionCosigned':
      return {
        headline: `办结会签：${title}（${ref}）`,
        tone: 'info',
        lead: `牵头单位 ${who(e.by)} 已会签办结，待 ${e.waiting.join('、')} 会签后提交督查室审核。`,
        extra: [['办结情况', e.summary]],
      };
    case 'CompletionVerified':
      return {
        headline: `办结审核通过：${title}（${ref}）`,
        tone: 'good',
        lead: '本任务办结已经督查室审核通过，任务关闭。',
        extra: [['审核意见', e.note]],
      };
    case 'CompletionRejected':
      return {
        headline: `办结被退回：${title}（${ref}）`,
        tone: 'red',
        lead: `本任务的办结被督查室退回，请 ${lead} 按退回理由继续办理后重新提交。`,
        extra: [['退回理由', e.reason]],
      };
    case 'TaskCancelled':
      return {
        headline: `任务撤销：${title}（${ref}）`,
        tone: 'muted',
        lead: '本任务已由督查室撤销，无需继续办理。',
        extra: [['撤销理由', e.reason]],
      };
    case 'InternalApprovalRequested':
      return {
        headline: `办结待分管领导审核：${title}（${ref}）`,
        tone: 'info',
        lead: `${who(e.by)}${e.person ? ` ${e.person}` : ''} 提交了本任务的办结，请分管领导 ${e.approver} 在督办系统中审核；审核同意后报送督查室。`,
        extra: [['办结情况', e.summary]],
      };
    case 'InternalApprovalReturned':
      return {
        headline: `办结被分管领导退回：${title}（${ref}）`,
        tone: 'red',
        lead: `分管领导 ${e.approver} 退回了 ${who(e.by)} 的办结，请按退回理由继续办理后重新提交。`,
        extra: [['退回理由', e.reason]],
      };
    case 'InternalApprovalGranted':
      return {
        headline: `办结经分管领导审核同意：${title}（${ref}）`,
        tone: 'info',
        lead: `分管领导 ${e.approver} 已审核同意 ${who(e.by)} 的办结，报送督查室。`,
        extra: [],
      };
    case 'InstructionGiven':
      return {
        headline: `领导批示：${title}（${ref}）${e.priority ? '（重点督办）' : ''}`,
        tone: 'red',
        lead: `区领导对本任务作出批示，请 ${t.spec.lead.join('、')} 按批示要求抓紧办理，并在督办系统中反馈落实情况。${e.priority ? '本任务已列为重点督办。' : ''}`,
        extra: [['批示内容', e.text]],
      };
    case 'WarningIssued':
      return {
        headline: `预警：${title}（${ref}）将于 ${e.daysBefore} 天后到期`,
        tone: 'yellow',
        lead: `【黄色预警】本任务将于 ${e.daysBefore} 天后（${e.due}）到期，尚未办结，请抓紧办理。`,
        extra: [],
      };
    case 'OverdueNoticed': {
      const late = e.daysOverdue > 0 ? `已逾期 ${e.daysOverdue} 天` : '已到期';
      return {
        headline: `催办：${title}（${ref}）${late}`,
        tone: 'red',
        lead: `【红色催办】本任务已于 ${e.due} 到期，${late}，仍未办结。请立即办理，并在督办系统中反馈进展。`,
        extra: [],
      };
    }
    case 'MilestoneWarningIssued':
      return {
        headline: `里程碑预警：${title}（${ref}）里程碑 ${e.milestone} 将于 ${e.daysBefore} 天后到期`,
        tone: 'yellow',
        lead: `【黄色预警】本任务的里程碑 ${e.milestone}「${e.title}」将于 ${e.daysBefore} 天后（${e.due}）到期，尚未报告完成，请抓紧办理。`,
        extra: [['里程碑', `${e.milestone}. ${e.title}（${e.due}）`]],
      };
    case 'MilestoneOverdueNoticed': {
      const late = e.daysOverdue > 0 ? `已逾期 ${e.daysOverdue} 天` : '已到期';
      return {
        headline: `里程碑催办：${title}（${ref}）里程碑 ${e.milestone} ${late}`,
        tone: 'red',
        lead: `【红色催办】本任务的里程碑 ${e.milestone}「${e.title}」已于 ${e.due} 到期，${late}，尚未报告完成。请立即办理，并在督办系统中报告。`,
        extra: [['里程碑', `${e.milestone}. ${e.title}（${e.due}）`]],
      };
    }
    case 'MilestoneReported':
      return {
        headline: `里程碑待审核：${title}（${ref}）里程碑 ${e.milestone}`,
        tone: 'info',
        lead: `牵头单位 ${who(e.by)} 报告里程碑 ${e.milestone}「${e.title}」已完成，请督查室审核。`,
        extra: [
          ['完成情况', e.note],
          ['佐证材料', filesLine(e.attachments)],
        ],
      };
    case 'MilestoneVerified':
      return {
        headline: `里程碑审核通过：${title}（${ref}）里程碑 ${e.milestone}`,
        tone: 'good',
        lead: `本任务的里程碑 ${e.milestone}「${e.title}」已经督查室审核通过。`,
        extra: [['审核意见', e.note]],
      };
    case 'MilestoneRejected':
      return {
        headline: `里程碑被退回：${title}（${ref}）里程碑 ${e.milestone}`,
        tone: 'red',
        lead: `本任务的里程碑 ${e.milestone}「${e.title}」被督查室退回，请 ${lead} 按退回理由继续办理后重新报告。`,
        extra: [['退回理由', e.reason]],
      };
    case 'TaskPaused':
      return {
        headline: `任务挂起：${title}（${ref}）`,
        tone: 'muted',
        lead: '本任务已由督查室挂起，挂起期间暂停预警、催办等督办提醒；恢复后，截止日期按挂起的工作日数顺延。',
        extra: [['挂起理由', e.reason]],
      };
    case 'TaskResumed':
      return {
        headline: `任务恢复：${title}（${ref}）截止日期 ${e.to}`,
        tone: 'info',
        lead: `本任务已由督查室恢复办理。挂起 ${e.workingDays} 个工作日，截止日期由 ${e.from} 顺延至 ${e.to}。`,
        extra: [
          [
            '里程碑',
            e.milestones.map((m) => `里程碑 ${m.milestone}：${m.from} → ${m.to}`).join('；') || undefined,
          ],
        ],
      };
    case 'AckReminderSent':
      return {
        headline: `签收提醒：${title}（${ref}）`,
        tone: 'yellow',
        lead: `${who(e.department)} 尚未签收本任务，请尽快在督办系统中签收。${provisional(e.provisional)}`,
        extra: [['交办时间', t.assignedAt.slice(0, 10)]],
      };
    case 'AckAlertRaised':
      return {
        headline: `未签收告警：${who(e.department)} 仍未签收 ${title}（${ref}）`,
        tone: 'red',
        lead: `${who(e.department)} 自交办起已逾期未签收本任务，请督查室跟进${e.department === lead ? '' : `，并请牵头单位 ${lead} 协调`}。${provisional(e.provisional)}`,
        extra: [['交办时间', t.assignedAt.slice(0, 10)]],
      };
    case 'ExtensionRequested':
      return {
        headline: `延期申请：${title}（${ref}）申请延期至 ${e.to}`,
        tone: 'info',
        lead: `牵头单位 ${who(e.by)} 申请将完成时限由 ${t.due} 延至 ${e.to}，请督查室决定。`,
        extra: [['延期理由', e.reason]],
      };
    case 'ExtensionGranted':
      return {
        headline: `延期已批准：${title}（${ref}）完成时限改为 ${e.to}`,
        tone: 'info',
        lead: `督查室已批准延期：完成时限由 ${e.from} 改为 ${e.to}，预警与催办按新时限重新安排。`,
        extra: [['意见', e.note]],
      };
    case 'ExtensionDenied':
      return {
        headline: `延期未批准：${title}（${ref}）`,
        tone: 'red',
        lead: `督查室未批准延期至 ${e.to} 的申请，完成时限仍为 ${t.due}。`,
        extra: [['意见', e.note]],
      };
    case 'InterviewOrdered':
      if (e.reason)
        return {
          headline: `约谈通知：${title}（${ref}）`,
          tone: 'red',
          lead: `${e.reason}。依照方案，对责任单位负责人实施约谈，约谈时间、地点另行通知。整改期限暂定为 ${e.rectificationDue}。${provisional(e.provisional)}`,
          extra: [],
        };
      return {
        headline: `约谈通知：${title}（${ref}）逾期 ${e.daysOverdue} 天未办结`,
        tone: 'red',
        lead: `本任务已于 ${e.due} 到期，逾期 ${e.daysOverdue} 天仍未办结。依照督办规定，对责任单位负责人实施约谈，约谈时间、地点另行通知。整改期限暂定为 ${e.rectificationDue}。${provisional(e.provisional)}`,
        extra: [],
      };
    case 'InterviewScheduled':
      return {
        headline: `约谈安排：${title}（${ref}）${e.time} ${e.place}`,
        tone: 'red',
        lead: `约谈定于 ${e.time} 在 ${e.place} 进行，请责任单位负责人准时参加。`,
        extra: [
          ['约谈时间', e.time],
          ['约谈地点', e.place],
        ],
      };
    case 'InterviewRecorded':
      return {
        headline: `约谈整改意见：${title}（${ref}）整改期限 ${e.rectificationDue}`,
        tone: 'red',
        lead: `约谈已进行。请按整改意见于 ${e.rectificationDue} 前整改到位；逾期未整改的，将依规实施限批或追责。${provisional(e.provisional)}`,
        extra: [
          ['参加人员', e.attendees.join('、')],
          ['整改意见', e.opinions],
          ['整改期限', e.rectificationDue],
        ],
      };
    case 'RestrictionImposed':
      return {
        headline: `限批：${e.region} ${e.sector}行业新建项目暂停审批（${title}）`,
        tone: 'red',
        lead: `本任务整改期限 ${e.rectificationDue} 已过仍未完成，即日起对 ${e.region} ${e.sector}行业新建项目实施“限批”，待任务办结审核通过后解除。`,
        extra: [
          ['限批区域', e.region],
          ['限批行业', e.sector],
        ],
      };
    case 'RestrictionLifted':
      return {
        headline: `解除限批：${e.region} ${e.sector}行业（${title}）`,
        tone: 'good',
        lead: `因${e.reason}，对 ${e.region} ${e.sector}行业新建项目的“限批”即日解除。`,
        extra: [
          ['限批区域', e.region],
          ['限批行业', e.sector],
        ],
      };
    case 'AccountabilityRecorded':
      return {
        headline: `追责：${title}（${ref}）移送${e.referral}`,
        tone: 'red',
        lead: `${e.reason}。依照督办规定记录追责，移送${e.referral}。追责记录随人终身有效。`,
        extra: [
          [
            '责任人',
            e.persons.map((p) => `${p.name}（${p.department}${p.post}）`).join('、') ||
              '（通讯录未列负责人）',
          ],
          ['移送', e.referral],
        ],
      };
    case 'TaskReassigned':
    case 'TaskEdited':
    case 'MilestoneAdded':
    case 'TaskSplit':
      return changeContent(e, t, title, ref, n.variant);
  }
}

const provisional = (p?: boolean) =>
  p ? '（注：相关年份的法定节假日安排尚未公布，日期按周一至周五暂定，公布后将重新计算。）' : '';

/** The mail a notice becomes: Chinese, with every value from the task escaped for HTML and headers. */
export function renderNotice(
  notice: Notice,
  task: TaskState,
  /** A numbered 督办单 or 催办单 attached to the mail: its 文号 and file stand among the fields. */
  document?: { number: string; fileName: string },
): RenderedMail {
  const spec = task.spec;
  const title = oneLine(spec.title);
  const ref = oneLine([spec.plan, spec.id, spec.region].filter(Boolean).join('/'));
  const c = contentOf(notice.event, task, title, ref, notice);
  const fields: [string, string | undefined][] = [
    ['任务', spec.title],
    ['编号', ref],
    ['镇街', spec.region],
    ['牵头单位', spec.lead.join('、')],
    ['配合单位', spec.cooperating.join('、') || undefined],
    ['完成时限', task.due],
    ...c.extra,
    ...(document
      ? ([
          ['文号', document.number],
          ['附件', document.fileName],
        ] as [string, string][])
      : []),
  ];
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '');
  const footer = '本邮件由督办系统自动发送，请勿直接回复；办理情况请在督办系统中填报。';

  const text = [c.lead, '', ...shown.map(([k, v]) => `${k}：${v}`), '', '——', footer, ''].join('\n');

  const tone = TONES[c.tone];
  const rows = shown
    .map(
      ([k, v]) =>
        `<tr><th style="text-align:left;vertical-align:top;padding:4px 12px 4px 0;white-space:nowrap;color:#555">${escapeHtml(k)}</th>` +
        `<td style="padding:4px 0;white-space:pre-wrap">${escapeHtml(v)}</td></tr>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(c.headline)}</title></head>
<body style="font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;color:#222">
<div style="background:${tone.bg};border-left:4px solid ${tone.border};padding:10px 14px;margin-bottom:12px">${escapeHtml(c.lead)}</div>
<table style="border-collapse:collapse">
${rows}
</table>
<p style="color:#888;font-size:12px;margin-top:16px">${escapeHtml(footer)}</p>
</body></html>
`;
  return { subject: oneLine(`【督办】${c.headline}`), text, html };
}
