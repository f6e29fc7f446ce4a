import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config';
import { dayOf } from '../domain';
import type { Store } from '../store';
import { registerDigestRoutes } from './digest';
import { registerOfficeRoutes } from './office';
import { ApiError, installErrorHandling } from './errors';
import { registerOriginCheck } from './origin';
import { registerPlanRoutes, type PlanLimits } from './plans';
import { registerDutyRoutes } from './duties';
import { registerEnterpriseRoutes } from './enterprises';
import { registerPublicRoutes } from './public';
import { FailedAttempts, type FailureCounter } from './rate-limit';
import { registerRecordRoutes } from './records';
import { registerReportRoutes } from './report';
import { registerRestrictionRoutes } from './restrictions';
import { registerAuth, registerSessionRoutes, type AuthOptions } from './session';
import { registerTaskRoutes } from './tasks';
import { registerAttachmentRoutes } from './attachments';
import type { AttachmentService } from '../services/attachments';
import type { DigestClient } from '../services/digest';
import type { DubanClient } from '../services/facade';
import type { ReportData, ReportSources } from '../services/public-report';
import { reportSourcesOf } from '../services/report-sources';
import type { RestrictionClient } from '../services/restrictions';
import type { IndicatorService } from '../services/indicators';
import type { EnterpriseService } from '../services/enterprises';
import { approvals } from '../services/people';
import { registerIndicatorRoutes } from './indicators';
import type { AgreementService } from '../services/agreements';
import type { AssessmentService } from '../services/assessment';
import { registerAssessmentRoutes } from './assessment';
import { SESSION_POLICY, type SessionPolicy } from '../services/sign-in';
import { registerPages, type PageDeps } from '../web';

export type { ApiError } from './errors';

/** What the API reads and writes besides the facade. */
export type HttpStore = Pick<
  Store,
  | 'findToken'
  | 'searchTasks'
  | 'listRestrictions'
  | 'listAccountability'
  | 'verifyLedger'
  | 'addSession'
  | 'findSession'
  | 'touchSession'
  | 'deleteSession'
> &
  // The calendar years loaded, to name the calendar a rung was counted on (task detail, task page).
  Partial<Pick<Store, 'calendarYears' | 'watchChanges'>> &
  // The plans' indicators, for the yearly public report; without them it lists none.
  Partial<Pick<Store, 'listIndicators' | 'listIndicatorValues'>> &
  // The enterprises and their 红黄牌; a store without them lists none.
  Partial<Pick<Store, 'listCards' | 'listEnterprises'>>;

export interface HttpOptions {
  facade: DubanClient;
  store: HttpStore;
  /** The regions' 限批 workflows; without them impose/lift answer 503 and checks read the store. */
  restrictions?: RestrictionClient;
  /** The digest workflow's one-off runs; without it, mailing the full list answers 503. */
  digest?: DigestClient;
  /** The plans' indicators; without it their routes answer 503 and starting a plan tracks none. */
  indicators?: IndicatorService;
  /** The enterprise registry's writes (红黄牌), made on first use; without it they answer 503. */
  enterprises?: () => EnterpriseService;
  /** 目标责任书 and 考核; without them their routes answer 503. */
  agreements?: AgreementService;
  assessment?: AssessmentService;
  /** Uploaded files (佐证材料); without it their routes answer 503 and `ledger verify` checks the chain only. */
  attachments?: AttachmentService;
  config?: Config;
  /** Fastify's logger; off unless asked for. */
  logger?: boolean;
  /** Where unexpected (500) errors are reported; defaults to one line on stderr. */
  onError?: (err: unknown, where: string) => void;
  /**
   * Failed token attempts allowed per address and token bucket and window (default 10 a minute), or a
   * counter of one's own (shared through the database); the sign-in session's idle and absolute limits.
   */
  auth?: {
    maxFailures?: number;
    windowMs?: number;
    counter?: FailureCounter;
    session?: Partial<SessionPolicy>;
  };
  /** Today (YYYY-MM-DD, Asia/Shanghai), for what is overdue; defaults to the clock. */
  today?: () => string;
  /** How long a task's detail waits for the workflow's rungs ahead. */
  upcomingTimeoutMs?: number;
  /** The plan importer's caps: text size and time on its worker thread. */
  plans?: PlanLimits;
  /** The yearly public report's 红黄牌 lists and 考核 ranking; without them those sections say 暂无. */
  reportSources?: ReportSources;
  /** The dashboard's options; `false` serves the API alone. */
  pages?: false | Omit<PageDeps, 'facade' | 'store'>;
}

type TransformArg = Parameters<typeof jsonSchemaTransform>[0];

/**
 * A route as the document says it, beside what its own schema names: 429 wherever a token is looked at
 * (every /api route: a wrong one counts against the limiter), 414 wherever a path parameter can be too
 * long (fastify's maxParamLength), and a 204 as no content at all.
 */
function documented(doc: TransformArg): ReturnType<typeof jsonSchemaTransform> {
  const response = { ...((doc.schema.response ?? {}) as Record<string, unknown>) };
  if (doc.url.startsWith('/api/')) response[429] ??= ApiError;
  if (doc.url.includes(':')) response[414] ??= ApiError;
  const out = jsonSchemaTransform({ ...doc, schema: { ...doc.schema, response } });
  const responses = (out.schema as { response?: Record<string, { description?: string }> }).response;
  // @fastify/swagger writes a `type: null` response without content; zod's "nothing" comes out as JSON.
  if (responses?.[204]) responses[204] = { type: 'null', description: responses[204].description } as never;
  return out;
}

const API_TAGS = [
  'tasks',
  'commands',
  'restrictions',
  'accountability',
  'ledger',
  'digest',
  'bulletin',
  'plans',
  'indicators',
  'assessment',
  'enterprises',
  'public',
  'session',
];

/** The HTTP server: the API under /api (OpenAPI at /docs), /health, and the dashboard's pages. */
export function buildHttpServer(opts: HttpOptions): FastifyInstance {
  const { facade, store } = opts;
  const today = opts.today ?? (() => dayOf(Date.now()));
  const onError =
    opts.onError ??
    ((err: unknown, where: string) => {
      // A Temporal client error's stack says little; its gRPC cause says what the server answered.
      let cause = err as { cause?: unknown; code?: unknown; details?: unknown } | undefined;
      for (let depth = 0; cause && typeof cause.code !== 'number' && depth < 5; depth++)
        cause = cause.cause as typeof cause;
      const grpc =
        cause && typeof cause.code === 'number' ? ` (gRPC ${cause.code}: ${String(cause.details)})` : '';
      process.stderr.write(
        `[duban] http ${where}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${grpc}\n`,
      );
    });
  const http = opts.config?.http;
  // Behind a reverse proxy the client's address and protocol come from its X-Forwarded-* headers, and
  // only from the proxies named here (DUBAN_TRUST_PROXY); off, the socket's own.
  const tp = http?.trustProxy ?? false;
  const app = Fastify({
    logger: opts.logger ?? false,
    // The router's own refusals (a path parameter over maxParamLength: 414; a malformed URL) in the
    // API's error shape, like every other answer.
    frameworkErrors: (err, _req, reply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      void (reply as FastifyReply).code(status).send({
        error: 'bad_request',
        message:
          status === 414
            ? '地址过长 / the URL is too long (a path segment is over 100 characters)'
            : `地址无效 / bad URL: ${err.message}`,
      } satisfies ApiError);
    },
    // A hop count: trust that many proxies nearest the server (what fastify does with a number).
    trustProxy: typeof tp === 'number' ? (_addr: string, hop: number) => hop < tp : tp,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, onError);

  const auth: AuthOptions = {
    attempts: opts.auth?.counter ?? new FailedAttempts(opts.auth?.maxFailures, opts.auth?.windowMs),
    secureCookie: http?.secureCookie ?? 'auto',
    session: { ...SESSION_POLICY, ...opts.auth?.session },
  };
  registerAuth(app, store, auth);
  registerOriginCheck(app);

  void app.register(swagger, {
    openapi: {
      info: {
        title: 'duban 督办 API',
        description:
          '政府工作方案任务督办。认证：`Authorization: Bearer <令牌>`（`duban token create`）或登录 Cookie。 / ' +
          'Task accountability for government work plans. Auth: a bearer token or the sign-in cookie.',
        version: '1',
      },
      tags: API_TAGS.map((name) => ({ name })),
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Pages are not API: left out of the document.
    transform: (doc) =>
      doc.url.startsWith('/api/') || doc.url === '/health'
        ? documented(doc)
        : { schema: { ...doc.schema, hide: true }, url: doc.url },
    // Emits the schemas named with .meta({ id }) under components, where the routes' $refs point.
    transformObject: jsonSchemaTransformObject,
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });

  // Registered after swagger, so it sees every route.
  void app.register(async (api) => {
    api.withTypeProvider<ZodTypeProvider>().get(
      '/health',
      {
        schema: {
          tags: ['public'],
          summary: '服务是否正常 / is the service up',
          security: [],
          response: { 200: z.object({ ok: z.boolean(), temporal: z.enum(['up', 'down']) }) },
        },
      },
      async () => ({ ok: true, temporal: await facade.health() }),
    );
    registerSessionRoutes(api, store, auth);
    registerTaskRoutes(api, {
      facade,
      store,
      today,
      upcomingTimeoutMs: opts.upcomingTimeoutMs,
      approverOf: approvals(opts.config),
    });
    registerRestrictionRoutes(api, { store, restrictions: opts.restrictions });
    registerAttachmentRoutes(api, { facade, attachments: opts.attachments });
    registerRecordRoutes(api, store, opts.attachments);
    registerDigestRoutes(api, { facade, today, digest: opts.digest });
    registerOfficeRoutes(api, { facade, store, today });
    registerPlanRoutes(api, {
      facade,
      today,
      limits: opts.plans,
      config: opts.config,
      indicators: opts.indicators,
    });
    registerIndicatorRoutes(api, { indicators: opts.indicators });
    registerDutyRoutes(api, { facade });
    registerAssessmentRoutes(api, { agreements: opts.agreements, assessment: opts.assessment, today });
    registerPublicRoutes(api, { facade, today });
    // The plans' titles the pages are given, else the breakdown files (the report's default).
    const plansOf = opts.pages ? opts.pages.plans : undefined;
    const reportData: ReportData = {
      listTasks: (f) => facade.list(f),
      ledgerFor: (id) => facade.ledger(id),
      listRestrictions: () => store.listRestrictions({}),
      ...(store.listIndicators ? { listIndicators: store.listIndicators.bind(store) } : {}),
      ...(store.listIndicatorValues ? { listIndicatorValues: store.listIndicatorValues.bind(store) } : {}),
      ...(plansOf ? { planTitle: (p: string) => plansOf().get(p)?.title } : {}),
    };
    const reportSources =
      opts.reportSources ??
      reportSourcesOf({
        assessment: opts.assessment,
        ...(store.listCards ? { cards: { listCards: store.listCards.bind(store) } } : {}),
      });
    registerReportRoutes(api, { data: reportData, sources: reportSources, today });
    registerEnterpriseRoutes(api, {
      store,
      ...(opts.enterprises ? { enterprises: opts.enterprises } : {}),
      ...(opts.config ? { department: opts.config.cards.department } : {}),
    });
    if (opts.pages !== false)
      registerPages(api, {
        facade,
        store,
        ...(opts.indicators ? { indicators: opts.indicators } : {}),
        ...(opts.agreements ? { agreements: opts.agreements } : {}),
        ...(opts.assessment ? { assessment: opts.assessment } : {}),
        today,
        ...(opts.attachments ? { attachments: opts.attachments } : {}),
        ...(http ? { events: { max: http.sseMax } } : {}),
        reportSources,
        ...(opts.config ? { cardDepartment: opts.config.cards.department } : {}),
        ...(opts.pages ?? {}),
      });
  });

  return app;
}
