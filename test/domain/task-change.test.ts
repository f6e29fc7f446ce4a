import { rejectionMessage, type TaskState } from '../../domain';
import { searchAttributeUpdates } from '../../workflows/search-attributes';
import { COOP, LEAD, SECOND_LEAD, acknowledgedByLead, assigned, refused, run } from './fixtures';

// The supervisor's changes to a running task, decided and folded: what the state becomes, and the exact
// words of each refusal.

const SUP = 'supervisor';
const T = '2026-02-01T02:00:00.000Z';
const NEW = '区水务局';
const says = (s: TaskState, cmd: Parameters<typeof refused>[1], now = T) =>
  rejectionMessage(refused(s, cmd, now));

describe('reassign', () => {
  test('a new first lead acknowledges again; the released department is off the task; cosignatures go', () => {
    let s = acknowledgedByLead();
    s = run(s, { type: 'acknowledge', actor: COOP }, T).state;
    const { state, events } = run(s, { type: 'reassign', actor: SUP, lead: [NEW], reason: '机构改革' }, T);
    expect(events[0]).toMatchObject({
      before: { lead: [LEAD, SECOND_LEAD], cooperating: [COOP] },
      after: { lead: [NEW], cooperating: [COOP] },
      released: [LEAD, SECOND_LEAD],
      reacknowledge: [NEW],
    });
    expect(state.status).toBe('assigned');
    expect(Object.keys(state.acknowledged)).toEqual([COOP]);
    expect(state.ackFrom).toEqual({ [NEW]: T });
    expect(state.spec.lead).toEqual([NEW]);
  });

  test('a cooperating department made lead leaves the cooperating ones and must acknowledge as lead', () => {
    let s = acknowledgedByLead();
    s = run(s, { type: 'acknowledge', actor: COOP }, T).state;
    const { state, events } = run(s, { type: 'reassign', actor: SUP, lead: [COOP], reason: '分工调整' }, T);
    expect(state.spec).toMatchObject({ lead: [COOP], cooperating: [] });
    expect(events[0]).toMatchObject({ released: [LEAD, SECOND_LEAD], reacknowledge: [COOP] });
    expect(state.status).toBe('assigned');
    expect(state.acknowledged).toEqual({});
  });

  test('refusals', () => {
    const s = acknowledgedByLead();
    expect(says(s, { type: 'reassign', actor: LEAD, lead: [NEW], reason: 'x' })).toBe(
      '只有督查室可以执行此操作 / only a supervisor may do this',
    );
    expect(says(s, { type: 'reassign', actor: SUP, lead: [NEW], reason: ' ' })).toBe(
      '请填写改派理由 / reason is required',
    );
    expect(says(s, { type: 'reassign', actor: SUP, reason: '调整' })).toBe(
      '请给出新的牵头单位（lead）或配合单位（cooperating） / give the new lead or cooperating departments',
    );
    expect(says(s, { type: 'reassign', actor: SUP, lead: [LEAD, SECOND_LEAD], reason: '调整' })).toBe(
      '牵头单位和配合单位与现在相同，无需改派 / the task already has these lead and cooperating departments',
    );
    expect(says(s, { type: 'reassign', actor: SUP, lead: [NEW], cooperating: [NEW], reason: '调整' })).toBe(
      '区水务局 不能同时是牵头单位和配合单位 / 区水务局 cannot be both a lead and a cooperating department',
    );
    expect(says(s, { type: 'reassign', actor: SUP, lead: [], reason: '调整' })).toBe(
      '请填写牵头单位 / lead is required',
    );
    expect(says(s, { type: 'reassign', actor: SUP, lead: [NEW, NEW], reason: '调整' })).toBe(
      '牵头单位重复：区水务局 / lead names 区水务局 twice',
    );
  });

  test('the lead search attribute follows a new first lead, and only then', () => {
    const s = acknowledgedByLead();
    const moved = run(s, { type: 'reassign', actor: SUP, lead: [NEW], reason: '调整' }, T).state;
    expect(searchAttributeUpdates(s, moved).map((p) => [p.key.name, p.value])).toEqual([
      ['DubanStatus', 'assigned'],
      ['DubanLead', NEW],
    ]);
    const coop = run(s, { type: 'reassign', actor: SUP, cooperating: [NEW], reason: '调整' }, T).state;
    expect(searchAttributeUpdates(s, coop)).toEqual([]);
  });
});

describe('edit, add a milestone', () => {
  test('edit keeps before and after; the same text again is refused', () => {
    const s = acknowledgedByLead();
    const { state, events } = run(s, { type: 'editTask', actor: SUP, content: '新内容', reason: '调整' }, T);
    expect(events[0]).toMatchObject({ before: { text: '' }, after: { text: '新内容', title: s.spec.title } });
    expect(state.spec.text).toBe('新内容');
    expect(says(state, { type: 'editTask', actor: SUP, content: '新内容', reason: '调整' })).toBe(
      '任务名称和内容与现在相同，无需修改 / the title and content are already these',
    );
  });

  test('a milestone goes in date order; later milestones and their fired rungs move up by one', () => {
    let s = assigned({
      milestones: [
        { due: '2026-03-01', title: '排查' },
        { due: '2026-04-01', title: '改造' },
      ],
    });
    s = { ...s, fired: ['milestone:1:warning:30@2026-03-01', 'warning:30@2026-04-01'] };
    const { state } = run(
      s,
      { type: 'addMilestone', actor: SUP, due: '2026-02-15', title: '方案', reason: '细化' },
      T,
    );
    expect(state.milestones?.map((m) => m.title)).toEqual(['方案', '排查', '改造']);
    expect(state.fired).toEqual(['milestone:2:warning:30@2026-03-01', 'warning:30@2026-04-01']);
    expect(
      says(state, { type: 'addMilestone', actor: SUP, due: '2026-03-01', title: 'x', reason: 'y' }),
    ).toBe('2026-03-01 已有里程碑「排查」 / there is already a milestone on 2026-03-01');
    expect(
      says(state, { type: 'addMilestone', actor: SUP, due: '2026-02-01', title: 'x', reason: 'y' }),
    ).toBe('due 应晚于 2026-02-01 / due must be later than 2026-02-01');
  });
});

describe('split', () => {
  test('sub-tasks are numbered after the ones before; one due after the task is refused', () => {
    const s = acknowledgedByLead();
    const sub = (title: string) => ({ title, due: '2026-03-01', lead: [NEW] });
    const one = run(
      s,
      { type: 'splitTask', actor: SUP, subs: [sub('甲'), sub('乙')], reason: '分解' },
      T,
    ).state;
    const two = run(one, { type: 'splitTask', actor: SUP, subs: [sub('丙')], reason: '再分解' }, T).state;
    expect(two.subtasks?.map((t) => [t.id, t.workflowId])).toEqual([
      ['T01.1', 'task/tez-water-2016/T01.1'],
      ['T01.2', 'task/tez-water-2016/T01.2'],
      ['T01.3', 'task/tez-water-2016/T01.3'],
    ]);
    expect(
      says(s, { type: 'splitTask', actor: SUP, subs: [{ ...sub('丁'), due: '2026-05-01' }], reason: '分解' }),
    ).toBe(
      "subs[0].due 2026-05-01 晚于任务截止日期 2026-04-01 / subs[0].due 2026-05-01 is after the task's due date 2026-04-01",
    );
    expect(says(s, { type: 'splitTask', actor: SUP, subs: [sub('甲'), sub(' ')], reason: '分解' })).toBe(
      'subs[1]：请填写子任务名称 / subs[1]: title is required',
    );
    expect(says(s, { type: 'splitTask', actor: SUP, subs: [], reason: '分解' })).toBe(
      '请至少给出一个子任务 / subs needs at least one sub-task',
    );
  });
});
