import { z } from 'zod';
import { ESCALATION_ZH, PERIOD_ZH, SLUG } from '../domain';
import type { DutyListItem } from '../services/duties';
import type { Ctx } from './context';
import { enc, html } from './html';
import { page, statusBadge, units } from './layout';
import type { Principal } from './session';

const STATE_ZH: Record<DutyListItem['status'], string> = {
  running: '进行中',
  ended: '已到期结束',
  review: '待核定周期',
};

const Query = z.object({ plan: z.string().regex(SLUG).optional().catch(undefined) });

/** Recurring duties (每季度 / 每年 … 任务): each with its period, departments and current occurrence. */
export async function dutiesPage(ctx: Ctx, principal: Principal, query: unknown): Promise<string> {
  const { plan } = Query.parse(query ?? {});
  const duties = await ctx.facade.duties(plan);
  const rows = duties.map((d) => {
    const c = d.current;
    const occurrence = c
      ? html`<a href="/tasks/${enc(d.plan)}/${enc(c.id)}${d.region ? `/${enc(d.region)}` : ''}"
            >${c.period}</a
          >
          截止 ${c.due} ${statusBadge(c.status)}
          ${c.escalation === 'none' ? '' : html`<span class="esc">${ESCALATION_ZH[c.escalation]}</span>`}`
      : html`<span class="muted">—</span>`;
    return html`<tr data-duty="${d.workflowId}">
      <td>${d.plan}</td>
      <td class="nw">${d.region ? `${d.id} · ${d.region}` : d.id}</td>
      <td>${d.title}</td>
      <td class="nw">${d.every ? PERIOD_ZH[d.every] : html`<span class="prov">定期（待核定）</span>`}</td>
      <td>${units(d.lead)}</td>
      <td>${units(d.cooperating)}</td>
      <td class="nw">${STATE_ZH[d.status]}</td>
      <td>${occurrence}</td>
      <td class="nw">${d.next ? `${d.next.period}（${d.next.opensOn} 起）` : '—'}</td>
    </tr>`;
  });
  const body = html`<p class="muted">
      方案中按季度、半年、年度反复进行的工作：每期为一项单独的任务，各有截止日期（期末后若干工作日）和督办阶梯，按期办结并经督查室审核；逾期照常催办、约谈。原文只写“定期”的工作列为待核定，写明周期后再交办。
    </p>
    <table id="duties">
      <thead>
        <tr>
          <th>方案</th>
          <th>编号</th>
          <th>工作</th>
          <th>周期</th>
          <th>牵头单位</th>
          <th>配合单位</th>
          <th>状态</th>
          <th>本期</th>
          <th>下期</th>
        </tr>
      </thead>
      <tbody>
        ${rows}${
          rows.length === 0
            ? html`<tr>
                <td colspan="9" class="muted">没有已交办的周期性工作</td>
              </tr>`
            : ''
        }
      </tbody>
    </table>`;
  return page({ title: '周期性工作', principal, nav: '/duties', watch: '*', body });
}
