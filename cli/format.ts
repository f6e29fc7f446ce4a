import {
  MILESTONE_STATUS_ZH,
  STATUS_ZH,
  milestoneList,
  isControl,
  clockNote,
  describeEvent,
  localTime,
  shortId,
  upcomingText,
  type PlannedRung,
  type RungWhy,
  type TaskEvent,
  type TaskState,
  type TaskStatus,
  type TaskSummary,
} from '../domain';

// The terminal's layout: widths, tables, the list and `task show`; the words come from the domain.

/**
 * Text as a terminal should show it, never act on it: every control and bidi character becomes a visible
 * escape (`\x1b`, `\u202e`), except those in `keep` (the CLI's own newlines and tabs, for `say`). Every
 * printer goes through it, so a stored value with ESC cannot erase lines or forge an answer; in JSON
 * output the escapes are JSON's own (C0 is already escaped by JSON.stringify).
 */
export function visible(s: string, keep = ''): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (!isControl(c) || keep.includes(ch)) out += ch;
    else if (c < 0x20) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** `--status` accepts the code or the Chinese word. */
export function parseStatus(s: string): TaskStatus | undefined {
  const t = s.trim();
  if (t in STATUS_ZH) return t as TaskStatus;
  return (Object.keys(STATUS_ZH) as TaskStatus[]).find((k) => STATUS_ZH[k] === t);
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
export function table(header: string[], cells: string[][]): string {
  const rows = cells.map((r) => r.map((c) => visible(c)));
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

export interface ShowModel {
  workflowId: string;
  state?: TaskState;
  summary?: TaskSummary;
  /** A rung's entry carries why it fired (services/task-detail `explained`). */
  ledger: { seq: number; at: string; event: TaskEvent; hash: string; why?: RungWhy }[];
  upcoming?: (PlannedRung & { why?: RungWhy })[];
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
    const note = clockNote({ status, due, escalation, milestoneDue: m.summary?.milestoneDue }, today);
    lines.push(`状态：${STATUS_ZH[status]} (${status})${note ? `  ${note}` : ''}`);
  }
  lines.push(`截止日期：${due}`);
  if ((m.state?.priority ?? m.summary?.priority) === 'high')
    lines.push('重点督办：领导批示列为重点 / high priority');
  for (const i of m.state?.instructions ?? []) lines.push(`领导批示（${localTime(i.at)}）：${i.text}`);
  if (m.state?.paused)
    lines.push(`已挂起：自 ${localTime(m.state.paused.at)}，${m.state.paused.reason}（恢复后截止日期顺延）`);
  const milestones = milestoneList(m.state);
  if (milestones.length) {
    lines.push('里程碑 / milestones:');
    milestones.forEach((x, i) =>
      lines.push(`  ${i + 1}. ${x.due}  ${x.title}  ${MILESTONE_STATUS_ZH[x.status]} (${x.status})`),
    );
  }
  lines.push(`牵头单位：${lead.join('、') || '—'}`);
  lines.push(`配合单位：${coop.join('、') || '—'}`);
  const waiting = [...lead, ...coop].filter((d) => !acked.includes(d));
  lines.push(`已签收：${acked.join('、') || '—'}${waiting.length ? `；未签收：${waiting.join('、')}` : ''}`);
  if (m.state?.submission) lines.push(`办结情况：${m.state.submission.summary}（${m.state.submission.by}）`);
  if (spec?.text) lines.push(`任务内容：${spec.text}`);
  if (spec?.parent) lines.push(`上级任务 / parent: ${spec.plan}/${spec.parent}`);
  if (m.state?.subtasks?.length) {
    lines.push('子任务 / sub-tasks:');
    for (const t of m.state.subtasks)
      lines.push(`  ${spec!.plan}/${t.id}  ${t.title}  牵头 ${t.lead.join('、')}  截止 ${t.due}`);
  }
  lines.push('');
  lines.push(`记录（共 ${m.ledger.length} 条） / ledger:`);
  for (const e of m.ledger) {
    lines.push(`  #${String(e.seq).padEnd(3)} ${localTime(e.at)}  ${describeEvent(e.event)}`);
    if (e.why) lines.push(`        ${e.why.text}`);
  }
  if (m.ledger.length === 0) lines.push('  （暂无记录 / none yet）');
  if (m.upcoming?.length)
    lines.push(
      '',
      '即将 / upcoming:',
      ...upcomingText(
        m.upcoming,
        m.upcoming.map((u) => u.why),
      ),
    );
  return lines.map((l) => visible(l)).join('\n') + '\n';
}
