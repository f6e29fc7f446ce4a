/**
 * Commands over HTTP with no token, a wrong, a revoked or an oversized one, and with the token of someone
 * who may not act on the task: each answered 401 or 403 with the reason, and nothing of it reaches the
 * task — its ledger, outbox, history and projection stay exactly as they were.
 */
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../http/server';
import { createToken, revokeToken } from '../../services/tokens';
import { startBadInputRig, type BadInputRig } from './rig';

let rig: BadInputRig;
let app: FastifyInstance;
let base: string;
const plan = `tok-${Date.now().toString(36)}`;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  rig = await startBadInputRig('tokens');
  app = buildHttpServer({ facade: rig.duban, store: rig.store, pages: false, auth: { maxFailures: 1000 } });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const make = async (name: string, req: Parameters<typeof createToken>[1]) =>
    (tokens[name] = (await createToken(rig.store, { name, ...req })).token);
  await make('hb', { role: 'department', department: '区环保局' });
  await make('zj', { role: 'department', department: '区住建局' });
  await make('lead', { role: 'leadership' });
  await make('old', { role: 'department', department: '区环保局' });
  await revokeToken(rig.store, 'old');
  await rig.duban.startTasks([{ plan, id: 'a', title: '令牌任务', lead: ['区环保局'], due: '2030-12-31' }]);
});
afterAll(async () => {
  await app?.close();
  await rig?.close();
});

const ack = (authorization?: string) =>
  fetch(`${base}/api/tasks/${plan}/a/acknowledge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: '{}',
  });

test.each([
  ['no token', undefined, 401, /./],
  [
    'a wrong token',
    () => `Bearer dbn_${'A'.repeat(43)}`,
    401,
    '令牌无效或已撤销 / the token is invalid or revoked',
  ],
  [
    'a revoked token',
    () => `Bearer ${tokens.old}`,
    401,
    '令牌无效或已撤销 / the token is invalid or revoked',
  ],
  ['an oversized token', () => `Bearer ${'x'.repeat(10_000)}`, 401, 'the token is invalid or revoked'],
  [
    'a token of a department not on the task',
    () => `Bearer ${tokens.zj}`,
    403,
    '区住建局 不是本任务的牵头或配合单位',
  ],
  ['a leadership token', () => `Bearer ${tokens.lead}`, 403, /./],
])('%s: refused with the reason, nothing kept', async (_name, auth, status, message) => {
  const workflowId = `task/${plan}/a`;
  await rig.settle(workflowId);
  const before = await rig.snapshot(workflowId);
  const r = await ack(typeof auth === 'function' ? auth() : auth);
  expect(r.status).toBe(status);
  const body = (await r.json()) as { message: string };
  if (typeof message === 'string') expect(body.message).toContain(message);
  else expect(body.message).toMatch(message);
  expect(await rig.snapshot(workflowId)).toEqual(before);
});

test('the right token acts', async () => {
  const r = await ack(`Bearer ${tokens.hb}`);
  expect(r.status).toBe(200);
  expect(((await r.json()) as { status: string }).status).toBe('acknowledged');
});
