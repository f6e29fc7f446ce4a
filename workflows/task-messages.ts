import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PlannedRung } from '../domain/escalation';
import type { Notice } from '../domain/notifications';
import type { WorkCalendar } from '../domain/calendar';
import type { PolicyOverride } from '../domain/policy';
import type { TaskEvent } from '../domain/task-events';
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
export const requestExtensionUpdate = defineUpdate<TaskState, [ActorArg & { to: string; reason: string }]>(
  'requestExtension',
);
export const decideExtensionUpdate = defineUpdate<
  TaskState,
  [ActorArg & { approve: boolean; to?: string; note?: string }]
>('decideExtension');
export const scheduleInterviewUpdate = defineUpdate<TaskState, [ActorArg & { at: string; place: string }]>(
  'scheduleInterview',
);
export const recordInterviewUpdate = defineUpdate<
  TaskState,
  [ActorArg & { attendees: string[]; opinions: string; rectificationDue?: string }]
>('recordInterview');

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
}

/** The interview (约谈) child workflow and the task's messages to it. */
export const INTERVIEW_WORKFLOW = 'interviewWorkflow';
export interface InterviewWorkflowInput {
  taskWorkflowId: string;
  state: TaskState;
  ordered: TaskEvent;
}
/** A later step of the interview (scheduled, recorded) or the task's end, with the task as it now is. */
export const interviewEventSignal = defineSignal<[{ event: TaskEvent; state: TaskState }]>('interviewEvent');
export const interviewClosedSignal = defineSignal<[{ reason: string }]>('interviewClosed');

/** Sent after an operator loads a year's official calendar: the task re-reads it and re-plans its rungs. */
export const calendarUpdatedSignal = defineSignal('calendarUpdated');
