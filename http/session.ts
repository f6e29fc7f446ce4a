import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../store';
import {
  COOKIE_NAME,
  PUBLIC,
  authenticate,
  can,
  denial,
  principalFromRequest,
  tokenFromRequest,
  type Action,
  type Principal,
  type TaskScope,
} from '../services/auth';
import { ApiProblem, forbidden, unauthorized, type ApiError } from './errors';
import type { FailedAttempts } from './rate-limit';
import { PrincipalSchema, errors } from './schemas';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking; set by the auth hook on every request (the public when no valid token came). */
    principal?: Principal;
  }
}

const COOKIE_MAX_AGE = 30 * 24 * 3600;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** 401 for the public, 403 with the reason for a signed-in principal that may not. */
export function allow(req: FastifyRequest, action: Action, task?: TaskScope): Principal {
  const p = principalFromRequest(req);
  if (p.role === 'public') throw unauthorized();
  if (!can(p, action, task)) throw forbidden(denial(p, action, task));
  return p;
}

export function signedIn(req: FastifyRequest): Principal {
  const p = principalFromRequest(req);
  if (p.role === 'public') throw unauthorized();
  return p;
}

function tooMany(seconds: number): ApiProblem {
  return new ApiProblem(429, {
    error: 'too_many_requests',
    message: `令牌错误次数过多，请 ${seconds} 秒后再试 / too many failed token attempts: try again in ${seconds} s`,
  });
}

function sessionCookie(req: FastifyRequest, value: string, maxAge: number): string {
  const secure = LOCAL_HOSTS.has(req.hostname) ? '' : '; Secure';
  return `${COOKIE_NAME}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

/**
 * Sets `req.principal` from the bearer token or the cookie. A wrong bearer token is refused at once
 * (the caller meant to be someone); a stale cookie is cleared and leaves the visitor public, so the
 * public page and signing in again still work. Every wrong token counts against the address.
 */
export function registerAuth(
  app: FastifyInstance,
  store: Pick<Store, 'findToken'>,
  attempts: FailedAttempts,
): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req, reply) => {
    req.principal = PUBLIC;
    const token = tokenFromRequest(req);
    if (token === undefined) return;
    const wait = attempts.retryAfter(req.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw tooMany(wait);
    }
    const p = await authenticate(store, token);
    if (p) {
      req.principal = p;
      return;
    }
    attempts.fail(req.ip);
    if (req.headers.authorization !== undefined)
      throw unauthorized('令牌无效或已撤销 / the token is invalid or revoked');
    // A browser drops the stale cookie, so a revoked token costs its holder one failure, not a lockout.
    reply.header('set-cookie', sessionCookie(req, '', 0));
  });
}

const SignIn = z
  .object({ token: z.string({ error: '请提供令牌 / token is required' }).min(1).max(500) })
  .strict();

export function registerSessionRoutes(
  app: FastifyInstance,
  store: Pick<Store, 'findToken'>,
  attempts: FailedAttempts,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: '登录：令牌换 Cookie / sign in: the token becomes an HttpOnly cookie',
        body: SignIn,
        response: { 200: z.object({ principal: PrincipalSchema }), ...errors(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const wait = attempts.retryAfter(req.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw tooMany(wait);
      }
      const principal = await authenticate(store, req.body.token);
      if (!principal) {
        attempts.fail(req.ip);
        throw unauthorized('令牌无效或已撤销 / the token is invalid or revoked');
      }
      reply.header('set-cookie', sessionCookie(req, req.body.token.trim(), COOKIE_MAX_AGE));
      return { principal };
    },
  );
  api.get(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: '当前身份 / who the request is signed in as',
        response: { 200: z.object({ principal: PrincipalSchema }), ...errors(401) },
      },
    },
    async (req) => ({ principal: signedIn(req) }),
  );
  api.delete(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: '退出：清除 Cookie / sign out: clears the cookie',
        response: { 204: z.null().describe('已退出 / signed out') },
      },
    },
    async (req, reply: FastifyReply) => {
      reply.header('set-cookie', sessionCookie(req, '', 0));
      return reply.code(204).send();
    },
  );
}

export type { ApiError };
