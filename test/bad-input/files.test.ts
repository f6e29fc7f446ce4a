/**
 * Bad files, refused before anything is started: malformed and truncated task files, plan documents
 * and breakdowns; impossible and absurd dates; oversized fields; departments the directory does not
 * know. Each refusal names the file, the field and what is wrong; the CLI refuses without connecting.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseTaskText, TaskFileError } from '../../services/task-file';
import { checkBreakdown, decodePlan, importPlan, parseBreakdownText, PlanUnreadable } from '../../importer';
import { freePort } from '../../bench/harness';

const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bad-files-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const issuesOf = (text: string, name = 'tasks.yaml'): string[] => {
  try {
    parseTaskText(text, name);
  } catch (err) {
    if (err instanceof TaskFileError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('the file was accepted');
};

const GOOD = 'plan: p\nid: a\ntitle: 任务甲\nlead: [区环保局]\ndue: 2027-06-30\n';

describe('task files', () => {
  it.each([
    ['empty', '', ': 文件为空 / the file is empty'],
    ['blank', '   \n\n', ': 文件为空 / the file is empty'],
    ['malformed YAML', 'plan: p\nid: [a\ntitle: x\n', ': YAML 格式错误 / invalid YAML'],
    ['a duplicated key', 'plan: p\nplan: q\nid: a\n', ': YAML 格式错误 / invalid YAML'],
    ['truncated JSON', '{"plan": "p", "id": "a", "title": "任务', ': JSON 格式错误 / invalid JSON'],
    ['a scalar', '42\n', ': 应为一个任务、任务列表或 {tasks: [...]}'],
    ['no tasks', 'tasks: []\n', 'tasks: 没有任务 / no tasks in the file'],
  ])('%s is refused, naming the problem', (_name, text, expected) => {
    const name = text.startsWith('{') ? 'tasks.json' : 'tasks.yaml';
    expect(issuesOf(text, name).join('\n')).toContain(expected);
  });

  it('a file cut off in the middle names the missing fields', () => {
    const cut = GOOD.slice(0, GOOD.indexOf('lead'));
    expect(issuesOf(cut)).toEqual([
      'lead: 缺少必填字段 / required field is missing',
      'due: 缺少必填字段 / required field is missing',
    ]);
  });

  it.each([
    ['2027/06/30', 'due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD'],
    ['30-06-2027', 'due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD'],
    ['2027-02-30', 'due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD'],
    ['明年', 'due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD'],
    ['1900-01-01', 'due: 日期超出范围 / date out of range (2000–2100)'],
    ['2999-12-31', 'due: 日期超出范围 / date out of range (2000–2100)'],
  ])('due %s is refused', (due, expected) => {
    // YAML would read a bare 2027-06-30 as a date; quoted, every value arrives as text.
    expect(issuesOf(GOOD.replace('due: 2027-06-30', `due: "${due}"`))).toEqual([expected]);
  });

  it('oversized fields are refused by name', () => {
    const text = [
      'plan: p',
      'id: a',
      `title: ${'标'.repeat(201)}`,
      `text: ${'文'.repeat(10_001)}`,
      `lead: [${'局'.repeat(101)}]`,
      'due: 2027-06-30',
    ].join('\n');
    expect(issuesOf(text)).toEqual([
      'title: 过长 / too long (max 200)',
      'text: 过长 / too long (max 10000)',
      'lead[0]: 过长 / too long (max 100)',
    ]);
  });

  it('an unknown field, a department named twice and a task given twice are named', () => {
    expect(issuesOf(`${GOOD}owner: 张三\n`)).toEqual(['owner: 未知字段 / unknown field']);
    expect(issuesOf(GOOD.replace('lead: [区环保局]', 'lead: [区环保局]\ncooperating: [区环保局]'))).toEqual([
      'cooperating[0]: 单位重复 / department named twice: 区环保局',
    ]);
    const twice = `tasks:\n  - ${GOOD.trim().split('\n').join('\n    ')}\n  - ${GOOD.trim().split('\n').join('\n    ')}\n`;
    expect(issuesOf(twice)).toEqual([
      'tasks[1].id: 任务重复，与 tasks[0] 相同 / duplicate task task/p/a, same as tasks[0]',
    ]);
  });
});

describe('plan documents and breakdowns', () => {
  const plan = fs.readFileSync(path.join(root, 'plans', 'taierzhuang-2016-water-pollution-plan.txt'));
  const breakdown = fs.readFileSync(path.join(root, 'plans', 'taierzhuang-2016-water.yaml'), 'utf8');

  it.each([
    ['empty', Buffer.alloc(0), '文件为空 / the file is empty'],
    ['a PDF', Buffer.from('%PDF-1.7\n...'), '这是 PDF 文件'],
    ['binary', Buffer.from([0x41, 0x00, 0xff, 0xfe, 0x00, 0x9c]), 'not text in a known encoding'],
  ])('a plan document that is %s is refused', (_name, bytes, expected) => {
    expect(() => decodePlan(bytes)).toThrow(PlanUnreadable);
    expect(() => decodePlan(bytes)).toThrow(expected);
  });

  it('a plan document cut off before its first responsibility clause is refused, saying what is missing', () => {
    const text = decodePlan(plan).text;
    const cut = text.slice(0, text.indexOf('（') - 1);
    expect(() => importPlan(cut)).toThrow(PlanUnreadable);
    expect(() => importPlan(cut)).toThrow(/no responsibility clause/);
  });

  it('a plan document cut off mid-clause still imports what it has and reports the loose end', () => {
    const text = decodePlan(plan).text;
    const cut = text.slice(0, Math.floor(text.length / 2));
    const b = importPlan(cut, { fileName: 'cut.txt' });
    expect(b.tasks.length).toBeGreaterThan(0);
    expect(b.tasks.length).toBeLessThan(importPlan(text, { fileName: 'whole.txt' }).tasks.length);
  });

  it('a breakdown truncated mid-task is refused by the fields it lacks', () => {
    // Cut inside a task (before its lead): a cut that falls between two tasks leaves a shorter, valid plan.
    const cut = breakdown.slice(0, breakdown.indexOf('\n    lead:', Math.floor(breakdown.length / 3)));
    let messages: string[];
    try {
      messages = checkBreakdown(parseBreakdownText(cut)).issues.map((i) => `${i.path}: ${i.message}`);
    } catch (err) {
      messages = [(err as Error).message];
    }
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toMatch(/lead: 缺少必填字段 \/ required field is missing/);
  });

  it('a breakdown naming an unknown department is refused with a did-you-mean', () => {
    const data = parseBreakdownText(breakdown) as { tasks: { lead: string[] }[] };
    data.tasks[0].lead = ['区环保厅'];
    const issues = checkBreakdown(data).issues;
    expect(issues.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(
      /tasks\[0\]\.lead\[0\]: 未知单位 区环保厅/,
    );
  });
});

describe('the CLI refuses a bad task file before it connects to anything', () => {
  const cli = async (args: string[], env: NodeJS.ProcessEnv) => {
    try {
      const r = await run(process.execPath, [path.join(root, 'bin', 'duban.js'), ...args], { env, cwd: tmp });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    // Nothing listens on this port: a command that got as far as Temporal would say so instead.
    env = {
      PATH: process.env.PATH,
      DUBAN_DATA_DIR: path.join(tmp, 'data'),
      DUBAN_TEMPORAL_PORT: String(await freePort()),
    };
  });

  it('a truncated file: exit 1, the file and the reason', async () => {
    const file = path.join(tmp, 'cut.yaml');
    fs.writeFileSync(file, 'plan: p\nid: a\ntitle: "任务');
    const r = await cli(['task', 'start', '--file', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: YAML 格式错误 / invalid YAML`);
    expect(r.stderr).not.toMatch(/Temporal/);
    expect(fs.existsSync(path.join(tmp, 'data', 'duban.db'))).toBe(false);
  });

  it('a department the directory does not know: exit 1, naming the task and the department', async () => {
    const file = path.join(tmp, 'unknown.yaml');
    fs.writeFileSync(file, GOOD.replace('lead: [区环保局]', 'lead: [区环保局]\ncooperating: [区环保厅]'));
    const r = await cli(['task', 'start', '--file', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('区环保厅');
    expect(r.stderr).toContain('unknown department 区环保厅');
    expect(r.stderr).toContain('p/a');
    expect(r.stderr).not.toMatch(/Temporal/);
  });
});
