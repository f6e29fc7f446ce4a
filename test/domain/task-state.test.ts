import {
  assign,
  decide,
  evolve,
  isOpen,
  MAX_TEXT,
  OPEN_STATUSES,
  rejectionMessage,
  SUPERVISOR,
  summarize,
  type TaskCommand,
  type TaskEvent,
  type TaskState,
} from '../../domain';
import {
  acknowledgedByLead,
  assigned,
  ASSIGNED_AT,
  cancelled,
  completed,
  COOP,
  deepFreeze,
  fold,
  LEAD,
  refused,
  run,
  SECOND_LEAD,
  spec,
  submitted,
} from './fixtures';

const T1 = '2026-01-02T02:00:00.000Z';
const T2 = '2026-01-03T03:00:00.000Z';
const T3 = '2026-01-04T04:00:00.000Z';
const T4 = '2026-01-05T05:00:00.000Z';

describe('assign and the assigned state', () => {
  test('the history opens with TaskAssigned, seq 1, at the assignment time', () => {
    const s = spec();
    expect(assign(s, ASSIGNED_AT)).toEqual([{ type: 'TaskAssigned', spec: s, seq: 1, at: ASSIGNED_AT }]);
  });

  test('a freshly assigned task', () => {
    expect(assigned()).toEqual({
      spec: spec(),
      status: 'assigned',
      due: '2026-04-01',
      assignedAt: ASSIGNED_AT,
      acknowledged: {},
      progress: [],
      progressCount: 0,
      rejections: [],
      fired: [],
      escalation: 'none',
      ackReminded: {},
      dueHistory: [{ due: '2026-04-01', at: ASSIGNED_AT, by: SUPERVISOR, reason: '交办' }],
      seq: 1,
      updatedAt: ASSIGNED_AT,
    });
  });

  test('an event before TaskAssigned is a programming error', () => {
    expect(() => evolve(undefined, { type: 'Acknowledged', by: LEAD, seq: 1, at: T1 })).toThrow(
      'event Acknowledged before TaskAssigned',
    );
  });

  test('open statuses', () => {
    expect(OPEN_STATUSES).toEqual(['assigned', 'acknowledged', 'submitted', 'paused']);
    expect(
      ['assigned', 'acknowledged', 'submitted', 'completed', 'cancelled'].filter((status) =>
        isOpen({ status } as TaskState),
      ),
    ).toEqual(['assigned', 'acknowledged', 'submitted']);
  });
});

describe('the happy path: assigned → acknowledged → submitted → completed', () => {
  test('each step, its events (seq = previous + 1, at = now) and the state after', () => {
    let s = assigned();

    // a cooperating department acknowledges first: recorded, but the task is still "assigned"
    let r = run(s, { type: 'acknowledge', actor: COOP }, T1);
    expect(r.events).toEqual([{ type: 'Acknowledged', by: COOP, seq: 2, at: T1 }]);
    s = r.state;
    expect(s.status).toBe('assigned');
    expect(s.acknowledged).toEqual({ [COOP]: T1 });
    expect(s.seq).toBe(2);
    expect(s.updatedAt).toBe(T1);

    // the second lead co-signs: recorded, still "assigned"
    r = run(s, { type: 'acknowledge', actor: SECOND_LEAD }, T2);
    expect(r.events).toEqual([{ type: 'Acknowledged', by: SECOND_LEAD, seq: 3, at: T2 }]);
    s = r.state;
    expect(s.status).toBe('assigned');

    // the first lead acknowledges: now "acknowledged"
    r = run(s, { type: 'acknowledge', actor: LEAD }, T3);
    expect(r.events).toEqual([{ type: 'Acknowledged', by: LEAD, seq: 4, at: T3 }]);
    s = r.state;
    expect(s.status).toBe('acknowledged');
    expect(s.acknowledged).toEqual({ [COOP]: T1, [SECOND_LEAD]: T2, [LEAD]: T3 });

    r = run(s, { type: 'submitCompletion', actor: LEAD, summary: '  管网改造已完工 ' }, T4);
    expect(r.events).toEqual([
      { type: 'CompletionSubmitted', by: LEAD, summary: '管网改造已完工', seq: 5, at: T4 },
    ]);
    s = r.state;
    expect(s.status).toBe('submitted');
    expect(s.submission).toEqual({ at: T4, by: LEAD, summary: '管网改造已完工' });

    const T5 = '2026-01-06T06:00:00.000Z';
    r = run(s, { type: 'verifyCompletion', actor: SUPERVISOR, note: ' 同意办结 ' }, T5);
    expect(r.events).toEqual([
      { type: 'CompletionVerified', by: SUPERVISOR, note: '同意办结', seq: 6, at: T5 },
    ]);
    s = r.state;
    expect(s.status).toBe('completed');
    expect(s.verified).toEqual({ at: T5, by: SUPERVISOR, note: '同意办结' });
    expect(s.seq).toBe(6);
    expect(s.updatedAt).toBe(T5);
    expect(isOpen(s)).toBe(false);
  });

  test('a lead acknowledging straight away moves the task to acknowledged', () => {
    const r = run(assigned(), { type: 'acknowledge', actor: LEAD }, T1);
    expect(r.state.status).toBe('acknowledged');
    expect(r.state.acknowledged).toEqual({ [LEAD]: T1 });
  });

  test('verifying without a note (or a blank one) records no note', () => {
    for (const note of [undefined, '', '   ']) {
      const r = run(
        submitted(),
        { type: 'verifyCompletion', actor: SUPERVISOR, ...(note === undefined ? {} : { note }) },
        T4,
      );
      expect(r.events).toEqual([{ type: 'CompletionVerified', by: SUPERVISOR, seq: 4, at: T4 }]);
      expect(r.state.verified).toEqual({ at: T4, by: SUPERVISOR });
    }
  });

  test('a verification note of exactly MAX_TEXT characters, after trimming, is accepted', () => {
    expect(MAX_TEXT).toBe(5000);
    const note = '审'.repeat(MAX_TEXT);
    const r = run(submitted(), { type: 'verifyCompletion', actor: SUPERVISOR, note: `  ${note}\n` }, T4);
    expect(r.events).toEqual([{ type: 'CompletionVerified', by: SUPERVISOR, note, seq: 4, at: T4 }]);
  });

  test('a single-lead task acknowledged by its lead', () => {
    const s = fold(assign(spec({ lead: ['区城管局'], cooperating: [] }), ASSIGNED_AT));
    const r = run(s, { type: 'acknowledge', actor: '区城管局' }, T1);
    expect(r.state.status).toBe('acknowledged');
  });
});

describe('rejection: submitted → acknowledged', () => {
  test('the supervisor sends the completion back; the lead can submit again', () => {
    let s = submitted(); // seq 3
    let r = run(s, { type: 'rejectCompletion', actor: SUPERVISOR, reason: ' 缺少验收材料 ' }, T4);
    expect(r.events).toEqual([
      { type: 'CompletionRejected', by: SUPERVISOR, reason: '缺少验收材料', seq: 4, at: T4 },
    ]);
    s = r.state;
    expect(s.status).toBe('acknowledged');
    expect(s.submission).toBeUndefined();
    expect(s.rejections).toEqual([{ at: T4, by: SUPERVISOR, reason: '缺少验收材料' }]);
    expect(s.acknowledged[LEAD]).toBe('2026-01-02T02:00:00.000Z');

    const T5 = '2026-01-20T00:00:00.000Z';
    r = run(s, { type: 'submitCompletion', actor: LEAD, summary: '已补充验收材料' }, T5);
    expect(r.events).toEqual([
      { type: 'CompletionSubmitted', by: LEAD, summary: '已补充验收材料', seq: 5, at: T5 },
    ]);
    s = r.state;
    expect(s.status).toBe('submitted');

    const T6 = '2026-01-21T00:00:00.000Z';
    s = run(s, { type: 'rejectCompletion', actor: SUPERVISOR, reason: '仍不完整' }, T6).state;
    expect(s.rejections).toEqual([
      { at: T4, by: SUPERVISOR, reason: '缺少验收材料' },
      { at: T6, by: SUPERVISOR, reason: '仍不完整' },
    ]);
    expect(s.seq).toBe(6);
  });
});

describe('cancel from every open state', () => {
  const states: [string, () => TaskState, number][] = [
    ['assigned', () => assigned(), 2],
    ['acknowledged', () => acknowledgedByLead(), 3],
    ['submitted', () => submitted(), 4],
  ];
  test.each(states)('from %s', (_status, make, seq) => {
    const before = make();
    expect(before.status).toBe(_status);
    const r = run(before, { type: 'cancel', actor: SUPERVISOR, reason: ' 任务已合并至T02 ' }, T4);
    expect(r.events).toEqual([
      { type: 'TaskCancelled', by: SUPERVISOR, reason: '任务已合并至T02', seq, at: T4 },
    ]);
    expect(r.state.status).toBe('cancelled');
    expect(r.state.cancelled).toEqual({ at: T4, by: SUPERVISOR, reason: '任务已合并至T02' });
    expect(isOpen(r.state)).toBe(false);
  });
});

describe('progress reports', () => {
  test('recorded with seq and time; the state keeps the latest 20 and counts them all', () => {
    let s = acknowledgedByLead();
    s = run(s, { type: 'acknowledge', actor: COOP }, T2).state;
    const r = run(s, { type: 'reportProgress', actor: COOP, note: ' 已完成管网勘察 ' }, T3);
    expect(r.events).toEqual([
      { type: 'ProgressReported', by: COOP, note: '已完成管网勘察', seq: 4, at: T3 },
    ]);
    s = r.state;
    expect(s.progress).toEqual([{ at: T3, by: COOP, note: '已完成管网勘察' }]);
    expect(s.status).toBe('acknowledged');
    for (let i = 1; i <= 24; i++) {
      s = run(
        s,
        { type: 'reportProgress', actor: LEAD, note: `第${i}次` },
        `2026-02-${String(i).padStart(2, '0')}T00:00:00.000Z`,
      ).state;
    }
    expect(s.progressCount).toBe(25);
    expect(s.progress).toHaveLength(20);
    expect(s.progress[0]).toEqual({ at: '2026-02-05T00:00:00.000Z', by: LEAD, note: '第5次' });
    expect(s.progress[19]).toEqual({ at: '2026-02-24T00:00:00.000Z', by: LEAD, note: '第24次' });
    expect(s.seq).toBe(28);
  });

  test('a submitted task still takes progress reports and stays submitted', () => {
    const r = run(submitted(), { type: 'reportProgress', actor: LEAD, note: '补充说明' }, T4);
    expect(r.state.status).toBe('submitted');
    expect(r.events[0].seq).toBe(4);
  });
});

describe('refusals, with their exact text', () => {
  const cases: [string, () => TaskState, TaskCommand, string, string, string][] = [
    [
      'a department not on the task acknowledging',
      assigned,
      { type: 'acknowledge', actor: '区教育局' },
      'not_on_task',
      '区教育局 不是本任务的牵头或配合单位',
      '区教育局 is not a lead or cooperating department of this task',
    ],
    [
      'a supervisor acknowledging as a department',
      assigned,
      { type: 'acknowledge', actor: SUPERVISOR },
      'not_a_department',
      '督查室不能代替责任单位操作',
      'a supervisor cannot act for a department',
    ],
    [
      'a supervisor submitting for the lead',
      acknowledgedByLead,
      { type: 'submitCompletion', actor: SUPERVISOR, summary: '完成' },
      'not_a_department',
      '督查室不能代替责任单位操作',
      'a supervisor cannot act for a department',
    ],
    [
      'a supervisor reporting progress',
      acknowledgedByLead,
      { type: 'reportProgress', actor: SUPERVISOR, note: '进展' },
      'not_a_department',
      '督查室不能代替责任单位操作',
      'a supervisor cannot act for a department',
    ],
    [
      'a department not on the task reporting progress',
      acknowledgedByLead,
      { type: 'reportProgress', actor: '区教育局', note: '进展' },
      'not_on_task',
      '区教育局 不是本任务的牵头或配合单位',
      '区教育局 is not a lead or cooperating department of this task',
    ],
    [
      'a department acknowledging twice',
      acknowledgedByLead,
      { type: 'acknowledge', actor: LEAD },
      'already_acknowledged',
      `${LEAD} 已签收`,
      `${LEAD} has already acknowledged`,
    ],
    [
      'a cooperating department submitting completion',
      () => run(acknowledgedByLead(), { type: 'acknowledge', actor: COOP }, T2).state,
      { type: 'submitCompletion', actor: COOP, summary: '完成' },
      'lead_only',
      `只有牵头单位 ${LEAD} 可以提交办结`,
      `only the lead department ${LEAD} may submit completion`,
    ],
    [
      'the second lead submitting completion',
      () => run(acknowledgedByLead(), { type: 'acknowledge', actor: SECOND_LEAD }, T2).state,
      { type: 'submitCompletion', actor: SECOND_LEAD, summary: '完成' },
      'lead_only',
      `只有牵头单位 ${LEAD} 可以提交办结`,
      `only the lead department ${LEAD} may submit completion`,
    ],
    [
      'the lead submitting before acknowledging',
      () => run(assigned(), { type: 'acknowledge', actor: COOP }, T1).state,
      { type: 'submitCompletion', actor: LEAD, summary: '完成' },
      'not_acknowledged',
      `${LEAD} 尚未签收，请先签收`,
      `${LEAD} has not acknowledged the task yet`,
    ],
    [
      'reporting progress before acknowledging',
      acknowledgedByLead,
      { type: 'reportProgress', actor: COOP, note: '进展' },
      'not_acknowledged',
      `${COOP} 尚未签收，请先签收`,
      `${COOP} has not acknowledged the task yet`,
    ],
    [
      'submitting twice',
      submitted,
      { type: 'submitCompletion', actor: LEAD, summary: '再次提交' },
      'already_submitted',
      '已提交办结，等待督查室审核',
      'completion already submitted; awaiting verification',
    ],
    [
      'verifying an unsubmitted task',
      acknowledgedByLead,
      { type: 'verifyCompletion', actor: SUPERVISOR },
      'not_submitted',
      '任务尚未提交办结，不能审核',
      'completion has not been submitted; nothing to verify',
    ],
    [
      'verifying an assigned task',
      assigned,
      { type: 'verifyCompletion', actor: SUPERVISOR, note: '同意' },
      'not_submitted',
      '任务尚未提交办结，不能审核',
      'completion has not been submitted; nothing to verify',
    ],
    [
      'rejecting an unsubmitted task',
      acknowledgedByLead,
      { type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' },
      'not_submitted',
      '任务尚未提交办结，不能退回',
      'completion has not been submitted; nothing to reject',
    ],
    [
      'a department verifying its own completion',
      submitted,
      { type: 'verifyCompletion', actor: LEAD },
      'supervisor_only',
      '只有督查室可以执行此操作',
      'only a supervisor may do this',
    ],
    [
      'a department rejecting',
      submitted,
      { type: 'rejectCompletion', actor: COOP, reason: '不合格' },
      'supervisor_only',
      '只有督查室可以执行此操作',
      'only a supervisor may do this',
    ],
    [
      'a department cancelling (even with no reason: who comes first)',
      assigned,
      { type: 'cancel', actor: LEAD, reason: '' },
      'supervisor_only',
      '只有督查室可以执行此操作',
      'only a supervisor may do this',
    ],
    [
      'cancelling with an empty reason',
      assigned,
      { type: 'cancel', actor: SUPERVISOR, reason: '' },
      'missing_text',
      '请填写撤销理由',
      'reason is required',
    ],
    [
      'cancelling with a blank reason',
      submitted,
      { type: 'cancel', actor: SUPERVISOR, reason: ' \n\t ' },
      'missing_text',
      '请填写撤销理由',
      'reason is required',
    ],
    [
      'rejecting with a blank reason',
      submitted,
      { type: 'rejectCompletion', actor: SUPERVISOR, reason: '   ' },
      'missing_text',
      '请填写退回理由',
      'reason is required',
    ],
    [
      'submitting with an empty summary',
      acknowledgedByLead,
      { type: 'submitCompletion', actor: LEAD, summary: '' },
      'missing_text',
      '请填写办结情况',
      'summary is required',
    ],
    [
      'reporting an empty note',
      acknowledgedByLead,
      { type: 'reportProgress', actor: LEAD, note: '  ' },
      'missing_text',
      '请填写进展情况',
      'note is required',
    ],
    [
      'a summary too long',
      acknowledgedByLead,
      { type: 'submitCompletion', actor: LEAD, summary: '办'.repeat(5001) },
      'text_too_long',
      '办结情况过长（最多 5000 字）',
      'summary is too long (max 5000)',
    ],
    [
      'a progress note too long',
      acknowledgedByLead,
      { type: 'reportProgress', actor: LEAD, note: 'x'.repeat(5001) },
      'text_too_long',
      '进展情况过长（最多 5000 字）',
      'note is too long (max 5000)',
    ],
    [
      'a rejection reason too long',
      submitted,
      { type: 'rejectCompletion', actor: SUPERVISOR, reason: 'x'.repeat(5001) },
      'text_too_long',
      '退回理由过长（最多 5000 字）',
      'reason is too long (max 5000)',
    ],
    [
      'a cancellation reason too long',
      assigned,
      { type: 'cancel', actor: SUPERVISOR, reason: 'x'.repeat(5001) },
      'text_too_long',
      '撤销理由过长（最多 5000 字）',
      'reason is too long (max 5000)',
    ],
    [
      'a verification note too long',
      submitted,
      { type: 'verifyCompletion', actor: SUPERVISOR, note: 'x'.repeat(5001) },
      'text_too_long',
      '审核意见过长（最多 5000 字）',
      'note is too long (max 5000)',
    ],
    [
      'a verification note too long even after trimming, plus trailing spaces',
      submitted,
      { type: 'verifyCompletion', actor: SUPERVISOR, note: `${'x'.repeat(5001)}   ` },
      'text_too_long',
      '审核意见过长（最多 5000 字）',
      'note is too long (max 5000)',
    ],
    [
      'acknowledging a completed task',
      completed,
      { type: 'acknowledge', actor: COOP },
      'closed',
      '任务已办结，不能再操作',
      'the task is completed; nothing more can be done',
    ],
    [
      'reporting progress on a completed task',
      completed,
      { type: 'reportProgress', actor: LEAD, note: '进展' },
      'closed',
      '任务已办结，不能再操作',
      'the task is completed; nothing more can be done',
    ],
    [
      'verifying a completed task again',
      completed,
      { type: 'verifyCompletion', actor: SUPERVISOR },
      'closed',
      '任务已办结，不能再操作',
      'the task is completed; nothing more can be done',
    ],
    [
      'cancelling a completed task',
      completed,
      { type: 'cancel', actor: SUPERVISOR, reason: '撤销' },
      'closed',
      '任务已办结，不能再操作',
      'the task is completed; nothing more can be done',
    ],
    [
      'acknowledging a cancelled task',
      cancelled,
      { type: 'acknowledge', actor: LEAD },
      'closed',
      '任务已撤销，不能再操作',
      'the task is cancelled; nothing more can be done',
    ],
    [
      'cancelling a cancelled task again',
      cancelled,
      { type: 'cancel', actor: SUPERVISOR, reason: '再次撤销' },
      'closed',
      '任务已撤销，不能再操作',
      'the task is cancelled; nothing more can be done',
    ],
    [
      'anyone at all acting on a cancelled task',
      cancelled,
      { type: 'submitCompletion', actor: '区教育局', summary: '' },
      'closed',
      '任务已撤销，不能再操作',
      'the task is cancelled; nothing more can be done',
    ],
  ];

  test.each(cases)('%s', (_name, make, cmd, code, zh, en) => {
    const state = deepFreeze(make());
    expect(refused(state, cmd)).toEqual({ code, zh, en });
  });

  test('text of exactly MAX_TEXT characters is accepted; whitespace around it does not count', () => {
    const summary = '办'.repeat(MAX_TEXT);
    const r = run(
      acknowledgedByLead(),
      { type: 'submitCompletion', actor: LEAD, summary: ` ${summary} ` },
      T4,
    );
    expect(r.events[0]).toMatchObject({ type: 'CompletionSubmitted', summary });
  });

  test('rejectionMessage joins Chinese and English', () => {
    expect(rejectionMessage(refused(assigned(), { type: 'cancel', actor: SUPERVISOR, reason: '' }))).toBe(
      '请填写撤销理由 / reason is required',
    );
  });
});

describe('extensions (延期)', () => {
  const REQ_AT = '2026-03-10T02:00:00.000Z';
  const request = (over: Partial<Extract<TaskCommand, { type: 'requestExtension' }>> = {}): TaskCommand => ({
    type: 'requestExtension',
    actor: LEAD,
    to: '2026-05-01',
    reason: ' 汛期施工受限 ',
    ...over,
  });
  const requested = () => run(acknowledgedByLead(), request(), REQ_AT).state;
  const decideExt = (
    approve: boolean,
    over: { to?: string; note?: string; actor?: string } = {},
  ): TaskCommand => ({
    type: 'decideExtension',
    actor: SUPERVISOR,
    approve,
    ...over,
  });

  test('the first lead asks before the due date, for a later date, with a reason; nothing moves yet', () => {
    const before = acknowledgedByLead();
    const r = run(before, request(), REQ_AT);
    expect(r.events).toEqual([
      { type: 'ExtensionRequested', by: LEAD, to: '2026-05-01', reason: '汛期施工受限', seq: 3, at: REQ_AT },
    ]);
    expect(r.state.extensionRequest).toEqual({
      at: REQ_AT,
      by: LEAD,
      to: '2026-05-01',
      reason: '汛期施工受限',
    });
    expect(r.state.due).toBe('2026-04-01');
    expect(r.state.dueHistory).toEqual(before.dueHistory);
    // A lead that has not acknowledged yet may ask too; so may it on the due day itself (18:00 there).
    expect(run(assigned(), request(), REQ_AT).events[0].type).toBe('ExtensionRequested');
    expect(run(before, request(), '2026-04-01T10:00:00.000Z').events[0].type).toBe('ExtensionRequested');
  });

  test('after the due date it is refused, with exactly this reason', () => {
    // 2026-04-01T16:00Z is already 2026-04-02 in Asia/Shanghai.
    for (const now of ['2026-04-01T16:00:00.000Z', '2026-04-02T02:00:00.000Z', '2026-06-01T02:00:00.000Z']) {
      const r = refused(acknowledgedByLead(), request(), now);
      expect(r).toEqual({
        code: 'past_due',
        zh: '已超过办结期限 2026-04-01，延期须由督查室决定',
        en: 'the due date 2026-04-01 has passed; only a supervisor can move it now',
      });
      expect(rejectionMessage(r)).toBe(
        '已超过办结期限 2026-04-01，延期须由督查室决定 / the due date 2026-04-01 has passed; only a supervisor can move it now',
      );
    }
  });

  test('a second request while one is pending is refused; after a decision a new one may be made', () => {
    expect(refused(requested(), request({ to: '2026-06-01' }), '2026-03-11T02:00:00.000Z')).toEqual({
      code: 'extension_pending',
      zh: '已有延期申请（至 2026-05-01）等待督查室决定',
      en: 'an extension to 2026-05-01 is already awaiting a decision',
    });
    const denied = run(requested(), decideExt(false), '2026-03-11T02:00:00.000Z').state;
    expect(run(denied, request({ to: '2026-04-15' }), '2026-03-12T02:00:00.000Z').events[0]).toMatchObject({
      type: 'ExtensionRequested',
      to: '2026-04-15',
    });
  });

  const cases: [string, () => TaskState, TaskCommand, string, string, string][] = [
    [
      'the second lead asking',
      acknowledgedByLead,
      request({ actor: SECOND_LEAD }),
      'lead_only',
      `只有牵头单位 ${LEAD} 可以申请延期`,
      `only the lead department ${LEAD} may request an extension`,
    ],
    [
      'a cooperating department asking',
      acknowledgedByLead,
      request({ actor: COOP }),
      'lead_only',
      `只有牵头单位 ${LEAD} 可以申请延期`,
      `only the lead department ${LEAD} may request an extension`,
    ],
    [
      'a supervisor asking for the lead',
      acknowledgedByLead,
      request({ actor: SUPERVISOR }),
      'not_a_department',
      '督查室不能代替责任单位操作',
      'a supervisor cannot act for a department',
    ],
    [
      'a department not on the task asking',
      acknowledgedByLead,
      request({ actor: '区教育局' }),
      'not_on_task',
      '区教育局 不是本任务的牵头或配合单位',
      '区教育局 is not a lead or cooperating department of this task',
    ],
    [
      'asking once completion is submitted',
      submitted,
      request(),
      'already_submitted',
      '已提交办结，不能申请延期',
      'completion is submitted; no extension',
    ],
    [
      'asking for the due date itself',
      acknowledgedByLead,
      request({ to: '2026-04-01' }),
      'date_not_later',
      'to 应晚于 2026-04-01',
      'to must be later than 2026-04-01',
    ],
    [
      'asking for an earlier date',
      acknowledgedByLead,
      request({ to: '2026-03-20' }),
      'date_not_later',
      'to 应晚于 2026-04-01',
      'to must be later than 2026-04-01',
    ],
    [
      'asking for a date that is not one',
      acknowledgedByLead,
      request({ to: '2026-02-30' }),
      'bad_date',
      'to 日期格式应为 YYYY-MM-DD',
      'to must be a date YYYY-MM-DD',
    ],
    [
      'asking with no reason',
      acknowledgedByLead,
      request({ reason: '  ' }),
      'missing_text',
      '请填写延期理由',
      'reason is required',
    ],
    [
      'a department deciding',
      requested,
      decideExt(true, { actor: LEAD }),
      'supervisor_only',
      '只有督查室可以执行此操作',
      'only a supervisor may do this',
    ],
    [
      'denying when nothing was asked',
      acknowledgedByLead,
      decideExt(false),
      'no_extension_request',
      '没有待决定的延期申请',
      'there is no extension request to deny',
    ],
    [
      'granting when nothing was asked, without a date',
      acknowledgedByLead,
      decideExt(true),
      'missing_date',
      '没有延期申请时，批准延期须给出新的期限',
      'with no request pending, granting an extension needs the new due date (to)',
    ],
    [
      'granting a date that is not later',
      acknowledgedByLead,
      decideExt(true, { to: '2026-03-01' }),
      'date_not_later',
      'to 应晚于 2026-04-01',
      'to must be later than 2026-04-01',
    ],
    [
      'deciding once completion is submitted',
      submitted,
      decideExt(true, { to: '2026-05-01' }),
      'already_submitted',
      '已提交办结，不能延期',
      'completion is submitted; no extension',
    ],
  ];
  test.each(cases)('refused: %s', (_name, make, cmd, code, zh, en) => {
    expect(refused(deepFreeze(make()), cmd, REQ_AT)).toEqual({ code, zh, en });
  });

  test('granted by a supervisor: the due date moves and the history of due dates grows', () => {
    const s = requested();
    const at = '2026-03-12T02:00:00.000Z';
    const r = run(s, decideExt(true, { note: ' 同意延期 ' }), at);
    expect(r.events).toEqual([
      {
        type: 'ExtensionGranted',
        by: SUPERVISOR,
        from: '2026-04-01',
        to: '2026-05-01',
        note: '同意延期',
        seq: 4,
        at,
      },
    ]);
    expect(r.state.due).toBe('2026-05-01');
    expect(r.state.extensionRequest).toBeUndefined();
    expect(r.state.dueHistory).toEqual([
      { due: '2026-04-01', at: ASSIGNED_AT, by: SUPERVISOR, reason: '交办' },
      { due: '2026-05-01', at, by: SUPERVISOR, reason: '同意延期' },
    ]);
    // Without a note the history says 延期; a supervisor may grant another date than the one asked.
    const other = run(s, decideExt(true, { to: '2026-04-20' }), at);
    expect(other.events[0]).toEqual({
      type: 'ExtensionGranted',
      by: SUPERVISOR,
      from: '2026-04-01',
      to: '2026-04-20',
      seq: 4,
      at,
    });
    expect(other.state.dueHistory.at(-1)).toEqual({ due: '2026-04-20', at, by: SUPERVISOR, reason: '延期' });
    // A later extension moves it again, from the date now in force.
    const again = run(other.state, request({ to: '2026-05-20' }), '2026-04-10T02:00:00.000Z').state;
    const third = run(again, decideExt(true), '2026-04-11T02:00:00.000Z');
    expect(third.events[0]).toMatchObject({ from: '2026-04-20', to: '2026-05-20' });
    expect(third.state.dueHistory.map((h) => h.due)).toEqual(['2026-04-01', '2026-04-20', '2026-05-20']);
  });

  test('denied: nothing changes but the pending request is gone', () => {
    const s = requested();
    const at = '2026-03-12T02:00:00.000Z';
    const r = run(s, decideExt(false, { note: '理由不充分' }), at);
    expect(r.events).toEqual([
      { type: 'ExtensionDenied', by: SUPERVISOR, to: '2026-05-01', note: '理由不充分', seq: 4, at },
    ]);
    const { extensionRequest, seq, updatedAt, ...rest } = r.state;
    const { extensionRequest: was, seq: _s, updatedAt: _u, ...restBefore } = s;
    expect(extensionRequest).toBeUndefined();
    expect(was).toBeDefined();
    expect([seq, updatedAt]).toEqual([4, at]);
    expect(rest).toEqual(restBefore);
  });

  test('a supervisor may move the date with no request, also after the due date', () => {
    for (const at of ['2026-03-12T02:00:00.000Z', '2026-04-10T02:00:00.000Z']) {
      const r = run(acknowledgedByLead(), decideExt(true, { to: '2026-06-30' }), at);
      expect(r.events).toEqual([
        { type: 'ExtensionGranted', by: SUPERVISOR, from: '2026-04-01', to: '2026-06-30', seq: 3, at },
      ]);
      expect(r.state.due).toBe('2026-06-30');
    }
  });
});

describe('purity', () => {
  test('decide and evolve never change the state they are given', () => {
    const s = deepFreeze(submitted());
    const snapshot = JSON.parse(JSON.stringify(s)) as TaskState;
    const d = decide(s, { type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' }, T4);
    expect(d.ok).toBe(true);
    const after = fold((d as { events: TaskEvent[] }).events, s);
    expect(after.status).toBe('acknowledged');
    expect(JSON.parse(JSON.stringify(s))).toEqual(snapshot);
    expect(s.status).toBe('submitted');
  });

  test('the same command on the same state at the same time decides the same', () => {
    const s = acknowledgedByLead();
    const cmd: TaskCommand = { type: 'submitCompletion', actor: LEAD, summary: '完成' };
    expect(decide(s, cmd, T4)).toEqual(decide(s, cmd, T4));
  });

  test('replaying the recorded events rebuilds the same state', () => {
    const events: TaskEvent[] = [...assign(spec(), ASSIGNED_AT)];
    let s = fold(events);
    const cmds: [TaskCommand, string][] = [
      [{ type: 'acknowledge', actor: COOP }, T1],
      [{ type: 'acknowledge', actor: LEAD }, T2],
      [{ type: 'submitCompletion', actor: LEAD, summary: '完成' }, T3],
      [{ type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' }, T4],
    ];
    for (const [cmd, at] of cmds) {
      const r = run(s, cmd, at);
      events.push(...r.events);
      s = r.state;
    }
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(fold(events)).toEqual(s);
  });
});

describe('summarize', () => {
  test('the list row of a task', () => {
    let s = fold(assign(spec({ region: '运河街道' }), ASSIGNED_AT));
    s = run(s, { type: 'acknowledge', actor: COOP }, T1).state;
    s = run(s, { type: 'acknowledge', actor: LEAD }, T2).state;
    expect(summarize('task/tez-water-2016/T01/运河街道', s)).toEqual({
      workflowId: 'task/tez-water-2016/T01/运河街道',
      plan: 'tez-water-2016',
      taskId: 'T01',
      region: '运河街道',
      title: '城区污水管网改造',
      lead: [LEAD, SECOND_LEAD],
      cooperating: [COOP],
      status: 'acknowledged',
      due: '2026-04-01',
      escalation: 'none',
      acknowledged: [COOP, LEAD],
      assignedAt: ASSIGNED_AT,
      updatedAt: T2,
      seq: 3,
    });
    expect('region' in summarize('task/tez-water-2016/T01', assigned())).toBe(false);
  });
});
