import { OPEN_STATUSES } from '../domain';
import type { Store } from '../store';
import { calendarUpdatedSignal } from '../workflows/task-messages';
import type { DubanClient, SignalAllResult } from './facade';

/** Tells each open task that a year's official calendar changed, so it re-plans its rungs. */
export function tellCalendarChanged(
  facade: Pick<DubanClient, 'signalAll'>,
  workflowIds: readonly string[],
): Promise<SignalAllResult> {
  return facade.signalAll(workflowIds, calendarUpdatedSignal);
}

/** The calendar the open tasks were last told of (its latest load time). */
export const CALENDAR_TOLD = 'calendar/told';

/** The calendar's version: when a year was last loaded; undefined while only the builtin years count. */
export async function calendarVersion(store: Pick<Store, 'calendarYears'>): Promise<string | undefined> {
  const loaded = (await store.calendarYears()).map((y) => y.loadedAt).sort();
  return loaded.at(-1);
}

export async function openTaskIds(store: Pick<Store, 'listTasks'>): Promise<string[]> {
  return (await Promise.all(OPEN_STATUSES.map((status) => store.listTasks({ status }))))
    .flat()
    .map((t) => t.workflowId);
}

/** Records that the open tasks heard of calendar `version`; an older version never overwrites a newer. */
export async function markCalendarTold(
  store: Pick<Store, 'getBookmark' | 'putBookmark'>,
  version: string,
): Promise<void> {
  const told = (await store.getBookmark(CALENDAR_TOLD)) as string | undefined;
  if (told === undefined || told < version) await store.putBookmark(CALENDAR_TOLD, version);
}

/**
 * Tells the open tasks of a calendar loaded while Temporal was not reachable (`duban calendar load`
 * stores it and leaves the telling to this): nothing when they already heard of the latest load.
 * Throws when Temporal is not reachable; the next call tries again.
 */
export async function tellTasksOfNewCalendar({
  store,
  facade,
}: {
  store: Pick<Store, 'calendarYears' | 'listTasks' | 'getBookmark' | 'putBookmark'>;
  facade: Pick<DubanClient, 'signalAll'>;
}): Promise<SignalAllResult | undefined> {
  const version = await calendarVersion(store);
  const told = (await store.getBookmark(CALENDAR_TOLD)) as string | undefined;
  if (version === undefined || (told !== undefined && told >= version)) return undefined;
  const result = await tellCalendarChanged(facade, await openTaskIds(store));
  await markCalendarTold(store, version);
  return result;
}

/** Checks now and every `everyMs` until stopped; a failed check (Temporal down) is retried the next time. */
export function watchCalendar(
  deps: Parameters<typeof tellTasksOfNewCalendar>[0] & {
    everyMs: number;
    onTold?(r: SignalAllResult): void;
    onError?(e: unknown): void;
  },
): { stop(): void } {
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const r = await tellTasksOfNewCalendar(deps);
      if (r) deps.onTold?.(r);
    } catch (e) {
      deps.onError?.(e);
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), deps.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
