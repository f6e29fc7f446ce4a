import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../config/paths';

const SCRIPT = path.join(projectRoot(), 'scripts', 'postgres.sh');

/** A throwaway PostgreSQL cluster of scripts/postgres.sh (initdb + pg_ctl, trust auth on 127.0.0.1). */
export interface LocalPostgres {
  host: string;
  port: number;
  user: string;
  dir: string;
  /** postgres://user@127.0.0.1:port/NAME */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): void;
}

export function startLocalPostgres(dir?: string): LocalPostgres {
  const out = execFileSync('bash', [SCRIPT, 'start', ...(dir ? [dir] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
  );
  if (!vars.PGURL || !vars.PGDIR)
    throw new Error(`scripts/postgres.sh start printed no PGURL/PGDIR:\n${out}`);
  const admin = new URL(vars.PGURL);
  const pg: LocalPostgres = {
    host: admin.hostname,
    port: Number(admin.port),
    user: decodeURIComponent(admin.username),
    dir: vars.PGDIR,
    url(database) {
      const u = new URL(vars.PGURL);
      u.pathname = `/${database}`;
      return u.toString();
    },
    async createDatabase(name) {
      const c = new Client({ connectionString: vars.PGURL });
      await c.connect();
      try {
        const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
        if (!rowCount) await c.query(`create database "${name.replace(/"/g, '""')}"`);
      } finally {
        await c.end();
      }
    },
    stop() {
      execFileSync('bash', [SCRIPT, 'stop', vars.PGDIR], { stdio: 'inherit' });
    },
  };
  return pg;
}
