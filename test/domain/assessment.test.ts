import { assess, type TaskRecord } from '../../domain/assessment';
import { AssessmentPolicy, type TaskSummary, taskSpecSchema } from '../../domain';

const summary = (id: string, lead: string, o: Partial<TaskSummary> = {}): TaskSummary => ({
  workflowId: `task/p/${id}`,
  plan: 'p',
  taskId: id,
  title: id,
  lead: [lead],
  cooperating: [],
  status: 'completed',
  due: '2027-06-30',
  escalation: 'none',
  acknowledged: [lead],
  assignedAt: '2027-01-04T01:00:00.000Z',
  updatedAt: '2027-06-01T01:00:00.000Z',
  seq: 5,
  ...o,
});
const rec = (s: TaskSummary, submitted?: string): TaskRecord => ({
  summary: s,
  milestones: [],
  interviews: [],
  ...(submitted ? { submitted } : {}),
});
const input = (tasks: TaskRecord[], policy = AssessmentPolicy.parse({})) => ({
  plan: 'p',
  year: 2027,
  today: '2028-01-10',
  tasks,
  indicators: [],
  values: [],
  restrictions: [],
  accountability: [],
  policy,
});

test('equal scores keep one order on every machine: by the unit’s name, code point by code point', () => {
  const a = assess(
    input([
      rec(summary('1', '区水务局'), '2027-06-01'),
      rec(summary('2', '区环保局'), '2027-06-01'),
      rec(summary('3', '区住建局'), '2027-07-01'),
      rec(summary('4', '区发改局'), '2027-06-01'),
      // Cancelled work, and work due in another year, do not count.
      rec(summary('5', '区住建局', { status: 'cancelled' })),
      rec(summary('6', '区住建局', { due: '2028-03-31', status: 'acknowledged' })),
    ]),
  );
  expect(a.ranking.map((u) => [u.rank, u.unit, u.score])).toEqual([
    [1, '区发改局', 100],
    [2, '区水务局', 100],
    [3, '区环保局', 100],
    [4, '区住建局', 0],
  ]);
});

test('the plan’s weights and deductions change the score; an open task past due is late, one not yet due pending', () => {
  const policy = AssessmentPolicy.parse({ weights: { onTime: 80 }, deductions: { interview: 12.5 } });
  expect(policy).toEqual({
    weights: { onTime: 80, indicators: 40 },
    deductions: { interview: 12.5, restriction: 10, accountability: 20 },
  });
  const a = assess({
    ...input(
      [
        rec(summary('1', '泥沟镇', { region: '泥沟镇' }), '2027-06-01'),
        {
          ...rec(summary('2', '泥沟镇', { region: '泥沟镇', status: 'acknowledged', due: '2027-09-30' })),
          interviews: ['2027-11-02'],
        },
        rec(summary('3', '泥沟镇', { region: '泥沟镇', status: 'acknowledged', due: '2027-12-31' })),
      ],
      policy,
    ),
    today: '2027-11-15',
  });
  expect(a.ranking).toEqual([
    {
      rank: 1,
      unit: '泥沟镇',
      kind: 'region',
      score: 37.5,
      parts: { onTime: 50, indicators: null, escalations: -12.5 },
      counts: {
        due: 2,
        onTime: 1,
        late: 1,
        pending: 1,
        targets: 0,
        met: 0,
        interviews: 1,
        restrictions: 0,
        accountability: 0,
      },
    },
  ]);
});

test.each([
  [
    { weights: { onTime: -1 } },
    ['weights', 'onTime'],
    '按期办结权重不能为负 / 按期办结权重 must not be negative',
  ],
  [
    { weights: { indicators: 'a lot' } },
    ['weights', 'indicators'],
    '指标权重应为 0–100 的数 / 指标权重 must be a number from 0 to 100',
  ],
  [
    { deductions: { interview: 101 } },
    ['deductions', 'interview'],
    '约谈扣分不能超过 100 / 约谈扣分 must be at most 100',
  ],
  [{ weights: { onTime: 0, indicators: 0 } }, ['weights'], '权重不能都为 0 / the weights must not both be 0'],
])('the assessment block %j is refused at %j', (block, path, message) => {
  const r = AssessmentPolicy.safeParse(block);
  expect(r.success).toBe(false);
  expect(r.error!.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([{ path, message }]);
});

test('a plan’s policy carries the block into each task, an unknown setting named', () => {
  const spec = (assessment: unknown) =>
    taskSpecSchema().safeParse({
      plan: 'p',
      id: '1',
      title: 't',
      lead: ['区环保局'],
      due: '2027-06-30',
      policy: { assessment },
    });
  expect(spec({ weights: { onTime: 70 } }).success).toBe(true);
  const bad = spec({ weight: { onTime: 70 } });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues[0]).toMatchObject({ path: ['policy', 'assessment'], keys: ['weight'] });
});

test('限批 on a 镇街 by the plan’s task or indicator in the year, and 追责 of the plan in the year, each take points once', () => {
  const person = (name: string, department: string) => ({ name, post: '局长', department });
  const firing = (taskWorkflowId: string, at: string, p = person('张三', '区住建局'), plan = 'p') => ({
    person: p,
    plan,
    taskWorkflowId,
    rung: 'accountability',
    at,
  });
  const a = assess({
    ...input([
      rec(summary('1', '泥沟镇', { region: '泥沟镇' }), '2027-06-01'),
      rec(summary('2', '区住建局'), '2027-06-01'),
    ]),
    restrictions: [
      { region: '泥沟镇', since: '2027-08-01T01:00:00.000Z', taskWorkflowId: 'task/p/9/泥沟镇' },
      // 23:00 on 31 December in Shanghai is still the year; 01:00 on 1 January is the next.
      { region: '泥沟镇', since: '2027-12-31T15:00:00.000Z', taskWorkflowId: 'indicator/p/ammonia' },
      { region: '泥沟镇', since: '2027-12-31T17:00:00.000Z', taskWorkflowId: 'indicator/p/ammonia' },
      // Not the plan's, by a supervisor's own decision, or in another year: not counted.
      { region: '泥沟镇', since: '2027-08-01T01:00:00.000Z', taskWorkflowId: 'task/other/1' },
      { region: '泥沟镇', since: '2027-08-01T01:00:00.000Z' },
      { region: '泥沟镇', since: '2026-08-01T01:00:00.000Z', taskWorkflowId: 'task/p/8' },
    ],
    accountability: [
      firing('task/p/2', '2027-09-01T01:00:00.000Z'),
      // Two persons of one firing: once.
      firing('task/p/2', '2027-09-01T01:00:00.000Z', person('李四', '区住建局')),
      firing('task/p/3', '2027-10-01T01:00:00.000Z'),
      firing('task/q/3', '2027-10-01T01:00:00.000Z', person('张三', '区住建局'), 'q'),
    ],
  });
  expect(
    a.ranking.map((u) => [
      u.unit,
      u.score,
      u.parts.escalations,
      u.counts.restrictions,
      u.counts.accountability,
    ]),
  ).toEqual([
    ['泥沟镇', 80, -20, 2, 0],
    ['区住建局', 60, -40, 0, 2],
  ]);
});
