import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Notice } from '../domain/notifications';
import type { EscalationPolicyInput } from '../domain/policy';
import type { TaskSpec } from '../domain/task-spec';
import type { TaskState } from '../domain/task-state';

/** Each command's payload; the actor is a department name or `supervisor`. */
export interface ActorArg {
  actor: string;
}

export const acknowledgeUpdate = defineUpdate<TaskState, [ActorArg]>('acknowledge');
export const reportProgressUpdate = defineUpdate<TaskState, [ActorArg & { note: string }]>('reportProgress');
export const submitCompletionUpdate = defineUpdate<TaskState, [ActorArg & { summary: string }]>(
  'submitCompletion',
);
export const verifyCompletionUpdate = defineUpdate<TaskState, [ActorArg & { note?: string }]>(
  'verifyCompletion',
);
export const rejectCompletionUpdate = defineUpdate<TaskState, [ActorArg & { reason: string }]>(
  'rejectCompletion',
);
export const cancelUpdate = defineUpdate<TaskState, [ActorArg & { reason: string }]>('cancel');

export const stateQuery = defineQuery<TaskState>('state');

/** Search attributes duban registers on its namespace and keeps current on every task. */
export const SEARCH_ATTRIBUTES = {
  plan: 'DubanPlan',
  task: 'DubanTask',
  lead: 'DubanLead',
  status: 'DubanStatus',
  due: 'DubanDue',
} as const;

/** The refusal type every rejected command carries (ApplicationFailure.type). */
export const REJECTED = 'CommandRejected';

/** The workflow type's registered name. */
export const TASK_WORKFLOW = 'taskWorkflow';

export interface TaskWorkflowInput {
  spec: TaskSpec;
  policy?: EscalationPolicyInput;
  /** Carried over by continue-as-new; absent on a fresh start. */
  carried?: { state: TaskState; notices: Notice[] };
}
