import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import { reportCache, type PublicReport, type ReportDeps } from '../services/public-report';
import { publicCacheControl } from '../services/ttl-cache';
import { ApiProblem } from './errors';
import { errors } from './schemas';

// The yearly public report as JSON: the figures the page and the PDF show, for anyone.

const Row = z.object({
  unit: z.string(),
  planned: z.number().int().describe('年度内到期的任务（不含撤销） / tasks due in the year, not cancelled'),
  done: z.number().int().describe('已办结 / verified'),
  onTime: z.number().int().describe('按期办结 / verified, submitted by the due date'),
  overdue: z.number().int().describe('逾期未办结 / open past the due date'),
  rate: z.number().nullable().describe('按期办结率 onTime/(done+overdue) / the on-time rate'),
});

const Card = z.object({
  enterprise: z.string(),
  code: z.string().optional(),
  region: z.string().optional(),
  sector: z.string().optional(),
  measure: z.string().optional(),
  since: z.string().optional(),
  due: z.string().optional(),
});

export const PublicReportSchema = z
  .object({
    plan: z.string(),
    title: z.string(),
    year: z.number().int(),
    asOf: z.string().describe('数据截至 / the day the figures stand on'),
    issued: z.string(),
    progress: z.object({ total: Row, departments: z.array(Row), regions: z.array(Row) }),
    indicators: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        unit: z.string(),
        department: z.string(),
        targets: z.array(
          z.object({
            region: z.string().optional(),
            target: z.string(),
            actual: z.string().nullable(),
            met: z.boolean().nullable().describe('null：未报送 / not reported'),
          }),
        ),
      }),
    ),
    restrictions: z.array(
      z.object({ region: z.string(), sector: z.string(), since: z.string(), cause: z.string() }),
    ),
    cards: z
      .object({ yellow: z.array(Card), red: z.array(Card) })
      .optional()
      .describe('企业红黄牌名单；缺省：暂无 / the enterprise card lists; absent: not available'),
    ranking: z
      .array(z.object({ unit: z.string(), score: z.number() }))
      .optional()
      .describe('年度考核排名；缺省：暂无 / the yearly assessment; absent: not available'),
  })
  .meta({ id: 'PublicReport' }) satisfies z.ZodType<PublicReport>;

export const reportNotFound = (plan: string) =>
  new ApiProblem(404, {
    error: 'not_found',
    message: `没有方案 ${plan} / no plan ${plan}`,
    field: 'plan',
  });

export function registerReportRoutes(app: FastifyInstance, deps: ReportDeps): void {
  const reports = reportCache(deps);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/public/report/:plan/:year',
    {
      schema: {
        tags: ['public'],
        summary:
          '年度公开报告：任务完成、指标、限批、红黄牌、考核排名（公开，不含人名） / the yearly public report (no person named)',
        params: z.object({
          plan: z
            .string()
            .regex(SLUG, slugMessage('方案编号', 'a plan id'))
            .describe('方案编号 / the plan id'),
          year: z.string().describe('年度，如 2027 / the year, e.g. 2027'),
        }),
        response: { 200: PublicReportSchema, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const report = await reports.get(req.params.plan, req.params.year);
      if (!report) throw reportNotFound(req.params.plan);
      reply.header('cache-control', publicCacheControl(reports.ttlMs));
      return report;
    },
  );
}
