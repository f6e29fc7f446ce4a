import {
  accountableBodies,
  available,
  describeEvent,
  signingLeads,
  whoRefuses,
  type TaskState,
} from '../../domain';
import { COOP, LEAD, SECOND_LEAD, acknowledgedByAll, fold, refused, run, spec } from './fixtures';

// Co-leads (several 牵头单位): the plan or the task chooses whether only the first lead signs the
// completion (first-lead, the default) or every lead does (all-leads), each answerable in 追责.

const T1 = '2026-01-10T02:00:00.000Z';
const T2 = '2026-01-11T02:00:00.000Z';
const T3 = '2026-01-12T02:00:00.000Z';
const allLeads = () => acknowledgedByAll({ policy: { completion: 'all-leads' } });

describe('who signs the completion', () => {
  test('first-lead by default and when chosen; every lead with all-leads', () => {
    expect(signingLeads(spec())).toEqual([LEAD]);
    expect(signingLeads(spec({ policy: { completion: 'first-lead' } }))).toEqual([LEAD]);
    expect(signingLeads(spec({ policy: { completion: 'all-leads' } }))).toEqual([LEAD, SECOND_LEAD]);
  });

  test('a policy naming another mode is refused', () => {
    expect(() => spec({ policy: { completion: 'any-lead' as 'all-leads' } })).toThrow();
  });

  test('with all-leads the second lead may submit, a cooperating department still may not', () => {
    const s = spec({ policy: { completion: 'all-leads' } });
    expect(whoRefuses('submitCompletion', s, SECOND_LEAD)).toBeUndefined();
    expect(whoRefuses('submitCompletion', s, COOP)).toEqual({
      code: 'lead_only',
      zh: `只有牵头单位 ${LEAD}、${SECOND_LEAD} 可以提交办结`,
      en: `only the lead departments ${LEAD}, ${SECOND_LEAD} may submit completion`,
    });
    // An extension stays the first lead's: it moves the date every lead works to.
    expect(whoRefuses('requestExtension', s, SECOND_LEAD)?.code).toBe('lead_only');
  });
});

describe('co-signing with all-leads', () => {
  test('the first signature co-signs, the last submits; the timeline says who waits', () => {
    const one = run(allLeads(), { type: 'submitCompletion', actor: SECOND_LEAD, summary: '河道已清淤' }, T1);
    expect(one.events).toEqual([
      {
        type: 'CompletionCosigned',
        by: SECOND_LEAD,
        summary: '河道已清淤',
        waiting: [LEAD],
        seq: one.events[0].seq,
        at: T1,
      },
    ]);
    expect(one.state.status).toBe('acknowledged');
    expect(one.state.cosigned).toEqual({ [SECOND_LEAD]: { at: T1, summary: '河道已清淤' } });
    expect(describeEvent(one.events[0])).toBe(`${SECOND_LEAD} 会签办结：河道已清淤；待 ${LEAD} 会签`);
    expect(available(one.state, SECOND_LEAD, '2026-01-10')).not.toContain('submitCompletion');
    expect(available(one.state, LEAD, '2026-01-10')).toContain('submitCompletion');
    expect(refused(one.state, { type: 'submitCompletion', actor: SECOND_LEAD, summary: '再签' }, T2)).toEqual(
      {
        code: 'already_cosigned',
        zh: `${SECOND_LEAD} 已会签办结，等待其他牵头单位`,
        en: `${SECOND_LEAD} has already signed the completion; the other lead departments have not`,
      },
    );

    const two = run(one.state, { type: 'submitCompletion', actor: LEAD, summary: '整治完成' }, T2);
    expect(two.events.map((e) => e.type)).toEqual(['CompletionSubmitted']);
    expect(two.events[0]).toMatchObject({ by: LEAD, summary: '整治完成', cosignedBy: [SECOND_LEAD] });
    expect(two.state.status).toBe('submitted');
    expect(describeEvent(two.events[0])).toBe(`${LEAD} 提交办结：整治完成（已会签：${SECOND_LEAD}）`);
  });

  test('sent back, every lead signs again', () => {
    let s: TaskState = run(allLeads(), { type: 'submitCompletion', actor: LEAD, summary: 'a' }, T1).state;
    s = run(s, { type: 'submitCompletion', actor: SECOND_LEAD, summary: 'b' }, T1).state;
    expect(s.status).toBe('submitted');
    s = run(s, { type: 'rejectCompletion', actor: 'supervisor', reason: '材料不全' }, T2).state;
    expect(s.cosigned).toBeUndefined();
    const again = run(s, { type: 'submitCompletion', actor: LEAD, summary: 'c' }, T3);
    expect(again.events[0]).toMatchObject({ type: 'CompletionCosigned', waiting: [SECOND_LEAD] });
  });

  test('first-lead submits at once, as before: no co-signing event, no new field', () => {
    const s = acknowledgedByAll();
    const r = run(s, { type: 'submitCompletion', actor: LEAD, summary: '完成' }, T1);
    expect(r.events).toEqual([
      { type: 'CompletionSubmitted', by: LEAD, summary: '完成', seq: s.seq + 1, at: T1 },
    ]);
    expect(refused(s, { type: 'submitCompletion', actor: SECOND_LEAD, summary: '完成' }, T1).code).toBe(
      'lead_only',
    );
  });

  test('a history recorded before co-signing existed folds as it did', () => {
    const s = acknowledgedByAll();
    const after = fold(
      [{ type: 'CompletionSubmitted', by: LEAD, summary: '完成', seq: s.seq + 1, at: T1 }],
      s,
    );
    expect(after.status).toBe('submitted');
    expect(after.cosigned).toBeUndefined();
  });
});

describe('追责 names every signing lead', () => {
  test('the first lead (and the region) by default; every lead with all-leads', () => {
    expect(accountableBodies(spec())).toEqual([LEAD]);
    expect(accountableBodies(spec({ region: '运河街道' }))).toEqual([LEAD, '运河街道']);
    expect(accountableBodies(spec({ region: '运河街道', policy: { completion: 'all-leads' } }))).toEqual([
      LEAD,
      SECOND_LEAD,
      '运河街道',
    ]);
    // A region's own task leads with the region: it is named once.
    expect(accountableBodies(spec({ region: LEAD }))).toEqual([LEAD]);
  });
});
