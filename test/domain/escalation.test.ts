import {
  DEFAULT_POLICY,
  EscalationPolicy,
  escalate,
  nextEscalation,
  plannedRungs,
  SUPERVISOR,
  type TaskEvent,
  type TaskState,
} from '../../domain';
import { assigned, completed, fold, LEAD, run, submitted } from './fixtures';

const P = DEFAULT_POLICY;
/** Due 2026-04-01, Asia/Shanghai, 09:00 there is 01:00Z. */
const W30 = '2026-03-02T01:00:00.000Z';
const W7 = '2026-03-25T01:00:00.000Z';
const W1 = '2026-03-31T01:00:00.000Z';
const OVERDUE = '2026-04-02T01:00:00.000Z';

const ms = (iso: string) => Date.parse(iso);
const before = (iso: string) => new Date(ms(iso) - 1).toISOString();
const plan = (s: TaskState) => plannedRungs(s, P).map((p) => [p.at, p.key]);

/** Escalates at `now`, applies the events and returns both. */
function tick(s: TaskState, now: string): { state: TaskState; events: TaskEvent[] } {
  const events = escalate(s, P, now);
  return { state: fold(events, s), events };
}

describe('the policy', () => {
  test('defaults: warnings 30, 7 and 1 days before due, notices at 09:00', () => {
    expect(DEFAULT_POLICY).toEqual({ warningDaysBefore: [30, 7, 1], noticeHour: 9 });
  });

  test('settings are validated and strict', () => {
    expect(EscalationPolicy.parse({ warningDaysBefore: [14], noticeHour: 8 })).toEqual({
      warningDaysBefore: [14],
      noticeHour: 8,
    });
    for (const bad of [
      { noticeHour: 24 },
      { noticeHour: -1 },
      { noticeHour: 8.5 },
      { warningDaysBefore: [0] },
      { warningDaysBefore: [366] },
      { warningDaysBefore: [1.5] },
      { reminderDays: 1 },
    ]) {
      expect(EscalationPolicy.safeParse(bad).success).toBe(false);
    }
    const r = EscalationPolicy.safeParse({ noticeHour: 24 });
    expect(r.error!.issues[0].path).toEqual(['noticeHour']);
  });
});

describe('a task assigned 2026-01-01T01:00Z, due 2026-04-01', () => {
  test('plans the three warnings and the overdue notice at 09:00 Asia/Shanghai', () => {
    expect(plannedRungs(assigned(), P)).toEqual([
      { at: W30, rung: { kind: 'warning', daysBefore: 30 }, key: 'warning:30' },
      { at: W7, rung: { kind: 'warning', daysBefore: 7 }, key: 'warning:7' },
      { at: W1, rung: { kind: 'warning', daysBefore: 1 }, key: 'warning:1' },
      { at: OVERDUE, rung: { kind: 'overdue' }, key: 'overdue' },
    ]);
    expect(nextEscalation(assigned(), P)).toEqual({
      at: W30,
      rung: { kind: 'warning', daysBefore: 30 },
      key: 'warning:30',
    });
  });

  test('walking the clock: each rung fires once, at its time, in order', () => {
    let s = assigned();
    expect(escalate(s, P, before(W30))).toEqual([]);

    let r = tick(s, W30);
    expect(r.events).toEqual([{ type: 'WarningIssued', daysBefore: 30, due: '2026-04-01', seq: 2, at: W30 }]);
    s = r.state;
    expect(s.fired).toEqual(['warning:30']);
    expect(s.escalation).toBe('warning');
    expect(s.status).toBe('assigned');
    expect(escalate(s, P, W30)).toEqual([]);
    expect(escalate(s, P, before(W7))).toEqual([]);
    expect(nextEscalation(s, P)?.at).toBe(W7);

    r = tick(s, W7);
    expect(r.events).toEqual([{ type: 'WarningIssued', daysBefore: 7, due: '2026-04-01', seq: 3, at: W7 }]);
    s = r.state;
    expect(nextEscalation(s, P)?.at).toBe(W1);

    r = tick(s, W1);
    expect(r.events).toEqual([{ type: 'WarningIssued', daysBefore: 1, due: '2026-04-01', seq: 4, at: W1 }]);
    s = r.state;
    expect(s.escalation).toBe('warning');
    expect(nextEscalation(s, P)).toEqual({ at: OVERDUE, rung: { kind: 'overdue' }, key: 'overdue' });
    expect(escalate(s, P, before(OVERDUE))).toEqual([]);

    r = tick(s, OVERDUE);
    expect(r.events).toEqual([
      { type: 'OverdueNoticed', due: '2026-04-01', daysOverdue: 1, seq: 5, at: OVERDUE },
    ]);
    s = r.state;
    expect(s.escalation).toBe('overdue');
    expect(s.fired).toEqual(['warning:30', 'warning:7', 'warning:1', 'overdue']);
    expect(s.status).toBe('assigned');

    expect(nextEscalation(s, P)).toBeUndefined();
    expect(escalate(s, P, '2026-12-31T00:00:00.000Z')).toEqual([]);
  });

  test('a non-default policy: 14 and 3 days (duplicates ignored), at 08:00', () => {
    const policy = EscalationPolicy.parse({ warningDaysBefore: [3, 14, 3], noticeHour: 8 });
    expect(plannedRungs(assigned(), policy).map((p) => [p.at, p.key])).toEqual([
      ['2026-03-18T00:00:00.000Z', 'warning:14'],
      ['2026-03-29T00:00:00.000Z', 'warning:3'],
      ['2026-04-02T00:00:00.000Z', 'overdue'],
    ]);
  });

  test('a notice hour of 0 is local midnight, the previous evening in UTC', () => {
    const policy = EscalationPolicy.parse({ warningDaysBefore: [1], noticeHour: 0 });
    expect(plannedRungs(assigned(), policy).map((p) => [p.at, p.key])).toEqual([
      ['2026-03-30T16:00:00.000Z', 'warning:1'],
      ['2026-04-01T16:00:00.000Z', 'overdue'],
    ]);
  });
});

describe('late assignment', () => {
  test('assigned 10 days before due: no 30-day warning, ever', () => {
    const s = assigned({ due: '2026-04-01' }, '2026-03-22T01:00:00.000Z');
    expect(plan(s)).toEqual([
      [W7, 'warning:7'],
      [W1, 'warning:1'],
      [OVERDUE, 'overdue'],
    ]);
    expect(escalate(s, P, '2026-03-22T01:00:00.000Z')).toEqual([]);
    expect(escalate(s, P, W7)).toEqual([
      { type: 'WarningIssued', daysBefore: 7, due: '2026-04-01', seq: 2, at: W7 },
    ]);
  });

  test('a warning whose time is exactly the assignment instant is not sent; one a millisecond later is', () => {
    expect(plan(assigned({}, W30)).map(([, k]) => k)).toEqual(['warning:7', 'warning:1', 'overdue']);
    expect(plan(assigned({}, before(W30))).map(([, k]) => k)).toEqual([
      'warning:30',
      'warning:7',
      'warning:1',
      'overdue',
    ]);
  });

  test('assigned on the due day (afternoon): only the overdue notice, next morning at 09:00', () => {
    const s = assigned({}, '2026-04-01T06:00:00.000Z');
    expect(plan(s)).toEqual([[OVERDUE, 'overdue']]);
  });

  test('assigned after its due date: the overdue notice at once, with the days overdue', () => {
    const at = '2026-04-05T03:00:00.000Z';
    const s = assigned({ due: '2026-04-01' }, at);
    expect(plannedRungs(s, P)).toEqual([{ at, rung: { kind: 'overdue' }, key: 'overdue' }]);
    expect(nextEscalation(s, P)?.at).toBe(at);
    const r = tick(s, at);
    expect(r.events).toEqual([{ type: 'OverdueNoticed', due: '2026-04-01', daysOverdue: 4, seq: 2, at }]);
    expect(r.state.escalation).toBe('overdue');
    expect(nextEscalation(r.state, P)).toBeUndefined();
  });

  test('assigned the night after the due date, before 09:00: the notice waits for 09:00', () => {
    // 2026-04-02T00:00+08:00 is past the due day, but the overdue notice goes out at 09:00 there
    const s = assigned({ due: '2026-04-01' }, '2026-04-01T16:00:00.000Z');
    expect(plan(s)).toEqual([[OVERDUE, 'overdue']]);
  });
});

describe('several rungs due at once (a worker that was down)', () => {
  test('only the most severe warning is sent; the earlier ones are skipped and never fire', () => {
    const now = '2026-03-26T00:00:00.000Z';
    let r = tick(assigned(), now);
    expect(r.events).toEqual([
      { type: 'WarningIssued', daysBefore: 7, due: '2026-04-01', skipped: ['warning:30'], seq: 2, at: now },
    ]);
    const s = r.state;
    expect(s.fired).toEqual(['warning:7', 'warning:30']);
    expect(escalate(s, P, now)).toEqual([]);
    expect(escalate(s, P, before(W1))).toEqual([]);
    expect(nextEscalation(s, P)?.key).toBe('warning:1');

    const later = '2026-04-10T05:00:00.000Z';
    r = tick(s, later);
    expect(r.events).toEqual([
      {
        type: 'OverdueNoticed',
        due: '2026-04-01',
        daysOverdue: 9,
        skipped: ['warning:1'],
        seq: 3,
        at: later,
      },
    ]);
    expect(plannedRungs(r.state, P)).toEqual([]);
  });

  test('everything due: the overdue notice goes out, all three warnings skipped', () => {
    const now = '2026-04-03T02:00:00.000Z';
    const r = tick(assigned(), now);
    expect(r.events).toEqual([
      {
        type: 'OverdueNoticed',
        due: '2026-04-01',
        daysOverdue: 2,
        skipped: ['warning:30', 'warning:7', 'warning:1'],
        seq: 2,
        at: now,
      },
    ]);
    expect(r.state.escalation).toBe('overdue');
    expect(r.state.fired.sort()).toEqual(['overdue', 'warning:1', 'warning:30', 'warning:7']);
    expect(nextEscalation(r.state, P)).toBeUndefined();
    expect(escalate(r.state, P, '2026-06-01T00:00:00.000Z')).toEqual([]);
  });
});

describe('held while submitted, resumed on rejection', () => {
  test('a submitted task plans nothing and escalates nothing, even past its due date', () => {
    const s = submitted('2026-03-20T02:00:00.000Z');
    expect(s.status).toBe('submitted');
    expect(plannedRungs(s, P)).toEqual([]);
    expect(nextEscalation(s, P)).toBeUndefined();
    expect(escalate(s, P, W7)).toEqual([]);
    expect(escalate(s, P, '2026-05-01T00:00:00.000Z')).toEqual([]);
  });

  test('rejected before the next rung: the rungs resume at their own times', () => {
    let s = tick(assigned(), W30).state; // 30-day warning sent while assigned
    s = run(s, { type: 'acknowledge', actor: LEAD }, '2026-03-03T00:00:00.000Z').state;
    s = run(s, { type: 'submitCompletion', actor: LEAD, summary: '完成' }, '2026-03-10T00:00:00.000Z').state;
    expect(plannedRungs(s, P)).toEqual([]);
    s = run(
      s,
      { type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' },
      '2026-03-12T00:00:00.000Z',
    ).state;
    expect(s.status).toBe('acknowledged');
    expect(plan(s)).toEqual([
      [W7, 'warning:7'],
      [W1, 'warning:1'],
      [OVERDUE, 'overdue'],
    ]);
    expect(escalate(s, P, '2026-03-12T00:00:00.000Z')).toEqual([]);
    expect(escalate(s, P, W7)).toEqual([
      { type: 'WarningIssued', daysBefore: 7, due: '2026-04-01', seq: 6, at: W7 },
    ]);
  });

  test('rejected after a warning time passed while it was held: that warning goes out on rejection', () => {
    let s = run(assigned(), { type: 'acknowledge', actor: LEAD }, '2026-01-02T00:00:00.000Z').state;
    s = run(s, { type: 'submitCompletion', actor: LEAD, summary: '完成' }, '2026-03-20T00:00:00.000Z').state;
    const rejectedAt = '2026-03-27T02:00:00.000Z';
    s = run(s, { type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' }, rejectedAt).state;
    // the 30-day warning was held since 2026-03-02 and the 7-day one since 2026-03-25: only the latter is sent
    expect(escalate(s, P, rejectedAt)).toEqual([
      {
        type: 'WarningIssued',
        daysBefore: 7,
        due: '2026-04-01',
        skipped: ['warning:30'],
        seq: 5,
        at: rejectedAt,
      },
    ]);
  });

  test('rejected after the due date passed while it was held: the overdue notice at once, the held warnings skipped', () => {
    let s = run(assigned(), { type: 'acknowledge', actor: LEAD }, '2026-01-02T00:00:00.000Z').state;
    s = run(s, { type: 'submitCompletion', actor: LEAD, summary: '完成' }, '2026-02-01T00:00:00.000Z').state;
    expect(escalate(s, P, '2026-04-03T00:00:00.000Z')).toEqual([]);
    const rejectedAt = '2026-04-06T02:00:00.000Z';
    s = run(s, { type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' }, rejectedAt).state;
    expect(nextEscalation(s, P)?.key).toBe('warning:30');
    expect(escalate(s, P, rejectedAt)).toEqual([
      {
        type: 'OverdueNoticed',
        due: '2026-04-01',
        daysOverdue: 5,
        skipped: ['warning:30', 'warning:7', 'warning:1'],
        seq: 5,
        at: rejectedAt,
      },
    ]);
  });
});

describe('nothing after completion or cancellation', () => {
  test('a completed task', () => {
    const s = completed();
    expect(plannedRungs(s, P)).toEqual([]);
    expect(nextEscalation(s, P)).toBeUndefined();
    for (const now of [W30, W1, OVERDUE, '2027-01-01T00:00:00.000Z']) expect(escalate(s, P, now)).toEqual([]);
  });

  test('a cancelled task, cancelled after a warning went out', () => {
    let s = tick(assigned(), W30).state;
    s = run(s, { type: 'cancel', actor: SUPERVISOR, reason: '任务调整' }, '2026-03-05T00:00:00.000Z').state;
    expect(s.status).toBe('cancelled');
    expect(plannedRungs(s, P)).toEqual([]);
    expect(nextEscalation(s, P)).toBeUndefined();
    for (const now of [W7, OVERDUE, '2027-01-01T00:00:00.000Z']) expect(escalate(s, P, now)).toEqual([]);
  });
});

describe('daysOverdue counts calendar days in Asia/Shanghai', () => {
  test.each([
    [OVERDUE, 1], // 2026-04-02 09:00 local
    ['2026-04-02T15:59:59.999Z', 1], // 2026-04-02 23:59:59.999 local
    ['2026-04-02T16:00:00.000Z', 2], // 2026-04-03 00:00 local
    ['2026-05-01T01:00:00.000Z', 30],
    ['2026-05-01T16:30:00.000Z', 31], // 2026-05-02 00:30 local
    ['2027-04-02T01:00:00.000Z', 366],
  ])('at %s: %i', (now, days) => {
    const [e] = escalate(assigned(), P, now);
    expect(e).toMatchObject({ type: 'OverdueNoticed', due: '2026-04-01', daysOverdue: days });
  });

  test('across the end of February in a leap year', () => {
    const s = assigned({ due: '2028-02-28' }, '2028-02-01T00:00:00.000Z');
    expect(
      nextEscalation(tick(tick(s, '2028-02-21T01:00:00.000Z').state, '2028-02-27T01:00:00.000Z').state, P),
    ).toEqual({
      at: '2028-02-29T01:00:00.000Z',
      rung: { kind: 'overdue' },
      key: 'overdue',
    });
    expect(escalate(s, P, '2028-03-01T01:00:00.000Z')[0]).toMatchObject({
      type: 'OverdueNoticed',
      daysOverdue: 2,
    });
  });
});
