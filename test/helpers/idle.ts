/**
 * "Nothing of this workflow is under way", read from its history: the condition a test waits on before it
 * asserts that something did not happen (no further mail, no further event), instead of a pause.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const T = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** What a workflow's history still waits for, or '' when nothing: everything it started has its ending. */
export function inFlight(events: HistoryEvent[]): string {
  const count = (...types: temporal.api.enums.v1.EventType[]) =>
    events.filter((e) => e.eventType != null && types.includes(e.eventType)).length;
  const open = (what: string, started: number, ended: number) => (started > ended ? what : '');
  return (
    open(
      'a workflow task',
      count(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
      count(
        T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        T.EVENT_TYPE_WORKFLOW_TASK_FAILED,
        T.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
      ),
    ) ||
    open(
      'an activity',
      count(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
      count(
        T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        T.EVENT_TYPE_ACTIVITY_TASK_FAILED,
        T.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
        T.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
      ),
    ) ||
    open(
      'a child start',
      count(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
      count(
        T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
        T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
      ),
    ) ||
    open(
      'a signal',
      count(T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED),
      count(
        T.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED,
        T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
      ),
    )
  );
}

/**
 * Resolves once the workflow's current run has nothing under way (timers may be pending: they are its
 * future, not its present). Its activities finish only once their mail is accepted, so by then every mail
 * it sent has arrived.
 */
export async function untilIdle(client: Client, workflowId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
    const busy = inFlight(events ?? []);
    if (!busy) return;
    if (Date.now() > deadline) throw new Error(`${workflowId} still has ${busy} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
