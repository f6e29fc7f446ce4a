import { actualText, targetText, type IndicatorStatus } from '../domain/indicators';
import { can } from '../services/auth';
import type { IndicatorService } from '../services/indicators';
import { enc, html, type Html } from './html';
import { page } from './layout';
import type { Principal } from './session';

// /indicators: each plan's indicators, every year judged, and for the department that measures one the
// form to record a value. The form posts to the API, which checks again who may record what.

const MET: Record<'true' | 'false' | 'null', Html> = {
  true: html`<span class="badge completed">达标</span>`,
  false: html`<span class="badge overdue">未达标</span>`,
  null: html`<span class="muted">待报送</span>`,
};

function valueForm(plan: string, i: IndicatorStatus, regions: string[]): Html {
  const years = [...new Set(i.targets.map((t) => t.year))];
  return html`<form
    data-form="indicator"
    method="post"
    action="/api/plans/${enc(plan)}/indicators/${enc(i.id)}/values"
  >
    <h3>录入监测值：${i.name}</h3>
    <label
      >年度<select name="year" data-kind="int">
        ${years.map((y) => html`<option value="${y}">${y}</option>`)}
      </select></label
    >
    ${
      regions.length > 0
        ? html`<label
            >区域<select name="region">
              ${regions.map((r) => html`<option value="${r}">${r}</option>`)}
            </select></label
          >`
        : ''
    }
    <label
      >数值（${i.unit}）<input
        name="value"
        required
        maxlength="50"
        placeholder="${i.unit === '类' ? 'Ⅲ' : `例如 45${i.unit}`}"
    /></label>
    <button type="submit">录入</button>
    <div class="form-msg" role="status"></div>
  </form>`;
}

function indicatorBlock(plan: string, i: IndicatorStatus, p: Principal): Html {
  const regions = [...new Set(i.targets.flatMap((t) => (t.region ? [t.region] : [])))];
  const rows = i.targets.map(
    (t) =>
      html`<tr data-indicator="${i.id}" data-year="${t.year}">
        <td>${t.year}</td>
        ${regions.length > 0 ? html`<td>${t.region ?? ''}</td>` : ''}
        <td>${targetText(t.op, t.value, i.unit)}</td>
        <td>${t.actual === null ? '—' : actualText(t.actual, i.unit)}</td>
        <td>${MET[String(t.met) as 'true' | 'false' | 'null']}</td>
      </tr>`,
  );
  const mine = can(p, 'recordIndicator') && p.department === i.department;
  return html`<section class="indicator" id="indicator-${i.id}">
    <h2>${i.name} <small class="muted">${i.id} · ${i.unit} · 监测：${i.department}</small></h2>
    <table>
      <thead>
        <tr>
          <th>年度</th>
          ${regions.length > 0 ? html`<th>区域</th>` : ''}
          <th>目标</th>
          <th>实际</th>
          <th>判定</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${mine ? valueForm(plan, i, regions) : ''}
  </section>`;
}

export async function indicatorsPage(service: IndicatorService | undefined, p: Principal): Promise<string> {
  const plans = service ? await service.plans() : [];
  const blocks: Html[] = [];
  for (const plan of plans) {
    const list = await service!.list(plan);
    blocks.push(
      html`<h2>方案 ${plan}</h2>
        ${list.map((i) => indicatorBlock(plan, i, p))}`,
    );
  }
  return page({
    title: '主要指标',
    principal: p,
    nav: '/indicators',
    watch: '*',
    body:
      blocks.length > 0
        ? html`<p class="muted">
              每年的目标以该年最后录入的监测值判定；年度结束后未达标的，约谈责任镇街和监测单位，方案规定的还实施限批。监测值只能由负责监测的单位录入。
            </p>
            ${blocks}`
        : html`<p>还没有跟踪的指标：在任务分解表中给指标写明 id 和 department 后交办。</p>`,
  });
}
