import type { TaskSpec } from './task-spec';

export type TaskStatus = 'assigned' | 'acknowledged' | 'submitted' | 'completed' | 'cancelled';
export const OPEN_STATUSES: readonly TaskStatus[] = ['assigned', 'acknowledged', 'submitted'];

/** The role every supervisor (督查室) acts under; departments act under their own name. */
export const SUPERVISOR = 'supervisor';

export type TaskCommand =
  | { type: 'acknowledge'; actor: string }
  | { type: 'reportProgress'; actor: string; note: string }
  | { type: 'submitCompletion'; actor: string; summary: string }
  | { type: 'verifyCompletion'; actor: string; note?: string }
  | { type: 'rejectCompletion'; actor: string; reason: string }
  | { type: 'cancel'; actor: string; reason: string };

export type CommandType = TaskCommand['type'];

/** A rung of the escalation ladder that the clock fires. */
export type Rung = { kind: 'warning'; daysBefore: number } | { kind: 'overdue' };

export type TaskEventBody =
  | { type: 'TaskAssigned'; spec: TaskSpec }
  | { type: 'Acknowledged'; by: string }
  | { type: 'ProgressReported'; by: string; note: string }
  | { type: 'CompletionSubmitted'; by: string; summary: string }
  | { type: 'CompletionVerified'; by: string; note?: string }
  | { type: 'CompletionRejected'; by: string; reason: string }
  | { type: 'TaskCancelled'; by: string; reason: string }
  | { type: 'WarningIssued'; daysBefore: number; due: string; skipped?: string[] }
  | { type: 'OverdueNoticed'; due: string; daysOverdue: number; skipped?: string[] };

/** An event as recorded: numbered per task from 1, stamped with the workflow's time. */
export type TaskEvent = TaskEventBody & { seq: number; at: string };
export type TaskEventType = TaskEvent['type'];

export interface Rejection {
  code: string;
  zh: string;
  en: string;
}

export function rejectionMessage(r: Rejection): string {
  return `${r.zh} / ${r.en}`;
}
