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
  principalOfToken,
  tokenFromRequest,
  type Action,
  type CardScope,
  type Principal,
  type TaskScope,
} from '../services/auth';
import { ApiProblem, forbidden, unauthorized, type ApiError } from './errors';
import {
  closeSession,
  liveToken,
  openSession,
  sessionPrincipal,
  type SessionPolicy,
} from '../services/sign-in';
import { failureKey, type FailureCounter } from './rate-limit';
import { PrincipalSchema, errors } from './schemas';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking; set by the auth hook on every request (the public when no valid token came). */
    principal?: Principal;
    /** How the principal was established: a bearer token, or the sign-in cookie's session. */
    authVia?: 'bearer' | 'cookie';
  }
}

export interface AuthOptions {
  attempts: FailureCounter;
  /** The cookie's Secure flag (DUBAN_SECURE_COOKIE): auto = when the request came over HTTPS. */
  secureCookie: 'auto' | 'always' | 'never';
  session: SessionPolicy;
}

type AuthStore = Pick<Store, 'findToken' | 'addSession' | 'findSession' | 'touchSession' | 'deleteSession'>;

/** 401 for the public, 403 with the reason for a signed-in principal that may not. */
export function allow(req: FastifyRequest, action: Action, task?: TaskScope, cards?: CardScope): Principal {
  const p = principalFromRequest(req);
  if (p.role === 'public') throw unauthorized();
  if (!can(p, action, task, cards)) throw forbidden(denial(p, action, task, cards));
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

/**
 * Secure follows how the request arrived (req.protocol: the socket, or X-Forwarded-Proto from a trusted
 * proxy), never the Host header: over plain HTTP a browser drops a Secure cookie and sign-in loops.
 */
function secure(req: FastifyRequest, setting: AuthOptions['secureCookie']): boolean {
  return setting === 'always' || (setting === 'auto' && req.protocol === 'https');
}

function sessionCookie(req: FastifyRequest, o: AuthOptions, value: string, maxAge: number): string {
  const flag = secure(req, o.secureCookie) ? '; Secure' : '';
  return `${COOKIE_NAME}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${flag}`;
}

/** Counts the failure; 429 when the key was already over its limit, else the caller answers 401. */
async function failed(reply: FastifyReply, attempts: FailureCounter, key: string): Promise<void> {
  const wait = await attempts.retryAfter(key);
  await attempts.fail(key);
  if (wait > 0) {
    reply.header('retry-after', String(wait));
    throw tooMany(wait);
  }
}

/**
 * Sets `req.principal` from the bearer token or the cookie's session. A wrong bearer token is refused at
 * once (the caller meant to be someone); a stale cookie is cleared and leaves the visitor public, so the
 * public page and signing in again still work. Only failures count against the limiter, and a valid
 * token or session is let in whatever the count.
 */
export function registerAuth(app: FastifyInstance, store: AuthStore, o: AuthOptions): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('authVia', undefined);
  app.addHook('onRequest', async (req, reply) => {
    req.principal = PUBLIC;
    const token = tokenFromRequest(req);
    if (token === undefined) return;
    const bearer = req.headers.authorization !== undefined;
    const p = bearer ? await authenticate(store, token) : await sessionPrincipal(store, token, o.session);
    if (p) {
      req.principal = p;
      req.authVia = bearer ? 'bearer' : 'cookie';
      return;
    }
    const key = failureKey(req.ip, token);
    if (bearer) {
      await failed(reply, o.attempts, key);
      throw unauthorized('令牌无效或已撤销 / the token is invalid or revoked');
    }
    await o.attempts.fail(key);
    // A browser drops the stale cookie, so an ended session costs its holder one failure, not a lockout.
    reply.header('set-cookie', sessionCookie(req, o, '', 0));
  });
}

const SignIn = z
  .object({ token: z.string({ error: '请提供令牌 / token is required' }).min(1).max(500) })
  .strict();

export function registerSessionRoutes(app: FastifyInstance, store: AuthStore, o: AuthOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary:
          '登录：令牌换会话 Cookie（服务器端会话） / sign in: the token opens a server-side session held by an HttpOnly cookie',
        body: SignIn,
        response: { 200: z.object({ principal: PrincipalSchema }), ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const found = await liveToken(store, req.body.token);
      if (!found) {
        const key = failureKey(req.ip, req.body.token.trim());
        await failed(reply, o.attempts, key);
        throw unauthorized('令牌无效或已撤销 / the token is invalid or revoked');
      }
      // A session the browser already held ends here: one sign-in, one session.
      const previous = req.headers.authorization === undefined ? tokenFromRequest(req) : undefined;
      if (previous) await closeSession(store, previous);
      const id = await openSession(store, found.id, o.session);
      reply.header('set-cookie', sessionCookie(req, o, id, Math.floor(o.session.maxMs / 1000)));
      return { principal: principalOfToken(found) };
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
        summary: '退出：结束会话并清除 Cookie / sign out: ends the session and clears the cookie',
        security: [],
        response: { 204: z.never().optional().describe('已退出，无内容 / signed out, no content') },
      },
    },
    async (req, reply: FastifyReply) => {
      const id = req.headers.authorization === undefined ? tokenFromRequest(req) : undefined;
      if (id) await closeSession(store, id);
      reply.header('set-cookie', sessionCookie(req, o, '', 0));
      return reply.code(204).send();
    },
  );
}

export type { ApiError };
