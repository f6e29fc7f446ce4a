import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import { CARD_COLORS, CARD_MEASURES } from '../domain/cards';
import { publicCardLists } from '../services/enterprises';
import { TtlCache, publicCacheControl } from '../services/ttl-cache';
import type { Store } from '../store';
import { signedIn } from './session';
import { errors } from './schemas';

// 红黄牌: the lists the plan says are published (enterprise, card, dates; no person's name, no free text),
// and the registry for those signed in.

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

export function registerEnterpriseRoutes(
  app: FastifyInstance,
  deps: { store: Partial<Pick<Store, 'listCards' | 'listEnterprises'>>; cacheMs?: number },
): void {
  const { store } = deps;
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
            card: c
              ? {
                  card: c.card,
                  color: c.color,
                  measure: c.measure,
                  since: c.since,
                  ...(c.due ? { due: c.due } : {}),
                }
              : null,
          };
        }),
      };
    },
  );
}
