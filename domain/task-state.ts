import type { WorkCalendar } from './calendar';
import { taskClock } from './clock';
import { DEFAULT_POLICY, type EscalationPolicy } from './policy';
import {
  SUPERVISOR,
  type EscalationLevel,
  type MilestoneStatus,
  type NamedPerson,
  type Rejection,
  type SubtaskRef,
  type TaskEvent,
  type TaskEventBody,
  type TaskStatus,
} from './task-events';
import { argsRefusal, attachmentsOf, refusalNow, type TaskCommand } from './commands';
import { decideChange, evolveChange } from './task-change';
import { restrictionScope, signingLeads, submittingDepartment, type TaskSpec } from './task-spec';

/** A milestone as the task carries it: its date in force (a pause moves it) and where it stands. */
export interface MilestoneState {
  due: string;
  title: string;
  status: MilestoneStatus;
  reported?: { at: string; by: string; note: string };
  verified?: { at: string; by: string; note?: string };
  rejections: { at: string; by: string; reason: string }[];
}

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
  /** With `completion: all-leads`: the lead departments that signed the completion while others had not. */
  cosigned?: Record<string, { at: string; summary: string }>;
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
  /** The task's milestones, earliest first (absent for a task without any). */
  milestones?: MilestoneState[];
  /** While paused (挂起): since when, why, and the status a resume returns to. */
  paused?: { at: string; by: string; reason: string; resumeTo: TaskStatus };
  /** Department -> when its acknowledgement ladder starts, for those named after the assignment (改派). */
  ackFrom?: Record<string, string>;
  /** The sub-tasks split from this task, in the order started. */
  subtasks?: SubtaskRef[];
  /** Completions awaiting their department's 分管领导 (in-department approval), by department. */
  internalApproval?: Record<
    string,
    { at: string; person?: string; summary: string; approver: string; attachments?: string[] }
  >;
  /** Leadership's instructions (领导批示), earliest first. */
  instructions?: { at: string; by: string; text: string; priority?: 'high' }[];
  /** Raised by a 批示 that asks for it; absent: the ordinary priority. */
  priority?: 'high';
  /** Sequence number of the last event. */
  seq: number;
  updatedAt: string;
}

const KEEP_PROGRESS = 20;

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
      ...(e.spec.milestones?.length
        ? {
            milestones: e.spec.milestones.map((m) => ({
              due: m.due,
              title: m.title,
              status: 'open' as const,
              rejections: [],
            })),
          }
        : {}),
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
    case 'CompletionCosigned':
      s.cosigned = { ...s.cosigned, [e.by]: { at: e.at, summary: e.summary } };
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
      // Sent back, the work is signed again by every lead that signs it.
      s.cosigned = undefined;
      s.rejections = [...s.rejections, { at: e.at, by: e.by, reason: e.reason }];
      return s;
    case 'TaskCancelled':
      s.status = 'cancelled';
      s.cancelled = { at: e.at, by: e.by, reason: e.reason };
      return s;
    case 'InternalApprovalRequested':
      s.internalApproval = {
        ...s.internalApproval,
        [e.by]: {
          at: e.at,
          ...(e.person ? { person: e.person } : {}),
          summary: e.summary,
          approver: e.approver,
          ...(e.attachments ? { attachments: e.attachments } : {}),
        },
      };
      return s;
    case 'InternalApprovalGranted':
    case 'InternalApprovalReturned': {
      const { [e.by]: _done, ...rest } = s.internalApproval ?? {};
      s.internalApproval = Object.keys(rest).length ? rest : undefined;
      return s;
    }
    case 'InstructionGiven':
      s.instructions = [
        ...(s.instructions ?? []),
        { at: e.at, by: e.by, text: e.text, ...(e.priority ? { priority: e.priority } : {}) },
      ];
      if (e.priority) s.priority = e.priority;
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
      // The last milestone is the task's own date: it moves with it.
      s.milestones = s.milestones?.map((m, i, all) =>
        i === all.length - 1 && m.due === e.from ? { ...m, due: e.to } : m,
      );
      s.dueHistory = [...s.dueHistory, { due: e.to, at: e.at, by: e.by, reason: e.note ?? '延期' }];
      // Warnings and the overdue notice start again from the new date; an interview already ordered stands.
      if (s.escalation === 'warning' || s.escalation === 'overdue') s.escalation = 'none';
      return s;
    case 'MilestoneWarningIssued':
      s.fired = [
        ...s.fired,
        `${milestoneKey(e.milestone)}warning:${e.daysBefore}@${e.due}`,
        ...(e.skipped ?? []),
      ];
      s.escalation = raise(s.escalation, 'warning');
      return s;
    case 'MilestoneOverdueNoticed':
      s.fired = [...s.fired, `${milestoneKey(e.milestone)}overdue@${e.due}`, ...(e.skipped ?? [])];
      s.escalation = raise(s.escalation, 'overdue');
      return s;
    case 'MilestoneReported':
      s.milestones = withMilestone(s, e.milestone, (m) => ({
        ...m,
        status: 'reported',
        reported: { at: e.at, by: e.by, note: e.note },
      }));
      return s;
    case 'MilestoneVerified':
      s.milestones = withMilestone(s, e.milestone, (m) => ({
        ...m,
        status: 'verified',
        verified: { at: e.at, by: e.by, ...(e.note ? { note: e.note } : {}) },
      }));
      s.escalation = settledEscalation(s);
      return s;
    case 'MilestoneRejected':
      s.milestones = withMilestone(s, e.milestone, (m) => ({
        ...m,
        status: 'open',
        reported: undefined,
        rejections: [...m.rejections, { at: e.at, by: e.by, reason: e.reason }],
      }));
      return s;
    case 'TaskPaused':
      s.paused = { at: e.at, by: e.by, reason: e.reason, resumeTo: e.status };
      s.status = 'paused';
      return s;
    case 'TaskResumed': {
      s.status = s.paused?.resumeTo ?? 'acknowledged';
      s.paused = undefined;
      s.due = e.to;
      if (e.to !== e.from)
        s.dueHistory = [
          ...s.dueHistory,
          { due: e.to, at: e.at, by: e.by, reason: `恢复：挂起 ${e.workingDays} 个工作日` },
        ];
      const moved = new Map(e.milestones.map((m) => [m.milestone, m.to]));
      s.milestones = s.milestones?.map((m, i) => ({ ...m, due: moved.get(i + 1) ?? m.due }));
      // As after an extension: warnings and the overdue notice start again from the dates now in force.
      if (s.escalation === 'warning' || s.escalation === 'overdue') s.escalation = 'none';
      return s;
    }
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
    case 'TaskReassigned':
    case 'TaskEdited':
    case 'MilestoneAdded':
    case 'TaskSplit':
      return evolveChange(s, e);
  }
}

/** A task's milestones as every interface lists them: `[{due, title, status}]`, empty for none. */
export function milestoneList(
  s: Pick<TaskState, 'milestones'> | undefined,
): { due: string; title: string; status: MilestoneStatus }[] {
  return (s?.milestones ?? []).map((m) => ({ due: m.due, title: m.title, status: m.status }));
}

/** The prefix of a milestone's rung keys: `milestone:1:` (counted from 1). */
export const milestoneKey = (n: number): string => `milestone:${n}:`;

function withMilestone(
  s: TaskState,
  n: number,
  f: (m: MilestoneState) => MilestoneState,
): MilestoneState[] | undefined {
  return s.milestones?.map((m, i) => (i === n - 1 ? f(m) : m));
}

/**
 * The level once a milestone is verified: a warning or overdue notice only a milestone had caused is
 * spent; one of the task's own date, or of another milestone still open, stands.
 */
function settledEscalation(s: TaskState): EscalationLevel {
  if (s.escalation !== 'warning' && s.escalation !== 'overdue') return s.escalation;
  const live = (prefix: string, due: string) => {
    const keys = s.fired.filter((k) => k.startsWith(prefix) && k.endsWith(`@${due}`));
    return keys.some((k) => k.startsWith(`${prefix}overdue@`))
      ? 'overdue'
      : keys.some((k) => k.startsWith(`${prefix}warning:`))
        ? 'warning'
        : 'none';
  };
  let level: EscalationLevel = live('', s.due);
  (s.milestones ?? []).forEach((m, i) => {
    if (m.status !== 'verified') level = raise(level, live(milestoneKey(i + 1), m.due));
  });
  return level;
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

/** What some commands need beyond the state: the task's policy and the working-day calendar. */
export interface DecideContext {
  policy?: EscalationPolicy;
  calendar?: WorkCalendar;
}

const NO_CALENDAR: WorkCalendar = { years: [], holidays: [], workdays: [] };

/**
 * Decides whether a command is allowed now; returns the events it causes or the reason it is refused.
 * Who may send it, in which states and with what payload is the contract's (commands.ts), checked in
 * that order; what is left here is what the command does, and the dates it must be later than.
 */
export function decide(state: TaskState, cmd: TaskCommand, now: string, ctx: DecideContext = {}): Decision {
  const policy = ctx.policy ?? DEFAULT_POLICY;
  const clock = taskClock(state.assignedAt, policy, ctx.calendar ?? NO_CALENDAR);
  const today = clock.today(now);
  const refused = refusalNow(cmd.type, state, cmd.actor, today) ?? argsRefusal(cmd);
  if (refused) return { ok: false, rejection: refused };
  // The person (经办人) a token names stands beside the unit on every event the command causes.
  const person = cmd.person?.trim();
  const next = (...bodies: TaskEventBody[]): Decision => ({
    ok: true,
    events: bodies.map(
      (body, i) => ({ ...body, seq: state.seq + 1 + i, at: now, ...(person ? { person } : {}) }) as TaskEvent,
    ),
  });
  /** A lead's completion going to the supervisors: co-signed while other leads have yet to sign. */
  const submission = (
    actor: string,
    summary: string,
    files: { attachments?: string[] } = {},
  ): TaskEventBody => {
    const signers = signingLeads(state.spec).filter((d) => d !== actor);
    const waiting = signers.filter((d) => !state.cosigned?.[d]);
    if (waiting.length) return { type: 'CompletionCosigned', by: actor, summary, waiting, ...files };
    const cosignedBy = signers.filter((d) => state.cosigned?.[d]);
    return {
      type: 'CompletionSubmitted',
      by: actor,
      summary,
      ...(cosignedBy.length ? { cosignedBy } : {}),
      ...files,
    };
  };
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
    case 'acknowledge':
      return next({ type: 'Acknowledged', by: cmd.actor });
    case 'reportProgress':
      return next({
        type: 'ProgressReported',
        by: cmd.actor,
        note: cmd.note.trim(),
        ...attachmentsOf(cmd.attachments),
      });
    case 'submitCompletion': {
      // Co-signing is a submission that waits for the other leads: the last signature submits the task.
      const summary = cmd.summary.trim();
      const files = attachmentsOf(cmd.attachments);
      // Where the department's completions need its 分管领导, a 经办人's goes to them first.
      const approver = cmd.approver?.trim();
      if (approver && person !== approver)
        return next({ type: 'InternalApprovalRequested', by: cmd.actor, summary, approver, ...files });
      return next(submission(cmd.actor, summary, files));
    }
    case 'verifyCompletion': {
      const note = cmd.note?.trim() ?? '';
      return next(
        { type: 'CompletionVerified', by: cmd.actor, ...(note ? { note } : {}) },
        ...lift('任务办结，审核通过'),
      );
    }
    case 'rejectCompletion':
      return next({ type: 'CompletionRejected', by: cmd.actor, reason: cmd.reason.trim() });
    case 'cancel':
      return next({ type: 'TaskCancelled', by: cmd.actor, reason: cmd.reason.trim() }, ...lift('任务撤销'));
    case 'requestExtension': {
      const badDate = requireLater(cmd.to, state.due, 'to');
      if (badDate) return badDate;
      return next({ type: 'ExtensionRequested', by: cmd.actor, to: cmd.to, reason: cmd.reason.trim() });
    }
    case 'decideExtension': {
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
      const badDate = requireLater(to, state.due, 'to');
      if (badDate) return badDate;
      return next({
        type: 'ExtensionGranted',
        by: cmd.actor,
        from: state.due,
        to,
        ...(note ? { note } : {}),
      });
    }
    case 'reportMilestone':
    case 'verifyMilestone':
    case 'rejectMilestone': {
      const ms = state.milestones ?? [];
      const m = ms[cmd.milestone - 1];
      if (!m)
        return reject(
          'no_milestone',
          `本任务没有里程碑 ${cmd.milestone}（共 ${ms.length} 个）`,
          `milestone ${cmd.milestone} does not exist (the task has ${ms.length})`,
        );
      const base = { milestone: cmd.milestone, title: m.title, by: cmd.actor };
      if (cmd.type === 'reportMilestone') {
        if (m.status !== 'open')
          return reject(
            'milestone_not_open',
            m.status === 'reported'
              ? `里程碑 ${cmd.milestone} 已报告完成，等待督查室审核`
              : `里程碑 ${cmd.milestone} 已审核通过`,
            m.status === 'reported'
              ? `milestone ${cmd.milestone} is already reported and awaits verification`
              : `milestone ${cmd.milestone} is already verified`,
          );
        return next({
          type: 'MilestoneReported',
          ...base,
          note: cmd.note.trim(),
          ...attachmentsOf(cmd.attachments),
        });
      }
      if (m.status === 'verified')
        return reject(
          'milestone_verified',
          `里程碑 ${cmd.milestone} 已审核通过`,
          `milestone ${cmd.milestone} is already verified`,
        );
      if (m.status !== 'reported')
        return reject(
          'milestone_not_reported',
          `里程碑 ${cmd.milestone} 尚未报告完成，不能审核`,
          `milestone ${cmd.milestone} has not been reported done; nothing to decide`,
        );
      if (cmd.type === 'rejectMilestone')
        return next({ type: 'MilestoneRejected', ...base, reason: cmd.reason.trim() });
      const note = cmd.note?.trim() ?? '';
      return next({ type: 'MilestoneVerified', ...base, ...(note ? { note } : {}) });
    }
    case 'pause':
      return next({ type: 'TaskPaused', by: cmd.actor, reason: cmd.reason.trim(), status: state.status });
    case 'resume': {
      // The working days between the day it was paused and today are given back to every open date.
      const pausedOn = clock.today(state.paused!.at);
      const n = clock.workingDaysBetween(pausedOn, today);
      let provisional = false;
      const move = (d: string) => {
        if (n === 0) return d;
        const r = clock.plus(d, { n, unit: 'wd' });
        provisional ||= r.provisional;
        return r.date;
      };
      const milestones = (state.milestones ?? []).flatMap((m, i) =>
        m.status === 'verified' ? [] : [{ milestone: i + 1, from: m.due, to: move(m.due) }],
      );
      return next({
        type: 'TaskResumed',
        by: cmd.actor,
        pausedOn,
        workingDays: n,
        from: state.due,
        to: move(state.due),
        milestones: milestones.filter((m) => m.from !== m.to),
        ...(provisional ? { provisional: true } : {}),
      });
    }
    case 'approveCompletion':
    case 'returnCompletion': {
      const pending = state.internalApproval![cmd.actor];
      if (person !== pending.approver)
        return reject(
          'approver_only',
          `只有分管领导 ${pending.approver} 可以审核 ${cmd.actor} 的办结`,
          `only ${pending.approver} (分管领导) may decide on ${cmd.actor}'s completion`,
        );
      if (cmd.type === 'returnCompletion')
        return next({
          type: 'InternalApprovalReturned',
          by: cmd.actor,
          approver: pending.approver,
          reason: cmd.reason.trim(),
        });
      return next(
        { type: 'InternalApprovalGranted', by: cmd.actor, approver: pending.approver },
        submission(cmd.actor, pending.summary, attachmentsOf(pending.attachments)),
      );
    }
    case 'instruct':
      return next({
        type: 'InstructionGiven',
        by: cmd.actor,
        text: cmd.text.trim(),
        ...(cmd.priority ? { priority: cmd.priority } : {}),
      });
    case 'scheduleInterview':
      return next({
        type: 'InterviewScheduled',
        n: state.interview!.n,
        by: cmd.actor,
        time: cmd.at.trim(),
        place: cmd.place.trim(),
      });
    case 'recordInterview': {
      const attendees = cmd.attendees.map((a) => a.trim()).filter(Boolean);
      let due = { date: cmd.rectificationDue ?? '', provisional: false };
      if (cmd.rectificationDue !== undefined) {
        const badDate = requireLater(cmd.rectificationDue, today, 'rectificationDue');
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
        ...attachmentsOf(cmd.attachments),
      });
    }
    case 'reassign':
    case 'editTask':
    case 'addMilestone':
    case 'splitTask': {
      const c = decideChange(state, cmd, today);
      return c.ok ? next(c.body) : c;
    }
  }
}

/** A date the contract found well-formed must also move forward (past the due date, or today). */
function requireLater(date: string, after: string, field: string): Decision | undefined {
  if (date <= after)
    return reject('date_not_later', `${field} 应晚于 ${after}`, `${field} must be later than ${after}`);
  return undefined;
}

/** Whether this task would put its region under 限批 (it has a region and a sector). */
export const hasRestrictionScope = (state: TaskState) => restrictionScope(state.spec) !== undefined;
