import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isRestricted, unitName, type ActiveRestriction } from '../domain';
import type { Store } from '../store';
import { can, principalFromRequest } from '../services/auth';
import { TemporalUnavailable } from '../services/errors';
import type { RestrictionClient } from '../services/restrictions';
import { allow } from './session';
import { errors, name, text } from './schemas';

// 限批 is published: anyone (and any other system) may ask. The public answer says where and since when,
// not who decided or why in their words (free text can name a person).

const PublicRestriction = z.object({
  region: z.string(),
  sector: z.string(),
  since: z.string(),
  taskWorkflowId: z.string().optional().describe('起因任务；无则为督查室决定 / the task that caused it'),
});
const FullRestriction = PublicRestriction.extend({
  reason: z.string(),
  by: z.string(),
  seq: z.number().int().optional(),
  lifted: z.object({ at: z.string(), reason: z.string(), by: z.string() }).optional(),
});
const AnyRestriction = z.union([FullRestriction, PublicRestriction]);

const Check = z
  .object({ region: name.describe('镇街 / region'), sector: name.describe('行业，如 造纸 / sector') })
  .strict();
const CheckResult = z.object({
  region: z.string(),
  sector: z.string(),
  restricted: z.boolean(),
  by: z.array(AnyRestriction),
  source: z
    .enum(['live', 'store'])
    .describe('live：来自流程；store：Temporal 不可用时的数据库记录 / where the answer came from'),
});
const List = z
  .object({
    region: name.optional(),
    all: z
      .enum(['true', 'false'])
      .optional()
      .describe('true：含已解除（需登录） / include lifted ones (signed in)'),
  })
  .strict();
// What a 限批 is imposed on takes the one name rule: the region ends up in a workflow id.
const Change = z.object({ region: unitName, sector: unitName, reason: text(2000) }).strict();
const ChangeResult = z.object({ changed: z.number().int(), active: z.array(FullRestriction) });

type Shown = z.infer<typeof PublicRestriction> & Partial<z.infer<typeof FullRestriction>>;
const publicView = (r: ActiveRestriction): Shown => ({
  region: r.region,
  sector: r.sector,
  since: r.since,
  ...(r.taskWorkflowId ? { taskWorkflowId: r.taskWorkflowId } : {}),
});

export interface RestrictionRouteDeps {
  store: Pick<Store, 'listRestrictions'>;
  restrictions?: RestrictionClient;
}

export function registerRestrictionRoutes(app: FastifyInstance, deps: RestrictionRouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** Live from the region's workflow; the store's record when Temporal does not answer. */
  async function active(region: string): Promise<{ list: ActiveRestriction[]; source: 'live' | 'store' }> {
    if (deps.restrictions)
      try {
        return { list: await deps.restrictions.active(region), source: 'live' };
      } catch (err) {
        if (!(err instanceof TemporalUnavailable)) throw err;
      }
    const stored = await deps.store.listRestrictions({ region, activeOnly: true });
    return { list: stored.map(({ seq: _s, lifted: _l, ...r }) => r), source: 'store' };
  }

  api.get(
    '/api/restrictions/check',
    {
      schema: {
        tags: ['restrictions'],
        summary: '某镇街某行业是否限批（公开） / is this sector of this region under 限批? (public)',
        querystring: Check,
        response: { 200: CheckResult, ...errors(400) },
      },
    },
    async (req) => {
      const { region, sector } = req.query;
      const { list, source } = await active(region);
      const by = isRestricted({ active: list }, sector);
      const full = principalFromRequest(req).role !== 'public';
      return { region, sector, restricted: by.length > 0, by: full ? by : by.map(publicView), source };
    },
  );

  api.get(
    '/api/restrictions',
    {
      schema: {
        tags: ['restrictions'],
        summary: '限批列表（公开：实施中的） / restrictions (public: those in force)',
        querystring: List,
        response: {
          200: z.object({ count: z.number().int(), restrictions: z.array(AnyRestriction) }),
          ...errors(400, 401),
        },
      },
    },
    async (req) => {
      const p = principalFromRequest(req);
      const all = req.query.all === 'true';
      if (all) allow(req, 'readTasks');
      const list = await deps.store.listRestrictions({ region: req.query.region, activeOnly: !all });
      const shown = can(p, 'readTasks') ? list : list.map(publicView);
      return { count: shown.length, restrictions: shown };
    },
  );

  for (const verb of ['impose', 'lift'] as const)
    api.post(
      `/api/restrictions/${verb}`,
      {
        schema: {
          tags: ['restrictions'],
          summary:
            verb === 'impose'
              ? '实施限批（督查室） / impose (supervisor)'
              : '解除限批（督查室） / lift (supervisor)',
          body: Change,
          response: { 200: ChangeResult, ...errors(400, 401, 403, 409, 503) },
        },
        onRequest: async (req) =>
          void allow(req, verb === 'impose' ? 'imposeRestriction' : 'liftRestriction'),
      },
      async (req) => {
        if (!deps.restrictions)
          throw new TemporalUnavailable(
            '限批流程不可用 / the restriction workflows are not reachable',
            'server',
          );
        const { region, sector, reason } = req.body;
        const args = { actor: 'supervisor', sector, reason };
        const change = await (verb === 'impose'
          ? deps.restrictions.impose(region, args)
          : deps.restrictions.lift(region, args));
        return { changed: change.events.length, active: change.active };
      },
    );
}
