import type { Kysely, Selectable } from 'kysely';
import { CalendarYearSchema, type CalendarYear } from '../domain/calendar';
import type { CalendarYearsTable, DB } from './schema';

/** A year's calendar as an operator loaded it, and from where. */
export interface LoadedCalendarYear extends CalendarYear {
  source: string;
  loadedAt: string;
}

function toLoaded(r: Selectable<CalendarYearsTable>): LoadedCalendarYear {
  return {
    year: r.year,
    holidays: JSON.parse(r.holidays) as string[],
    workdays: JSON.parse(r.workdays) as string[],
    source: r.source,
    loadedAt: r.loaded_at,
  };
}

/**
 * Stores `y`, replacing whatever was loaded for that year before. Validated here too: every task reads
 * this table, so nothing malformed may reach it by any path.
 */
export async function saveCalendarYear(
  db: Kysely<DB>,
  y: CalendarYear,
  source: string,
  now = new Date().toISOString(),
): Promise<LoadedCalendarYear> {
  const valid = CalendarYearSchema.parse(y);
  const row = {
    year: valid.year,
    holidays: JSON.stringify([...valid.holidays].sort()),
    workdays: JSON.stringify([...valid.workdays].sort()),
    source,
    loaded_at: now,
  };
  const { year: _year, ...changes } = row;
  await db
    .insertInto('calendar_years')
    .values(row)
    .onConflict((oc) => oc.column('year').doUpdateSet(changes))
    .execute();
  return toLoaded(row);
}

/** Every loaded year, oldest first. */
export async function calendarYears(db: Kysely<DB>): Promise<LoadedCalendarYear[]> {
  const rows = await db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  return rows.map(toLoaded);
}
