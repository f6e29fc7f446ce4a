import type { PlannedRung } from './escalation';
import type { RungWhy } from './explain';
import { LEADERSHIP, SUPERVISOR, type TaskEvent } from './task-events';
import type { TaskSummary } from './task-summary';
import { daysBetween } from './time';
import { RUNG_ZH, dueInForce, isOpen, isOverdue } from './vocabulary';

// What happened and what comes next, in the words every interface shows (timeline, `task show`, pages).

/** Who acted, as people say it: the supervisors are 督查室, departments their own name. */
export const actorZh = (a: string): string => (a === SUPERVISOR ? '督查室' : a === LEADERSHIP ? '区领导' : a);

/** One ledger event as a line of the timeline: the files it carried counted, the person (经办人) who sent it. */
export function describeEvent(e: TaskEvent): string {
  const files = 'attachments' in e ? (e.attachments?.length ?? 0) : 0;
  const line = files ? `${eventLine(e)}（佐证材料 ${files} 份）` : eventLine(e);
  return e.person ? `${line}（经办人：${e.person}）` : line;
}

function eventLine(e: TaskEvent): string {
  switch (e.type) {
    case 'TaskAssigned':
      return `任务交办：牵头 ${e.spec.lead.join('、')}${e.spec.cooperating.length ? `，配合 ${e.spec.cooperating.join('、')}` : ''}，截止 ${e.spec.due}${e.spec.milestones?.length ? `；里程碑 ${e.spec.milestones.map((m, i) => `${i + 1}. ${m.due} ${m.title}`).join('；')}` : ''}`;
    case 'Acknowledged':
      return `${actorZh(e.by)} 签收`;
    case 'ProgressReported':
      return `${actorZh(e.by)} 反馈进展：${e.note}`;
    case 'CompletionCosigned':
      return `${actorZh(e.by)} 会签办结：${e.summary}；待 ${e.waiting.join('、')} 会签`;
    case 'CompletionSubmitted':
      return `${actorZh(e.by)} 提交办结：${e.summary}${e.cosignedBy?.length ? `（已会签：${e.cosignedBy.join('、')}）` : ''}`;
    case 'CompletionVerified':
      return `${actorZh(e.by)} 审核通过${e.note ? `：${e.note}` : ''}`;
    case 'CompletionRejected':
      return `${actorZh(e.by)} 退回：${e.reason}`;
    case 'TaskCancelled':
      return `${actorZh(e.by)} 撤销任务：${e.reason}`;
    case 'InternalApprovalRequested':
      return `${actorZh(e.by)} 提交办结，待分管领导 ${e.approver} 审核：${e.summary}`;
    case 'InternalApprovalGranted':
      return `${actorZh(e.by)} 分管领导 ${e.approver} 审核同意，报送督查室`;
    case 'InternalApprovalReturned':
      return `${actorZh(e.by)} 分管领导 ${e.approver} 退回：${e.reason}`;
    case 'InstructionGiven':
      return `${actorZh(e.by)} 批示：${e.text}${e.priority ? '（列为重点督办）' : ''}`;
    case 'WarningIssued':
      return `${RUNG_ZH.warning}：距截止日期 ${e.due} 还有 ${e.daysBefore} 天`;
    case 'OverdueNoticed':
      return `${RUNG_ZH.overdue}：已超过截止日期 ${e.due}${e.daysOverdue > 0 ? `（逾期 ${e.daysOverdue} 天）` : ''}`;
    case 'MilestoneWarningIssued':
      return `${RUNG_ZH.milestoneWarning}：里程碑 ${e.milestone}「${e.title}」距 ${e.due} 还有 ${e.daysBefore} 天`;
    case 'MilestoneOverdueNoticed':
      return `${RUNG_ZH.milestoneOverdue}：里程碑 ${e.milestone}「${e.title}」已超过 ${e.due}${e.daysOverdue > 0 ? `（逾期 ${e.daysOverdue} 天）` : ''}`;
    case 'MilestoneReported':
      return `${actorZh(e.by)} 报告里程碑 ${e.milestone}「${e.title}」完成：${e.note}`;
    case 'MilestoneVerified':
      return `${actorZh(e.by)} 审核通过里程碑 ${e.milestone}「${e.title}」${e.note ? `：${e.note}` : ''}`;
    case 'MilestoneRejected':
      return `${actorZh(e.by)} 退回里程碑 ${e.milestone}「${e.title}」：${e.reason}`;
    case 'TaskPaused':
      return `${actorZh(e.by)} 挂起任务：${e.reason}`;
    case 'TaskResumed':
      return `${actorZh(e.by)} 恢复任务：挂起 ${e.workingDays} 个工作日（自 ${e.pausedOn}），截止日期 ${e.from} → ${e.to}${e.milestones.length ? `；${e.milestones.map((m) => `里程碑 ${m.milestone} ${m.from} → ${m.to}`).join('；')}` : ''}${e.provisional ? '（暂定）' : ''}`;
    case 'AckReminderSent':
      return `${RUNG_ZH.ackReminder}：${e.department}${e.provisional ? '（暂定日期）' : ''}`;
    case 'AckAlertRaised':
      return `${RUNG_ZH.ackAlert}：${e.department} 逾期未签收，已告知督查室${e.provisional ? '（暂定日期）' : ''}`;
    case 'ExtensionRequested':
      return `${actorZh(e.by)} 申请延期至 ${e.to}：${e.reason}`;
    case 'ExtensionGranted':
      return `${actorZh(e.by)} 批准延期：${e.from} → ${e.to}${e.note ? `（${e.note}）` : ''}`;
    case 'ExtensionDenied':
      return `${actorZh(e.by)} 不批准延期至 ${e.to}${e.note ? `（${e.note}）` : ''}`;
    case 'InterviewOrdered':
      return `${RUNG_ZH.interview}：${e.reason ?? `逾期 ${e.daysOverdue} 天`}，约谈责任单位负责人；整改期限暂定 ${e.rectificationDue}${e.provisional ? '（暂定）' : ''}`;
    case 'InterviewScheduled':
      return `${actorZh(e.by)} 安排约谈：${e.time} ${e.place}`;
    case 'InterviewRecorded':
      return `${actorZh(e.by)} 记录约谈：参加 ${e.attendees.join('、')}；整改期限 ${e.rectificationDue}${e.provisional ? '（暂定）' : ''}`;
    case 'RestrictionImposed':
      return `${RUNG_ZH.restriction}：${e.region} ${e.sector}行业新建项目`;
    case 'RestrictionLifted':
      return `解除限批：${e.region} ${e.sector}（${e.reason}）`;
    case 'AccountabilityRecorded':
      return `${RUNG_ZH.accountability}：${e.persons.map((p) => `${p.name}（${p.department}${p.post}）`).join('、') || '—'}，移送${e.referral}`;
    case 'TaskReassigned':
      return `${actorZh(e.by)} 改派：牵头 ${e.before.lead.join('、')} → ${e.after.lead.join('、')}；配合 ${e.before.cooperating.join('、') || '无'} → ${e.after.cooperating.join('、') || '无'}（${e.reason}）`;
    case 'TaskEdited':
      return `${actorZh(e.by)} 修改任务：${e.before.title === e.after.title ? '' : `名称「${e.before.title}」→「${e.after.title}」`}${e.before.text === e.after.text ? '' : `${e.before.title === e.after.title ? '' : '；'}内容已修改`}（${e.reason}）`;
    case 'MilestoneAdded':
      return `${actorZh(e.by)} 增加里程碑 ${e.milestone}：${e.due} ${e.title}（${e.reason}）`;
    case 'TaskSplit':
      return `${actorZh(e.by)} 拆分任务：${e.subtasks.map((t) => `${t.id} ${t.title}（牵头 ${t.lead.join('、')}，截止 ${t.due}）`).join('；')}（${e.reason}）`;
  }
}

/**
 * The rungs ahead, as `task show` lists them; a date counted over an unpublished year says so. With
 * `why` (explainPlanned of the same rungs), each line is followed by the rule that plans it.
 */
export function upcomingText(rungs: PlannedRung[], why?: readonly (RungWhy | undefined)[]): string[] {
  return rungs.slice(0, 8).flatMap((p, i) => {
    const who = 'department' in p.rung ? ` ${p.rung.department}` : '';
    const ms = 'milestone' in p.rung ? ` 里程碑 ${p.rung.milestone}` : '';
    const days = 'daysBefore' in p.rung ? `（到期前 ${p.rung.daysBefore} 天）` : '';
    const prov = p.provisional ? '  暂定：该年节假日安排未公布，按周一至周五计算 / provisional' : '';
    const line = `  ${localTime(p.at)}  ${RUNG_ZH[p.rung.kind]}${who}${ms}${days}${prov}`;
    const w = why?.[i];
    return w ? [line, `      ${w.text}`] : [line];
  });
}

/** The clock's view of a task today: `逾期 3 天`, `预警（剩 5 天）`, or ''. */
export function clockNote(
  t: Pick<TaskSummary, 'status' | 'due' | 'milestoneDue' | 'escalation'>,
  today: string,
): string {
  if (isOverdue(t, today))
    return `${dueInForce(t) < t.due ? '里程碑' : ''}逾期 ${daysBetween(dueInForce(t), today)} 天`;
  const left = daysBetween(today, t.due);
  if (isOpen(t) && left >= 0 && t.escalation === 'warning') return `预警（剩 ${left} 天）`;
  return '';
}

/** Local time in Asia/Shanghai, minute precision: `2026-11-28 09:00`. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const local = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
