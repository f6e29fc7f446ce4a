import { builtinCalendar, mergeCalendars, type WorkCalendar } from '../domain/calendar';
import type { Store } from '../store';

export interface CalendarActivityDeps {
  store: Pick<Store, 'calendarYears'>;
}

export function createCalendarActivities({ store }: CalendarActivityDeps) {
  return {
    /**
     * The working-day calendar a task plans with: the package's years, each replaced or extended by the
     * years an operator loaded. Read through an activity so the workflow sees it as recorded data.
     */
    async getCalendar(): Promise<WorkCalendar> {
      const loaded = await store.calendarYears();
      return mergeCalendars(
        builtinCalendar(),
        ...loaded.map(({ year, holidays, workdays }) => ({ year, holidays, workdays })),
      );
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;
