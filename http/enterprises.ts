import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import {
  CARD_COLORS,
  CARD_MEASURES,
  DEFAULT_CARD_POLICY,
  INSPECTION_RESULTS,
  MAX_CARD_TEXT,
  cardSummary,
} from '../domain/cards';
import { actorOf, type CardScope } from '../services/auth';
import { TemporalUnavailable } from '../services/errors';
import { publicCardLists, type EnterpriseService } from '../services/enterprises';
import { TtlCache, publicCacheControl } from '../services/ttl-cache';
import type { Store } from '../store';
import { allow, signedIn } from './session';
import { date, errors, name, text } from './schemas';

// 红黄牌: the lists the plan says are published (enterprise, card, dates; no person's name, no free text),
// the registry for those signed in, and its writes for the card department and supervisors — through the
// service the CLI uses (duban enterprise …), which checks the codes, regions and cards.

const MEASURE = z.enum([...CARD_MEASURES.yellow, ...CARD_MEASURES.red]);

const PublicCard = z
  .object({
    name: z.string().describe('企业名称 / the enterprise'),
    code: z.string().describe('统一社会信用代码 / unified social credit code'),
    region: z.string().describe('所在镇街 / its 镇街'),
    sector: z.string(),
    color: z.enum(CARD_COLORS),
    measure: MEASURE.describe('限产、停产整治（黄牌）；停业、关闭（红牌）'),
    since: z.string().describe('挂此牌之日 / the day it became this color'),
    due: z.string().optional().describe('黄牌整改期限 / a yellow card’s deadline'),
    lifted: z.string().optional().describe('撤牌之日（按年度查询时） / the day it was lifted (by year)'),
  })
  .meta({ id: 'PublicCard' });

const CardLists = z.object({ yellow: z.array(PublicCard), red: z.array(PublicCard) });

const Enterprise = z
  .object({
    code: z.string(),
    name: z.string(),
    region: z.string(),
    sector: z.string(),
    registeredAt: z.string(),
    card: z
      .object({
        card: z.number().int(),
        color: z.enum(CARD_COLORS),
        measure: MEASURE,
        since: z.string(),
        due: z.string().optional(),
      })
      .nullable()
      .describe('未撤销的牌；null：无 / the open card; null: none'),
  })
  .meta({ id: 'Enterprise' });

// The credit code is the service's to judge, so a bad one is refused in the CLI's words.
const code = z.string().max(100).describe('统一社会信用代码（18 位） / unified social credit code');
const CodeParams = z.object({ code: code.min(1) });

const AddBody = z.object({ name, code, region: name.describe('所在镇街 / its 镇街'), sector: name }).strict();
const Registered = z.object({
  code: z.string(),
  name: z.string(),
  region: z.string(),
  sector: z.string(),
  registeredAt: z.string(),
});
const CardBody = z
  .object({
    color: z.enum(CARD_COLORS),
    reason: text(MAX_CARD_TEXT),
    measure: MEASURE.optional().describe('默认：黄牌停产整治，红牌停业 / default: 停产整治 yellow, 停业 red'),
    due: date.optional().describe('黄牌整改期限（默认按策略） / a yellow card’s deadline (default: policy)'),
    plan: z.string().regex(SLUG, slugMessage('方案编号', 'a plan id')).optional(),
  })
  .strict();
const CardGiven = z.object({
  workflowId: z.string(),
  code: z.string(),
  card: z.number().int(),
  color: z.enum(CARD_COLORS),
  measure: MEASURE,
  due: z.string().optional(),
});
const InspectionBody = z
  .object({
    result: z.enum(INSPECTION_RESULTS).describe('pass 合格 | fail 不合格'),
    note: text(MAX_CARD_TEXT).describe('检查情况 / what was found'),
  })
  .strict();
const Inspected = z.object({
  card: z
    .object({
      code: z.string(),
      card: z.number().int(),
      color: z.enum(CARD_COLORS),
      measure: MEASURE,
      since: z.string(),
      due: z.string().optional(),
      status: z.enum(['open', 'lifted']),
    })
    .optional()
    .describe('复查后的牌；无牌的企业：无 / the card after it; absent for an enterprise with none'),
  seq: z.number().int().optional().describe('无牌企业的检查在台账上的位置 / the ledger place (no card)'),
});

export function registerEnterpriseRoutes(
  app: FastifyInstance,
  deps: {
    store: Partial<Pick<Store, 'listCards' | 'listEnterprises'>>;
    enterprises?: () => EnterpriseService;
    /** Who cards (config.cards.department). */
    department?: string;
    cacheMs?: number;
  },
): void {
  const { store } = deps;
  const cards: CardScope = { department: deps.department ?? DEFAULT_CARD_POLICY.department };
  const service = () => {
    if (!deps.enterprises)
      throw new TemporalUnavailable(
        '企业名录不可用 / the enterprise registry is not available here',
        'server',
      );
    return deps.enterprises();
  };
  const may = async (req: Parameters<typeof allow>[0]) =>
    void allow(req, 'manageEnterprises', undefined, cards);
  /** The name the service acts under: the department, or the 督查室 for a supervisor. */
  const as = (req: Parameters<typeof allow>[0]) =>
    actorOf(allow(req, 'manageEnterprises', undefined, cards)) ?? '';
  const cache = new TtlCache<z.infer<typeof CardLists>>(deps.cacheMs);
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/public/cards',
    {
      schema: {
        tags: ['public'],
        summary: '企业红黄牌名单（公开） / the enterprises’ yellow and red lists (public)',
        querystring: z
          .object({
            plan: z
              .string()
              .regex(SLUG, slugMessage('方案编号', 'a plan id'))
              .optional()
              .describe('该方案的牌及未指明方案的牌 / that plan’s cards and those of no plan'),
            year: z
              .string()
              .regex(/^\d{4}$/, '年度应为四位数字 / year must be four digits')
              .optional()
              .describe('该年度内挂过的牌 / the cards open at some time that year; absent: open now'),
          })
          .strict(),
        response: { 200: CardLists, ...errors(400) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', publicCacheControl(cache.ttlMs));
      return cache.get(req.url, async () => {
        if (!store.listCards) return { yellow: [], red: [] };
        const { plan, year } = req.query;
        return publicCardLists(
          { listCards: store.listCards },
          {
            ...(plan ? { plan } : {}),
            ...(year ? { year: Number(year) } : {}),
          },
        );
      });
    },
  );

  api.get(
    '/api/enterprises',
    {
      schema: {
        tags: ['enterprises'],
        summary: '企业名录及其未撤销的牌 / the registry, each enterprise with its open card',
        response: { 200: z.object({ enterprises: z.array(Enterprise) }), ...errors(401) },
      },
    },
    async (req) => {
      signedIn(req);
      if (!store.listEnterprises || !store.listCards) return { enterprises: [] };
      const [list, open] = await Promise.all([store.listEnterprises(), store.listCards({ openOnly: true })]);
      const cardOf = new Map(open.map((c) => [c.code, c]));
      return {
        enterprises: list.map(({ registeredBy: _by, ...e }) => {
          const c = cardOf.get(e.code);
          return {
            ...e,
            card: c ? cardSummary(c) : null,
          };
        }),
      };
    },
  );

  api.post(
    '/api/enterprises',
    {
      schema: {
        tags: ['enterprises'],
        summary:
          '登记企业（区环保局或督查室） / register an enterprise (the card department or a supervisor)',
        body: AddBody,
        response: { 201: Registered, ...errors(400, 401, 403, 503) },
      },
      onRequest: may,
    },
    async (req, reply) => {
      const { registeredBy: _by, ...e } = await service().add(req.body, as(req));
      return reply.code(201).send(e);
    },
  );

  // The file as it is (text/csv), parsed here only: every other route takes JSON.
  void app.register(async (scope) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 2_000_000 }, (_req, body, done) =>
      done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/enterprises/import',
      {
        schema: {
          tags: ['enterprises'],
          summary:
            '导入企业名录 CSV：name,code,region,sector；有错误行则全部不登记 / import the registry (CSV); a file with a bad line registers nothing',
          consumes: ['text/csv'],
          body: z.string().max(2_000_000).describe('name,code,region,sector 的 CSV 文本 / the CSV'),
          response: { 200: z.object({ added: z.number().int() }), ...errors(400, 401, 403, 413, 415, 503) },
        },
        onRequest: may,
      },
      async (req) => service().importCsv(req.body, as(req)),
    );
  });

  api.post(
    '/api/enterprises/:code/cards',
    {
      schema: {
        tags: ['enterprises'],
        summary:
          '挂黄牌（限产、停产整治，限期整改）或红牌（停业、关闭） / give a yellow card (with a deadline) or a red one',
        params: CodeParams,
        body: CardBody,
        response: { 201: CardGiven, ...errors(400, 401, 403, 409, 503) },
      },
      onRequest: may,
    },
    async (req, reply) =>
      reply.code(201).send(await service().card({ ...req.body, code: req.params.code }, as(req))),
  );

  api.post(
    '/api/enterprises/:code/inspections',
    {
      schema: {
        tags: ['enterprises'],
        summary:
          '记录检查结果；有牌的企业复查合格即撤牌，不合格黄牌升红牌 / record an inspection: pass lifts a card, fail turns a yellow red',
        params: CodeParams,
        body: InspectionBody,
        response: { 200: Inspected, ...errors(400, 401, 403, 409, 503) },
      },
      onRequest: may,
    },
    async (req) => {
      const r = await service().inspect({ ...req.body, code: req.params.code }, as(req));
      if (!r.card) return { seq: r.seq };
      const { code, card, color, measure, since, due, status } = r.card;
      return { card: { code, card, color, measure, since, ...(due ? { due } : {}), status } };
    },
  );
}
