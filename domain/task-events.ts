import type { TaskSpec } from './task-spec';

export type TaskStatus = 'assigned' | 'acknowledged' | 'submitted' | 'paused' | 'completed' | 'cancelled';

/** Where a milestone stands: open (not done), reported done by the lead, verified by a supervisor. */
export type MilestoneStatus = 'open' | 'reported' | 'verified';

/** The role every supervisor (督查室) acts under; departments act under their own name. */
export const SUPERVISOR = 'supervisor';

/** The role district leadership (区领导) acts under: it reads, and gives instructions (批示). */
export const LEADERSHIP = 'leadership';

/** A rung of the escalation ladder that the clock fires. */
export type Rung =
  | { kind: 'ackReminder'; department: string }
  | { kind: 'ackAlert'; department: string }
  | { kind: 'warning'; daysBefore: number }
  | { kind: 'overdue' }
  /** A milestone's own warnings and overdue notice; `milestone` counts from 1. */
  | { kind: 'milestoneWarning'; milestone: number; daysBefore: number }
  | { kind: 'milestoneOverdue'; milestone: number }
  | { kind: 'interview' }
  | { kind: 'restriction' }
  | { kind: 'accountability' };

/** How far up the ladder a task has gone. */
export type EscalationLevel = 'none' | 'warning' | 'overdue' | 'interview' | 'restriction' | 'accountability';

/** A person named by an accountability record, with the post held at the time. */
export interface NamedPerson {
  name: string;
  post: string;
  department: string;
}

export type TaskEventBody =
  | { type: 'TaskAssigned'; spec: TaskSpec }
  | { type: 'Acknowledged'; by: string }
  | {
      type: 'ProgressReported';
      by: string;
      note: string;
      /** The files it carried (佐证材料), by sha256. */
      attachments?: string[];
    }
  | {
      type: 'CompletionSubmitted';
      by: string;
      summary: string;
      /** With `completion: all-leads`, the lead departments that co-signed before this last signature. */
      cosignedBy?: string[];
      /** The files it carried (佐证材料), by sha256. */
      attachments?: string[];
    }
  /** A lead department signed the completion; the task is submitted once every lead has (`waiting` empty). */
  | {
      type: 'CompletionCosigned';
      by: string;
      summary: string;
      waiting: string[];
      /** The files it carried (佐证材料), by sha256. */
      attachments?: string[];
    }
  | { type: 'CompletionVerified'; by: string; note?: string }
  | { type: 'CompletionRejected'; by: string; reason: string }
  | { type: 'TaskCancelled'; by: string; reason: string }
  /**
   * A department's completion awaits its own 分管领导 (in-department approval, set in the directory): the
   * 经办人 who wrote it is the event's `person`; `approver` is who approves it.
   */
  | {
      type: 'InternalApprovalRequested';
      by: string;
      summary: string;
      approver: string;
      attachments?: string[];
    }
  /** The 分管领导 approved: the completion goes on to the supervisors (报送督查室) as if just submitted. */
  | { type: 'InternalApprovalGranted'; by: string; approver: string }
  | { type: 'InternalApprovalReturned'; by: string; approver: string; reason: string }
  /** A leadership instruction (领导批示): on the timeline and mailed; `priority` raises the task's. */
  | { type: 'InstructionGiven'; by: string; text: string; priority?: 'high' }
  | { type: 'WarningIssued'; daysBefore: number; due: string; skipped?: string[] }
  | { type: 'OverdueNoticed'; due: string; daysOverdue: number; skipped?: string[] }
  | {
      type: 'MilestoneWarningIssued';
      milestone: number;
      title: string;
      daysBefore: number;
      due: string;
      skipped?: string[];
    }
  | {
      type: 'MilestoneOverdueNoticed';
      milestone: number;
      title: string;
      due: string;
      daysOverdue: number;
      skipped?: string[];
    }
  | {
      type: 'MilestoneReported';
      milestone: number;
      title: string;
      by: string;
      note: string;
      /** The files it carried (佐证材料), by sha256. */
      attachments?: string[];
    }
  | { type: 'MilestoneVerified'; milestone: number; title: string; by: string; note?: string }
  | { type: 'MilestoneRejected'; milestone: number; title: string; by: string; reason: string }
  /** Paused (挂起): the clock stops; `status` is the one a resume returns to. */
  | { type: 'TaskPaused'; by: string; reason: string; status: TaskStatus }
  /**
   * Resumed: the due date and the open milestones move by the working days the task was paused, counted
   * on the working-day calendar over (paused day, resume day].
   */
  | {
      type: 'TaskResumed';
      by: string;
      pausedOn: string;
      workingDays: number;
      from: string;
      to: string;
      milestones: { milestone: number; from: string; to: string }[];
      provisional?: boolean;
    }
  | { type: 'AckReminderSent'; department: string; day: string; provisional?: boolean }
  | { type: 'AckAlertRaised'; department: string; provisional?: boolean }
  | { type: 'ExtensionRequested'; by: string; to: string; reason: string }
  | { type: 'ExtensionGranted'; by: string; from: string; to: string; note?: string }
  | { type: 'ExtensionDenied'; by: string; to: string; note?: string }
  | {
      type: 'InterviewOrdered';
      n: number;
      due: string;
      daysOverdue: number;
      rectificationDue: string;
      /** The day a default rectification period was counted from (re-counted when a calendar arrives). */
      rectificationFrom?: string;
      provisional?: boolean;
      skipped?: string[];
      /** Why, when it was ordered at assignment (the spec's interviewAtStart), not for being overdue. */
      reason?: string;
    }
  | { type: 'InterviewScheduled'; n: number; by: string; time: string; place: string }
  | {
      type: 'InterviewRecorded';
      n: number;
      by: string;
      attendees: string[];
      opinions: string;
      rectificationDue: string;
      rectificationFrom?: string;
      provisional?: boolean;
      /** The files it carried (佐证材料), by sha256. */
      attachments?: string[];
    }
  | { type: 'RestrictionImposed'; region: string; sector: string; rectificationDue: string }
  | { type: 'RestrictionLifted'; region: string; sector: string; reason: string }
  /**
   * 转办 / 改派: the departments before and after; `released` are off the task, `reacknowledge` must
   * acknowledge (again): the departments new to it and a new first lead.
   */
  | {
      type: 'TaskReassigned';
      by: string;
      reason: string;
      before: { lead: string[]; cooperating: string[] };
      after: { lead: string[]; cooperating: string[] };
      released: string[];
      reacknowledge: string[];
    }
  | {
      type: 'TaskEdited';
      by: string;
      reason: string;
      before: { title: string; text: string };
      after: { title: string; text: string };
    }
  /** A milestone added as number `milestone` (from 1): the ones on later dates move up by one. */
  | { type: 'MilestoneAdded'; by: string; reason: string; milestone: number; due: string; title: string }
  /** Sub-tasks started from this task, each its own task (`{id}.1`, `{id}.2`, …). */
  | { type: 'TaskSplit'; by: string; reason: string; subtasks: SubtaskRef[] }
  | {
      type: 'AccountabilityRecorded';
      persons: NamedPerson[];
      reason: string;
      referral: string;
      rectificationDue: string;
    };

/** A sub-task as its parent names it. */
export interface SubtaskRef {
  id: string;
  workflowId: string;
  title: string;
  due: string;
  lead: string[];
  cooperating: string[];
}

/** An event as recorded: numbered per task from 1, stamped with the workflow's time. */
export type TaskEvent = TaskEventBody & {
  seq: number;
  at: string;
  /** The person (经办人) of the acting department, when the command's token named one. */
  person?: string;
};
export type TaskEventType = TaskEvent['type'];

export interface Rejection {
  code: string;
  /** The argument at fault, when a malformed command is refused before it is decided. */
  field?: string;
  zh: string;
  en: string;
}

export function rejectionMessage(r: Rejection): string {
  return `${r.zh} / ${r.en}`;
}
