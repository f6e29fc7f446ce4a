import {
  DEFAULT_POLICY,
  escalate,
  explainHistory,
  explainPlanned,
  plannedRungs,
  resolvePolicy,
  rungLabel,
  upcomingText,
  type CalendarSources,
  type TaskEvent,
  type TaskState,
} from '../../domain';
import { acknowledgedByAll, assigned, CAL, fold } from './fixtures';

// Why each rung fired or will fire: the policy rule, the calendar its days were counted on, the rungs
// passed over. Derived from event + state + policy + calendar; nothing new is recorded.

const SKIP = '同时到期，只发最严重的一级 / due together; only the most severe goes out';
const sources: CalendarSources = { builtin: CAL.years, loaded: [] };

/** The ladder fired at each instant (as a worker that was down catches up), and the history it makes. */
function history(s: TaskState, nows: string[]): { state: TaskState; events: TaskEvent[] } {
  const events: TaskEvent[] = [];
  for (const now of nows) {
    const es = escalate(s, DEFAULT_POLICY, now, CAL);
    events.push(...es);
    s = fold(es, s);
  }
  return { state: s, events };
}

describe('the recorded rungs: rule, calendar, skipped', () => {
  const start = acknowledgedByAll();
  const opening: TaskEvent[] = [
    { type: 'TaskAssigned', spec: start.spec, seq: 1, at: start.assignedAt },
    ...[...start.spec.lead, ...start.spec.cooperating].map((by, i): TaskEvent => ({
      type: 'Acknowledged',
      by,
      seq: i + 2,
      at: start.assignedAt,
    })),
  ];
  const { events } = history(start, ['2026-03-26T02:00:00.000Z', '2026-05-10T02:00:00.000Z']);

  test('the events are the ones the ladder records, with their skipped rungs', () => {
    expect(events.map((e) => [e.type, 'skipped' in e ? e.skipped : undefined])).toEqual([
      ['WarningIssued', ['warning:30@2026-04-01']],
      ['InterviewOrdered', ['warning:1@2026-04-01', 'overdue@2026-04-01']],
    ]);
  });

  test('each rung line names its rule, its days and what it passed over; commands have none', () => {
    const why = explainHistory([...opening, ...events], sources);
    expect(why.slice(0, opening.length)).toEqual(opening.map(() => undefined));
    expect(why[opening.length]).toEqual({
      rule: 'warningDaysBefore: 7',
      calendar: '自然日 / calendar days',
      skipped: [{ key: 'warning:30@2026-04-01', rung: '预警（到期前 30 天）', why: SKIP }],
      text: `依据 warningDaysBefore: 7（自然日 / calendar days），截止日期 2026-04-01；略过 预警（到期前 30 天）（${SKIP}）`,
    });
    expect(why[opening.length + 1]?.text).toBe(
      '依据 interviewAfterOverdue: 30d（自然日 / calendar days），自 2026-04-01 起算；' +
        `略过 预警（到期前 1 天）、催办（${SKIP}）；` +
        '整改期限 2026-06-05 依据 rectificationPeriod: 20wd（20 个工作日，2026 年内置日历 / built-in），自 2026-05-10 起算',
    );
  });

  test('a year loaded before the count is named loaded; one loaded after it is not', () => {
    const loadedBefore = {
      builtin: CAL.years,
      loaded: [{ year: 2026, loadedAt: '2026-01-01T00:00:00.000Z' }],
    };
    const loadedAfter = {
      builtin: CAL.years,
      loaded: [{ year: 2026, loadedAt: '2026-12-01T00:00:00.000Z' }],
    };
    const last = (src: CalendarSources) => explainHistory([...opening, ...events], src).at(-1)?.calendar;
    expect(last(loadedBefore)).toBe('自然日 / calendar days');
    const rect = (src: CalendarSources) =>
      /rectificationPeriod: 20wd（([^）]*)）/.exec(
        explainHistory([...opening, ...events], src).at(-1)!.text,
      )![1];
    expect(rect(loadedBefore)).toBe('20 个工作日，2026 年已加载日历 / loaded');
    expect(rect(loadedAfter)).toBe('20 个工作日，2026 年内置日历 / built-in');
  });

  test('a count recorded as provisional stays provisional, though the package covers the year now', () => {
    const ordered = events.at(-1) as Extract<TaskEvent, { type: 'InterviewOrdered' }>;
    const why = explainHistory(
      [...opening, ...events.slice(0, -1), { ...ordered, provisional: true }],
      sources,
    );
    expect(why.at(-1)?.text).toMatch(
      /rectificationPeriod: 20wd（20 个工作日，2026 年暂定：节假日安排未公布，按周一至周五 \/ provisional），自 2026-05-10 起算$/,
    );
  });

  test('a year no calendar covers is named provisional', () => {
    const s = acknowledgedByAll({ due: '2027-03-01' }, '2026-12-20T01:00:00.000Z');
    const { events: late } = history(s, ['2027-04-05T02:00:00.000Z']);
    const assignedAt = '2026-12-20T01:00:00.000Z';
    const why = explainHistory(
      [{ type: 'TaskAssigned', spec: s.spec, seq: 1, at: assignedAt }, ...late.map((e) => ({ ...e }))],
      sources,
    );
    expect(why.at(-1)?.text).toBe(
      '依据 interviewAfterOverdue: 30d（自然日 / calendar days），自 2027-03-01 起算；' +
        `略过 预警（到期前 30 天）、预警（到期前 7 天）、预警（到期前 1 天）、催办（${SKIP}）；` +
        // Without 2027's calendar, 1 May's holidays are not known: Monday to Friday, provisionally.
        '整改期限 2027-05-03 依据 rectificationPeriod: 20wd（20 个工作日，2027 年暂定：节假日安排未公布，按周一至周五 / provisional），自 2027-04-05 起算',
    );
  });
});

describe('the planned rungs: rule, calendar, what will be passed over', () => {
  test('an assigned task: acknowledgement rungs count working days on the built-in calendar', () => {
    const s = assigned();
    const rungs = plannedRungs(s, DEFAULT_POLICY, CAL);
    expect(explainPlanned(rungs, s, DEFAULT_POLICY, sources).map((w) => w.text)).toEqual([
      '依据 ackReminderAfter: 1wd（1 个工作日，2026 年内置日历 / built-in）',
      '依据 ackReminderAfter: 1wd（1 个工作日，2026 年内置日历 / built-in）',
      '依据 ackReminderAfter: 1wd（1 个工作日，2026 年内置日历 / built-in）',
      '依据 ackAlertAfter: 5wd（5 个工作日，2026 年内置日历 / built-in）',
      '依据 ackAlertAfter: 5wd（5 个工作日，2026 年内置日历 / built-in）',
      '依据 ackAlertAfter: 5wd（5 个工作日，2026 年内置日历 / built-in）',
      '依据 warningDaysBefore: 30（自然日 / calendar days），截止日期 2026-04-01',
      '依据 warningDaysBefore: 7（自然日 / calendar days），截止日期 2026-04-01',
      '依据 warningDaysBefore: 1（自然日 / calendar days），截止日期 2026-04-01',
      '依据 due: 2026-04-01（截止日期次日起逾期 / overdue from the day after）',
      '依据 interviewAfterOverdue: 30d（自然日 / calendar days），自 2026-04-01 起算',
    ]);
  });

  test('two deadline rungs due at once: the milder says it will be skipped, the severer names it', () => {
    const policy = resolvePolicy({ interviewAfterOverdue: 1 });
    // The warnings went out on time; what is left is the overdue notice and the interview, both on 04-02.
    let s = acknowledgedByAll({ policy: { interviewAfterOverdue: 1 } });
    for (const now of ['2026-03-02T01:00:00.000Z', '2026-03-25T01:00:00.000Z', '2026-03-31T01:00:00.000Z'])
      s = fold(escalate(s, policy, now, CAL), s);
    const rungs = plannedRungs(s, policy, CAL).filter(
      (p) => p.key === 'interview' || p.key.startsWith('overdue'),
    );
    expect(rungs.map((p) => p.at)).toEqual(['2026-04-02T01:00:00.000Z', '2026-04-02T01:00:00.000Z']);
    const why = explainPlanned(rungs, s, policy, sources);
    expect(why.map((w) => w.text)).toEqual([
      `依据 interviewAfterOverdue: 1d（自然日 / calendar days），自 2026-04-01 起算；略过 催办（${SKIP}）`,
      '依据 due: 2026-04-01（截止日期次日起逾期 / overdue from the day after）；将略过：与 约谈 同时到期 / will be skipped',
    ]);
    // The ladder does what the explanation says.
    const fired = escalate(s, policy, '2026-04-02T01:00:00.000Z', CAL);
    expect(fired.map((e) => [e.type, 'skipped' in e ? e.skipped : undefined])).toEqual([
      ['InterviewOrdered', ['overdue@2026-04-01']],
    ]);
  });

  test('the upcoming lines show the reason under each rung', () => {
    const s = acknowledgedByAll();
    const rungs = plannedRungs(s, DEFAULT_POLICY, CAL);
    expect(
      upcomingText(rungs.slice(0, 2), explainPlanned(rungs.slice(0, 2), s, DEFAULT_POLICY, sources)),
    ).toEqual([
      '  2026-03-02 09:00  预警（到期前 30 天）',
      '      依据 warningDaysBefore: 30（自然日 / calendar days），截止日期 2026-04-01',
      '  2026-03-25 09:00  预警（到期前 7 天）',
      '      依据 warningDaysBefore: 7（自然日 / calendar days），截止日期 2026-04-01',
    ]);
  });
});

test('rung labels for the skipped keys', () => {
  expect(
    ['warning:7@2026-04-01', 'overdue@2026-04-01', 'interview', 'restriction', 'accountability', 'x'].map(
      rungLabel,
    ),
  ).toEqual(['预警（到期前 7 天）', '催办', '约谈', '限批', '追责', 'x']);
});
