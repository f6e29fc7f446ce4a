import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fs from 'node:fs';
import { resolveTaskId } from '../services/facade';
import { TtlCache, publicCacheControl } from '../services/ttl-cache';
import type { Ctx, PageDeps } from './context';
import { indicatorsPage } from './indicators';
import { agreementPage, assessmentPage, type AssessmentPageDeps } from './assessment';
import { TaskDaysCache, loadPlans } from './data';
import { dutiesPage } from './duties';
import { accountabilityPage, interviewsPage, restrictionsPage } from './escalations';
import { html } from './html';
import { page } from './layout';
import { registerEvents, TaskWatcher } from './live';
import { overviewPage } from './overview';
import { todayInChina } from './model';
import { publicPage } from './public';
import { reportPages, type ReportPageDeps } from './report';
import { enterprisesPage } from './enterprises';
import { APP_JS } from './script';
import { mayManageEnterprises, mayReadAccountability, principalOf, requireSignIn } from './session';
import { signinPage } from './signin';
import { APP_CSS } from './style';
import { taskListPage } from './task-list';
import { taskPage } from './task-page';

export type { PageDeps } from './context';
export type { ReportPageDeps } from './report';

// Scripts only from this server, never inline: an escaped value can then never become code.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function sendPage(reply: FastifyReply, body: string, status = 200, cache = 'no-store'): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('cache-control', cache)
    .header('vary', 'cookie, authorization')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

/** The dashboard: server-rendered pages, their assets and the live feed, on the API's server. */
export function registerPages(app: FastifyInstance, deps: PageDeps & Partial<ReportPageDeps>): void {
  let plans: ReturnType<typeof loadPlans> | undefined;
  const ctx: Ctx = {
    facade: deps.facade,
    store: deps.store,
    plans: deps.plans ?? (() => (plans ??= loadPlans())),
    queryTimeoutMs: deps.queryTimeoutMs ?? 3000,
    days: new TaskDaysCache((id) => deps.facade.ledger(id)),
    ...(deps.attachments ? { attachments: deps.attachments } : {}),
  };
  const { watchChanges } = deps.store;
  const watcher = new TaskWatcher(
    () => deps.facade.list(),
    deps.pollMs ?? 1000,
    (err) => app.log.warn({ err }, 'dashboard live feed: listing tasks failed'),
    watchChanges && ((onChange) => watchChanges(() => onChange())),
  );
  const max = deps.events?.max ?? 200;
  registerEvents(app, watcher, {
    max,
    perPrincipal: deps.events?.perPrincipal ?? Math.max(2, Math.min(20, Math.floor(max / 10))),
  });

  const asset = (url: string, type: string, body: () => string | Buffer, maxAge: number) =>
    app.get(url, (_req, reply) =>
      reply
        .type(type)
        .header('cache-control', `public, max-age=${maxAge}`)
        .header('x-content-type-options', 'nosniff')
        .send(body()),
    );
  asset('/assets/app.js', 'text/javascript; charset=utf-8', () => APP_JS, 300);
  asset('/assets/app.css', 'text/css; charset=utf-8', () => APP_CSS, 300);
  let echarts: Buffer | undefined;
  asset(
    '/assets/echarts.min.js',
    'text/javascript; charset=utf-8',
    () => (echarts ??= fs.readFileSync(require.resolve('echarts/dist/echarts.min.js'))),
    86_400,
  );

  const signedIn =
    (
      render: (
        req: FastifyRequest,
        reply: FastifyReply,
        p: ReturnType<typeof principalOf>,
      ) => Promise<unknown>,
    ) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const p = requireSignIn(req, reply);
      if (p) return render(req, reply, p);
      return reply;
    };

  app.get('/signin', (req, reply) =>
    sendPage(reply, signinPage(principalOf(req), (req.query as { next?: unknown }).next)),
  );
  // The anonymous public page, once per TTL and URL however many ask; signed-in readers get it fresh.
  const publicPages = new TtlCache<string>(deps.publicCacheMs);
  app.get('/public', async (req, reply) => {
    const p = principalOf(req);
    if (p.role !== 'public') return sendPage(reply, await publicPage(ctx, p, deps.cardDepartment));
    const body = await publicPages.get(req.url, () => publicPage(ctx, p, deps.cardDepartment));
    return sendPage(reply, body, 200, publicCacheControl(publicPages.ttlMs));
  });
  // The yearly report and its PDF: for anyone, names of no one.
  const report = reportPages(ctx, { ...deps, store: deps.store });
  app.get('/public/report/:plan/:year', async (req, reply) => {
    const { plan, year } = req.params as { plan: string; year: string };
    const r = await report(principalOf(req), plan, year);
    if (r.kind === 'page') return sendPage(reply, r.html, r.status);
    return reply
      .type(r.file.contentType)
      .header('cache-control', `public, max-age=${r.maxAgeS}`)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(r.file.fileName)}`)
      .header('x-content-type-options', 'nosniff')
      .send(r.file.bytes);
  });
  app.get(
    '/',
    signedIn(async (_req, reply, p) => sendPage(reply, await overviewPage(ctx, p))),
  );
  app.get(
    '/tasks',
    signedIn(async (req, reply, p) => sendPage(reply, await taskListPage(ctx, p, req.query))),
  );
  const showTask = signedIn(async (req, reply, p) => {
    const { plan, id, region } = req.params as { plan: string; id: string; region?: string };
    let workflowId: string;
    try {
      workflowId = resolveTaskId(['task', plan, id, region].filter(Boolean).join('/'));
    } catch {
      workflowId = '';
    }
    const r = workflowId
      ? await taskPage(ctx, p, workflowId)
      : {
          status: 404 as const,
          html: page({
            title: '没有这项任务',
            principal: p,
            body: html`<p><a href="/tasks">返回任务列表</a></p>`,
          }),
        };
    return sendPage(reply, r.html, r.status);
  });
  app.get('/tasks/:plan/:id', showTask);
  app.get('/tasks/:plan/:id/:region', showTask);
  app.get(
    '/duties',
    signedIn(async (req, reply, p) => sendPage(reply, await dutiesPage(ctx, p, req.query))),
  );
  app.get(
    '/interviews',
    signedIn(async (_req, reply, p) => sendPage(reply, await interviewsPage(ctx, p))),
  );
  app.get(
    '/restrictions',
    signedIn(async (req, reply, p) => sendPage(reply, await restrictionsPage(ctx, p, req.query))),
  );
  app.get(
    '/indicators',
    signedIn(async (_req, reply, p) => sendPage(reply, await indicatorsPage(deps.indicators, p))),
  );
  const assessing: AssessmentPageDeps = {
    agreements: deps.agreements,
    assessment: deps.assessment,
    today: deps.today ?? todayInChina,
    plans: async () => [...new Set((await deps.facade.list()).map((t) => t.plan))].sort(),
  };
  app.get(
    '/assessment',
    signedIn(async (req, reply, p) =>
      sendPage(reply, await assessmentPage(assessing, p, req.query as Record<string, unknown>)),
    ),
  );
  app.get(
    '/agreements/:plan/:year/:unit',
    signedIn(async (req, reply, p) => {
      const r = await agreementPage(assessing, p, req.params as { plan: string; year: string; unit: string });
      return sendPage(reply, r.html, r.status);
    }),
  );
  app.get(
    '/enterprises',
    signedIn(async (_req, reply, p) => {
      const department = deps.cardDepartment ?? '区环保局';
      if (!mayManageEnterprises(p, department))
        return sendPage(
          reply,
          page({
            title: '无权查看',
            principal: p,
            body: html`<p>企业红黄牌名录仅供督查室和${department}查看；公开名单见“公开信息”。</p>`,
          }),
          403,
        );
      const [enterprises, cards] = await Promise.all([
        deps.store.listEnterprises?.() ?? [],
        deps.store.listCards?.() ?? [],
      ]);
      return sendPage(reply, enterprisesPage(p, { enterprises, cards, department }));
    }),
  );
  app.get(
    '/accountability',
    signedIn(async (_req, reply, p) =>
      mayReadAccountability(p)
        ? sendPage(reply, await accountabilityPage(ctx, p))
        : sendPage(
            reply,
            page({ title: '无权查看', principal: p, body: html`<p>追责记录仅供督查室和区领导查看。</p>` }),
            403,
          ),
    ),
  );
}
