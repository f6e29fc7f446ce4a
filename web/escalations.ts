import { z } from 'zod';
import {
  ESCALATION_ZH,
  SEVERE_LEVELS,
  isOpen,
  isRestricted,
  localTime,
  shortId,
  type RestrictionRecord,
} from '../domain';
import type { Ctx } from './context';
import { enc, html, type Html } from './html';
import { light, page, statusBadge, taskLink, units } from './layout';
import { stateOf, todayInChina } from './model';
import { maySeeNames } from '../services/visibility';
import type { Principal } from './session';

const byZh = (by: string) => (by === 'supervisor' ? '督查室' : by === 'ladder' ? '逾期自动升级' : by);

/** A link to the task a workflow id names, each segment encoded (regions are Chinese). */
export function taskIdLink(workflowId: string | undefined): Html {
  if (!workflowId) return html`督查室决定`;
  const id = shortId(workflowId);
  return html`<a href="/tasks/${id.split('/').map(enc).join('/')}">${id}</a>`;
}

export async function interviewsPage(ctx: Ctx, principal: Principal): Promise<string> {
  const today = todayInChina();
  const tasks = (await ctx.facade.list()).filter((t) => SEVERE_LEVELS.includes(t.escalation) && isOpen(t));
  const names = maySeeNames(principal);
  const rows: Html[] = [];
  for (const t of tasks) {
    const iv = stateOf((await ctx.facade.ledger(t.workflowId)).map((e) => e.event))?.interview;
    if (!iv) continue;
    rows.push(
      html`<tr data-wf="${t.workflowId}">
        <td>${light(t, today)}</td>
        <td>${taskLink(t)}</td>
        <td>${t.title}</td>
        <td>${units(t.lead)}${t.region ? ` · ${t.region}` : ''}</td>
        <td class="nw">${localTime(iv.orderedAt)}</td>
        <td>
          ${iv.scheduled ? `${iv.scheduled.time} ${iv.scheduled.place}` : html`<span class="muted">待安排</span>`}
        </td>
        <td>
          ${iv.recorded ? `已记录（${names ? units(iv.recorded.attendees) : `${iv.recorded.attendees.length} 人`}）` : html`<span class="muted">未记录</span>`}
        </td>
        <td>${iv.rectificationDue}${iv.provisional ? html` <span class="prov">暂定</span>` : ''}</td>
        <td>${statusBadge(t.status)} <span class="esc">${ESCALATION_ZH[t.escalation]}</span></td>
      </tr>`,
    );
  }
  const body = html`<p class="muted">
      逾期 30 天的任务约谈责任单位负责人；约谈记录后进入整改期，整改逾期将限批或追责。
    </p>
    <table id="interviews" data-live>
      <thead>
        <tr>
          <th></th>
          <th>任务</th>
          <th>标题</th>
          <th>牵头单位</th>
          <th>决定约谈</th>
          <th>时间地点</th>
          <th>约谈记录</th>
          <th>整改期限</th>
          <th>状态</th>
        </tr>
      </thead>
      <tbody>
        ${rows}${
          rows.length === 0
            ? html`<tr>
                <td colspan="9" class="muted">当前没有进行中的约谈</td>
              </tr>`
            : ''
        }
      </tbody>
    </table>`;
  return page({ title: '进行中的约谈', principal, nav: '/interviews', watch: '*', body });
}

const Check = z.object({
  region: z.string().trim().min(1).max(100).optional().catch(undefined),
  sector: z.string().trim().min(1).max(100).optional().catch(undefined),
});

function byRegion(list: RestrictionRecord[]): Map<string, RestrictionRecord[]> {
  const out = new Map<string, RestrictionRecord[]>();
  for (const r of list) out.set(r.region, [...(out.get(r.region) ?? []), r]);
  return out;
}

/** The check form and its answer; the public page shows the same, without who imposed. */
export function checkSection(list: RestrictionRecord[], q: z.infer<typeof Check>, action: string): Html {
  const regions = [...new Set(list.map((r) => r.region))];
  let answer: Html = html``;
  if (q.region && q.sector) {
    const hits = isRestricted({ active: list.filter((r) => r.region === q.region) }, q.sector);
    answer = hits.length
      ? html`<p class="answer yes">
          限批中：${q.region} ${q.sector}行业新建项目暂停审批（自 ${localTime(hits[0].since)} 起）
        </p>`
      : html`<p class="answer no">未限批：${q.region} ${q.sector}</p>`;
  }
  return html`<form class="filters" method="get" action="${action}">
      <label>镇街<input name="region" list="regions" required value="${q.region ?? ''}" /></label>
      <datalist id="regions">${regions.map((r) => html`<option value="${r}"></option>`)}</datalist>
      <label
        >行业<input name="sector" required value="${q.sector ?? ''}" placeholder="如 造纸、涉水"
      /></label>
      <button type="submit">查询</button>
    </form>
    ${answer}`;
}

export async function restrictionsPage(ctx: Ctx, principal: Principal, raw: unknown): Promise<string> {
  const q = Check.parse(raw ?? {});
  const active = await ctx.store.listRestrictions({ activeOnly: true });
  const groups = byRegion(active);
  const body = html`<h2>查询是否限批</h2>
    ${checkSection(active, q, '/restrictions')}
    <section id="restrictions" data-live>
      <h2>实施中的限批（${active.length} 项）</h2>
      ${[...groups].map(
        ([region, rs]) =>
          html`<h3>${region}</h3>
            <table>
              <thead>
                <tr>
                  <th>行业</th>
                  <th>起始</th>
                  <th>起因</th>
                  <th>理由</th>
                  <th>决定</th>
                </tr>
              </thead>
              <tbody>
                ${rs.map(
                  (r) =>
                    html`<tr>
                      <td class="nw">${r.sector}</td>
                      <td class="nw">${localTime(r.since)}</td>
                      <td>${taskIdLink(r.taskWorkflowId)}</td>
                      <td>${r.reason}</td>
                      <td>${byZh(r.by)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
      )}
      ${active.length === 0 ? html`<p class="muted">当前没有限批</p>` : ''}
    </section>`;
  return page({ title: '限批', principal, nav: '/restrictions', watch: '*', body });
}

export async function accountabilityPage(ctx: Ctx, principal: Principal): Promise<string> {
  const list = (await ctx.store.listAccountability()).slice().reverse();
  const body = html`<p class="muted">追责记录记名到人，离岗后仍可查（终身追责）。</p>
    <table id="accountability" data-live>
      <thead>
        <tr>
          <th>时间</th>
          <th>姓名</th>
          <th>时任职务</th>
          <th>单位</th>
          <th>任务</th>
          <th>事由</th>
          <th>移送</th>
        </tr>
      </thead>
      <tbody>
        ${list.map(
          (a) =>
            html`<tr>
              <td class="nw">${localTime(a.at)}</td>
              <td class="nw">${a.person.name}</td>
              <td class="nw">${a.person.post}</td>
              <td class="nw">${a.person.department}</td>
              <td>${taskIdLink(a.taskWorkflowId)} ${a.taskTitle}</td>
              <td>${a.reason}</td>
              <td class="nw">${a.referral}</td>
            </tr>`,
        )}${
          list.length === 0
            ? html`<tr>
                <td colspan="7" class="muted">暂无追责记录</td>
              </tr>`
            : ''
        }
      </tbody>
    </table>`;
  return page({ title: '追责记录', principal, nav: '/accountability', watch: '*', body });
}
