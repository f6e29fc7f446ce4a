import {
  decideRestriction,
  emptyRestrictions,
  interviewClosingReason,
  ladderImposeOrder,
  ladderLiftOrder,
  type TaskEvent,
} from '../../domain';

const AT = '2027-03-01T01:00:00.000Z';
const TASK = 'task/tez/2-1-3/运河街道';
const of = <T extends TaskEvent['type']>(e: Extract<TaskEvent, { type: T }>) => e;

test('the ladder imposes with the rectification date it missed, naming the task', () => {
  const e = of<'RestrictionImposed'>({
    type: 'RestrictionImposed',
    region: '运河街道',
    sector: '涉水',
    rectificationDue: '2027-02-20',
    seq: 9,
    at: AT,
  });
  const order = ladderImposeOrder(e, TASK);
  expect(order).toEqual({
    sector: '涉水',
    reason: '整改期限 2027-02-20 已过仍未完成',
    by: 'ladder',
    taskWorkflowId: TASK,
  });
  // The order is one the region's workflow accepts.
  expect(decideRestriction(emptyRestrictions('运河街道'), { type: 'impose', ...order }, AT).ok).toBe(true);
});

test('the ladder lifts what the task caused, with the reason its closing gave', () => {
  const e = of<'RestrictionLifted'>({
    type: 'RestrictionLifted',
    region: '运河街道',
    sector: '涉水',
    reason: '任务撤销',
    seq: 10,
    at: AT,
  });
  expect(ladderLiftOrder(e, TASK)).toEqual({
    sector: '涉水',
    reason: '任务撤销',
    by: 'ladder',
    taskWorkflowId: TASK,
  });
});

test('an interview not yet recorded closes with the way its task closed', () => {
  expect(interviewClosingReason({ type: 'CompletionVerified', by: 'supervisor', seq: 5, at: AT })).toBe(
    '任务已办结',
  );
  expect(
    interviewClosingReason({ type: 'TaskCancelled', by: 'supervisor', reason: '撤并', seq: 5, at: AT }),
  ).toBe('任务已撤销');
});
