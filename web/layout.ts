import { STATUS_ZH, shortId, type TaskStatus, type TaskSummary } from '../domain';
import { enc, html, type Html } from './html';
import { LIGHT_ZH, lightOf, type Light } from './model';
import { ROLE_ZH, mayReadAccountability, mayReadTasks, type Principal } from './session';

export interface PageOptions {
  title: string;
  principal: Principal;
  /** The nav entry to mark. */
  nav?: string;
  /** `*`: refresh on any task change; a workflow id: only on that task's. */
  watch?: string;
  charts?: boolean;
  body: Html;
}

const NAV: [href: string, label: string, who: (p: Principal) => boolean][] = [
  ['/', '总览', mayReadTasks],
  ['/tasks', '任务', mayReadTasks],
  ['/duties', '周期性工作', mayReadTasks],
  ['/interviews', '约谈', mayReadTasks],
  ['/restrictions', '限批', mayReadTasks],
  ['/indicators', '指标', mayReadTasks],
  ['/assessment', '考核', mayReadTasks],
  ['/accountability', '追责', mayReadAccountability],
  // Shown to the 督查室 and departments; the page itself admits only the one that cards (DUBAN_CARD_DEPARTMENT).
  ['/enterprises', '红黄牌', (p) => p.role === 'supervisor' || p.role === 'department'],
  ['/public', '公开信息', () => true],
];

function who(p: Principal): string {
  const unit = p.department ?? p.region;
  return [...new Set([p.name, unit, ROLE_ZH[p.role]].filter(Boolean))].join(' · ');
}

export function page(o: PageOptions): string {
  const p = o.principal;
  const links = NAV.filter(([, , ok]) => ok(p)).map(([href, label]): [string, string] => [href, label]);
  const mine =
    p.role === 'department' ? `department=${enc(p.department ?? '')}` : `region=${enc(p.region ?? '')}`;
  if (p.role === 'department' || p.role === 'region') links.splice(2, 0, [`/tasks?${mine}`, '本单位任务']);
  const nav = links.map(
    ([href, label]) => html`<a href="${href}" class="${o.nav === href ? 'on' : ''}">${label}</a>`,
  );
  const account =
    p.role === 'public'
      ? html`<a href="/signin">登录</a>`
      : html`<span class="who">${who(p)}</span><button type="button" data-signout>退出</button>`;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · 督办</title>
<link rel="stylesheet" href="/assets/app.css">
${o.charts ? html`<script src="/assets/echarts.min.js" defer></script>` : ''}
<script src="/assets/app.js" defer></script>
</head>
<body${o.watch ? html` data-watch="${o.watch}"` : ''}>
<header class="top">
<a class="brand" href="${p.role === 'public' ? '/public' : '/'}">督办</a>
<nav>${nav}</nav>
${o.watch ? html`<span class="live-dot" title="实时更新 / live"><b>●</b> 实时</span>` : ''}
${account}
</header>
<main>
<h1>${o.title}</h1>
${o.body}
</main>
</body>
</html>`.text;
}

export function taskPath(t: Pick<TaskSummary, 'plan' | 'taskId' | 'region'>): string {
  return `${enc(t.plan)}/${enc(t.taskId)}${t.region ? `/${enc(t.region)}` : ''}`;
}

export const taskLink = (t: TaskSummary) =>
  html`<a href="/tasks/${taskPath(t)}">${shortId(t.workflowId)}</a>`;

export const lightDot = (l: Light) => html`<span class="light ${l}" title="${LIGHT_ZH[l]}"></span>`;

export const statusBadge = (s: TaskStatus) =>
  html`<span class="badge ${s}" data-status="${s}">${STATUS_ZH[s] ?? s}</span>`;

export const light = (t: TaskSummary, today: string) => lightDot(lightOf(t, today));

export const units = (names: readonly string[]) => names.join('、') || '—';
