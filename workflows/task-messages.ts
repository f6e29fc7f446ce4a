import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CommandSeal } from '../domain/command-signature';
import { COMMAND_NAMES, type CommandArgs, type CommandName } from '../domain/commands';
import type { PlannedRung } from '../domain/escalation';
import type { Notice } from '../domain/notifications';
import type { WorkCalendar } from '../domain/calendar';
import type { PolicyOverride } from '../domain/policy';
import type { TaskEvent } from '../domain/task-events';
import type { TaskSpec } from '../domain/task-spec';
import type { TaskState } from '../domain/task-state';

/**
 * One update per command of the contract (domain/commands.ts), named as the command, typed by its
 * schema: the workflow registers its handlers from this table and clients send through it. The second
 * argument is the command's seal (domain/command-signature.ts), required by a task started with a key.
 */
export const TASK_UPDATES = Object.fromEntries(COMMAND_NAMES.map((name) => [name, defineUpdate(name)])) as {
  [K in CommandName]: UpdateDefinition<TaskState, [CommandArgs[K], CommandSeal?], K>;
};

export const acknowledgeUpdate = TASK_UPDATES.acknowledge;
export const reportProgressUpdate = TASK_UPDATES.reportProgress;
export const submitCompletionUpdate = TASK_UPDATES.submitCompletion;
export const verifyCompletionUpdate = TASK_UPDATES.verifyCompletion;
export const rejectCompletionUpdate = TASK_UPDATES.rejectCompletion;
export const cancelUpdate = TASK_UPDATES.cancel;
export const requestExtensionUpdate = TASK_UPDATES.requestExtension;
export const decideExtensionUpdate = TASK_UPDATES.decideExtension;
export const scheduleInterviewUpdate = TASK_UPDATES.scheduleInterview;
export const recordInterviewUpdate = TASK_UPDATES.recordInterview;

/** The rungs still ahead of the task, earliest first (provisional ones marked). */
export const upcomingQuery = defineQuery<PlannedRung[]>('upcoming');

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
  /** The plan's policy; the task's own `spec.policy` overrides it field by field. */
  policy?: PolicyOverride;
  /** Carried over by continue-as-new; absent on a fresh start. */
  carried?: { state: TaskState; notices: Notice[]; calendar?: WorkCalendar };
  /** Test hook: continue-as-new once the history has this many events (besides the server's suggestion). */
  continueAsNewAfterEvents?: number;
  /**
   * The public key (Ed25519, hex) every command must be sealed with; carried into the next run. Absent
   * (tasks started before commands were sealed, and tests): commands are taken unsealed, as they were.
   */
  commandKey?: string;
}

/** The interview (约谈) child workflow and the task's messages to it. */
export const INTERVIEW_WORKFLOW = 'interviewWorkflow';
export interface InterviewWorkflowInput {
  taskWorkflowId: string;
  state: TaskState;
  ordered: TaskEvent;
  /** The task's command key: the interview then takes only signals sealed with it. */
  commandKey?: string;
}
/**
 * A later step of the interview (scheduled, recorded) or the task's end, with the task as it now is. A
 * task with a command key sends them sealed, through an activity.
 */
export const interviewEventSignal =
  defineSignal<[{ event: TaskEvent; state: TaskState }, CommandSeal?]>('interviewEvent');
export const interviewClosedSignal = defineSignal<[{ reason: string }, CommandSeal?]>('interviewClosed');

/** Sent after an operator loads a year's official calendar: the task re-reads it and re-plans its rungs. */
export const calendarUpdatedSignal = defineSignal('calendarUpdated');
