/**
 * Finding 3: interview attendees came back from the task-detail API to department and 镇街 tokens
 * unrelated to the task, though the pages hid them. One allow-list (services/visibility.ts) now serves
 * both: names for the supervision office and leadership, counts for everyone else.
 */
import { summarize, type TaskEvent } from '../../domain';
import { COOKIE_NAME } from '../../services/auth';
import { buildHttpServer } from '../../http/server';
import { PLAN, history, seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, mentions, startApi, type Api, type Role } from '../http/helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;
const ATTENDEES = ['蒋参会', '沈参会'];
const PERSONS = [{ name: '冯历任', post: '局长', department: '区水务局' }];
const NAMES = [...ATTENDEES, PERSONS[0].name];
const URL = `/api/tasks/${PLAN}/4-1-1`;

beforeAll(async () => {
  fx = await seededFixture();
  const h = history(
    { plan: PLAN, id: '4-1-1', title: '河道整治', lead: ['区水务局'], cooperating: [], due: '2020-06-30' },
    [],
  );
  const at = (n: number) => `2026-11-28T0${n}:00:00.000Z`;
  const events: TaskEvent[] = [
    {
      type: 'InterviewOrdered',
      n: 1,
      due: '2020-06-30',
      daysOverdue: 30,
      rectificationDue: '2020-12-31',
      seq: 2,
      at: at(2),
    },
    {
      type: 'InterviewRecorded',
      n: 1,
      by: 'supervisor',
      attendees: ATTENDEES,
      opinions: '限期整改',
      rectificationDue: '2020-12-31',
      seq: 3,
      at: at(3),
    },
    {
      type: 'AccountabilityRecorded',
      persons: PERSONS,
      reason: '整改逾期',
      referral: '区监察局',
      rectificationDue: '2020-12-31',
      seq: 4,
      at: at(4),
    },
    // Closed, so nothing asks the (absent) Temporal server for the rungs ahead.
    { type: 'TaskCancelled', by: 'supervisor', reason: '测试', seq: 5, at: at(5) },
  ];
  await fx.store.appendEvents(h.workflowId, [...h.events, ...events]);
  await fx.store.upsertTask(
    summarize(h.workflowId, { ...h.state, escalation: 'accountability', status: 'cancelled', seq: 5 }),
  );
  tokens = await makeTokens(fx.store);
  api = await startApi({ facade: fx.facade, store: fx.store, upcomingTimeoutMs: 200 });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

describe('people’s names in a task’s detail', () => {
  it('reach the supervisor and leadership', async () => {
    for (const role of ['supervisor', 'leadership'] as const) {
      const r = await api.call('GET', URL, { token: tokens[role] });
      expect(r.status).toBe(200);
      expect(mentions(r.raw, NAMES)).toEqual(NAMES);
    }
  });

  it('never reach a department or 镇街 token, unrelated to the task or not: counts only', async () => {
    for (const role of ['dept', 'otherDept', 'region'] as const) {
      const r = await api.call('GET', URL, { token: tokens[role] });
      expect(r.status).toBe(200);
      expect(mentions(r.raw, NAMES)).toEqual([]);
      const events = (r.body.ledger as { event: Record<string, unknown> }[]).map((e) => e.event);
      expect(events.find((e) => e.type === 'InterviewRecorded')).toMatchObject({
        personsHidden: true,
        attendeesCount: 2,
        opinions: '限期整改',
      });
      expect(events.find((e) => e.type === 'AccountabilityRecorded')).toMatchObject({
        personsHidden: true,
        personsCount: 1,
      });
    }
  });

  it('the task page says the same as the API, role by role', async () => {
    const app = buildHttpServer({
      facade: fx.facade,
      store: fx.store,
      pages: { pollMs: 60_000, queryTimeoutMs: 200 },
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const pageFor = async (token: string) => {
        const signin = await fetch(`${base}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
        const cookie = signin.headers.get('set-cookie')!.split(';')[0];
        expect(cookie.startsWith(`${COOKIE_NAME}=`)).toBe(true);
        const r = await fetch(`${base}/tasks/${PLAN}/4-1-1`, { headers: { cookie } });
        expect(r.status).toBe(200);
        return r.text();
      };
      expect(mentions(await pageFor(tokens.supervisor), NAMES)).toEqual(NAMES);
      const dept = await pageFor(tokens.otherDept);
      expect(mentions(dept, NAMES)).toEqual([]);
      expect(dept).toContain('参加 2 人');
      expect(dept).toContain('追责：1 人');
    } finally {
      await app.close();
    }
  });
});
