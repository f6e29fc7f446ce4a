import { can, type Principal } from './auth';

/**
 * The one allow-list of people's names: which fields of which ledger events name persons, and who may
 * read them. The task-detail API and the pages both pass every event through `visibleEvent`, so what a
 * role sees of a task is the same wherever it looks.
 *
 * Names (interview attendees, the persons held accountable) are for the supervision office and
 * leadership only, as the pages have always shown them; a department or 镇街 — on the task or not —
 * sees how many, never who.
 */
export const PERSON_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  InterviewRecorded: ['attendees'],
  AccountabilityRecorded: ['persons'],
});

/** Whether this principal may read people's names anywhere (追责 records, attendees). */
export const maySeeNames = (p: Principal): boolean => can(p, 'readAccountability');

/**
 * The event as this principal may see it: each named field replaced by its count (`attendeesCount`),
 * with `personsHidden: true` so a reader knows something was left out.
 */
export function visibleEvent<E extends { type: string }>(p: Principal, event: E): E {
  const fields = PERSON_FIELDS[event.type];
  if (!fields || maySeeNames(p)) return event;
  const out: Record<string, unknown> = { ...event, personsHidden: true };
  for (const f of fields) {
    const v = out[f];
    delete out[f];
    out[`${f}Count`] = Array.isArray(v) ? v.length : 0;
  }
  return out as unknown as E;
}

/** A ledger (or any list of entries holding an event) as this principal may see it. */
export function visibleLedger<T extends { event: { type: string } }>(
  p: Principal,
  entries: readonly T[],
): T[] {
  return entries.map((e) => (PERSON_FIELDS[e.event.type] ? { ...e, event: visibleEvent(p, e.event) } : e));
}
