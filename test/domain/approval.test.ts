import { describeEvent, rejectionMessage, type TaskState } from '../../domain';
import { COOP, LEAD, SECOND_LEAD, assigned, refused, run } from './fixtures';

const T = '2026-02-01T02:00:00.000Z';
const one = () =>
  run(
    assigned({ lead: [LEAD], cooperating: [COOP] }),
    { type: 'acknowledge', actor: LEAD, person: '张三' },
    T,
  ).state;
const submit = (s: TaskState, person: string, approver?: string) =>
  run(
    s,
    {
      type: 'submitCompletion',
      actor: LEAD,
      person,
      summary: '管网已完工',
      ...(approver ? { approver } : {}),
    },
    T,
  );

describe('people (经办人) and in-department approval', () => {
  test('the person a token names stands beside the unit on every event, and on the timeline', () => {
    const { events } = run(assigned(), { type: 'acknowledge', actor: LEAD, person: '张三' }, T);
    expect(events[0]).toMatchObject({ type: 'Acknowledged', by: LEAD, person: '张三' });
    expect(describeEvent(events[0])).toBe(`${LEAD} 签收（经办人：张三）`);
  });

  test('without approval configured a 经办人 submits straight to the supervisors, as before', () => {
    const { state, events } = submit(one(), '张三');
    expect(events.map((e) => e.type)).toEqual(['CompletionSubmitted']);
    expect(state.status).toBe('submitted');
  });

  test('with approval: awaiting the 分管领导, who approves it on to the supervisors (报送督查室)', () => {
    const { state: waiting, events } = submit(one(), '张三', '王五');
    expect(events).toMatchObject([
      {
        type: 'InternalApprovalRequested',
        by: LEAD,
        person: '张三',
        approver: '王五',
        summary: '管网已完工',
      },
    ]);
    expect(waiting.status).toBe('acknowledged');
    expect(waiting.internalApproval?.[LEAD]).toMatchObject({ person: '张三', approver: '王五' });
    // Not twice, and not by the 经办人 themself.
    expect(
      rejectionMessage(refused(waiting, { type: 'submitCompletion', actor: LEAD, summary: 'x' }, T)),
    ).toBe('办结已报分管领导 王五 审核，请等待 / the completion awaits approval by 王五 (分管领导)');
    expect(
      rejectionMessage(refused(waiting, { type: 'approveCompletion', actor: LEAD, person: '张三' }, T)),
    ).toBe(
      `只有分管领导 王五 可以审核 ${LEAD} 的办结 / only 王五 (分管领导) may decide on ${LEAD}'s completion`,
    );
    const approved = run(waiting, { type: 'approveCompletion', actor: LEAD, person: '王五' }, T);
    expect(approved.events).toMatchObject([
      { type: 'InternalApprovalGranted', by: LEAD, approver: '王五', person: '王五' },
      { type: 'CompletionSubmitted', by: LEAD, summary: '管网已完工', person: '王五' },
    ]);
    expect(approved.state.status).toBe('submitted');
    expect(approved.state.internalApproval).toBeUndefined();
    expect(describeEvent(approved.events[0])).toBe(
      `${LEAD} 分管领导 王五 审核同意，报送督查室（经办人：王五）`,
    );
  });

  test('with approval: the 分管领导 returns it; the 经办人 submits again', () => {
    const waiting = submit(one(), '张三', '王五').state;
    const returned = run(
      waiting,
      { type: 'returnCompletion', actor: LEAD, person: '王五', reason: '缺照片' },
      T,
    );
    expect(returned.events).toMatchObject([
      { type: 'InternalApprovalReturned', approver: '王五', reason: '缺照片' },
    ]);
    expect(returned.state.status).toBe('acknowledged');
    expect(returned.state.internalApproval).toBeUndefined();
    expect(refused(returned.state, { type: 'approveCompletion', actor: LEAD, person: '王五' }, T).code).toBe(
      'no_internal_approval',
    );
    expect(submit(returned.state, '张三', '王五').events[0].type).toBe('InternalApprovalRequested');
  });

  test('the 分管领导 submitting themself goes straight on; a co-lead still co-signs after approval', () => {
    expect(submit(one(), '王五', '王五').events.map((e) => e.type)).toEqual(['CompletionSubmitted']);
    const both = run(
      run(assigned({ policy: { completion: 'all-leads' } }), { type: 'acknowledge', actor: LEAD }, T).state,
      { type: 'acknowledge', actor: SECOND_LEAD },
      T,
    ).state;
    const waiting = run(
      both,
      { type: 'submitCompletion', actor: LEAD, person: '张三', approver: '王五', summary: '完成' },
      T,
    ).state;
    const approved = run(waiting, { type: 'approveCompletion', actor: LEAD, person: '王五' }, T);
    expect(approved.events.map((e) => e.type)).toEqual(['InternalApprovalGranted', 'CompletionCosigned']);
  });
});
