import type { Kysely, Selectable } from 'kysely';
import type { DB, TokensTable } from './schema';

/** An API token as stored: never the token itself, only its sha256. */
export interface TokenRecord {
  id: number;
  name: string;
  role: 'supervisor' | 'leadership' | 'department' | 'region';
  department?: string;
  region?: string;
  /** The person (经办人) of the department the token speaks for. */
  person?: string;
  createdAt: string;
  revokedAt?: string;
}

export interface NewToken {
  name: string;
  hash: string;
  role: TokenRecord['role'];
  department?: string;
  region?: string;
  person?: string;
  createdAt: string;
}

function toRecord(r: Selectable<TokensTable>): TokenRecord {
  return {
    id: r.id,
    name: r.name,
    role: r.role as TokenRecord['role'],
    ...(r.department !== null ? { department: r.department } : {}),
    ...(r.region !== null ? { region: r.region } : {}),
    ...(r.person !== null && r.person !== undefined ? { person: r.person } : {}),
    createdAt: r.created_at,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
  };
}

/** Throws when the name is taken by a token not revoked (names are how people revoke). */
export async function addToken(db: Kysely<DB>, t: NewToken): Promise<TokenRecord> {
  const row = await db
    .insertInto('tokens')
    .values({
      name: t.name,
      hash: t.hash,
      role: t.role,
      department: t.department ?? null,
      region: t.region ?? null,
      ...(t.person ? { person: t.person } : {}),
      created_at: t.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function findToken(db: Kysely<DB>, hash: string): Promise<TokenRecord | undefined> {
  const r = await db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
  return r && toRecord(r);
}

/** Oldest first, revoked ones included. */
export async function listTokens(db: Kysely<DB>): Promise<TokenRecord[]> {
  return (await db.selectFrom('tokens').selectAll().orderBy('id').execute()).map(toRecord);
}

/** Revokes by id or by name (the live token of that name); the record as it now is, or undefined. */
export async function revokeToken(
  db: Kysely<DB>,
  idOrName: string | number,
  at: string,
): Promise<TokenRecord | undefined> {
  const byId = typeof idOrName === 'number' || /^\d+$/.test(idOrName);
  let q = db.selectFrom('tokens').selectAll();
  q = byId
    ? q.where('id', '=', Number(idOrName))
    : q
        .where('name', '=', String(idOrName))
        .orderBy('revoked_at', (o) => o.nullsFirst())
        .orderBy('id', 'desc');
  const found = await q.executeTakeFirst();
  if (!found) return undefined;
  if (found.revoked_at === null)
    await db.updateTable('tokens').set({ revoked_at: at }).where('id', '=', found.id).execute();
  return toRecord({ ...found, revoked_at: found.revoked_at ?? at });
}
