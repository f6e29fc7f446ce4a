import {
  SUPERVISOR,
  type Rejection,
  type TaskCommand,
  type TaskEvent,
  type TaskEventBody,
  type TaskStatus,
} from './task-events';
import { submittingDepartment, type TaskSpec } from './task-spec';

export interface TaskState {
  spec: TaskSpec;
  status: TaskStatus;
  /** The due date in force (an extension moves it). */
  due: string;
  assignedAt: string;
  /** Department -> when it acknowledged (签收). */
  acknowledged: Record<string, string>;
  /** The latest progress reports (the ledger keeps them all). */
  progress: { at: string; by: string; note: string }[];
  progressCount: number;
  submission?: { at: string; by: string; summary: string };
  verified?: { at: string; by: string; note?: string };
  rejections: { at: string; by: string; reason: string }[];
  cancelled?: { at: string; by: string; reason: string };
  /** Rung keys already fired, e.g. `warning:30`, `overdue`. */
  fired: string[];
  escalation: 'none' | 'warning' | 'overdue';
  /** Sequence number of the last event. */
  seq: number;
  updatedAt: string;
}

const KEEP_PROGRESS = 20;
export const MAX_TEXT = 5000;

export function isOpen(s: Pick<TaskState, 'status'>): boolean {
  return s.status === 'assigned' || s.status === 'acknowledged' || s.status === 'submitted';
}

export function departmentsOf(spec: TaskSpec): string[] {
  return [...spec.lead, ...spec.cooperating];
}

/** The events that open a task's history. */
export function assign(spec: TaskSpec, now: string): TaskEvent[] {
  return [{ type: 'TaskAssigned', spec, seq: 1, at: now }];
}

export function evolve(state: TaskState | undefined, e: TaskEvent): TaskState {
  if (e.type === 'TaskAssigned') {
    return {
      spec: e.spec,
      status: 'assigned',
      due: e.spec.due,
      assignedAt: e.at,
      acknowledged: {},
      progress: [],
      progressCount: 0,
      rejections: [],
      fired: [],
      escalation: 'none',
      seq: e.seq,
      updatedAt: e.at,
    };
  }
  if (!state) throw new TypeError(`event ${e.type} before TaskAssigned`);
  const s: TaskState = { ...state, seq: e.seq, updatedAt: e.at };
  switch (e.type) {
    case 'Acknowledged':
      s.acknowledged = { ...s.acknowledged, [e.by]: e.at };
      if (s.status === 'assigned' && e.by === submittingDepartment(s.spec)) s.status = 'acknowledged';
      return s;
    case 'ProgressReported':
      s.progress = [...s.progress, { at: e.at, by: e.by, note: e.note }].slice(-KEEP_PROGRESS);
      s.progressCount += 1;
      return s;
    case 'CompletionSubmitted':
      s.status = 'submitted';
      s.submission = { at: e.at, by: e.by, summary: e.summary };
      return s;
    case 'CompletionVerified':
      s.status = 'completed';
      s.verified = { at: e.at, by: e.by, ...(e.note ? { note: e.note } : {}) };
      return s;
    case 'CompletionRejected':
      s.status = 'acknowledged';
      s.submission = undefined;
      s.rejections = [...s.rejections, { at: e.at, by: e.by, reason: e.reason }];
      return s;
    case 'TaskCancelled':
      s.status = 'cancelled';
      s.cancelled = { at: e.at, by: e.by, reason: e.reason };
      return s;
    case 'WarningIssued':
      s.fired = [...s.fired, `warning:${e.daysBefore}`, ...(e.skipped ?? [])];
      if (s.escalation === 'none') s.escalation = 'warning';
      return s;
    case 'OverdueNoticed':
      s.fired = [...s.fired, 'overdue', ...(e.skipped ?? [])];
      s.escalation = 'overdue';
      return s;
  }
}

const reject = (code: string, zh: string, en: string): { ok: false; rejection: Rejection } => ({
  ok: false,
  rejection: { code, zh, en },
});

export type Decision = { ok: true; events: TaskEvent[] } | { ok: false; rejection: Rejection };

function requireText(value: string | undefined, field: string, zhField: string): Decision | undefined {
  const v = value?.trim() ?? '';
  if (!v) return reject('missing_text', `请填写${zhField}`, `${field} is required`);
  if (v.length > MAX_TEXT)
    return reject(
      'text_too_long',
      `${zhField}过长（最多 ${MAX_TEXT} 字）`,
      `${field} is too long (max ${MAX_TEXT})`,
    );
  return undefined;
}

function requireDepartment(state: TaskState, actor: string): Decision | undefined {
  if (actor === SUPERVISOR)
    return reject(
      'not_a_department',
      '督查室不能代替责任单位操作',
      'a supervisor cannot act for a department',
    );
  if (!departmentsOf(state.spec).includes(actor))
    return reject(
      'not_on_task',
      `${actor} 不是本任务的牵头或配合单位`,
      `${actor} is not a lead or cooperating department of this task`,
    );
  return undefined;
}

function requireSupervisor(actor: string): Decision | undefined {
  if (actor !== SUPERVISOR)
    return reject('supervisor_only', '只有督查室可以执行此操作', 'only a supervisor may do this');
  return undefined;
}

/** Decides whether a command is allowed now; returns the events it causes or the reason it is refused. */
export function decide(state: TaskState, cmd: TaskCommand, now: string): Decision {
  if (state.status === 'completed')
    return reject('closed', '任务已办结，不能再操作', 'the task is completed; nothing more can be done');
  if (state.status === 'cancelled')
    return reject('closed', '任务已撤销，不能再操作', 'the task is cancelled; nothing more can be done');
  const next = (body: TaskEventBody): Decision => ({
    ok: true,
    events: [{ ...body, seq: state.seq + 1, at: now } as TaskEvent],
  });

  switch (cmd.type) {
    case 'acknowledge': {
      const bad = requireDepartment(state, cmd.actor);
      if (bad) return bad;
      if (state.acknowledged[cmd.actor])
        return reject('already_acknowledged', `${cmd.actor} 已签收`, `${cmd.actor} has already acknowledged`);
      return next({ type: 'Acknowledged', by: cmd.actor });
    }
    case 'reportProgress': {
      const bad =
        requireDepartment(state, cmd.actor) ??
        (state.acknowledged[cmd.actor] ? undefined : mustAcknowledgeFirst(cmd.actor)) ??
        requireText(cmd.note, 'note', '进展情况');
      if (bad) return bad;
      return next({ type: 'ProgressReported', by: cmd.actor, note: cmd.note.trim() });
    }
    case 'submitCompletion': {
      const bad = requireDepartment(state, cmd.actor);
      if (bad) return bad;
      const lead = submittingDepartment(state.spec);
      if (cmd.actor !== lead)
        return reject(
          'lead_only',
          `只有牵头单位 ${lead} 可以提交办结`,
          `only the lead department ${lead} may submit completion`,
        );
      if (state.status === 'submitted')
        return reject(
          'already_submitted',
          '已提交办结，等待督查室审核',
          'completion already submitted; awaiting verification',
        );
      if (!state.acknowledged[cmd.actor]) return mustAcknowledgeFirst(cmd.actor);
      const badText = requireText(cmd.summary, 'summary', '办结情况');
      if (badText) return badText;
      return next({ type: 'CompletionSubmitted', by: cmd.actor, summary: cmd.summary.trim() });
    }
    case 'verifyCompletion': {
      const bad = requireSupervisor(cmd.actor);
      if (bad) return bad;
      if (state.status !== 'submitted')
        return reject(
          'not_submitted',
          '任务尚未提交办结，不能审核',
          'completion has not been submitted; nothing to verify',
        );
      // The note is optional: only its trimmed length counts (a blank note is no note).
      const note = cmd.note?.trim() ?? '';
      if (note.length > MAX_TEXT)
        return reject(
          'text_too_long',
          `审核意见过长（最多 ${MAX_TEXT} 字）`,
          `note is too long (max ${MAX_TEXT})`,
        );
      return next({ type: 'CompletionVerified', by: cmd.actor, ...(note ? { note } : {}) });
    }
    case 'rejectCompletion': {
      const bad = requireSupervisor(cmd.actor);
      if (bad) return bad;
      if (state.status !== 'submitted')
        return reject(
          'not_submitted',
          '任务尚未提交办结，不能退回',
          'completion has not been submitted; nothing to reject',
        );
      const badText = requireText(cmd.reason, 'reason', '退回理由');
      if (badText) return badText;
      return next({ type: 'CompletionRejected', by: cmd.actor, reason: cmd.reason.trim() });
    }
    case 'cancel': {
      const bad = requireSupervisor(cmd.actor) ?? requireText(cmd.reason, 'reason', '撤销理由');
      if (bad) return bad;
      return next({ type: 'TaskCancelled', by: cmd.actor, reason: cmd.reason.trim() });
    }
  }
}

function mustAcknowledgeFirst(actor: string): Decision {
  return reject(
    'not_acknowledged',
    `${actor} 尚未签收，请先签收`,
    `${actor} has not acknowledged the task yet`,
  );
}
