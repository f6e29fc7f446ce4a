import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SLUG, slugMessage } from '../domain';
import type { DubanClient } from '../services/facade';
import { allow } from './session';
import { Duty, errors } from './schemas';

// A plan's recurring duties, as `duban duty list` shows them.

const PlanParams = z.object({
  plan: z.string().regex(SLUG, slugMessage('方案编号', 'a plan id')).describe('方案编号 / plan id'),
});

export function registerDutyRoutes(app: FastifyInstance, deps: { facade: DubanClient }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/plans/:plan/duties',
    {
      schema: {
        tags: ['plans'],
        summary: '方案的周期性工作及其本期任务 / a plan’s recurring duties, each with its current occurrence',
        params: PlanParams,
        response: { 200: z.object({ plan: z.string(), duties: z.array(Duty) }), ...errors(400, 401, 403) },
      },
      onRequest: async (req) => void allow(req, 'readTasks'),
    },
    async (req) => ({ plan: req.params.plan, duties: await deps.facade.duties(req.params.plan) }),
  );
}
