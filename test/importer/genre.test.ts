/**
 * The importer is written for the genre, not for one file: the sample rewritten the ways other places write
 * (县/市, 【】 and [] brackets, half-width punctuation, other role verbs, a clause on its own line, no or
 * other page breaks) must give the same table, and two plans of our own making cover what the sample lacks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importPlan, toTaskSpecs, type Breakdown } from '../../importer';
import { EXPECTED, PLAN_FILE } from './taierzhuang-table';

const ROOT = path.join(__dirname, '..', '..');
const SAMPLE = fs.readFileSync(path.join(ROOT, PLAN_FILE), 'utf8');
const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/plans', name), 'utf8');

const table = (b: Breakdown) => b.tasks.map((t) => ({ id: t.id, lead: t.lead, cooperating: t.cooperating }));
const expected = (rename: (s: string) => string = (s) => s) =>
  EXPECTED.map((e) => ({ id: e.id, lead: e.lead.map(rename), cooperating: e.cooperating.map(rename) }));

/** The responsibility clauses of the sample, page-broken one included. */
const CLAUSE = /[(（]([^()（）]*?(?:牵头|负责)[^()（）]*?)[)）]/g;

describe('the sample, rewritten as other places write', () => {
  const cases: [string, (t: string) => string, ((s: string) => string)?][] = [
    [
      'half-width commas, colons, semicolons and brackets',
      (t) =>
        t.replace(/，/g, ',').replace(/：/g, ':').replace(/；/g, ';').replace(/（/g, '(').replace(/）/g, ')'),
    ],
    [
      'county (县) departments',
      (t) => t.replace(/区(?=\s*[\u4e00-\u9fa5]{1,6}(局|办|部|行|分局))/g, '县'),
      (s) => s.replace(/^区/, '县'),
    ],
    [
      'city (市) departments',
      (t) => t.replace(/区(?=\s*[\u4e00-\u9fa5]{1,6}(局|办|部|行|分局))/g, '市'),
      (s) => s.replace(/^区/, '市'),
    ],
    ['【】 brackets', (t) => t.replace(CLAUSE, '【$1】')],
    ['[] brackets', (t) => t.replace(CLAUSE, '[$1]')],
    ['each clause on its own line', (t) => t.replace(CLAUSE, '\n（$1）\n')],
    ['负责 instead of 牵头', (t) => t.replace(CLAUSE, (m) => m.replace('牵头', '负责'))],
    ['具体落实', (t) => t.replace(CLAUSE, (m) => m.replace('牵头', '具体落实'))],
    ['负责落实', (t) => t.replace(CLAUSE, (m) => m.replace('牵头', '负责落实'))],
    ['依责落实', (t) => t.replace(CLAUSE, (m) => m.replace('牵头', '依责落实'))],
    ['参与 instead of 配合', (t) => t.replace(CLAUSE, (m) => m.replace(/配合/, '参与'))],
    ['no blank lines at all (page breaks without gaps)', (t) => t.replace(/\n\s*\n/g, '\n')],
    [
      'CRLF line ends and full-width indentation',
      (t) => t.replace(/\n(?=\S)/g, '\n　　').replace(/\n/g, '\r\n'),
    ],
    ['hard-wrapped lines of 40 characters', (t) => t.replace(/[^\n]{40}(?=[^\n]{10})/g, (m) => `${m}\n`)],
  ];

  // Rows of two get `undefined` as the third, so jest does not take the test for a `done` callback one.
  it.each(cases.map(([n, r, f]) => [n, r, f] as const))(
    '%s: the same 64 tasks with the same departments',
    (_name, rewrite, rename) => {
      const b = importPlan(rewrite(SAMPLE), { id: 'variant' });
      expect(table(b)).toEqual(expected(rename));
    },
  );

  it('all of it at once: 县, half-width, 【】 on their own lines, 依责落实 and 参与', () => {
    const t = SAMPLE.replace(
      CLAUSE,
      (m) => `\n【${m.slice(1, -1).replace('牵头', '依责落实').replace('配合', '参与')}】\n`,
    )
      .replace(/区(?=\s*[\u4e00-\u9fa5]{1,6}(局|办|部|行|分局))/g, '县')
      .replace(/，/g, ',')
      .replace(/（/g, '(')
      .replace(/）/g, ')');
    expect(table(importPlan(t, { id: 'variant' }))).toEqual(expected((s) => s.replace(/^区/, '县')));
  });

  it('label clauses: 牵头单位：…；配合单位：…', () => {
    const t = SAMPLE.replace(CLAUSE, (_m, inner: string) => {
      const [lead, coop] = inner.split(/牵头，?/);
      return `（牵头单位：${lead}；${coop ? `配合单位：${coop.replace(/等?(配合|参与)$/, '')}` : ''}）`.replace(
        '；）',
        '）',
      );
    });
    expect(table(importPlan(t, { id: 'variant' }))).toEqual(expected());
  });
});

describe('a county plan: 【】, [] and () clauses, half-width punctuation, a clause on its own line', () => {
  const b = importPlan(fixture('county-air-halfwidth.txt'), { fileName: 'county-air-halfwidth.txt' });
  const task = (id: string) => b.tasks.find((t) => t.id === id)!;

  it('reads the header and names the plan after the file, saying so', () => {
    expect(b.plan).toEqual({
      id: 'county-air-halfwidth',
      title: 'XX县大气污染防治实施方案',
      issuer: 'XX县人民政府办公室',
      issuedOn: '2018-03-05',
      regions: ['城关镇', '东山乡', '县经济开发区'],
    });
    expect(b.warnings[0]).toEqual({
      line: null,
      message: expect.stringMatching(/^方案编号 county-air-halfwidth 取自文件名，可用 --id 指定/),
    });
  });

  it('finds every clause, whatever its brackets, verbs and line', () => {
    expect(table(b)).toEqual([
      { id: '2-1-1', lead: ['县工信局'], cooperating: ['县环保局', '县发改局'] },
      { id: '2-1-2', lead: ['县环保局'], cooperating: ['县工信局', '县市场监督管理局'] },
      { id: '2-1-3', lead: ['县发改局'], cooperating: ['县住建局'] },
      { id: '2-2-1', lead: ['县住建局'], cooperating: ['县城管局'] },
      { id: '2-2-2', lead: ['各乡镇'], cooperating: [] },
      { id: '2-2-3', lead: ['县城管局'], cooperating: ['县市场监督管理局', '县公安局'] },
      { id: '3-1-1', lead: ['县环保局'], cooperating: ['县委组织部', '县监察局'] },
    ]);
    expect(b.departments.filter((d) => d.aliases.length > 0)).toEqual([
      { name: '县市场监督管理局', aliases: ['县市场监管局'] },
      { name: '县住建局', aliases: ['县住房和城乡建设局'] },
    ]);
  });

  it('reads deadlines, targets and recurrences across a page break', () => {
    expect(task('2-1-2').deadlines).toEqual([{ date: '2018-06-30', kind: 'by', text: '2018年6月30日前' }]);
    expect(task('2-1-3')).toMatchObject({
      title: '推进清洁能源替代：推广天然气、电能替代燃煤',
      due: '2019-12-31',
      deadlines: [{ date: '2019-12-31', kind: 'target', text: '到2019年' }],
      targets: [{ name: '清洁能源消费占比', op: '+>=', value: 10, unit: '个百分点', year: 2019 }],
    });
    expect(task('2-2-1').recurrence).toEqual({
      every: 'quarter',
      from: null,
      text: '每季度',
      assumed: false,
    });
    expect(task('2-2-2').deadlines).toEqual([{ date: '2018-06-30', kind: 'by', text: '2018年上半年' }]);
    expect(b.indicators).toEqual([
      {
        name: '全县细颗粒物(PM2.5)年均浓度',
        targets: [{ year: 2020, op: '<=', value: 45, unit: '微克/立方米', text: expect.any(String) }],
      },
      {
        name: '优良天数比例',
        targets: [{ year: 2020, op: '>=', value: 75, unit: '%', text: '优良天数比例达到75%以上' }],
      },
    ]);
  });

  it('fans out to the 乡镇 by the text and by the clause, with the restriction sector', () => {
    expect(task('2-1-2')).toMatchObject({
      regions: ['城关镇', '东山乡', '县经济开发区'],
      restriction: { sector: '涉气' },
    });
    const specs = toTaskSpecs(b);
    expect(specs.filter((s) => s.id === '2-1-2').map((s) => s.lead)).toEqual([
      ['城关镇', '县环保局'],
      ['东山乡', '县环保局'],
      ['县经济开发区', '县环保局'],
    ]);
    // 各乡镇依责落实: the clause's collective becomes each region, in its role.
    expect(specs.filter((s) => s.id === '2-2-2').map((s) => [s.region, s.lead])).toEqual([
      ['城关镇', ['城关镇']],
      ['东山乡', ['东山乡']],
      ['县经济开发区', ['县经济开发区']],
    ]);
  });

  it('reports, with line numbers, what belongs to no task and what it did not understand', () => {
    const lines = b.warnings.filter((w) => w.line !== null).map((w) => [w.line, w.message.split(' / ')[0]]);
    expect(lines).toEqual([
      [3, '镇街名单取自文头主送单位：城关镇、东山乡、县经济开发区'],
      [34, '“县住房和城乡建设局”视为“县住建局”的别称'],
      [36, '任务 2-2-2：责任分工中“县农业局督导”未能识别'],
      [39, '“县市场监管局”视为“县市场监督管理局”的别称'],
      [47, '没有责任分工的文字，未归入任何任务：“加强宣传引导,营造全社会共同参与的良好氛围。”'],
      [51, '本章没有责任分工，此段未归入任何任务：“各乡镇、各部门要按照本方案要求,结合实际制定具体…”'],
    ]);
  });
});

describe('a city plan: [] clauses, label clauses, 各区（市）政府负责落实, CRLF, Chinese-numeral date', () => {
  const regions = ['市中区', '薛城区', '峄城区', '台儿庄区', '山亭区', '滕州市'];
  const b = importPlan(fixture('city-soil-squarebrackets.txt'), { id: 'zaozhuang-soil', regions });
  const task = (id: string) => b.tasks.find((t) => t.id === id)!;

  it('reads the header', () => {
    expect(b.plan).toEqual({
      id: 'zaozhuang-soil',
      title: '枣庄市土壤污染防治工作方案',
      issuer: '枣庄市人民政府',
      issuedOn: '2017-02-10',
      regions,
    });
    expect(b.warnings.filter((w) => w.line === 3).map((w) => w.message)).toEqual([
      expect.stringMatching(/^文头主送的 枣庄高新区 不在镇街名单中/),
    ]);
  });

  it('gives each clause its roles; 负责落实 by the districts fans the task out', () => {
    expect(b.tasks.map((t) => [t.id, t.lead, t.cooperating, t.regions.length])).toEqual([
      ['2-1-1', ['市环保局'], ['市国土资源局', '市农业局', '市财政局'], 0],
      ['2-1-2', ['市环保局', '各区（市）人民政府'], ['市国土资源局', '市农业局'], 6],
      ['2-2-1', ['各区（市）人民政府'], [], 6],
      ['2-2-2', ['市农业局', '各区（市）人民政府'], ['市国土资源局'], 6],
      ['2-3-1', ['市国土资源局', '市规划局', '市环保局'], [], 0],
    ]);
    const spec = toTaskSpecs(b).find((s) => s.id === '2-2-2' && s.region === '滕州市')!;
    expect(spec).toMatchObject({ lead: ['市农业局', '滕州市'], restriction: { sector: '涉重金属行业' } });
  });

  it('reads quarter deadlines, half-yearly and yearly duties from a year on', () => {
    expect(task('2-1-2')).toMatchObject({
      due: '2017-09-30',
      deadlines: [{ date: '2017-09-30', kind: 'by', text: '2017年第三季度前' }],
      recurrence: { every: 'half-year', from: null, text: '每半年', assumed: false },
    });
    expect(task('2-3-1')).toMatchObject({
      due: '2020-12-31',
      dueRule: 'plan-end',
      recurrence: { every: 'year', from: '2017-01-01', text: '自2017年起，每年', assumed: false },
    });
  });

  it('reads the targets chapter as the indicator table', () => {
    expect(
      b.indicators.map((i) => [i.name, i.targets.map((t) => `${t.year} ${t.op}${t.value}${t.unit}`)]),
    ).toEqual([
      ['全市受污染耕地安全利用率', ['2020 =90%', '2030 >=95%']],
      ['污染地块安全利用率', ['2020 >=90%', '2030 >=95%']],
    ]);
  });

  it('reports the paragraph without a clause and the chapter without any', () => {
    expect(b.warnings.filter((w) => w.line && w.line > 3).map((w) => w.line)).toEqual([22, 24]);
  });
});

describe('a district plan whose clauses stand at the end of its headings', () => {
  const b = importPlan(fixture('district-heading-clauses.txt'), {
    id: 'river-chief',
    regions: ['甲镇', '乙街道'],
  });

  it('gives the heading’s clause to the text under it, or to the heading alone when nothing is under it', () => {
    expect(b.tasks.map((t) => [t.id, t.title, t.lead, t.cooperating, t.source])).toEqual([
      [
        '2-1-1',
        '落实最严格水资源管理制度：严格用水总量控制',
        ['区水务局'],
        ['区发改局', '区住建局'],
        { line: 11, clauseLine: 9 },
      ],
      ['2-1-2', '加强水功能区管理', ['区水务局'], ['区发改局', '区住建局'], { line: 13, clauseLine: 9 }],
      ['2-2-1', '加强河湖水域岸线管理保护', ['区水务局', '区国土资源局'], [], { line: 17, clauseLine: 15 }],
      ['2-3-1', '推进河湖垃圾清理', ['各镇街'], ['区城管局'], { line: 19, clauseLine: 19 }],
      ['2-4-1', '建立河长制工作考核', ['区委组织部'], ['区水务局'], { line: 21, clauseLine: 21 }],
      ['3-1', '保障措施：加强组织领导', ['区水务局'], [], { line: 25, clauseLine: 25 }],
    ]);
    expect(b.tasks.find((t) => t.id === '2-4-1')!.section).toBe('二、主要任务 / （四）建立河长制工作考核');
    expect(b.tasks.filter((t) => t.regions.length > 0).map((t) => t.id)).toEqual(['2-3-1', '3-1']);
    expect(b.warnings.filter((w) => w.line !== null)).toEqual([]);
  });

  it('reads a target year given as 年底, and a goal in words as an indicator', () => {
    expect(b.indicators).toEqual([
      {
        name: '全面建立区、镇（街道）、村三级河长体系',
        targets: [
          { year: 2018, op: null, value: null, unit: null, text: '全面建立区、镇（街道）、村三级河长体系' },
        ],
      },
      {
        name: '河湖水质优良比例',
        targets: [{ year: 2018, op: '>=', value: 80, unit: '%', text: '河湖水质优良比例达到80%以上' }],
      },
    ]);
  });
});
