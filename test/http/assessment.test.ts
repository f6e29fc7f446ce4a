/**
 * The 目标责任书 and 考核 routes on the real server and a real SQLite store: anyone signed in reads them; a
 * 镇街 signs its own agreement and no one else's, a supervisor none; refusals name their field; the PDF is
 * the agreement, its signing in it. Temporal is not needed (the year's outcomes are in test/services).
 */
import { createAgreementService } from '../../services/agreements';
import { createAssessmentService } from '../../services/assessment';
import { seededFixture, type Fixture } from '../cli/seed';
import { pdfText } from '../helpers/office';
import { record } from '../office/story';
import { makeTokens, startApi, type Api, type Role } from './helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;
const PLAN = 'tz-assess-api';
const base = `/api/plans/${PLAN}`;
const u = encodeURIComponent;

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  await record(
    fx.store,
    { plan: PLAN, id: '1-1', title: '整治入河排污口', lead: ['泥沟镇'], region: '泥沟镇', due: '2027-05-31' },
    '2027-01-04',
    [
      ['2027-01-05', { type: 'acknowledge', actor: '泥沟镇' }],
      ['2027-05-20', { type: 'submitCompletion', actor: '泥沟镇', summary: '已整治' }],
      ['2027-05-21', { type: 'verifyCompletion', actor: 'supervisor' }],
    ],
  );
  await record(
    fx.store,
    {
      plan: PLAN,
      id: '1-2',
      title: '建设污水处理厂',
      lead: ['区环保局'],
      cooperating: ['泥沟镇'],
      due: '2027-06-30',
    },
    '2027-01-04',
  );
  api = await startApi({
    facade: fx.facade,
    store: fx.store,
    agreements: createAgreementService({ store: fx.store }),
    assessment: createAssessmentService({ store: fx.store }),
    today: () => '2027-08-01',
    pages: { plans: () => new Map() },
    onError: () => undefined,
  });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const sign = (unit: string, token: string) =>
  api.call('POST', `${base}/agreements/2027/${u(unit)}/sign`, { token, body: {} });

test('only the 镇街 itself signs its agreement; the signing is on the ledger and in the printed PDF', async () => {
  expect((await sign('泥沟镇', tokens.supervisor)).body).toEqual({
    error: 'forbidden',
    message: '目标责任书由该镇街或单位自己签订 / an agreement is signed by its own 镇街 or department',
  });
  const other = await sign('泥沟镇', tokens.dept);
  expect(other.status).toBe(403);
  expect(other.body.message).toBe(
    "区环保局 不能代 泥沟镇 签订目标责任书 / 区环保局 may not sign 泥沟镇's agreement",
  );
  expect((await sign('泥沟镇', tokens.leadership)).status).toBe(403);
  expect(await fx.store.ledgerFor(`agreement/${PLAN}/2027/泥沟镇`)).toEqual([]);

  const r = await sign('泥沟镇', tokens.region);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({
    recorded: true,
    current: true,
    signed: { unit: '泥沟镇', by: '泥沟镇', workflowId: `agreement/${PLAN}/2027/泥沟镇`, seq: 1 },
    agreement: {
      unit: '泥沟镇',
      kind: 'region',
      tasks: [
        { taskId: '1-1', region: '泥沟镇', title: '整治入河排污口', role: 'lead', due: '2027-05-31' },
        { taskId: '1-2', title: '建设污水处理厂', role: 'cooperating', due: '2027-06-30' },
      ],
    },
  });
  expect((await fx.store.ledgerFor(`agreement/${PLAN}/2027/泥沟镇`)).map((e) => e.event)).toMatchObject([
    { type: 'AgreementSigned', hash: r.body.hash, by: '泥沟镇', tasks: 2 },
  ]);

  const list = await api.call('GET', `${base}/agreements/2027`, { token: tokens.leadership });
  expect(list.status).toBe(200);
  expect(
    (list.body as unknown as { unit: string; current: boolean }[]).map((a) => [a.unit, a.current]),
  ).toEqual([
    ['泥沟镇', true],
    ['区环保局', false],
  ]);

  const file = await fetch(`${api.base}${base}/agreements/2027/${u('泥沟镇')}/agreement.pdf`, {
    headers: { authorization: `Bearer ${tokens.otherDept}` },
  });
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe('application/pdf');
  const text = pdfText(Buffer.from(await file.arrayBuffer())).replace(/ /g, '');
  expect(text).toContain('目标责任书');
  expect(text).toContain('整治入河排污口');
  expect(text).toContain(`泥沟镇已于`);
});

test('the year’s assessment for anyone signed in; a unit’s report prints', async () => {
  expect((await api.call('GET', `${base}/assessment/2027`)).status).toBe(401);
  const r = await api.call('GET', `${base}/assessment/2027`, { token: tokens.region });
  expect(r.status).toBe(200);
  expect(r.body.ranking).toEqual([
    {
      rank: 1,
      unit: '泥沟镇',
      kind: 'region',
      score: 100,
      parts: { onTime: 100, indicators: null, escalations: 0 },
      counts: expect.objectContaining({ due: 1, onTime: 1, late: 0 }),
    },
    {
      rank: 2,
      unit: '区环保局',
      kind: 'department',
      score: 0,
      parts: { onTime: 0, indicators: null, escalations: 0 },
      counts: expect.objectContaining({ due: 1, onTime: 0, late: 1 }),
    },
  ]);
  const file = await fetch(`${api.base}${base}/assessment/2027/${u('区环保局')}/report.pdf`, {
    headers: { authorization: `Bearer ${tokens.leadership}` },
  });
  expect(file.headers.get('content-type')).toBe('application/pdf');
  expect(pdfText(Buffer.from(await file.arrayBuffer())).replace(/ /g, '')).toContain(
    '到期1项，按期0项，逾期1项',
  );
});

test.each([
  [
    `${base}/agreements/2027/${u('不存在镇')}`,
    'unit',
    'unit：方案 tz-assess-api 没有单位“不存在镇” / unit: plan tz-assess-api names no unit “不存在镇”',
  ],
  [
    `${base}/agreements/2031/${u('泥沟镇')}`,
    'year',
    'year：方案 tz-assess-api 的年度为 2027–2027，没有 2031 年 / year: plan tz-assess-api runs 2027–2027; 2031 is out of range',
  ],
  [
    `${base}/assessment/2031`,
    'year',
    'year：方案 tz-assess-api 的年度为 2027–2027，没有 2031 年 / year: plan tz-assess-api runs 2027–2027; 2031 is out of range',
  ],
  [
    `${base}/assessment/2027/${u('不存在镇')}/report.pdf`,
    'unit',
    'unit：2027 年度考核没有单位“不存在镇” / unit: the 2027 assessment of tz-assess-api has no unit “不存在镇”',
  ],
])('GET %s is refused naming %s', async (url, field, message) => {
  const r = await api.call('GET', url, { token: tokens.supervisor });
  expect(r.status).toBe(400);
  expect(r.body).toEqual({ error: 'bad_request', field, message });
});

test('a year that is not one is refused by the route’s schema, naming it', async () => {
  const r = await api.call('GET', `${base}/assessment/20x7`, { token: tokens.supervisor });
  expect(r.status).toBe(400);
  expect(r.body.field).toBe('year');
});

test('the agreement’s page offers 签订 to that unit alone; the assessment page ranks with each unit’s parts', async () => {
  const page = (url: string, token: string) =>
    fetch(api.base + url, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
      status: r.status,
      html: await r.text(),
    }));
  const path = `/agreements/${PLAN}/2027/${u('区环保局')}`;
  const sign = `action="/api/plans/${PLAN}/agreements/2027/${u('区环保局')}/sign"`;
  const own = await page(path, tokens.dept);
  expect(own.status).toBe(200);
  expect(own.html).toContain('data-form="agreement"');
  expect(own.html).toContain(sign);
  expect(own.html).toContain('建设污水处理厂');
  for (const token of [tokens.region, tokens.supervisor, tokens.otherDept]) {
    const other = await page(path, token);
    expect(other.status).toBe(200);
    expect(other.html).not.toContain(sign);
  }
  expect((await page(`/agreements/${PLAN}/2027/${u('不存在镇')}`, tokens.dept)).status).toBe(404);
  const ranking = await page(`/assessment?plan=${PLAN}&year=2027`, tokens.leadership);
  expect(ranking.status).toBe(200);
  const rows = [...ranking.html.matchAll(/<tr data-unit="([^"]+)">\s*<td class="num">(\d+)<\/td>/g)].map(
    (m) => [m[2], m[1]],
  );
  expect(rows.slice(0, 2)).toEqual([
    ['1', '泥沟镇'],
    ['2', '区环保局'],
  ]);
  expect(ranking.html).toContain(`/api/plans/${PLAN}/assessment/2027/${u('区环保局')}/report.pdf`);
});
