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
 * unregistered attribute would be refused. Returns the names it had to add.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys({ ...existing.customAttributes, ...existing.systemAttributes }));
  const missing = Object.fromEntries(Object.entries(TYPES).filter(([name]) => !known.has(name)));
  if (Object.keys(missing).length > 0) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  }
  return Object.keys(missing);
}
