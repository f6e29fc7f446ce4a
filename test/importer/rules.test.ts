import { findClauses, parseClause } from '../../importer/clause';
import { findDeadlines, findRecurrence } from '../../importer/deadlines';
import { departmentKey, isRegionCollective, regionName } from '../../importer/departments';
import { parseHeading } from '../../importer/outline';
import { findRestrictions, fanOutSubject } from '../../importer/scope';
import { findTargets } from '../../importer/targets';
import { titleOf } from '../../importer/titles';

describe('responsibility clauses', () => {
  it.each([
    ['区环保局牵头，区发改局、区经信局等配合', ['区环保局'], ['区发改局', '区经信局']],
    ['区农业局、区水务局牵头，区发改局等配合', ['区农业局', '区水务局'], ['区发改局']],
    ['区环保局、区水务局、区发改局牵头', ['区环保局', '区水务局', '区发改局'], []],
    ['区经信局牵头，区发改局、区科技局等参与', ['区经信局'], ['区发改局', '区科技局']],
    ['县环保局负责,县发改局配合', ['县环保局'], ['县发改局']],
    ['市住建局具体落实', ['市住建局'], []],
    ['各乡镇依责落实', ['各乡镇'], []],
    ['市环保局牵头，市经信委等参与，各区（市）政府负责落实', ['市环保局', '各区（市）政府'], ['市经信委']],
    ['牵头单位：市环保局；配合单位：市国土资源局、市农业局', ['市环保局'], ['市国土资源局', '市农业局']],
    ['责任单位:县环保局、县公安局', ['县环保局', '县公安局'], []],
    ['由区住建局负责，区城管局协助', ['区住建局'], ['区城管局']],
    ['区环保局牵头负责，区监察局配合落实', ['区环保局'], ['区监察局']],
    ['责任单位：区环保局，区发改局', ['区环保局', '区发改局'], []],
    ['区环保局，区水务局牵头，区发改局，区经信局配合', ['区环保局', '区水务局'], ['区发改局', '区经信局']],
    ['牵头单位：市环保局 配合单位：市发改委', ['市环保局'], ['市发改委']],
    ['区环保局和区水务局牵头', ['区环保局', '区水务局'], []],
    ['区环保局牵头，区发改局等部门配合', ['区环保局'], ['区发改局']],
  ])('%s', (content, lead, cooperating) => {
    expect(parseClause(content)).toEqual({ lead, cooperating, unparsed: [] });
  });

  it.each(['达到或优于Ⅲ类', '小区', '改、扩', '2017年底前完成', '各镇街要落实', '含 PM2.5'])(
    'is not fooled by an ordinary parenthesis: (%s)',
    (content) => expect(parseClause(content)).toBeUndefined(),
  );

  it('keeps what it does not understand, for a warning', () => {
    expect(parseClause('各乡镇依责落实，县农业局督导')).toEqual({
      lead: ['各乡镇'],
      cooperating: [],
      unparsed: ['县农业局督导'],
    });
  });

  it('finds clauses in any brackets, nested brackets inside, and a bare clause line', () => {
    const text =
      '甲。（区环保局牵头）乙。【县环保局负责】丙[市环保局牵头，各县（市、区）政府负责落实]丁(小区)';
    expect(findClauses(text).map((c) => [text.slice(c.start, c.end), c.lead])).toEqual([
      ['（区环保局牵头）', ['区环保局']],
      ['【县环保局负责】', ['县环保局']],
      ['[市环保局牵头，各县（市、区）政府负责落实]', ['市环保局', '各县（市、区）政府']],
    ]);
    expect(findClauses('牵头单位:县城管局;配合单位:县公安局')[0]).toMatchObject({
      lead: ['县城管局'],
      cooperating: ['县公安局'],
    });
    expect(findClauses('区环保局负责审批。')).toEqual([]);
    const inline = '城区全面禁止露天烧烤。责任单位：县城管局、县公安局。';
    expect(findClauses(inline).map((c) => [inline.slice(c.start, c.end), c.lead])).toEqual([
      ['责任单位：县城管局、县公安局。', ['县城管局', '县公安局']],
    ]);
  });
});

describe('departments and regions', () => {
  it('gives two spellings of one office one key', () => {
    expect(departmentKey('区规划局')).toBe(departmentKey('区规划分局'));
    expect(departmentKey('区环境保护局')).toBe(departmentKey('区环保局'));
    expect(departmentKey('县住房和城乡建设局')).toBe(departmentKey('县住建局'));
    expect(departmentKey('市发改委')).toBe(departmentKey('市发改局'));
    expect(departmentKey('区委组织部')).not.toBe(departmentKey('区组织部'));
    expect(departmentKey('区水务局')).not.toBe(departmentKey('区林业局'));
  });

  it('names regions without their government’s suffix, and knows collectives', () => {
    expect(
      [
        '运河街道办事处',
        '泥沟镇人民政府',
        '枣庄高新区管委会',
        '经济开发区',
        '区政府各部门',
        '街道办事处',
      ].map(regionName),
    ).toEqual(['运河街道', '泥沟镇', '枣庄高新区', '经济开发区', undefined, undefined]);
    expect(
      ['各镇街', '各镇人民政府', '各区(市)政府', '各县（市、区）人民政府', '各乡镇（街道）'].every(
        isRegionCollective,
      ),
    ).toBe(true);
    expect(['各部门', '各大企业', '有关部门', '各类工业集聚区'].some(isRegionCollective)).toBe(false);
  });
});

describe('deadlines', () => {
  const one = (s: string) => findDeadlines(s).map((d) => `${d.kind} ${d.date} ${d.text}`);
  it.each([
    ['2016年底全部取缔', 'by 2016-12-31 2016年底'],
    ['2017年底前完成', 'by 2017-12-31 2017年底前'],
    ['2017 年底前，区污水处理', 'by 2017-12-31 2017 年底前'],
    ['2017年6月底前完成', 'by 2017-06-30 2017年6月底前'],
    ['2018年2月底前', 'by 2018-02-28 2018年2月底前'],
    ['2020年2月底前', 'by 2020-02-29 2020年2月底前'],
    ['2018年6月30日前完成', 'by 2018-06-30 2018年6月30日前'],
    ['2018年3月前完成', 'by 2018-02-28 2018年3月前'],
    ['2018年上半年完成', 'by 2018-06-30 2018年上半年'],
    ['2017年第三季度前完成', 'by 2017-09-30 2017年第三季度前'],
    ['到2020年，达到', 'target 2020-12-31 到2020年'],
    ['到 2020 年底，全部', 'by 2020-12-31 到 2020 年底'],
    ['2030年达到', 'target 2030-12-31 2030年'],
    ['2016年编制完成', 'target 2016-12-31 2016年'],
    ['自2018年起，每季度', 'from 2018-01-01 自2018年起'],
    ['从2017年7月起', 'from 2017-07-01 从2017年7月起'],
  ])('%s', (text, expected) => expect(one(text)).toEqual([expected]));

  it('finds several in one text, and no year in numbers that are not years', () => {
    expect(one('2017年全区漏损率控制在12%以内，2020年控制在10%以内').map((d) => d.split(' ')[1])).toEqual([
      '2017-12-31',
      '2020-12-31',
    ]);
    expect(one('对使用超过50年的管网，2万平方米以上，鲁政发〔2015〕31号')).toEqual([]);
  });

  it('reads recurring duties, from the start year in the same sentence', () => {
    const rec = (s: string) => findRecurrence(s, findDeadlines(s));
    expect(rec('自2016年起，每年对重点风险源开展评估。')).toEqual({
      every: 'year',
      from: '2016-01-01',
      text: '自2016年起，每年',
      assumed: false,
    });
    expect(rec('每半年开展一次监测。')).toMatchObject({ every: 'half-year', from: null });
    expect(rec('每月报送进展。')).toMatchObject({ every: 'month' });
    expect(rec('定期开展监测。')).toEqual({ every: 'year', from: null, text: '定期', assumed: true });
    expect(rec('自2016年起实施。另，定期公布。')).toMatchObject({ from: null, assumed: true });
    expect(rec('分年度制定淘汰方案。')).toBeNull();
  });
});

describe('targets', () => {
  const t = (s: string) => findTargets(s).map((x) => [x.name, x.op, x.value, x.unit, x.year]);
  it.each([
    ['污水处理率达到 95%以上', [['污水处理率', '>=', 95, '%', null]]],
    ['2020年底前，黑臭水体控制在10%以内', [['黑臭水体', '<=', 10, '%', 2020]]],
    ['比例总体高于 90%', [['比例', '>', 90, '%', null]]],
    ['化肥利用率提高 10 个百分点以上', [['化肥利用率', '+>=', 10, '个百分点', null]]],
    ['排放量削减 15%', [['排放量', '->=', 15, '%', null]]],
    ['利用率达到90%左右', [['利用率', '=', 90, '%', null]]],
    ['PM2.5浓度控制在45微克/立方米以内', [['PM2.5浓度', '<=', 45, '微克/立方米', null]]],
    [
      '到 2020 年，粪便和污水处理利用率分别达到 90%和 60%以上',
      [
        ['粪便和污水处理利用率', '>=', 90, '%', 2020],
        ['粪便和污水处理利用率', '>=', 60, '%', 2020],
      ],
    ],
  ])('%s', (text, expected) => expect(t(text)).toEqual(expected));

  it('is not fooled by a verb that is not followed by a number', () => {
    expect(t('水质达到或优于Ⅲ类，退减水量分别达到国家要求，超过2万平方米的建筑')).toEqual([]);
  });
});

describe('fan-out and restriction scope', () => {
  it('fans out where the regions are the subject, not the object', () => {
    expect(fanOutSubject('依法淘汰落后产能。各镇街制定分年度落后产能淘汰方案')).toBe('各镇街');
    expect(fanOutSubject('全面推行网格化，各镇街自2016年起将监管责任落实到单位')).toBe('各镇街');
    expect(fanOutSubject('各区（市）要于2018年底前完成')).toBe('各区（市）');
    expect(fanOutSubject('区政府与各镇政府、街道办事处签订目标责任书')).toBeUndefined();
    expect(fanOutSubject('各类工业集聚区要全面实现污水集中处理')).toBeUndefined();
    expect(fanOutSubject('指导各县区开展工作')).toBeUndefined();
  });

  it('takes the sector of a 限批 that is the consequence of failing, and marks the others', () => {
    expect(findRestrictions('对未完成淘汰任务的镇街，实施相关行业新建项目“限批”。')).toEqual([
      expect.objectContaining({ consequence: true, sector: '相关行业' }),
    ]);
    expect(findRestrictions('对逾期未完成的，实施涉水新建项目"限批"。')[0]).toMatchObject({
      consequence: true,
      sector: '涉水',
      text: '对逾期未完成的，实施涉水新建项目"限批"',
    });
    expect(findRestrictions('采取专项检查、挂牌督办、定期通报、限批、约谈等综合措施。')[0]).toMatchObject({
      consequence: false,
    });
  });
});

describe('outline and titles', () => {
  it.each([
    ['一、总体思路和目标', 1, 1, '总体思路和目标', ''],
    ['(二)工作目标', 2, 2, '工作目标', ''],
    ['（十二）加强监管', 2, 12, '加强监管', ''],
    ['1.总体目标。到 2020 年，小季河基本恢复', 3, 1, '总体目标', '到 2020 年，小季河基本恢复'],
    ['3．严格用水管理。实施最严格水资源管理制度。', 3, 3, '严格用水管理', '实施最严格水资源管理制度。'],
    ['（2）加强宣传', 4, 2, '加强宣传', ''],
    ['第二部分 主要任务', 0, 2, '主要任务', ''],
  ])('%s', (line, rank, number, title, rest) => {
    expect(parseHeading(line)).toMatchObject({ rank, number, title, rest });
  });

  it.each(['2017年底前完成', '10.5万吨', '二〇一六年十一月二十二日', '各镇人民政府：'])(
    '%s is not a heading',
    (line) => expect(parseHeading(line)).toBeUndefined(),
  );

  it.each([
    ['依法淘汰落后产能。各镇街制定…', undefined, '依法淘汰落后产能'],
    [
      '严格环境准入，根据水质目标和主体功能区要求，制定实施差别化区域环境准入政策。',
      '加强工业污染防治',
      '加强工业污染防治：严格环境准入',
    ],
    ['2017 年底前，依法关闭或搬迁禁养区内的畜禽养殖场。', undefined, '依法关闭或搬迁禁养区内的畜禽养殖场'],
    ['2018年底前完成全县燃煤小锅炉淘汰任务。', '淘汰落后产能', '淘汰落后产能'],
    [
      '全面排查装备水平低、环保设施差的小型工业企业，2016年底全部取缔不符合产业政策的小型造纸项目。',
      undefined,
      '全面排查装备水平低、环保设施差的小型工业企业',
    ],
  ])('title of %s', (text, heading, title) => expect(titleOf(text, heading)).toBe(title));
});
