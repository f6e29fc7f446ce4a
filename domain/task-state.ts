import type { WorkCalendar } from './calendar';
import { taskClock } from './clock';
import { DEFAULT_POLICY, type EscalationPolicy } from './policy';
import {
  SUPERVISOR,
  type EscalationLevel,
  type NamedPerson,
  type Rejection,
  type TaskCommand,
  type TaskEvent,
  type TaskEventBody,
  type TaskStatus,
} from './task-events';
import { restrictionScope, submittingDepartment, type TaskSpec } from './task-spec';
import { isIsoDate } from './time';

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
  /** Rung keys already fired, e.g. `warning:30@2027-06-30`, `overdue@2027-06-30`, `ack-alert:区环保局`. */
  fired: string[];
  escalation: EscalationLevel;
  /** Department -> the day it was last reminded to acknowledge. */
  ackReminded: Record<string, string>;
  /** Every due date the task has had, the first from its assignment. */
  dueHistory: { due: string; at: string; by: string; reason: string }[];
  extensionRequest?: { at: string; by: string; to: string; reason: string };
  interview?: {
    n: number;
    orderedAt: string;
    scheduled?: { time: string; place: string };
    recorded?: { at: string; by: string; attendees: string[]; opinions: string };
    rectificationDue: string;
    /** Set when the due date is a default count of working days from this day. */
    rectificationFrom?: string;
    provisional: boolean;
  };
  restriction?: { region: string; sector: string; since: string; liftedAt?: string };
  accountability?: { at: string; persons: NamedPerson[] };
  /** Sequence number of the last event. */
  seq: number;
  updatedAt: string;
}

const KEEP_PROGRESS = 20;
export const MAX_TEXT = 5000;

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
      ackReminded: {},
      dueHistory: [{ due: e.spec.due, at: e.at, by: SUPERVISOR, reason: '交办' }],
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
      s.fired = [...s.fired, `warning:${e.daysBefore}@${e.due}`, ...(e.skipped ?? [])];
      s.escalation = raise(s.escalation, 'warning');
      return s;
    case 'OverdueNoticed':
      s.fired = [...s.fired, `overdue@${e.due}`, ...(e.skipped ?? [])];
      s.escalation = raise(s.escalation, 'overdue');
      return s;
    case 'AckReminderSent':
      s.ackReminded = { ...s.ackReminded, [e.department]: e.day };
      return s;
    case 'AckAlertRaised':
      s.fired = [...s.fired, `ack-alert:${e.department}`];
      return s;
    case 'ExtensionRequested':
      s.extensionRequest = { at: e.at, by: e.by, to: e.to, reason: e.reason };
      return s;
    case 'ExtensionGranted':
      s.extensionRequest = undefined;
      s.due = e.to;
      s.dueHistory = [...s.dueHistory, { due: e.to, at: e.at, by: e.by, reason: e.note ?? '延期' }];
      // Warnings and the overdue notice start again from the new date; an interview already ordered stands.
      if (s.escalation === 'warning' || s.escalation === 'overdue') s.escalation = 'none';
      return s;
    case 'ExtensionDenied':
      s.extensionRequest = undefined;
      return s;
    case 'InterviewOrdered':
      s.fired = [...s.fired, 'interview', ...(e.skipped ?? [])];
      s.escalation = raise(s.escalation, 'interview');
      s.interview = {
        n: e.n,
        orderedAt: e.at,
        rectificationDue: e.rectificationDue,
        ...(e.rectificationFrom ? { rectificationFrom: e.rectificationFrom } : {}),
        provisional: e.provisional ?? false,
      };
      return s;
    case 'InterviewScheduled':
      s.interview = { ...s.interview!, scheduled: { time: e.time, place: e.place } };
      return s;
    case 'InterviewRecorded':
      s.interview = {
        ...s.interview!,
        recorded: { at: e.at, by: e.by, attendees: e.attendees, opinions: e.opinions },
        rectificationDue: e.rectificationDue,
        rectificationFrom: e.rectificationFrom,
        provisional: e.provisional ?? false,
      };
      return s;
    case 'RestrictionImposed':
      s.fired = [...s.fired, 'restriction'];
      s.escalation = raise(s.escalation, 'restriction');
      s.restriction = { region: e.region, sector: e.sector, since: e.at };
      return s;
    case 'RestrictionLifted':
      s.restriction = s.restriction && { ...s.restriction, liftedAt: e.at };
      return s;
    case 'AccountabilityRecorded':
      s.fired = [...s.fired, 'accountability'];
      s.escalation = 'accountability';
      s.accountability = { at: e.at, persons: e.persons };
      return s;
  }
}

const LEVELS: EscalationLevel[] = [
  'none',
  'warning',
  'overdue',
  'interview',
  'restriction',
  'accountability',
];
function raise(current: EscalationLevel, to: EscalationLevel): EscalationLevel {
  return LEVELS.indexOf(to) > LEVELS.indexOf(current) ? to : current;
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

/** Only the first lead department submits completion and asks for more time. */
function requireLead(state: TaskState, actor: string, zhAct: string, enAct: string): Decision | undefined {
  const bad = requireDepartment(state, actor);
  if (bad) return bad;
  const lead = submittingDepartment(state.spec);
  if (actor !== lead)
    return reject(
      'lead_only',
      `只有牵头单位 ${lead} 可以${zhAct}`,
      `only the lead department ${lead} may ${enAct}`,
    );
  return undefined;
}

function requireSupervisor(actor: string): Decision | undefined {
  if (actor !== SUPERVISOR)
    return reject('supervisor_only', '只有督查室可以执行此操作', 'only a supervisor may do this');
  return undefined;
}

/** What some commands need beyond the state: the task's policy and the working-day calendar. */
export interface DecideContext {
  policy?: EscalationPolicy;
  calendar?: WorkCalendar;
}

const NO_CALENDAR: WorkCalendar = { years: [], holidays: [], workdays: [] };

/** Decides whether a command is allowed now; returns the events it causes or the reason it is refused. */
export function decide(state: TaskState, cmd: TaskCommand, now: string, ctx: DecideContext = {}): Decision {
  if (state.status === 'completed')
    return reject('closed', '任务已办结，不能再操作', 'the task is completed; nothing more can be done');
  if (state.status === 'cancelled')
    return reject('closed', '任务已撤销，不能再操作', 'the task is cancelled; nothing more can be done');
  const next = (...bodies: TaskEventBody[]): Decision => ({
    ok: true,
    events: bodies.map((body, i) => ({ ...body, seq: state.seq + 1 + i, at: now }) as TaskEvent),
  });
  const policy = ctx.policy ?? DEFAULT_POLICY;
  const clock = taskClock(state.assignedAt, policy, ctx.calendar ?? NO_CALENDAR);
  const today = clock.today(now);
  // A restriction this task caused ends with it.
  const lift = (reason: string): TaskEventBody[] =>
    state.restriction && !state.restriction.liftedAt
      ? [
          {
            type: 'RestrictionLifted',
            region: state.restriction.region,
            sector: state.restriction.sector,
            reason,
          },
        ]
      : [];

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
      const bad = requireLead(state, cmd.actor, '提交办结', 'submit completion');
      if (bad) return bad;
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
      return next(
        { type: 'CompletionVerified', by: cmd.actor, ...(note ? { note } : {}) },
        ...lift('任务办结，审核通过'),
      );
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
      return next({ type: 'TaskCancelled', by: cmd.actor, reason: cmd.reason.trim() }, ...lift('任务撤销'));
    }
    case 'requestExtension': {
      const bad = requireLead(state, cmd.actor, '申请延期', 'request an extension');
      if (bad) return bad;
      if (state.status === 'submitted')
        return reject(
          'already_submitted',
          '已提交办结，不能申请延期',
          'completion is submitted; no extension',
        );
      if (today > state.due)
        return reject(
          'past_due',
          `已超过办结期限 ${state.due}，延期须由督查室决定`,
          `the due date ${state.due} has passed; only a supervisor can move it now`,
        );
      if (state.extensionRequest)
        return reject(
          'extension_pending',
          `已有延期申请（至 ${state.extensionRequest.to}）等待督查室决定`,
          `an extension to ${state.extensionRequest.to} is already awaiting a decision`,
        );
      const badDate = requireLaterDate(cmd.to, state.due, 'to');
      if (badDate) return badDate;
      const badText = requireText(cmd.reason, 'reason', '延期理由');
      if (badText) return badText;
      return next({ type: 'ExtensionRequested', by: cmd.actor, to: cmd.to, reason: cmd.reason.trim() });
    }
    case 'decideExtension': {
      const bad = requireSupervisor(cmd.actor);
      if (bad) return bad;
      if (state.status === 'submitted')
        return reject('already_submitted', '已提交办结，不能延期', 'completion is submitted; no extension');
      const note = cmd.note?.trim() || undefined;
      const pending = state.extensionRequest;
      if (!cmd.approve) {
        if (!pending)
          return reject(
            'no_extension_request',
            '没有待决定的延期申请',
            'there is no extension request to deny',
          );
        return next({ type: 'ExtensionDenied', by: cmd.actor, to: pending.to, ...(note ? { note } : {}) });
      }
      const to = cmd.to ?? pending?.to;
      if (!to)
        return reject(
          'missing_date',
          '没有延期申请时，批准延期须给出新的期限',
          'with no request pending, granting an extension needs the new due date (to)',
        );
      const badDate = requireLaterDate(to, state.due, 'to');
      if (badDate) return badDate;
      return next({
        type: 'ExtensionGranted',
        by: cmd.actor,
        from: state.due,
        to,
        ...(note ? { note } : {}),
      });
    }
    case 'scheduleInterview': {
      const bad = requireSupervisor(cmd.actor) ?? requireInterview(state, false);
      if (bad) return bad;
      // A real day and time of day, nothing after it, within the years a plan runs.
      const when = /^(\d{4}-\d{2}-\d{2})[ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.exec(cmd.at?.trim() ?? '');
      if (!when || !isIsoDate(when[1]))
        return reject(
          'bad_time',
          '约谈时间格式应为 YYYY-MM-DD HH:mm',
          'the interview time must be YYYY-MM-DD HH:mm',
        );
      if (when[1] < '2000-01-01' || when[1] > '2100-12-31')
        return reject('bad_time', '约谈时间超出范围', 'the interview time is out of range (2000–2100)');
      const badPlace = requireText(cmd.place, 'place', '约谈地点');
      if (badPlace) return badPlace;
      return next({
        type: 'InterviewScheduled',
        n: state.interview!.n,
        by: cmd.actor,
        time: cmd.at.trim(),
        place: cmd.place.trim(),
      });
    }
    case 'recordInterview': {
      const bad =
        requireSupervisor(cmd.actor) ??
        requireInterview(state, false) ??
        requireText(cmd.opinions, 'opinions', '整改意见');
      if (bad) return bad;
      const attendees = (cmd.attendees ?? []).map((a) => a.trim()).filter(Boolean);
      if (attendees.length === 0)
        return reject('missing_attendees', '请填写参加约谈的人员', 'attendees are required');
      if (attendees.some((a) => a.length > 100))
        return reject(
          'text_too_long',
          '参加约谈的人员姓名过长（最多 100 字）',
          'an attendee is too long (max 100)',
        );
      let due = { date: cmd.rectificationDue ?? '', provisional: false };
      if (cmd.rectificationDue !== undefined) {
        const badDate = requireLaterDate(cmd.rectificationDue, today, 'rectificationDue');
        if (badDate) return badDate;
      } else due = clock.plus(today, policy.rectificationPeriod);
      return next({
        type: 'InterviewRecorded',
        n: state.interview!.n,
        by: cmd.actor,
        attendees,
        opinions: cmd.opinions.trim(),
        rectificationDue: due.date,
        ...(cmd.rectificationDue === undefined ? { rectificationFrom: today } : {}),
        ...(due.provisional ? { provisional: true } : {}),
      });
    }
  }
}

function requireLaterDate(date: string | undefined, after: string, field: string): Decision | undefined {
  if (typeof date !== 'string' || !isIsoDate(date))
    return reject('bad_date', `${field} 日期格式应为 YYYY-MM-DD`, `${field} must be a date YYYY-MM-DD`);
  if (date <= after)
    return reject('date_not_later', `${field} 应晚于 ${after}`, `${field} must be later than ${after}`);
  if (date > '2100-12-31')
    return reject('bad_date', `${field} 日期超出范围`, `${field} is out of range (2100 at the latest)`);
  return undefined;
}

function requireInterview(state: TaskState, _recorded: boolean): Decision | undefined {
  if (!state.interview)
    return reject('no_interview', '本任务尚未约谈', 'no interview has been ordered for this task');
  if (state.interview.recorded)
    return reject('interview_recorded', '约谈已记录', 'the interview has already been recorded');
  return undefined;
}

/** Whether this task would put its region under 限批 (it has a region and a sector). */
export const hasRestrictionScope = (state: TaskState) => restrictionScope(state.spec) !== undefined;

function mustAcknowledgeFirst(actor: string): Decision {
  return reject(
    'not_acknowledged',
    `${actor} 尚未签收，请先签收`,
    `${actor} has not acknowledged the task yet`,
  );
}
