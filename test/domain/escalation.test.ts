import {
  DEFAULT_POLICY,
  DEMO_POLICY,
  EscalationPolicy,
  escalate,
  nextEscalation,
  plannedRungs,
  resolvePolicy,
  SUPERVISOR,
  type EscalationPolicy as Policy,
  type TaskEvent,
  type TaskSpecInput,
  type TaskState,
  type WorkCalendar,
} from '../../domain';
import {
  acknowledgedByAll,
  assigned,
  ASSIGNED_AT,
  CAL,
  completed,
  COOP,
  fold,
  LEAD,
  refused,
  run,
  SECOND_LEAD,
  submitted,
} from './fixtures';

const P = DEFAULT_POLICY;
const DUE = '2026-04-01';
/** Due 2026-04-01, Asia/Shanghai, 09:00 there is 01:00Z. */
const W30 = '2026-03-02T01:00:00.000Z';
const W7 = '2026-03-25T01:00:00.000Z';
const W1 = '2026-03-31T01:00:00.000Z';
const OVERDUE = '2026-04-02T01:00:00.000Z';
/** 30 calendar days after the due date: the interview (约谈). */
const INTERVIEW = '2026-05-01T01:00:00.000Z';
/** No year covered: every working-day count is weekdays only, and provisional. */
const NO_CALENDAR: WorkCalendar = { years: [], holidays: [], workdays: [] };

const ms = (iso: string) => Date.parse(iso);
const before = (iso: string) => new Date(ms(iso) - 1).toISOString();
const plan = (s: TaskState, policy: Policy = P) => plannedRungs(s, policy, CAL).map((p) => [p.at, p.key]);
const keys = (s: TaskState) => plannedRungs(s, P, CAL).map((p) => p.key);
/** A task every department acknowledged when it was assigned: the deadline ladder alone. */
const ackd = (over: Partial<TaskSpecInput> = {}, at = ASSIGNED_AT) => acknowledgedByAll(over, at);
const SUP = { actor: SUPERVISOR };

/** Escalates at `now` (official calendar), applies the events and returns both. */
function tick(s: TaskState, now: string, policy: Policy = P): { state: TaskState; events: TaskEvent[] } {
  const events = escalate(s, policy, now, CAL);
  return { state: fold(events, s), events };
}

/** Fires every rung in turn, each at its own time, up to and including `until`. */
function walk(s: TaskState, until: string, policy: Policy = P, cal: WorkCalendar = CAL) {
  const events: TaskEvent[] = [];
  for (;;) {
    const next = nextEscalation(s, policy, cal);
    if (!next || ms(next.at) > ms(until)) return { state: s, events };
    const fired = escalate(s, policy, next.at, cal);
    if (fired.length === 0) throw new Error(`rung ${next.key} planned at ${next.at} fired nothing`);
    events.push(...fired);
    s = fold(fired, s);
  }
}

describe('the policy', () => {
  test('defaults: the design ladder, notices at 09:00', () => {
    expect(DEFAULT_POLICY).toEqual({
      noticeHour: 9,
      ackReminderAfter: { n: 1, unit: 'wd' },
      ackReminderEvery: { n: 1, unit: 'wd' },
      ackAlertAfter: { n: 5, unit: 'wd' },
      warningDaysBefore: [30, 7, 1],
      interviewAfterOverdue: { n: 30, unit: 'd' },
      rectificationPeriod: { n: 20, unit: 'wd' },
      accountabilityAfterRectification: { n: 30, unit: 'd' },
      referral: '区监察局',
      occurrenceDue: { n: 10, unit: 'wd' },
    });
    expect(DEFAULT_POLICY.secondsPerDay).toBeUndefined();
  });

  test('settings are validated and strict', () => {
    expect(EscalationPolicy.parse({ warningDaysBefore: [14], noticeHour: 8 })).toEqual({
      ...DEFAULT_POLICY,
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
      { rectificationPeriod: '3 weeks' },
      { interviewAfterOverdue: -1 },
      { ackAlertAfter: '5' },
      { referral: '  ' },
      { secondsPerDay: 0 },
    ]) {
      expect(EscalationPolicy.safeParse(bad).success).toBe(false);
    }
    const r = EscalationPolicy.safeParse({ noticeHour: 24 });
    expect(r.error!.issues[0].path).toEqual(['noticeHour']);
  });

  test('spans: `30d` calendar days, `20wd` working days, a bare number is days; a bad span names its field', () => {
    expect(
      EscalationPolicy.parse({
        interviewAfterOverdue: '45d',
        rectificationPeriod: ' 10 wd ',
        ackAlertAfter: 3,
      }),
    ).toMatchObject({
      interviewAfterOverdue: { n: 45, unit: 'd' },
      rectificationPeriod: { n: 10, unit: 'wd' },
      ackAlertAfter: { n: 3, unit: 'd' },
    });
    const r = EscalationPolicy.safeParse({ rectificationPeriod: '3 weeks' });
    expect(r.error!.issues[0].path).toEqual(['rectificationPeriod']);
    expect(r.error!.issues[0].message).toBe(
      '"3 weeks" 不是有效时长 / is not a span: use e.g. 30d (days) or 20wd (working days)',
    );
    // A parsed policy parses again to itself (it travels through several hands).
    expect(EscalationPolicy.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
  });

  test('plan policy, then the task’s own, field by field', () => {
    expect(
      resolvePolicy({ warningDaysBefore: [14], referral: '市监察局' }, undefined, { warningDaysBefore: [7] }),
    ).toEqual({ ...DEFAULT_POLICY, warningDaysBefore: [7], referral: '市监察局' });
  });
});

describe('a task assigned 2026-01-01T01:00Z, due 2026-04-01, every department acknowledged', () => {
  test('plans the three warnings, the overdue notice and the interview at 09:00 Asia/Shanghai', () => {
    const deadline = (at: string, rung: object, key: string, day: string) => ({
      at,
      rung,
      key,
      day,
      provisional: false,
    });
    expect(plannedRungs(ackd(), P, CAL)).toEqual([
      deadline(W30, { kind: 'warning', daysBefore: 30 }, `warning:30@${DUE}`, '2026-03-02'),
      deadline(W7, { kind: 'warning', daysBefore: 7 }, `warning:7@${DUE}`, '2026-03-25'),
      deadline(W1, { kind: 'warning', daysBefore: 1 }, `warning:1@${DUE}`, '2026-03-31'),
      deadline(OVERDUE, { kind: 'overdue' }, `overdue@${DUE}`, '2026-04-02'),
      deadline(INTERVIEW, { kind: 'interview' }, 'interview', '2026-05-01'),
    ]);
    expect(nextEscalation(ackd(), P, CAL)).toEqual(
      deadline(W30, { kind: 'warning', daysBefore: 30 }, `warning:30@${DUE}`, '2026-03-02'),
    );
    // Without a calendar the deadline rungs are the same: they count calendar days.
    expect(plannedRungs(ackd(), P)).toEqual(plannedRungs(ackd(), P, CAL));
  });

  test('walking the clock: each rung fires once, at its time, in order', () => {
    let s = ackd();
    expect(s.seq).toBe(4);
    expect(escalate(s, P, before(W30), CAL)).toEqual([]);

    let r = tick(s, W30);
    expect(r.events).toEqual([{ type: 'WarningIssued', daysBefore: 30, due: DUE, seq: 5, at: W30 }]);
    s = r.state;
    expect(s.fired).toEqual([`warning:30@${DUE}`]);
    expect(s.escalation).toBe('warning');
    expect(s.status).toBe('acknowledged');
    expect(escalate(s, P, W30, CAL)).toEqual([]);
    expect(escalate(s, P, before(W7), CAL)).toEqual([]);
    expect(nextEscalation(s, P, CAL)?.at).toBe(W7);

    r = tick(s, W7);
    expect(r.events).toEqual([{ type: 'WarningIssued', daysBefore: 7, due: DUE, seq: 6, at: W7 }]);
    s = r.state;
    expect(nextEscalation(s, P, CAL)?.at).toBe(W1);

    r = tick(s, W1);
    expect(r.events).toEqual([{ type: 'WarningIssued', daysBefore: 1, due: DUE, seq: 7, at: W1 }]);
    s = r.state;
    expect(s.escalation).toBe('warning');
    expect(nextEscalation(s, P, CAL)).toMatchObject({
      at: OVERDUE,
      rung: { kind: 'overdue' },
      key: `overdue@${DUE}`,
    });
    expect(escalate(s, P, before(OVERDUE), CAL)).toEqual([]);

    r = tick(s, OVERDUE);
    expect(r.events).toEqual([{ type: 'OverdueNoticed', due: DUE, daysOverdue: 1, seq: 8, at: OVERDUE }]);
    s = r.state;
    expect(s.escalation).toBe('overdue');
    expect(s.fired).toEqual([`warning:30@${DUE}`, `warning:7@${DUE}`, `warning:1@${DUE}`, `overdue@${DUE}`]);
    expect(s.status).toBe('acknowledged');

    // Next on the ladder: the interview, 30 calendar days after the due date.
    expect(nextEscalation(s, P, CAL)).toMatchObject({ at: INTERVIEW, key: 'interview' });
    expect(escalate(s, P, before(INTERVIEW), CAL)).toEqual([]);
    r = tick(s, INTERVIEW);
    expect(r.events).toEqual([
      {
        type: 'InterviewOrdered',
        n: 1,
        due: DUE,
        daysOverdue: 30,
        // 20 working days from 2026-05-01, past the Labour Day week and the working Saturday 05-09
        rectificationDue: '2026-06-01',
        rectificationFrom: '2026-05-01',
        seq: 9,
        at: INTERVIEW,
      },
    ]);
    expect(r.state.escalation).toBe('interview');
  });

  test('a non-default policy: 14 and 3 days (duplicates ignored), at 08:00', () => {
    const policy = EscalationPolicy.parse({ warningDaysBefore: [3, 14, 3], noticeHour: 8 });
    expect(plan(ackd(), policy)).toEqual([
      ['2026-03-18T00:00:00.000Z', `warning:14@${DUE}`],
      ['2026-03-29T00:00:00.000Z', `warning:3@${DUE}`],
      ['2026-04-02T00:00:00.000Z', `overdue@${DUE}`],
      ['2026-05-01T00:00:00.000Z', 'interview'],
    ]);
  });

  test('a notice hour of 0 is local midnight, the previous evening in UTC', () => {
    const policy = EscalationPolicy.parse({ warningDaysBefore: [1], noticeHour: 0 });
    expect(plan(ackd(), policy)).toEqual([
      ['2026-03-30T16:00:00.000Z', `warning:1@${DUE}`],
      ['2026-04-01T16:00:00.000Z', `overdue@${DUE}`],
      ['2026-04-30T16:00:00.000Z', 'interview'],
    ]);
  });
});

describe('late assignment', () => {
  test('assigned 10 days before due: no 30-day warning, ever', () => {
    const s = ackd({ due: DUE }, '2026-03-22T01:00:00.000Z');
    expect(plan(s)).toEqual([
      [W7, `warning:7@${DUE}`],
      [W1, `warning:1@${DUE}`],
      [OVERDUE, `overdue@${DUE}`],
      [INTERVIEW, 'interview'],
    ]);
    expect(escalate(s, P, '2026-03-22T01:00:00.000Z', CAL)).toEqual([]);
    expect(escalate(s, P, W7, CAL)).toEqual([
      { type: 'WarningIssued', daysBefore: 7, due: DUE, seq: 5, at: W7 },
    ]);
  });

  test('a warning whose time is exactly the assignment instant is not sent; one a millisecond later is', () => {
    expect(plan(ackd({}, W30)).map(([, k]) => k)).toEqual([
      `warning:7@${DUE}`,
      `warning:1@${DUE}`,
      `overdue@${DUE}`,
      'interview',
    ]);
    expect(plan(ackd({}, before(W30))).map(([, k]) => k)).toEqual([
      `warning:30@${DUE}`,
      `warning:7@${DUE}`,
      `warning:1@${DUE}`,
      `overdue@${DUE}`,
      'interview',
    ]);
  });

  test('assigned on the due day (afternoon): only the overdue notice, next morning at 09:00', () => {
    const s = ackd({}, '2026-04-01T06:00:00.000Z');
    expect(plan(s)).toEqual([
      [OVERDUE, `overdue@${DUE}`],
      [INTERVIEW, 'interview'],
    ]);
  });

  test('assigned after its due date: the overdue notice at once, the interview 30 days after assignment', () => {
    const at = '2026-04-05T03:00:00.000Z';
    const s = ackd({ due: DUE }, at);
    expect(plannedRungs(s, P, CAL)).toEqual([
      { at, rung: { kind: 'overdue' }, key: `overdue@${DUE}`, day: '2026-04-02', provisional: false },
      {
        at: '2026-05-05T01:00:00.000Z',
        rung: { kind: 'interview' },
        key: 'interview',
        day: '2026-05-05',
        provisional: false,
      },
    ]);
    expect(nextEscalation(s, P, CAL)?.at).toBe(at);
    const r = tick(s, at);
    expect(r.events).toEqual([{ type: 'OverdueNoticed', due: DUE, daysOverdue: 4, seq: 5, at }]);
    expect(r.state.escalation).toBe('overdue');
    // A task born overdue gets its full interview period from its assignment.
    expect(nextEscalation(r.state, P, CAL)).toMatchObject({ key: 'interview', day: '2026-05-05' });
  });

  test('assigned the night after the due date, before 09:00: the notice waits for 09:00', () => {
    // 2026-04-02T00:00+08:00 is past the due day, but the overdue notice goes out at 09:00 there
    const s = ackd({ due: DUE }, '2026-04-01T16:00:00.000Z');
    expect(plan(s)).toEqual([
      [OVERDUE, `overdue@${DUE}`],
      ['2026-05-02T01:00:00.000Z', 'interview'],
    ]);
  });
});

describe('several rungs due at once (a worker that was down)', () => {
  test('only the most severe warning is sent; the earlier ones are skipped and never fire', () => {
    const now = '2026-03-26T00:00:00.000Z';
    let r = tick(ackd(), now);
    expect(r.events).toEqual([
      { type: 'WarningIssued', daysBefore: 7, due: DUE, skipped: [`warning:30@${DUE}`], seq: 5, at: now },
    ]);
    const s = r.state;
    expect(s.fired).toEqual([`warning:7@${DUE}`, `warning:30@${DUE}`]);
    expect(escalate(s, P, now, CAL)).toEqual([]);
    expect(escalate(s, P, before(W1), CAL)).toEqual([]);
    expect(nextEscalation(s, P, CAL)?.key).toBe(`warning:1@${DUE}`);

    const later = '2026-04-10T05:00:00.000Z';
    r = tick(s, later);
    expect(r.events).toEqual([
      {
        type: 'OverdueNoticed',
        due: DUE,
        daysOverdue: 9,
        skipped: [`warning:1@${DUE}`],
        seq: 6,
        at: later,
      },
    ]);
    expect(keys(r.state)).toEqual(['interview']);
  });

  test('everything due: the overdue notice goes out, all three warnings skipped', () => {
    const now = '2026-04-03T02:00:00.000Z';
    const r = tick(ackd(), now);
    expect(r.events).toEqual([
      {
        type: 'OverdueNoticed',
        due: DUE,
        daysOverdue: 2,
        skipped: [`warning:30@${DUE}`, `warning:7@${DUE}`, `warning:1@${DUE}`],
        seq: 5,
        at: now,
      },
    ]);
    expect(r.state.escalation).toBe('overdue');
    expect(r.state.fired.sort()).toEqual([
      `overdue@${DUE}`,
      `warning:1@${DUE}`,
      `warning:30@${DUE}`,
      `warning:7@${DUE}`,
    ]);
    expect(keys(r.state)).toEqual(['interview']);
    expect(escalate(r.state, P, before(INTERVIEW), CAL)).toEqual([]);
  });

  test('down past the interview day: the interview is ordered, the overdue notice and warnings skipped', () => {
    const now = '2026-05-10T02:00:00.000Z';
    const r = tick(ackd(), now);
    expect(r.events).toEqual([
      {
        type: 'InterviewOrdered',
        n: 1,
        due: DUE,
        daysOverdue: 39,
        rectificationDue: '2026-06-05', // 20 working days from the day it was really ordered
        rectificationFrom: '2026-05-10',
        skipped: [`warning:30@${DUE}`, `warning:7@${DUE}`, `warning:1@${DUE}`, `overdue@${DUE}`],
        seq: 5,
        at: now,
      },
    ]);
    expect(r.state.fired).toEqual(
      expect.arrayContaining(['interview', `overdue@${DUE}`, `warning:30@${DUE}`]),
    );
    expect(keys(r.state)).toEqual(['accountability']); // no 限批 scope
  });
});

describe('held while submitted, resumed on rejection', () => {
  test('a submitted task plans nothing and escalates nothing, even past its due date', () => {
    const s = submitted('2026-03-20T02:00:00.000Z');
    expect(s.status).toBe('submitted');
    expect(plannedRungs(s, P, CAL)).toEqual([]);
    expect(nextEscalation(s, P, CAL)).toBeUndefined();
    expect(escalate(s, P, W7, CAL)).toEqual([]);
    expect(escalate(s, P, '2026-05-01T00:00:00.000Z', CAL)).toEqual([]);
    expect(escalate(s, P, '2026-08-01T00:00:00.000Z', CAL)).toEqual([]);
  });

  test('rejected before the next rung: the rungs resume at their own times', () => {
    let s = tick(ackd(), W30).state; // 30-day warning sent while acknowledged
    s = run(s, { type: 'submitCompletion', actor: LEAD, summary: '完成' }, '2026-03-10T00:00:00.000Z').state;
    expect(plannedRungs(s, P, CAL)).toEqual([]);
    s = run(
      s,
      { type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' },
      '2026-03-12T00:00:00.000Z',
    ).state;
    expect(s.status).toBe('acknowledged');
    expect(plan(s)).toEqual([
      [W7, `warning:7@${DUE}`],
      [W1, `warning:1@${DUE}`],
      [OVERDUE, `overdue@${DUE}`],
      [INTERVIEW, 'interview'],
    ]);
    expect(escalate(s, P, '2026-03-12T00:00:00.000Z', CAL)).toEqual([]);
    expect(escalate(s, P, W7, CAL)).toEqual([
      { type: 'WarningIssued', daysBefore: 7, due: DUE, seq: 8, at: W7 },
    ]);
  });

  test('rejected after a warning time passed while it was held: that warning goes out on rejection', () => {
    let s = ackd();
    s = run(s, { type: 'submitCompletion', actor: LEAD, summary: '完成' }, '2026-03-20T00:00:00.000Z').state;
    const rejectedAt = '2026-03-27T02:00:00.000Z';
    s = run(s, { type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' }, rejectedAt).state;
    // the 30-day warning was held since 2026-03-02 and the 7-day one since 2026-03-25: only the latter is sent
    expect(escalate(s, P, rejectedAt, CAL)).toEqual([
      {
        type: 'WarningIssued',
        daysBefore: 7,
        due: DUE,
        skipped: [`warning:30@${DUE}`],
        seq: 7,
        at: rejectedAt,
      },
    ]);
  });

  test('rejected after the due date passed while it was held: the overdue notice at once, the held warnings skipped', () => {
    let s = ackd();
    s = run(s, { type: 'submitCompletion', actor: LEAD, summary: '完成' }, '2026-02-01T00:00:00.000Z').state;
    expect(escalate(s, P, '2026-04-03T00:00:00.000Z', CAL)).toEqual([]);
    const rejectedAt = '2026-04-06T02:00:00.000Z';
    s = run(s, { type: 'rejectCompletion', actor: SUPERVISOR, reason: '不合格' }, rejectedAt).state;
    expect(nextEscalation(s, P, CAL)?.key).toBe(`warning:30@${DUE}`);
    expect(escalate(s, P, rejectedAt, CAL)).toEqual([
      {
        type: 'OverdueNoticed',
        due: DUE,
        daysOverdue: 5,
        skipped: [`warning:30@${DUE}`, `warning:7@${DUE}`, `warning:1@${DUE}`],
        seq: 7,
        at: rejectedAt,
      },
    ]);
  });
});

describe('nothing after completion or cancellation', () => {
  test('a completed task', () => {
    const s = completed();
    expect(plannedRungs(s, P, CAL)).toEqual([]);
    expect(nextEscalation(s, P, CAL)).toBeUndefined();
    for (const now of [W30, W1, OVERDUE, INTERVIEW, '2027-01-01T00:00:00.000Z'])
      expect(escalate(s, P, now, CAL)).toEqual([]);
  });

  test('a cancelled task, cancelled after a warning went out', () => {
    let s = tick(ackd(), W30).state;
    s = run(s, { type: 'cancel', actor: SUPERVISOR, reason: '任务调整' }, '2026-03-05T00:00:00.000Z').state;
    expect(s.status).toBe('cancelled');
    expect(plannedRungs(s, P, CAL)).toEqual([]);
    expect(nextEscalation(s, P, CAL)).toBeUndefined();
    for (const now of [W7, OVERDUE, INTERVIEW, '2027-01-01T00:00:00.000Z'])
      expect(escalate(s, P, now, CAL)).toEqual([]);
  });
});

describe('daysOverdue counts calendar days in Asia/Shanghai', () => {
  test.each([
    [OVERDUE, 1, 'OverdueNoticed'], // 2026-04-02 09:00 local
    ['2026-04-02T15:59:59.999Z', 1, 'OverdueNoticed'], // 2026-04-02 23:59:59.999 local
    ['2026-04-02T16:00:00.000Z', 2, 'OverdueNoticed'], // 2026-04-03 00:00 local
    // from 30 days overdue the interview is the rung that goes out, carrying the same count
    ['2026-05-01T01:00:00.000Z', 30, 'InterviewOrdered'],
    ['2026-05-01T16:30:00.000Z', 31, 'InterviewOrdered'], // 2026-05-02 00:30 local
    ['2027-04-02T01:00:00.000Z', 366, 'InterviewOrdered'],
  ])('at %s: %i (%s)', (now, days, type) => {
    const [e] = escalate(ackd(), P, now, CAL);
    expect(e).toMatchObject({ type, due: DUE, daysOverdue: days });
  });

  test('across the end of February in a leap year', () => {
    const s = ackd({ due: '2028-02-28' }, '2028-02-01T00:00:00.000Z');
    expect(
      nextEscalation(tick(tick(s, '2028-02-21T01:00:00.000Z').state, '2028-02-27T01:00:00.000Z').state, P),
    ).toEqual({
      at: '2028-02-29T01:00:00.000Z',
      rung: { kind: 'overdue' },
      key: 'overdue@2028-02-28',
      day: '2028-02-29',
      provisional: false,
    });
    expect(escalate(s, P, '2028-03-01T01:00:00.000Z')[0]).toMatchObject({
      type: 'OverdueNoticed',
      daysOverdue: 2,
    });
  });
});

describe('acknowledgement rungs, per department', () => {
  const ackRungs = (s: TaskState, cal: WorkCalendar = CAL) =>
    plannedRungs(s, P, cal)
      .filter((p) => p.rung.kind === 'ackReminder' || p.rung.kind === 'ackAlert')
      .map((p) => [p.day, p.key])
      .sort();
  const acks = (events: TaskEvent[]) =>
    events
      .map((e) =>
        e.type === 'AckReminderSent'
          ? `reminder ${e.department} ${e.day}`
          : e.type === 'AckAlertRaised'
            ? `alert ${e.department}`
            : e.type,
      )
      .sort();

  test('assigned on New Year’s Day: reminders on the next working day (a working Sunday), the alert 5 working days on', () => {
    const s = assigned();
    expect(ackRungs(s)).toEqual(
      [
        ...[LEAD, SECOND_LEAD, COOP].map((d) => ['2026-01-04', `ack-reminder:${d}:2026-01-04`]),
        ...[LEAD, SECOND_LEAD, COOP].map((d) => ['2026-01-08', `ack-alert:${d}`]),
      ].sort(),
    );
    expect(nextEscalation(s, P, CAL)).toMatchObject({
      at: '2026-01-04T01:00:00.000Z',
      rung: { kind: 'ackReminder' },
      provisional: false,
    });
    // Without the official calendar, Friday 01-02 (in fact a holiday) would be taken for the first working day.
    expect(
      ackRungs(s, NO_CALENDAR)
        .filter(([, k]) => k.startsWith('ack-reminder'))
        .map(([d]) => d),
    ).toEqual(['2026-01-02', '2026-01-02', '2026-01-02']);
  });

  test('every working day a reminder to each department that has not acknowledged, the alert once, until it does', () => {
    let s = assigned();
    let r = tick(s, '2026-01-04T01:00:00.000Z');
    expect(acks(r.events)).toEqual([LEAD, SECOND_LEAD, COOP].map((d) => `reminder ${d} 2026-01-04`).sort());
    expect(r.events.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(r.events.every((e) => !('provisional' in e))).toBe(true);
    s = r.state;
    expect(s.ackReminded).toEqual({
      [LEAD]: '2026-01-04',
      [SECOND_LEAD]: '2026-01-04',
      [COOP]: '2026-01-04',
    });
    expect(escalate(s, P, '2026-01-04T01:00:00.000Z', CAL)).toEqual([]);

    // The lead acknowledges before 09:00 on Monday: it hears no more.
    s = run(s, { type: 'acknowledge', actor: LEAD }, '2026-01-05T00:30:00.000Z').state;
    for (const day of ['2026-01-05', '2026-01-06', '2026-01-07']) {
      r = tick(s, `${day}T01:00:00.000Z`);
      expect(acks(r.events)).toEqual([`reminder ${COOP} ${day}`, `reminder ${SECOND_LEAD} ${day}`].sort());
      s = r.state;
    }
    // 5 working days after assignment: the alert, beside that day's reminder.
    r = tick(s, '2026-01-08T01:00:00.000Z');
    expect(acks(r.events)).toEqual(
      [
        `alert ${COOP}`,
        `alert ${SECOND_LEAD}`,
        `reminder ${COOP} 2026-01-08`,
        `reminder ${SECOND_LEAD} 2026-01-08`,
      ].sort(),
    );
    s = r.state;
    expect(s.fired).toEqual(expect.arrayContaining([`ack-alert:${COOP}`, `ack-alert:${SECOND_LEAD}`]));
    expect(s.fired).not.toContain(`ack-alert:${LEAD}`);

    // Reminders go on after the alert, over working days only: Friday, then Monday.
    r = tick(s, '2026-01-09T01:00:00.000Z');
    s = r.state;
    expect(ackRungs(s)).toEqual(
      [
        ['2026-01-12', `ack-reminder:${COOP}:2026-01-12`],
        ['2026-01-12', `ack-reminder:${SECOND_LEAD}:2026-01-12`],
      ].sort(),
    );

    // Each stops when its own department acknowledges.
    s = run(s, { type: 'acknowledge', actor: COOP }, '2026-01-10T02:00:00.000Z').state;
    expect(ackRungs(s)).toEqual([['2026-01-12', `ack-reminder:${SECOND_LEAD}:2026-01-12`]]);
    s = run(s, { type: 'acknowledge', actor: SECOND_LEAD }, '2026-01-11T02:00:00.000Z').state;
    expect(ackRungs(s)).toEqual([]);
    expect(nextEscalation(s, P, CAL)?.key).toBe(`warning:30@${DUE}`);
  });

  test('a worker down for days: one reminder per department, dated the day it goes out', () => {
    const s = tick(assigned(), '2026-01-04T01:00:00.000Z').state;
    const r = tick(s, '2026-01-07T05:00:00.000Z');
    expect(acks(r.events)).toEqual([LEAD, SECOND_LEAD, COOP].map((d) => `reminder ${d} 2026-01-07`).sort());
    expect(nextEscalation(r.state, P, CAL)).toMatchObject({ day: '2026-01-08' });
  });

  test('acknowledgement rungs are held while submitted and over once the task closes', () => {
    expect(ackRungs(submitted())).toEqual([]);
    expect(ackRungs(completed())).toEqual([]);
  });
});

describe('an extension re-plans the ladder', () => {
  const request = (s: TaskState, to: string, at: string) =>
    run(s, { type: 'requestExtension', actor: LEAD, to, reason: '汛期施工受限' }, at).state;
  const grant = (s: TaskState, at: string, to?: string) =>
    run(s, { type: 'decideExtension', ...SUP, approve: true, ...(to ? { to } : {}) }, at).state;

  test('granted before the due date: warnings and the overdue notice keyed to the new date; fired ones stay fired', () => {
    let s = tick(ackd(), W30).state;
    s = request(s, '2026-05-01', '2026-03-10T02:00:00.000Z');
    expect(keys(s)).toEqual([`warning:7@${DUE}`, `warning:1@${DUE}`, `overdue@${DUE}`, 'interview']);
    s = grant(s, '2026-03-12T02:00:00.000Z');
    expect(s.due).toBe('2026-05-01');
    expect(s.escalation).toBe('none');
    expect(s.fired).toEqual([`warning:30@${DUE}`]);
    expect(plan(s)).toEqual([
      ['2026-04-01T01:00:00.000Z', 'warning:30@2026-05-01'],
      ['2026-04-24T01:00:00.000Z', 'warning:7@2026-05-01'],
      ['2026-04-30T01:00:00.000Z', 'warning:1@2026-05-01'],
      ['2026-05-02T01:00:00.000Z', 'overdue@2026-05-01'],
      ['2026-05-31T01:00:00.000Z', 'interview'],
    ]);
    // Nothing goes out on the old dates (the new date's 30-day warning is on the old due date itself).
    for (const now of [W7, W1]) expect(escalate(s, P, now, CAL)).toEqual([]);

    const { state, events } = walk(s, '2026-05-02T01:00:00.000Z');
    expect(events.map((e) => [e.type, e.at, 'due' in e ? e.due : undefined])).toEqual([
      ['WarningIssued', '2026-04-01T01:00:00.000Z', '2026-05-01'],
      ['WarningIssued', '2026-04-24T01:00:00.000Z', '2026-05-01'],
      ['WarningIssued', '2026-04-30T01:00:00.000Z', '2026-05-01'],
      ['OverdueNoticed', '2026-05-02T01:00:00.000Z', '2026-05-01'],
    ]);
    expect(state.fired).toEqual([
      `warning:30@${DUE}`,
      'warning:30@2026-05-01',
      'warning:7@2026-05-01',
      'warning:1@2026-05-01',
      'overdue@2026-05-01',
    ]);
    expect(state.escalation).toBe('overdue');
  });

  test('a warning already past for the new date when it is granted is never sent late', () => {
    let s = tick(ackd(), W30).state;
    s = request(s, '2026-04-10', '2026-03-10T02:00:00.000Z');
    const grantedAt = '2026-03-12T02:00:00.000Z';
    s = grant(s, grantedAt);
    // 30 days before 04-10 was 03-11, before the grant: not planned, and nothing goes out at once.
    expect(keys(s)).toEqual([
      'warning:7@2026-04-10',
      'warning:1@2026-04-10',
      'overdue@2026-04-10',
      'interview',
    ]);
    expect(escalate(s, P, grantedAt, CAL)).toEqual([]);
  });

  test('denied, or never decided: nothing moves', () => {
    let s = tick(ackd(), W30).state;
    s = request(s, '2026-05-01', '2026-03-10T02:00:00.000Z');
    const planned = plannedRungs(s, P, CAL);
    s = run(s, { type: 'decideExtension', ...SUP, approve: false }, '2026-03-12T02:00:00.000Z').state;
    expect(s.due).toBe(DUE);
    expect(plannedRungs(s, P, CAL)).toEqual(planned);
    expect(escalate(s, P, W7, CAL)).toEqual([
      { type: 'WarningIssued', daysBefore: 7, due: DUE, seq: 8, at: W7 },
    ]);
  });

  test('moved by a supervisor after the due date: the overdue level is cleared, the new date has its own ladder', () => {
    let s = tick(ackd(), OVERDUE).state;
    expect(s.escalation).toBe('overdue');
    expect(
      refused(
        s,
        { type: 'requestExtension', actor: LEAD, to: '2026-06-30', reason: '资金未到位' },
        '2026-04-10T02:00:00.000Z',
      ).code,
    ).toBe('past_due');
    s = grant(s, '2026-04-10T02:00:00.000Z', '2026-06-30');
    expect(s.escalation).toBe('none');
    expect(plan(s)).toEqual([
      ['2026-05-31T01:00:00.000Z', 'warning:30@2026-06-30'],
      ['2026-06-23T01:00:00.000Z', 'warning:7@2026-06-30'],
      ['2026-06-29T01:00:00.000Z', 'warning:1@2026-06-30'],
      ['2026-07-01T01:00:00.000Z', 'overdue@2026-06-30'],
      ['2026-07-30T01:00:00.000Z', 'interview'],
    ]);
    expect(escalate(s, P, INTERVIEW, CAL)).toEqual([]);
  });

  test('an interview already ordered stands after an extension', () => {
    let s = tick(ackd(), INTERVIEW).state;
    s = grant(s, '2026-05-05T02:00:00.000Z', '2026-07-31');
    expect(s.escalation).toBe('interview');
    expect(s.interview?.rectificationDue).toBe('2026-06-01');
    expect(keys(s)).toEqual([
      'accountability',
      'warning:30@2026-07-31',
      'warning:7@2026-07-31',
      'warning:1@2026-07-31',
      'overdue@2026-07-31',
    ]);
  });
});

describe('the interview (约谈), restriction (限批) and accountability (追责) rungs', () => {
  const SCOPE = { region: '泥沟镇', restriction: { sector: '造纸' } };
  /** Due 2016-12-01, assigned a month before: the interview is ordered on 2016-12-31, a Saturday. */
  const ordered = (over: Partial<TaskSpecInput> = {}) =>
    walk(ackd({ due: '2016-12-01', ...over }, '2016-11-01T00:00:00.000Z'), '2016-12-31T01:00:00.000Z');
  const record = (s: TaskState, at: string, rectificationDue?: string) =>
    run(
      s,
      {
        type: 'recordInterview',
        ...SUP,
        attendees: ['区环保局局长', '泥沟镇镇长'],
        opinions: '限期完成集聚区污水集中处理',
        ...(rectificationDue ? { rectificationDue } : {}),
      },
      at,
      { policy: P, calendar: CAL },
    );

  test('ordered 30 calendar days after the due date, rectification due 20 working days on (past the Spring Festival)', () => {
    const { state, events } = ordered();
    expect(events.map((e) => e.type)).toEqual([
      'WarningIssued',
      'WarningIssued',
      'WarningIssued',
      'OverdueNoticed',
      'InterviewOrdered',
    ]);
    expect(events.at(-1)).toEqual({
      type: 'InterviewOrdered',
      n: 1,
      due: '2016-12-01',
      daysOverdue: 30,
      // 2017-01-02 is a day off in lieu, the working Sunday 01-22 counts, the Spring Festival week does not
      rectificationDue: '2017-02-03',
      rectificationFrom: '2016-12-31',
      seq: state.seq,
      at: '2016-12-31T01:00:00.000Z',
    });
    expect(state.interview).toEqual({
      n: 1,
      orderedAt: '2016-12-31T01:00:00.000Z',
      rectificationDue: '2017-02-03',
      rectificationFrom: '2016-12-31',
      provisional: false,
    });
  });

  test('until it is recorded, the rectification due date of the order stands', () => {
    const { state } = ordered(SCOPE);
    expect(plan(state)).toEqual([
      ['2017-02-04T01:00:00.000Z', 'restriction'],
      ['2017-03-05T01:00:00.000Z', 'accountability'],
    ]);
  });

  test('the default rectification due date: 20 working days from the record day, by the official calendar', () => {
    const { state } = ordered();
    // Recorded on Friday 2017-01-20: the working Sunday 01-22 and Saturday 02-04 count, 01-27..02-02 do not.
    const r = record(state, '2017-01-20T02:00:00.000Z');
    expect(r.events).toEqual([
      {
        type: 'InterviewRecorded',
        n: 1,
        by: SUPERVISOR,
        attendees: ['区环保局局长', '泥沟镇镇长'],
        opinions: '限期完成集聚区污水集中处理',
        rectificationDue: '2017-02-22',
        rectificationFrom: '2017-01-20',
        seq: state.seq + 1,
        at: '2017-01-20T02:00:00.000Z',
      },
    ]);
    expect(r.state.interview).toMatchObject({
      recorded: {
        at: '2017-01-20T02:00:00.000Z',
        by: SUPERVISOR,
        attendees: ['区环保局局长', '泥沟镇镇长'],
        opinions: '限期完成集聚区污水集中处理',
      },
      rectificationDue: '2017-02-22',
      provisional: false,
    });
    // Counting weekdays alone would have said 2017-02-17, and flagged it provisional.
    const weekdays = decideRecord(state, '2017-01-20T02:00:00.000Z', NO_CALENDAR);
    expect(weekdays).toMatchObject({ rectificationDue: '2017-02-17', provisional: true });
  });

  test('across National Day: recorded 2017-09-29, due 2017-11-02', () => {
    const { state } = walk(
      ackd({ due: '2017-08-01' }, '2017-07-01T00:00:00.000Z'),
      '2017-08-31T01:00:00.000Z',
    );
    expect(state.interview?.orderedAt).toBe('2017-08-31T01:00:00.000Z');
    expect(record(state, '2017-09-29T02:00:00.000Z').state.interview?.rectificationDue).toBe('2017-11-02');
  });

  test('an explicit rectification due date must be later than today', () => {
    const { state } = ordered();
    const at = '2017-01-20T02:00:00.000Z';
    const cmd = { type: 'recordInterview' as const, ...SUP, attendees: ['区环保局局长'], opinions: '整改' };
    expect(refused(state, { ...cmd, rectificationDue: '2017-01-20' }, at)).toEqual({
      code: 'date_not_later',
      zh: 'rectificationDue 应晚于 2017-01-20',
      en: 'rectificationDue must be later than 2017-01-20',
    });
    expect(refused(state, { ...cmd, rectificationDue: '2017-1-30' }, at).code).toBe('bad_date');
    expect(record(state, at, '2017-01-21').state.interview?.rectificationDue).toBe('2017-01-21');
  });

  test('scheduling and recording: a supervisor only, only once ordered, only until recorded', () => {
    const { state } = ordered();
    const at = '2017-01-10T02:00:00.000Z';
    const schedule = {
      type: 'scheduleInterview' as const,
      at: '2017-01-19 09:30',
      place: '区政府第三会议室',
    };
    const recordCmd = { type: 'recordInterview' as const, attendees: ['区环保局局长'], opinions: '整改' };

    const s = run(state, { ...schedule, ...SUP }, at).state;
    expect(s.interview?.scheduled).toEqual({ time: '2017-01-19 09:30', place: '区政府第三会议室' });
    expect(s.seq).toBe(state.seq + 1);

    const supervisorOnly = {
      code: 'supervisor_only',
      zh: '只有督查室可以执行此操作',
      en: 'only a supervisor may do this',
    };
    expect(refused(state, { ...schedule, actor: LEAD }, at)).toEqual(supervisorOnly);
    expect(refused(state, { ...recordCmd, actor: LEAD }, at)).toEqual(supervisorOnly);

    const notOrdered = {
      code: 'no_interview',
      zh: '本任务尚未约谈',
      en: 'no interview has been ordered for this task',
    };
    const fresh = ackd({ due: '2016-12-01' }, '2016-11-01T00:00:00.000Z');
    expect(refused(fresh, { ...schedule, ...SUP }, at)).toEqual(notOrdered);
    expect(refused(fresh, { ...recordCmd, ...SUP }, at)).toEqual(notOrdered);

    expect(refused(state, { ...schedule, ...SUP, at: '明天上午' }, at).code).toBe('bad_time');
    expect(refused(state, { ...schedule, ...SUP, place: ' ' }, at).zh).toBe('请填写约谈地点');
    expect(refused(state, { ...recordCmd, ...SUP, attendees: [' ', ''] }, at)).toEqual({
      code: 'missing_attendees',
      zh: '请填写参加约谈的人员',
      en: 'attendees are required',
    });
    expect(refused(state, { ...recordCmd, ...SUP, opinions: '  ' }, at).zh).toBe('请填写整改意见');

    const recorded = record(s, '2017-01-20T02:00:00.000Z').state;
    const done = {
      code: 'interview_recorded',
      zh: '约谈已记录',
      en: 'the interview has already been recorded',
    };
    expect(refused(recorded, { ...schedule, ...SUP }, at)).toEqual(done);
    expect(refused(recorded, { ...recordCmd, ...SUP }, at)).toEqual(done);
  });

  test('with a 限批 scope: the restriction the day after rectification due, accountability 30 days after it', () => {
    const { state } = ordered(SCOPE);
    let s = record(state, '2017-01-20T02:00:00.000Z').state;
    expect(plan(s)).toEqual([
      ['2017-02-23T01:00:00.000Z', 'restriction'],
      ['2017-03-24T01:00:00.000Z', 'accountability'],
    ]);
    expect(escalate(s, P, before('2017-02-23T01:00:00.000Z'), CAL)).toEqual([]);
    let r = tick(s, '2017-02-23T01:00:00.000Z');
    expect(r.events).toEqual([
      {
        type: 'RestrictionImposed',
        region: '泥沟镇',
        sector: '造纸',
        rectificationDue: '2017-02-22',
        seq: s.seq + 1,
        at: '2017-02-23T01:00:00.000Z',
      },
    ]);
    s = r.state;
    expect(s.restriction).toEqual({ region: '泥沟镇', sector: '造纸', since: '2017-02-23T01:00:00.000Z' });
    expect(s.escalation).toBe('restriction');
    r = tick(s, '2017-03-24T01:00:00.000Z');
    expect(r.events).toEqual([
      {
        type: 'AccountabilityRecorded',
        persons: [],
        reason: '整改期限 2017-02-22 已过 30 天仍未完成',
        referral: '区监察局',
        rectificationDue: '2017-02-22',
        seq: s.seq + 1,
        at: '2017-03-24T01:00:00.000Z',
      },
    ]);
    expect(r.state.escalation).toBe('accountability');
    expect(r.state.accountability).toEqual({ at: '2017-03-24T01:00:00.000Z', persons: [] });
    expect(plannedRungs(r.state, P, CAL)).toEqual([]);
  });

  test('the scope’s region may be named by the restriction itself', () => {
    const { state } = ordered({ restriction: { sector: '化工', region: '运河街道' } });
    const s = record(state, '2017-01-20T02:00:00.000Z').state;
    expect(tick(s, '2017-02-23T01:00:00.000Z').events).toEqual([
      expect.objectContaining({ type: 'RestrictionImposed', region: '运河街道', sector: '化工' }),
    ]);
  });

  test.each([
    ['no region, no sector', {}],
    ['a region but no sector', { region: '泥沟镇' }],
    ['a sector but no region', { restriction: { sector: '造纸' } }],
  ])(
    'without a 限批 scope (%s): no restriction, accountability the day after rectification due',
    (_n, over) => {
      const { state } = ordered(over);
      const s = record(state, '2017-01-20T02:00:00.000Z').state;
      expect(plan(s)).toEqual([['2017-02-23T01:00:00.000Z', 'accountability']]);
      const r = tick(s, '2017-02-23T01:00:00.000Z');
      expect(r.events).toEqual([
        expect.objectContaining({
          type: 'AccountabilityRecorded',
          reason: '整改期限 2017-02-22 已过仍未完成（无限批范围）',
          referral: '区监察局',
        }),
      ]);
      expect(r.state.restriction).toBeUndefined();
    },
  );

  test('verification and cancellation lift an active restriction; nothing to lift otherwise', () => {
    const { state } = ordered(SCOPE);
    let s = record(state, '2017-01-20T02:00:00.000Z').state;
    s = tick(s, '2017-02-23T01:00:00.000Z').state;

    const submittedAt = '2017-03-01T02:00:00.000Z';
    const sub = run(s, { type: 'submitCompletion', actor: LEAD, summary: '已完成' }, submittedAt).state;
    const verifiedAt = '2017-03-02T02:00:00.000Z';
    const v = run(sub, { type: 'verifyCompletion', ...SUP }, verifiedAt);
    expect(v.events).toEqual([
      { type: 'CompletionVerified', by: SUPERVISOR, seq: sub.seq + 1, at: verifiedAt },
      {
        type: 'RestrictionLifted',
        region: '泥沟镇',
        sector: '造纸',
        reason: '任务办结，审核通过',
        seq: sub.seq + 2,
        at: verifiedAt,
      },
    ]);
    expect(v.state.restriction).toEqual({
      region: '泥沟镇',
      sector: '造纸',
      since: '2017-02-23T01:00:00.000Z',
      liftedAt: verifiedAt,
    });

    const c = run(s, { type: 'cancel', ...SUP, reason: '任务调整' }, verifiedAt);
    expect(c.events.map((e) => e.type)).toEqual(['TaskCancelled', 'RestrictionLifted']);
    expect(c.events[1]).toMatchObject({ region: '泥沟镇', sector: '造纸', reason: '任务撤销' });

    // Before the restriction was imposed there is nothing to lift.
    const before = record(state, '2017-01-20T02:00:00.000Z').state;
    expect(
      run(before, { type: 'cancel', ...SUP, reason: '任务调整' }, verifiedAt).events.map((e) => e.type),
    ).toEqual(['TaskCancelled']);
  });
});

describe('the demo policy (a day lasts 5 seconds)', () => {
  const DEMO = resolvePolicy(DEMO_POLICY);
  const offset = (iso: string) => (ms(iso) - ms(ASSIGNED_AT)) / 1000;

  test('every rung is seconds after the assignment, days counted plainly', () => {
    expect(DEMO.secondsPerDay).toBe(5);
    const s = assigned();
    const rungs = plannedRungs(s, DEMO, CAL).map((p) => [offset(p.at), p.key]);
    expect(rungs).toEqual(
      [
        ...[LEAD, SECOND_LEAD, COOP].map((d) => [5, `ack-reminder:${d}:2026-01-02`]),
        ...[LEAD, SECOND_LEAD, COOP].map((d) => [25, `ack-alert:${d}`]),
        [300, `warning:30@${DUE}`],
        [415, `warning:7@${DUE}`],
        [445, `warning:1@${DUE}`],
        [455, `overdue@${DUE}`],
        [600, 'interview'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1]))),
    );
  });

  test('the whole ladder, through restriction and accountability, in about a quarter of an hour', () => {
    let s = ackd({ region: '泥沟镇', restriction: { sector: '造纸' } });
    const at = (seconds: number) => new Date(ms(ASSIGNED_AT) + seconds * 1000).toISOString();
    let w = walk(s, at(600), DEMO);
    expect(w.events.map((e) => [e.type, offset(e.at)])).toEqual([
      ['WarningIssued', 300],
      ['WarningIssued', 415],
      ['WarningIssued', 445],
      ['OverdueNoticed', 455],
      ['InterviewOrdered', 600],
    ]);
    expect(w.state.interview?.rectificationDue).toBe('2026-05-21'); // 20 plain days in the demo
    s = run(
      w.state,
      { type: 'recordInterview', ...SUP, attendees: ['区环保局局长'], opinions: '整改' },
      at(610), // demo day 122: 2026-05-03
      { policy: DEMO, calendar: CAL },
    ).state;
    expect(s.interview?.rectificationDue).toBe('2026-05-23');
    w = walk(s, at(10_000), DEMO);
    expect(w.events.map((e) => [e.type, offset(e.at)])).toEqual([
      ['RestrictionImposed', 715],
      ['AccountabilityRecorded', 860],
    ]);
  });
});

describe('provisional: working days counted over a year the calendar does not cover', () => {
  test('with no year covered, every working-day rung is provisional, and its event says so', () => {
    const s = assigned();
    const ack = plannedRungs(s, P, NO_CALENDAR).filter((p) => p.rung.kind.startsWith('ack'));
    expect(ack).toHaveLength(6);
    expect(ack.every((p) => p.provisional)).toBe(true);
    // Weekdays only: Friday 2026-01-02 (in fact a holiday) is taken for a working day.
    expect(ack.filter((p) => p.rung.kind === 'ackReminder').map((p) => p.day)).toEqual([
      '2026-01-02',
      '2026-01-02',
      '2026-01-02',
    ]);
    // Calendar days are never provisional.
    expect(
      plannedRungs(s, P, NO_CALENDAR)
        .filter((p) => !p.rung.kind.startsWith('ack'))
        .every((p) => !p.provisional),
    ).toBe(true);
    const events = escalate(s, P, '2026-01-02T01:00:00.000Z', NO_CALENDAR);
    expect(events).toHaveLength(3);
    for (const e of events)
      expect(e).toMatchObject({ type: 'AckReminderSent', day: '2026-01-02', provisional: true });
    expect(plannedRungs(s, P, CAL).every((p) => !p.provisional)).toBe(true);
  });

  test('assigned on the last day the package covers: the first reminder falls in 2027, provisionally', () => {
    const s = assigned({ due: '2027-06-30' }, '2026-12-31T01:00:00.000Z');
    expect(nextEscalation(s, P, CAL)).toMatchObject({
      rung: { kind: 'ackReminder' },
      day: '2027-01-01',
      provisional: true,
    });
  });

  test('a rectification period that runs into 2027 is provisional, and so are the rungs counted from it', () => {
    const SCOPE = { region: '泥沟镇', restriction: { sector: '造纸' } };
    const { state, events } = walk(
      ackd({ due: '2026-11-20', ...SCOPE }, '2026-10-10T01:00:00.000Z'),
      '2026-12-20T01:00:00.000Z',
    );
    expect(events.at(-1)).toMatchObject({
      type: 'InterviewOrdered',
      rectificationDue: '2027-01-15',
      provisional: true,
    });
    expect(state.interview?.provisional).toBe(true);
    expect(plannedRungs(state, P, CAL).map((p) => [p.key, p.provisional])).toEqual([
      ['restriction', true],
      ['accountability', true],
    ]);
    // Recorded in December 2026, the count again runs into 2027: still provisional.
    const rec = (at: string) =>
      run(state, { type: 'recordInterview', ...SUP, attendees: ['区环保局局长'], opinions: '整改' }, at, {
        policy: P,
        calendar: CAL,
      });
    const later = rec('2026-12-22T02:00:00.000Z');
    expect(later.events[0]).toMatchObject({
      type: 'InterviewRecorded',
      rectificationDue: '2027-01-19',
      provisional: true,
    });
    expect(later.state.interview?.provisional).toBe(true);
    // With 2027 loaded the same count is official.
    const with2027: WorkCalendar = { ...CAL, years: [...CAL.years, 2027] };
    expect(decideRecord(state, '2026-12-22T02:00:00.000Z', with2027)).toEqual({
      rectificationDue: '2027-01-19',
    });
  });
});

/** The rectification due date a default recordInterview would set, and whether it is provisional. */
function decideRecord(state: TaskState, at: string, calendar: WorkCalendar) {
  const r = run(
    state,
    { type: 'recordInterview', ...SUP, attendees: ['区环保局局长'], opinions: '整改' },
    at,
    { policy: P, calendar },
  );
  const e = r.events[0] as Extract<TaskEvent, { type: 'InterviewRecorded' }>;
  return { rectificationDue: e.rectificationDue, ...(e.provisional ? { provisional: e.provisional } : {}) };
}
