import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import { actorOf } from '../services/auth';
import type { AgreementService } from '../services/agreements';
import type { AssessmentService } from '../services/assessment';
import { TemporalUnavailable } from '../services/errors';
import { CONTENT_TYPES } from '../office/document';
import { forbidden } from './errors';
import { attachment } from './office';
import { allow } from './session';
import { errors, name } from './schemas';

// 目标责任书 (each unit's, per plan and year, signed by that unit alone) and the yearly 考核, as on the CLI
// (duban agreement …, duban assessment run).

const PlanYear = z.object({
  plan: z.string().regex(SLUG, slugMessage('方案编号', 'a plan id')).describe('方案编号 / plan id'),
  year: z
    .string()
    .regex(/^\d{4}$/, 'year：应为四位年份 / year: must be a four-digit year')
    .describe('年度 / year'),
});
const PlanYearUnit = PlanYear.extend({ unit: name.describe('镇街或责任单位 / the 镇街 or department') });

const Role = z.enum(['lead', 'cooperating', 'region']);
const Kind = z.enum(['region', 'department']);
const Signature = z
  .object({
    plan: z.string(),
    year: z.number().int(),
    unit: z.string(),
    hash: z.string().describe('签订的内容摘要 / the content hash signed'),
    by: z.string(),
    at: z.string(),
    workflowId: z.string().describe('台账链 / the ledger chain'),
    seq: z.number().int(),
  })
  .meta({ id: 'AgreementSignature' });
const Agreement = z
  .object({
    agreement: z.object({
      plan: z.string(),
      year: z.number().int(),
      unit: z.string(),
      kind: Kind,
      tasks: z.array(
        z.object({
          taskId: z.string(),
          region: z.string().optional(),
          title: z.string(),
          role: Role,
          due: z.string(),
        }),
      ),
      milestones: z.array(
        z.object({
          taskId: z.string(),
          region: z.string().optional(),
          task: z.string(),
          title: z.string(),
          due: z.string(),
        }),
      ),
      duties: z.array(
        z.object({
          dutyId: z.string(),
          region: z.string().optional(),
          title: z.string(),
          role: Role,
          period: z.string(),
          label: z.string(),
        }),
      ),
      indicators: z.array(
        z.object({
          indicator: z.string(),
          name: z.string(),
          region: z.string().optional(),
          target: z.string(),
          role: z.enum(['answerable', 'measuring']),
        }),
      ),
    }),
    hash: z.string().describe('现内容摘要 / the content hash now'),
    signed: Signature.nullable(),
    current: z.boolean().describe('签订的即现内容 / the signed version is the content now'),
  })
  .meta({ id: 'Agreement' });
const AgreementSummary = z.object({
  unit: z.string(),
  kind: Kind,
  tasks: z.number().int(),
  hash: z.string(),
  signed: Signature.nullable(),
  current: z.boolean(),
});
const Weights = z.object({ onTime: z.number(), indicators: z.number() });
const UnitAssessment = z.object({
  rank: z.number().int(),
  unit: z.string(),
  kind: Kind,
  score: z.number(),
  parts: z.object({
    onTime: z.number().nullable(),
    indicators: z.number().nullable(),
    escalations: z.number(),
  }),
  counts: z.object({
    due: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    pending: z.number().int(),
    targets: z.number().int(),
    met: z.number().int(),
    interviews: z.number().int(),
    restrictions: z.number().int(),
    accountability: z.number().int(),
  }),
});
const Assessment = z
  .object({
    plan: z.string(),
    year: z.number().int(),
    asOf: z.string(),
    policy: z.object({
      weights: Weights,
      deductions: z.object({ interview: z.number(), restriction: z.number(), accountability: z.number() }),
    }),
    ranking: z.array(UnitAssessment),
  })
  .meta({ id: 'Assessment' });
const pdf = {
  description: 'PDF',
  content: { [CONTENT_TYPES.pdf]: { schema: z.string().meta({ format: 'binary' }) } },
};

export function registerAssessmentRoutes(
  app: FastifyInstance,
  deps: { agreements?: AgreementService; assessment?: AssessmentService; today: () => string },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const unavailable = () =>
    new TemporalUnavailable(
      '目标责任书与考核不可用 / agreements and assessments are not available here',
      'server',
    );
  const agreements = () =>
    deps.agreements ??
    (() => {
      throw unavailable();
    })();
  const assessment = () =>
    deps.assessment ??
    (() => {
      throw unavailable();
    })();

  api.get(
    '/api/plans/:plan/agreements/:year',
    {
      schema: {
        tags: ['assessment'],
        summary: '方案各单位的年度目标责任书及签订情况 / every unit’s agreement for the year, signed or not',
        params: PlanYear,
        response: { 200: z.array(AgreementSummary), ...errors(400, 401, 503) },
      },
      onRequest: async (req) => void allow(req, 'readAgreement'),
    },
    async (req) => agreements().list(req.params.plan, Number(req.params.year)),
  );

  api.get(
    '/api/plans/:plan/agreements/:year/:unit',
    {
      schema: {
        tags: ['assessment'],
        summary: '某单位的年度目标责任书 / a unit’s agreement for the year',
        params: PlanYearUnit,
        response: { 200: Agreement, ...errors(400, 401, 503) },
      },
      onRequest: async (req) => void allow(req, 'readAgreement'),
    },
    async (req) => agreements().show(req.params.plan, Number(req.params.year), req.params.unit),
  );

  api.post(
    '/api/plans/:plan/agreements/:year/:unit/sign',
    {
      schema: {
        tags: ['assessment'],
        summary:
          '签订目标责任书（仅该镇街或单位本身，督查室不能代签） / sign an agreement (its own unit only, not a supervisor)',
        params: PlanYearUnit,
        body: z.object({}).strict().optional(),
        response: {
          200: Agreement.extend({
            recorded: z.boolean().describe('false：此前已签订，内容未变 / already signed'),
          }),
          ...errors(400, 401, 403, 409, 503),
        },
      },
      onRequest: async (req) => void allow(req, 'signAgreement'),
    },
    async (req) => {
      const p = allow(req, 'signAgreement');
      const me = actorOf(p)!;
      const { plan, year, unit } = req.params;
      if (me !== unit)
        throw forbidden(`${me} 不能代 ${unit} 签订目标责任书 / ${me} may not sign ${unit}'s agreement`);
      return agreements().sign(plan, Number(year), unit, me, new Date().toISOString());
    },
  );

  api.get(
    '/api/plans/:plan/agreements/:year/:unit/agreement.pdf',
    {
      schema: {
        tags: ['assessment'],
        summary: '目标责任书（PDF，可打印） / the agreement as a printable PDF',
        params: PlanYearUnit,
        response: { 200: pdf, ...errors(400, 401, 503) },
      },
      onRequest: async (req) => void allow(req, 'readAgreement'),
    },
    async (req, reply) => {
      const { plan, year, unit } = req.params;
      const bytes = await agreements().pdf(plan, Number(year), unit);
      return attachment(reply, CONTENT_TYPES.pdf, `目标责任书-${plan}-${year}-${unit}.pdf`, bytes);
    },
  );

  api.get(
    '/api/plans/:plan/assessment/:year',
    {
      schema: {
        tags: ['assessment'],
        summary: '年度考核：各镇街、部门得分及排名 / the yearly assessment: every unit scored and ranked',
        params: PlanYear,
        response: { 200: Assessment, ...errors(400, 401, 503) },
      },
      onRequest: async (req) => void allow(req, 'readAssessment'),
    },
    async (req) => assessment().run(req.params.plan, Number(req.params.year), deps.today()),
  );

  api.get(
    '/api/plans/:plan/assessment/:year/:unit/report.pdf',
    {
      schema: {
        tags: ['assessment'],
        summary: '某单位的年度考核结果（PDF，可打印） / a unit’s assessment report as a printable PDF',
        params: PlanYearUnit,
        response: { 200: pdf, ...errors(400, 401, 503) },
      },
      onRequest: async (req) => void allow(req, 'readAssessment'),
    },
    async (req, reply) => {
      const { plan, year, unit } = req.params;
      const bytes = await assessment().unitPdf(plan, Number(year), unit, deps.today());
      return attachment(reply, CONTENT_TYPES.pdf, `考核结果-${plan}-${year}-${unit}.pdf`, bytes);
    },
  );
}
