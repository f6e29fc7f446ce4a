import type { Kysely } from 'kysely';
import type { DB } from './schema';
import type { TokenRecord } from './tokens';

/** A sign-in session as stored: only the sha256 of its id, and the token it was opened with. */
export interface SessionRecord {
  tokenId: number;
  createdAt: string;
  lastSeenAt: string;
  /** The latest it may live, however busy it is. */
  expiresAt: string;
  /** The token's state now: a revoked token ends its sessions. */
  token: TokenRecord;
}

export interface NewSession {
  hash: string;
  tokenId: number;
  createdAt: string;
  expiresAt: string;
}

/** Adds one, forgetting every session already past its end (they cannot come back). */
export async function addSession(db: Kysely<DB>, s: NewSession): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', s.createdAt).execute();
  await db
    .insertInto('sessions')
    .values({
      hash: s.hash,
      token_id: s.tokenId,
      created_at: s.createdAt,
      last_seen_at: s.createdAt,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function findSession(db: Kysely<DB>, hash: string): Promise<SessionRecord | undefined> {
  const r = await db
    .selectFrom('sessions')
    .innerJoin('tokens', 'tokens.id', 'sessions.token_id')
    .select([
      'sessions.token_id',
      'sessions.created_at as s_created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'tokens.name',
      'tokens.role',
      'tokens.department',
      'tokens.region',
      'tokens.created_at',
      'tokens.revoked_at',
    ])
    .where('sessions.hash', '=', hash)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    tokenId: r.token_id,
    createdAt: r.s_created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    token: {
      id: r.token_id,
      name: r.name,
      role: r.role as TokenRecord['role'],
      ...(r.department !== null ? { department: r.department } : {}),
      ...(r.region !== null ? { region: r.region } : {}),
      createdAt: r.created_at,
      ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
    },
  };
}

export async function touchSession(db: Kysely<DB>, hash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('hash', '=', hash).execute();
}

export async function deleteSession(db: Kysely<DB>, hash: string): Promise<void> {
  await db.deleteFrom('sessions').where('hash', '=', hash).execute();
}
