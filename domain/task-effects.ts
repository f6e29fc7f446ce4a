import type { ImposeOrder, LiftOrder } from './restriction';
import type { TaskEvent } from './task-events';

// What a task's events ask of the workflows beside it, worded here so the task workflow only carries it.

type EventOf<T extends TaskEvent['type']> = Extract<TaskEvent, { type: T }>;

/** The ladder's order to its region's restriction workflow when a task reaches the 限批 rung. */
export function ladderImposeOrder(e: EventOf<'RestrictionImposed'>, taskWorkflowId: string): ImposeOrder {
  return {
    sector: e.sector,
    reason: `整改期限 ${e.rectificationDue} 已过仍未完成`,
    by: 'ladder',
    taskWorkflowId,
  };
}

/** The ladder's order to lift what the task caused, once it is verified or cancelled. */
export function ladderLiftOrder(e: EventOf<'RestrictionLifted'>, taskWorkflowId: string): LiftOrder {
  return { sector: e.sector, reason: e.reason, by: 'ladder', taskWorkflowId };
}

/** Why an interview not yet recorded ends: its task closed first. */
export function interviewClosingReason(e: EventOf<'CompletionVerified' | 'TaskCancelled'>): string {
  return e.type === 'CompletionVerified' ? '任务已办结' : '任务已撤销';
}
