import {
  SUPERVISOR,
  daysBetween,
  type PlannedRung,
  type TaskEvent,
  type TaskState,
  type TaskStatus,
  type TaskSummary,
} from '../domain';

/** How people read a status (Chinese first) — the CLI and pages use the same words. */
export const STATUS_ZH: Record<TaskStatus, string> = {
  assigned: '待签收',
  acknowledged: '办理中',
  submitted: '待审核',
  completed: '已办结',
  cancelled: '已撤销',
};

/** `--status` accepts the code or the Chinese word. */
export function parseStatus(s: string): TaskStatus | undefined {
  const t = s.trim();
  if (t in STATUS_ZH) return t as TaskStatus;
  return (Object.keys(STATUS_ZH) as TaskStatus[]).find((k) => STATUS_ZH[k] === t);
}

const actorZh = (a: string) => (a === SUPERVISOR ? '督查室' : a);

/** One ledger event as a line of the timeline. */
export function describeEvent(e: TaskEvent): string {
  switch (e.type) {
    case 'TaskAssigned':
      return `任务交办：牵头 ${e.spec.lead.join('、')}${e.spec.cooperating.length ? `，配合 ${e.spec.cooperating.join('、')}` : ''}，截止 ${e.spec.due}`;
    case 'Acknowledged':
      return `${actorZh(e.by)} 签收`;
    case 'ProgressReported':
      return `${actorZh(e.by)} 反馈进展：${e.note}`;
    case 'CompletionSubmitted':
      return `${actorZh(e.by)} 提交办结：${e.summary}`;
    case 'CompletionVerified':
      return `${actorZh(e.by)} 审核通过${e.note ? `：${e.note}` : ''}`;
    case 'CompletionRejected':
      return `${actorZh(e.by)} 退回：${e.reason}`;
    case 'TaskCancelled':
      return `${actorZh(e.by)} 撤销任务：${e.reason}`;
    case 'WarningIssued':
      return `预警：距截止日期 ${e.due} 还有 ${e.daysBefore} 天`;
    case 'OverdueNoticed':
      return `催办：已超过截止日期 ${e.due}${e.daysOverdue > 0 ? `（逾期 ${e.daysOverdue} 天）` : ''}`;
    case 'AckReminderSent':
      return `签收提醒：${e.department}${e.provisional ? '（暂定日期）' : ''}`;
    case 'AckAlertRaised':
      return `未签收告警：${e.department} 逾期未签收，已告知督查室${e.provisional ? '（暂定日期）' : ''}`;
    case 'ExtensionRequested':
      return `${actorZh(e.by)} 申请延期至 ${e.to}：${e.reason}`;
    case 'ExtensionGranted':
      return `${actorZh(e.by)} 批准延期：${e.from} → ${e.to}${e.note ? `（${e.note}）` : ''}`;
    case 'ExtensionDenied':
      return `${actorZh(e.by)} 不批准延期至 ${e.to}${e.note ? `（${e.note}）` : ''}`;
    case 'InterviewOrdered':
      return `约谈：逾期 ${e.daysOverdue} 天，约谈责任单位负责人；整改期限暂定 ${e.rectificationDue}${e.provisional ? '（暂定）' : ''}`;
    case 'InterviewScheduled':
      return `${actorZh(e.by)} 安排约谈：${e.time} ${e.place}`;
    case 'InterviewRecorded':
      return `${actorZh(e.by)} 记录约谈：参加 ${e.attendees.join('、')}；整改期限 ${e.rectificationDue}${e.provisional ? '（暂定）' : ''}`;
    case 'RestrictionImposed':
      return `限批：${e.region} ${e.sector}行业新建项目`;
    case 'RestrictionLifted':
      return `解除限批：${e.region} ${e.sector}（${e.reason}）`;
    case 'AccountabilityRecorded':
      return `追责：${e.persons.map((p) => `${p.name}（${p.department}${p.post}）`).join('、') || '—'}，移送${e.referral}`;
  }
}

const RUNG_ZH: Record<PlannedRung['rung']['kind'], string> = {
  ackReminder: '签收提醒',
  ackAlert: '未签收告警',
  warning: '预警',
  overdue: '催办',
  interview: '约谈',
  restriction: '限批',
  accountability: '追责',
};

/** The rungs ahead, as `task show` lists them; a date counted over an unpublished year says so. */
export function upcomingText(rungs: PlannedRung[]): string[] {
  return rungs.slice(0, 8).map((p) => {
    const who = 'department' in p.rung ? ` ${p.rung.department}` : '';
    const days = p.rung.kind === 'warning' ? `（到期前 ${p.rung.daysBefore} 天）` : '';
    const prov = p.provisional ? '  暂定：该年节假日安排未公布，按周一至周五计算 / provisional' : '';
    return `  ${localTime(p.at)}  ${RUNG_ZH[p.rung.kind]}${who}${days}${prov}`;
  });
}

/** The clock's view of a task today: `逾期 3 天`, `预警`, or ''. */
export function clockNote(t: Pick<TaskSummary, 'status' | 'due' | 'escalation'>, today: string): string {
  const open = t.status === 'assigned' || t.status === 'acknowledged' || t.status === 'submitted';
  if (!open) return '';
  const late = daysBetween(t.due, today);
  if (late > 0) return `逾期 ${late} 天`;
  if (t.escalation === 'warning') return `预警（剩 ${-late} 天）`;
  return '';
}

/** Columns on a terminal: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

/** A plain text table: header, a rule, rows; columns padded by display width. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** The short id people type: `plan/id[/region]`. */
export const shortId = (workflowId: string) => workflowId.replace(/^task\//, '');

export function listTable(tasks: TaskSummary[], today: string): string {
  if (tasks.length === 0) return '（没有符合条件的任务 / no tasks match）\n';
  const rows = tasks.map((t) => [
    shortId(t.workflowId),
    truncate(t.title, 30),
    truncate(t.lead.join('、'), 20),
    STATUS_ZH[t.status] ?? t.status,
    t.due,
    clockNote(t, today),
  ]);
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  const footer = [...counts].map(([s, n]) => `${STATUS_ZH[s as TaskStatus] ?? s} ${n}`).join('，');
  return (
    table(['任务', '标题', '牵头单位', '状态', '截止日期', '提醒'], rows) +
    `\n共 ${tasks.length} 项（${footer}） / ${tasks.length} task(s)\n`
  );
}

/** Local time in Asia/Shanghai, minute precision: `2026-11-28 09:00`. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const local = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

export interface ShowModel {
  workflowId: string;
  state?: TaskState;
  summary?: TaskSummary;
  ledger: { seq: number; at: string; event: TaskEvent; hash: string }[];
  upcoming?: PlannedRung[];
}

export function showText(m: ShowModel, today: string): string {
  const spec = m.state?.spec;
  const title = spec?.title ?? m.summary?.title ?? '';
  const status = m.state?.status ?? m.summary?.status;
  const due = m.state?.due ?? m.summary?.due ?? '';
  const lead = spec?.lead ?? m.summary?.lead ?? [];
  const coop = spec?.cooperating ?? m.summary?.cooperating ?? [];
  const acked = m.state ? Object.keys(m.state.acknowledged) : (m.summary?.acknowledged ?? []);
  const escalation = m.state?.escalation ?? m.summary?.escalation ?? 'none';
  const lines: string[] = [];
  lines.push(`任务 ${shortId(m.workflowId)}  ${title}`);
  if (status) {
    const note = clockNote({ status, due, escalation }, today);
    lines.push(`状态：${STATUS_ZH[status]} (${status})${note ? `  ${note}` : ''}`);
  }
  lines.push(`截止日期：${due}`);
  lines.push(`牵头单位：${lead.join('、') || '—'}`);
  lines.push(`配合单位：${coop.join('、') || '—'}`);
  const waiting = [...lead, ...coop].filter((d) => !acked.includes(d));
  lines.push(`已签收：${acked.join('、') || '—'}${waiting.length ? `；未签收：${waiting.join('、')}` : ''}`);
  if (m.state?.submission) lines.push(`办结情况：${m.state.submission.summary}（${m.state.submission.by}）`);
  if (spec?.text) lines.push(`任务内容：${spec.text}`);
  lines.push('');
  lines.push(`记录（共 ${m.ledger.length} 条） / ledger:`);
  for (const e of m.ledger) {
    lines.push(`  #${String(e.seq).padEnd(3)} ${localTime(e.at)}  ${describeEvent(e.event)}`);
  }
  if (m.ledger.length === 0) lines.push('  （暂无记录 / none yet）');
  if (m.upcoming?.length) lines.push('', '即将 / upcoming:', ...upcomingText(m.upcoming));
  return lines.join('\n') + '\n';
}
