/**
 * Every command route, restriction impose/lift and plan import/check/start on a real dev server with a
 * worker: success, 400 naming the field, 401, 403 for the wrong role or department, 409 for a refusal. The
 * task commands run on both stores (SQLite, and PostgreSQL on a throwaway cluster).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { createRestrictionClient } from '../../services/restrictions';
import { createToken } from '../../services/tokens';
import type { TaskSpecInput } from '../../domain';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';
import { makeTokens, mentions, startApi, type Api, type Role } from './helpers';

let env: TestWorkflowEnvironment;
let tmp: string;

/** What the tests talk to: a store, a worker on it, the API over both; `plan` names this round's tasks. */
interface Side {
  store: Store;
  worker: { stop(): Promise<void> };
  duban: DubanClient;
  api: Api;
  tokens: Record<Role | 'coop', string>;
  plan: string;
}
let store: Store;
let duban: DubanClient;
let api: Api;
let tokens: Record<Role | 'coop', string>;
let plan: string;
let side: Side | undefined;

/** A store at `location` (default: a SQLite file in tmp), its own worker and task queue, the API on it. */
async function openSide(name: string, location?: string): Promise<Side> {
  const config = loadConfig({
    DUBAN_DATA_DIR: path.join(tmp, name),
    DUBAN_TASK_QUEUE: uniqueId(`api-${name}`),
    ...(location ? { DUBAN_DB_URL: location } : {}),
  });
  const opened = await openStore(config.db.file);
  const worker = await runDubanWorker(env, config, opened);
  const taskQueue = config.temporal.taskQueue;
  const facade = createDubanClient({ client: env.client, taskQueue, store: opened });
  return {
    store: opened,
    worker,
    duban: facade,
    tokens: {
      ...(await makeTokens(opened)),
      coop: (await createToken(opened, { role: 'department', department: '区经信局' })).token,
    },
    api: await startApi({
      facade,
      store: opened,
      restrictions: createRestrictionClient({ client: env.client, taskQueue }),
      onError: () => undefined,
    }),
    plan: uniqueId(`api-${name}`).toLowerCase(),
  };
}

/** The tests below use whichever side is current. */
function use(s: Side): void {
  side = s;
  ({ store, duban, api, tokens, plan } = s);
}

async function closeSide(s: Side): Promise<void> {
  await s.api.close();
  await s.worker.stop();
  await s.store.close();
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-api-'));
  env = await devServerEnv();
  use(await openSide('sqlite'));
});

afterAll(async () => {
  if (side) await closeSide(side);
  await env?.teardown();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const spec = (id: string, extra: Partial<TaskSpecInput> = {}): TaskSpecInput => ({
  plan,
  id,
  title: `任务 ${id}`,
  lead: ['区环保局'],
  cooperating: ['区经信局'],
  due: '2030-12-31',
  ...extra,
});

/** Starts the tasks and waits for their projection (what the API checks a caller against). */
async function start(...specs: TaskSpecInput[]): Promise<void> {
  await duban.startTasks(specs);
  await until(async () =>
    (
      await Promise.all(
        specs.map((s) => store.getTask(`task/${plan}/${s.id}${s.region ? `/${s.region}` : ''}`)),
      )
    ).every(Boolean),
  );
}

async function until(ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Who = Role | 'coop' | 'public';
const post = (who: Who, url: string, body?: unknown) =>
  api.call('POST', url, {
    ...(who === 'public' ? {} : { token: tokens[who] }),
    ...(body === undefined ? {} : { body }),
  });
const cmd = (who: Who, id: string, command: string, body?: unknown) =>
  post(who, `/api/tasks/${plan}/${id.split('/').map(encodeURIComponent).join('/')}/${command}`, body);

function expectStatus(
  r: { status: number; body: Record<string, unknown> },
  status: number,
  extra: object = {},
) {
  expect({ status: r.status, body: r.body }).toEqual({ status, body: expect.objectContaining(extra) });
}

// The commands go through the worker's recording into the store, and the API checks each caller against the
// store's projection: on both stores. The interviews, restrictions and plans below stay on SQLite.
describe.each(BACKENDS)('task commands on %s', (name) => {
  const backend = useBackend(name);
  let sqlite: Side | undefined;
  beforeAll(async () => {
    if (name === 'postgres') {
      sqlite = side;
      use(await openSide('postgres', await backend.fresh()));
    }
    await start(
      spec('a'),
      spec('b'),
      spec('c', { region: '泥沟镇', lead: ['泥沟镇'], cooperating: ['区环保局'] }),
    );
  });
  afterAll(async () => {
    if (!sqlite || !side) return;
    await closeSide(side);
    use(sqlite);
  });

  it('acknowledge: 401, 403 for leadership, the supervisor and a department not on the task, then 200, then 409', async () => {
    expectStatus(await cmd('public', 'a', 'acknowledge'), 401, { error: 'unauthorized' });
    expectStatus(await cmd('leadership', 'a', 'acknowledge'), 403, {
      message: '区领导只能查看，不能操作 / leadership reads; it does not act',
    });
    expectStatus(await cmd('supervisor', 'a', 'acknowledge'), 403, { error: 'forbidden' });
    expectStatus(await cmd('otherDept', 'a', 'acknowledge'), 403, {
      message:
        '区住建局 不是本任务的牵头或配合单位 / 区住建局 is not a lead or cooperating department of this task',
    });
    expectStatus(await cmd('region', 'a', 'acknowledge'), 403, { error: 'forbidden' });
    expectStatus(await cmd('dept', 'nope', 'acknowledge'), 404, { error: 'not_found' });
    expectStatus(await cmd('dept', 'a', 'acknowledge', { extra: 1 }), 400, { field: 'extra' });
    const ok = await cmd('dept', 'a', 'acknowledge');
    expectStatus(ok, 200, {
      workflowId: `task/${plan}/a`,
      status: 'acknowledged',
      acknowledged: ['区环保局'],
    });
    expectStatus(await cmd('dept', 'a', 'acknowledge', {}), 409, {
      error: 'refused',
      code: 'already_acknowledged',
      message: '区环保局 已签收 / 区环保局 has already acknowledged',
    });
    expectStatus(await cmd('coop', 'a', 'acknowledge'), 200, { acknowledged: ['区环保局', '区经信局'] });
  });

  it('acts as the token says, whatever actor the body names', async () => {
    const r = await cmd('dept', 'b', 'acknowledge', { actor: '区住建局' });
    expectStatus(r, 200, { acknowledged: ['区环保局'] });
  });

  it('a 镇街 acts on its region’s task, by the region in the URL', async () => {
    expectStatus(await cmd('region', 'c/泥沟镇', 'acknowledge'), 200, {
      status: 'acknowledged',
      acknowledged: ['泥沟镇'],
    });
    expectStatus(await cmd('dept', 'c/泥沟镇', 'submitCompletion', { summary: 'x' }), 403, {
      message: '只有牵头单位 泥沟镇 可以提交办结 / only the lead department 泥沟镇 may submit completion',
    });
  });

  it('reportProgress: 400 naming note, 403, 200, and 409 before acknowledging', async () => {
    expectStatus(await cmd('dept', 'a', 'reportProgress', {}), 400, {
      field: 'note',
      message: 'note: 缺少必填字段 / required field is missing',
    });
    expectStatus(await cmd('dept', 'a', 'reportProgress', { note: '   ' }), 400, { field: 'note' });
    expectStatus(await cmd('otherDept', 'a', 'reportProgress', { note: 'x' }), 403, {});
    expectStatus(await cmd('dept', 'a', 'reportProgress', { note: '已完成排查' }), 200, {
      status: 'acknowledged',
    });
    expectStatus(await cmd('coop', 'b', 'reportProgress', { note: 'x' }), 409, { code: 'not_acknowledged' });
  });

  it('requestExtension and decideExtension: lead asks, supervisor decides', async () => {
    expectStatus(await cmd('coop', 'a', 'requestExtension', { to: '2031-06-30', reason: '资金' }), 403, {});
    expectStatus(await cmd('dept', 'a', 'requestExtension', { to: '2031/06/30', reason: '资金' }), 400, {
      field: 'to',
    });
    expectStatus(await cmd('dept', 'a', 'requestExtension', { to: '2029-01-01', reason: '资金' }), 409, {
      code: 'date_not_later',
    });
    expectStatus(
      await cmd('dept', 'a', 'requestExtension', { to: '2031-06-30', reason: '资金未到位' }),
      200,
      {
        due: '2030-12-31',
      },
    );
    expectStatus(await cmd('dept', 'a', 'requestExtension', { to: '2031-07-30', reason: '再延' }), 409, {
      code: 'extension_pending',
    });
    expectStatus(await cmd('dept', 'a', 'decideExtension', { approve: true }), 403, {
      message: '只有督查室可以执行此操作 / only a supervisor may do this',
    });
    expectStatus(await cmd('supervisor', 'a', 'decideExtension', { approve: 'yes' }), 400, {
      field: 'approve',
    });
    expectStatus(await cmd('supervisor', 'a', 'decideExtension', { approve: true, note: '同意' }), 200, {
      due: '2031-06-30',
    });
    expectStatus(await cmd('supervisor', 'a', 'decideExtension', { approve: false }), 409, {
      code: 'no_extension_request',
    });
  });

  it('scheduleInterview and recordInterview refuse a task with no interview ordered (409)', async () => {
    expectStatus(
      await cmd('supervisor', 'a', 'scheduleInterview', { at: '2030-01-02 09:00', place: '三楼' }),
      409,
      {
        code: 'no_interview',
      },
    );
    expectStatus(
      await cmd('dept', 'a', 'scheduleInterview', { at: '2030-01-02 09:00', place: '三楼' }),
      403,
      {},
    );
  });

  it('submit, reject, submit, verify; then everything is refused as closed', async () => {
    expectStatus(await cmd('coop', 'a', 'submitCompletion', { summary: '完成' }), 403, {});
    expectStatus(await cmd('dept', 'a', 'submitCompletion', { summary: '' }), 400, { field: 'summary' });
    expectStatus(await cmd('dept', 'a', 'submitCompletion', { summary: '全部完成' }), 200, {
      status: 'submitted',
    });
    expectStatus(await cmd('dept', 'a', 'submitCompletion', { summary: '再交' }), 409, {
      code: 'already_submitted',
    });
    expectStatus(await cmd('dept', 'a', 'rejectCompletion', { reason: '不全' }), 403, {});
    expectStatus(await cmd('supervisor', 'a', 'rejectCompletion', {}), 400, { field: 'reason' });
    expectStatus(await cmd('supervisor', 'a', 'rejectCompletion', { reason: '材料不全' }), 200, {
      status: 'acknowledged',
    });
    expectStatus(await cmd('supervisor', 'a', 'verifyCompletion', {}), 409, { code: 'not_submitted' });
    await cmd('dept', 'a', 'submitCompletion', { summary: '补齐材料' });
    expectStatus(await cmd('leadership', 'a', 'verifyCompletion', {}), 403, {});
    expectStatus(await cmd('supervisor', 'a', 'verifyCompletion', { note: 42 }), 400, { field: 'note' });
    expectStatus(await cmd('supervisor', 'a', 'verifyCompletion', { note: '通过' }), 200, {
      status: 'completed',
    });
    expectStatus(await cmd('supervisor', 'a', 'verifyCompletion', {}), 409, { code: 'closed' });
    expectStatus(await cmd('dept', 'a', 'reportProgress', { note: 'x' }), 409, { code: 'closed' });
  });

  it('cancel: supervisor only, with a reason', async () => {
    expectStatus(await cmd('dept', 'b', 'cancel', { reason: 'x' }), 403, {});
    expectStatus(await cmd('supervisor', 'b', 'cancel', {}), 400, { field: 'reason' });
    expectStatus(await cmd('supervisor', 'b', 'cancel', { reason: '任务调整' }), 200, {
      status: 'cancelled',
    });
    expectStatus(await cmd('supervisor', 'b', 'cancel', { reason: '再撤' }), 409, { code: 'closed' });
  });

  it('the detail shows the timeline, the due-date history and the rungs ahead', async () => {
    await until(async () => ((await store.getTask(`task/${plan}/a`))?.status ?? '') === 'completed');
    const r = await api.call('GET', `/api/tasks/${plan}/a`, { token: tokens.dept });
    expect(r.status).toBe(200);
    expect((r.body.dueHistory as { due: string }[]).map((d) => d.due)).toEqual(['2030-12-31', '2031-06-30']);
    expect((r.body.ledger as { type: string }[]).map((e) => e.type)).toContain('ExtensionGranted');
    const c = await api.call('GET', `/api/tasks/${plan}/c/${encodeURIComponent('泥沟镇')}`, {
      token: tokens.region,
    });
    expect((c.body.upcoming as { rung: { kind: string } }[]).map((u) => u.rung.kind)).toContain('warning');
  });
});

describe('interviews', () => {
  // Born overdue, a day a second, the interview ordered at once: the ladder reaches 约谈 in seconds.
  const id = 'late';
  beforeAll(async () => {
    await start(spec(id, { due: '2020-01-01', policy: { secondsPerDay: 1, interviewAfterOverdue: 0 } }));
    await until(async () => (await store.getTask(`task/${plan}/${id}`))?.escalation === 'interview');
  });

  it('scheduleInterview: 400 naming at, 403, 200', async () => {
    expectStatus(await cmd('supervisor', id, 'scheduleInterview', { at: 'tomorrow', place: '三楼' }), 400, {
      field: 'at',
    });
    expectStatus(
      await cmd('dept', id, 'scheduleInterview', { at: '2030-01-02 09:00', place: '三楼' }),
      403,
      {},
    );
    expectStatus(
      await cmd('supervisor', id, 'scheduleInterview', { at: '2030-01-02 09:00', place: '区政府三楼' }),
      200,
      {
        escalation: 'interview',
      },
    );
  });

  it('recordInterview: 400 naming attendees, 403, 200, then 409; the public never sees who attended', async () => {
    expectStatus(await cmd('supervisor', id, 'recordInterview', { attendees: [], opinions: '整改' }), 400, {
      field: 'attendees',
    });
    expectStatus(
      await cmd('leadership', id, 'recordInterview', { attendees: ['甲'], opinions: '整改' }),
      403,
      {},
    );
    const body = { attendees: ['蒋参会', '沈参会'], opinions: '限期整改', rectificationDue: '2031-01-31' };
    expectStatus(await cmd('supervisor', id, 'recordInterview', body), 200, {});
    expectStatus(await cmd('supervisor', id, 'recordInterview', body), 409, { code: 'interview_recorded' });
    const pub = await api.call('GET', '/api/public/progress');
    expect(mentions(pub.raw, body.attendees)).toEqual([]);
    const detail = await api.call('GET', `/api/tasks/${plan}/${id}`, { token: tokens.supervisor });
    expect(mentions(detail.raw, body.attendees)).toEqual(body.attendees);
  });
});

describe('restrictions', () => {
  const region = uniqueId('镇');
  const q = `region=${encodeURIComponent(region)}&sector=${encodeURIComponent('造纸')}`;

  it('impose and lift by the supervisor; the check follows, live, for anyone', async () => {
    const body = { region, sector: '造纸', reason: '督查室决定' };
    const r = await post('supervisor', '/api/restrictions/impose', body);
    expectStatus(r, 200, { changed: 1 });
    expect(r.body.active).toEqual([expect.objectContaining({ region, sector: '造纸', by: 'supervisor' })]);
    expectStatus(await post('supervisor', '/api/restrictions/impose', body), 200, { changed: 0 });
    const check = await api.call('GET', `/api/restrictions/check?${q}`);
    expect(check.body).toMatchObject({ restricted: true, source: 'live' });
    expect(JSON.stringify(check.body)).not.toContain('督查室决定');
    expectStatus(await post('supervisor', '/api/restrictions/lift', { ...body, reason: '已整改' }), 200, {
      changed: 1,
      active: [],
    });
    expect((await api.call('GET', `/api/restrictions/check?${q}`)).body).toMatchObject({ restricted: false });
  });

  it('409 when there is nothing to lift', async () => {
    const r = await post('supervisor', '/api/restrictions/lift', {
      region: uniqueId('镇'),
      sector: '化工',
      reason: '无',
    });
    expectStatus(r, 409, { error: 'refused' });
  });
});

describe('plans', () => {
  const text = fs.readFileSync(
    path.join(__dirname, '..', '..', 'plans', 'taierzhuang-2016-water-pollution-plan.txt'),
    'utf8',
  );
  let breakdown: { plan: { id: string }; tasks: { regions: string[] }[] };

  it('import: supervisor only; the document becomes a breakdown', async () => {
    expectStatus(await post('public', '/api/plans/import', { text }), 401, {});
    expectStatus(await post('dept', '/api/plans/import', { text }), 403, {});
    expectStatus(await post('supervisor', '/api/plans/import', { text: '' }), 400, { field: 'text' });
    expectStatus(await post('supervisor', '/api/plans/import', { text: '没有任何分工的一段话。' }), 400, {
      field: 'text',
    });
    const r = await post('supervisor', '/api/plans/import', { text, id: `${plan}-imp` });
    expect(r.status).toBe(200);
    breakdown = r.body.breakdown as typeof breakdown;
    expect(breakdown.plan.id).toBe(`${plan}-imp`);
    expect(r.body.tasks).toBe(breakdown.tasks.length);
    expect(String(r.body.yaml)).toContain(`id: ${plan}-imp`);
  });

  it('check: ok with the numbers, or the issues by path', async () => {
    expectStatus(await post('leadership', '/api/plans/check', { breakdown }), 403, {});
    const ok = await post('supervisor', '/api/plans/check', { breakdown });
    expectStatus(ok, 200, { ok: true, plan: `${plan}-imp`, issues: [] });
    const broken = await post('supervisor', '/api/plans/check', { breakdown: { ...breakdown, tasks: [] } });
    expectStatus(broken, 200, { ok: false });
    expect((broken.body.issues as { path: string }[])[0].path).toBe('tasks');
    expectStatus(await post('supervisor', '/api/plans/check', {}), 400, { field: 'breakdown' });
    expectStatus(await post('supervisor', '/api/plans/check', { yaml: 'plan: [' }), 200, { ok: false });
  });

  it('check: what is left for a person, each note with its document line', async () => {
    const warnings = (breakdown as unknown as { warnings: { line: number | null; message: string }[] })
      .warnings;
    const r = await post('supervisor', '/api/plans/check', { breakdown });
    expectStatus(r, 200, { ok: true });
    const review = r.body.review as { line: number | null; text: string; why: string }[];
    expect(review.map((x) => [x.line, x.text])).toEqual(warnings.map((w) => [w.line, w.message]));
    expect(review.some((x) => x.line !== null)).toBe(true);
    for (const x of review) expect(x.why).toMatch(/^导入提示.+ \/ importer note/);
  });

  it('start: every workflow once; again starts nothing; a broken breakdown is 400 naming the path', async () => {
    const small = { ...breakdown, tasks: breakdown.tasks.filter((t) => t.regions.length === 0).slice(0, 2) };
    expectStatus(await post('dept', '/api/plans/start', { breakdown: small }), 403, {});
    const first = await post('supervisor', '/api/plans/start', { breakdown: small });
    expectStatus(first, 200, { plan: `${plan}-imp`, started: 2, alreadyRunning: 0 });
    expectStatus(await post('supervisor', '/api/plans/start', { breakdown: small }), 200, {
      started: 0,
      alreadyRunning: 2,
    });
    const bad = await post('supervisor', '/api/plans/start', { breakdown: { ...small, tasks: [] } });
    expectStatus(bad, 400, { error: 'bad_request', field: 'breakdown.tasks' });
  });
});
