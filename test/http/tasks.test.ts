/**
 * The task read routes over a real store (no Temporal: the detail's rungs ahead come back null):
 * filters, pages, the detail, and who may read what. The listing and the detail run on both stores (SQLite,
 * and PostgreSQL on a throwaway cluster); the error shapes, which do not depend on the store, on SQLite.
 */
import { summarize, type TaskEvent } from '../../domain';
import { PLAN, history, seededFixture, type Fixture } from '../cli/seed';
import { BACKENDS, useBackend } from '../helpers/store-backends';
import { makeTokens, startApi, type Api, type Role } from './helpers';

describe.each(BACKENDS)('on %s', (name) => {
  const backend = useBackend(name);
  let fx: Fixture;
  let api: Api;
  let tokens: Record<Role, string>;
  const errors: string[] = [];

  /** A 泥沟镇 task that climbed to 追责, naming a person, as the ladder would have recorded it. */
  async function seedEscalated(): Promise<void> {
    const h = history(
      {
        plan: PLAN,
        id: '3-1-1',
        title: '工业集聚区污水集中处理',
        lead: ['区环保局'],
        cooperating: ['区经信局'],
        region: '泥沟镇',
        due: '2020-06-30',
      },
      [],
    );
    const persons = [{ name: '冯历任', post: '局长', department: '区环保局' }];
    const e: TaskEvent = {
      type: 'AccountabilityRecorded',
      persons,
      reason: '整改逾期',
      referral: '区监察局',
      rectificationDue: '2020-12-31',
      seq: 2,
      at: '2026-11-28T05:00:00.000Z',
    };
    await fx.store.appendEvents(h.workflowId, [...h.events, e]);
    await fx.store.upsertTask(summarize(h.workflowId, { ...h.state, escalation: 'accountability', seq: 2 }));
  }

  beforeAll(async () => {
    fx = await seededFixture(await backend.fresh());
    await seedEscalated();
    tokens = await makeTokens(fx.store);
    api = await startApi({
      facade: fx.facade,
      store: fx.store,
      today: () => '2027-01-15',
      upcomingTimeoutMs: 500,
      onError: (_e, where) => errors.push(where),
    });
  });
  afterAll(async () => {
    await api?.close();
    await fx?.close();
  });

  const list = async (q: string, token = tokens.leadership) => {
    const r = await api.call('GET', `/api/tasks${q}`, { token });
    expect(r.status).toBe(200);
    return r.body as {
      total: number;
      page: number;
      pageSize: number;
      count: number;
      tasks: { taskId: string }[];
    };
  };
  const ids = async (q: string) => (await list(q)).tasks.map((t) => t.taskId);

  describe('GET /api/tasks', () => {
    it('lists every task for any signed-in role, with the total and the page', async () => {
      for (const role of ['supervisor', 'leadership', 'dept', 'region'] as const) {
        const r = await list('', tokens[role]);
        expect(r).toMatchObject({ total: 5, page: 1, pageSize: 50, count: 5 });
      }
      const r = await list('');
      expect(r.tasks.map((t) => t.taskId)).toEqual(['1-1-1', '3-1-1', '2-1-2', '2-1-1', '2-1-7']);
    });

    it('filters by plan, department, region, status, overdue, escalation and title text', async () => {
      expect(await ids(`?plan=${PLAN}`)).toEqual(['3-1-1', '2-1-2', '2-1-1', '2-1-7']);
      expect(await ids(`?department=${encodeURIComponent('区环保局')}`)).toEqual(['3-1-1', '2-1-2', '2-1-1']);
      expect(await ids(`?region=${encodeURIComponent('泥沟镇')}`)).toEqual(['3-1-1']);
      expect(await ids('?status=completed')).toEqual(['2-1-7']);
      // 2027-01-15: 1-1-1 (due 01-31) is not yet late; 2-1-2 (2026-12-31) and 3-1-1 are; 2-1-7 is done.
      expect(await ids('?overdue=true')).toEqual(['3-1-1', '2-1-2']);
      expect(await ids('?overdue=false')).toEqual(['1-1-1', '2-1-1', '2-1-7']);
      expect(await ids('?escalation=accountability')).toEqual(['3-1-1']);
      expect(await ids(`?q=${encodeURIComponent('污染')}`)).toEqual(['2-1-1']);
      expect(await ids(`?q=${encodeURIComponent('%')}`)).toEqual([]);
      expect(await ids(`?plan=${PLAN}&status=assigned&department=${encodeURIComponent('区经信局')}`)).toEqual(
        ['3-1-1', '2-1-2'],
      );
    });

    it('pages: pageSize and page, the total always of all that match', async () => {
      const p1 = await list('?pageSize=2');
      expect(p1).toMatchObject({ total: 5, page: 1, pageSize: 2, count: 2 });
      const p3 = await list('?pageSize=2&page=3');
      expect(p3.tasks.map((t) => t.taskId)).toEqual(['2-1-7']);
      expect((await list('?pageSize=2&page=9')).tasks).toEqual([]);
    });

    it('400 names the field', async () => {
      const cases: [string, string][] = [
        ['?status=late', 'status'],
        ['?plan=has%20space', 'plan'],
        ['?overdue=yes', 'overdue'],
        ['?escalation=high', 'escalation'],
        ['?page=0', 'page'],
        ['?pageSize=1000', 'pageSize'],
        ['?pageSize=abc', 'pageSize'],
        ['?department=%20', 'department'],
        ['?plan=a&plan=b', 'plan'],
        ['?dept=x', 'dept'],
      ];
      for (const [q, field] of cases) {
        const r = await api.call('GET', `/api/tasks${q}`, { token: tokens.supervisor });
        expect({ q, status: r.status, error: r.body.error, field: r.body.field }).toEqual({
          q,
          status: 400,
          error: 'bad_request',
          field,
        });
        expect(String(r.body.message)).toMatch(new RegExp(`^${field}: .+ / .+`));
      }
    });

    it('401 without a token, or with a wrong or revoked one', async () => {
      const none = await api.call('GET', '/api/tasks');
      expect(none.status).toBe(401);
      expect(none.body).toEqual({
        error: 'unauthorized',
        message: '请提供有效的访问令牌 / a valid bearer token is required',
      });
      const wrong = await api.call('GET', '/api/tasks', { token: 'dbn_not-a-token' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toBe('令牌无效或已撤销 / the token is invalid or revoked');
      // 401 comes before the query is looked at.
      expect((await api.call('GET', '/api/tasks?status=late')).status).toBe(401);
    });
  });

  describe('GET /api/tasks/:plan/:id[/:region]', () => {
    it('gives the summary, the ledger oldest first (hash-chained), the due-date history and the rungs ahead', async () => {
      const r = await api.call('GET', `/api/tasks/${PLAN}/2-1-1`, { token: tokens.dept });
      expect(r.status).toBe(200);
      expect(r.body.task).toMatchObject({ workflowId: `task/${PLAN}/2-1-1`, status: 'acknowledged' });
      const ledger = r.body.ledger as { seq: number; type: string; prevHash: string; hash: string }[];
      expect(ledger.map((e) => [e.seq, e.type])).toEqual([
        [1, 'TaskAssigned'],
        [2, 'Acknowledged'],
        [3, 'ProgressReported'],
      ]);
      expect(ledger[2].prevHash).toBe(ledger[1].hash);
      expect(r.body.dueHistory).toEqual([
        { due: '2027-06-30', at: '2026-11-28T01:00:00.000Z', by: 'supervisor', reason: '交办' },
      ]);
      // No Temporal here: the workflow cannot say what is ahead, and the page says so rather than failing.
      expect(r.body.upcoming).toBeNull();
      const done = await api.call('GET', `/api/tasks/${PLAN}/2-1-7`, { token: tokens.dept });
      expect(done.body.upcoming).toEqual([]);
    });

    it('a region task by its region (URL-encoded Chinese)', async () => {
      const r = await api.call('GET', `/api/tasks/${PLAN}/3-1-1/${encodeURIComponent('泥沟镇')}`, {
        token: tokens.supervisor,
      });
      expect(r.status).toBe(200);
      expect(r.body.task).toMatchObject({ region: '泥沟镇', escalation: 'accountability' });
    });

    it("says why a rung fired: the policy's rule and how its days were counted; a command says nothing", async () => {
      const r = await api.call('GET', `/api/tasks/${PLAN}/3-1-1/${encodeURIComponent('泥沟镇')}`, {
        token: tokens.dept,
      });
      const ledger = r.body.ledger as { type: string; why?: unknown }[];
      expect(ledger[0]).not.toHaveProperty('why');
      expect(ledger[1].why).toEqual({
        rule: 'rectificationPeriod: 20wd',
        calendar: '整改期限 2020-12-31 已过，无限批范围，次日追责 / no restriction scope: the day after',
        skipped: [],
        text: '依据 rectificationPeriod: 20wd（整改期限 2020-12-31 已过，无限批范围，次日追责 / no restriction scope: the day after）',
      });
    });

    it('names the persons of a 追责 to supervisors and leadership only', async () => {
      const url = `/api/tasks/${PLAN}/3-1-1/${encodeURIComponent('泥沟镇')}`;
      for (const role of ['supervisor', 'leadership'] as const)
        expect((await api.call('GET', url, { token: tokens[role] })).raw).toContain('冯历任');
      for (const role of ['dept', 'region'] as const) {
        const r = await api.call('GET', url, { token: tokens[role] });
        expect(r.status).toBe(200);
        expect(r.raw).not.toContain('冯历任');
        const last = (r.body.ledger as { event: Record<string, unknown> }[]).at(-1)!.event;
        expect(last).toMatchObject({
          type: 'AccountabilityRecorded',
          personsHidden: true,
          referral: '区监察局',
        });
      }
    });

    it('404 in JSON for a task that does not exist, 400 for a malformed id, 401 for the public', async () => {
      const none = await api.call('GET', `/api/tasks/${PLAN}/9-9-9`, { token: tokens.leadership });
      expect(none.status).toBe(404);
      expect(none.body).toEqual({
        error: 'not_found',
        message: `未找到任务 task/${PLAN}/9-9-9 / no task task/${PLAN}/9-9-9`,
      });
      const bad = await api.call('GET', `/api/tasks/${PLAN}/${encodeURIComponent('a b')}`, {
        token: tokens.leadership,
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'bad_request', field: 'id' });
      expect((await api.call('GET', `/api/tasks/${PLAN}/2-1-1`)).status).toBe(401);
      const route = await api.call('GET', '/api/nothing');
      expect(route.status).toBe(404);
      expect(route.body).toMatchObject({ error: 'not_found' });
    });
  });

  // The error shapes do not depend on the store: once is enough.
  if (name === 'sqlite') {
    describe('errors', () => {
      it('never shows a stack trace: a failing store becomes a plain 500', async () => {
        const broken = await startApi({
          facade: fx.facade,
          store: {
            ...fx.store,
            searchTasks: () => Promise.reject(new Error('SQLITE_CORRUPT: database disk image is malformed')),
          },
          onError: (_e, where) => errors.push(where),
        });
        try {
          const r = await broken.call('GET', '/api/tasks', { token: tokens.supervisor });
          expect(r.status).toBe(500);
          expect(r.body).toEqual({ error: 'internal', message: '服务器内部错误 / internal server error' });
          expect(r.raw).not.toMatch(/SQLITE|at .*\.ts/);
          expect(errors).toContain('GET /api/tasks');
        } finally {
          await broken.close();
        }
      });

      it('malformed JSON is a 400 in the same shape', async () => {
        const r = await fetch(`${api.base}/api/restrictions/impose`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.supervisor}`, 'content-type': 'application/json' },
          body: '{"region": ',
        });
        expect(r.status).toBe(400);
        expect(await r.json()).toMatchObject({ error: 'bad_request' });
      });
    });

    describe('commands when Temporal does not answer', () => {
      it('503 with the reason, once the caller may act', async () => {
        const t0 = Date.now();
        const r = await api.call('POST', `/api/tasks/${PLAN}/2-1-2/acknowledge`, { token: tokens.dept });
        expect(r.status).toBe(503);
        // A client may try again, and is told when.
        expect(r.headers.get('retry-after')).toBe('10');
        expect(r.body).toEqual({
          error: 'unavailable',
          message: 'Temporal 服务器无法连接 / the Temporal server is not reachable',
        });
        expect(Date.now() - t0).toBeLessThan(5_000);
        expect(
          (await api.call('POST', `/api/tasks/${PLAN}/2-1-2/acknowledge`, { token: tokens.otherDept }))
            .status,
        ).toBe(403);
      });
    });
  }
});
