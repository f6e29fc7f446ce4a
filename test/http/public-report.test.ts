/**
 * The yearly public report (/public/report/{plan}/{year}, its PDF, and the JSON): a plan year stored
 * directly, with outcomes known in advance, read back as the public sees it — the page's text over HTTP,
 * the PDF's text through pdf-parse, the JSON's figures — and a head's name, which the ledger holds (an
 * interview's attendees, an accountability record, a progress note, a 限批's reason), nowhere in them.
 */
import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  assign,
  decide,
  evolve,
  summarize,
  taskWorkflowId,
  type TaskCommand,
  type TaskEvent,
  type TaskEventBody,
  type TaskSpecInput,
  type TaskState,
  taskSpecSchema,
} from '../../domain';
import type { IndicatorDef } from '../../domain/indicators';
import { createDubanClient } from '../../services/facade';
import type { ReportSources } from '../../services/public-report';
import { openStore, type Store } from '../../store';
import { pdfText } from '../helpers/office';
import { mentions, startApi, type Api } from './helpers';

const PLAN = 'yearly-report-plan';
const TITLE = '年度报告测试方案';
// The 泥沟镇 head, as the directory would name them: distinctive, so its absence cannot be by accident.
const HEAD = '冯历任';
const NAMES = [HEAD, '褚督查'];

type Step = { at: string } & ({ cmd: TaskCommand } | { event: TaskEventBody });

/** A task's ledger: commands decided by the domain, ladder events as the workflow records them. */
function ledger(input: TaskSpecInput, start: string, steps: Step[] = []) {
  const spec = taskSpecSchema().parse(input);
  let events: TaskEvent[] = assign(spec, start);
  let state = events.reduce<TaskState>((s, e) => evolve(s, e), undefined as unknown as TaskState);
  for (const s of steps) {
    let next: TaskEvent[];
    if ('cmd' in s) {
      const d = decide(state, s.cmd, s.at);
      if (!d.ok) throw new Error(`seed command refused: ${d.rejection.en}`);
      next = d.events;
    } else next = [{ ...s.event, seq: state.seq + 1, at: s.at } as TaskEvent];
    events = [...events, ...next];
    state = next.reduce((st, e) => evolve(st, e), state);
  }
  return { workflowId: taskWorkflowId(spec), events, state };
}

const done = (actor: string, day: string): Step[] => [
  { at: `${day}T01:00:00.000Z`, cmd: { type: 'acknowledge', actor } },
  { at: `${day}T02:00:00.000Z`, cmd: { type: 'submitCompletion', actor, summary: '已完成' } },
  { at: `${day}T03:00:00.000Z`, cmd: { type: 'verifyCompletion', actor: 'supervisor' } },
];

const T0 = '2027-01-05T01:00:00.000Z';
const NIGOU = `task/${PLAN}/3-1/泥沟镇`;

const TASKS = [
  // Due in 2027, done on time.
  ledger(
    { plan: PLAN, id: '1-1', title: '严格环境准入', lead: ['区环保局'], due: '2027-06-30' },
    T0,
    done('区环保局', '2027-05-10'),
  ),
  // Due in 2027, never done: overdue at the year's end.
  ledger({ plan: PLAN, id: '1-2', title: '城市污水管网建设', lead: ['区住建局'], due: '2027-09-30' }, T0, [
    { at: '2027-02-01T01:00:00.000Z', cmd: { type: 'acknowledge', actor: '区住建局' } },
  ]),
  // Due in 2027, done a day late.
  ledger(
    { plan: PLAN, id: '1-3', title: '黑臭水体整治', lead: ['区住建局'], due: '2027-07-31' },
    T0,
    done('区住建局', '2027-08-01'),
  ),
  // Due in 2027, a 镇街's, overdue, interviewed (its head attending) and held to account.
  ledger(
    {
      plan: PLAN,
      id: '3-1',
      title: '工业集聚区污水集中处理',
      lead: ['泥沟镇'],
      region: '泥沟镇',
      due: '2027-03-31',
    },
    T0,
    [
      { at: '2027-01-10T01:00:00.000Z', cmd: { type: 'acknowledge', actor: '泥沟镇' } },
      {
        at: '2027-02-10T01:00:00.000Z',
        cmd: { type: 'reportProgress', actor: '泥沟镇', note: `${HEAD}镇长已督促施工单位` },
      },
      {
        at: '2027-04-10T01:00:00.000Z',
        event: {
          type: 'InterviewOrdered',
          n: 1,
          due: '2027-03-31',
          daysOverdue: 10,
          rectificationDue: '2027-05-31',
        },
      },
      {
        at: '2027-04-12T01:00:00.000Z',
        cmd: { type: 'recordInterview', actor: 'supervisor', opinions: '限期整改', attendees: [HEAD] },
      },
      {
        at: '2027-07-01T01:00:00.000Z',
        event: {
          type: 'AccountabilityRecorded',
          persons: [{ name: HEAD, post: '镇长', department: '泥沟镇' }],
          reason: `${HEAD}整改不力`,
          referral: '区监察局',
          rectificationDue: '2027-05-31',
        },
      },
    ],
  ),
  // Due the next year: not the year's.
  ledger({ plan: PLAN, id: '4-1', title: '次年任务', lead: ['区环保局'], due: '2028-06-30' }, T0),
  // Cancelled: not counted.
  ledger({ plan: PLAN, id: '4-2', title: '已撤销任务', lead: ['区环保局'], due: '2027-05-31' }, T0, [
    { at: '2027-01-06T01:00:00.000Z', cmd: { type: 'cancel', actor: 'supervisor', reason: '合并到 1-1' } },
  ]),
];

const INDICATORS: IndicatorDef[] = [
  {
    plan: PLAN,
    id: 'cod-cut',
    name: '化学需氧量削减',
    unit: '%',
    department: '区环保局',
    regions: [],
    towns: [],
    responsible: ['泥沟镇'],
    restriction: null,
    targets: [
      { year: 2027, op: '>=', value: 10, text: '削减10%以上' },
      { year: 2028, op: '>=', value: 15, text: '削减15%以上' },
    ],
  },
  {
    plan: PLAN,
    id: 'section-class',
    name: '断面水质',
    unit: '类',
    department: '区环保局',
    regions: ['泥沟镇', '邳庄镇'],
    towns: ['泥沟镇', '邳庄镇'],
    responsible: [],
    restriction: { sector: '造纸' },
    targets: [{ year: 2027, op: 'class', value: 'Ⅲ', text: '达到Ⅲ类' }],
  },
];

let dir: string;
let store: Store;
let connection: Connection;
let api: Api;
let plain: Api;

const SOURCES: ReportSources = {
  cards: async () => ({
    yellow: [
      {
        enterprise: '台儿庄某造纸有限公司',
        code: '91370405MA3C000001',
        region: '泥沟镇',
        sector: '造纸',
        measure: '限产',
        since: '2027-06-01',
        due: '2027-09-01',
        // A source may hold more than is published: what the report leaves out.
        ...({ inspector: HEAD } as object),
      },
    ],
    red: [],
  }),
  ranking: async () => [
    { unit: '邳庄镇', score: 78.5 },
    { unit: '泥沟镇', score: 91 },
  ],
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-report-'));
  store = await openStore(path.join(dir, 'duban.db'));
  for (const t of TASKS) {
    await store.appendEvents(t.workflowId, t.events);
    await store.upsertTask(summarize(t.workflowId, t.state));
  }
  await store.saveIndicators(PLAN, INDICATORS, '2027-01-05T01:00:00.000Z');
  const value = (indicator: string, region: string | null, v: number | 'Ⅳ', unit: string) => ({
    plan: PLAN,
    indicator,
    year: 2027,
    region,
    value: v,
    unit,
    by: '区环保局',
    at: '2027-12-20T01:00:00.000Z',
    source: 'cli' as const,
  });
  await store.recordIndicatorValues([
    value('cod-cut', null, 12, '%'),
    value('section-class', '泥沟镇', 'Ⅳ', '类'),
  ]);
  const imposed = {
    type: 'RestrictionImposed' as const,
    region: '泥沟镇',
    sector: '造纸',
    taskWorkflowId: NIGOU,
    reason: `整改逾期（${HEAD} 未整改）`,
    by: NAMES[1],
    seq: 1,
    at: '2027-06-01T02:00:00.000Z',
  };
  await store.applyRestrictionEvents([
    imposed,
    // Lifted within the year: not in force at its end.
    {
      ...imposed,
      region: '邳庄镇',
      sector: '化工',
      taskWorkflowId: undefined,
      seq: 1,
      at: '2027-02-01T02:00:00.000Z',
    },
    {
      ...imposed,
      type: 'RestrictionLifted',
      region: '邳庄镇',
      sector: '化工',
      taskWorkflowId: undefined,
      reason: '已整改',
      seq: 2,
      at: '2027-06-01T02:00:00.000Z',
    },
    // Imposed after the year: not the year's.
    {
      ...imposed,
      region: '马兰屯镇',
      sector: '化工',
      taskWorkflowId: undefined,
      seq: 1,
      at: '2028-01-10T02:00:00.000Z',
    },
  ]);
  await store.addAccountability([
    {
      person: { name: HEAD, post: '镇长', department: '泥沟镇' },
      taskWorkflowId: NIGOU,
      plan: PLAN,
      taskId: '3-1',
      taskTitle: '工业集聚区污水集中处理',
      rung: 'accountability',
      reason: '整改逾期',
      referral: '区监察局',
      at: '2027-07-01T01:00:00.000Z',
    },
  ]);
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  const facade = createDubanClient({
    client: new Client({ connection }),
    taskQueue: 'test',
    store,
    healthTimeoutMs: 1000,
  });
  const plans = () => new Map([[PLAN, { id: PLAN, title: TITLE, indicators: [] }]]);
  const common = { facade, store, today: () => '2028-02-01', onError: () => undefined };
  api = await startApi({ ...common, reportSources: SOURCES, pages: { plans, pollMs: 600_000 } });
  plain = await startApi({ ...common, reportSources: {}, pages: { plans, pollMs: 600_000 } });
});
afterAll(async () => {
  await api?.close();
  await plain?.close();
  await connection?.close();
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const SUMMARY =
  `截至 2027-12-31，《${TITLE}》2027 年度计划完成任务 4 项：已办结 2 项，其中按期办结 1 项；` +
  '逾期未办结 2 项。按期办结率 25%。';

describe('GET /api/public/report/{plan}/{year}', () => {
  it('gives anyone the year’s figures, without a token', async () => {
    const r = await api.call('GET', `/api/public/report/${PLAN}/2027`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      plan: PLAN,
      title: TITLE,
      year: 2027,
      asOf: '2027-12-31',
      issued: '2028-02-01',
    });
    const progress = r.body.progress as Record<string, unknown>;
    expect(progress.total).toEqual({ unit: '合计', planned: 4, done: 2, onTime: 1, overdue: 2, rate: 0.25 });
    expect(progress.departments).toEqual([
      { unit: '区环保局', planned: 1, done: 1, onTime: 1, overdue: 0, rate: 1 },
      { unit: '区住建局', planned: 2, done: 1, onTime: 0, overdue: 1, rate: 0 },
      { unit: '泥沟镇', planned: 1, done: 0, onTime: 0, overdue: 1, rate: 0 },
    ]);
    expect(progress.regions).toEqual([
      { unit: '泥沟镇', planned: 1, done: 0, onTime: 0, overdue: 1, rate: 0 },
    ]);
    expect(r.body.indicators).toEqual([
      {
        id: 'cod-cut',
        name: '化学需氧量削减',
        unit: '%',
        department: '区环保局',
        targets: [{ target: '≥ 10%', actual: '12%', met: true }],
      },
      {
        id: 'section-class',
        name: '断面水质',
        unit: '类',
        department: '区环保局',
        targets: [
          { region: '泥沟镇', target: '达到或优于 Ⅲ类', actual: 'Ⅳ类', met: false },
          { region: '邳庄镇', target: '达到或优于 Ⅲ类', actual: null, met: null },
        ],
      },
    ]);
    expect(r.body.restrictions).toEqual([
      {
        region: '泥沟镇',
        sector: '造纸',
        since: '2027-06-01',
        cause: '任务 3-1/泥沟镇 工业集聚区污水集中处理 整改逾期未完成',
      },
    ]);
    expect(r.body.cards).toEqual({
      yellow: [
        {
          enterprise: '台儿庄某造纸有限公司',
          code: '91370405MA3C000001',
          region: '泥沟镇',
          sector: '造纸',
          measure: '限产',
          since: '2027-06-01',
          due: '2027-09-01',
        },
      ],
      red: [],
    });
    expect(r.body.ranking).toEqual([
      { unit: '泥沟镇', score: 91 },
      { unit: '邳庄镇', score: 78.5 },
    ]);
    expect(mentions(r.raw, NAMES)).toEqual([]);
  });

  it('leaves out the card lists and the ranking when nothing supplies them', async () => {
    const r = await plain.call('GET', `/api/public/report/${PLAN}/2027`);
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('cards');
    expect(r.body).not.toHaveProperty('ranking');
    expect((r.body.progress as { total: object }).total).toMatchObject({ planned: 4 });
  });

  it('answers 404 for a plan it does not know and 400 naming year for a bad year', async () => {
    const unknown = await api.call('GET', '/api/public/report/no-such-plan/2027');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      error: 'not_found',
      message: '没有方案 no-such-plan / no plan no-such-plan',
    });
    for (const year of ['20x7', '1999', '27']) {
      const bad = await api.call('GET', `/api/public/report/${PLAN}/${year}`);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'bad_request', field: 'year' });
      expect(bad.body.message).toContain(`year：年度应为 2000–2100 之间的四位数字，不是“${year}”`);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await api.call('GET', '/docs/json');
    const paths = doc.body.paths as Record<string, { get?: { responses: Record<string, unknown> } }>;
    expect(Object.keys(paths['/api/public/report/{plan}/{year}'].get!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
  });
});

describe('the report page and its PDF', () => {
  const text = (htmlText: string) =>
    htmlText
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');

  it('shows the year’s figures and headings to the anonymous, linked from /public', async () => {
    const pub = await api.call('GET', '/public');
    expect(pub.raw).toContain(`href="/public/report/${PLAN}/2027"`);
    const r = await api.call('GET', `/public/report/${PLAN}/2027`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    const t = text(r.raw);
    for (const s of [
      '年度实施情况公开报告',
      '（2027年度）',
      SUMMARY,
      '一、任务完成情况',
      '表1 各牵头单位任务完成情况',
      '区住建局 2 1 0 1 0%',
      '表2 各镇街任务完成情况',
      '二、主要指标完成情况',
      '断面水质 泥沟镇 达到或优于 Ⅲ类 Ⅳ类 未达标 区环保局',
      '年度指标目标 3 项，达标 1 项。',
      '三、实施中的限批',
      '泥沟镇 造纸 2027-06-01 任务 3-1/泥沟镇 工业集聚区污水集中处理 整改逾期未完成',
      '四、企业红黄牌名单',
      '台儿庄某造纸有限公司 91370405MA3C000001 泥沟镇 造纸 限产 2027-06-01 2027-09-01',
      '红牌企业：无。',
      '五、年度考核排名',
      '1 泥沟镇 91',
    ])
      expect(t).toContain(s);
    expect(r.raw).toContain(`href="/public/report/${PLAN}/2027.pdf"`);
    expect(mentions(r.raw, NAMES)).toEqual([]);
  });

  it('says 暂无 where no source gives the cards or the ranking', async () => {
    const t = text((await plain.call('GET', `/public/report/${PLAN}/2027`)).raw);
    expect(t).toContain('四、企业红黄牌名单 暂无 / not available');
    expect(t).toContain('五、年度考核排名 暂无 / not available');
  });

  it('is a PDF whose text, read back, has the figures and the Chinese headings and no name', async () => {
    const r = await fetch(`${api.base}/public/report/${PLAN}/2027.pdf`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toContain(
      encodeURIComponent(`年度公开报告-${PLAN}-2027.pdf`),
    );
    const t = pdfText(Buffer.from(await r.arrayBuffer()));
    for (const s of [
      '年度实施情况公开报告',
      '一、任务完成情况',
      '二、主要指标完成情况',
      '三、实施中的限批',
      '四、企业红黄牌名单',
      '五、年度考核排名',
      '按期办结率 25%',
      '计划完成任务 4 项',
      '台儿庄某造纸有限公司',
    ])
      expect(t).toContain(s);
    expect(mentions(t, NAMES)).toEqual([]);
  });

  it('answers 404 for an unknown plan and 400 naming year for a bad one, page and PDF alike', async () => {
    expect((await api.call('GET', '/public/report/no-such-plan/2027')).status).toBe(404);
    for (const url of [`/public/report/${PLAN}/20x7`, `/public/report/${PLAN}/20x7.pdf`]) {
      const bad = await api.call('GET', url);
      expect(bad.status).toBe(400);
      expect(bad.raw).toContain('year：年度应为');
    }
  });
});
