import { BadInput } from '../services/errors';
import { reportDocument, renderReport } from '../services/public-report-document';
import { reportCache, type ReportData, type ReportDeps, type ReportSources } from '../services/public-report';
import { renderHtmlFragment } from '../office/html';
import type { RenderedFile } from '../office/bulletin';
import type { Store } from '../store';
import type { Ctx } from './context';
import { enc, html, Html } from './html';
import { page } from './layout';
import { todayInChina } from './model';
import type { Principal } from './session';

// The yearly public report (/public/report/{plan}/{year}, and .pdf): the one document the PDF and the CLI
// render too, in the dashboard's frame.

/** What the report's pages need beside the dashboard's own. */
export interface ReportPageDeps {
  /** The 红黄牌 lists and the 考核 ranking; without them those sections say 暂无. */
  reportSources?: ReportSources;
  /** Today (YYYY-MM-DD, Asia/Shanghai); defaults to the clock. */
  today?: () => string;
  store: Partial<Pick<Store, 'listIndicators' | 'listIndicatorValues'>>;
}

/** The report's data from what the dashboard holds: tasks and ledgers, 限批, indicators, plan titles. */
export function reportData(ctx: Ctx, store: ReportPageDeps['store']): ReportData {
  return {
    listTasks: (f) => ctx.facade.list(f),
    ledgerFor: (id) => ctx.facade.ledger(id),
    listRestrictions: () => ctx.store.listRestrictions({}),
    ...(store.listIndicators ? { listIndicators: store.listIndicators.bind(store) } : {}),
    ...(store.listIndicatorValues ? { listIndicatorValues: store.listIndicatorValues.bind(store) } : {}),
    planTitle: (plan) => ctx.plans().get(plan)?.title,
  };
}

export type ReportAnswer =
  | { kind: 'page'; status: 200 | 400 | 404; html: string }
  | { kind: 'file'; file: RenderedFile; maxAgeS: number };

/** `/public/report/{plan}/{year}` (a page) or `…/{year}.pdf` (the PDF); a bad year 400, a plan unknown 404. */
export function reportPages(ctx: Ctx, deps: ReportPageDeps & { publicCacheMs?: number }) {
  const reports = reportCache({
    data: reportData(ctx, deps.store),
    sources: deps.reportSources ?? {},
    today: deps.today ?? todayInChina,
    ...(deps.publicCacheMs !== undefined ? { cacheMs: deps.publicCacheMs } : {}),
  } satisfies ReportDeps);

  const refusal = (p: Principal, status: 400 | 404, message: string): ReportAnswer => ({
    kind: 'page',
    status,
    html: page({
      title: status === 404 ? '没有这个方案' : '地址有误',
      principal: p,
      nav: '/public',
      body: html`<p>${message}</p>
        <p><a href="/public">返回公开信息</a></p>`,
    }),
  });

  return async (p: Principal, plan: string, yearParam: string): Promise<ReportAnswer> => {
    const pdf = yearParam.endsWith('.pdf');
    const year = pdf ? yearParam.slice(0, -'.pdf'.length) : yearParam;
    let report;
    try {
      report = await reports.get(plan, year);
    } catch (err) {
      if (err instanceof BadInput) return refusal(p, 400, err.message);
      throw err;
    }
    if (!report) return refusal(p, 404, `没有方案 ${plan} / no plan ${plan}`);
    if (pdf)
      return {
        kind: 'file',
        file: await renderReport(report, 'pdf'),
        maxAgeS: Math.ceil(reports.ttlMs / 1000),
      };
    const base = `/public/report/${enc(plan)}/${report.year}`;
    const body = html`<p class="muted">
        依据工作方案每年向社会公布。不含任何个人姓名。
        <a id="report-pdf" href="${base}.pdf">下载 PDF</a> ·
        <a href="/api/public/report/${enc(plan)}/${report.year}">JSON</a>
      </p>
      <section class="panel report">${new Html(renderHtmlFragment(reportDocument(report)))}</section>`;
    return {
      kind: 'page',
      status: 200,
      html: page({ title: `${report.year} 年度公开报告`, principal: p, nav: '/public', body }),
    };
  };
}
