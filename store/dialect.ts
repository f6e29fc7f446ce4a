import { type Expression, type RawBuilder, sql } from 'kysely';
import { type AnyDb, dialectOf } from './db';

// The few SQL forms that differ between SQLite and PostgreSQL, so the queries elsewhere stay one text.

/** The tasks row names `dept` as lead or cooperating (both columns hold a JSON array of names). */
export function inDepartment(db: AnyDb, dept: string): RawBuilder<boolean> {
  if (dialectOf(db) === 'postgres')
    return sql<boolean>`(tasks.lead::jsonb @> jsonb_build_array(${dept}::text)
        or tasks.cooperating::jsonb @> jsonb_build_array(${dept}::text))`;
  return sql<boolean>`(exists (select 1 from json_each(tasks.lead) where value = ${dept})
        or exists (select 1 from json_each(tasks.cooperating) where value = ${dept}))`;
}

/** `column LIKE pattern ESCAPE '\'`, ASCII case-insensitive on both (SQLite's LIKE already is). */
export function likeEscaped(db: AnyDb, column: Expression<unknown>, pattern: string): RawBuilder<boolean> {
  const op = dialectOf(db) === 'postgres' ? sql`ilike` : sql`like`;
  return sql<boolean>`${column} ${op} ${pattern} escape '\\'`;
}
