import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ESCALATION_LEVELS, type TaskSummary } from '../domain';
import { digestListJson, fullDigest, type DigestClient } from '../services/digest';
import { TemporalUnavailable } from '../services/errors';
import { allow } from './session';
import { errors } from './schemas';

// The digest on demand, for the supervision office and leadership: the daily mail tells only what changed.

const DigestQuery = z
  .object({
    full: z
      .enum(['true'])
      .optional()
      .describe(
        '完整清单（默认，也是目前唯一的形式） / the full list (the default, and for now the only form)',
      ),
  })
  .strict();

const DigestList = z.object({
  day: z.string().describe('截至日期（上海时间） / as of this day (Asia/Shanghai)'),
  items: z.array(
    z.object({
      workflowId: z.string(),
      title: z.string(),
      lead: z.array(z.string()),
      due: z.string(),
      escalation: z.enum(ESCALATION_LEVELS),
    }),
  ),
});

const SendResult = z.object({
  workflowId: z.string().describe('发送清单的流程 / the run that mails the list'),
  day: z.string(),
  done: z
    .boolean()
    .describe('false：worker 尚未完成，稍后发送 / the worker has not finished: it mails later'),
  items: z.number().int().optional(),
  sent: z.boolean().optional().describe('false：目录中没有收件人 / no recipient in the directory'),
});

export interface DigestRouteDeps {
  facade: { list(): Promise<TaskSummary[]> };
  today: () => string;
  /** The digest workflow's one-off runs; without it, sending answers 503. */
  digest?: DigestClient;
}

export function registerDigestRoutes(app: FastifyInstance, deps: DigestRouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/digest',
    {
      schema: {
        tags: ['digest'],
        summary:
          '督办摘要：今日逾期及升级任务的完整清单（督查室、区领导） / the full digest list of today (supervisors, leadership)',
        querystring: DigestQuery,
        response: { 200: DigestList, ...errors(400, 401, 403) },
      },
      onRequest: async (req) => void allow(req, 'readDigest'),
    },
    async () => digestListJson(await fullDigest(deps.facade, deps.today())),
  );

  api.post(
    '/api/digest/send',
    {
      schema: {
        tags: ['digest'],
        summary:
          '立即把完整清单发送给区领导（督查室、区领导） / mail the full list to leadership now (supervisors, leadership)',
        response: { 200: SendResult, 202: SendResult, ...errors(401, 403, 503) },
      },
      onRequest: async (req) => void allow(req, 'sendDigest'),
    },
    async (_req, reply) => {
      if (!deps.digest)
        throw new TemporalUnavailable('摘要流程不可用 / the digest workflow is not reachable', 'server');
      const r = await deps.digest.sendFull(deps.today());
      return reply.code(r.done ? 200 : 202).send(r);
    },
  );
}
