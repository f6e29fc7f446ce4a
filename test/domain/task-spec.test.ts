import { submittingDepartment, taskWorkflowId, taskSpecSchema } from '../../domain';
import { spec } from './fixtures';

const valid = {
  plan: 'tez-water-2016',
  id: 'T01',
  title: '城区污水管网改造',
  lead: ['区环保局'],
  due: '2017-12-31',
};

/** The issues of a failed parse, as `path: message` lines (path '' for the object itself). */
function issues(input: unknown): string[] {
  const r = taskSpecSchema().safeParse(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('TaskSpec: a valid task', () => {
  test('fills in the defaults: empty text, no cooperating departments, no region', () => {
    expect(taskSpecSchema().parse(valid)).toEqual({
      plan: 'tez-water-2016',
      id: 'T01',
      title: '城区污水管网改造',
      text: '',
      lead: ['区环保局'],
      cooperating: [],
      due: '2017-12-31',
    });
    expect('region' in taskSpecSchema().parse(valid)).toBe(false);
  });

  test('keeps what it is given, trimming titles and department names', () => {
    const t = taskSpecSchema().parse({
      ...valid,
      title: '  城区污水管网改造 ',
      text: '全文',
      lead: [' 区环保局', '区水利局 '],
      cooperating: ['  区住建局  '],
      region: ' 运河街道 ',
    });
    expect(t).toEqual({
      plan: 'tez-water-2016',
      id: 'T01',
      title: '城区污水管网改造',
      text: '全文',
      lead: ['区环保局', '区水利局'],
      cooperating: ['区住建局'],
      due: '2017-12-31',
      region: '运河街道',
    });
  });

  test.each(['2000-01-01', '2100-12-31', '2016-02-29', '2026-04-01'])('accepts the date %s', (due) => {
    expect(taskSpecSchema().parse({ ...valid, due }).due).toBe(due);
  });

  test('does not change the input object', () => {
    const input = { ...valid, lead: [' 区环保局 '] };
    taskSpecSchema().parse(input);
    expect(input.lead).toEqual([' 区环保局 ']);
    expect('cooperating' in input).toBe(false);
  });
});

describe('TaskSpec: refusals name the field', () => {
  const FORMAT = 'due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD';
  const RANGE = 'due: 日期超出范围 / date out of range (2000–2100)';

  test.each([
    ['2017-02-30', [FORMAT]],
    ['2017-02-29', [FORMAT]],
    ['2017-13-01', [FORMAT]],
    ['2017/01/01', [FORMAT]],
    ['2017-1-1', [FORMAT]],
    ['20170101', [FORMAT]],
    ['2017-01-01T00:00:00Z', [FORMAT]],
    ['', [FORMAT]],
    // a word is a format error only, not also "out of range"
    ['soon', [FORMAT]],
    ['1900-01-01', [RANGE]],
    ['1999-12-31', [RANGE]],
    ['2101-01-01', [RANGE]],
  ])('due %j', (due, expected) => {
    expect(issues({ ...valid, due })).toEqual(expected);
  });

  test('a due date that is not a string', () => {
    const r = taskSpecSchema().safeParse({ ...valid, due: 20170101 });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path, i.code])).toEqual([[['due'], 'invalid_type']]);
  });

  test('no lead department', () => {
    expect(issues({ ...valid, lead: [] })).toEqual(['lead: 至少一个牵头单位 / at least one lead department']);
  });

  test('a blank or overlong department name, by its index', () => {
    expect(issues({ ...valid, lead: ['区环保局', '   '], cooperating: ['x'.repeat(101)] })).toEqual([
      'lead.1: 不能为空 / must not be empty',
      'cooperating.0: 过长 / too long (max 100)',
    ]);
    expect(taskSpecSchema().parse({ ...valid, cooperating: ['x'.repeat(100)] }).cooperating[0]).toHaveLength(
      100,
    );
  });

  test('missing fields, each by name', () => {
    const r = taskSpecSchema().safeParse({ plan: 'p' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['id', 'title', 'lead', 'due']);
  });

  test('a blank or overlong title', () => {
    expect(issues({ ...valid, title: '  ' })).toEqual(['title: 不能为空 / must not be empty']);
    expect(issues({ ...valid, title: '题'.repeat(201) })).toEqual(['title: 过长 / too long (max 200)']);
    expect(taskSpecSchema().parse({ ...valid, title: '题'.repeat(200) }).title).toHaveLength(200);
  });

  test('an overlong text', () => {
    expect(issues({ ...valid, text: 'x'.repeat(10_001) })).toEqual(['text: 过长 / too long (max 10000)']);
    expect(taskSpecSchema().parse({ ...valid, text: 'x'.repeat(10_000) }).text).toHaveLength(10_000);
  });

  test.each(['', '-T01', 'T 01', 'T/01', '任务1', 'x'.repeat(65)])(
    'a task id %j that is not a slug',
    (id) => {
      expect(issues({ ...valid, id })).toEqual([
        'id: 只能用字母、数字、. _ -，最长 64 / letters, digits, . _ - only (max 64)',
      ]);
    },
  );

  test.each(['T01', 'a', 'v1.2_x-3', 'x'.repeat(64)])('a task id %j that is a slug', (id) => {
    expect(taskSpecSchema().parse({ ...valid, id }).id).toBe(id);
  });

  test('a bad plan slug', () => {
    expect(issues({ ...valid, plan: '水污染' })).toEqual([
      'plan: 只能用字母、数字、. _ -，最长 64 / letters, digits, . _ - only (max 64)',
    ]);
  });

  test('a department named twice within lead, within cooperating, and across both', () => {
    expect(issues({ ...valid, lead: ['区环保局', '区环保局'] })).toEqual([
      'lead.1: 单位重复 / department named twice: 区环保局',
    ]);
    expect(issues({ ...valid, cooperating: ['区住建局', '区水利局', '区住建局'] })).toEqual([
      'cooperating.2: 单位重复 / department named twice: 区住建局',
    ]);
    expect(
      issues({ ...valid, lead: ['区环保局', '区水利局'], cooperating: ['区住建局', '区环保局'] }),
    ).toEqual(['cooperating.1: 单位重复 / department named twice: 区环保局']);
  });

  test('names that differ only by surrounding spaces are the same department', () => {
    expect(issues({ ...valid, lead: ['区环保局'], cooperating: [' 区环保局 '] })).toEqual([
      'cooperating.0: 单位重复 / department named twice: 区环保局',
    ]);
  });

  test('unknown keys are refused (strict), naming the key', () => {
    const r = taskSpecSchema().safeParse({ ...valid, deadline: '2017-01-01', owner: 'x' });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['deadline', 'owner'],
      path: [],
    });
  });
});

describe('taskWorkflowId and submittingDepartment', () => {
  test('task/{plan}/{task}, plus /{region} for a fanned-out task', () => {
    expect(taskWorkflowId(spec())).toBe('task/tez-water-2016/T01');
    expect(taskWorkflowId(spec({ region: '涧头集镇' }))).toBe('task/tez-water-2016/T01/涧头集镇');
    expect(taskWorkflowId({ plan: 'p', id: 'x', region: undefined })).toBe('task/p/x');
  });

  test('the first lead named submits', () => {
    expect(submittingDepartment(spec({ lead: ['区水利局', '区环保局'] }))).toBe('区水利局');
    expect(submittingDepartment(spec({ lead: ['区环保局'] }))).toBe('区环保局');
  });
});
