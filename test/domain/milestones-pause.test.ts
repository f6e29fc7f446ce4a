import {
  DEFAULT_POLICY,
  digestItems,
  escalate,
  evolve,
  explainHistory,
  isOverdue,
  plannedRungs,
  rejectionMessage,
  summarize,
  type TaskEvent,
} from '../../domain';
import {
  ASSIGNED_AT,
  CAL,
  LEAD,
  SECOND_LEAD,
  acknowledgedByAll,
  completed,
  refused,
  run,
  submitted,
} from './fixtures';

const SUPERVISOR = 'supervisor';
const MILESTONES = {
  due: '2026-04-01',
  milestones: [
    { due: '2026-02-27', title: '完成管网排查' },
    { due: '2026-04-01', title: '完成改造' },
  ],
};

describe('milestones on the ladder', () => {
  it('each milestone before the last has its own warnings and overdue notice; the last is the due date’s', () => {
    const s = acknowledgedByAll(MILESTONES);
    const keys = plannedRungs(s, DEFAULT_POLICY, CAL).map((r) => r.key);
    expect(keys.filter((k) => k.startsWith('milestone:'))).toEqual([
      'milestone:1:warning:30@2026-02-27',
      'milestone:1:warning:7@2026-02-27',
      'milestone:1:warning:1@2026-02-27',
      'milestone:1:overdue@2026-02-27',
    ]);
    expect(keys.filter((k) => k.startsWith('milestone:2:'))).toEqual([]);
  });

  it('a missed milestone: its 催办 raises the task to overdue, which the overdue rule and the digest agree on', () => {
    const s = acknowledgedByAll(MILESTONES);
    const at = '2026-02-28T01:00:00.000Z';
    const events = escalate(s, DEFAULT_POLICY, at, CAL);
    expect(events.map((e) => e.type)).toEqual(['MilestoneOverdueNoticed']);
    expect(events[0]).toMatchObject({
      milestone: 1,
      due: '2026-02-27',
      daysOverdue: 1,
      skipped: [
        'milestone:1:warning:30@2026-02-27',
        'milestone:1:warning:7@2026-02-27',
        'milestone:1:warning:1@2026-02-27',
      ],
    });
    const after = events.reduce((st, e) => ({ ...evolve(st, e) }), s);
    expect(after.escalation).toBe('overdue');
    const row = summarize('task/x/1', after);
    expect(row.milestoneDue).toBe('2026-02-27');
    expect(isOverdue(row, '2026-02-28')).toBe(true);
    expect(digestItems([row], '2026-02-28')).toEqual([row]);
    // Reported, the milestone waits for the supervisor: not overdue; verified, its 催办 is spent.
    const reported = run(
      after,
      { type: 'reportMilestone', actor: LEAD, milestone: 1, note: '排查完毕' },
      at,
    ).state;
    expect(isOverdue(summarize('task/x/1', reported), '2026-03-01')).toBe(false);
    const verified = run(reported, { type: 'verifyMilestone', actor: SUPERVISOR, milestone: 1 }, at).state;
    expect(verified.escalation).toBe('none');
    expect(verified.milestones!.map((m) => m.status)).toEqual(['verified', 'open']);
  });

  it('refuses a milestone that does not exist, is not reported, or is already verified', () => {
    const s = acknowledgedByAll(MILESTONES);
    const t = '2026-02-10T02:00:00.000Z';
    expect(
      rejectionMessage(refused(s, { type: 'reportMilestone', actor: LEAD, milestone: 3, note: 'x' }, t)),
    ).toBe('本任务没有里程碑 3（共 2 个） / milestone 3 does not exist (the task has 2)');
    expect(
      rejectionMessage(
        refused(s, { type: 'reportMilestone', actor: SECOND_LEAD, milestone: 1, note: 'x' }, t),
      ),
    ).toBe(
      `只有牵头单位 ${LEAD} 可以报告里程碑完成 / only the lead department ${LEAD} may report a milestone done`,
    );
    const reported = run(
      s,
      { type: 'reportMilestone', actor: LEAD, milestone: 1, note: '排查完毕' },
      t,
    ).state;
    expect(
      rejectionMessage(refused(reported, { type: 'verifyMilestone', actor: SUPERVISOR, milestone: 2 }, t)),
    ).toBe('里程碑 2 尚未报告完成，不能审核 / milestone 2 has not been reported done; nothing to decide');
    expect(
      rejectionMessage(
        refused(reported, { type: 'reportMilestone', actor: LEAD, milestone: 1, note: 'x' }, t),
      ),
    ).toBe('里程碑 1 已报告完成，等待督查室审核 / milestone 1 is already reported and awaits verification');
    expect(
      rejectionMessage(refused(s, { type: 'reportMilestone', actor: LEAD, milestone: 0, note: 'x' }, t)),
    ).toBe('milestone 应为里程碑序号（从 1 起） / milestone must be the number of a milestone (from 1)');
  });
});

describe('pause and resume', () => {
  it('a resume of a task not paused is refused, and so is a pause of a closed or submitted task', () => {
    const t = '2026-02-10T02:00:00.000Z';
    expect(rejectionMessage(refused(acknowledgedByAll(), { type: 'resume', actor: SUPERVISOR }, t))).toBe(
      '任务未挂起，不能恢复 / the task is not paused; there is nothing to resume',
    );
    expect(rejectionMessage(refused(completed(), { type: 'pause', actor: SUPERVISOR, reason: 'x' }, t))).toBe(
      '任务已办结，不能再操作 / the task is completed; nothing more can be done',
    );
    expect(rejectionMessage(refused(submitted(), { type: 'pause', actor: SUPERVISOR, reason: 'x' }, t))).toBe(
      '已提交办结，等待审核，不能挂起 / completion is submitted and awaits verification; no pause',
    );
    expect(
      rejectionMessage(refused(acknowledgedByAll(), { type: 'pause', actor: LEAD, reason: 'x' }, t)),
    ).toBe('只有督查室可以执行此操作 / only a supervisor may do this');
  });

  it('paused: no rungs, not overdue, not in the digest; resumed across the 2026 Spring Festival, the dates move by its working days', () => {
    const s = acknowledgedByAll(MILESTONES);
    // 2026: Spring Festival off 02-15…02-23, Saturdays 02-14 and 02-28 worked.
    const paused = run(
      s,
      { type: 'pause', actor: SUPERVISOR, reason: '等待上级批复' },
      '2026-02-10T02:00:00.000Z',
      {
        calendar: CAL,
      },
    ).state;
    expect(paused.status).toBe('paused');
    expect(plannedRungs(paused, DEFAULT_POLICY, CAL)).toEqual([]);
    const row = summarize('task/x/1', paused);
    expect(isOverdue(row, '2026-03-05')).toBe(false);
    expect(digestItems([row], '2026-03-05')).toEqual([]);

    const { state, events } = run(paused, { type: 'resume', actor: SUPERVISOR }, '2026-03-02T02:00:00.000Z', {
      calendar: CAL,
    });
    // Working days in (02-10, 03-02]: 02-11…13 (3), Saturday 02-14 (1), 02-24…27 (4), Saturday 02-28 (1),
    // 03-02 (1) = 10.
    expect(events[0]).toMatchObject({ type: 'TaskResumed', pausedOn: '2026-02-10', workingDays: 10 });
    expect(state.due).toBe('2026-04-16');
    // 02-27 + 10: Saturday 02-28 (worked), 03-02…06, 03-09…12 → 03-12; 04-01 + 10 over Qingming (04-06 off) → 04-16.
    expect(state.milestones!.map((m) => m.due)).toEqual(['2026-03-12', '2026-04-16']);
    expect(state.status).toBe('acknowledged');
  });

  it('the timeline explains the milestone rungs', () => {
    const s = acknowledgedByAll(MILESTONES);
    const events: TaskEvent[] = escalate(s, DEFAULT_POLICY, '2026-02-28T01:00:00.000Z', CAL);
    expect(events).toHaveLength(1);
    const why = explainHistory([...fold(s), ...events]).at(-1)!;
    expect(why.rule).toBe('milestones[0].due: 2026-02-27');
    expect(why.text).toContain('里程碑 1「完成管网排查」');
  });
});

/** The history of a state built by the fixtures, from its assignment (assigned at ASSIGNED_AT). */
function fold(s: ReturnType<typeof acknowledgedByAll>): TaskEvent[] {
  return [
    { type: 'TaskAssigned', spec: s.spec, seq: 1, at: ASSIGNED_AT },
    ...Object.keys(s.acknowledged).map((by, i) => ({
      type: 'Acknowledged' as const,
      by,
      seq: i + 2,
      at: ASSIGNED_AT,
    })),
  ];
}
