import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/task-messages';

const { IndexedValueType } = temporal.api.enums.v1;

const TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SEARCH_ATTRIBUTES.plan]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SEARCH_ATTRIBUTES.task]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SEARCH_ATTRIBUTES.lead]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SEARCH_ATTRIBUTES.status]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SEARCH_ATTRIBUTES.due]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Registers duban's search attributes on a server duban did not start itself; starting a task with an
 * unregistered attribute would be refused. Returns the names it found missing and added.
 *
 * The worker, the HTTP server and `npm start` each call this, so several may race: a server that refuses
 * the second add of a name (it exists by now) or a concurrent change of its metadata is asked again, and
 * what counts is that every name is there afterwards.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const missingNow = async () => {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys({ ...existing.customAttributes, ...existing.systemAttributes }));
    return Object.fromEntries(Object.entries(TYPES).filter(([name]) => !known.has(name)));
  };
  for (let attempt = 1; ; attempt += 1) {
    const missing = await missingNow();
    if (Object.keys(missing).length === 0) return [];
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
      return Object.keys(missing);
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}
