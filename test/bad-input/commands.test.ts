/**
 * Commands that must be refused, on a real dev server: the wrong department, the wrong order (submit
 * twice, verify what was never submitted, an extension after the due date), impossible, absurd and
 * malformed dates, oversized and malformed arguments. Each refusal says what is wrong, in Chinese and
 * English, and leaves the task's ledger, outbox, history and projection exactly as they were.
 */
import { CommandRefused, TaskNotFound } from '../../services/facade';
import { addDays, dayOf, type TaskState } from '../../domain';
import { sleep } from '../../bench/harness';
import { startBadInputRig, type BadInputRig } from './rig';

let rig: BadInputRig;
const plan = `bad-${Date.now().toString(36)}`;
const A = `${plan}/a`;

beforeAll(async () => {
  rig = await startBadInputRig('commands');
  await rig.duban.startTasks([
    {
      plan,
      id: 'a',
      title: '整治入河排污口',
      lead: ['区环保局'],
      cooperating: ['区发改局'],
      due: '2030-12-31',
    },
    // Born overdue: its due date has passed on the day it is assigned.
    { plan, id: 'late', title: '补办任务', lead: ['区水务局'], due: '2001-01-01' },
    // On the demo clock (a day is a second) and overdue: the interview is ordered a second after assignment.
    {
      plan,
      id: 'iv',
      title: '约谈任务',
      lead: ['区住建局'],
      due: '2001-01-01',
      policy: {
        secondsPerDay: 1,
        interviewAfterOverdue: '1d',
        ackReminderAfter: '3000d',
        ackAlertAfter: '3000d',
      },
    },
  ]);
});
afterAll(async () => {
  await rig?.close();
});

test('a department not on the task, a supervisor acting for one, the wrong order', async () => {
  await rig.refused(
    A,
    'acknowledge',
    { actor: '区住建局' },
    '区住建局 不是本任务的牵头或配合单位 / 区住建局 is not a lead or cooperating department of this task',
  );
  await rig.refused(
    A,
    'acknowledge',
    { actor: '区环保厅' },
    '区环保厅 is not a lead or cooperating department of this task',
  );
  await rig.refused(
    A,
    'acknowledge',
    { actor: 'supervisor' },
    '督查室不能代替责任单位操作 / a supervisor cannot act for a department',
  );
  await rig.refused(
    A,
    'verifyCompletion',
    { actor: 'supervisor' },
    '任务尚未提交办结，不能审核 / completion has not been submitted; nothing to verify',
  );
  await rig.refused(
    A,
    'rejectCompletion',
    { actor: 'supervisor', reason: '不合格' },
    'completion has not been submitted; nothing to reject',
  );
  await rig.refused(
    A,
    'submitCompletion',
    { actor: '区环保局', summary: '完成' },
    '区环保局 尚未签收，请先签收 / 区环保局 has not acknowledged the task yet',
  );
  await rig.refused(
    A,
    'verifyCompletion',
    { actor: '区环保局' },
    '只有督查室可以执行此操作 / only a supervisor may do this',
  );

  expect((await rig.duban.command(A, 'acknowledge', { actor: '区环保局' })).status).toBe('acknowledged');
  await rig.refused(
    A,
    'acknowledge',
    { actor: '区环保局' },
    '区环保局 已签收 / 区环保局 has already acknowledged',
  );
  await rig.refused(
    A,
    'submitCompletion',
    { actor: '区发改局', summary: '完成' },
    '只有牵头单位 区环保局 可以提交办结 / only the lead department 区环保局 may submit completion',
  );
  await rig.refused(
    A,
    'scheduleInterview',
    { actor: 'supervisor', at: '2030-01-01 09:00', place: '会议室' },
    '本任务尚未约谈 / no interview has been ordered for this task',
  );
});

test('dates in the wrong format, impossible or absurd', async () => {
  const ext = (to: string) => ({ actor: '区环保局', to, reason: '资金未到位' });
  await rig.refused(
    A,
    'requestExtension',
    ext('2031/06/30'),
    'to 日期格式应为 YYYY-MM-DD / to must be a date YYYY-MM-DD',
  );
  await rig.refused(A, 'requestExtension', ext('30-06-2031'), 'to must be a date YYYY-MM-DD');
  await rig.refused(A, 'requestExtension', ext('2031-02-30'), 'to must be a date YYYY-MM-DD');
  await rig.refused(
    A,
    'requestExtension',
    ext('1900-01-01'),
    'to 应晚于 2030-12-31 / to must be later than 2030-12-31',
  );
  await rig.refused(A, 'requestExtension', ext('2999-12-31'), 'to is out of range (2100 at the latest)');
  await rig.refused(
    A,
    'decideExtension',
    { actor: 'supervisor', approve: true, to: '2999-01-01' },
    'to is out of range (2100 at the latest)',
  );
  await rig.refused(
    A,
    'decideExtension',
    { actor: 'supervisor', approve: true },
    'granting an extension needs the new due date (to)',
  );
});

test('oversized, missing, unknown and mistyped arguments', async () => {
  await rig.refused(
    A,
    'reportProgress',
    { actor: '区环保局', note: '进'.repeat(5001) },
    '进展情况过长（最多 5000 字） / note is too long (max 5000)',
  );
  await rig.refused(
    A,
    'reportProgress',
    { actor: '区环保局', note: '   ' },
    '请填写进展情况 / note is required',
  );
  await rig.refused(
    A,
    'reportProgress',
    { actor: '局'.repeat(101), note: '进展' },
    '操作单位名称过长 / actor is too long (max 100)',
  );
  await rig.refused(A, 'reportProgress', { actor: '区环保局' } as never, '缺少参数 note / note is required');
  await rig.refused(
    A,
    'reportProgress',
    { actor: '区环保局', note: '进展', extra: 1 } as never,
    '未知参数 extra / unknown field extra',
  );
  await rig.refused(
    A,
    'reportProgress',
    { actor: '区环保局', note: 42 } as never,
    '参数 note 必须是文字 / note must be a string',
  );
  await rig.refused(A, 'acknowledge', { actor: '' }, /actor is required/);
});

test('an argument too big for Temporal itself is refused with a reason, not a transport error', async () => {
  const workflowId = rig.duban.resolveId(A);
  await rig.settle(workflowId);
  const before = await rig.snapshot(workflowId);
  const err = await rig.duban
    .command(A, 'reportProgress', { actor: '区环保局', note: 'x'.repeat(3 * 1024 * 1024) })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect(String((err as Error).message)).toBe(
    "命令参数过大（3073 KiB，最多 128 KiB） / the command's arguments are too large (3073 KiB, at most 128 KiB)",
  );
  expect(await rig.snapshot(workflowId)).toEqual(before);
});

test('submit twice; commands on a closed task; a task that does not exist', async () => {
  expect(
    (await rig.duban.command(A, 'submitCompletion', { actor: '区环保局', summary: '已完成' })).status,
  ).toBe('submitted');
  await rig.refused(
    A,
    'submitCompletion',
    { actor: '区环保局', summary: '再次提交' },
    '已提交办结，等待督查室审核 / completion already submitted; awaiting verification',
  );
  await rig.refused(
    A,
    'requestExtension',
    { actor: '区环保局', to: '2031-06-30', reason: '再议' },
    'completion is submitted; no extension',
  );
  expect((await rig.duban.command(A, 'verifyCompletion', { actor: 'supervisor' })).status).toBe('completed');
  await rig.settle(rig.duban.resolveId(A));
  await rig.refused(
    A,
    'acknowledge',
    { actor: '区发改局' },
    '任务已办结，不能再操作 / the task is completed; nothing more can be done',
  );
  await rig.refused(A, 'submitCompletion', { actor: '区环保局', summary: '第三次' }, 'the task is completed');
  await expect(rig.duban.command(`${plan}/nope`, 'acknowledge', { actor: '区环保局' })).rejects.toThrow(
    TaskNotFound,
  );
  await expect(rig.duban.command('no-slash', 'acknowledge', { actor: '区环保局' })).rejects.toThrow(
    /a task id is plan\/id/,
  );
});

test('an extension asked after the due date is for the supervisor to decide', async () => {
  const id = `${plan}/late`;
  await rig.duban.command(id, 'acknowledge', { actor: '区水务局' });
  await rig.refused(
    id,
    'requestExtension',
    { actor: '区水务局', to: addDays(dayOf(Date.now()), 30), reason: '来不及' },
    '已超过办结期限 2001-01-01，延期须由督查室决定 / the due date 2001-01-01 has passed; only a supervisor can move it now',
  );
  // The supervisor can.
  const to = addDays(dayOf(Date.now()), 30);
  expect(
    (await rig.duban.command(id, 'decideExtension', { actor: 'supervisor', approve: true, to })).due,
  ).toBe(to);
});

test('an interview time that is not a time, or absurd; rectification dates out of range; oversized attendees', async () => {
  const id = `${plan}/iv`;
  let state: TaskState | undefined;
  for (let i = 0; i < 60 && !state?.interview; i++) {
    state = await rig.duban.state(id);
    if (!state.interview) await sleep(500);
  }
  expect(state?.interview).toBeDefined();
  const at = (v: string) => ({ actor: 'supervisor', at: v, place: '区政府第一会议室' });
  await rig.refused(
    id,
    'scheduleInterview',
    at('下周一上午'),
    '约谈时间格式应为 YYYY-MM-DD HH:mm / the interview time must be YYYY-MM-DD HH:mm',
  );
  await rig.refused(
    id,
    'scheduleInterview',
    at('2030-13-45 25:61'),
    'the interview time must be YYYY-MM-DD HH:mm',
  );
  await rig.refused(
    id,
    'scheduleInterview',
    at(`2030-01-01 09:00${'x'.repeat(10_000)}`),
    'the interview time must be YYYY-MM-DD HH:mm',
  );
  await rig.refused(id, 'scheduleInterview', at('2999-01-01 09:00'), /out of range/);
  await rig.refused(id, 'scheduleInterview', at('1900-01-01 09:00'), /out of range/);
  const record = (extra: object) => ({
    actor: 'supervisor',
    attendees: ['区住建局局长'],
    opinions: '限期整改',
    ...extra,
  });
  await rig.refused(
    id,
    'recordInterview',
    record({ rectificationDue: '2999-01-01' }),
    'rectificationDue is out of range',
  );
  await rig.refused(
    id,
    'recordInterview',
    record({ rectificationDue: '1900-01-01' }),
    /rectificationDue must be later than/,
  );
  await rig.refused(
    id,
    'recordInterview',
    record({ attendees: ['人'.repeat(101)] }),
    /attendee.*too long|参加约谈的人员.*过长/,
  );
  await rig.refused(
    id,
    'recordInterview',
    record({ attendees: '区住建局局长' }),
    '参数 attendees 必须是文字列表 / attendees must be a list of strings',
  );
  // The contract's one rule: an hour past 23 is refused, seconds are taken (as by the API and the CLI).
  await rig.refused(
    id,
    'scheduleInterview',
    at('2027-01-01 25:99'),
    'the interview time must be YYYY-MM-DD HH:mm',
  );
  expect(
    (await rig.duban.command(id, 'scheduleInterview', at('2027-01-01 10:00:00'))).interview?.scheduled?.time,
  ).toBe('2027-01-01 10:00:00');
  // A well-formed time is taken.
  expect(
    (await rig.duban.command(id, 'scheduleInterview', at('2030-01-02 09:30'))).interview?.scheduled,
  ).toEqual({
    time: '2030-01-02 09:30',
    place: '区政府第一会议室',
  });
});

test('a refusal is a CommandRefused with its code', async () => {
  const err = await rig.duban
    .command(A, 'verifyCompletion', { actor: 'supervisor' })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CommandRefused);
  expect((err as CommandRefused).code).toBe('closed');
});
