/**
 * A breakdown is checked against the directory as a task file is: `plan check` and `plan start` (CLI and
 * POST /api/plans/check|start) name every unknown lead, cooperating department or region with its task and
 * the closest known name, and nothing of such a breakdown is started.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';
import { loadConfig } from '../../config/config';
import type { DubanClient } from '../../services/facade';
import { seededFixture, type Fixture } from '../cli/seed';
import { makeTokens, startApi, type Api, type Role } from '../http/helpers';

const SHIPPED = path.join(__dirname, '..', '..', 'plans', 'taierzhuang-2016-water.yaml');
let dir: string;
let file: string;
let yaml: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-sec-plan-'));
  file = path.join(dir, 'plan.yaml');
  // Typos the breakdown's own check cannot see: renamed in departments too, so the names agree inside it.
  yaml = fs
    .readFileSync(SHIPPED, 'utf8')
    .replaceAll('区环保局', '区环宝局')
    .replaceAll('区水务局', '区水务')
    .replaceAll('泥沟镇', '泥沟真');
  fs.writeFileSync(file, yaml);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const started: unknown[] = [];
const open: CliIo['open'] = async () =>
  ({
    facade: {
      startTasks: async (specs) => (
        started.push(...specs),
        specs.map(() => ({ workflowId: 'x', started: true }))
      ),
    } as Partial<DubanClient> as DubanClient,
    address: 'localhost:7233',
    ensureTemporal: async () => undefined,
    close: async () => undefined,
  }) satisfies Session;

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: dir },
    today: '2017-01-10',
    open,
  });
  return { code, stdout, stderr };
}

describe('duban plan check and plan start', () => {
  it('name each unknown department and region with its task and the closest known name', async () => {
    const r = await run(['plan', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${file}: tasks[0].lead[0]: 任务 2-1-1：未知单位 区环宝局，通讯录中没有，是否应为 区环保局？ / task 2-1-1: unknown department 区环宝局, not in the directory — did you mean 区环保局?`,
    );
    expect(r.stderr).toMatch(
      /tasks\[\d+\]\.(lead|cooperating)\[\d+\]: 任务 [\d-]+：未知单位 区水务，通讯录中没有，是否应为 区水务局？/,
    );
    expect(r.stderr).toMatch(
      /tasks\[\d+\]\.regions\[1\]: 任务 [\d-]+：未知镇街 泥沟真，通讯录中没有，是否应为 泥沟镇？/,
    );
  });

  it('plan start refuses to start any of it', async () => {
    const r = await run(['plan', 'start', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('未知单位 区环宝局');
    expect(started).toEqual([]);
  });

  it('the shipped breakdown, every name in the directory, still passes', async () => {
    expect((await run(['plan', 'check', SHIPPED])).code).toBe(0);
  });
});

describe('POST /api/plans/check and /api/plans/start', () => {
  let fx: Fixture;
  let api: Api;
  let tokens: Record<Role, string>;
  beforeAll(async () => {
    fx = await seededFixture();
    tokens = await makeTokens(fx.store);
    const facade = {
      ...fx.facade,
      health: async () => 'up' as const,
      startTasks: async (specs: unknown[]) => (started.push(...specs), []),
    } as DubanClient;
    api = await startApi({ facade, store: fx.store, config: loadConfig({ DUBAN_DATA_DIR: dir }) });
  });
  afterAll(async () => {
    await api?.close();
    await fx?.close();
  });

  it('check lists every unknown name by path', async () => {
    const r = await api.call('POST', '/api/plans/check', { token: tokens.supervisor, body: { yaml } });
    expect(r.status).toBe(200);
    const issues = r.body.issues as { path: string; message: string }[];
    expect(r.body.ok).toBe(false);
    expect(issues[0]).toEqual({
      path: 'tasks[0].lead[0]',
      message:
        '任务 2-1-1：未知单位 区环宝局，通讯录中没有，是否应为 区环保局？ / task 2-1-1: unknown department 区环宝局, not in the directory — did you mean 区环保局?',
    });
    expect(issues.some((i) => i.message.includes('未知镇街 泥沟真'))).toBe(true);
    expect(issues.some((i) => i.message.includes('未知单位 区水务，'))).toBe(true);
  });

  it('start is refused, naming the first and counting the rest; nothing started', async () => {
    const r = await api.call('POST', '/api/plans/start', { token: tokens.supervisor, body: { yaml } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field: 'yaml.tasks[0].lead[0]' });
    expect(String(r.body.message)).toMatch(/未知单位 区环宝局.*（另有 \d+ 处 \/ and \d+ more）$/);
    expect(started).toEqual([]);
  });
});
