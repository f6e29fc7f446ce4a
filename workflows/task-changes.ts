import { ParentClosePolicy, patched, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { subtaskSpec, type ChangeEvent, type TaskState } from '../domain';
import { SA, startSearchAttributes } from './search-attributes';
import { TASK_WORKFLOW, type TaskWorkflowInput } from './task-messages';

/**
 * Marks the runs that take a supervisor's changes (改派, 修改, 增加里程碑, 拆分): what they set in motion
 * beyond the task (sub-tasks) happens only past it. Histories recorded before have none of these events.
 */
export const TASK_CHANGE_PATCH = 'duban-task-change-1';

/** What a change sets in motion beyond the task itself: a split starts its sub-tasks. */
export async function changeEffects(
  e: ChangeEvent,
  state: TaskState,
  input: TaskWorkflowInput,
): Promise<void> {
  if (!patched(TASK_CHANGE_PATCH) || e.type !== 'TaskSplit') return;
  // A sub-task is visible to searches as its parent is: with the same attributes, or none.
  const searchable = workflowInfo().typedSearchAttributes.get(SA.plan) !== undefined;
  for (const sub of e.subtasks) {
    const spec = subtaskSpec(state.spec, sub);
    const typedSearchAttributes = startSearchAttributes(spec);
    const child: TaskWorkflowInput = {
      spec,
      ...(input.policy ? { policy: input.policy } : {}),
      ...(input.commandKey !== undefined ? { commandKey: input.commandKey } : {}),
    };
    try {
      await startChild(TASK_WORKFLOW, {
        workflowId: sub.workflowId,
        args: [child],
        // A sub-task is a task of its own: it outlives its parent's run and its parent's end.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        ...(searchable ? { typedSearchAttributes } : {}),
      });
    } catch (err) {
      // A task with that id already runs (started from a task file): it stands, nothing is started twice.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}
