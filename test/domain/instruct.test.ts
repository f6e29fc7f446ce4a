import {
  LEADERSHIP,
  SUPERVISOR,
  available,
  describeEvent,
  noticesFor,
  rejectionMessage,
  summarize,
} from '../../domain';
import { can, denial, type Principal } from '../../services/auth';
import { COOP, LEAD, SECOND_LEAD, assigned, completed, refused, run } from './fixtures';

const T = '2026-02-01T02:00:00.000Z';
const ONLY = '只有区领导可以作出批示 / only leadership may give an instruction';

describe('a leadership instruction (领导批示)', () => {
  test('stands on the timeline, is mailed to the departments and supervisors, and may raise the priority', () => {
    const { state, events } = run(
      assigned(),
      { type: 'instruct', actor: LEADERSHIP, text: ' 请抓紧推进，月底前见成效。 ', priority: 'high' },
      T,
    );
    expect(events).toEqual([
      {
        type: 'InstructionGiven',
        by: LEADERSHIP,
        text: '请抓紧推进，月底前见成效。',
        priority: 'high',
        seq: 2,
        at: T,
      },
    ]);
    expect(describeEvent(events[0])).toBe('区领导 批示：请抓紧推进，月底前见成效。（列为重点督办）');
    expect(noticesFor(events[0], state)).toEqual([
      {
        key: '2-InstructionGiven',
        event: events[0],
        to: [
          { department: LEAD },
          { department: SECOND_LEAD },
          { department: COOP },
          { role: 'supervisors' },
        ],
      },
    ]);
    expect(state.priority).toBe('high');
    expect(summarize('task/x', state).priority).toBe('high');
    // One without a priority leaves the task's as it was.
    const plain = run(assigned(), { type: 'instruct', actor: LEADERSHIP, text: '请关注' }, T).state;
    expect(plain.priority).toBeUndefined();
    expect(summarize('task/x', plain)).not.toHaveProperty('priority');
    expect(plain.instructions).toEqual([{ at: T, by: LEADERSHIP, text: '请关注' }]);
  });

  test('a department or the supervisors are refused; a blank text or a closed task too', () => {
    for (const actor of [LEAD, COOP, SUPERVISOR])
      expect(rejectionMessage(refused(assigned(), { type: 'instruct', actor, text: '请关注' }, T))).toBe(
        ONLY,
      );
    expect(
      rejectionMessage(refused(assigned(), { type: 'instruct', actor: LEADERSHIP, text: '  ' }, T)),
    ).toBe('请填写批示内容 / text is required');
    expect(refused(completed(), { type: 'instruct', actor: LEADERSHIP, text: '请关注' }, T).code).toBe(
      'closed',
    );
    expect(available(assigned(), LEADERSHIP, '2026-02-01')).toEqual(['instruct']);
  });

  test('the API and the pages: leadership may; a department, a supervisor and the public are told why not', () => {
    const task = { lead: [LEAD], cooperating: [COOP] };
    const p = (role: Principal['role'], department?: string): Principal => ({ role, department });
    expect(can(p('leadership'), 'instruct', task)).toBe(true);
    for (const who of [p('department', LEAD), p('supervisor'), p('region')]) {
      expect(can(who, 'instruct', task)).toBe(false);
      expect(denial(who, 'instruct', task)).toBe(ONLY);
    }
    expect(can(p('public'), 'instruct', task)).toBe(false);
    expect(denial(p('public'), 'instruct', task)).toBe('请先登录 / sign in first');
    // Leadership still only reads otherwise.
    expect(can(p('leadership'), 'acknowledge', task)).toBe(false);
    expect(denial(p('leadership'), 'cancel', task)).toBe(
      '区领导只能查看，不能操作 / leadership reads; it does not act',
    );
  });
});
