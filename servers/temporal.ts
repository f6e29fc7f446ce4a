import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SEARCH_ATTRIBUTES } from '../workflows/task-messages';
import { projectRoot } from '../config/paths';

export interface TemporalServers {
  /** The Temporal CLI; `temporal server start-dev` is the dev server. */
  cli: string;
  /** The time-skipping test server; takes its port as the only argument. */
  testServer: string;
}

/** Runs scripts/temporal-servers.sh, which installs both servers once into a cache and names them. */
export function obtainServers(): TemporalServers {
  const out = execFileSync('bash', [path.join(projectRoot(), 'scripts', 'temporal-servers.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(
    out
      .split('\n')
      .map((l) => /^(TEMPORAL_CLI|TEMPORAL_TEST_SERVER)=(.+)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  if (!vars.TEMPORAL_CLI || !vars.TEMPORAL_TEST_SERVER) {
    throw new Error('scripts/temporal-servers.sh did not name both Temporal servers');
  }
  return { cli: vars.TEMPORAL_CLI, testServer: vars.TEMPORAL_TEST_SERVER };
}

/** duban's search attributes as the dev server's --search-attribute flags expect them. */
export const SEARCH_ATTRIBUTE_FLAGS: string[] = [
  `${SEARCH_ATTRIBUTES.plan}=Keyword`,
  `${SEARCH_ATTRIBUTES.task}=Keyword`,
  `${SEARCH_ATTRIBUTES.lead}=Keyword`,
  `${SEARCH_ATTRIBUTES.status}=Keyword`,
  `${SEARCH_ATTRIBUTES.due}=Datetime`,
];

export function waitForPort(
  port: number,
  host: string,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child && child.exitCode !== null) {
        reject(
          new Error(`the server exited with code ${child.exitCode} before listening on ${host}:${port}`),
        );
        return;
      }
      const sock = net.connect(port, host);
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline)
          reject(new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` on a SQLite file, so tasks survive a restart. */
export async function startDevServer(opts: {
  cli: string;
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  logFile: string;
}): Promise<DevServer> {
  fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const log = fs.openSync(opts.logFile, 'a');
  const args = ['server', 'start-dev', '--db-filename', opts.dbFile, '--ip', '127.0.0.1'];
  args.push('--port', String(opts.port), '--ui-port', String(opts.uiPort), '--namespace', opts.namespace);
  args.push('--log-level', 'warn', ...SEARCH_ATTRIBUTE_FLAGS.flatMap((f) => ['--search-attribute', f]));
  // WAL with synchronous=NORMAL: the one SQLite connection of the dev server's one shard no longer waits
  // on the disk for every workflow task and timer (1,000 timers due in one second: p99 6 s, against 26 s on
  // the rollback journal and 11 s with WAL alone). synchronous=OFF, as Temporal's SDK stress runs use, would
  // let a power cut or an OS crash damage the file and so lose every task; with WAL and NORMAL it can
  // lose at most the last commits, which duban's idempotent recording and outbox absorb when Temporal redoes
  // them. More load than this wants Temporal on PostgreSQL (README, Production).
  args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  const child = spawn(opts.cli, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  // Never leave a server behind, even when this process dies of an error.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  try {
    await waitForPort(opts.port, '127.0.0.1', 60_000, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}; see ${opts.logFile}`);
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
