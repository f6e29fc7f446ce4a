import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { taskWorkflowId } from '../../domain/task-spec';
import { checkBreakdown, importPlan, parseBreakdownText, toTaskSpecs, type Breakdown } from '../../importer';
import {
  DEADLINES,
  EXPECTED,
  FANNED_OUT,
  PLAN_FILE,
  PLAN_SHA256,
  RECURRENCES,
  REGIONS,
} from './taierzhuang-table';

const ROOT = path.join(__dirname, '..', '..');
const text = fs.readFileSync(path.join(ROOT, PLAN_FILE), 'utf8');
const withRegions = importPlan(text, { id: 'taierzhuang-2016-water', regions: REGIONS });
const fromHeader = importPlan(text, { id: 'taierzhuang-2016-water' });
const task = (b: Breakdown, id: string) => b.tasks.find((t) => t.id === id)!;

describe('the Taierzhuang plan', () => {
  it('has exactly the 64 responsibility clauses of the text', () => {
    const clauses = text.replace(/\n/g, '').match(/[(（][^()（）]*?(牵头|负责)[^()（）]*?[)）]/g) ?? [];
    expect(clauses).toHaveLength(64);
    expect(withRegions.tasks).toHaveLength(64);
  });

  it('gives each task exactly the lead and cooperating departments of its clause, in order', () => {
    const got = withRegions.tasks.map((t) => ({
      id: t.id,
      line: t.source?.line,
      lead: t.lead,
      cooperating: t.cooperating,
    }));
    expect(got).toEqual(EXPECTED);
  });

  it('lists every department once, with the plan’s other spelling as an alias', () => {
    const names = withRegions.departments.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(29);
    expect(withRegions.departments.find((d) => d.name === '区规划分局')).toEqual({
      name: '区规划分局',
      aliases: ['区规划局'],
    });
    const used = new Set(withRegions.tasks.flatMap((t) => [...t.lead, ...t.cooperating]));
    expect([...used].sort()).toEqual([...names].sort());
  });

  it('reads the header: title, issuer, date and addressees', () => {
    expect(fromHeader.plan).toEqual({
      id: 'taierzhuang-2016-water',
      title: '台儿庄区水污染防治工作方案',
      issuer: '台儿庄区人民政府',
      issuedOn: '2016-11-22',
      regions: ['运河街道', '经济开发区'],
    });
    const at5 = fromHeader.warnings.filter((w) => w.line === 5).map((w) => w.message);
    expect(at5[0]).toMatch(/^镇街名单取自文头主送单位：运河街道、经济开发区/);
    expect(at5[1]).toMatch(/^文头的“各镇人民政府”没有列出具体名称.*--regions/);
  });

  it('finds every dated phrase with its kind, date and words', () => {
    for (const t of withRegions.tasks) {
      const got = t.deadlines.map((d) => `${d.kind} ${d.date} ${d.text}`);
      expect({ id: t.id, deadlines: got }).toEqual({ id: t.id, deadlines: DEADLINES[t.id] ?? [] });
    }
  });

  it('finds the recurring duties', () => {
    for (const t of withRegions.tasks) {
      const r = t.recurrence;
      const got = r && `${r.every} ${r.from ?? '-'} ${r.text}${r.assumed ? ' assumed' : ''}`;
      expect({ id: t.id, recurrence: got }).toEqual({ id: t.id, recurrence: RECURRENCES[t.id] ?? null });
    }
  });

  it('sets due dates by the documented rule and says which tasks had none', () => {
    expect(task(withRegions, '2-1-3')).toMatchObject({ due: '2016-12-31', dueRule: 'deadline' });
    expect(task(withRegions, '2-1-10')).toMatchObject({ due: '2020-12-31', dueRule: 'last-deadline' });
    expect(task(withRegions, '2-3-6')).toMatchObject({ due: '2018-06-30', dueRule: 'last-deadline' });
    expect(task(withRegions, '2-2-4')).toMatchObject({ due: '2020-12-31', dueRule: 'last-deadline' });
    // undated, recurring and `自…起` only: the end of 2020, the latest year any deadline names
    for (const id of ['2-1-1', '3-1-2', '2-2-8', '3-1-5'])
      expect(task(withRegions, id)).toMatchObject({ due: '2020-12-31', dueRule: 'plan-end' });
    const undated = withRegions.tasks.filter((t) => t.dueRule === 'plan-end').map((t) => t.id);
    expect(undated).toHaveLength(38);
    const note = withRegions.warnings.find((w) => w.message.includes('没有完成期限'))!;
    expect(note.line).toBeNull();
    expect(note.message).toContain(`38 项任务原文没有完成期限`);
    expect(note.message).toContain(undated.join('、'));
  });

  it('extracts quantitative targets from the task text', () => {
    expect(task(withRegions, '2-1-8').targets).toEqual([
      {
        name: '污水处理率',
        op: '>=',
        value: 95,
        unit: '%',
        year: 2017,
        text: '污水处理率达到 95%以上',
      },
    ]);
    expect(task(withRegions, '2-1-7').targets).toEqual([
      expect.objectContaining({ name: '城市建成区黑臭水体', op: '<=', value: 10, unit: '%', year: 2020 }),
    ]);
    expect(task(withRegions, '2-1-13').targets.map((t) => [t.op, t.value, t.unit, t.year])).toEqual([
      ['>=', 90, '%', 2020],
      ['>=', 60, '%', 2020],
    ]);
    expect(task(withRegions, '2-1-15').targets.map((t) => [t.name, t.op, t.value, t.unit])).toEqual([
      ['测土配方施肥技术推广覆盖率', '>=', 90, '%'],
      ['化肥利用率', '+>=', 10, '个百分点'],
      ['农药利用率', '>=', 40, '%'],
      ['农作物病虫害绿色防控覆盖率', '>=', 30, '%'],
    ]);
    expect(task(withRegions, '2-2-4').targets.map((t) => [t.name, t.op, t.value, t.year])).toEqual([
      ['全区供水管网漏损率', '<=', 12, 2017],
      ['全区供水管网漏损率', '<=', 10, 2020],
      ['新建城区硬化地面可渗透面积', '>=', 40, null],
    ]);
  });

  it('reads the indicator table of 一(二) completely', () => {
    const row = (ind: Breakdown['indicators'][number]) =>
      ind.targets.map((t) => (t.op ? `${t.year} ${t.op}${t.value}${t.unit}` : `${t.year} ${t.text}`));
    expect(withRegions.indicators.map((i) => [i.name, row(i)])).toEqual([
      ['小季河水质', [2017, 2018, 2019, 2020].map((y) => `${y} 小季河水质基本达到水环境功能区划要求`)],
      [
        '韩庄运河台儿庄段、小季河水质优良(达到或优于Ⅲ类)比例',
        ['2017 >=50%', '2018 >=53%', '2019 >=57%', '2020 >=60%', '2030 >=65%'],
      ],
      [
        '城区建成区黑臭水体',
        ['2017 <=40%', '2018 <=30%', '2019 <=20%', '2020 <=10%', '2030 城区建成区黑臭水体总体基本消除'],
      ],
      [
        '城区集中式饮用水水源水质达到或优于Ⅲ类比例',
        ['2017 >90%', '2018 >95%', '2019 >95%', '2020 >98%', '2030 >=100%'],
      ],
      [
        '地下水质量考核点位水质级别',
        [2017, 2018, 2019, 2020].map((y) => `${y} 地下水质量考核点位水质级别稳中趋好`),
      ],
    ]);
    const water = withRegions.indicators[3].targets.find((t) => t.year === 2030)!;
    expect(water.text).toBe('除地质原因外，城区集中式饮用水水源水质优于Ⅲ类比例达到 100%');
  });

  it('fans out the tasks whose text gives them to 各镇街, one workflow per region', () => {
    expect(withRegions.tasks.filter((t) => t.regions.length > 0).map((t) => t.id)).toEqual(FANNED_OUT);
    expect(task(withRegions, '2-1-2').regions).toEqual(REGIONS);
    const specs = toTaskSpecs(withRegions);
    expect(specs).toHaveLength(61 + 3 * 7);
    const byRegion = specs.filter((s) => s.id === '2-1-2');
    expect(byRegion.map((s) => taskWorkflowId({ plan: s.plan, id: s.id, region: s.region }))).toEqual(
      REGIONS.map((r) => `task/taierzhuang-2016-water/2-1-2/${r}`),
    );
    // The region does the work and submits; the plan's lead department co-signs.
    expect(byRegion[0]).toMatchObject({
      region: '泥沟镇',
      lead: ['泥沟镇', '区经信局'],
      cooperating: ['区发改局', '区环保局'],
      restriction: { sector: '相关行业' },
    });
    expect(specs.find((s) => s.id === '2-1-1')).toEqual({
      plan: 'taierzhuang-2016-water',
      id: '2-1-1',
      title: '加强工业污染防治：严格环境准入',
      text: expect.stringMatching(/^严格环境准入，根据水质目标.*减量置换。$/),
      due: '2020-12-31',
      lead: ['区环保局'],
      cooperating: ['区发改局', '区经信局'],
    });
  });

  it('gives the restriction scope where 限批 is the consequence of failing the task, and only there', () => {
    const scoped = withRegions.tasks.filter((t) => t.restriction).map((t) => [t.id, t.restriction]);
    expect(scoped).toEqual([
      ['2-1-2', { sector: '相关行业', text: '对未完成淘汰任务的镇街，实施相关行业新建项目“限批”' }],
      ['2-1-5', { sector: '涉水', text: '对逾期未完成的，实施涉水新建项目“限批”' }],
    ]);
    const at = (line: number) => withRegions.warnings.filter((w) => w.line === line).map((w) => w.message);
    expect(at(47)).toEqual([expect.stringMatching(/^任务 2-1-2：限批行业“相关行业”不具体/)]);
    expect(at(53)).toEqual([
      expect.stringMatching(/^任务 2-1-5：有限批后果但不分解到镇街.*restriction\.region/),
    ]);
    expect(at(127)).toEqual([expect.stringMatching(/^任务 3-1-4：提到“限批”，但不是本任务未完成的后果/)]);
    expect(at(177)).toEqual([expect.stringMatching(/^任务 3-4-5：提到“限批”/)]);
  });

  it('joins text cut by page breaks, including a clause split across one', () => {
    expect(task(withRegions, '2-1-13').text).toContain('配套建设粪便雨污分流');
    expect(task(withRegions, '3-1-6')).toMatchObject({
      lead: ['区环保局'],
      source: { line: 131, clauseLine: 131 },
    });
    expect(task(withRegions, '3-5-1').text).toMatch(/绿色低碳、文明健康的生活方式和消费模式/);
  });

  it('leaves no paragraph out silently: the only notes are the documented ones', () => {
    expect(withRegions.warnings.map((w) => w.line)).toEqual([null, null, null, 47, 53, 107, 127, 159, 177]);
    const joined = withRegions.warnings.find((w) => w.line === 159)!;
    expect(joined.message).toMatch(/^任务 3-3-2：第 159–161 行的几段只有最后一段有责任分工/);
    expect(task(withRegions, '3-3-2').text).toMatch(/^规范环保产业市场.*技术标准。\n推进先进适用的/);
  });

  it('is a valid breakdown that runs as TaskSpecs', () => {
    expect(checkBreakdown(JSON.parse(JSON.stringify(withRegions))).issues).toEqual([]);
  });
});

describe('the shipped breakdown plans/taierzhuang-2016-water.yaml', () => {
  const shipped = parseBreakdownText(
    fs.readFileSync(path.join(ROOT, 'plans/taierzhuang-2016-water.yaml'), 'utf8'),
  );
  const { breakdown, issues } = checkBreakdown(shipped);

  it('passes the check and starts 82 workflows', () => {
    expect(issues).toEqual([]);
    expect(toTaskSpecs(breakdown!)).toHaveLength(82);
  });

  it('holds the importer’s tasks, regions and indicators for the shipped plan text', () => {
    expect(breakdown!.plan).toMatchObject({
      id: 'taierzhuang-2016-water',
      regions: expect.arrayContaining(REGIONS),
    });
    expect(breakdown!.plan.regions).toHaveLength(7);
    const fresh = importPlan(text, { id: 'taierzhuang-2016-water', regions: breakdown!.plan.regions });
    expect(breakdown!.tasks).toEqual(fresh.tasks);
    // The supervisor's review adds what the text leaves open (id, department, class …); the rest is the importer's.
    const asImported = breakdown!.indicators.map(({ name, targets }) => ({
      name,
      targets: targets.map(({ class: _class, ...t }) => t),
    }));
    expect(asImported).toEqual(fresh.indicators);
    expect(breakdown!.departments).toEqual(fresh.departments);
  });

  it('ships the plan text unchanged', () => {
    // The bytes, not the decoded text: a BOM or CRLF line endings are changes too.
    const bytes = fs.readFileSync(path.join(ROOT, PLAN_FILE));
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(PLAN_SHA256);
    const shared = path.join(ROOT, '..', 'shared', PLAN_FILE);
    if (fs.existsSync(shared)) expect(text).toBe(fs.readFileSync(shared, 'utf8'));
    expect(text).toMatch(/^\n\n台儿庄区人民政府关于印发台儿庄区水污染防治 工作方案的通知/);
  });
});
