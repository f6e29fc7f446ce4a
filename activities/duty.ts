import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { DutyRecord } from '../domain/duty';
import { taskWorkflowId, type TaskSpec } from '../domain/task-spec';
import type { Store } from '../store';
import { startSearchAttributes } from '../workflows/search-attributes';
import { TASK_WORKFLOW, type TaskWorkflowInput } from '../workflows/task-messages';

export interface DutyActivityDeps {
  store: Pick<Store, 'upsertDuty'>;
  client: Client;
  taskQueue: string;
}

export function createDutyActivities({ store, client, taskQueue }: DutyActivityDeps) {
  return {
    /** Where a duty's series stands, for `duty list` and the pages; a later write wins (each run writes once). */
    async recordDuty(record: DutyRecord): Promise<void> {
      await store.upsertDuty(record);
    },

    /**
     * Starts one occurrence as a task of its own, as `plan start` starts a task (same id rule, search
     * attributes and command key): no parent holds it, so its life after the period is the task's alone.
     * Starting it again (a retried activity) starts nothing twice.
     */
    async startOccurrence({
      spec,
      commandKey,
      searchAttributes,
    }: {
      spec: TaskSpec;
      commandKey?: string;
      searchAttributes?: boolean;
    }): Promise<{ workflowId: string; started: boolean }> {
      const workflowId = taskWorkflowId(spec);
      const typedSearchAttributes = startSearchAttributes(spec);
      const input: TaskWorkflowInput = commandKey ? { spec, commandKey } : { spec };
      try {
        await client.workflow.start(TASK_WORKFLOW, {
          args: [input],
          taskQueue,
          workflowId,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          ...(searchAttributes ? { typedSearchAttributes } : {}),
        });
        return { workflowId, started: true };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
        throw err;
      }
    },
  };
}
