import type { Kysely } from 'kysely';
import type { DB } from './schema';

// What a recurring job last covered (the digest a day's mail listed, the calendar the open tasks were told
// of): a name and a JSON value. Names carry their job as a prefix (`digest/2027-03-01`, `calendar/told`).

/** The value stored under `name`, written now if absent; a second claim gets the first one's value. */
export async function claimBookmark(
  db: Kysely<DB>,
  name: string,
  value: unknown,
  now = new Date().toISOString(),
): Promise<unknown> {
  await db
    .insertInto('bookmarks')
    .values({ name, value: JSON.stringify(value), updated_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return getBookmark(db, name);
}

/** Replaces (or writes) the value under `name`. */
export async function putBookmark(
  db: Kysely<DB>,
  name: string,
  value: unknown,
  now = new Date().toISOString(),
): Promise<void> {
  const row = { name, value: JSON.stringify(value), updated_at: now };
  await db
    .insertInto('bookmarks')
    .values(row)
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: row.value, updated_at: now }))
    .execute();
}

export async function getBookmark(db: Kysely<DB>, name: string): Promise<unknown> {
  const r = await db.selectFrom('bookmarks').select('value').where('name', '=', name).executeTakeFirst();
  return r === undefined ? undefined : (JSON.parse(r.value) as unknown);
}

/** The last bookmark of a job (`prefix`) whose name sorts before `before`: the previous run's, by date. */
export async function lastBookmarkBefore(
  db: Kysely<DB>,
  prefix: string,
  before: string,
): Promise<{ name: string; value: unknown } | undefined> {
  const r = await db
    .selectFrom('bookmarks')
    .select(['name', 'value'])
    .where('name', '>=', prefix)
    .where('name', '<', before)
    .orderBy('name', 'desc')
    .executeTakeFirst();
  return r && r.name.startsWith(prefix) ? { name: r.name, value: JSON.parse(r.value) as unknown } : undefined;
}
