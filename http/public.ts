import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isOverdue, type TaskStatus, type TaskSummary } from '../domain';
import type { DubanClient } from '../services/facade';
import { TtlCache, publicCacheControl } from '../services/ttl-cache';
import { errors } from './schemas';

// What the plan says is published: progress in numbers. Counts only — no task holds a person's name, but
// nothing here even carries a department's free text.

const Counts = z.object({
  tasks: z.number().int(),
  assigned: z.number().int(),
  acknowledged: z.number().int(),
  submitted: z.number().int(),
  paused: z.number().int().describe('已挂起 / paused'),
  completed: z.number().int(),
  cancelled: z.number().int(),
  overdue: z.number().int().describe('已过截止日期且未提交办结 / past the due date and not submitted'),
});
type Counts = z.infer<typeof Counts>;

const Progress = z.object({
  today: z.string(),
  plans: z.array(
    Counts.extend({
      plan: z.string(),
      byYear: z.array(Counts.extend({ year: z.string().describe('截止年度 / the year due') })),
    }),
  ),
});

const empty = (): Counts => ({
  tasks: 0,
  assigned: 0,
  acknowledged: 0,
  submitted: 0,
  paused: 0,
  completed: 0,
  cancelled: 0,
  overdue: 0,
});

function add(c: Counts, t: TaskSummary, today: string): void {
  c.tasks++;
  c[t.status satisfies TaskStatus]++;
  if (isOverdue(t, today)) c.overdue++;
}

export function progressOf(tasks: readonly TaskSummary[], today: string): z.infer<typeof Progress> {
  const plans = new Map<string, Counts & { byYear: Map<string, Counts> }>();
  for (const t of tasks) {
    let p = plans.get(t.plan);
    if (!p) plans.set(t.plan, (p = { ...empty(), byYear: new Map() }));
    add(p, t, today);
    const year = t.due.slice(0, 4);
    const y = p.byYear.get(year) ?? empty();
    p.byYear.set(year, y);
    add(y, t, today);
  }
  return {
    today,
    plans: [...plans].map(([plan, { byYear, ...c }]) => ({
      plan,
      ...c,
      byYear: [...byYear].sort(([a], [b]) => a.localeCompare(b)).map(([year, y]) => ({ year, ...y })),
    })),
  };
}

export function registerPublicRoutes(
  app: FastifyInstance,
  deps: { facade: Pick<DubanClient, 'list'>; today: () => string; cacheMs?: number },
): void {
  // Anyone may ask, as often as they like: the answer is computed once per TTL and URL.
  const cache = new TtlCache<z.infer<typeof Progress>>(deps.cacheMs);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/public/progress',
    {
      schema: {
        tags: ['public'],
        summary: '方案进度（公开，仅数字） / plan progress (public, numbers only)',
        querystring: z.object({ plan: z.string().max(64).optional() }).strict(),
        response: { 200: Progress, ...errors(400) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', publicCacheControl(cache.ttlMs));
      return cache.get(req.url, async () => {
        const tasks = await deps.facade.list(req.query.plan ? { plan: req.query.plan } : {});
        return progressOf(tasks, deps.today());
      });
    },
  );
}
