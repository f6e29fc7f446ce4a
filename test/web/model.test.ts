import { SUPERVISOR, type TaskEvent, type TaskSummary, taskSpecSchema } from '../../domain';
import {
  cards,
  countBy,
  daysOf,
  departmentRates,
  lightOf,
  progressByYear,
  progressSeries,
  stateOf,
  type TaskDays,
} from '../../web/model';

// The pages' arithmetic, without a server: lights, on-time rates, series, cards.

const TODAY = '2026-06-01';

function task(over: Partial<TaskSummary> & { id: string }): TaskSummary {
  return {
    workflowId: `task/p/${over.id}`,
    plan: 'p',
    taskId: over.id,
    title: over.id,
    lead: ['区环保局'],
    cooperating: [],
    status: 'acknowledged',
    due: '2026-12-31',
    escalation: 'none',
    acknowledged: [],
    assignedAt: '2026-01-01T01:00:00.000Z',
    updatedAt: '2026-01-01T01:00:00.000Z',
    seq: 1,
    ...over,
  };
}

describe('lightOf', () => {
  test.each([
    ['green: far from due', {}, 'green'],
    ['yellow: due within 30 days', { due: '2026-07-01' }, 'yellow'],
    ['green: 31 days left', { due: '2026-07-02' }, 'green'],
    ['yellow: warned, though far', { escalation: 'warning' as const }, 'yellow'],
    ['red: past due', { due: '2026-05-31' }, 'red'],
    [
      'red: 催办 sent (after an extension, not yet past the new date)',
      { escalation: 'overdue' as const },
      'red',
    ],
    ['purple: interviewed outranks red', { due: '2026-01-31', escalation: 'interview' as const }, 'purple'],
    ['purple: 追责', { escalation: 'accountability' as const }, 'purple'],
    ['not red: a submission waiting past due', { due: '2026-05-01', status: 'submitted' as const }, 'yellow'],
    ['done', { status: 'completed' as const, escalation: 'interview' as const }, 'done'],
    ['cancelled', { status: 'cancelled' as const, due: '2026-01-01' }, 'cancelled'],
  ])('%s', (_name, over, light) => {
    expect(lightOf(task({ id: 'x', ...over }), TODAY)).toBe(light);
  });
});

test('countBy counts by key', () => {
  expect(countBy(['a', 'b', 'a'], (s) => s)).toEqual({ a: 2, b: 1 });
  expect(countBy([], String)).toEqual({});
});

describe('daysOf and stateOf read the ledger', () => {
  const spec = taskSpecSchema().parse({
    plan: 'p',
    id: 'a',
    title: 't',
    lead: ['甲局', '乙局'],
    due: '2026-03-01',
  });
  const ev = (type: string, at: string, extra: object = {}) =>
    ({ type, at, ...extra }) as unknown as TaskEvent;
  const events: TaskEvent[] = [
    ev('TaskAssigned', '2026-01-01T01:00:00.000Z', { spec, seq: 1 }),
    ev('Acknowledged', '2026-01-02T01:00:00.000Z', { by: '乙局', seq: 2 }),
    ev('Acknowledged', '2026-01-03T01:00:00.000Z', { by: '甲局', seq: 3 }),
    ev('CompletionSubmitted', '2026-02-01T01:00:00.000Z', { by: '甲局', summary: 's', seq: 4 }),
    ev('CompletionRejected', '2026-02-02T01:00:00.000Z', { by: SUPERVISOR, reason: 'r', seq: 5 }),
    ev('CompletionSubmitted', '2026-02-20T17:00:00.000Z', { by: '甲局', summary: 's', seq: 6 }),
    ev('CompletionVerified', '2026-02-22T01:00:00.000Z', { by: SUPERVISOR, seq: 7 }),
  ];

  test("the submitting lead's acknowledgement, the last submission not sent back, the day in China", () => {
    expect(daysOf(events)).toEqual({
      assigned: '2026-01-01',
      acknowledged: '2026-01-03',
      // 17:00 UTC is the next morning in Shanghai.
      submitted: '2026-02-21',
      completed: '2026-02-22',
    });
    expect(daysOf(events.slice(0, 5))).toEqual({ assigned: '2026-01-01', acknowledged: '2026-01-03' });
    expect(daysOf([])).toBeUndefined();
    expect(daysOf(events.slice(1))).toBeUndefined();
  });

  test('stateOf folds the ledger as the workflow does', () => {
    expect(stateOf(events)?.status).toBe('completed');
    expect(stateOf(events.slice(0, 5))?.status).toBe('acknowledged');
    expect(stateOf(events.slice(1))).toBeUndefined();
  });
});

describe('departmentRates', () => {
  test('on time by the submission day, late when verified late or open past due; cancelled never counts', () => {
    const tasks = [
      task({ id: 'a', lead: ['甲局'], status: 'completed', due: '2026-03-01' }),
      task({ id: 'b', lead: ['甲局'], status: 'completed', due: '2026-03-01' }),
      task({ id: 'c', lead: ['乙局', '甲局'], status: 'acknowledged', due: '2026-05-01' }),
      task({ id: 'd', lead: ['乙局'], status: 'acknowledged', due: '2026-12-31' }),
      task({ id: 'e', lead: ['丙局'], status: 'cancelled', due: '2026-01-01' }),
      task({
        id: 'f',
        lead: ['丁局'],
        status: 'completed',
        due: '2026-03-01',
        updatedAt: '2026-02-01T01:00:00.000Z',
      }),
    ];
    const days = new Map<string, TaskDays>([
      ['task/p/a', { assigned: '2026-01-01', submitted: '2026-03-01' }],
      ['task/p/b', { assigned: '2026-01-01', submitted: '2026-03-02' }],
    ]);
    expect(departmentRates(tasks, days, TODAY)).toEqual([
      // Without a submission day, the projection's last change stands in for it.
      { department: '丁局', total: 1, completed: 1, onTime: 1, late: 0, rate: 1 },
      { department: '甲局', total: 3, completed: 2, onTime: 1, late: 2, rate: 1 / 3 },
      { department: '乙局', total: 2, completed: 0, onTime: 0, late: 1, rate: 0 },
    ]);
  });

  test('nothing due yet: no rate, ranked after every rate', () => {
    const r = departmentRates(
      [task({ id: 'a', lead: ['甲局'] }), task({ id: 'b', lead: ['乙局'], due: '2026-01-01' })],
      new Map(),
      TODAY,
    );
    expect(r.map((d) => [d.department, d.rate])).toEqual([
      ['乙局', 0],
      ['甲局', null],
    ]);
  });
});

test('progressSeries: cumulative counts per day, per stage', () => {
  const s = progressSeries([
    { assigned: '2026-01-01', acknowledged: '2026-01-03' },
    { assigned: '2026-01-01', acknowledged: '2026-01-02', submitted: '2026-02-01', completed: '2026-02-03' },
    { assigned: '2026-01-05' },
  ]);
  expect(s).toEqual({
    assigned: [
      ['2026-01-01', 2],
      ['2026-01-05', 3],
    ],
    acknowledged: [
      ['2026-01-02', 1],
      ['2026-01-03', 2],
    ],
    submitted: [['2026-02-01', 1]],
    completed: [['2026-02-03', 1]],
  });
});

test('progressByYear: by the year due; done, overdue and open; cancelled left out', () => {
  expect(
    progressByYear(
      [
        task({ id: 'a', due: '2027-01-01' }),
        task({ id: 'b', due: '2026-01-01' }),
        task({ id: 'c', due: '2026-03-01', status: 'completed' }),
        task({ id: 'd', due: '2026-12-01' }),
        task({ id: 'e', due: '2026-12-01', status: 'cancelled' }),
      ],
      TODAY,
    ),
  ).toEqual([
    { year: '2026', total: 3, completed: 1, overdue: 1, open: 1 },
    { year: '2027', total: 1, completed: 0, overdue: 0, open: 1 },
  ]);
});

test('cards: red for overdue or escalated, yellow for due soon or warned, by lead, the most first', () => {
  const { red, yellow } = cards(
    [
      task({ id: 'a', lead: ['乙局'], due: '2026-05-01' }),
      task({ id: 'b', lead: ['乙局', '甲局'], escalation: 'interview' }),
      task({ id: 'c', lead: ['甲局'], due: '2026-06-15' }),
      task({ id: 'd', lead: ['甲局'] }),
      task({ id: 'e', lead: ['丙局'], escalation: 'warning' }),
    ],
    TODAY,
  );
  expect(red.map((c) => [c.department, c.tasks.map((t) => t.taskId)])).toEqual([
    ['乙局', ['a', 'b']],
    ['甲局', ['b']],
  ]);
  expect(yellow.map((c) => [c.department, c.tasks.map((t) => t.taskId)])).toEqual([
    ['丙局', ['e']],
    ['甲局', ['c']],
  ]);
});
