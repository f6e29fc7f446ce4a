import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  type SearchAttributeUpdatePair,
  type TypedSearchAttributes,
} from '@temporalio/common';
import { atLocalHour, submittingDepartment, type TaskSpec, type TaskState } from '../domain';
import { SEARCH_ATTRIBUTES } from './task-messages';

export const SA = {
  plan: defineSearchAttributeKey(SEARCH_ATTRIBUTES.plan, SearchAttributeType.KEYWORD),
  task: defineSearchAttributeKey(SEARCH_ATTRIBUTES.task, SearchAttributeType.KEYWORD),
  lead: defineSearchAttributeKey(SEARCH_ATTRIBUTES.lead, SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey(SEARCH_ATTRIBUTES.status, SearchAttributeType.KEYWORD),
  due: defineSearchAttributeKey(SEARCH_ATTRIBUTES.due, SearchAttributeType.DATETIME),
};

/** The due date as a search attribute: the end of the day in Asia/Shanghai. */
export const dueInstant = (due: string) => new Date(atLocalHour(due, 0)).getTime() + 86_400_000 - 1;

/** What a task's workflow is started with, wherever it is started (a plan, a duty's occurrence, a split). */
export function startSearchAttributes(spec: TaskSpec): SearchAttributePair[] {
  return [
    { key: SA.plan, value: spec.plan },
    { key: SA.task, value: spec.id },
    { key: SA.lead, value: submittingDepartment(spec) },
    { key: SA.status, value: 'assigned' },
    { key: SA.due, value: new Date(dueInstant(spec.due)) },
  ];
}

/** What changed between two states that a visibility search should see; status first. */
export function searchAttributeUpdates(
  before: TaskState | undefined,
  after: TaskState,
): SearchAttributeUpdatePair[] {
  const out: SearchAttributeUpdatePair[] = [];
  if (before?.status !== after.status) out.push({ key: SA.status, value: after.status });
  if (before?.due !== after.due) out.push({ key: SA.due, value: new Date(dueInstant(after.due)) });
  // A reassignment (改派) moves the task to its new first lead.
  if (before && before.spec.lead[0] !== after.spec.lead[0])
    out.push({ key: SA.lead, value: after.spec.lead[0] });
  return out;
}

const comparable = (v: unknown) => (v instanceof Date ? v.getTime() : v);

/**
 * The pairs whose value the run does not hold yet: a task is started with its status and due date, so
 * the assignment's upsert would only write them again.
 */
export function notYetHeld(
  pairs: SearchAttributeUpdatePair[],
  held: TypedSearchAttributes,
): SearchAttributeUpdatePair[] {
  return pairs.filter((p) => comparable(held.get(p.key)) !== comparable(p.value));
}
