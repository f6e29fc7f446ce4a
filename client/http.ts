import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Config } from '../app/config';
import { BadInput, TaskNotFound } from './errors';
import { TaskFilterQuery, resolveTaskId, type DubanClient } from './facade';

export interface HttpOptions {
  facade: DubanClient;
  config?: Config;
  /** Fastify's logger; off unless asked for. */
  logger?: boolean;
  /** Where unexpected (500) errors are reported; defaults to one line on stderr. */
  onError?: (err: unknown, where: string) => void;
}

/** Every error the API answers with: a code, a readable `中文 / English` message and, for bad input, the field. */
export interface ApiError {
  error: 'bad_request' | 'not_found' | 'internal';
  message: string;
  field?: string;
}

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TaskParams = z.object({
  plan: z.string().regex(SLUG, '方案编号只能用字母、数字、. _ - / a plan id has letters, digits, . _ - only'),
  id: z.string().regex(SLUG, '任务编号只能用字母、数字、. _ - / a task id has letters, digits, . _ - only'),
  region: z.string().min(1).max(100).optional(),
});

function badRequest(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const iss = error.issues[0];
  if (iss.code === 'unrecognized_keys') {
    const field = iss.keys[0];
    return reply.code(400).send({
      error: 'bad_request',
      field,
      message: `${field}: 未知参数 / unknown parameter (allowed: plan, status, department)`,
    } satisfies ApiError);
  }
  const field = iss.path.map(String).join('.');
  return reply
    .code(400)
    .send({ error: 'bad_request', field, message: `${field}: ${iss.message}` } satisfies ApiError);
}

/** The read side of duban over HTTP. Commands stay with the CLI until the API authenticates its callers. */
export function buildHttpServer(opts: HttpOptions): FastifyInstance {
  const { facade } = opts;
  const onError =
    opts.onError ??
    ((err: unknown, where: string) =>
      process.stderr.write(
        `[duban] http ${where}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      ));
  const app = Fastify({ logger: opts.logger ?? false });

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      error: 'not_found',
      message: `没有这个地址 ${req.method} ${req.url} / no route ${req.method} ${req.url}`,
    } satisfies ApiError),
  );

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (err instanceof BadInput) {
      return reply
        .code(400)
        .send({ error: 'bad_request', field: err.field, message: err.message } satisfies ApiError);
    }
    if (err instanceof TaskNotFound) {
      return reply.code(404).send({ error: 'not_found', message: err.message } satisfies ApiError);
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (malformed URL, body, …): the message, never the stack.
      return reply.code(status).send({ error: 'bad_request', message: err.message } satisfies ApiError);
    }
    onError(err, `${req.method} ${req.url}`);
    return reply
      .code(500)
      .send({ error: 'internal', message: '服务器内部错误 / internal server error' } satisfies ApiError);
  });

  app.get('/health', async () => ({ ok: true, temporal: await facade.health() }));

  app.get('/api/tasks', async (req, reply) => {
    const q = TaskFilterQuery.safeParse(req.query ?? {});
    if (!q.success) return badRequest(reply, q.error);
    const tasks = await facade.list(q.data);
    return { count: tasks.length, tasks };
  });

  const showTask = async (params: unknown, reply: FastifyReply) => {
    const p = TaskParams.safeParse(params);
    if (!p.success) return badRequest(reply, p.error);
    const workflowId = resolveTaskId([p.data.plan, p.data.id, p.data.region].filter(Boolean).join('/'));
    const task = await facade.summary(workflowId);
    if (!task) throw new TaskNotFound(workflowId);
    const ledger = await facade.ledger(workflowId);
    return { task, ledger };
  };
  app.get('/api/tasks/:plan/:id', (req, reply) => showTask(req.params, reply));
  app.get('/api/tasks/:plan/:id/:region', (req, reply) => showTask(req.params, reply));

  return app;
}
