/**
 * What is published and what is not: 限批 checks and lists for anyone (without who decided or why),
 * aggregate progress for anyone, 追责 records and the ledger check for supervisors and leadership.
 * Temporal is not running here: checks fall back to the store and say so.
 */
import type { RestrictionEvent } from '../../domain';
import { PLAN, seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, mentions, startApi, type Api, type Role } from './helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;

// Distinctive, so "no names in public answers" cannot pass by accident.
const PERSON = '冯历任';
const NAMES = [PERSON, '褚督查'];

beforeAll(async () => {
  fx = await seededFixture();
  tokens = await makeTokens(fx.store);
  const imposed: RestrictionEvent = {
    type: 'RestrictionImposed',
    region: '泥沟镇',
    sector: '造纸',
    taskWorkflowId: `task/${PLAN}/3-1-1/泥沟镇`,
    reason: `整改逾期（${NAMES[1]} 经办）`,
    by: 'ladder',
    seq: 1,
    at: '2026-11-20T02:00:00.000Z',
  };
  const byHand: RestrictionEvent = {
    ...imposed,
    region: '邳庄镇',
    sector: '化工',
    taskWorkflowId: undefined,
    by: 'supervisor',
    seq: 1,
  };
  const lifted: RestrictionEvent = { ...byHand, type: 'RestrictionLifted', seq: 2, reason: '已整改' };
  await fx.store.applyRestrictionEvents([imposed, byHand, lifted]);
  await fx.store.addAccountability([
    {
      person: { name: PERSON, post: '局长', department: '区环保局' },
      taskWorkflowId: `task/${PLAN}/3-1-1/泥沟镇`,
      plan: PLAN,
      taskId: '3-1-1',
      taskTitle: '工业集聚区污水集中处理',
      rung: 'accountability',
      reason: '整改逾期',
      referral: '区监察局',
      at: '2026-11-28T02:00:00.000Z',
    },
  ]);
  api = await startApi({
    facade: fx.facade,
    store: fx.store,
    today: () => '2027-01-15',
    onError: () => undefined,
  });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

describe('GET /api/restrictions/check', () => {
  it('answers anyone, without a token, and names no one', async () => {
    const r = await api.call(
      'GET',
      `/api/restrictions/check?region=${encodeURIComponent('泥沟镇')}&sector=${encodeURIComponent('造纸')}`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      region: '泥沟镇',
      sector: '造纸',
      restricted: true,
      source: 'store',
      by: [
        {
          region: '泥沟镇',
          sector: '造纸',
          since: '2026-11-20T02:00:00.000Z',
          taskWorkflowId: `task/${PLAN}/3-1-1/泥沟镇`,
        },
      ],
    });
    expect(mentions(r.raw, NAMES)).toEqual([]);
    const other = await api.call(
      'GET',
      `/api/restrictions/check?region=${encodeURIComponent('邳庄镇')}&sector=${encodeURIComponent('化工')}`,
    );
    expect(other.body).toMatchObject({ restricted: false, by: [] });
  });

  it('gives signed-in callers the reason and who decided', async () => {
    const r = await api.call(
      'GET',
      `/api/restrictions/check?region=${encodeURIComponent('泥沟镇')}&sector=${encodeURIComponent('造纸')}`,
      {
        token: tokens.dept,
      },
    );
    expect((r.body.by as object[])[0]).toMatchObject({
      by: 'ladder',
      reason: expect.stringContaining('整改逾期'),
    });
  });

  it('400 names the missing or unknown field', async () => {
    const r = await api.call('GET', `/api/restrictions/check?region=${encodeURIComponent('泥沟镇')}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      error: 'bad_request',
      field: 'sector',
      message: 'sector: 缺少必填字段 / required field is missing',
    });
    expect((await api.call('GET', '/api/restrictions/check?region=a&sector=b&x=1')).body).toMatchObject({
      field: 'x',
    });
  });
});

describe('GET /api/restrictions', () => {
  it('lists those in force to anyone; lifted ones and reasons to the signed-in', async () => {
    const pub = await api.call('GET', '/api/restrictions');
    expect(pub.status).toBe(200);
    expect(pub.body).toEqual({
      count: 1,
      restrictions: [
        {
          region: '泥沟镇',
          sector: '造纸',
          since: '2026-11-20T02:00:00.000Z',
          taskWorkflowId: `task/${PLAN}/3-1-1/泥沟镇`,
        },
      ],
    });
    expect(mentions(pub.raw, NAMES)).toEqual([]);
    expect((await api.call('GET', '/api/restrictions?all=true')).status).toBe(401);
    const all = await api.call('GET', '/api/restrictions?all=true', { token: tokens.region });
    expect(all.body.count).toBe(2);
    expect(all.raw).toContain('已整改');
    const region = await api.call(
      'GET',
      `/api/restrictions?region=${encodeURIComponent('邳庄镇')}&all=true`,
      {
        token: tokens.leadership,
      },
    );
    expect((region.body.restrictions as { lifted?: object }[])[0].lifted).toMatchObject({ reason: '已整改' });
    expect((await api.call('GET', '/api/restrictions?all=yes')).body).toMatchObject({ field: 'all' });
  });
});

describe('POST /api/restrictions/impose and lift: who may', () => {
  const body = { region: '泥沟镇', sector: '造纸', reason: '督查室决定' };
  it('401 for the public, 403 for any role but the supervisor, 400 naming the field', async () => {
    for (const verb of ['impose', 'lift']) {
      expect((await api.call('POST', `/api/restrictions/${verb}`, { body })).status).toBe(401);
      for (const role of ['leadership', 'dept', 'region'] as const) {
        const r = await api.call('POST', `/api/restrictions/${verb}`, { body, token: tokens[role] });
        expect(r.status).toBe(403);
        expect(r.body.error).toBe('forbidden');
      }
      const bad = await api.call('POST', `/api/restrictions/${verb}`, {
        body: { ...body, reason: ' ' },
        token: tokens.supervisor,
      });
      expect(bad.body).toMatchObject({ error: 'bad_request', field: 'reason' });
    }
  });
  it('503 when the restriction workflows cannot be reached', async () => {
    const r = await api.call('POST', '/api/restrictions/impose', { body, token: tokens.supervisor });
    expect(r.status).toBe(503);
    expect(r.body.error).toBe('unavailable');
  });
});

describe('GET /api/accountability', () => {
  it('for supervisors and leadership, by person (终身追责)', async () => {
    for (const role of ['supervisor', 'leadership'] as const) {
      const r = await api.call('GET', `/api/accountability?person=${encodeURIComponent(PERSON)}`, {
        token: tokens[role],
      });
      expect(r.status).toBe(200);
      expect(r.body.count).toBe(1);
      expect((r.body.records as { person: { name: string } }[])[0].person.name).toBe(PERSON);
    }
    const none = await api.call('GET', `/api/accountability?person=${encodeURIComponent('无此人')}`, {
      token: tokens.supervisor,
    });
    expect(none.body).toEqual({ count: 0, records: [] });
    const byTask = await api.call(
      'GET',
      `/api/accountability?task=${encodeURIComponent(`${PLAN}/3-1-1/泥沟镇`)}`,
      {
        token: tokens.supervisor,
      },
    );
    expect(byTask.body.count).toBe(1);
  });

  it('401 for the public, 403 for departments and regions, 400 naming the field', async () => {
    const pub = await api.call('GET', '/api/accountability');
    expect(pub.status).toBe(401);
    for (const role of ['dept', 'region'] as const) {
      const r = await api.call('GET', '/api/accountability', { token: tokens[role] });
      expect(r.status).toBe(403);
      expect(r.body).toEqual({
        error: 'forbidden',
        message:
          '追责记录仅供督查室和区领导查看 / accountability records are for supervisors and leadership only',
      });
      expect(r.raw).not.toContain(PERSON);
    }
    const bad = await api.call('GET', '/api/accountability?name=x', { token: tokens.supervisor });
    expect(bad.body).toMatchObject({ error: 'bad_request', field: 'name' });
    const badTask = await api.call('GET', '/api/accountability?task=a%20b', { token: tokens.supervisor });
    expect(badTask.body).toMatchObject({ error: 'bad_request', field: 'task' });
  });
});

describe('GET /api/ledger/verify', () => {
  it('checks the whole chain for supervisors and leadership', async () => {
    const r = await api.call('GET', '/api/ledger/verify', { token: tokens.supervisor });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true });
    expect(r.body.rows).toBeGreaterThan(0);
    expect((await api.call('GET', '/api/ledger/verify', { token: tokens.leadership })).status).toBe(200);
    expect((await api.call('GET', '/api/ledger/verify', { token: tokens.dept })).status).toBe(403);
    expect((await api.call('GET', '/api/ledger/verify')).status).toBe(401);
  });
});

describe('GET /api/public/progress', () => {
  it('counts by plan and year due, for anyone, in numbers only', async () => {
    const r = await api.call('GET', '/api/public/progress');
    expect(r.status).toBe(200);
    const plans = r.body.plans as { plan: string; tasks: number; byYear: { year: string }[] }[];
    const water = plans.find((p) => p.plan === PLAN)!;
    expect(water).toMatchObject({ tasks: 3, assigned: 1, acknowledged: 1, completed: 1, overdue: 1 });
    expect(water.byYear).toEqual([
      {
        year: '2026',
        tasks: 1,
        assigned: 1,
        acknowledged: 0,
        submitted: 0,
        paused: 0,
        completed: 0,
        cancelled: 0,
        overdue: 1,
      },
      {
        year: '2027',
        tasks: 2,
        assigned: 0,
        acknowledged: 1,
        submitted: 0,
        paused: 0,
        completed: 1,
        cancelled: 0,
        overdue: 0,
      },
    ]);
    expect(r.body.today).toBe('2027-01-15');
    expect(mentions(r.raw, NAMES)).toEqual([]);
    const one = await api.call('GET', '/api/public/progress?plan=other-plan');
    expect((one.body.plans as object[]).length).toBe(1);
    expect((await api.call('GET', '/api/public/progress?year=2026')).body).toMatchObject({ field: 'year' });
  });
});
