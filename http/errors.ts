import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bilingual } from '../domain';
import { BadInput, CommandRefused, FileRefused, TaskNotFound, TemporalUnavailable } from '../services/errors';
import type { DubanClient } from '../services/facade';

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'refused',
  'too_many_requests',
  'unavailable',
  'internal',
] as const;

/** Every error the API answers with: a code, a readable `中文 / English` message and, for bad input, the field. */
export const ApiError = z
  .object({
    error: z.enum(ERROR_CODES),
    message: z.string(),
    field: z.string().optional(),
    /** The domain's rejection code of a refused command (`not_on_task`, `closed`, …). */
    code: z.string().optional(),
  })
  .meta({ id: 'ApiError' });
export type ApiError = z.infer<typeof ApiError>;

/** A refusal decided here (401, 403, 429), thrown from a handler or hook. */
export class ApiProblem extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503,
    readonly body: ApiError,
  ) {
    super(body.message);
  }
}

export const unauthorized = (message = '请提供有效的访问令牌 / a valid bearer token is required') =>
  new ApiProblem(401, { error: 'unauthorized', message });
export const forbidden = (message: string) => new ApiProblem(403, { error: 'forbidden', message });

/**
 * zod's English defaults, said in Chinese first by the domain's one error map; messages the schemas give
 * are already bilingual. The validator reports the issue without its input, so its message says what was
 * missing.
 */
function bilingualMessage(keyword: string, message: string, params: Record<string, unknown>): string {
  if (message.includes(' / ')) return message;
  const input = /received undefined/.test(message) ? undefined : null;
  const said = bilingual({ ...params, code: keyword, input, message } as Parameters<typeof bilingual>[0]);
  if (typeof said === 'string') return said;
  switch (keyword) {
    case 'too_small':
      return `过短或过小 / too small: ${message}`;
    case 'too_big':
      return `过长或过大 / too big: ${message}`;
    case 'invalid_format':
      return `格式不对 / wrong format: ${message}`;
    default:
      return `取值无效 / invalid: ${message}`;
  }
}

/**
 * A quick look before a command: with Temporal down, a command would only fail after the client's
 * retries (tens of seconds); the caller is better told at once.
 */
export async function temporalAnswers(facade: Pick<DubanClient, 'health'>): Promise<void> {
  if ((await facade.health()) === 'down')
    throw new TemporalUnavailable('Temporal 服务器无法连接 / the Temporal server is not reachable', 'server');
}

type Reported = (err: unknown, where: string) => void;

/** One place turns every failure into `{error, message, field?}` with its status; never a stack trace. */
export function installErrorHandling(app: FastifyInstance, onError: Reported): void {
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      error: 'not_found',
      message: `没有这个地址 ${req.method} ${req.url} / no route ${req.method} ${req.url}`,
    } satisfies ApiError),
  );

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiProblem) return reply.code(err.status).send(err.body);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const v = err.validation[0];
      const params = (v.params ?? {}) as Record<string, unknown>;
      const keys = params.keys as string[] | undefined;
      const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
      const field =
        v.keyword === 'unrecognized_keys' && keys?.length
          ? [path, keys[0]].filter(Boolean).join('.')
          : path || (err.validationContext ?? 'body');
      const message =
        v.keyword === 'unrecognized_keys'
          ? '未知参数 / unknown parameter'
          : bilingualMessage(v.keyword, v.message ?? '', params);
      return reply
        .code(400)
        .send({ error: 'bad_request', field, message: `${field}: ${message}` } satisfies ApiError);
    }
    if (err instanceof FileRefused)
      return reply.code(err.status).send({
        error: 'bad_request',
        field: 'file',
        code: err.code,
        message: err.message,
      } satisfies ApiError);
    if (err instanceof BadInput)
      return reply
        .code(400)
        .send({ error: 'bad_request', field: err.field, message: err.message } satisfies ApiError);
    if (err instanceof TaskNotFound)
      return reply.code(404).send({ error: 'not_found', message: err.message } satisfies ApiError);
    if (err instanceof CommandRefused)
      return reply.code(409).send({
        error: 'refused',
        message: err.message,
        ...(err.field ? { field: err.field } : {}),
        ...(err.code ? { code: err.code } : {}),
      } satisfies ApiError);
    if (err instanceof TemporalUnavailable) {
      onError(err, `${req.method} ${req.url}`);
      // A client may try again: the server or a worker is usually back within seconds.
      return reply
        .code(503)
        .header('retry-after', err.what === 'worker' ? '5' : '10')
        .send({ error: 'unavailable', message: err.message } satisfies ApiError);
    }
    const status = err.statusCode ?? 500;
    if (!isResponseSerializationError(err) && status >= 400 && status < 500) {
      // Fastify's own client errors (malformed JSON, body too large, wrong content type): the message only.
      const error = status === 404 ? 'not_found' : status === 429 ? 'too_many_requests' : 'bad_request';
      return reply
        .code(status)
        .send({ error, message: `请求无效 / bad request: ${err.message}` } satisfies ApiError);
    }
    onError(err, `${req.method} ${req.url}`);
    return reply
      .code(500)
      .send({ error: 'internal', message: '服务器内部错误 / internal server error' } satisfies ApiError);
  });
}
