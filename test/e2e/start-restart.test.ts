/**
 * `npm start` as a user runs it: the compiled app starts the dev server, worker and HTTP server on a
 * data folder; the `duban` CLI drives a task; SIGTERM stops everything cleanly; a second start
 * continues the task where it was, and the mails are .eml files under the data folder.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';

const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);
let tmp: string;
let env: NodeJS.ProcessEnv;
let app: ChildProcess | undefined;
let output = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startApp(): Promise<void> {
  output = '';
  const child = spawn(process.execPath, [path.join(root, 'dist', 'app', 'main.js')], { env, cwd: tmp });
  app = child;
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('ready.')) {
    if (child.exitCode !== null) throw new Error(`duban exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`duban did not get ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopApp(): Promise<number | null> {
  const child = app!;
  app = undefined;
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

const duban = async (...args: string[]) => {
  try {
    const r = await run(process.execPath, [path.join(root, 'bin', 'duban.js'), ...args], { env, cwd: tmp });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-start-'));
  const [temporalPort, uiPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_CLI: process.env.TEMPORAL_CLI,
    DUBAN_DATA_DIR: path.join(tmp, 'data'),
    DUBAN_TEMPORAL_PORT: String(temporalPort),
    DUBAN_TEMPORAL_UI_PORT: String(uiPort),
    DUBAN_HTTP_PORT: String(httpPort),
    // The mails counted below are the task's; a run across 08:00 Asia/Shanghai must not add a digest.
    DUBAN_DIGEST_SCHEDULE: 'off',
    DUBAN_BULLETIN_SCHEDULE: 'off',
  };
  fs.writeFileSync(
    path.join(tmp, 'tasks.yaml'),
    [
      'plan: restart-demo',
      'id: 2-1-3',
      'title: 全面排查小型工业企业',
      'lead: [区环保局]',
      'cooperating: [区发改局]',
      'due: 2030-06-30',
    ].join('\n'),
  );
});

afterAll(async () => {
  if (app) await stopApp();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a task started through the CLI keeps its state across a stop and a start', async () => {
  await startApp();
  expect(output).toMatch(/Temporal dev server: 127\.0\.0\.1:\d+/);
  expect(output).toContain(`HTTP: http://127.0.0.1:${env.DUBAN_HTTP_PORT}`);

  const started = await duban('task', 'start', '--file', 'tasks.yaml');
  expect(started).toMatchObject({ code: 0 });
  expect((await duban('task', 'ack', 'restart-demo/2-1-3', '--as', '区环保局')).code).toBe(0);

  const health = await fetch(`http://127.0.0.1:${env.DUBAN_HTTP_PORT}/health`);
  expect(await health.json()).toMatchObject({ ok: true, temporal: 'up' });
  // The first start prints a supervisor token, once.
  const token = /^\[duban\]\s+(dbn_\S+)$/m.exec(output)?.[1];
  expect(token).toBeDefined();
  const listed = (await (
    await fetch(`http://127.0.0.1:${env.DUBAN_HTTP_PORT}/api/tasks`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as unknown;
  expect(JSON.stringify(listed)).toContain('"status":"acknowledged"');

  expect(await stopApp()).toBe(0);
  expect(output).toContain('stopped.');

  await startApp();
  expect(output).not.toContain(token);
  const shown = await duban('task', 'show', 'restart-demo/2-1-3', '--json');
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.stdout)).toMatchObject({ state: { status: 'acknowledged' } });
  expect(
    (await duban('task', 'submit', 'restart-demo/2-1-3', '--as', '区环保局', '--summary', '已取缔')).code,
  ).toBe(0);
  const refused = await duban('task', 'verify', 'restart-demo/2-1-3', '--as', '区环保局');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('只有督查室可以执行此操作 / only a supervisor may do this');
  expect((await duban('task', 'verify', 'restart-demo/2-1-3', '--as', 'supervisor')).code).toBe(0);

  const mailDir = path.join(env.DUBAN_DATA_DIR!, 'mail');
  const deadline = Date.now() + 20_000;
  const files = () =>
    fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
  while (files().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const mails = await Promise.all(files().map((f) => simpleParser(fs.readFileSync(path.join(mailDir, f)))));
  const kinds = mails.map((m) => /任务交办|办结待审核|办结审核通过/.exec(m.subject ?? '')?.[0]).sort();
  expect(kinds).toEqual(['任务交办', '办结审核通过', '办结待审核'].sort());
  expect(await stopApp()).toBe(0);
});
