import { z } from 'zod';
import { LEADERSHIP, SUPERVISOR, rejectionMessage, type Rejection } from './task-events';
import { signingLeads, submittingDepartment, type TaskSpec } from './task-spec';
import type { TaskState } from './task-state';
import { forbiddenChar, nameProblem } from './text';
import { isIsoDate } from './time';

// The contract of every task command, in one place: what it takes (a zod schema: fields, limits, formats),
// who may send it and in which states, and what it is called. decide(), the workflow's updates and
// validators, the facade, the API's bodies and OpenAPI, the CLI's option checks, can() and the
// dashboard's forms are all derived from this file.

export const MAX_TEXT = 5000;
const MAX_NAME = 100;
/** The latest date any command may name; a plan does not run past it. */
const LAST_DAY = '2100-12-31';

const refusal = (code: string, zh: string, en: string): Rejection => ({ code, zh, en });

/**
 * A schema whose content rule refuses with the domain's own words: the issue carries the rejection
 * (`params`), and its message is the `中文 / English` text every interface shows.
 */
function ruled<T extends z.ZodType>(schema: T, rule: (v: z.output<T>) => Rejection | undefined): T {
  return schema.superRefine((v, ctx) => {
    const r = rule(v);
    if (r) ctx.addIssue({ code: 'custom', message: rejectionMessage(r), params: r });
  }) as T;
}

/** Control and bidi characters steer a reader's terminal or reorder a page: refused, the field named. */
function controlRefusal(v: string, field: string, zh: string, multiline: boolean): Rejection | undefined {
  const bad = forbiddenChar(v, multiline);
  return bad
    ? refusal(
        'control_character',
        `${zh}含有控制字符或文字方向控制符（${bad}），请删除`,
        `${field} contains a control or bidi character (${bad})`,
      )
    : undefined;
}

/** Free text that must be given: its trimmed length counts; a note may run over lines, a place may not. */
const text = (field: string, zh: string, max = MAX_TEXT, multiline = max === MAX_TEXT) =>
  ruled(z.string(), (v) => {
    const t = v.trim();
    if (!t) return refusal('missing_text', `请填写${zh}`, `${field} is required`);
    if (t.length > max)
      return refusal('text_too_long', `${zh}过长（最多 ${max} 字）`, `${field} is too long (max ${max})`);
    return controlRefusal(v, field, zh, multiline);
  });

/** Free text that may be left out or blank (a blank note is no note). */
const optionalText = (field: string, zh: string, max = MAX_TEXT) =>
  ruled(z.string(), (v) =>
    v.trim().length > max
      ? refusal('text_too_long', `${zh}过长（最多 ${max} 字）`, `${field} is too long (max ${max})`)
      : controlRefusal(v, field, zh, true),
  ).optional();

/** A calendar day, YYYY-MM-DD, no later than 2100; how much later than what is the state's to say. */
const day = (field: string) =>
  ruled(z.string(), (v) => {
    if (!isIsoDate(v))
      return refusal('bad_date', `${field} 日期格式应为 YYYY-MM-DD`, `${field} must be a date YYYY-MM-DD`);
    if (v > LAST_DAY)
      return refusal('bad_date', `${field} 日期超出范围`, `${field} is out of range (2100 at the latest)`);
    return undefined;
  });

/** A real day and time of day, seconds optional, nothing after it, within the years a plan runs. */
const INTERVIEW_TIME = /^(\d{4}-\d{2}-\d{2})[ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const interviewTime = ruled(z.string(), (v) => {
  const when = INTERVIEW_TIME.exec(v.trim());
  if (!when || !isIsoDate(when[1]))
    return refusal(
      'bad_time',
      '约谈时间格式应为 YYYY-MM-DD HH:mm',
      'the interview time must be YYYY-MM-DD HH:mm',
    );
  if (when[1] < '2000-01-01' || when[1] > LAST_DAY)
    return refusal('bad_time', '约谈时间超出范围', 'the interview time is out of range (2000–2100)');
  return undefined;
});

/** The people at an interview: blank names are dropped; at least one remains. */
const attendees = ruled(z.array(z.string()).max(100), (v) => {
  const names = v.map((a) => a.trim()).filter(Boolean);
  if (names.length === 0)
    return refusal('missing_attendees', '请填写参加约谈的人员', 'attendees are required');
  if (names.some((a) => a.length > MAX_NAME))
    return refusal(
      'text_too_long',
      '参加约谈的人员姓名过长（最多 100 字）',
      'an attendee is too long (max 100)',
    );
  for (const a of names) {
    const r = controlRefusal(a, 'attendees', '参加约谈的人员姓名', false);
    if (r) return r;
  }
  return undefined;
});

/** A department's name, or `supervisor`: a wrong one is a malformed command, not the domain's refusal. */
const ARGUMENT = 'bad_argument';
export const actorArg = (zh = '操作单位', max = MAX_NAME) =>
  ruled(z.string(), (v) => {
    if (v.trim() === '') return refusal(ARGUMENT, `请说明${zh}（actor）`, 'actor is required');
    if (v.length > max) return refusal(ARGUMENT, `${zh}名称过长`, `actor is too long (max ${max})`);
    const bad = forbiddenChar(v);
    if (bad)
      return refusal(
        ARGUMENT,
        `${zh}名称含有控制字符或文字方向控制符（${bad}）`,
        `actor contains a control or bidi character (${bad})`,
      );
    return undefined;
  });

/** The most files one command carries. */
export const MAX_ATTACHMENTS = 20;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The files a command carries (佐证材料): each the sha256 of a file uploaded to the task first
 * (`POST …/attachments`); whether it was is the service's to check, the task only records the hashes.
 */
const attachments = ruled(z.array(z.string()), (v) => {
  if (v.length > MAX_ATTACHMENTS)
    return refusal(
      ARGUMENT,
      `佐证材料过多（最多 ${MAX_ATTACHMENTS} 份）`,
      `attachments: too many (max ${MAX_ATTACHMENTS})`,
    );
  const bad = v.find((h) => !SHA256.test(h));
  if (bad !== undefined)
    return refusal(
      ARGUMENT,
      `attachments 应为已上传文件的 sha256（64 位小写十六进制）：${bad.slice(0, 80)}`,
      `attachments must be sha256 hashes (64 lowercase hex) of uploaded files: ${bad.slice(0, 80)}`,
    );
  return undefined;
}).optional();

/** The event's `attachments`: the hashes once each, and nothing when there are none (old events' shape). */
export function attachmentsOf(hashes: readonly string[] | undefined): { attachments?: string[] } {
  const unique = [...new Set(hashes ?? [])];
  return unique.length ? { attachments: unique } : {};
}

/**
 * Who may send a command: any department on the task (lead or cooperating), only the first lead, or only
 * the supervisor (督查室). A 镇街 acts under its own name and is on a task only when named on it. A `lead`
 * command marked `cosign` is every lead's on a task whose policy says `completion: all-leads`.
 */
export type Who = 'department' | 'lead' | 'supervisor' | 'leadership';

/** A state in which the command cannot be sent, and why; `today` is the task's calendar day. */
type Guard = (s: TaskState, actor: string, today: string) => Rejection | undefined;

const notAcknowledged = (actor: string) =>
  refusal('not_acknowledged', `${actor} 尚未签收，请先签收`, `${actor} has not acknowledged the task yet`);
const acknowledgedFirst: Guard = (s, actor) => (s.acknowledged[actor] ? undefined : notAcknowledged(actor));
const submittedOnly =
  (zh: string, en: string): Guard =>
  (s) =>
    s.status === 'submitted' ? undefined : refusal('not_submitted', zh, en);
const notSubmitted =
  (zh: string, en: string): Guard =>
  (s) =>
    s.status === 'submitted' ? refusal('already_submitted', zh, en) : undefined;
const interviewOpen: Guard = (s) => {
  if (!s.interview)
    return refusal('no_interview', '本任务尚未约谈', 'no interview has been ordered for this task');
  if (s.interview.recorded)
    return refusal('interview_recorded', '约谈已记录', 'the interview has already been recorded');
  return undefined;
};

/** A milestone by its number on the task, counted from 1 (`里程碑 1`). */
const milestoneNo = ruled(z.number(), (v) =>
  Number.isInteger(v) && v >= 1 && v <= 50
    ? undefined
    : refusal(
        'bad_milestone',
        'milestone 应为里程碑序号（从 1 起）',
        'milestone must be the number of a milestone (from 1)',
      ),
);
const hasMilestone =
  (status: 'open' | 'reported', zh: string, en: string): Guard =>
  (s) =>
    s.milestones?.some((m) => m.status === status) ? undefined : refusal('no_milestone', zh, en);
/** A milestone or a sub-task needs a day left before the due date. */
const beforeDue =
  (zh: string, en: string): Guard =>
  (s, _actor, today) =>
    today >= s.due
      ? refusal('past_due', `已到截止日期 ${s.due}，${zh}`, `the due date ${s.due} has come; ${en}`)
      : undefined;
const notPaused: Guard = (s) =>
  s.status === 'paused' ? refusal('already_paused', '任务已挂起', 'the task is already paused') : undefined;

/** Departments named by a supervisor's change to a task: each by the one name rule, none twice. */
const departments = (field: string, zh: string, min: number) =>
  ruled(z.array(z.string()).max(20), (v) => {
    const names = v.map((d) => d.trim());
    if (names.length < min) return refusal('missing_department', `请填写${zh}`, `${field} is required`);
    const seen = new Set<string>();
    for (const [i, d] of names.entries()) {
      const p = nameProblem(d);
      if (p) return refusal('bad_department', `${zh}第 ${i + 1} 项${p.zh}`, `${field}[${i}] ${p.en}`);
      if (seen.has(d)) return refusal('department_twice', `${zh}重复：${d}`, `${field} names ${d} twice`);
      seen.add(d);
    }
    return undefined;
  });

/** A sub-task a split starts: its own title, due date and departments. */
const subtask = z.strictObject({
  title: text('title', '子任务名称', 200),
  due: day('due'),
  lead: departments('lead', '子任务牵头单位', 1),
  cooperating: departments('cooperating', '子任务配合单位', 0).optional(),
});

interface Contract<S extends z.ZodRawShape> {
  zh: string;
  en: string;
  who: Who;
  /** For `lead`: what only the lead may do, in the refusal (`只有牵头单位 X 可以…`). */
  leadAct?: { zh: string; en: string };
  /** For `lead`: with `completion: all-leads`, each lead department sends it (会签), not only the first. */
  cosign?: boolean;
  /** The states that refuse it, checked in this order after `who`. */
  when: Guard[];
  /**
   * The payload beside `actor`, checked in this order after `when`. Built on first use, as the schema:
   * each workflow runs its own copy of this module, and builds only the commands it is sent.
   */
  args: () => S;
}
/**
 * A person's name beside the actor: the 经办人 a token names (recorded with every event the command
 * causes), and the department's 分管领导 where its completions need in-department approval. Both are set
 * by duban from the token and the directory, never by the client.
 */
const personArg = (field: string, zh: string) =>
  ruled(z.string(), (v) => {
    if (v.trim() === '' || v.length > MAX_NAME)
      return refusal(ARGUMENT, `${zh}姓名应为 1–100 字`, `${field} must be 1-100 characters`);
    const bad = forbiddenChar(v);
    return bad
      ? refusal(ARGUMENT, `${zh}姓名含有控制字符（${bad}）`, `${field} contains a control character (${bad})`)
      : undefined;
  }).optional();
/** The fields beside the payload that duban itself fills in; the API's bodies leave them out. */
export const SET_BY_DUBAN = { person: true, approver: true } as const;

const command = <S extends z.ZodRawShape>(c: Contract<S>) => {
  let payload: S | undefined;
  const args = () => (payload ??= c.args());
  const build = () =>
    z.strictObject({
      actor: actorArg(),
      person: personArg('person', '经办人'),
      approver: personArg('approver', '分管领导'),
      ...args(),
    });
  let schema: ReturnType<typeof build> | undefined;
  return {
    ...c,
    args,
    get schema(): ReturnType<typeof build> {
      return (schema ??= build());
    },
  };
};

/** The completion a department's 分管领导 has yet to approve, by that department. */
const awaitingApproval: Guard = (s, actor) =>
  s.internalApproval?.[actor]
    ? refusal(
        'awaiting_internal_approval',
        `办结已报分管领导 ${s.internalApproval[actor].approver} 审核，请等待`,
        `the completion awaits approval by ${s.internalApproval[actor].approver} (分管领导)`,
      )
    : undefined;
const approvalPending: Guard = (s, actor) =>
  s.internalApproval?.[actor]
    ? undefined
    : refusal(
        'no_internal_approval',
        `${actor} 没有待分管领导审核的办结`,
        `${actor} has no completion awaiting in-department approval`,
      );

export const COMMANDS = {
  acknowledge: command({
    zh: '签收',
    en: 'acknowledge',
    who: 'department',
    when: [
      (s, actor) =>
        s.acknowledged[actor]
          ? refusal('already_acknowledged', `${actor} 已签收`, `${actor} has already acknowledged`)
          : undefined,
    ],
    args: () => ({}),
  }),
  reportProgress: command({
    zh: '进展反馈',
    en: 'report progress',
    who: 'department',
    when: [acknowledgedFirst],
    args: () => ({ note: text('note', '进展情况'), attachments }),
  }),
  submitCompletion: command({
    zh: '提交办结',
    en: 'submit completion',
    who: 'lead',
    leadAct: { zh: '提交办结', en: 'submit completion' },
    cosign: true,
    when: [
      notSubmitted('已提交办结，等待督查室审核', 'completion already submitted; awaiting verification'),
      acknowledgedFirst,
      awaitingApproval,
      (s, actor) =>
        s.cosigned?.[actor]
          ? refusal(
              'already_cosigned',
              `${actor} 已会签办结，等待其他牵头单位`,
              `${actor} has already signed the completion; the other lead departments have not`,
            )
          : undefined,
    ],
    args: () => ({ summary: text('summary', '办结情况'), attachments }),
  }),
  verifyCompletion: command({
    zh: '审核通过',
    en: 'verify',
    who: 'supervisor',
    when: [
      submittedOnly('任务尚未提交办结，不能审核', 'completion has not been submitted; nothing to verify'),
    ],
    args: () => ({ note: optionalText('note', '审核意见') }),
  }),
  rejectCompletion: command({
    zh: '退回',
    en: 'send back',
    who: 'supervisor',
    when: [
      submittedOnly('任务尚未提交办结，不能退回', 'completion has not been submitted; nothing to reject'),
    ],
    args: () => ({ reason: text('reason', '退回理由') }),
  }),
  cancel: command({
    zh: '撤销',
    en: 'cancel',
    who: 'supervisor',
    when: [],
    args: () => ({ reason: text('reason', '撤销理由') }),
  }),
  requestExtension: command({
    zh: '申请延期',
    en: 'request an extension',
    who: 'lead',
    leadAct: { zh: '申请延期', en: 'request an extension' },
    when: [
      notSubmitted('已提交办结，不能申请延期', 'completion is submitted; no extension'),
      // After the due date only a supervisor moves it (decideExtension).
      (s, _actor, today) =>
        today > s.due
          ? refusal(
              'past_due',
              `已超过办结期限 ${s.due}，延期须由督查室决定`,
              `the due date ${s.due} has passed; only a supervisor can move it now`,
            )
          : undefined,
      (s) =>
        s.extensionRequest
          ? refusal(
              'extension_pending',
              `已有延期申请（至 ${s.extensionRequest.to}）等待督查室决定`,
              `an extension to ${s.extensionRequest.to} is already awaiting a decision`,
            )
          : undefined,
    ],
    /** `to` must also be later than the due date (decide). */
    args: () => ({ to: day('to'), reason: text('reason', '延期理由') }),
  }),
  decideExtension: command({
    zh: '决定延期',
    en: 'decide an extension',
    who: 'supervisor',
    when: [notSubmitted('已提交办结，不能延期', 'completion is submitted; no extension')],
    /**
     * Deny needs a request pending; grant takes `to` (default: the date asked for), later than the due
     * date; with no request and a `to`, the supervisor moves the due date (also after it passed).
     */
    args: () => ({
      approve: z.boolean(),
      to: day('to').optional(),
      note: optionalText('note', '意见'),
    }),
  }),
  reportMilestone: command({
    zh: '报告里程碑完成',
    en: 'report a milestone done',
    who: 'lead',
    leadAct: { zh: '报告里程碑完成', en: 'report a milestone done' },
    when: [
      acknowledgedFirst,
      hasMilestone('open', '本任务没有待完成的里程碑', 'this task has no open milestone'),
    ],
    /** `milestone` must be one of the task's, still open (decide). */
    args: () => ({ milestone: milestoneNo, note: text('note', '完成情况'), attachments }),
  }),
  verifyMilestone: command({
    zh: '里程碑审核通过',
    en: 'verify a milestone',
    who: 'supervisor',
    when: [hasMilestone('reported', '没有报告完成待审核的里程碑', 'no milestone has been reported done')],
    args: () => ({ milestone: milestoneNo, note: optionalText('note', '审核意见') }),
  }),
  rejectMilestone: command({
    zh: '退回里程碑',
    en: 'send a milestone back',
    who: 'supervisor',
    when: [hasMilestone('reported', '没有报告完成待审核的里程碑', 'no milestone has been reported done')],
    args: () => ({ milestone: milestoneNo, reason: text('reason', '退回理由') }),
  }),
  pause: command({
    zh: '挂起',
    en: 'pause',
    who: 'supervisor',
    when: [
      notPaused,
      notSubmitted(
        '已提交办结，等待审核，不能挂起',
        'completion is submitted and awaits verification; no pause',
      ),
    ],
    args: () => ({ reason: text('reason', '挂起理由') }),
  }),
  resume: command({
    zh: '恢复',
    en: 'resume',
    who: 'supervisor',
    when: [
      (s) =>
        s.status === 'paused'
          ? undefined
          : refusal(
              'not_paused',
              '任务未挂起，不能恢复',
              'the task is not paused; there is nothing to resume',
            ),
    ],
    args: () => ({}),
  }),
  scheduleInterview: command({
    zh: '安排约谈',
    en: 'schedule the interview',
    who: 'supervisor',
    when: [interviewOpen],
    args: () => ({ at: interviewTime, place: text('place', '约谈地点', 200) }),
  }),
  approveCompletion: command({
    zh: '分管领导审核同意',
    en: 'approve the completion in the department',
    who: 'lead',
    leadAct: { zh: '审核本单位的办结', en: "approve the department's completion" },
    cosign: true,
    when: [approvalPending],
    /** Only the department's 分管领导 (the command's `person`) approves (decide). */
    args: () => ({}),
  }),
  returnCompletion: command({
    zh: '分管领导退回',
    en: 'return the completion in the department',
    who: 'lead',
    leadAct: { zh: '退回本单位的办结', en: "return the department's completion" },
    cosign: true,
    when: [approvalPending],
    args: () => ({ reason: text('reason', '退回理由') }),
  }),
  instruct: command({
    zh: '领导批示',
    en: 'give an instruction',
    who: 'leadership',
    when: [],
    args: () => ({
      text: text('text', '批示内容'),
      priority: z.enum(['high']).optional(),
    }),
  }),
  recordInterview: command({
    zh: '记录约谈',
    en: 'record the interview',
    who: 'supervisor',
    when: [interviewOpen],
    /** `rectificationDue` must also be later than today; without it, the policy's period from today. */
    args: () => ({
      opinions: text('opinions', '整改意见'),
      attendees,
      rectificationDue: day('rectificationDue').optional(),
      attachments,
    }),
  }),
  // Changes to a running task (转办 / 改派, edits, milestones, sub-tasks): the supervisor's, each with a
  // reason, each on the ledger with what was before; what they do is domain/task-change.ts.
  reassign: command({
    zh: '改派',
    en: 'reassign',
    who: 'supervisor',
    when: [
      notSubmitted(
        '已提交办结，等待审核，不能改派',
        'completion is submitted and awaits verification; no reassignment',
      ),
    ],
    /** At least one of `lead`, `cooperating`, and something must change (decide). */
    args: () => ({
      lead: departments('lead', '牵头单位', 1).optional(),
      cooperating: departments('cooperating', '配合单位', 0).optional(),
      reason: text('reason', '改派理由'),
    }),
  }),
  editTask: command({
    zh: '修改任务',
    en: 'edit the task',
    who: 'supervisor',
    when: [],
    /** At least one of `title`, `content`, and something must change (decide). */
    args: () => ({
      title: text('title', '任务名称', 200).optional(),
      content: optionalText('content', '任务内容', 10_000),
      reason: text('reason', '修改理由'),
    }),
  }),
  addMilestone: command({
    zh: '增加里程碑',
    en: 'add a milestone',
    who: 'supervisor',
    when: [beforeDue('不能再增加里程碑', 'no milestone can be added')],
    /** `due` must be later than today, no later than the due date, on no other milestone's day (decide). */
    args: () => ({
      due: day('due'),
      title: text('title', '里程碑名称', 200),
      reason: text('reason', '增加里程碑理由'),
    }),
  }),
  splitTask: command({
    zh: '拆分任务',
    en: 'split into sub-tasks',
    who: 'supervisor',
    when: [
      notSubmitted(
        '已提交办结，等待审核，不能拆分',
        'completion is submitted and awaits verification; no split',
      ),
      beforeDue('不能再拆分', 'no sub-task can be split off'),
    ],
    /** Each sub-task's `due` must be later than today and no later than the task's (decide). */
    args: () => ({
      subs: ruled(z.array(subtask).max(20), (v) =>
        v.length === 0
          ? refusal('missing_subtask', '请至少给出一个子任务', 'subs needs at least one sub-task')
          : undefined,
      ),
      reason: text('reason', '拆分理由'),
    }),
  }),
};

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** Each command's arguments as a client sends them: the actor and the payload. */
export type CommandArgs = { [K in CommandName]: z.input<(typeof COMMANDS)[K]['schema']> };
export type TaskCommand = { [K in CommandName]: { type: K } & CommandArgs[K] }[CommandName];
export type CommandType = CommandName;

/** `中文 / English` label of a command, with who may send it when it is not any department. */
export function commandLabel(type: CommandName): string {
  const c: Contract<z.ZodRawShape> = COMMANDS[type];
  if (c.who === 'lead') return `${c.zh}（牵头单位） / ${c.en} (first lead)`;
  if (c.who === 'supervisor') return `${c.zh}（督查室） / ${c.en} (supervisor)`;
  if (c.who === 'leadership') return `${c.zh}（区领导） / ${c.en} (leadership)`;
  return `${c.zh} / ${c.en}`;
}

/** A 批示 is leadership's own: neither a department nor the supervisors give one. */
export const LEADERSHIP_ONLY = refusal(
  'leadership_only',
  '只有区领导可以作出批示',
  'only leadership may give an instruction',
);

/** Why `actor` may not send a command of this `who` on a task with these departments, if it may not. */
export function whoRefuses(
  type: CommandName,
  spec: Pick<TaskSpec, 'lead' | 'cooperating'> & Partial<Pick<TaskSpec, 'policy'>>,
  actor: string,
): Rejection | undefined {
  const c: Contract<z.ZodRawShape> = COMMANDS[type];
  if (c.who === 'leadership') return actor === LEADERSHIP ? undefined : LEADERSHIP_ONLY;
  if (c.who === 'supervisor')
    return actor === SUPERVISOR
      ? undefined
      : refusal('supervisor_only', '只有督查室可以执行此操作', 'only a supervisor may do this');
  if (actor === SUPERVISOR)
    return refusal(
      'not_a_department',
      '督查室不能代替责任单位操作',
      'a supervisor cannot act for a department',
    );
  if (!spec.lead.includes(actor) && !spec.cooperating.includes(actor))
    return refusal(
      'not_on_task',
      `${actor} 不是本任务的牵头或配合单位`,
      `${actor} is not a lead or cooperating department of this task`,
    );
  const leads = c.cosign ? signingLeads(spec) : [submittingDepartment(spec)];
  if (c.who === 'lead' && !leads.includes(actor))
    return refusal(
      'lead_only',
      `只有牵头单位 ${leads.join('、')} 可以${c.leadAct!.zh}`,
      `only the lead department${leads.length > 1 ? 's' : ''} ${leads.join(', ')} may ${c.leadAct!.en}`,
    );
  return undefined;
}

function closedRefusal(s: Pick<TaskState, 'status'>): Rejection | undefined {
  if (s.status === 'completed')
    return refusal('closed', '任务已办结，不能再操作', 'the task is completed; nothing more can be done');
  if (s.status === 'cancelled')
    return refusal('closed', '任务已撤销，不能再操作', 'the task is cancelled; nothing more can be done');
  return undefined;
}

/** What a paused task still takes: its resume, its cancellation, word of how the work goes (and a second pause, told it is one). */
const WHILE_PAUSED: readonly CommandName[] = ['resume', 'pause', 'cancel', 'reportProgress'];

/** Why the command may not be sent now by `actor`, on role or state grounds (not its arguments). */
export function refusalNow(
  type: CommandName,
  s: TaskState,
  actor: string,
  today: string,
): Rejection | undefined {
  const closed = closedRefusal(s);
  if (closed) return closed;
  const who = whoRefuses(type, s.spec, actor);
  if (who) return who;
  if (s.status === 'paused' && !WHILE_PAUSED.includes(type))
    return refusal(
      'paused',
      `任务已挂起（${s.paused?.reason ?? ''}），请待督查室恢复后再操作`,
      'the task is paused; wait until a supervisor resumes it',
    );
  for (const guard of COMMANDS[type].when as Guard[]) {
    const r = guard(s, actor, today);
    if (r) return r;
  }
  return undefined;
}

/** The commands `actor` may send on this task now: what the dashboard shows forms for. */
export function available(s: TaskState, actor: string | undefined, today: string): CommandName[] {
  if (!actor) return [];
  return COMMAND_NAMES.filter((type) => refusalNow(type, s, actor, today) === undefined);
}

/** The first content rule the payload breaks (text, limits, formats), in the contract's field order. */
export function argsRefusal(cmd: TaskCommand): Rejection | undefined {
  const { type, ...args } = cmd;
  const r = COMMANDS[type].schema.safeParse(args);
  if (r.success) return undefined;
  for (const iss of r.error.issues) {
    const p = (iss as { params?: Rejection }).params;
    if (iss.path[0] !== 'actor' && p?.code) {
      // Inside a list of objects (a split's sub-tasks) the rule names its field; the path says which one.
      if (iss.path.length > 2) {
        const at = `${String(iss.path[0])}[${String(iss.path[1])}]`;
        return { code: p.code, zh: `${at}：${p.zh}`, en: `${at}: ${p.en}` };
      }
      return { code: p.code, zh: p.zh, en: p.en };
    }
  }
  // A payload of the wrong shape reaches decide only from code that skipped the workflow's check.
  const iss = r.error.issues[0];
  return refusal(
    ARGUMENT,
    `参数无效：${iss.path.join('.')}`,
    `bad argument: ${iss.path.join('.')} ${iss.message}`,
  );
}

/** A refusal of a malformed command, naming the field. */
export type ArgumentRejection = Rejection & { field: string };

const KIND: Record<string, [string, string]> = {
  string: ['文字', 'a string'],
  boolean: ['是或否', 'true or false'],
  array: ['文字列表', 'a list of strings'],
  number: ['数字', 'a number'],
};
function kindOf(schema: z.ZodType | undefined): [string, string] {
  let s = schema as { def?: { type?: string; innerType?: z.ZodType } } | undefined;
  while (s?.def?.type === 'optional') s = s.def.innerType as typeof s;
  return KIND[s?.def?.type ?? 'string'] ?? KIND.string;
}

/**
 * The first way an argument object as it arrives from a client is malformed (not an object, unknown or
 * missing fields, wrong types, the actor), judged by a command schema. Content rules (blank text, limits,
 * formats) are left to the decision, which checks them after who and when.
 */
export function shapeRefusal(schema: z.ZodObject, arg: unknown): ArgumentRejection | undefined {
  const bad = (field: string, zh: string, en: string): ArgumentRejection => ({
    code: ARGUMENT,
    field,
    zh,
    en,
  });
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg))
    return bad('', '缺少参数', 'the command needs an argument object');
  const r = schema.safeParse(arg);
  if (r.success) return undefined;
  const rank = (i: z.core.$ZodIssue) => (i.path[0] === 'actor' ? 0 : i.code === 'unrecognized_keys' ? 1 : 2);
  const issues = [...r.error.issues].sort((a, b) => rank(a) - rank(b));
  const a = arg as Record<string, unknown>;
  for (const iss of issues) {
    const field = String(iss.path[0] ?? '');
    const p = (iss as { params?: Rejection }).params;
    if (iss.code === 'unrecognized_keys')
      return bad(iss.keys[0], `未知参数 ${iss.keys[0]}`, `unknown field ${iss.keys[0]}`);
    if (p?.code && p.code !== ARGUMENT) continue;
    if (p) return bad(field, p.zh, p.en);
    if (iss.path.length > 1) return nestedRefusal(iss.path, a, bad);
    if (a[field] === undefined) return bad(field, `缺少参数 ${field}`, `${field} is required`);
    const [zh, en] = kindOf(schema.shape[field] as z.ZodType);
    return bad(field, `参数 ${field} 必须是${zh}`, `${field} must be ${en}`);
  }
  return undefined;
}

/** A field inside a list of objects (a split's `subs[0].due`): named by its whole path. */
function nestedRefusal(
  path: PropertyKey[],
  arg: Record<string, unknown>,
  bad: (field: string, zh: string, en: string) => ArgumentRejection,
): ArgumentRejection {
  const at = path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
  let v: unknown = arg;
  for (const k of path) v = (v as Record<PropertyKey, unknown> | undefined)?.[k];
  return v === undefined
    ? bad(at, `缺少参数 ${at}`, `${at} is required`)
    : bad(at, `参数 ${at} 无效`, `${at} is not valid`);
}

/** A task command from an update's argument, or why it is malformed. */
export function commandFromArgs(
  type: CommandName,
  arg: unknown,
): { ok: true; command: TaskCommand } | { ok: false; rejection: ArgumentRejection } {
  const bad = shapeRefusal(COMMANDS[type].schema, arg);
  if (bad) return { ok: false, rejection: bad };
  const a = arg as { actor: string };
  return { ok: true, command: { ...a, actor: a.actor.trim(), type } as TaskCommand };
}
