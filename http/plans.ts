import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import type { Breakdown as PlanBreakdown, CheckResult } from '../importer';
import { BadInput } from '../services/errors';
import type { DubanClient } from '../services/facade';
import { reviewList, startBreakdown, workflowCount } from '../services/plan-ops';
import type { Config } from '../config/config';
import type { IndicatorService } from '../services/indicators';
import { directoryOf } from '../services/breakdown-directory';
import { ApiProblem, temporalAnswers } from './errors';
import { PlanJobFailed, PlanPool } from './plan-pool';
import { allow } from './session';
import { errors, name } from './schemas';

// Plan import, check and start: the supervision office's, as on the CLI (duban plan …).

const PLAN_BODY_LIMIT = 5 * 1024 * 1024;
/** The largest plan text or breakdown YAML taken (UTF-8 bytes); a real plan is well under 200 KB. */
export const PLAN_TEXT_LIMIT = 2 * 1024 * 1024;

export interface PlanLimits {
  /** Bytes of `text` (import) or `yaml` (check, start); over it, 413. */
  maxTextBytes?: number;
  /** How long the importer's thread may take over one document. */
  timeoutMs?: number;
}

/** 413 naming the field when a text is over the cap: refused before any work is done on it. */
function capped(field: string, value: string | undefined, max: number): void {
  if (value === undefined) return;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > max)
    throw new ApiProblem(413, {
      error: 'bad_request',
      field,
      message: `${field}: 过大（${(bytes / 1048576).toFixed(1)} MB，最多 ${(max / 1048576).toFixed(1)} MB） / too large (${bytes} bytes, at most ${max})`,
    });
}

/** The importer's failure as the API says it: the document's fault is a 400 naming the field. */
function asApiError(field: string, err: unknown): unknown {
  if (!(err instanceof PlanJobFailed) || err.reason === 'crashed') return err;
  if (err.reason === 'timeout')
    return new BadInput(
      field,
      `${field}: 文件过于复杂，未能在限定时间内处理 / the document took too long to process (${err.message})`,
    );
  return new BadInput(field, `${field}: ${err.message}`);
}

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
  deps: {
    facade: DubanClient;
    today: () => string;
    limits?: PlanLimits;
    config?: Config;
    /** Starting a plan also tracks its indicators, where there is this service. */
    indicators?: IndicatorService;
  },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const max = deps.limits?.maxTextBytes ?? PLAN_TEXT_LIMIT;
  const pool = new PlanPool(deps.limits?.timeoutMs);
  app.addHook('onClose', async () => pool.close());
  // Breakdowns are checked against the directory the worker mails, as task files are.
  const directory = directoryOf(deps.config);

  /** The breakdown checked on the importer's thread; its text's size capped first. */
  async function checked(body: { breakdown?: unknown; yaml?: string }): Promise<CheckResult> {
    capped('yaml', body.yaml, max);
    try {
      return await pool.run<CheckResult>({ kind: 'check', input: body, directory: directory() });
    } catch (err) {
      throw asApiError(body.yaml === undefined ? 'breakdown' : 'yaml', err);
    }
  }

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
          ...errors(400, 401, 403, 413),
        },
      },
      onRequest: async (req) => void allow(req, 'importPlan'),
    },
    async (req) => {
      const { text, id, fileName, regions } = req.body;
      capped('text', text, max);
      const opts = { id, fileName, regions, regionsFrom: regions && 'regions', today: deps.today() };
      try {
        return await pool.run<{ breakdown: PlanBreakdown; yaml: string; tasks: number; workflows: number }>({
          kind: 'import',
          text,
          opts,
        });
      } catch (err) {
        throw asApiError('text', err);
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
            review: z
              .array(z.object({ line: z.number().int().nullable(), text: z.string(), why: z.string() }))
              .optional(),
          }),
          ...errors(400, 401, 403, 413),
        },
      },
      onRequest: async (req) => void allow(req, 'importPlan'),
    },
    async (req) => {
      const { breakdown: b, issues } = await checked(req.body);
      if (!b || issues.length > 0) return { ok: false, issues };
      return {
        ok: true,
        plan: b.plan.id,
        tasks: b.tasks.length,
        workflows: workflowCount(b),
        issues: [],
        review: reviewList(b),
      };
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
            indicators: z.number().int().optional().describe('跟踪的指标数 / indicators tracked'),
            duties: z.object({
              started: z.number().int(),
              alreadyRunning: z.number().int(),
              review: z.array(z.string()),
              results: z.array(z.object({ workflowId: z.string(), started: z.boolean() })),
            }),
          }),
          ...errors(400, 401, 403, 413, 503),
        },
      },
      onRequest: async (req) => void allow(req, 'startPlan'),
    },
    async (req) => {
      const { breakdown: b, issues } = await checked(req.body);
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
      const started = await startBreakdown(deps.facade, b, deps.today());
      const tracked = await deps.indicators?.start(b);
      return { ...started, ...(tracked ? { indicators: tracked.indicators } : {}) };
    },
  );
}
