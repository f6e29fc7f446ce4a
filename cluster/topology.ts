import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCommandKeyFile } from '../config/command-key';
import { projectRoot } from '../config/paths';
import {
  ensureNamespace,
  freePort,
  obtainClusterBinaries,
  setupTemporalDatabases,
  startTemporalServer,
  type TemporalServer,
} from '../servers/temporal-cluster';
import { createToken } from '../services/tokens';
import { openStore } from '../store';
import { startMailFiles, type MailFiles } from './mail-files';
import { nodeProcess, type NodeProcess } from './processes';
import { startLocalPostgres, type LocalPostgres } from './postgres';

export interface HttpProcess extends NodeProcess {
  /** http://127.0.0.1:PORT */
  url: string;
}

/** duban as production runs it, on one machine. */
export interface Cluster {
  dir: string;
  postgres: LocalPostgres;
  /** duban's own database (DUBAN_DB_URL of every process). */
  dbUrl: string;
  temporal: TemporalServer;
  namespace: string;
  taskQueue: string;
  mail: MailFiles;
  workers: NodeProcess[];
  http: HttpProcess[];
  /** A supervisor's API token (Authorization: Bearer …), made in duban's database at start. */
  supervisorToken: string;
  /** The command key every process seals and checks commands with (DUBAN_COMMAND_KEY_FILE). */
  commandKeyFile: string;
  /** The environment a process needs to join (e.g. the `duban` CLI). */
  env: NodeJS.ProcessEnv;
  /** Stops every process, then PostgreSQL; removes `dir` unless it was given or `keep` was set. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Where everything lives (databases, logs, mail); a new temporary folder by default. */
  dir?: string;
  workers?: number;
  httpServers?: number;
  /** The HTTP servers' ports, in order; free ones by default. */
  httpPorts?: number[];
  /** Keep `dir` after stop() (it is kept anyway when it was given). */
  keep?: boolean;
  /** Mail to this SMTP server instead of the one that writes files (the bench times its arrivals). */
  smtpUrl?: string;
  /** DUBAN_LOG_LEVEL of the workers. */
  logLevel?: string;
  /** Progress lines. */
  say?: (line: string) => void;
}

const DIST = path.join(projectRoot(), 'dist', 'app');

/**
 * PostgreSQL (databases temporal, temporal_visibility, duban), Temporal's server on it with four history
 * shards, `workers` duban workers and `httpServers` HTTP servers (dist/app/, so `npm run build` first), all
 * on one task queue, mail to an SMTP server that writes each message to `dir/mail`.
 */
export async function startCluster(o: ClusterOptions = {}): Promise<Cluster> {
  const say = o.say ?? (() => undefined);
  for (const f of ['worker-main.js', 'http-main.js'])
    if (!fs.existsSync(path.join(DIST, f)))
      throw new Error(`${path.join(DIST, f)} is missing: npm run build`);
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'duban-cluster-'));
  fs.mkdirSync(dir, { recursive: true });
  // PostgreSQL runs as its own user when we are root (initdb refuses root): it must reach its folder inside.
  fs.chmodSync(dir, 0o755);
  const cleanups: (() => Promise<void> | void)[] = [];
  const undo = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    say('Temporal server binaries (built once into the cache; the first time takes minutes)');
    const bin = obtainClusterBinaries();

    say('PostgreSQL');
    const postgres = startLocalPostgres(path.join(dir, 'postgres'));
    cleanups.push(() => postgres.stop());
    await postgres.createDatabase('duban');
    const dbUrl = postgres.url('duban');
    // Migrated here once, so the processes started together do not race to migrate it.
    const store = await openStore(dbUrl);
    const supervisorToken = (await createToken(store, { role: 'supervisor', name: 'cluster' })).token;
    await store.close();

    say('Temporal schema (temporal-sql-tool)');
    const pg = { host: postgres.host, port: postgres.port, user: postgres.user };
    setupTemporalDatabases(bin, pg);
    say('Temporal server');
    const temporal = await startTemporalServer({ bin, dir: path.join(dir, 'temporal'), pg });
    cleanups.push(() => temporal.stop());
    const namespace = 'default';
    await ensureNamespace(temporal.address, namespace);

    const mail = await startMailFiles(path.join(dir, 'mail'));
    cleanups.push(() => mail.close());

    const commandKeyFile = path.join(dir, 'command-key.pem');
    if (!fs.existsSync(commandKeyFile)) createCommandKeyFile(commandKeyFile);
    const taskQueue = 'duban';
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: namespace,
      DUBAN_TASK_QUEUE: taskQueue,
      DUBAN_DB_URL: dbUrl,
      DUBAN_SMTP_URL: o.smtpUrl ?? mail.url,
      DUBAN_MAIL_FROM: '督查室 <duban@cluster.example>',
      DUBAN_COMMAND_KEY_FILE: commandKeyFile,
      ...(process.env.DUBAN_DIRECTORY ? { DUBAN_DIRECTORY: process.env.DUBAN_DIRECTORY } : {}),
    };
    const processDir = (name: string) => {
      const d = path.join(dir, name);
      fs.mkdirSync(d, { recursive: true });
      return d;
    };

    const workers = Array.from({ length: o.workers ?? 2 }, (_, i) => {
      const name = `worker-${i + 1}`;
      const cwd = processDir(name);
      return nodeProcess({
        name,
        script: path.join(DIST, 'worker-main.js'),
        cwd,
        env: { ...env, DUBAN_DATA_DIR: cwd, DUBAN_LOG_LEVEL: o.logLevel ?? 'WARN' },
        logFile: path.join(dir, `${name}.log`),
        ready: /worker on /,
      });
    });
    const ports = o.httpPorts ?? [];
    const http: HttpProcess[] = [];
    for (let i = 0; i < (o.httpServers ?? 2); i++) {
      const name = `http-${String.fromCharCode(97 + i)}`;
      const cwd = processDir(name);
      const port = ports[i] ?? (await freePort());
      const p = nodeProcess({
        name,
        script: path.join(DIST, 'http-main.js'),
        cwd,
        env: { ...env, DUBAN_DATA_DIR: cwd, DUBAN_HTTP_PORT: String(port), DUBAN_HTTP_HOST: '127.0.0.1' },
        logFile: path.join(dir, `${name}.log`),
        ready: /\[duban\] HTTP: /,
      });
      http.push(Object.assign(p, { url: `http://127.0.0.1:${port}` }));
    }
    const all = [...workers, ...http];
    cleanups.push(() => Promise.all(all.map((p) => p.stop())).then(() => undefined));
    say(`${workers.length} worker(s), ${http.length} HTTP server(s)`);
    await Promise.all(all.map((p) => p.start()));

    return {
      dir,
      postgres,
      dbUrl,
      temporal,
      namespace,
      taskQueue,
      mail,
      workers,
      http,
      supervisorToken,
      commandKeyFile,
      env,
      async stop() {
        await undo();
        if (!o.dir && !o.keep) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await undo();
    if (!o.dir && !o.keep) fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
