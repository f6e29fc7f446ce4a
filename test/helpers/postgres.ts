import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'postgres.sh');

/** A throwaway PostgreSQL cluster (scripts/postgres.sh): one per test file, a database per test or group. */
export interface PgCluster {
  /** The server's own database, for administration. */
  adminUrl: string;
  /** A new, empty database; its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Runs SQL on a database of the cluster as its superuser (to tamper behind the store's back). */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    url: string,
    text: string,
    values?: unknown[],
  ): Promise<R[]>;
  /** pg_ctl stop -m fast: the server goes away, its data stays (an outage). */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startPgCluster(): Promise<PgCluster> {
  const out = execFileSync('bash', [SCRIPT, 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const adminUrl = vars.PGURL;
  const dir = vars.PGDIR;
  if (!adminUrl || !dir) throw new Error(`scripts/postgres.sh start printed no PGURL/PGDIR:\n${out}`);
  const query: PgCluster['query'] = async (url, text, values) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(text, values)).rows;
    } finally {
      await c.end();
    }
  };
  return {
    adminUrl,
    query,
    async createDatabase(prefix = 'duban') {
      counter += 1;
      const name = `${prefix}_${process.pid}_${counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      await query(adminUrl, `create database ${name}`);
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async halt() {
      execFileSync('bash', [SCRIPT, 'halt', dir], { stdio: 'inherit' });
    },
    async resume() {
      execFileSync('bash', [SCRIPT, 'resume', dir], { stdio: 'inherit' });
    },
    async stop() {
      execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'inherit' });
    },
  };
}
