import type { RenderedMail } from './mail';
import type { EscalationLevel } from './task-events';
import type { TaskSummary } from './task-summary';
import { ESCALATION_LEVELS, ESCALATION_ZH, SEVERE_LEVELS, escapeHtml, isOpen, isOverdue } from './vocabulary';

/** Overdue tasks (the one rule) and open ones up the ladder: what leadership should hear of each morning. */
export function digestItems(tasks: TaskSummary[], today: string): TaskSummary[] {
  return tasks.filter(
    (t) =>
      isOverdue(t, today) ||
      (isOpen(t) && (t.escalation === 'overdue' || SEVERE_LEVELS.includes(t.escalation))),
  );
}

/** What a digest listed: its items' escalation, against which the next one tells what is new. */
export interface DigestCovered {
  workflowId: string;
  escalation: EscalationLevel;
}

/**
 * new: overdue or escalated and not in the last digest; escalated: further up the ladder than it was;
 * closed: in the last digest, closed since; cleared: in the last digest, open, but neither overdue nor
 * escalated any more (an extension, say).
 */
export type DigestChangeKind = 'new' | 'escalated' | 'closed' | 'cleared';

export interface DigestChange {
  kind: DigestChangeKind;
  task: TaskSummary;
  /** For `escalated`: the rung the last digest showed. */
  was?: EscalationLevel;
}

/** A day's digest as claimed before it is sent: a retry renders the same mail from it. */
export interface DigestRecord {
  day: string;
  /** The day of the digest this one follows; absent for the first. */
  since?: string;
  covered: DigestCovered[];
  changes: DigestChange[];
  /** Indicator targets missed at a year's close, not in an earlier digest (domain/indicator-digest.ts). */
  indicators?: { key: string; line: string }[];
  /** Every miss a digest has listed so far. */
  indicatorsSeen?: string[];
}

const rank = (e: EscalationLevel) => ESCALATION_LEVELS.indexOf(e);

/** What changed between the last digest's list and today's tasks. */
export function digestChanges(
  last: readonly DigestCovered[],
  tasks: TaskSummary[],
  today: string,
): { covered: DigestCovered[]; changes: DigestChange[] } {
  const items = digestItems(tasks, today);
  const before = new Map(last.map((c) => [c.workflowId, c.escalation]));
  const listed = new Set(items.map((t) => t.workflowId));
  const changes: DigestChange[] = [];
  for (const task of items) {
    const was = before.get(task.workflowId);
    if (was === undefined) changes.push({ kind: 'new', task });
    else if (rank(task.escalation) > rank(was)) changes.push({ kind: 'escalated', task, was });
  }
  const byId = new Map(tasks.map((t) => [t.workflowId, t]));
  for (const c of last) {
    const task = byId.get(c.workflowId);
    if (task === undefined || listed.has(c.workflowId)) continue;
    changes.push({ kind: isOpen(task) ? 'cleared' : 'closed', task });
  }
  return { covered: items.map((t) => ({ workflowId: t.workflowId, escalation: t.escalation })), changes };
}

/** Where a day's digest record is kept (store bookmarks): a job prefix, then the day, so they sort by date. */
export const DIGEST_BOOKMARKS = 'digest/';
export const digestBookmark = (day: string): string => `${DIGEST_BOOKMARKS}${day}`;

/** The daily digest due on `day` after the last one's record, or none when nothing changed since. */
export function nextDigest(
  last: DigestRecord | undefined,
  tasks: TaskSummary[],
  day: string,
): DigestRecord | undefined {
  const { covered, changes } = digestChanges(last?.covered ?? [], tasks, day);
  if (changes.length === 0) return undefined;
  return { day, ...(last ? { since: last.day } : {}), covered, changes };
}

/** One task as every digest lists it (mail, CLI). */
export const digestLine = (t: TaskSummary): string =>
  `${t.plan}/${t.taskId}${t.region ? `/${t.region}` : ''}  ${t.title}  牵头：${t.lead.join('、')}  期限：${t.due}  ${ESCALATION_ZH[t.escalation]}`;

const SECTIONS: { kind: DigestChangeKind; title: string }[] = [
  { kind: 'new', title: '新增逾期或升级 / newly overdue or escalated' },
  { kind: 'escalated', title: '进一步升级 / escalated further' },
  { kind: 'closed', title: '已办结或撤销 / closed' },
  { kind: 'cleared', title: '不再逾期或升级 / no longer overdue or escalated' },
];

function mailOf(
  subject: string,
  lead: string,
  sections: { title?: string; lines: string[] }[],
  foot: string,
) {
  const text = [
    lead,
    '',
    ...sections.flatMap((s) => [...(s.title ? [`${s.title}：`] : []), ...s.lines, '']),
    '——',
    foot,
    '',
  ].join('\n');
  const body = sections
    .map(
      (s) =>
        `${s.title ? `<h3>${escapeHtml(s.title)}</h3>\n` : ''}<ul>\n${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('\n')}\n</ul>`,
    )
    .join('\n');
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px"><p>${escapeHtml(lead)}</p>
${body}
<p>${escapeHtml(foot)}</p></body></html>
`;
  return { subject, text, html };
}

/** The full list (on demand): every task overdue or escalated today. */
export function renderDigest(items: TaskSummary[], today: string): RenderedMail {
  const subject = `【督办】每日督办摘要（${today}）：逾期及升级任务 ${items.length} 项`;
  const lead = `截至 ${today}，以下 ${items.length} 项任务已逾期或已升级（约谈、限批、追责），请关注。`;
  return mailOf(
    subject,
    lead,
    [{ lines: items.map(digestLine) }],
    '完整清单，应要求发送 / the full list, sent on request.',
  );
}

/** The daily mail: only what changed since the last digest. */
export function renderDigestChanges(record: DigestRecord): RenderedMail {
  const { day, since, changes } = record;
  const count = (k: DigestChangeKind) => changes.filter((c) => c.kind === k).length;
  const raised = count('new') + count('escalated');
  const missed = record.indicators ?? [];
  const parts = [
    raised > 0 ? `逾期及升级任务 ${raised} 项` : '',
    missed.length > 0 ? `年度指标未达标 ${missed.length} 项` : '',
    count('closed') > 0 ? `已办结 ${count('closed')} 项` : '',
    count('cleared') > 0 ? `不再逾期 ${count('cleared')} 项` : '',
  ].filter(Boolean);
  const subject = `【督办】每日督办摘要（${day}）：${parts.join('，')}`;
  const lead = since
    ? `自上次通报（${since}）以来，截至 ${day}：${parts.join('，')}。 / since the last digest (${since}): ${changes.length} change(s).`
    : raised > 0
      ? `截至 ${day}，以下 ${raised} 项任务已逾期或已升级（约谈、限批、追责），请关注。（首次通报 / the first digest）`
      : `截至 ${day}：${parts.join('，')}。（首次通报 / the first digest）`;
  const sections = SECTIONS.map(({ kind, title }) => ({
    title,
    lines: changes
      .filter((c) => c.kind === kind)
      .map((c) =>
        c.was ? `${digestLine(c.task)}（原为 / was ${ESCALATION_ZH[c.was]}）` : digestLine(c.task),
      ),
  }))
    .concat([{ title: '年度指标未达标 / annual targets missed', lines: missed.map((m) => m.line) }])
    .filter((s) => s.lines.length > 0);
  return mailOf(
    subject,
    lead,
    sections,
    '本邮件由督办系统每日自动发送，只列自上次通报以来的变化；无变化时不发送。完整清单：duban digest --full / ' +
      'sent daily with what changed since the last digest only; not sent when nothing changed. Full list: duban digest --full',
  );
}
