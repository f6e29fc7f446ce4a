import { STATUS_ZH, TASK_STATUSES, addDays, shortId, type TaskSummary } from '../domain';
import type { Ctx } from './context';
import { html, jsonBlock } from './html';
import { light, lightDot, page, statusBadge, taskLink, taskPath, units } from './layout';
import {
  LIGHT_ZH,
  countBy,
  departmentRates,
  lightOf,
  progressSeries,
  todayInChina,
  type Light,
  type Series,
} from './model';
import type { Principal } from './session';

const COLORS: Record<Light, string> = {
  green: '#1a7f37',
  yellow: '#bf8700',
  red: '#cf222e',
  purple: '#8250df',
  done: '#8c959f',
  cancelled: '#d0d7de',
};
const LIGHTS: Light[] = ['green', 'yellow', 'red', 'purple', 'done'];
const MAX_DEPTS_CHARTED = 15;
const LEGEND = '（临期：30 天内到期或已预警；已升级：约谈、限批、追责）';

const DAY_MS = 86_400_000;

/** From zero the day before the first change to the count today, so a short history still draws a line. */
function span(s: Series, today: string): Series {
  if (s.length === 0) return s;
  const out: Series = [[addDays(s[0][0], -1), 0], ...s];
  return s[s.length - 1][0] < today ? [...out, [today, s[s.length - 1][1]]] : out;
}

function progressChart(series: ReturnType<typeof progressSeries>, today: string) {
  const names: [keyof typeof series, string][] = [
    ['assigned', '已交办'],
    ['acknowledged', '已签收'],
    ['submitted', '已提交办结'],
    ['completed', '已办结'],
  ];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 24, top: 36, bottom: 28 },
    xAxis: { type: 'time', minInterval: DAY_MS },
    yAxis: { type: 'value', minInterval: 1 },
    series: names.map(([k, name]) => ({
      name,
      type: 'line',
      step: 'end',
      symbolSize: 5,
      data: span(series[k], today),
    })),
  };
}

function departmentChart(tasks: readonly TaskSummary[], today: string) {
  const by = new Map<string, Record<string, number>>();
  for (const t of tasks)
    for (const d of t.lead) {
      const row = by.get(d) ?? {};
      const l = lightOf(t, today);
      row[l] = (row[l] ?? 0) + 1;
      by.set(d, row);
    }
  const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const depts = [...by]
    .sort((a, b) => total(b[1]) - total(a[1]))
    .slice(0, MAX_DEPTS_CHARTED)
    .map(([d]) => d);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 20, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: depts },
    series: LIGHTS.map((l) => ({
      name: LIGHT_ZH[l],
      type: 'bar',
      stack: 'all',
      itemStyle: { color: COLORS[l] },
      data: depts.map((d) => by.get(d)?.[l] ?? 0),
    })),
  };
}

export async function overviewPage(ctx: Ctx, principal: Principal): Promise<string> {
  const today = todayInChina();
  const tasks = await ctx.facade.list();
  const days = await ctx.days.of(tasks);
  const plans = ctx.plans();
  const byStatus = countBy(tasks, (t) => t.status);
  const byLight = countBy(tasks, (t) => lightOf(t, today));
  const rates = departmentRates(tasks, days, today);
  const attention = tasks
    .filter((t) => ['red', 'purple'].includes(lightOf(t, today)))
    .sort((a, b) => a.due.localeCompare(b.due))
    .slice(0, 30);
  const byPlan = new Map<string, TaskSummary[]>();
  for (const t of tasks) byPlan.set(t.plan, [...(byPlan.get(t.plan) ?? []), t]);

  const card = (n: number, label: string, extra = html``) =>
    html`<div class="card">
      <div class="n">${n}</div>
      <div class="l">${extra}${label}</div>
    </div>`;

  const body = html` <section id="ov-cards" data-live class="cards">
      ${card(tasks.length, '任务总数')} ${TASK_STATUSES.map((s) => card(byStatus[s] ?? 0, STATUS_ZH[s]))}
      ${(['red', 'purple', 'yellow'] as Light[]).map((l) => card(byLight[l] ?? 0, LIGHT_ZH[l], lightDot(l)))}
    </section>

    <div class="grid2">
      <section class="panel">
        <h2>进展趋势（按记录）</h2>
        <div class="chart" data-chart="chart-progress"></div>
      </section>
      <section class="panel">
        <h2>各单位任务状况（牵头）</h2>
        <div class="chart" data-chart="chart-depts"></div>
      </section>
    </div>
    <div id="ov-data" data-live hidden>
      ${jsonBlock('chart-progress', progressChart(progressSeries([...days.values()]), today))}
      ${jsonBlock('chart-depts', departmentChart(tasks, today))}
    </div>

    <h2>任务红绿灯</h2>
    <p class="muted">
      ${LIGHTS.map((l) => html`<span class="legend">${lightDot(l)}${LIGHT_ZH[l]}</span>`)} ${LEGEND}
    </p>
    <section id="ov-board" data-live class="panel">
      ${[...byPlan].map(
        ([plan, ts]) =>
          html`<h3>
              ${plans.get(plan)?.title ?? plan}
              ${plans.has(plan) ? html`<span class="muted">${plan}</span>` : ''}
            </h3>
            <div class="board">
              ${ts.map(
                (t) =>
                  html`<a
                    class="chip"
                    href="/tasks/${taskPath(t)}"
                    data-wf="${t.workflowId}"
                    title="${t.title}（${STATUS_ZH[t.status]}，截止 ${t.due}）"
                    >${light(t, today)}${shortId(t.workflowId).slice(plan.length + 1)}</a
                  >`,
              )}
            </div>`,
      )}
      ${tasks.length === 0 ? html`<p class="muted">还没有任务。督查室可用 <code>duban plan start plans/taierzhuang-2016-water.yaml</code> 交办。</p>` : ''}
    </section>

    <div class="grid2">
      <section>
        <h2>按期办结率排名（牵头单位）</h2>
        <table id="ov-rank" data-live>
          <thead>
            <tr>
              <th class="num">名次</th>
              <th>单位</th>
              <th class="num">牵头任务</th>
              <th class="num">已办结</th>
              <th class="num">按期</th>
              <th class="num">逾期</th>
              <th class="num">按期率</th>
            </tr>
          </thead>
          <tbody>
            ${rates.map(
              (r, i) =>
                html`<tr>
                  <td class="num">${r.rate === null ? '—' : i + 1}</td>
                  <td><a href="/tasks?department=${encodeURIComponent(r.department)}">${r.department}</a></td>
                  <td class="num">${r.total}</td>
                  <td class="num">${r.completed}</td>
                  <td class="num">${r.onTime}</td>
                  <td class="num">${r.late}</td>
                  <td class="num">${r.rate === null ? '未到期' : `${Math.round(r.rate * 100)}%`}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <p class="muted">
          按期：在截止日期前提交办结并经审核通过；逾期：逾期提交或至今逾期未办结；尚未到期的任务不计（与<a
            href="/assessment"
            >年度考核</a
          >同一规则）。
        </p>
      </section>
      <section>
        <h2>需关注（逾期、已升级）</h2>
        <table id="ov-attention" data-live>
          <thead>
            <tr>
              <th></th>
              <th>任务</th>
              <th>标题</th>
              <th>牵头单位</th>
              <th>状态</th>
              <th>截止</th>
            </tr>
          </thead>
          <tbody>
            ${attention.map(
              (t) =>
                html`<tr data-wf="${t.workflowId}">
                  <td>${light(t, today)}</td>
                  <td>${taskLink(t)}</td>
                  <td>${t.title}</td>
                  <td>${units(t.lead)}</td>
                  <td>${statusBadge(t.status)}</td>
                  <td class="nw">${t.due}</td>
                </tr>`,
            )}
            ${
              attention.length === 0
                ? html`<tr>
                    <td colspan="6" class="muted">没有逾期或升级的任务</td>
                  </tr>`
                : ''
            }
          </tbody>
        </table>
      </section>
    </div>`;
  return page({ title: '督办总览', principal, nav: '/', watch: '*', charts: true, body });
}
