/**
 * A name with `/` stored by an older version (a region `经济开发区/高新区`) must not break a page: the overview
 * and the task pages answer for every role, and the task can still be shown and cancelled by its encoded path.
 */
import { summarize } from '../../domain';
import { TemporalUnavailable } from '../../services/errors';
import type { DubanClient } from '../../services/facade';
import { history, seededFixture, PLAN, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from '../http/helpers';

let fx: Fixture;
let api: Api;
let facade: DubanClient;
let tokens: Record<Role, string>;
const REGION = '经济开发区/高新区';
const errors: unknown[] = [];

beforeAll(async () => {
  fx = await seededFixture();
  // As an older version could have stored it: straight into the store, past today's rules.
  const h = history(
    { plan: PLAN, id: '3-4-4', title: '园区污水处理', lead: ['区环保局'], due: '2027-06-30' },
    [],
  );
  const workflowId = `task/${PLAN}/3-4-4/${REGION}`;
  const state = { ...h.state, spec: { ...h.state.spec, region: REGION } };
  await fx.store.appendEvents(workflowId, h.events);
  await fx.store.upsertTask(summarize(workflowId, state));
  tokens = await makeTokens(fx.store);
  // Temporal is not there: the live reads fail at once (a real client would retry past the test's end).
  const down = () => Promise.reject(new TemporalUnavailable('down', 'server'));
  facade = { ...fx.facade, state: down, upcoming: down };
  api = await startApi({
    facade,
    store: fx.store,
    pages: { plans: () => new Map() },
    today: () => '2027-01-15',
    upcomingTimeoutMs: 200,
    onError: (e) => errors.push(e),
  });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const ROLES: Role[] = ['supervisor', 'leadership', 'dept', 'region'];

test.each(ROLES)('the overview and the task list answer 200 for %s', async (role) => {
  for (const url of ['/', '/tasks', `/tasks?plan=${PLAN}`]) {
    const r = await api.call('GET', url, { token: tokens[role] });
    expect([url, r.status]).toEqual([url, 200]);
  }
});

test('the task is reachable through its encoded path, on the page and in the API', async () => {
  const encoded = `${PLAN}/3-4-4/${encodeURIComponent(REGION)}`;
  const page = await api.call('GET', `/tasks/${encoded}`, { token: tokens.supervisor });
  expect(page.status).toBe(200);
  expect(page.raw).toContain('园区污水处理');
  const detail = await api.call('GET', `/api/tasks/${encoded}`, { token: tokens.supervisor });
  expect(detail.status).toBe(200);
  expect(detail.body.task).toMatchObject({ region: REGION, workflowId: `task/${PLAN}/3-4-4/${REGION}` });
});

test('the overview links the task by its encoded path', async () => {
  const r = await api.call('GET', '/tasks', { token: tokens.supervisor });
  expect(r.raw).toContain(`/tasks/${PLAN}/3-4-4/${encodeURIComponent(REGION)}`);
});

test('a cancel through the encoded path gets past the id and the permission to the workflow', async () => {
  const seen: string[] = [];
  const original = facade.summary;
  facade.summary = async (id) => (seen.push(id), original(id));
  const r = await api.call('POST', `/api/tasks/${PLAN}/3-4-4/${encodeURIComponent(REGION)}/cancel`, {
    token: tokens.supervisor,
    body: { reason: '方案修订' },
  });
  facade.summary = original;
  // No Temporal here: the command waits for the workflow (503); a bad id would be 400, an unknown one 404.
  expect(r.status).toBe(503);
  expect(seen).toEqual([`task/${PLAN}/3-4-4/${REGION}`]);
});
