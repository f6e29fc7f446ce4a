import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TaskFileError, formatPath, parseTaskFile, parseTaskText } from '../../services/task-file';

const yamlList = `
- plan: taierzhuang-2016-water
  id: 2-1-1
  title: 严格环境准入
  lead: [区环保局]
  cooperating: [区发改局, 区经信局]
  due: 2027-06-30
- plan: taierzhuang-2016-water
  id: 2-1-2
  title: 依法淘汰落后产能
  lead: 区经信局
  due: 2026-12-31
`;

function errorOf(fn: () => unknown): TaskFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TaskFileError) return err;
    throw err;
  }
  throw new Error('expected a TaskFileError');
}

describe('parseTaskText', () => {
  it('reads a YAML list, keeps dates as strings and fills defaults', () => {
    const specs = parseTaskText(yamlList, 'tasks.yaml');
    expect(specs).toEqual([
      {
        plan: 'taierzhuang-2016-water',
        id: '2-1-1',
        title: '严格环境准入',
        text: '',
        lead: ['区环保局'],
        cooperating: ['区发改局', '区经信局'],
        due: '2027-06-30',
      },
      {
        plan: 'taierzhuang-2016-water',
        id: '2-1-2',
        title: '依法淘汰落后产能',
        text: '',
        lead: ['区经信局'],
        cooperating: [],
        due: '2026-12-31',
      },
    ]);
  });

  it('reads {plan, tasks: [...]} with the top-level plan as default', () => {
    const text = `plan: p1
tasks:
  - {id: a, title: A, lead: [甲局], due: 2027-01-01}
  - {plan: p2, id: 7, title: B, lead: [乙局], due: 2027-01-02, region: 运河街道}
`;
    const specs = parseTaskText(text, 'plan.yml');
    expect(specs.map((s) => [s.plan, s.id, s.region])).toEqual([
      ['p1', 'a', undefined],
      ['p2', '7', '运河街道'],
    ]);
  });

  it('reads JSON, by extension and by content', () => {
    const one = { plan: 'p', id: 'x1', title: '一项任务', lead: ['区水务局'], due: '2027-03-31' };
    expect(parseTaskText(JSON.stringify([one]), 'tasks.json')).toHaveLength(1);
    expect(parseTaskText(JSON.stringify({ tasks: [one, { ...one, id: 'x2' }] }), 'tasks.txt')).toHaveLength(
      2,
    );
    expect(parseTaskText(JSON.stringify(one), 'one.json')[0].lead).toEqual(['区水务局']);
  });

  it('names the file, the task and the field of a bad date', () => {
    const bad = yamlList.replace('due: 2026-12-31', 'due: 2026/12/31');
    const err = errorOf(() => parseTaskText(bad, 'tasks.yaml'));
    expect(err.message).toBe('tasks.yaml: tasks[1].due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD');
    expect(err.issues).toEqual([
      { path: 'tasks[1].due', message: '日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD' },
    ]);
  });

  it('refuses an impossible calendar date', () => {
    const bad = yamlList.replace('due: 2027-06-30', 'due: 2027-02-30');
    expect(errorOf(() => parseTaskText(bad, 'tasks.yaml')).message).toBe(
      'tasks.yaml: tasks[0].due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD',
    );
  });

  it('names a missing lead', () => {
    const bad = yamlList.replace('  lead: [区环保局]\n', '');
    expect(errorOf(() => parseTaskText(bad, 'tasks.yaml')).message).toBe(
      'tasks.yaml: tasks[0].lead: 缺少必填字段 / required field is missing',
    );
  });

  it('names an empty lead list', () => {
    const bad = yamlList.replace('lead: [区环保局]', 'lead: []');
    expect(errorOf(() => parseTaskText(bad, 'tasks.yaml')).message).toBe(
      'tasks.yaml: tasks[0].lead: 至少一个牵头单位 / at least one lead department',
    );
  });

  it('names an unknown key', () => {
    const bad = yamlList.replace('  title: 依法淘汰落后产能\n', '  title: 依法淘汰落后产能\n  owner: 张三\n');
    expect(errorOf(() => parseTaskText(bad, 'tasks.yaml')).message).toBe(
      'tasks.yaml: tasks[1].owner: 未知字段 / unknown field',
    );
  });

  it('names every problem, one a line, and fields of a single-task file without a prefix', () => {
    const err = errorOf(() =>
      parseTaskText('{"plan": "p", "id": "x", "title": 5, "due": "2027-01-01"}', 'one.json'),
    );
    expect(err.message.split('\n')).toEqual([
      'one.json: title: 类型错误，应为文字 / expected string',
      'one.json: lead: 缺少必填字段 / required field is missing',
    ]);
  });

  it('refuses the same task twice in one file', () => {
    const dup = yamlList.replace('id: 2-1-2', 'id: 2-1-1');
    expect(errorOf(() => parseTaskText(dup, 'tasks.yaml')).message).toBe(
      'tasks.yaml: tasks[1].id: 任务重复，与 tasks[0] 相同 / duplicate task task/taierzhuang-2016-water/2-1-1, same as tasks[0]',
    );
  });

  it('refuses a department named twice, pointing at the second', () => {
    const bad = yamlList.replace('cooperating: [区发改局, 区经信局]', 'cooperating: [区发改局, 区环保局]');
    expect(errorOf(() => parseTaskText(bad, 'tasks.yaml')).message).toBe(
      'tasks.yaml: tasks[0].cooperating[1]: 单位重复 / department named twice: 区环保局',
    );
  });

  it('explains broken YAML and JSON, empty files and wrong shapes', () => {
    expect(errorOf(() => parseTaskText('- id: [unclosed\n', 'bad.yaml')).message).toMatch(
      /^bad\.yaml: YAML 格式错误 \/ invalid YAML: .+\(第 \d+ 行 \/ line \d+\)$/,
    );
    expect(errorOf(() => parseTaskText('[{"id": }]', 'bad.json')).message).toMatch(
      /^bad\.json: JSON 格式错误 \/ invalid JSON: /,
    );
    expect(errorOf(() => parseTaskText('  \n', 'empty.yaml')).message).toBe(
      'empty.yaml: 文件为空 / the file is empty',
    );
    expect(errorOf(() => parseTaskText('tasks: []\n', 'none.yaml')).message).toBe(
      'none.yaml: tasks: 没有任务 / no tasks in the file',
    );
    expect(errorOf(() => parseTaskText('tasks: {}\n', 'x.yaml')).message).toBe(
      'x.yaml: tasks: 应为任务列表 / must be a list of tasks',
    );
    expect(errorOf(() => parseTaskText('just text\n', 'x.yaml')).message).toMatch(
      /^x\.yaml: 应为一个任务、任务列表/,
    );
    expect(errorOf(() => parseTaskText('tasks: []\nowner: x\n', 'x.yaml')).message).toMatch(
      /^x\.yaml: owner: 未知字段/,
    );
  });

  it('formats paths like code does', () => {
    expect(formatPath(['tasks', 1, 'lead', 0])).toBe('tasks[1].lead[0]');
    expect(formatPath(['due'])).toBe('due');
    expect(formatPath([])).toBe('');
  });
});

describe('parseTaskFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-taskfile-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file from disk, BOM and all, and names it as given', () => {
    const file = path.join(dir, 'tasks.yaml');
    fs.writeFileSync(file, `\uFEFF${yamlList}`);
    expect(parseTaskFile(file).map((s) => s.id)).toEqual(['2-1-1', '2-1-2']);
    fs.writeFileSync(file, yamlList.replace('due: 2027-06-30', 'due: soon'));
    expect(errorOf(() => parseTaskFile(file)).message).toBe(
      `${file}: tasks[0].due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD`,
    );
  });

  it('says when the file does not exist', () => {
    const file = path.join(dir, 'missing.yaml');
    expect(errorOf(() => parseTaskFile(file)).message).toBe(`${file}: 文件不存在 / file not found`);
  });

  it('accepts the shipped example: plan taierzhuang-2016-water, not born overdue', () => {
    const specs = parseTaskFile(path.join(__dirname, '..', '..', 'examples', 'taierzhuang-tasks.yaml'));
    expect(specs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(specs.map((s) => s.plan))).toEqual(new Set(['taierzhuang-2016-water']));
    for (const s of specs) {
      expect(s.id).toMatch(/^\d+-\d+-\d+$/);
      expect(s.due > '2026-11-28').toBe(true);
      expect(s.lead.length).toBeGreaterThan(0);
    }
    const first = specs.find((s) => s.id === '2-1-1');
    expect(first?.lead).toEqual(['区环保局']);
    expect(first?.cooperating).toEqual(['区发改局', '区经信局']);
  });
});

describe('milestones in a task file', () => {
  const withMilestones = (milestones: string, due = '') => `
plan: p
id: m-1
title: 工业集聚区污水集中处理
lead: 区环保局
${due}milestones:
${milestones}
`;

  it('reads them; the due date left out is the last milestone’s', () => {
    const [spec] = parseTaskText(
      withMilestones(
        '  - { due: 2017-12-31, title: 建成集中处理设施 }\n  - { due: 2020-12-31, title: 稳定达标 }',
      ),
      'm.yaml',
    );
    expect(spec.due).toBe('2020-12-31');
    expect(spec.milestones).toEqual([
      { due: '2017-12-31', title: '建成集中处理设施' },
      { due: '2020-12-31', title: '稳定达标' },
    ]);
  });

  it('names the field at fault: a bad date, a missing title, dates out of order, a due date not the last', () => {
    const messages = (text: string, name = 'm.yaml') => errorOf(() => parseTaskText(text, name)).message;
    expect(messages(withMilestones('  - { due: 2017-13-01, title: 甲 }'))).toBe(
      'm.yaml: milestones[0].due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD',
    );
    expect(messages(withMilestones('  - { due: 2017-12-31 }'))).toMatch(/^m\.yaml: milestones\[0\]\.title: /);
    expect(
      messages(withMilestones('  - { due: 2018-12-31, title: 甲 }\n  - { due: 2017-12-31, title: 乙 }')),
    ).toBe(
      'm.yaml: milestones[1].due: 应晚于上一个里程碑 2018-12-31 / must be later than the milestone before (2018-12-31)',
    );
    expect(
      messages(
        withMilestones(
          '  - { due: 2017-12-31, title: 甲 }\n  - { due: 2020-12-31, title: 乙 }',
          'due: 2019-12-31\n',
        ),
      ),
    ).toBe(
      "m.yaml: due: 应为最后一个里程碑的日期 2020-12-31 / must be the last milestone's date (2020-12-31)",
    );
    expect(messages(withMilestones('  - { due: 2017-12-31, title: 甲, when: soon }'))).toBe(
      'm.yaml: milestones[0].when: 未知字段 / unknown field',
    );
  });

  it('a JSON file takes them too', () => {
    const [spec] = parseTaskText(
      JSON.stringify({
        plan: 'p',
        id: 'j',
        title: 't',
        lead: ['区环保局'],
        milestones: [{ due: '2030-01-01', title: '甲' }],
      }),
      'm.json',
    );
    expect(spec.milestones).toEqual([{ due: '2030-01-01', title: '甲' }]);
    expect(spec.due).toBe('2030-01-01');
  });
});
