import fs from 'node:fs';
import path from 'node:path';
import {
  BreakdownUnreadable,
  PlanUnreadable,
  breakdownToYaml,
  checkBreakdown,
  decodePlan,
  importPlan,
  parseBreakdownText,
  type Breakdown,
} from '../../importer';
import { PLAN_FILE, REGIONS } from './taierzhuang-table';

const ROOT = path.join(__dirname, '..', '..');
const text = fs.readFileSync(path.join(ROOT, PLAN_FILE), 'utf8');
const base = importPlan(text, { id: 'taierzhuang-2016-water', regions: REGIONS });
/** A fresh, editable copy of the breakdown, as a supervisor's file would hold it. */
const edit = (): Breakdown => JSON.parse(JSON.stringify(base)) as Breakdown;
const issuesOf = (data: unknown) => checkBreakdown(data).issues.map((i) => `${i.path}: ${i.message}`);

describe('plan check', () => {
  it('passes the breakdown as imported, as YAML and as JSON', () => {
    const yaml = breakdownToYaml(base);
    expect(checkBreakdown(parseBreakdownText(yaml))).toEqual({ breakdown: base, issues: [] });
    expect(checkBreakdown(parseBreakdownText(JSON.stringify(base)))).toEqual({ breakdown: base, issues: [] });
  });

  it('names an unknown department by its path, with the department it was probably meant to be', () => {
    const b = edit();
    b.tasks[12].lead[0] = '区环宝局';
    b.tasks[3].cooperating[0] = '区经济和信息化局';
    b.tasks[5].cooperating.push('区气象局');
    expect(issuesOf(b)).toEqual([
      'tasks[3].cooperating[0]: 未知单位 区经济和信息化局，是否应为 区经信局？ / unknown department 区经济和信息化局 — did you mean 区经信局?',
      'tasks[5].cooperating[3]: 未知单位 区气象局：不在 departments 中 / unknown department 区气象局: add it to departments',
      'tasks[12].lead[0]: 未知单位 区环宝局，是否应为 区环保局？ / unknown department 区环宝局 — did you mean 区环保局?',
    ]);
  });

  it('accepts a department by an alias it lists, and a region by name', () => {
    const b = edit();
    b.tasks[0].cooperating.push('区规划局');
    b.tasks[0].lead.push('泥沟镇');
    expect(issuesOf(b)).toEqual([]);
  });

  it('names unknown fields with the field it was probably meant to be', () => {
    const b = edit() as unknown as { tasks: Record<string, unknown>[]; plan: Record<string, unknown> };
    b.tasks[0].leads = b.tasks[0].lead;
    b.plan.regoins = [];
    expect(issuesOf(b)).toEqual([
      'plan.regoins: 未知字段，是否应为 regions？ / unknown field — did you mean regions?',
      'tasks[0].leads: 未知字段，是否应为 lead？ / unknown field — did you mean lead?',
    ]);
  });

  it('names wrong dates, kinds, ids and empty leads', () => {
    const b = edit() as unknown as { tasks: Record<string, unknown>[] };
    b.tasks[1].due = '2017-13-01';
    b.tasks[2].lead = [];
    b.tasks[3].id = '二-1-4';
    (b.tasks[4].deadlines as Record<string, unknown>[])[0].kind = 'before';
    expect(issuesOf(b)).toEqual([
      'tasks[1].due: 日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD',
      'tasks[2].lead: 至少一个牵头单位 / at least one lead department',
      'tasks[3].id: 只能用字母、数字、. _ -，最长 64 / letters, digits, . _ - only (max 64)',
      'tasks[4].deadlines[0].kind: 取值应为 / must be one of: by, from, target',
    ]);
  });

  it('names duplicate ids, unknown regions and collectives without regions', () => {
    const b = edit();
    b.tasks[2].id = b.tasks[1].id;
    b.tasks[1].regions = ['泥沟'];
    b.tasks[0].cooperating.push('各镇街');
    b.tasks[6].cooperating.push('有关部门');
    expect(issuesOf(b)).toEqual([
      "tasks[0].cooperating[2]: “各镇街”要分解到镇街，请填写本任务的 regions / 各镇街 needs the task's regions",
      'tasks[1].regions[0]: 未知镇街 泥沟，是否应为 泥沟镇？ / unknown region 泥沟 — did you mean 泥沟镇?',
      'tasks[2].id: 任务编号重复，与 tasks[1] 相同 / duplicate task id 2-1-2, same as tasks[1]',
      'tasks[6].cooperating[5]: “有关部门”不是具体单位，请写明 / 有关部门 is not one department: name it',
    ]);
  });

  it('checks policy overrides as the workflows will, at the plan or the task', () => {
    const b = edit();
    b.plan.policy = { noticeHour: 25 };
    expect(issuesOf(b)[0]).toMatch(/^plan\.policy\.noticeHour: /);
    const t = edit();
    t.tasks[7].policy = { warningDaysBefore: 'soon' };
    expect(issuesOf(t)[0]).toMatch(/^tasks\[7\]\.policy\.warningDaysBefore: /);
    const ok = edit();
    ok.plan.policy = { secondsPerDay: 5 };
    expect(issuesOf(ok)).toEqual([]);
  });

  it('says where a file is not YAML at all', () => {
    expect(() => parseBreakdownText('plan:\n  id: [a\n')).toThrow(BreakdownUnreadable);
    expect(() => parseBreakdownText('plan: 1\nplan: 2\n')).toThrow(
      /YAML 格式错误 \/ invalid YAML: .*（第 2 行 \/ line 2）/,
    );
    expect(() => parseBreakdownText('   ')).toThrow('文件为空 / the file is empty');
    expect(() => parseBreakdownText('{"plan": ')).toThrow(/^JSON 格式错误 \/ invalid JSON/);
  });
});

describe('documents the importer cannot read', () => {
  const bytes = (...xs: (number[] | string)[]) =>
    Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from(x))));

  it.each([
    [
      'a PDF',
      bytes('%PDF-1.7\n'),
      /^这是 PDF 文件，无法直接读取 \/ this is a PDF file\. 请先另存为 UTF-8 纯文本/,
    ],
    ['a .docx', bytes([0x50, 0x4b, 0x03, 0x04], 'word/document.xml'), /^这是 Word（\.docx）或压缩文件/],
    ['a .doc', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), /^这是旧版 Word（\.doc）或 WPS 文件/],
    ['an empty file', bytes(''), /^文件为空 \/ the file is empty$/],
    ['binary data', bytes([0x00, 0x01, 0x02, 0xe4, 0xb8, 0xad]), /二进制|binary/],
    ['text without Chinese', bytes('just some notes\n'), /^文件中没有中文内容/],
  ])('%s gets a clear error', (_name, data, message) => {
    expect(() => decodePlan(data)).toThrow(PlanUnreadable);
    expect(() => decodePlan(data)).toThrow(message);
  });

  it('reads GB18030 (GBK) text, with a note', () => {
    const gbk = Buffer.from([0xc7, 0xf8, 0xbb, 0xb7, 0xb1, 0xa3, 0xbe, 0xd6]); // 区环保局
    expect(decodePlan(gbk)).toEqual({
      text: '区环保局',
      note: '文件不是 UTF-8，已按 GB18030（GBK）读取 / not UTF-8: read as GB18030 (GBK)',
    });
  });

  it('refuses text with no responsibility clause instead of returning an empty plan', () => {
    expect(() =>
      importPlan('关于做好节水工作的通知\n\n一、总体要求\n\n各单位要高度重视节水工作。\n'),
    ).toThrow(
      /^没有找到任何责任分工（如“（区环保局牵头，区发改局等配合）”），无法分解任务 \/ no responsibility clause/,
    );
  });
});
