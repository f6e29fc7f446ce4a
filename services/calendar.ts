import { calendarUpdatedSignal } from '../workflows/task-messages';
import type { DubanClient, SignalAllResult } from './facade';

/** Tells each open task that a year's official calendar changed, so it re-plans its rungs. */
export function tellCalendarChanged(
  facade: Pick<DubanClient, 'signalAll'>,
  workflowIds: readonly string[],
): Promise<SignalAllResult> {
  return facade.signalAll(workflowIds, calendarUpdatedSignal);
}
