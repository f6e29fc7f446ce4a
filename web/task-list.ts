import { z } from 'zod';
import {
  ESCALATION_LEVELS,
  ESCALATION_ZH,
  STATUS_ZH,
  TASK_STATUSES,
  isOverdue,
  type TaskSummary,
} from '../domain';
import type { Ctx } from './context';
import { html, query } from './html';
import { light, page, statusBadge, taskLink, units } from './layout';
import { todayInChina } from './model';
import type { Principal } from './session';

const PAGE_SIZE = 50;
const text = z.string().trim().max(100).optional().catch(undefined);

/** The list's filters as the page's query string holds them; anything malformed is simply not a filter. */
export const ListQuery = z.object({
  plan: text,
  department: text,
  region: text,
  status: z.enum(TASK_STATUSES).optional().catch(undefined),
  overdue: z.enum(['1']).optional().catch(undefined),
  escalation: z.enum(ESCALATION_LEVELS).optional().catch(undefined),
  q: text,
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type ListQuery = z.infer<typeof ListQuery>;

export function filterTasks(tasks: readonly TaskSummary[], f: ListQuery, today: string): TaskSummary[] {
  const q = f.q?.toLowerCase();
  return tasks.filter(
    (t) =>
      (!f.plan || t.plan === f.plan) &&
      (!f.department || t.lead.includes(f.department) || t.cooperating.includes(f.department)) &&
      (!f.region || t.region === f.region) &&
      (!f.status || t.status === f.status) &&
      (!f.overdue || isOverdue(t, today)) &&
      (!f.escalation || t.escalation === f.escalation) &&
      (!q || `${t.workflowId} ${t.title} ${t.lead.join(' ')}`.toLowerCase().includes(q)),
  );
}

const distinct = (xs: (string | undefined)[]) =>
  [...new Set(xs.filter((x): x is string => !!x))].sort((a, b) => a.localeCompare(b, 'zh'));

const select = (name: string, label: string, options: [string, string][], value?: string) =>
  html`<label
    >${label}<select name="${name}">
      <option value="">全部</option>
      ${options.map(
        ([v, l]) => html`<option value="${v}" ${v === value ? html` selected` : ''}>${l}</option>`,
      )}
    </select></label
  >`;

/** The API's .xlsx of what the list shows: the same filters, in the API's words (overdue=true). */
export const exportLink = (f: ListQuery): string =>
  `/api/tasks/export.xlsx${query({
    plan: f.plan,
    department: f.department,
    region: f.region,
    status: f.status,
    escalation: f.escalation,
    overdue: f.overdue ? 'true' : undefined,
    q: f.q,
  })}`;

export async function taskListPage(ctx: Ctx, principal: Principal, raw: unknown): Promise<string> {
  const f = ListQuery.parse(raw ?? {});
  const today = todayInChina();
  const all = await ctx.facade.list();
  const found = filterTasks(all, f, today);
  const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
  const pageNo = Math.min(f.page, pages);
  const shown = found.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
  const plans = ctx.plans();
  const pair = (xs: string[]) => xs.map((x): [string, string] => [x, x]);
  const link = (n: number) => `/tasks${query({ ...f, page: n })}`;

  const body = html` <form class="filters" method="get" action="/tasks">
      ${select(
        'plan',
        '方案',
        distinct(all.map((t) => t.plan)).map((p): [string, string] => [p, plans.get(p)?.title ?? p]),
        f.plan,
      )}
      ${select('department', '责任单位', pair(distinct(all.flatMap((t) => [...t.lead, ...t.cooperating]))), f.department)}
      ${select('region', '镇街', pair(distinct(all.map((t) => t.region))), f.region)}
      ${select(
        'status',
        '状态',
        TASK_STATUSES.map((s): [string, string] => [s, STATUS_ZH[s]]),
        f.status,
      )}
      ${select(
        'escalation',
        '升级',
        ESCALATION_LEVELS.map((e): [string, string] => [e, e === 'none' ? '未升级' : ESCALATION_ZH[e]]),
        f.escalation,
      )}
      <label
        >逾期<select name="overdue">
          <option value="">全部</option>
          <option value="1" ${f.overdue ? html` selected` : ''}>仅逾期</option>
        </select></label
      >
      <label
        >关键词<input type="search" name="q" value="${f.q ?? ''}" placeholder="编号、标题、单位"
      /></label>
      <button type="submit">筛选</button>
      <a href="/tasks">清除</a>
      <a id="export-xlsx" href="${exportLink(f)}" download>导出 Excel 台账</a>
    </form>
    <section id="task-list" data-live>
      <p class="muted">
        共 ${found.length} 项${found.length > PAGE_SIZE ? `，第 ${pageNo}/${pages} 页` : ''}
      </p>
      <table>
        <thead>
          <tr>
            <th></th>
            <th>任务</th>
            <th>标题</th>
            <th>牵头单位</th>
            <th>镇街</th>
            <th>状态</th>
            <th>截止日期</th>
            <th>升级</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (t) =>
              html`<tr data-wf="${t.workflowId}">
                <td>${light(t, today)}</td>
                <td>${taskLink(t)}</td>
                <td>${t.title}</td>
                <td>${units(t.lead)}</td>
                <td>${t.region ?? '—'}</td>
                <td>${statusBadge(t.status)}</td>
                <td class="nw">${t.due}${isOverdue(t, today) ? html` <span class="esc">逾期</span>` : ''}</td>
                <td>
                  ${t.escalation === 'none' ? '—' : html`<span class="esc">${ESCALATION_ZH[t.escalation]}</span>`}
                </td>
              </tr>`,
          )}
          ${
            shown.length === 0
              ? html`<tr>
                  <td colspan="8" class="muted">没有符合条件的任务</td>
                </tr>`
              : ''
          }
        </tbody>
      </table>
      ${
        pages > 1
          ? html`<div class="pager">
              ${pageNo > 1 ? html`<a href="${link(pageNo - 1)}">上一页</a>` : ''}<span
                >${pageNo} / ${pages}</span
              >${pageNo < pages ? html`<a href="${link(pageNo + 1)}">下一页</a>` : ''}
            </div>`
          : ''
      }
    </section>`;
  return page({ title: '任务列表', principal, nav: '/tasks', watch: '*', body });
}
