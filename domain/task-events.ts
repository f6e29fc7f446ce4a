import type { TaskSpec } from './task-spec';

export type TaskStatus = 'assigned' | 'acknowledged' | 'submitted' | 'completed' | 'cancelled';

/** The role every supervisor (督查室) acts under; departments act under their own name. */
export const SUPERVISOR = 'supervisor';

/** A rung of the escalation ladder that the clock fires. */
export type Rung =
  | { kind: 'ackReminder'; department: string }
  | { kind: 'ackAlert'; department: string }
  | { kind: 'warning'; daysBefore: number }
  | { kind: 'overdue' }
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
  | { type: 'ProgressReported'; by: string; note: string }
  | {
      type: 'CompletionSubmitted';
      by: string;
      summary: string;
      /** With `completion: all-leads`, the lead departments that co-signed before this last signature. */
      cosignedBy?: string[];
    }
  /** A lead department signed the completion; the task is submitted once every lead has (`waiting` empty). */
  | { type: 'CompletionCosigned'; by: string; summary: string; waiting: string[] }
  | { type: 'CompletionVerified'; by: string; note?: string }
  | { type: 'CompletionRejected'; by: string; reason: string }
  | { type: 'TaskCancelled'; by: string; reason: string }
  | { type: 'WarningIssued'; daysBefore: number; due: string; skipped?: string[] }
  | { type: 'OverdueNoticed'; due: string; daysOverdue: number; skipped?: string[] }
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
    }
  | { type: 'RestrictionImposed'; region: string; sector: string; rectificationDue: string }
  | { type: 'RestrictionLifted'; region: string; sector: string; reason: string }
  | {
      type: 'AccountabilityRecorded';
      persons: NamedPerson[];
      reason: string;
      referral: string;
      rectificationDue: string;
    };

/** An event as recorded: numbered per task from 1, stamped with the workflow's time. */
export type TaskEvent = TaskEventBody & { seq: number; at: string };
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
