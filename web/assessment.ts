import { ROLE_ZH } from '../domain/agreement';
import type { Assessment } from '../domain/assessment';
import type { AgreementService, AgreementSummary, AgreementView } from '../services/agreements';
import type { AssessmentService } from '../services/assessment';
import { actorOf } from '../services/auth';
import { BadInput } from '../services/errors';
import { enc, html, type Html } from './html';
import { page } from './layout';
import type { Principal } from './session';

// /assessment: a plan's yearly 考核 ranking with each unit's breakdown, and its units' 目标责任书 with where
// signing stands; /agreements/{plan}/{year}/{unit}: one agreement, printable, with the 签订 button for that
// unit alone (the form posts to the API, which checks again who may sign).

export interface AssessmentPageDeps {
  agreements?: AgreementService;
  assessment?: AssessmentService;
  today(): string;
  /** The plans there are tasks of. */
  plans(): Promise<string[]>;
}

const KIND_ZH = { region: '镇街', department: '部门' } as const;
const pts = (n: number | null) => (n === null ? '—' : n.toFixed(2));
const agreementPath = (plan: string, year: number, unit: string) =>
  `/agreements/${enc(plan)}/${year}/${enc(unit)}`;

function rankingTable(a: Assessment): Html {
  return html`<table id="assessment-ranking" data-live>
    <thead>
      <tr>
        <th class="num">名次</th>
        <th>单位</th>
        <th>类别</th>
        <th class="num">得分</th>
        <th class="num">按期办结</th>
        <th class="num">指标完成</th>
        <th class="num">问责扣分</th>
        <th>依据</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${a.ranking.map(
        (u) =>
          html`<tr data-unit="${u.unit}">
            <td class="num">${u.rank}</td>
            <td><a href="${agreementPath(a.plan, a.year, u.unit)}">${u.unit}</a></td>
            <td>${KIND_ZH[u.kind]}</td>
            <td class="num">${u.score.toFixed(2)}</td>
            <td class="num">${pts(u.parts.onTime)}</td>
            <td class="num">${pts(u.parts.indicators)}</td>
            <td class="num">${u.parts.escalations.toFixed(2)}</td>
            <td class="muted">
              按期 ${u.counts.onTime}/${u.counts.due}（未到期 ${u.counts.pending}）· 达标
              ${u.counts.met}/${u.counts.targets} · 约谈 ${u.counts.interviews} 限批 ${u.counts.restrictions}
              追责 ${u.counts.accountability}
            </td>
            <td>
              <a href="/api/plans/${enc(a.plan)}/assessment/${a.year}/${enc(u.unit)}/report.pdf">打印</a>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function agreementsTable(plan: string, year: number, list: AgreementSummary[]): Html {
  return html`<table id="agreements" data-live>
    <thead>
      <tr>
        <th>单位</th>
        <th>类别</th>
        <th class="num">年度任务</th>
        <th>签订</th>
      </tr>
    </thead>
    <tbody>
      ${list.map(
        (a) =>
          html`<tr data-unit="${a.unit}">
            <td><a href="${agreementPath(plan, year, a.unit)}">${a.unit}</a></td>
            <td>${KIND_ZH[a.kind]}</td>
            <td class="num">${a.tasks}</td>
            <td>
              ${
                a.signed
                  ? a.current
                    ? html`<span class="badge completed">已签订</span> ${a.signed.at.slice(0, 10)}`
                    : html`<span class="badge overdue">签订后已变更</span>`
                  : html`<span class="muted">未签订</span>`
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export async function assessmentPage(
  deps: AssessmentPageDeps,
  p: Principal,
  query: { plan?: unknown; year?: unknown },
): Promise<string> {
  const plans = await deps.plans();
  const plan = typeof query.plan === 'string' && plans.includes(query.plan) ? query.plan : plans[0];
  const today = deps.today();
  const year =
    typeof query.year === 'string' && /^\d{4}$/.test(query.year)
      ? Number(query.year)
      : Number(today.slice(0, 4));
  const form = html`<form method="get" action="/assessment" class="filters">
    <label
      >方案<select name="plan">
        ${plans.map((x) => html`<option value="${x}" ${x === plan ? 'selected' : ''}>${x}</option>`)}
      </select></label
    >
    <label>年度<input name="year" value="${year}" size="5" inputmode="numeric" /></label>
    <button type="submit">查看</button>
  </form>`;
  let body: Html;
  if (!plan || !deps.assessment || !deps.agreements) body = html`<p>还没有可考核的方案。</p>`;
  else {
    try {
      const a = await deps.assessment.run(plan, year, today);
      const list = await deps.agreements.list(plan, year);
      const w = a.policy.weights;
      const d = a.policy.deductions;
      body = html`<h2>${plan} ${year} 年度考核排名</h2>
        <p class="muted">
          截至 ${a.asOf}。按期办结（权重
          ${w.onTime}）：牵头任务当年到期、在期限内提交办结并经审核的比例；指标完成（权重
          ${w.indicators}）：镇街为本辖区及其负责的年度指标达标比例，部门为其监测的指标达标比例（未报送计未达标）；单位无其中一项的，以另一项计满分。约谈每次扣
          ${d.interview} 分，限批 ${d.restriction} 分，追责 ${d.accountability} 分。同分按单位名称排序。
        </p>
        ${rankingTable(a)}
        <h2>${year} 年度目标责任书</h2>
        ${agreementsTable(plan, year, list)}`;
    } catch (err) {
      if (!(err instanceof BadInput)) throw err;
      body = html`<p class="form-msg bad">${err.message}</p>`;
    }
  }
  return page({
    title: '年度考核',
    principal: p,
    nav: '/assessment',
    watch: '*',
    body: html`${form}${body}`,
  });
}

function agreementBody(v: AgreementView, p: Principal): Html {
  const a = v.agreement;
  const where = (r?: string) => (r ? `（${r}）` : '');
  const mine = actorOf(p) === a.unit && (p.role === 'department' || p.role === 'region');
  const signing = v.signed
    ? v.current
      ? html`<p>
          <span class="badge completed">已签订</span> ${v.signed.by} 于 ${v.signed.at.slice(0, 10)}
          签订（内容摘要 <code>${v.hash.slice(0, 16)}</code>，台账 ${v.signed.workflowId} #${v.signed.seq}）
        </p>`
      : html`<p>
          <span class="badge overdue">签订后内容已变更</span> 签订时摘要
          <code>${v.signed.hash.slice(0, 16)}</code>，现为 <code>${v.hash.slice(0, 16)}</code>，须重新签订。
        </p>`
    : html`<p class="muted">尚未签订（内容摘要 <code>${v.hash.slice(0, 16)}</code>）。</p>`;
  const rows = (header: string[], cells: string[][]) =>
    cells.length === 0
      ? html`<p class="muted">无</p>`
      : html`<table>
          <thead>
            <tr>
              ${header.map((h) => html`<th>${h}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${cells.map(
              (r) =>
                html`<tr>
                  ${r.map((c) => html`<td>${c}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>`;
  return html`<section id="agreement" data-live>
    ${signing}
    ${
      mine && !v.current
        ? html`<form
            data-form="agreement"
            method="post"
            action="/api/plans/${enc(a.plan)}/agreements/${a.year}/${enc(a.unit)}/sign"
          >
            <button type="submit">签订</button>
            <div class="form-msg" role="status"></div>
          </form>`
        : ''
    }
    <p>
      <a href="/api/plans/${enc(a.plan)}/agreements/${a.year}/${enc(a.unit)}/agreement.pdf">打印（PDF）</a>
    </p>
    <h2>年度任务</h2>
    ${rows(
      ['编号', '任务', '职责', '完成时限'],
      a.tasks.map((t) => [`${t.taskId}${where(t.region)}`, t.title, ROLE_ZH[t.role], t.due]),
    )}
    <h2>阶段性节点</h2>
    ${rows(
      ['编号', '任务', '节点', '时限'],
      a.milestones.map((m) => [`${m.taskId}${where(m.region)}`, m.task, m.title, m.due]),
    )}
    <h2>定期任务</h2>
    ${rows(
      ['编号', '任务', '职责', '周期'],
      a.duties.map((d) => [`${d.dutyId}${where(d.region)}`, d.title, ROLE_ZH[d.role], d.period]),
    )}
    <h2>指标目标</h2>
    ${rows(
      ['指标', '区域', '年度目标', '职责'],
      a.indicators.map((i) => [i.name, i.region ?? '全区', i.target, ROLE_ZH[i.role]]),
    )}
  </section>`;
}

export async function agreementPage(
  deps: AssessmentPageDeps,
  p: Principal,
  params: { plan: string; year: string; unit: string },
): Promise<{ status: 200 | 404; html: string }> {
  const title = `目标责任书：${params.unit}（${params.year} 年度）`;
  if (!deps.agreements || !/^\d{4}$/.test(params.year))
    return { status: 404, html: page({ title, principal: p, body: html`<p>没有这份目标责任书。</p>` }) };
  try {
    const v = await deps.agreements.show(params.plan, Number(params.year), params.unit);
    return {
      status: 200,
      html: page({ title, principal: p, nav: '/assessment', watch: '*', body: agreementBody(v, p) }),
    };
  } catch (err) {
    if (!(err instanceof BadInput)) throw err;
    return {
      status: 404,
      html: page({ title, principal: p, body: html`<p class="form-msg bad">${err.message}</p>` }),
    };
  }
}
