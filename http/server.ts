import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
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
import { installErrorHandling, type ApiError } from './errors';
import { registerPlanRoutes } from './plans';
import { registerPublicRoutes } from './public';
import { FailedAttempts } from './rate-limit';
import { registerRecordRoutes } from './records';
import { registerRestrictionRoutes } from './restrictions';
import { registerAuth, registerSessionRoutes } from './session';
import { registerTaskRoutes } from './tasks';
import type { DigestClient } from '../services/digest';
import type { DubanClient } from '../services/facade';
import type { RestrictionClient } from '../services/restrictions';
import { registerPages, type PageDeps } from '../web';

export type { ApiError };

/** What the API reads and writes besides the facade. */
export type HttpStore = Pick<
  Store,
  'findToken' | 'searchTasks' | 'listRestrictions' | 'listAccountability' | 'verifyLedger'
>;

export interface HttpOptions {
  facade: DubanClient;
  store: HttpStore;
  /** The regions' 限批 workflows; without them impose/lift answer 503 and checks read the store. */
  restrictions?: RestrictionClient;
  /** The digest workflow's one-off runs; without it, mailing the full list answers 503. */
  digest?: DigestClient;
  config?: Config;
  /** Fastify's logger; off unless asked for. */
  logger?: boolean;
  /** Where unexpected (500) errors are reported; defaults to one line on stderr. */
  onError?: (err: unknown, where: string) => void;
  /** Failed token attempts allowed per address and window (default 10 a minute). */
  auth?: { maxFailures?: number; windowMs?: number };
  /** Today (YYYY-MM-DD, Asia/Shanghai), for what is overdue; defaults to the clock. */
  today?: () => string;
  /** How long a task's detail waits for the workflow's rungs ahead. */
  upcomingTimeoutMs?: number;
  /** The dashboard's options; `false` serves the API alone. */
  pages?: false | Omit<PageDeps, 'facade' | 'store'>;
}

const API_TAGS = [
  'tasks',
  'commands',
  'restrictions',
  'accountability',
  'ledger',
  'digest',
  'plans',
  'public',
  'session',
];

/** The HTTP server: the API under /api (OpenAPI at /docs), /health, and the dashboard's pages. */
export function buildHttpServer(opts: HttpOptions): FastifyInstance {
  const { facade, store } = opts;
  const today = opts.today ?? (() => dayOf(Date.now()));
  const onError =
    opts.onError ??
    ((err: unknown, where: string) =>
      process.stderr.write(
        `[duban] http ${where}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      ));
  const app = Fastify({ logger: opts.logger ?? false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, onError);

  const attempts = new FailedAttempts(opts.auth?.maxFailures, opts.auth?.windowMs);
  registerAuth(app, store, attempts);

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
        ? jsonSchemaTransform(doc)
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
    registerSessionRoutes(api, store, attempts);
    registerTaskRoutes(api, { facade, store, today, upcomingTimeoutMs: opts.upcomingTimeoutMs });
    registerRestrictionRoutes(api, { store, restrictions: opts.restrictions });
    registerRecordRoutes(api, store);
    registerDigestRoutes(api, { facade, today, digest: opts.digest });
    registerPlanRoutes(api, { facade, today });
    registerPublicRoutes(api, { facade, today });
    if (opts.pages !== false) registerPages(api, { facade, store, ...(opts.pages ?? {}) });
  });

  return app;
}
