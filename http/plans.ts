import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import { PlanUnreadable, breakdownToYaml, importPlan } from '../importer';
import { BadInput } from '../services/errors';
import type { DubanClient } from '../services/facade';
import { checkBreakdownInput, startBreakdown, workflowCount } from '../services/plan-ops';
import type { Config } from '../config/config';
import { directoryOf } from '../services/breakdown-directory';
import { temporalAnswers } from './errors';
import { allow } from './session';
import { errors, name } from './schemas';

// Plan import, check and start: the supervision office's, as on the CLI (duban plan …).

const PLAN_BODY_LIMIT = 5 * 1024 * 1024;

const ImportBody = z
  .object({
    text: z
      .string()
      .min(1, '不能为空 / must not be empty')
      .describe('方案原文（UTF-8 文本） / the plan document'),
    id: z.string().regex(SLUG, slugMessage('方案编号', 'a plan id')).optional(),
    fileName: z.string().max(200).optional(),
    regions: z.array(name).optional().describe('镇街名单 / the plan’s regions'),
  })
  .strict();

const BreakdownBody = z
  .object({
    breakdown: z.unknown().optional().describe('任务分解表（JSON） / the breakdown as data'),
    yaml: z.string().optional().describe('或任务分解表文本（YAML/JSON） / or as YAML or JSON text'),
  })
  .strict()
  .refine((b) => (b.breakdown === undefined) !== (b.yaml === undefined), {
    message: '请给出 breakdown 或 yaml 之一 / give exactly one of breakdown or yaml',
    path: ['breakdown'],
  });

const Issue = z.object({ path: z.string(), message: z.string() });
const Breakdown = z.looseObject({ plan: z.looseObject({ id: z.string() }), tasks: z.array(z.unknown()) });

export function registerPlanRoutes(
  app: FastifyInstance,
  deps: { facade: DubanClient; today: () => string; config?: Config },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Breakdowns are checked against the directory the worker mails, as task files are.
  const directory = directoryOf(deps.config);

  api.post(
    '/api/plans/import',
    {
      bodyLimit: PLAN_BODY_LIMIT,
      schema: {
        tags: ['plans'],
        summary: '方案原文分解为任务分解表（督查室） / break a plan document down into tasks (supervisor)',
        body: ImportBody,
        response: {
          200: z.object({
            breakdown: Breakdown,
            yaml: z.string(),
            tasks: z.number().int(),
            workflows: z.number().int(),
          }),
          ...errors(400, 401, 403),
        },
      },
      onRequest: async (req) => void allow(req, 'importPlan'),
    },
    async (req) => {
      const { text, id, fileName, regions } = req.body;
      try {
        const b = importPlan(text, {
          id,
          fileName,
          regions,
          regionsFrom: regions && 'regions',
          today: deps.today(),
        });
        return { breakdown: b, yaml: breakdownToYaml(b), tasks: b.tasks.length, workflows: workflowCount(b) };
      } catch (err) {
        if (err instanceof PlanUnreadable) throw new BadInput('text', `text: ${err.message}`);
        throw err;
      }
    },
  );

  api.post(
    '/api/plans/check',
    {
      bodyLimit: PLAN_BODY_LIMIT,
      schema: {
        tags: ['plans'],
        summary: '检查任务分解表（督查室） / check a reviewed breakdown (supervisor)',
        body: BreakdownBody,
        response: {
          200: z.object({
            ok: z.boolean(),
            plan: z.string().optional(),
            tasks: z.number().int().optional(),
            workflows: z.number().int().optional(),
            issues: z.array(Issue),
          }),
          ...errors(400, 401, 403),
        },
      },
      onRequest: async (req) => void allow(req, 'importPlan'),
    },
    async (req) => {
      const { breakdown: b, issues } = checkBreakdownInput(req.body, directory());
      if (!b || issues.length > 0) return { ok: false, issues };
      return { ok: true, plan: b.plan.id, tasks: b.tasks.length, workflows: workflowCount(b), issues: [] };
    },
  );

  api.post(
    '/api/plans/start',
    {
      bodyLimit: PLAN_BODY_LIMIT,
      schema: {
        tags: ['plans'],
        summary:
          '交办任务分解表的全部任务（督查室，重复交办不会重复启动） / start every task (supervisor, idempotent)',
        body: BreakdownBody,
        response: {
          200: z.object({
            plan: z.string(),
            started: z.number().int(),
            alreadyRunning: z.number().int(),
            results: z.array(z.object({ workflowId: z.string(), started: z.boolean() })),
          }),
          ...errors(400, 401, 403, 503),
        },
      },
      onRequest: async (req) => void allow(req, 'startPlan'),
    },
    async (req) => {
      const { breakdown: b, issues } = checkBreakdownInput(req.body, directory());
      if (!b || issues.length > 0) {
        const first = issues[0] ?? { path: '', message: '任务分解表无效 / invalid breakdown' };
        const field = [req.body.yaml === undefined ? 'breakdown' : 'yaml', first.path]
          .filter(Boolean)
          .join('.');
        const more =
          issues.length > 1 ? `（另有 ${issues.length - 1} 处 / and ${issues.length - 1} more）` : '';
        throw new BadInput(field, `${field}: ${first.message}${more}`);
      }
      await temporalAnswers(deps.facade);
      return startBreakdown(deps.facade, b);
    },
  );
}
