import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden } from './errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a state-changing request from a browser comes from another origin (undefined: it does not).
 * Sec-Fetch-Site is the browser's own word; Origin is checked against the host the request was sent to
 * (req.host: the Host header, or X-Forwarded-Host from a trusted proxy). A request with neither header is
 * not from a browser's page (browsers send Origin on every POST), so nothing is forged.
 */
export function crossOrigin(req: FastifyRequest): string | undefined {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site: ${site}`;
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `Origin: ${origin}`;
  }
  return host !== '' && host === req.host ? undefined : `Origin: ${origin}`;
}

/**
 * Cookie-authenticated POST/PUT/PATCH/DELETE must come from this server's own pages: a page elsewhere
 * (another site, or another port of this host) cannot act for a signed-in visitor. Bearer-token callers
 * are not browsers riding a cookie and are left alone; so is the anonymous caller, except for signing in
 * (a forged sign-in would put the visitor in someone else's session).
 */
export function registerOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (SAFE.has(req.method) || req.headers.authorization !== undefined) return;
    const cookieAuthenticated = req.authVia === 'cookie';
    const signingIn = req.url.split('?')[0] === '/api/session';
    if (!cookieAuthenticated && !signingIn) return;
    const why = crossOrigin(req);
    if (why)
      throw forbidden(
        `跨站请求被拒绝（${why}） / a cross-origin request with the sign-in cookie is refused (${why})`,
      );
  });
}
