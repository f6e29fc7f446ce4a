/**
 * Docker cannot run here, so docker-compose.yml is checked by what it says: every duban process's
 * environment passes the app's own configuration parser (an unknown DUBAN_* name is a typo that would be
 * silently ignored), the store is PostgreSQL, two workers poll, and the database the URL names is the one the
 * PostgreSQL service's init script makes — run here on a real cluster, then opened as duban would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../config/config';
import { commandKeyFile, createCommandKeyFile } from '../../config/command-key';
import { openStore } from '../../store';
import { startPgCluster } from '../helpers/postgres';

const root = path.join(__dirname, '..', '..');

interface Service {
  build?: unknown;
  command?: string[];
  environment?: Record<string, unknown>;
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  secrets?: string[];
}
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service> };
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
/** The services that run the image built from the Dockerfile: duban's own processes. */
const duban = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
const envOf = (s: Service) =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));
const scriptOf = (s: Service) => (s.command ?? /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1] ?? '').toString();

test("every duban service's DUBAN_* names are the configuration's own", () => {
  expect(duban.map(([name]) => name).sort()).toEqual(['api', 'worker']);
  for (const [name, s] of duban) {
    const unknown = Object.keys(envOf(s)).filter(
      (k) => (k.startsWith('DUBAN_') || k.startsWith('TEMPORAL_')) && !CONFIG_VARIABLES.includes(k),
    );
    expect([name, unknown]).toEqual([name, []]);
  }
});

test("every duban service's environment passes the app's parser: PostgreSQL, Temporal, a key file", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-compose-'));
  try {
    // The secret is mounted at /run/secrets/<name>; here a key of the same kind stands in for it.
    const key = commandKeyFile(tmp);
    createCommandKeyFile(key);
    for (const [name, s] of duban) {
      const env = envOf(s);
      expect([name, env.DUBAN_COMMAND_KEY_FILE]).toEqual([name, `/run/secrets/${s.secrets?.[0]}`]);
      const config = loadConfig({ ...env, DUBAN_COMMAND_KEY_FILE: key }, '/app');
      expect([name, config.db.file]).toEqual([
        name,
        expect.stringMatching(/^postgres:\/\/[^@]+@postgresql:5432\//),
      ]);
      expect(config.temporal.address).toBe('temporal:7233');
      expect(config.mail.smtpUrl).toBe('smtp://mailpit:1025');
      expect(config.commandKey).toBeDefined();
      expect(s.depends_on).toMatchObject({ postgresql: { condition: 'service_healthy' } });
    }
    expect(
      loadConfig({ ...envOf(compose.services.api), DUBAN_COMMAND_KEY_FILE: key }, '/app').http,
    ).toMatchObject({
      host: '0.0.0.0',
      port: 3000,
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('two workers run the worker entry point and the api the HTTP server; no setup container is needed', () => {
  const { worker, api } = compose.services;
  expect(worker.deploy?.replicas).toBe(2);
  expect(scriptOf(worker)).toContain('dist/app/worker-main.js');
  expect(scriptOf(api)).toContain('dist/app/http-main.js');
  // The worker and the HTTP server register the search attributes and the digest schedule themselves.
  for (const file of ['worker-main.ts', 'http-main.ts'])
    expect(fs.readFileSync(path.join(root, 'app', file), 'utf8')).toContain('ensureTemporalSetup(');
  // Nothing shares a duban folder between containers any more: the store is the database.
  for (const [, s] of duban) expect(s.volumes ?? []).toEqual([]);
});

test("the PostgreSQL service's init script makes the database and owner DUBAN_DB_URL names", async () => {
  const mount = (compose.services.postgresql.volumes ?? []).find((v) =>
    v.includes(':/docker-entrypoint-initdb.d'),
  );
  expect(mount).toBeDefined();
  const dir = path.join(root, mount!.split(':')[0]);
  const scripts = fs.readdirSync(dir).filter((f) => f.endsWith('.sql'));
  expect(scripts.length).toBeGreaterThan(0);
  // The store's URL as the app reads it (the key file is a secret mounted only in the container).
  const { DUBAN_COMMAND_KEY_FILE: _secret, ...env } = envOf(compose.services.worker);
  const url = new URL(loadConfig(env).db.file);
  const cluster = await startPgCluster();
  try {
    // The official image runs each script with psql as its superuser on the first start: statement by
    // statement (CREATE DATABASE cannot share a transaction); so does this.
    for (const f of scripts.sort()) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8').replace(/--.*$/gm, '');
      for (const statement of text.split(';').filter((t) => t.trim()))
        await cluster.query(cluster.adminUrl, statement);
    }
    const local = new URL(cluster.adminUrl);
    url.hostname = local.hostname;
    url.port = local.port;
    // As the compose's user, on its database: duban's migrations run and the ledger answers.
    const store = await openStore(url.toString());
    try {
      expect(await store.verifyLedger()).toMatchObject({ ok: true, rows: 0 });
    } finally {
      await store.close();
    }
    const owner = await cluster.query<{ owner: string }>(
      cluster.adminUrl,
      'select pg_get_userbyid(datdba) as owner from pg_database where datname = $1',
      [url.pathname.slice(1)],
    );
    expect(owner).toEqual([{ owner: decodeURIComponent(url.username) }]);
  } finally {
    await cluster.stop();
  }
}, 120_000);

test("the README's configuration table names every variable the configuration reads", () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Moving to PostgreSQL'));
  const listed = [...table.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((m) => m[1]);
  expect([...CONFIG_VARIABLES].sort()).toEqual([...listed].sort());
});
