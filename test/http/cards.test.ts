/**
 * GET /api/public/cards: the yellow and red lists as the enterprises' card steps left them in a real store —
 * enterprise, card and dates, and neither who gave a card nor why (free text may name a person).
 * GET /api/enterprises is for those signed in.
 */
import { CardPolicy, decideInspection, decideIssue, issuedCard, type CardEvent } from '../../domain/cards';
import type { Enterprise } from '../../domain/enterprise';
import { PLAN, seededFixture, type Fixture } from '../cli/seed';
import { creditCode } from '../helpers/credit-code';
import { makeTokens, mentions, startApi, type Api, type Role } from './helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;
const PERSON = '蒋某某';
const policy = CardPolicy.parse({});
const yellow: Enterprise = { code: creditCode(), name: '甲化工有限公司', region: '邳庄镇', sector: '化工' };
const red: Enterprise = { code: creditCode(), name: '乙纸业有限公司', region: '泥沟镇', sector: '造纸' };
const lifted: Enterprise = { code: creditCode(), name: '丙酿造厂', region: '运河街道', sector: '酿造' };

async function card(e: Enterprise, at: string, then?: 'pass' | 'fail'): Promise<void> {
  const order = {
    enterprise: e,
    card: 1,
    color: 'yellow' as const,
    reason: `${PERSON}举报超标排放`,
    due: '2027-03-31',
    by: '区环保局',
  };
  const d = decideIssue(order, at, policy);
  if (!d.ok) throw new Error(d.rejection.zh);
  const events: CardEvent[] = [...d.events];
  if (then) {
    const i = decideInspection(
      issuedCard(order, d.events[0], policy),
      { actor: '区环保局', result: then, note: `${PERSON}在场` },
      '2027-02-10T02:00:00.000Z',
      policy,
    );
    if (!i.ok) throw new Error(i.rejection.zh);
    events.push(...i.events);
  }
  await fx.store.recordEnterpriseSteps(
    e.code,
    events.map((event) => ({ key: `card-1-${event.step}`, event })),
  );
}

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  await fx.store.addEnterprises(
    [yellow, red, lifted].map((e) => ({
      ...e,
      registeredAt: '2027-01-01T02:00:00.000Z',
      registeredBy: '区环保局',
    })),
  );
  await card(yellow, '2027-01-05T02:00:00.000Z');
  await card(red, '2027-01-06T02:00:00.000Z', 'fail');
  await card(lifted, '2027-01-07T02:00:00.000Z', 'pass');
  api = await startApi({
    facade: fx.facade,
    store: fx.store,
    today: () => '2027-02-15',
    onError: () => undefined,
    pages: { plans: () => new Map() },
  });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

test('anyone gets the open cards, yellow and red, with no name of a person nor a reason', async () => {
  const r = await api.call('GET', '/api/public/cards');
  expect(r.status).toBe(200);
  expect(r.body).toEqual({
    yellow: [
      {
        name: '甲化工有限公司',
        code: yellow.code,
        region: '邳庄镇',
        sector: '化工',
        color: 'yellow',
        measure: '停产整治',
        since: '2027-01-05',
        due: '2027-03-31',
      },
    ],
    red: [
      {
        name: '乙纸业有限公司',
        code: red.code,
        region: '泥沟镇',
        sector: '造纸',
        color: 'red',
        measure: '停业',
        since: '2027-02-10',
      },
    ],
  });
  expect(mentions(r.raw, [PERSON, '区环保局'])).toEqual([]);
});

test("a year's lists hold every card open in it, a lifted one with its day; a bad year is refused", async () => {
  const r = await api.call('GET', `/api/public/cards?year=2027&plan=${PLAN}`);
  expect(r.status).toBe(200);
  const body = r.body as { yellow: { code: string; lifted?: string }[]; red: { code: string }[] };
  // By 镇街 (code point order), then name.
  expect(body.yellow.map((c) => [c.code, c.lifted])).toEqual([
    [lifted.code, '2027-02-10'],
    [yellow.code, undefined],
  ]);
  expect(body.red.map((c) => c.code)).toEqual([red.code]);
  expect(await api.call('GET', '/api/public/cards?year=2026')).toMatchObject({
    status: 200,
    body: { yellow: [], red: [] },
  });
  const bad = await api.call('GET', '/api/public/cards?year=27');
  expect(bad.status).toBe(400);
  expect(bad.raw).toContain('年度应为四位数字 / year must be four digits');
});

test('the registry is for those signed in', async () => {
  expect((await api.call('GET', '/api/enterprises')).status).toBe(401);
  const r = await api.call('GET', '/api/enterprises', { token: tokens.region });
  expect(r.status).toBe(200);
  const list = (r.body as { enterprises: { code: string; card: { color: string } | null }[] }).enterprises;
  expect(list.map((e) => [e.code, e.card?.color ?? null])).toEqual([
    [red.code, 'red'],
    [lifted.code, null],
    [yellow.code, 'yellow'],
  ]);
});

test('/public lists the carded enterprises, red and yellow, and no person; /enterprises is the registry', async () => {
  const r = await api.call('GET', '/public');
  expect(r.status).toBe(200);
  const section = r.raw.slice(r.raw.indexOf('id="pub-cards"'));
  const red = section.slice(section.indexOf('红牌企业'), section.indexOf('黄牌企业'));
  const yellowPart = section.slice(section.indexOf('黄牌企业'));
  expect(red).toContain('乙纸业有限公司');
  expect(red).not.toContain('甲化工有限公司');
  expect(yellowPart).toContain('甲化工有限公司');
  expect(yellowPart).toContain('2027-03-31');
  expect(section).not.toContain('丙酿造厂');
  expect(mentions(r.raw, [PERSON])).toEqual([]);

  const page = await api.call('GET', '/enterprises', { token: tokens.dept });
  expect(page.status).toBe(200);
  expect(page.raw).toContain('企业名录（3 家，挂牌 2 家）');
  expect(page.raw).toContain(lifted.code);
  expect((await api.call('GET', '/enterprises', { token: tokens.otherDept })).status).toBe(403);
});

test("the year's public report lists the same cards as /api/public/cards for that plan and year", async () => {
  const lists = (await api.call('GET', `/api/public/cards?year=2027&plan=${PLAN}`)).body as {
    yellow: { name: string }[];
    red: { name: string }[];
  };
  const r = await api.call('GET', `/api/public/report/${PLAN}/2027`);
  expect(r.status).toBe(200);
  const cards = (r.body as { cards: { yellow: { enterprise: string }[]; red: { enterprise: string }[] } })
    .cards;
  expect(cards.yellow.map((c) => c.enterprise)).toEqual(lists.yellow.map((c) => c.name));
  expect(cards.red.map((c) => c.enterprise)).toEqual(lists.red.map((c) => c.name));
  expect(cards.red.map((c) => c.enterprise)).toContain('乙纸业有限公司');
  expect(mentions(r.raw, [PERSON])).toEqual([]);
});
