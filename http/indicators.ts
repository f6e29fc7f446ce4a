import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import { TemporalUnavailable } from '../services/errors';
import type { IndicatorService } from '../services/indicators';
import { allow } from './session';
import { errors, name } from './schemas';

// Indicators (主要指标): anyone signed in reads them judged; the measuring department records values, one
// at a time or as a monitoring file (CSV), as on the CLI (duban indicator …).

const Value = z.union([z.number(), z.string()]);
const Target = z.object({
  year: z.number().int(),
  region: z.string().optional(),
  op: z.enum(['>=', '>', '<=', '<', 'class']),
  value: Value,
  actual: Value.nullable(),
  met: z.boolean().nullable().describe('null：尚无数据 / no value yet'),
});
const Indicator = z
  .object({
    id: z.string(),
    name: z.string(),
    unit: z.string(),
    department: z.string().describe('监测单位 / the department that measures it'),
    targets: z.array(Target),
  })
  .meta({ id: 'Indicator' });

const slug = (zh: string, en: string) => z.string().regex(SLUG, slugMessage(zh, en));
const PlanParams = z.object({ plan: slug('方案编号', 'a plan id').describe('方案编号 / plan id') });
const IndicatorParams = PlanParams.extend({
  indicator: slug('指标编号', 'an indicator id').describe('指标编号 / indicator id'),
});

const RecordBody = z
  .object({
    year: z.number().int().min(1900).max(2200),
    value: z
      .union([z.number(), z.string().trim().min(1).max(50)])
      .describe(
        '数值，可带单位（45、45%），或水质类别（Ⅲ） / a number, with or without its unit, or a class',
      ),
    region: name.optional().describe('镇街或河流断面（按区域录入的指标） / region or river section'),
  })
  .strict();
const Recorded = z.object({
  indicator: z.string(),
  year: z.number().int(),
  region: z.string().nullable(),
  value: Value,
  unit: z.string(),
  workflowId: z.string().describe('台账链 / the ledger chain'),
  seq: z.number().int(),
});
const ImportBody = z
  .object({ csv: z.string().min(1).max(2_000_000).describe('indicator,year,value[,region] 的 CSV 文本') })
  .strict();

export function registerIndicatorRoutes(app: FastifyInstance, deps: { indicators?: IndicatorService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = () => {
    if (!deps.indicators)
      throw new TemporalUnavailable('指标服务不可用 / indicators are not available here', 'server');
    return deps.indicators;
  };

  api.get(
    '/api/plans/:plan/indicators',
    {
      schema: {
        tags: ['indicators'],
        summary: '方案的指标及逐年目标完成情况 / the plan’s indicators, each year judged',
        params: PlanParams,
        response: { 200: z.array(Indicator), ...errors(400, 401, 503) },
      },
      onRequest: async (req) => void allow(req, 'readIndicators'),
    },
    async (req) => service().list(req.params.plan),
  );

  api.post(
    '/api/plans/:plan/indicators/:indicator/values',
    {
      schema: {
        tags: ['indicators'],
        summary: '录入监测值（负责监测的单位） / record a value (the measuring department)',
        params: IndicatorParams,
        body: RecordBody,
        response: { 201: Recorded, ...errors(400, 401, 403, 503) },
      },
      onRequest: async (req) => void allow(req, 'recordIndicator'),
    },
    async (req, reply) => {
      const p = allow(req, 'recordIndicator');
      const { year, value, region } = req.body;
      const r = await service().record(
        req.params.plan,
        { indicator: req.params.indicator, year, value: String(value), region, as: p.department! },
        'api',
      );
      return reply.code(201).send(r);
    },
  );

  api.post(
    '/api/plans/:plan/indicators/import',
    {
      schema: {
        tags: ['indicators'],
        summary:
          '导入监测数据 CSV（有错误行则全部不录入） / import monitoring data (a file with a bad line records nothing)',
        params: PlanParams,
        body: ImportBody,
        response: { 200: z.object({ recorded: z.number().int() }), ...errors(400, 401, 403, 503) },
      },
      onRequest: async (req) => void allow(req, 'recordIndicator'),
    },
    async (req) => {
      const p = allow(req, 'recordIndicator');
      return service().importCsv(req.params.plan, req.body.csv, p.department!);
    },
  );
}
