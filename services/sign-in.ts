import crypto from 'node:crypto';
import type { Store } from '../store';
import { hashToken, principalOfToken, type Principal } from './auth';

/** What the sign-in cookie holds: a random session id (never the token), `dbs_` so it is recognisable. */
export function newSessionId(): string {
  return `dbs_${crypto.randomBytes(32).toString('base64url')}`;
}

export interface SessionPolicy {
  /** Unused this long, a session ends (default 12 hours). */
  idleMs: number;
  /** However busy, a session ends this long after sign-in (default 7 days). */
  maxMs: number;
}

export const SESSION_POLICY: SessionPolicy = { idleMs: 12 * 3600_000, maxMs: 7 * 24 * 3600_000 };

type SessionStore = Pick<
  Store,
  'findToken' | 'addSession' | 'findSession' | 'touchSession' | 'deleteSession'
>;

/** Opens a session for a token already checked valid; returns the id for the cookie (shown once). */
export async function openSession(
  store: SessionStore,
  tokenId: number,
  policy: SessionPolicy = SESSION_POLICY,
  now = Date.now(),
): Promise<string> {
  const id = newSessionId();
  await store.addSession({
    hash: hashToken(id),
    tokenId,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + policy.maxMs).toISOString(),
  });
  return id;
}

/**
 * The principal of a session id; undefined when unknown, idle too long, past its end, or its token
 * revoked (such a session is deleted on the spot). Use is written back at most once a minute.
 */
export async function sessionPrincipal(
  store: SessionStore,
  id: string,
  policy: SessionPolicy = SESSION_POLICY,
  now = Date.now(),
): Promise<Principal | undefined> {
  if (!id.startsWith('dbs_') || id.length > 100) return undefined;
  const hash = hashToken(id);
  const s = await store.findSession(hash);
  if (!s) return undefined;
  const ended =
    s.token.revokedAt !== undefined ||
    Date.parse(s.expiresAt) <= now ||
    Date.parse(s.lastSeenAt) + policy.idleMs <= now;
  if (ended) {
    await store.deleteSession(hash);
    return undefined;
  }
  if (now - Date.parse(s.lastSeenAt) > 60_000) await store.touchSession(hash, new Date(now).toISOString());
  return principalOfToken(s.token);
}

export async function closeSession(store: Pick<Store, 'deleteSession'>, id: string): Promise<void> {
  if (id.startsWith('dbs_') && id.length <= 100) await store.deleteSession(hashToken(id));
}

/** The token's record when it is live (known, not revoked); the same checks as `authenticate`. */
export async function liveToken(
  store: Pick<Store, 'findToken'>,
  token: string,
): Promise<Awaited<ReturnType<Store['findToken']>>> {
  const t = token.trim();
  if (!t || t.length > 500) return undefined;
  const found = await store.findToken(hashToken(t));
  return found && !found.revokedAt ? found : undefined;
}
