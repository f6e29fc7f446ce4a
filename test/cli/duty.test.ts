/**
 * `plan start` starts a plan's duties on a real dev server with duban's worker; `duban duty list` and
 * GET /api/plans/:plan/duties then show each with its period, departments and current occurrence, and
 * the occurrence is a task `task show` and the task page know like any other; the dashboard's /duties
 * page lists the same. A bare 定期 is listed for review, unstarted.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import { loadConfig } from '../../config/config';
import { addWorkingDays, builtinCalendar, dayOf, nextPeriod, periodContaining } from '../../domain';
import { checkBreakdown, type Breakdown } from '../../importer';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { startBreakdown } from '../../services/plan-ops';
import { openStore, type Store } from '../../store';
import { makeTokens, startApi, type Api } from '../http/helpers';
import { devServerEnv, runDubanWorker, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let store: Store;
let facade: DubanClient;
let worker: { stop(): Promise<void> };
let api: Api;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-duty-cli-'));
  env = await devServerEnv();
  const config = loadConfig({ DUBAN_DATA_DIR: tmp, DUBAN_TASK_QUEUE: uniqueId('duty-cli') });
  store = await openStore(config.db.file);
  worker = await runDubanWorker(env, config, store);
  facade = createDubanClient({ client: env.client, taskQueue: config.temporal.taskQueue, store });
  api = await startApi({ facade, store, pages: { pollMs: 600_000 } });
});
afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await store?.close();
  await env?.teardown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const open: CliIo['open'] = async () =>
    ({
      facade,
      address: env.address,
      ensureTemporal: async () => undefined,
      store: async () => store,
      close: async () => undefined,
    }) satisfies Session;
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: tmp },
    open,
  });
  return { code, stdout, stderr };
}

async function eventually<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a started plan lists its duties with their current occurrence, on the CLI and the API', async () => {
  const plan = uniqueId('duty-plan');
  const today = dayOf(Date.now());
  const quarter = periodContaining('quarter', today);
  const endYear = Number(today.slice(0, 4)) + 1;
  const b: Breakdown = checkBreakdown({
    plan: { id: plan, title: '周期性工作测试方案' },
    tasks: [
      {
        id: '2-3-6',
        title: '强化从水源到水龙头全过程监管',
        text: `自${quarter.start.slice(0, 4)}年起，每季度要向社会公开饮水安全状况信息。`,
        lead: ['区卫计局'],
        cooperating: ['区水务局'],
        due: `${endYear}-12-31`,
        recurrence: {
          every: 'quarter',
          from: quarter.start,
          text: `自${quarter.start.slice(0, 4)}年起，每季度`,
        },
      },
      {
        id: '3-4-5',
        title: '加强环境监管',
        text: '定期开展突出环境问题大排查。',
        lead: ['区环保局'],
        due: `${endYear}-12-31`,
        recurrence: { every: 'year', text: '定期', assumed: true },
      },
    ],
  }).breakdown!;
  expect(b).toBeDefined();

  const started = await startBreakdown(facade, b, today);
  expect(started.duties).toMatchObject({ started: 1, alreadyRunning: 0, review: ['3-4-5'] });
  expect((await startBreakdown(facade, b, today)).duties).toMatchObject({ started: 0, alreadyRunning: 1 });

  // The quarter under way is still due: its occurrence opens at once, ten working days after the quarter.
  const due = addWorkingDays(builtinCalendar(), quarter.end, 10).date;
  const occurrence = `2-3-6.${quarter.label}`;
  await eventually(
    'occurrence recorded',
    async () => (await store.getTask(`task/${plan}/${occurrence}`))?.seq,
  );
  await eventually('duty recorded', async () => {
    const d = (await store.listDuties(plan)).find((x) => x.id === '2-3-6');
    return d?.current?.id === occurrence;
  });

  const listed = await run(['duty', 'list', '--plan', plan, '--json']);
  expect(listed.stderr).toBe('');
  const duties = JSON.parse(listed.stdout) as unknown[];
  expect(duties).toEqual([
    {
      plan,
      id: '2-3-6',
      workflowId: `duty/${plan}/2-3-6`,
      region: null,
      title: `强化从水源到水龙头全过程监管：自${quarter.start.slice(0, 4)}年起，每季度要向社会公开饮水安全状况信息`,
      every: 'quarter',
      lead: ['区卫计局'],
      cooperating: ['区水务局'],
      from: quarter.start,
      until: `${endYear}-12-31`,
      status: 'running',
      current: {
        id: occurrence,
        workflowId: `task/${plan}/${occurrence}`,
        period: quarter.label,
        due,
        status: 'assigned',
        escalation: 'none',
      },
      next: { period: nextPeriod('quarter', quarter).label, opensOn: nextPeriod('quarter', quarter).start },
    },
    expect.objectContaining({ id: '3-4-5', every: null, status: 'review', current: null, next: null }),
  ]);

  // The occurrence is a task like any other: acknowledged by its lead, shown by `task show`.
  await facade.command(`${plan}/${occurrence}`, 'acknowledge', { actor: '区卫计局' });
  await eventually(
    'acknowledged in the store',
    async () => (await store.getTask(`task/${plan}/${occurrence}`))?.status === 'acknowledged',
  );
  const shown = await run(['task', 'show', `${plan}/${occurrence}`, '--json']);
  expect(JSON.parse(shown.stdout)).toMatchObject({
    workflowId: `task/${plan}/${occurrence}`,
    state: { status: 'acknowledged', due, spec: { lead: ['区卫计局'], cooperating: ['区水务局'] } },
  });

  const text = await run(['duty', 'list', '--plan', plan]);
  expect(text.stdout).toContain(`${quarter.label} ${occurrence} 截止 ${due}（办理中）`);
  expect(text.stdout).toContain('定期（未定）');
  expect(text.stdout).toContain('待核定周期');

  const tokens = await makeTokens(store);
  const r = await api.call('GET', `/api/plans/${plan}/duties`, { token: tokens.leadership });
  expect(r.status).toBe(200);
  expect(r.body).toEqual({
    plan,
    duties: [
      {
        ...(duties[0] as object),
        current: { ...(duties[0] as { current: object }).current, status: 'acknowledged' },
      },
      duties[1],
    ],
  });
  expect((await api.call('GET', `/api/plans/${plan}/duties`)).status).toBe(401);
  const bad = await api.call('GET', '/api/plans/-x/duties', { token: tokens.supervisor });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('plan');

  // The dashboard's page of duties: the occurrence links to its task page, the 定期 one awaits a period.
  const pageReply = await api.call('GET', `/duties?plan=${plan}`, { token: tokens.leadership });
  expect(pageReply.status).toBe(200);
  expect(pageReply.raw).toContain(`href="/tasks/${plan}/${occurrence}"`);
  expect(pageReply.raw).toMatch(new RegExp(`>${quarter.label}</a`));
  expect(pageReply.raw).toContain(`截止 ${due}`);
  expect(pageReply.raw).toContain('定期（待核定）');
  expect(pageReply.raw).toContain('每季度');
  const taskPage = await api.call('GET', `/tasks/${plan}/${occurrence}`, { token: tokens.leadership });
  expect(taskPage.status).toBe(200);
  expect(taskPage.raw).toContain(`${quarter.label.slice(0, 4)}年第${quarter.label.slice(5)}季度`);

  // A plan with no duty says so.
  expect((await run(['duty', 'list', '--plan', 'no-such-plan'])).stdout).toContain('没有已交办的周期性工作');
});
