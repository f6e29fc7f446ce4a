import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../config/paths';
import { waitForPort } from './temporal';

/** Temporal's own server and its SQL tool, built once by scripts/temporal-cluster.sh. */
export interface ClusterBinaries {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server's module: temporal/ and visibility/. */
  schema: string;
}

/** Runs scripts/temporal-cluster.sh (builds on first use, minutes; then reuses its cache) and names them. */
export function obtainClusterBinaries(): ClusterBinaries {
  const out = execFileSync('bash', [path.join(projectRoot(), 'scripts', 'temporal-cluster.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(
    out
      .split('\n')
      .map((l) => /^(TEMPORAL_SERVER|TEMPORAL_SQL_TOOL|TEMPORAL_SCHEMA)=(.+)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  if (!vars.TEMPORAL_SERVER || !vars.TEMPORAL_SQL_TOOL || !vars.TEMPORAL_SCHEMA)
    throw new Error('scripts/temporal-cluster.sh did not name the server, the SQL tool and the schema');
  return { server: vars.TEMPORAL_SERVER, sqlTool: vars.TEMPORAL_SQL_TOOL, schema: vars.TEMPORAL_SCHEMA };
}

export interface PgServer {
  host: string;
  port: number;
  user: string;
  password?: string;
}

/** The databases Temporal's server keeps: its history and its visibility store. */
export const TEMPORAL_DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' } as const;

/**
 * Creates Temporal's two databases and brings their schema to the module's latest version with
 * temporal-sql-tool. Idempotent: on databases already set up, it only applies what is newer.
 */
export function setupTemporalDatabases(bin: ClusterBinaries, pg: PgServer): void {
  const common = ['--plugin', 'postgres12', '--endpoint', pg.host, '--port', String(pg.port)];
  common.push('--user', pg.user, '--password', pg.password ?? '');
  const run = (database: string, ...args: string[]) => {
    try {
      execFileSync(bin.sqlTool, [...common, '--database', database, ...args], { stdio: 'pipe' });
    } catch (err) {
      const e = err as { stderr?: Buffer; stdout?: Buffer };
      throw new Error(
        `temporal-sql-tool ${args[0]} on ${database} failed:\n${String(e.stderr ?? '')}${String(e.stdout ?? '')}`,
      );
    }
  };
  for (const [dir, database] of [
    ['temporal', TEMPORAL_DATABASES.temporal],
    ['visibility', TEMPORAL_DATABASES.visibility],
  ]) {
    const exists = (() => {
      try {
        run(database, 'update-schema', '--schema-dir', path.join(bin.schema, dir, 'versioned'));
        return true;
      } catch {
        return false;
      }
    })();
    if (exists) continue;
    run(database, 'create-database');
    run(database, 'setup-schema', '--version', '0.0');
    run(database, 'update-schema', '--schema-dir', path.join(bin.schema, dir, 'versioned'));
  }
}

const PORT_NAMES = [
  'FRONTEND_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;
export type ServerPorts = Record<(typeof PORT_NAMES)[number], number>;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Ports below 32768: the server stores its membership ports in a smallint column, so the kernel's
 * ephemeral ports (32768 and up) are refused at start.
 */
async function freePorts(): Promise<ServerPorts> {
  const ports = new Set<number>();
  while (ports.size < PORT_NAMES.length) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.has(port) && (await portIsFree(port))) ports.add(port);
  }
  const list = [...ports];
  return Object.fromEntries(PORT_NAMES.map((n, i) => [n, list[i]])) as ServerPorts;
}

/** The cluster's server config (a template) and dynamic config: dev-only, beside the script that builds it. */
const CONFIG_DIR = () => path.join(projectRoot(), 'scripts', 'temporal-cluster');

/** scripts/temporal-cluster/server.yaml with its ${NAME} values filled in; a name left unfilled is an error. */
export function renderServerConfig(values: Record<string, string | number>): string {
  const template = fs.readFileSync(path.join(CONFIG_DIR(), 'server.yaml'), 'utf8');
  return template.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`scripts/temporal-cluster/server.yaml: no value for \${${name}}`);
    return String(values[name]);
  });
}

export interface TemporalServer {
  /** host:port of the frontend, for TEMPORAL_ADDRESS. */
  address: string;
  ports: ServerPorts;
  logFile: string;
  pid(): number | undefined;
  /** SIGTERM (SIGKILL after 20 s) and wait for the process to end. */
  stop(): Promise<void>;
  /** Starts the server again on the same ports and databases. */
  start(): Promise<void>;
}

/**
 * Temporal's server in its own process on the PostgreSQL databases setupTemporalDatabases made, all four
 * services in one process, its config under `dir`. Resolves once the frontend answers gRPC health checks.
 */
export async function startTemporalServer(o: {
  bin: ClusterBinaries;
  dir: string;
  pg: PgServer;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}): Promise<TemporalServer> {
  const ports = await freePorts();
  const configDir = path.join(o.dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const dynamic = path.join(configDir, 'dynamic.yaml');
  fs.copyFileSync(path.join(CONFIG_DIR(), 'dynamic.yaml'), dynamic);
  const config = renderServerConfig({
    ...ports,
    LOG_LEVEL: o.logLevel ?? 'warn',
    PG_ADDRESS: `${o.pg.host}:${o.pg.port}`,
    PG_USER: o.pg.user,
    PG_PASSWORD: o.pg.password ?? '',
    DYNAMIC_CONFIG: dynamic,
  });
  fs.writeFileSync(path.join(configDir, 'development.yaml'), config);
  const logFile = path.join(o.dir, 'temporal-server.log');
  const address = `127.0.0.1:${ports.FRONTEND_PORT}`;
  let child: ChildProcess | undefined;
  const reap = () => child?.kill('SIGKILL');

  const start = async () => {
    const log = fs.openSync(logFile, 'a');
    const args = ['--root', o.dir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'];
    const c = spawn(o.bin.server, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    child = c;
    // Never leave a server behind, even when this process dies of an error.
    process.once('exit', reap);
    c.once('exit', () => process.removeListener('exit', reap));
    try {
      await waitForPort(ports.FRONTEND_PORT, '127.0.0.1', 120_000, c);
      await waitServing(address, 120_000, c);
    } catch (err) {
      c.kill('SIGKILL');
      throw new Error(`${(err as Error).message}; see ${logFile}`);
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      const force = setTimeout(() => c.kill('SIGKILL'), 20_000);
      c.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      c.kill('SIGTERM');
    });
  await start();
  return { address, ports, logFile, pid: () => child?.pid, stop, start };
}

/** Waits until the frontend says SERVING to the gRPC health check (its port opens before it is ready). */
async function waitServing(address: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Temporal server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        const r = await connection.healthService.check({});
        if (r.status === 1) return;
        last = `status ${r.status}`;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`the Temporal server at ${address} is not SERVING after ${timeoutMs} ms (${last})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Registers `namespace` unless it exists (a fresh server has none but its own system namespace) and waits
 * until the frontend serves it.
 */
export async function ensureNamespace(address: string, namespace: string, retentionDays = 7): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const svc = connection.workflowService;
    try {
      await svc.describeNamespace({ namespace });
    } catch {
      try {
        await svc.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
        });
      } catch (err) {
        // Another process registered it meanwhile.
        if (!/already exists/i.test((err as Error).message)) throw err;
      }
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await svc.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`namespace ${namespace} is not served after 60 s: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await connection.close();
  }
}
