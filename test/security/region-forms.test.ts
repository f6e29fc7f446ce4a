/**
 * A 镇街 token sees no 签收 form on a task of its region where it is neither lead nor cooperating: the
 * page's forms come from available() in the command contract, as can() and the workflow decide.
 */
import { summarize, type TaskSpecInput } from '../../domain';
import { TemporalUnavailable } from '../../services/errors';
import { PLAN, history, seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from '../http/helpers';

let fx: Fixture;
let api: Api;
let tokens: Record<Role, string>;
const inRegion: TaskSpecInput = {
  plan: PLAN,
  id: '4-1-1',
  title: '镇街污水管网',
  lead: ['区环保局'],
  cooperating: ['区住建局'],
  region: '泥沟镇',
  due: '2030-06-30',
};
const regionLeads: TaskSpecInput = { ...inRegion, id: '4-1-2', lead: ['泥沟镇'], cooperating: ['区环保局'] };

beforeAll(async () => {
  fx = await seededFixture();
  for (const spec of [inRegion, regionLeads]) {
    const h = history(spec, []);
    await fx.store.appendEvents(h.workflowId, h.events);
    await fx.store.upsertTask(summarize(h.workflowId, h.state));
  }
  tokens = await makeTokens(fx.store);
  const down = () => Promise.reject(new TemporalUnavailable('down', 'server'));
  api = await startApi({
    facade: { ...fx.facade, state: down, upcoming: down },
    store: fx.store,
    pages: { plans: () => new Map(), queryTimeoutMs: 100 },
  });
});
afterAll(async () => {
  await api?.close();
  await fx?.close();
});

const forms = async (role: Role, id: string) => {
  const r = await api.call('GET', `/tasks/${PLAN}/${id}/${encodeURIComponent('泥沟镇')}`, {
    token: tokens[role],
  });
  expect(r.status).toBe(200);
  return [...r.raw.matchAll(/data-command="(\w+)"/g)].map((m) => m[1]);
};

test('the region sees no 签收 form on its region’s task where it is not named', async () => {
  expect(await forms('region', '4-1-1')).toEqual([]);
  const r = await api.call('POST', `/api/tasks/${PLAN}/4-1-1/${encodeURIComponent('泥沟镇')}/acknowledge`, {
    token: tokens.region,
    body: {},
  });
  expect(r.status).toBe(403);
});

test('the lead department does, and so does the region where it leads', async () => {
  expect(await forms('dept', '4-1-1')).toContain('acknowledge');
  expect(await forms('region', '4-1-2')).toContain('acknowledge');
});
