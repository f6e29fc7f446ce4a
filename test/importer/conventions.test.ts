/**
 * Each convention of importer/conventions.ts on its own, with the spellings of the documents from above
 * (State Council and ministry 意见, provincial and city plans) that the importer used to miss.
 */
import { importPlan, reviewItems } from '../../importer';
import { parseClause, parseClauseDetail } from '../../importer/clause';
import { CONVENTIONS } from '../../importer/conventions';
import { isRegionCollective } from '../../importer/departments';
import { planYear } from '../../importer/plan-year';

describe('the table of conventions', () => {
  it('names each rule in Chinese and English, with an example', () => {
    for (const c of CONVENTIONS) {
      expect(c.name).toMatch(/^[^/]*[\u4e00-\u9fa5][^/]* \/ .*[A-Za-z]/);
      expect(c.example).not.toBe('');
    }
    expect(new Set(CONVENTIONS.map((c) => c.id)).size).toBe(CONVENTIONS.length);
  });
});

describe('clause conventions', () => {
  it.each([
    // trailing-deng, generic units of the level below
    [
      '工业和信息化部、生态环境部等和各省级人民政府负责',
      ['工业和信息化部', '生态环境部', '各省级人民政府'],
      [],
    ],
    ['发展改革委、财政部等和各有关省级人民政府负责', ['发展改革委', '财政部', '各有关省级人民政府'], []],
    // shared-level
    [
      '市生态环境局牵头,市发展和改革局、工业和信息化局、自然资源局参与',
      ['市生态环境局'],
      ['市发展和改革局', '市工业和信息化局', '市自然资源局'],
    ],
    ['市生态环境局、市场监管局牵头', ['市生态环境局', '市市场监管局'], []],
    ['市人社局牵头，市工商局、市金融办、团市委配合', ['市人社局'], ['市工商局', '市金融办', '团市委']],
    // collective-with-comma
    ['各县、区人民政府(管委会)负责落实', ['各县、区人民政府（管委会）'], []],
    ['牵头单位：市农业局，配合单位：市科协，各有关区、县级市', ['市农业局'], ['市科协', '各有关区、县级市']],
    // 指导, 由X负责, X牵头，Y参与, 总牵头, 牵头督导
    ['省卫生健康委指导，各市州人民政府负责', ['各市州人民政府'], ['省卫生健康委']],
    ['省教育厅指导', ['省教育厅'], []],
    ['由市发展改革委负责', ['市发展改革委'], []],
    ['市商务局牵头，市财政局、市税务局参与', ['市商务局'], ['市财政局', '市税务局']],
    ['省发改委总牵头', ['省发改委'], []],
    ['市生态环境局、发展和改革局牵头督导，市公安局参与', ['市生态环境局', '市发展和改革局'], ['市公安局']],
    // labels: 责任单位 under a 牵头单位 are its partners; a role verb after a label's names
    ['牵头单位:市财政局;责任单位:市审计局、市国资委', ['市财政局'], ['市审计局', '市国资委']],
    ['责任单位:省发展改革委、商务厅按职责分工负责', ['省发展改革委', '省商务厅'], []],
    ['负责部门：市发展改革委、市财政局', ['市发展改革委', '市财政局'], []],
    ['负责部门：市发展改革委；适用范围：全市各类企业', ['市发展改革委'], []],
    ['负责部门：市商务局 适用范围：限额以上企业', ['市商务局'], []],
  ])('%s', (content, lead, cooperating) => {
    expect(parseClause(content)).toEqual({ lead, cooperating, unparsed: [] });
  });

  it('keeps a time limit in the clause as timing, not as a leftover', () => {
    expect(parseClauseDetail('国务院各部门分别负责,年内持续推进')).toMatchObject({
      lead: ['国务院各部门'],
      unparsed: [],
      timing: ['年内持续推进'],
    });
    expect(parseClauseDetail('财政部、税务总局按职责分工负责，12月底前完成')?.timing).toEqual([
      '12月底前完成',
    ]);
  });

  it('takes a list of names as a clause only where the document says the first leads', () => {
    expect(parseClause('省环保厅、省经信委')).toBeUndefined();
    expect(parseClauseDetail('省环保厅、省经信委', { namesOnly: true })).toMatchObject({
      lead: ['省环保厅', '省经信委'],
      explicitLead: false,
    });
    expect(parseClause('省经信委、省发改委(省能源局)。列第一位者为牵头部门,下同')).toEqual({
      lead: ['省经信委', '省发改委（省能源局）'],
      cooperating: [],
      unparsed: [],
    });
  });

  it.each([
    '各省级人民政府',
    '各有关省级人民政府',
    '地方各级人民政府',
    '相关市(州)人民政府',
    '各县、区人民政府（管委会）',
    '各县区人民政府',
    '园区管委会',
  ])('%s is a collective of the regions below', (n) => expect(isRegionCollective(n)).toBe(true));

  it.each(['省人民政府', '市财政局', '市场监管局'])('%s is not', (n) =>
    expect(isRegionCollective(n)).toBe(false),
  );
});

const plan = (body: string, head = '某市2019年重点工作方案') => `${head}\n一、主要任务\n${body}\n`;
const roles = (text: string, opts = {}) =>
  importPlan(text, { id: 't', today: '2030-06-01', ...opts }).tasks.map((t) => [t.lead, t.cooperating]);

describe('document-wide rules, read once', () => {
  it('列第一位者为牵头单位: the first unit listed leads every later clause that marks none', () => {
    const text = plan(
      [
        '1.甲工作。（市经信委、市发改委。列第一位者为牵头单位，下同）',
        '2.乙工作。（市环保局、市住建局、市城管局）',
        '3.丙工作。（市水务局牵头，市农业局配合）',
        '4.丁工作。（市交通局、市公安局负责）',
      ].join('\n'),
    );
    expect(roles(text)).toEqual([
      [['市经信委'], ['市发改委']],
      [['市环保局'], ['市住建局', '市城管局']],
      [['市水务局'], ['市农业局']],
      [['市交通局'], ['市公安局']],
    ]);
  });

  it('以下均需…落实，不再列出: the standing units join every clause from there on, fanned out with regions', () => {
    const text = plan(
      [
        '1.甲工作。（市环保局牵头，各县（市、区）政府负责落实。以下均需各县（市、区）政府落实，不再列出）',
        '2.乙工作。（市住建局牵头，市城管局参与）',
      ].join('\n'),
    );
    const b = importPlan(text, { id: 't', regions: ['甲县', '乙区'] });
    expect(b.tasks.map((t) => [t.lead, t.cooperating, t.regions])).toEqual([
      [['市环保局', '各县（市、区）政府'], [], ['甲县', '乙区']],
      [['市住建局', '各县（市、区）政府'], ['市城管局'], ['甲县', '乙区']],
    ]);
    // Without a region list, the fan-out is flagged for review.
    const flagged = importPlan(text, { id: 't' }).warnings.filter((w) => /没有镇街名单/.test(w.message));
    expect(flagged).toHaveLength(2);
  });
});

describe('nothing dropped silently', () => {
  it('a bracket that speaks of roles but is not read becomes a warning with its line', () => {
    const text = plan('1.甲工作。（市环保局牵头）另做乙工作（由各地根据情况负责安排，报市里）。');
    const b = importPlan(text, { id: 't' });
    expect(b.warnings.some((w) => w.line === 3 && /未能识别/.test(w.message))).toBe(true);
  });

  it('a heading clause that the items under it supersede is reported', () => {
    const text = '某省分工方案\n一、调整能源结构（省发改委总牵头）\n1.甲工作。（省经信委牵头）\n';
    const b = importPlan(text, { id: 't' });
    expect(b.tasks.map((t) => t.lead)).toEqual([['省经信委']]);
    expect(b.warnings.some((w) => w.line === 2 && /未用于任务/.test(w.message))).toBe(true);
  });
});

describe("a one-year plan's year", () => {
  it.each([
    ['某市打赢蓝天保卫战2018年行动计划', '', 2018],
    ['某市重点工作方案', '确保完成2018年度各项目标任务。', 2018],
    ['某省实施方案(2018-2020年)', '', undefined],
    ['某市“十四五”规划', '', undefined],
  ])('%s %s', (title, text, year) => {
    expect(planYear({ title }, '', text)?.year).toBe(year);
  });

  it('from the number and 今年', () => {
    expect(
      planYear(
        { title: '国务院关于落实《政府工作报告》重点工作部门分工的意见' },
        '国发〔2020〕6号\n做好今年政府工作',
        '',
      )?.year,
    ).toBe(2020);
  });

  it('undated tasks are due at the end of that year, not of the latest year named', () => {
    const text = plan(
      '1.甲工作。（市环保局牵头）\n2.乙工作，2020年底前完成。（市住建局牵头）',
      '某市2018年行动计划',
    );
    const b = importPlan(text, { id: 't', today: '2030-01-01' });
    expect(b.tasks.map((t) => [t.due, t.dueRule])).toEqual([
      ['2018-12-31', 'plan-end'],
      ['2020-12-31', 'deadline'],
    ]);
  });

  it('a time limit in the clause is a deadline in that year', () => {
    const text = plan('1.甲工作。（财政部、税务总局按职责分工负责，6月底前完成）', '2019年重点工作分工方案');
    expect(importPlan(text, { id: 't' }).tasks[0]).toMatchObject({ due: '2019-06-30', dueRule: 'deadline' });
  });
});

describe('what plan check lists for review', () => {
  it('every note with its line, and each generic or vague unit', () => {
    const text = plan('1.甲工作。（市环保局牵头，各县区人民政府负责落实，市级相关部门配合）');
    const b = importPlan(text, { id: 't' });
    const items = reviewItems(b);
    expect(items.filter((x) => x.path.startsWith('warnings')).length).toBe(b.warnings.length);
    expect(items.filter((x) => x.path.startsWith('tasks')).map((x) => [x.path, x.line])).toEqual([
      ['tasks[0].lead[1]', 3],
      ['tasks[0].cooperating[0]', 3],
    ]);
  });
});
