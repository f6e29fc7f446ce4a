/**
 * `npm start` (dist/app/main.js) with DUBAN_DB_URL on PostgreSQL, in a working directory of its own with its
 * data folder: it serves, the README's CLI story drives a task, and every record lands in PostgreSQL. Stopped,
 * the folder holds no duban.db and no SQLite file but the embedded Temporal dev server's own.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../bench/harness';
import { startPgCluster, type PgCluster } from '../helpers/postgres';

const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);
let tmp: string;
let cluster: PgCluster;
let dbUrl: string;
let env: NodeJS.ProcessEnv;
let app: ChildProcess | undefined;
let output = '';

/** Every file under `dir` that begins with SQLite's header, relative to `dir`. */
function sqliteFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const fd = fs.openSync(p, 'r');
        const head = Buffer.alloc(16);
        fs.readSync(fd, head, 0, 16, 0);
        fs.closeSync(fd);
        if (head.toString('latin1') === 'SQLite format 3\0') found.push(path.relative(dir, p));
      }
    }
  };
  walk(dir);
  return found.sort();
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-start-pg-'));
  fs.mkdirSync(path.join(tmp, 'data'));
  cluster = await startPgCluster();
  dbUrl = await cluster.createDatabase('start');
  const [temporalPort, uiPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  // As a user sets it up: the data folder relative to the working directory, the store elsewhere.
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_CLI: process.env.TEMPORAL_CLI,
    DUBAN_DATA_DIR: 'data',
    DUBAN_DB_URL: dbUrl,
    DUBAN_TEMPORAL_PORT: String(temporalPort),
    DUBAN_TEMPORAL_UI_PORT: String(uiPort),
    DUBAN_HTTP_PORT: String(httpPort),
  };
  fs.writeFileSync(
    path.join(tmp, 'tasks.yaml'),
    [
      'plan: pg-start',
      'id: 2-1-3',
      'title: 全面排查小型工业企业',
      'lead: [区环保局]',
      'due: 2030-06-30',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  if (app && app.exitCode === null) app.kill('SIGKILL');
  await cluster?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const duban = async (...args: string[]) => {
  try {
    const r = await run(process.execPath, [path.join(root, 'bin', 'duban.js'), ...args], { env, cwd: tmp });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

test('npm start on PostgreSQL serves, keeps its records there and writes no duban.db', async () => {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'app', 'main.js')], { env, cwd: tmp });
  app = child;
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!output.includes('ready.')) {
    if (child.exitCode !== null) throw new Error(`duban exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`duban did not get ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(output).toContain(`database: ${dbUrl}`);
  const health = await fetch(`http://127.0.0.1:${env.DUBAN_HTTP_PORT}/health`);
  expect(health.status).toBe(200);

  expect(await duban('task', 'start', '--file', 'tasks.yaml')).toMatchObject({ code: 0 });
  expect((await duban('task', 'ack', 'pg-start/2-1-3', '--as', '区环保局')).code).toBe(0);
  const verified = await duban('ledger', 'verify', '--json');
  expect(verified.code).toBe(0);
  expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, rows: 2 });

  // The records are PostgreSQL's: the first start's supervisor token, the task's two ledger rows.
  const rows = async (sql: string) => Number((await cluster.query<{ n: string }>(dbUrl, sql))[0].n);
  expect(await rows("select count(*) as n from tokens where role = 'supervisor'")).toBe(1);
  expect(await rows("select count(*) as n from ledger where workflow_id = 'task/pg-start/2-1-3'")).toBe(2);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('stopped.');
  expect(fs.existsSync(path.join(tmp, 'data', 'duban.db'))).toBe(false);
  // The embedded Temporal dev server keeps its own SQLite file in the data folder; duban none.
  expect(sqliteFiles(tmp).filter((f) => !f.startsWith(path.join('data', 'temporal.db')))).toEqual([]);
}, 240_000);
