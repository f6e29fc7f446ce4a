/**
 * The HTTP routes over a real store. The server listens on a free local port and is called with fetch:
 * fastify's app.inject needs light-my-request, whose `cookie` dependency is ESM-only and cannot be
 * loaded by jest's CommonJS runtime.
 */
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../client/http';
import { PLAN, seededFixture, type Fixture } from './seed';

let fx: Fixture;
let app: FastifyInstance;
let base: string;
const errors: string[] = [];

beforeAll(async () => {
  fx = await seededFixture();
  app = buildHttpServer({ facade: fx.facade, onError: (_err, where) => errors.push(where) });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await fx?.close();
});

const call = async (origin: string, url: string) => {
  const r = await fetch(origin + url);
  const raw = await r.text();
  return {
    status: r.status,
    type: r.headers.get('content-type'),
    body: JSON.parse(raw) as Record<string, unknown>,
    raw,
  };
};
const get = (url: string) => call(base, url);

describe('GET /health', () => {
  it('answers even when Temporal does not, and says so', async () => {
    const r = await get('/health');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, temporal: 'down' });
  });
});

describe('GET /api/tasks', () => {
  it('lists every task from the store, ordered by plan, due date and id', async () => {
    const r = await get('/api/tasks');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body.count).toBe(4);
    const tasks = r.body.tasks as { workflowId: string; status: string }[];
    expect(tasks.map((t) => [t.workflowId, t.status])).toEqual([
      ['task/other-plan/1-1-1', 'assigned'],
      [`task/${PLAN}/2-1-2`, 'assigned'],
      [`task/${PLAN}/2-1-1`, 'acknowledged'],
      [`task/${PLAN}/2-1-7`, 'completed'],
    ]);
    expect(tasks[2]).toMatchObject({
      plan: PLAN,
      taskId: '2-1-1',
      title: '加强工业污染防治：严格环境准入',
      lead: ['区环保局'],
      cooperating: ['区发改局', '区经信局'],
      due: '2027-06-30',
      acknowledged: ['区环保局'],
      seq: 3,
    });
  });

  it('filters by plan, status and department (lead or cooperating), also URL-encoded Chinese', async () => {
    const ids = async (q: string) =>
      ((await get(`/api/tasks?${q}`)).body.tasks as { taskId: string }[]).map((t) => t.taskId);
    expect(await ids(`plan=${PLAN}`)).toEqual(['2-1-2', '2-1-1', '2-1-7']);
    expect(await ids('status=completed')).toEqual(['2-1-7']);
    expect(await ids(`department=${encodeURIComponent('区环保局')}`)).toEqual(['2-1-2', '2-1-1']);
    expect(await ids(`plan=${PLAN}&status=assigned&department=${encodeURIComponent('区经信局')}`)).toEqual([
      '2-1-2',
    ]);
    expect(await ids('plan=no-such-plan')).toEqual([]);
  });

  it('refuses a bad filter with 400 naming the field', async () => {
    const r = await get('/api/tasks?status=late');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'bad_request',
      field: 'status',
      message:
        'status: 状态应为 / status must be one of assigned, acknowledged, submitted, completed, cancelled',
    });
    const plan = await get('/api/tasks?plan=has%20space');
    expect(plan.status).toBe(400);
    expect(plan.body).toMatchObject({ error: 'bad_request', field: 'plan' });
    const twice = await get('/api/tasks?plan=a&plan=b');
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({
      field: 'plan',
      message: 'plan: 应为一个方案编号 / must be one plan id',
    });
    const empty = await get('/api/tasks?department=%20');
    expect(empty.body).toMatchObject({
      field: 'department',
      message: 'department: 不能为空 / must not be empty',
    });
  });

  it('refuses an unknown parameter, naming it', async () => {
    const r = await get('/api/tasks?dept=x');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'bad_request',
      field: 'dept',
      message: 'dept: 未知参数 / unknown parameter (allowed: plan, status, department)',
    });
  });
});

describe('GET /api/tasks/:plan/:id', () => {
  it('gives the summary and the ledger, oldest first, hash-chained', async () => {
    const r = await get(`/api/tasks/${PLAN}/2-1-1`);
    expect(r.status).toBe(200);
    expect(r.body.task).toMatchObject({ workflowId: `task/${PLAN}/2-1-1`, status: 'acknowledged' });
    const ledger = r.body.ledger as {
      seq: number;
      type: string;
      prevHash: string;
      hash: string;
      event: { by?: string };
    }[];
    expect(ledger.map((e) => [e.seq, e.type])).toEqual([
      [1, 'TaskAssigned'],
      [2, 'Acknowledged'],
      [3, 'ProgressReported'],
    ]);
    expect(ledger[1].event.by).toBe('区环保局');
    expect(ledger[2].prevHash).toBe(ledger[1].hash);
    expect(ledger[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 404 in JSON for a task that does not exist', async () => {
    const r = await get(`/api/tasks/${PLAN}/9-9-9`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      error: 'not_found',
      message: `未找到任务 task/${PLAN}/9-9-9 / no task task/${PLAN}/9-9-9`,
    });
  });

  it('answers 400 for a malformed id and 404 JSON for an unknown route', async () => {
    const bad = await get(`/api/tasks/${PLAN}/${encodeURIComponent('a b')}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_request', field: 'id' });
    const none = await get('/api/nothing');
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ error: 'not_found' });
  });
});

describe('errors', () => {
  it('never shows a stack trace: a failing store becomes a plain 500', async () => {
    const broken = buildHttpServer({
      facade: {
        ...fx.facade,
        list: () => Promise.reject(new Error('SQLITE_CORRUPT: database disk image is malformed')),
      },
      onError: (_err, where) => errors.push(where),
    });
    const r = await call(await broken.listen({ port: 0, host: '127.0.0.1' }), '/api/tasks').finally(() =>
      broken.close(),
    );
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: 'internal', message: '服务器内部错误 / internal server error' });
    expect(r.raw).not.toMatch(/SQLITE|at .*\.ts/);
    expect(errors).toEqual(['GET /api/tasks']);
  });
});
