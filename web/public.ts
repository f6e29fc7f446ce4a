import { localTime, shortId, type TaskSummary } from '../domain';
import type { IndicatorTarget } from '../importer';
import type { Ctx } from './context';
import type { PlanInfo } from './data';
import { enc, html, type Html } from './html';
import { page } from './layout';
import { progressByYear, todayInChina } from './model';
import { publicCardLists } from '../services/enterprises';
import { publicCardTable } from './enterprises';
import type { Principal } from './session';

// What the plan says must be disclosed, and nothing that names a person: no people, attendees, heads,
// who decided, nor free-text reasons a supervisor typed (they could name someone).

const OP_ZH: Record<string, string> = {
  '>=': '≥',
  '>': '>',
  '<=': '≤',
  '<': '<',
  '=': '=',
  '+>=': '提高≥',
  '->=': '削减≥',
};

const target = (t: IndicatorTarget | undefined) =>
  !t ? '—' : t.op && t.value !== null ? `${OP_ZH[t.op] ?? t.op}${t.value}${t.unit ?? ''}` : t.text;

function indicatorTable(plan: PlanInfo): Html {
  if (plan.indicators.length === 0) return html``;
  const years = [...new Set(plan.indicators.flatMap((i) => i.targets.map((t) => t.year)))].sort();
  return html`<h3>主要指标（年度目标）</h3>
    <table>
      <thead>
        <tr>
          <th>指标</th>
          ${years.map((y) => html`<th>${y} 年</th>`)}
        </tr>
      </thead>
      <tbody>
        ${plan.indicators.map(
          (i) =>
            html`<tr>
              <td>${i.name}</td>
              ${years.map((y) => html`<td>${target(i.targets.find((t) => t.year === y))}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** The yearly public report of each year the plan has tasks due in. */
function reportLinks(plan: string, tasks: TaskSummary[]): Html {
  const years = [...new Set(tasks.map((t) => t.due.slice(0, 4)))].sort();
  if (years.length === 0) return html``;
  return html`<p class="report-links">
    年度公开报告：${years.map(
      (y, i) => html`${i ? ' · ' : ''}<a href="/public/report/${enc(plan)}/${y}">${y} 年</a>`,
    )}
  </p>`;
}

function yearTable(tasks: TaskSummary[], today: string): Html {
  const rows = progressByYear(tasks, today);
  return html`<h3>任务完成情况（按截止年度）</h3>
    <table>
      <thead>
        <tr>
          <th>年度</th>
          <th class="num">任务</th>
          <th class="num">已办结</th>
          <th class="num">办理中</th>
          <th class="num">逾期未办结</th>
          <th class="num">完成率</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>${r.year}</td>
              <td class="num">${r.total}</td>
              <td class="num">${r.completed}</td>
              <td class="num">${r.open}</td>
              <td class="num">${r.overdue}</td>
              <td class="num">${Math.round((100 * r.completed) / r.total)}%</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export async function publicPage(
  ctx: Ctx,
  principal: Principal,
  cardDepartment = '区环保局',
): Promise<string> {
  const today = todayInChina();
  const tasks = (await ctx.facade.list()).filter((t) => t.status !== 'cancelled');
  const plans = ctx.plans();
  const planIds = [...new Set(tasks.map((t) => t.plan))];
  const restrictions = await ctx.store.listRestrictions({ activeOnly: true });
  const titleOf = new Map(tasks.map((t) => [t.workflowId, t.title]));
  const { listCards } = ctx.store;
  const { red, yellow } = listCards ? await publicCardLists({ listCards }) : { red: [], yellow: [] };

  const body = html`<p class="muted">
      依据工作方案公开：年度进展、实施中的限批、红黄牌名单。数据截至 ${today}，随任务办理实时更新。
    </p>
    <section id="pub-progress" data-live>
      ${planIds.map((id) => {
        const plan = plans.get(id);
        return html`<section class="panel">
          <h2>${plan?.title ?? id}</h2>
          ${yearTable(
            tasks.filter((t) => t.plan === id),
            today,
          )}${plan ? indicatorTable(plan) : ''}${reportLinks(
            id,
            tasks.filter((t) => t.plan === id),
          )}
        </section>`;
      })}
      ${planIds.length === 0 ? html`<p class="muted">暂无公开的工作方案进展</p>` : ''}
    </section>
    <section id="pub-restrictions" data-live class="panel">
      <h2>实施中的限批</h2>
      ${
        restrictions.length
          ? html`<table>
              <thead>
                <tr>
                  <th>镇街</th>
                  <th>行业</th>
                  <th>起始</th>
                  <th>起因</th>
                </tr>
              </thead>
              <tbody>
                ${restrictions.map(
                  (r) =>
                    html`<tr>
                      <td class="nw">${r.region}</td>
                      <td class="nw">${r.sector}</td>
                      <td class="nw">${localTime(r.since)}</td>
                      <td>
                        ${
                          r.taskWorkflowId
                            ? `任务 ${shortId(r.taskWorkflowId)} ${titleOf.get(r.taskWorkflowId) ?? ''} 整改逾期未完成`
                            : '督查室决定'
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">当前没有限批</p>`
      }
    </section>
    <section id="pub-cards" data-live>
      <p class="muted">
        排污企业红黄牌：由${cardDepartment}检查认定；黄牌（限产、停产整治）限期整改，复查合格即撤牌，逾期或复查不合格升为红牌（停业、关闭）。
      </p>
      <div class="grid2">
        <div class="panel">
          <h2>红牌企业</h2>
          ${publicCardTable(red, 'red')}
        </div>
        <div class="panel">
          <h2>黄牌企业</h2>
          ${publicCardTable(yellow, 'yellow')}
        </div>
      </div>
    </section>`;
  // The live feed is for signed-in readers; the public's copy is cached and refreshed on reload.
  return page({
    title: '工作方案公开信息',
    principal,
    nav: '/public',
    ...(principal.role === 'public' ? {} : { watch: '*' }),
    body,
  });
}
