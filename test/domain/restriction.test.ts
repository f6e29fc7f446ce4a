import {
  decideRestriction,
  emptyRestrictions,
  evolveRestriction,
  isRestricted,
  restrictionWorkflowId,
  type RestrictionCommand,
  type RestrictionEvent,
  type RestrictionState,
} from '../../domain';

const T1 = '2027-03-01T01:00:00.000Z';
const T2 = '2027-03-02T01:00:00.000Z';
const TASK_A = 'task/tez/2-1-3/运河街道';
const TASK_B = 'task/tez/2-2-1/运河街道';

/** Applies commands in turn, failing the test on a refusal; returns the state and every event. */
function run(cmds: RestrictionCommand[], at = T1, from: RestrictionState = emptyRestrictions('运河街道')) {
  let state = from;
  const events: RestrictionEvent[] = [];
  for (const cmd of cmds) {
    const d = decideRestriction(state, cmd, at);
    if (!d.ok) throw new Error(`refused: ${d.rejection.en}`);
    events.push(...d.events);
    state = d.events.reduce(evolveRestriction, state);
  }
  return { state, events };
}

const ladder = (task: string, sector = '涉水'): RestrictionCommand => ({
  type: 'impose',
  sector,
  reason: '整改逾期未完成',
  by: 'ladder',
  taskWorkflowId: task,
});

test('the workflow id is restriction/{region}, trimmed', () => {
  expect(restrictionWorkflowId(' 运河街道 ')).toBe('restriction/运河街道');
  expect(emptyRestrictions(' 泥沟镇')).toEqual({ region: '泥沟镇', active: [], seq: 0 });
});

test('an impose records who, why, since when and which task; the sector is trimmed', () => {
  const { state, events } = run([{ ...ladder(TASK_A), sector: '  涉水 ' }]);
  expect(events).toEqual([
    {
      type: 'RestrictionImposed',
      region: '运河街道',
      sector: '涉水',
      taskWorkflowId: TASK_A,
      reason: '整改逾期未完成',
      by: 'ladder',
      seq: 1,
      at: T1,
    },
  ]);
  expect(state).toEqual({
    region: '运河街道',
    seq: 1,
    active: [
      {
        region: '运河街道',
        sector: '涉水',
        taskWorkflowId: TASK_A,
        since: T1,
        reason: '整改逾期未完成',
        by: 'ladder',
      },
    ],
  });
  expect(isRestricted(state, ' 涉水')).toHaveLength(1);
  expect(isRestricted(state, '造纸')).toEqual([]);
});

test('imposing the same sector for the same task twice is a no-op, not an error', () => {
  const first = run([ladder(TASK_A)]);
  const again = decideRestriction(first.state, ladder(TASK_A), T2);
  expect(again).toEqual({ ok: true, events: [] });
  // Another task in the same sector is a second restriction; so is a supervisor's own.
  const { state } = run(
    [ladder(TASK_B), { type: 'impose', sector: '涉水', reason: '群众举报', by: 'supervisor' }],
    T2,
    first.state,
  );
  expect(state.active.map((r) => r.taskWorkflowId ?? 'supervisor')).toEqual([TASK_A, TASK_B, 'supervisor']);
  expect(state.seq).toBe(3);
  const twice = decideRestriction(
    state,
    { type: 'impose', sector: '涉水', reason: '再次', by: 'supervisor' },
    T2,
  );
  expect(twice).toEqual({ ok: true, events: [] });
});

test('lifting by task lifts every restriction that task caused, and only those', () => {
  const { state } = run([ladder(TASK_A, '涉水'), ladder(TASK_A, '造纸'), ladder(TASK_B, '涉水')]);
  const { state: after, events } = run(
    [{ type: 'lift', taskWorkflowId: TASK_A, reason: '任务办结审核通过', by: 'ladder' }],
    T2,
    state,
  );
  expect(events.map((e) => [e.type, e.sector, e.taskWorkflowId, e.seq])).toEqual([
    ['RestrictionLifted', '涉水', TASK_A, 4],
    ['RestrictionLifted', '造纸', TASK_A, 5],
  ]);
  expect(after.active.map((r) => [r.sector, r.taskWorkflowId])).toEqual([['涉水', TASK_B]]);
  // Again: nothing left that task caused; not a mistake.
  expect(
    decideRestriction(after, { type: 'lift', taskWorkflowId: TASK_A, reason: '重复', by: 'ladder' }, T2),
  ).toEqual({ ok: true, events: [] });
});

test("a supervisor's lift of a sector lifts all of it; of a sector not restricted it is refused", () => {
  const { state } = run([
    ladder(TASK_A),
    { type: 'impose', sector: '涉水', reason: '群众举报', by: 'supervisor' },
    ladder(TASK_B, '造纸'),
  ]);
  const { state: after, events } = run(
    [{ type: 'lift', sector: '涉水', reason: '整改到位', by: 'supervisor' }],
    T2,
    state,
  );
  expect(events).toHaveLength(2);
  expect(events.every((e) => e.by === 'supervisor' && e.reason === '整改到位' && e.at === T2)).toBe(true);
  expect(isRestricted(after, '涉水')).toEqual([]);
  expect(isRestricted(after, '造纸')).toHaveLength(1);
  expect(
    decideRestriction(after, { type: 'lift', sector: '涉水', reason: '再解除', by: 'supervisor' }, T2),
  ).toEqual({
    ok: false,
    rejection: {
      code: 'not_restricted',
      zh: '运河街道 的 涉水 行业未在限批中，无需解除',
      en: 'sector 涉水 is not restricted in 运河街道; there is nothing to lift',
    },
  });
});

test('a reason, an actor and a sector (or a task to lift by) are required', () => {
  const s = emptyRestrictions('泥沟镇');
  const refusal = (cmd: RestrictionCommand) => {
    const d = decideRestriction(s, cmd, T1);
    return d.ok ? undefined : d.rejection.code + ': ' + d.rejection.en;
  };
  expect(refusal({ type: 'impose', sector: '涉水', reason: '  ', by: 'supervisor' })).toBe(
    'missing_text: reason is required',
  );
  expect(refusal({ type: 'impose', sector: ' ', reason: '理由', by: 'supervisor' })).toBe(
    'missing_text: sector is required',
  );
  expect(refusal({ type: 'impose', sector: '涉水', reason: '理由', by: '' })).toBe(
    'missing_text: by is required',
  );
  expect(refusal({ type: 'impose', sector: '涉水', reason: 'x'.repeat(2001), by: 'supervisor' })).toBe(
    'text_too_long: reason is too long (max 2000)',
  );
  expect(refusal({ type: 'lift', reason: '理由', by: 'supervisor' })).toBe(
    'missing_scope: name the sector or the task to lift',
  );
});

test('evolve after lifting keeps the rest in order and the numbering going', () => {
  const { state } = run([ladder(TASK_A, '涉水'), ladder(TASK_B, '化工'), ladder(TASK_A, '造纸')]);
  const { state: after } = run(
    [{ type: 'lift', sector: '化工', reason: '完成', by: 'supervisor' }],
    T2,
    state,
  );
  expect(after.active.map((r) => r.sector)).toEqual(['涉水', '造纸']);
  expect(after.seq).toBe(4);
  const { events } = run([ladder(TASK_B, '化工')], T2, after);
  expect(events[0].seq).toBe(5);
});
