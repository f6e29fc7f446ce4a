import type { Kysely } from 'kysely';
import type { DB } from './schema';

// Wrong-token attempts per client address, in the store, so every HTTP server of one installation counts
// the same attempts (http/rate-limit.ts keeps them in memory for one process).

export async function recordFailedAttempt(db: Kysely<DB>, address: string, atMs: number): Promise<void> {
  await db.insertInto('failed_attempts').values({ address, at_ms: atMs }).execute();
}

/** The times (epoch ms, oldest first) of the address's failures after `sinceMs`. */
export async function failedAttemptsSince(
  db: Kysely<DB>,
  address: string,
  sinceMs: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('failed_attempts')
    .select('at_ms')
    .where('address', '=', address)
    .where('at_ms', '>', sinceMs)
    .orderBy('at_ms')
    .execute();
  return rows.map((r) => Number(r.at_ms));
}

/** Forgets every failure at or before `beforeMs`; how many. */
export async function pruneFailedAttempts(db: Kysely<DB>, beforeMs: number): Promise<number> {
  const r = await db.deleteFrom('failed_attempts').where('at_ms', '<=', beforeMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}
