/**
 * The command contract (domain/commands.ts) holds at every interface that judges a command here without
 * a server: decide(), the workflow's argument check (commandFromArgs, what its validator runs before
 * decide), available() (the page's forms) and can() (the API's 403).
 */
import {
  COMMAND_NAMES,
  COMMANDS,
  SUPERVISOR,
  available,
  commandFromArgs,
  decide,
  evolve,
  whoRefuses,
  type CommandArgs,
  type CommandName,
  type TaskCommand,
  type TaskState,
} from '../../domain';
import { actorOf, can, type Principal } from '../../services/auth';
import { COMMAND_BODIES } from '../../http/tasks';
import { ASSIGNED_AT, COOP, LEAD, SECOND_LEAD, assigned, run, submitted } from './fixtures';

const T = '2026-02-01T02:00:00.000Z';
const dayOfT = '2026-02-01';

function withInterview(s: TaskState, recorded = false): TaskState {
  let out = evolve(s, {
    type: 'InterviewOrdered',
    n: 1,
    due: s.due,
    daysOverdue: 3,
    rectificationDue: '2026-06-01',
    seq: s.seq + 1,
    at: T,
  });
  if (recorded)
    out = evolve(out, {
      type: 'InterviewRecorded',
      n: 1,
      by: SUPERVISOR,
      attendees: ['甲'],
      opinions: '整改',
      rectificationDue: '2026-06-01',
      seq: out.seq + 1,
      at: T,
    });
  return out;
}

describe('the interview time: one rule for the domain, the workflow and the API body', () => {
  const scheduled = () => withInterview(assigned());
  const args = (at: string) => ({ actor: SUPERVISOR, at, place: '区政府三楼' });

  test.each([
    ['2027-01-01 10:00:00', true],
    ['2027-01-01 10:00', true],
    ['2027-01-01T10:00', true],
    ['2027-01-01 25:99', false],
    ['2027-01-01 23:60', false],
    ['2027-02-30 10:00', false],
    ['1999-12-31 10:00', false],
    ['2101-01-01 10:00', false],
    ['tomorrow', false],
  ])('%s accepted: %s', (at, ok) => {
    // The workflow: the argument's shape passes either way; the content rule is decide's.
    const parsed = commandFromArgs('scheduleInterview', args(at));
    expect(parsed.ok).toBe(true);
    const d = decide(scheduled(), (parsed as { command: TaskCommand }).command, T);
    expect(d.ok).toBe(ok);
    if (!d.ok) expect(d.rejection.code).toBe('bad_time');
    // The API's body: the same schema, so the same answer, naming the field.
    const body = COMMAND_BODIES.scheduleInterview.safeParse({ at, place: '区政府三楼' });
    expect(body.success).toBe(ok);
    if (!body.success) expect(body.error.issues[0].path).toEqual(['at']);
  });

  test('the domain, the workflow and the API say the same words', () => {
    const d = decide(scheduled(), { type: 'scheduleInterview', ...args('2027-01-01 25:99') }, T);
    const body = COMMAND_BODIES.scheduleInterview.safeParse({ at: '2027-01-01 25:99', place: 'x' });
    expect(d).toEqual({
      ok: false,
      rejection: {
        code: 'bad_time',
        zh: '约谈时间格式应为 YYYY-MM-DD HH:mm',
        en: 'the interview time must be YYYY-MM-DD HH:mm',
      },
    });
    expect(body.error?.issues[0].message).toBe(
      '约谈时间格式应为 YYYY-MM-DD HH:mm / the interview time must be YYYY-MM-DD HH:mm',
    );
  });
});

describe('the workflow argument check', () => {
  test('names what is malformed, in the words clients have always had', () => {
    const bad = (type: CommandName, arg: unknown) => {
      const r = commandFromArgs(type, arg);
      return r.ok ? undefined : `${r.rejection.field}: ${r.rejection.zh} / ${r.rejection.en}`;
    };
    expect(bad('reportProgress', { actor: LEAD })).toBe('note: 缺少参数 note / note is required');
    expect(bad('reportProgress', { actor: LEAD, note: 'x', extra: 1 })).toBe(
      'extra: 未知参数 extra / unknown field extra',
    );
    expect(bad('reportProgress', { actor: LEAD, note: 42 })).toBe(
      'note: 参数 note 必须是文字 / note must be a string',
    );
    expect(bad('decideExtension', { actor: SUPERVISOR, approve: 'yes' })).toBe(
      'approve: 参数 approve 必须是是或否 / approve must be true or false',
    );
    expect(bad('recordInterview', { actor: SUPERVISOR, attendees: 'x', opinions: 'y' })).toBe(
      'attendees: 参数 attendees 必须是文字列表 / attendees must be a list of strings',
    );
    expect(bad('acknowledge', { actor: ' ' })).toBe('actor: 请说明操作单位（actor） / actor is required');
    expect(bad('acknowledge', { actor: '局'.repeat(101) })).toBe(
      'actor: 操作单位名称过长 / actor is too long (max 100)',
    );
    expect(bad('acknowledge', null)).toBe(': 缺少参数 / the command needs an argument object');
    // Content (a blank note) is not the shape's to judge: decide refuses it after who and when.
    expect(bad('reportProgress', { actor: LEAD, note: '  ' })).toBeUndefined();
  });
});

/** A payload the contract accepts for every command, so only who and when can refuse it. */
const GOOD: { [K in CommandName]: Omit<CommandArgs[K], 'actor'> } = {
  acknowledge: {},
  reportProgress: { note: '进展' },
  submitCompletion: { summary: '完成' },
  verifyCompletion: {},
  rejectCompletion: { reason: '不全' },
  cancel: { reason: '调整' },
  requestExtension: { to: '2099-12-31', reason: '资金' },
  decideExtension: { approve: true, to: '2099-12-31' },
  scheduleInterview: { at: '2026-03-01 09:00', place: '三楼' },
  recordInterview: { attendees: ['甲'], opinions: '整改' },
  reportMilestone: { milestone: 1, note: '完成' },
  verifyMilestone: { milestone: 1 },
  rejectMilestone: { milestone: 1, reason: '不全' },
  pause: { reason: '上级调整' },
  resume: {},
  reassign: { lead: ['区教育局'], reason: '机构改革' },
  editTask: { title: '新的任务名称', reason: '表述调整' },
  addMilestone: { due: '2026-03-20', title: '完成方案', reason: '细化进度' },
  splitTask: { subs: [{ title: '子任务', due: '2026-03-20', lead: [COOP] }], reason: '分解' },
  instruct: { text: '抓紧办理' },
  approveCompletion: {},
  returnCompletion: { reason: '材料不全' },
};

describe('available() agrees with decide() in every state, for every actor and command', () => {
  const acked = () => run(assigned(), { type: 'acknowledge', actor: LEAD }, ASSIGNED_AT).state;
  const withMilestones = () =>
    run(
      assigned({
        due: '2026-04-01',
        milestones: [
          { due: '2026-03-01', title: '排查' },
          { due: '2026-04-01', title: '改造' },
        ],
      }),
      { type: 'acknowledge', actor: LEAD },
      ASSIGNED_AT,
    ).state;
  const requested = () =>
    run(acked(), { type: 'requestExtension', actor: LEAD, to: '2026-05-01', reason: '资金' }, ASSIGNED_AT)
      .state;
  const states: [string, () => TaskState, string][] = [
    ['assigned', assigned, T],
    ['acknowledged by the lead', acked, T],
    [
      'acknowledged by a cooperating one',
      () => run(assigned(), { type: 'acknowledge', actor: COOP }, T).state,
      T,
    ],
    ['submitted', submitted, T],
    ['an extension pending', requested, T],
    ['past its due date', acked, '2026-05-01T02:00:00.000Z'],
    ['interview ordered', () => withInterview(acked()), T],
    ['interview recorded', () => withInterview(acked(), true), T],
    ['completed', () => run(submitted(), { type: 'verifyCompletion', actor: SUPERVISOR }, T).state, T],
    ['cancelled', () => run(assigned(), { type: 'cancel', actor: SUPERVISOR, reason: 'x' }, T).state, T],
    ['with milestones', () => withMilestones(), T],
    [
      'every milestone reported',
      () =>
        [1, 2].reduce(
          (st, milestone) =>
            run(st, { type: 'reportMilestone', actor: LEAD, milestone, note: '完成' }, T).state,
          withMilestones(),
        ),
      T,
    ],
    ['paused', () => run(acked(), { type: 'pause', actor: SUPERVISOR, reason: '调整' }, T).state, T],
  ];
  const actors = [LEAD, SECOND_LEAD, COOP, SUPERVISOR, '区教育局'];

  test.each(states)('%s', (_name, make, now) => {
    const s = make();
    const today = now.slice(0, 10);
    for (const actor of actors) {
      const offered = available(s, actor, today);
      for (const type of COMMAND_NAMES) {
        const d = decide(s, { type, actor, ...GOOD[type] } as TaskCommand, now);
        expect({ actor, type, available: offered.includes(type) }).toEqual({ actor, type, available: d.ok });
      }
    }
  });

  test('no actor (leadership, the public): nothing', () => {
    expect(available(assigned(), undefined, dayOfT)).toEqual([]);
  });
});

describe("can() is the contract's who rule", () => {
  const task = { lead: [LEAD, SECOND_LEAD], cooperating: [COOP], region: '泥沟镇' };
  const principals: Principal[] = [
    { role: 'supervisor' },
    { role: 'leadership' },
    { role: 'public' },
    { role: 'department', department: LEAD },
    { role: 'department', department: SECOND_LEAD },
    { role: 'department', department: COOP },
    { role: 'department', department: '区教育局' },
    { role: 'region', region: '泥沟镇' },
  ];

  test('for every principal and command', () => {
    for (const p of principals)
      for (const type of COMMAND_NAMES) {
        const me = actorOf(p);
        const domain = me !== undefined && whoRefuses(type, task, me) === undefined;
        expect({ p, type, can: can(p, type, task) }).toEqual({ p, type, can: domain });
      }
  });

  test('a 镇街 on a task of its region but not named on it: can(), the page and the workflow all say no', () => {
    const ng: Principal = { role: 'region', region: '泥沟镇' };
    const s = assigned({ region: '泥沟镇' });
    expect(can(ng, 'acknowledge', { ...s.spec })).toBe(false);
    expect(available(s, actorOf(ng), dayOfT)).toEqual([]);
    expect(decide(s, { type: 'acknowledge', actor: '泥沟镇' }, T)).toMatchObject({
      ok: false,
      rejection: { code: 'not_on_task' },
    });
    // Named cooperating, it may.
    const named = assigned({ region: '泥沟镇', cooperating: [COOP, '泥沟镇'] });
    expect(can(ng, 'acknowledge', named.spec)).toBe(true);
    expect(available(named, '泥沟镇', dayOfT)).toEqual(['acknowledge']);
    expect(decide(named, { type: 'acknowledge', actor: '泥沟镇' }, T).ok).toBe(true);
  });

  test('every command has a label and a rule', () => {
    for (const type of COMMAND_NAMES) {
      expect(COMMANDS[type].zh).toBeTruthy();
      expect(['department', 'lead', 'supervisor', 'leadership']).toContain(COMMANDS[type].who);
    }
  });
});
