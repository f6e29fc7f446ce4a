import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import path from 'node:path';
import { main } from '../../cli/main';
import { assign, type TaskEvent, taskSpecSchema } from '../../domain';
import { openStore, type Store } from '../../store';
import { startPgCluster, type PgCluster } from '../helpers/postgres';

// Moving an installation: `duban db copy` from the SQLite file to PostgreSQL and back, through the CLI.

let cluster: PgCluster;
let tmp: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-copy-'));
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: tmp, ...env },
    cwd: tmp,
  });
  return { code, stdout, stderr };
}

const spec = taskSpecSchema().parse({
  plan: 'tez',
  id: '2-1-1',
  title: '加强工业污染防治',
  lead: ['区环保局'],
  due: '2030-12-31',
});
const ack = (seq: number): TaskEvent => ({
  type: 'Acknowledged',
  by: '区环保局',
  seq,
  at: '2026-03-02T01:00:00.000Z',
});

/** An installation with a row in every table. */
async function seed(store: Store): Promise<void> {
  for (let t = 0; t < 30; t += 1)
    await store.appendEvents(`task/tez/${t}`, [assign(spec, '2026-03-01T01:00:00.000Z')[0], ack(2)]);
  await store.upsertTask({
    workflowId: 'task/tez/2-1-1',
    plan: 'tez',
    taskId: '2-1-1',
    title: '加强工业污染防治',
    lead: ['区环保局'],
    cooperating: ['区水务局'],
    status: 'acknowledged',
    due: '2030-12-31',
    escalation: 'none',
    acknowledged: ['区环保局'],
    assignedAt: '2026-03-01T01:00:00.000Z',
    updatedAt: '2026-03-02T01:00:00.000Z',
    seq: 2,
  });
  await store.claimNotice({
    workflowId: 'task/tez/2-1-1',
    key: '1-TaskAssigned',
    messageId: '<a@duban>',
    recipients: ['x@example'],
    subject: '交办',
  });
  await store.applyRestrictionEvents([
    {
      type: 'RestrictionImposed',
      region: '运河街道',
      sector: '造纸',
      reason: '整改逾期',
      by: 'supervisor',
      seq: 1,
      at: '2026-03-03T01:00:00.000Z',
    },
  ]);
  await store.addAccountability([
    {
      person: { name: '张三', post: '局长', department: '区环保局' },
      taskWorkflowId: 'task/tez/2-1-1',
      plan: 'tez',
      taskId: '2-1-1',
      taskTitle: '加强工业污染防治',
      rung: 'accountability',
      reason: '逾期',
      referral: '区纪委监委',
      at: '2026-04-01T01:00:00.000Z',
    },
  ]);
  await store.saveCalendarYear({ year: 2027, holidays: ['2027-01-01'], workdays: [] }, 'test');
  await store.addToken({
    name: 'ops',
    hash: 'a'.repeat(64),
    role: 'supervisor',
    createdAt: '2026-03-01T00:00:00.000Z',
  });
  await store.recordFailedAttempt('10.0.0.1', 1_767_225_600_000);
}

async function everything(location: string) {
  const s = await openStore(location);
  try {
    return {
      ledger: (await Promise.all(Array.from({ length: 30 }, (_, t) => s.ledgerFor(`task/tez/${t}`)))).flat(),
      tasks: await s.listTasks(),
      outbox: await s.listOutbox(),
      restrictions: await s.listRestrictions(),
      accountability: await s.listAccountability(),
      calendar: await s.calendarYears(),
      tokens: await s.listTokens(),
      attempts: await s.failedAttemptsSince('10.0.0.1', 0),
    };
  } finally {
    await s.close();
  }
}

const headOf = async (env: NodeJS.ProcessEnv) => {
  const r = await run(['ledger', 'verify', '--head', '--json'], env);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { ok: boolean; rows: number; head: { id: number; hash: string } };
};

test('SQLite → PostgreSQL → SQLite: every table, one ledger head, refusals naming the URL', async () => {
  const file = path.join(tmp, 'data', 'duban.db');
  const source = await openStore(file);
  await seed(source);
  await source.close();
  const pg = await cluster.createDatabase('copy');

  const copied = await run(['db', 'copy', '--from', 'sqlite:data/duban.db', '--to', pg]);
  expect(copied).toMatchObject({ code: 0, stderr: expect.stringContaining('复制 / copying ledger: 60/60') });
  expect(copied.stdout).toContain('ledger: 60 行 / rows');
  expect(copied.stdout).toContain('tokens: 1 行 / rows');

  const fromSqlite = await headOf({ DUBAN_DB_URL: 'sqlite:data/duban.db' });
  const fromPg = await headOf({ DUBAN_DB_URL: pg });
  expect(fromPg).toEqual(fromSqlite);
  expect(fromPg).toMatchObject({ ok: true, rows: 60, head: { id: 60 } });
  expect(copied.stdout).toContain(fromPg.head.hash);
  expect(await everything(pg)).toEqual(await everything(file));

  // A target with anything in it is refused, naming it; --force replaces it.
  const again = await run(['db', 'copy', '--from', `sqlite:${file}`, '--to', pg]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain(`the target ${pg} is not empty`);
  expect((await run(['db', 'copy', '--from', `sqlite:${file}`, '--to', pg, '--force'])).code).toBe(0);
  expect(await headOf({ DUBAN_DB_URL: pg })).toEqual(fromSqlite);

  // The copy goes on as a store of its own: the chain continues, ids follow the copied ones.
  const moved = await openStore(pg);
  await moved.appendEvents('task/tez/0', [ack(3)]);
  const token = await moved.addToken({
    name: 'ops2',
    hash: 'b'.repeat(64),
    role: 'supervisor',
    createdAt: '2026-03-02T00:00:00.000Z',
  });
  expect(token.id).toBe(2);
  expect(await moved.verifyLedger()).toEqual({ ok: true, rows: 61 });
  await moved.close();

  // And back to a new SQLite file.
  const back = path.join(tmp, 'back', 'duban.db');
  expect((await run(['db', 'copy', '--from', pg, '--to', back])).code).toBe(0);
  expect(await headOf({ DUBAN_DB_URL: back })).toEqual(await headOf({ DUBAN_DB_URL: pg }));
  expect(await everything(back)).toEqual(await everything(pg));
  // --force on a SQLite target keeps its append-only triggers.
  expect((await run(['db', 'copy', '--from', pg, '--to', back, '--force'])).code).toBe(0);
  const s = await openStore(back);
  await s.close();
  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(back);
  expect(() => raw.prepare('delete from ledger where id = 1').run()).toThrow('append-only');
  raw.close();
});

test('clear errors: a missing source, an unknown scheme, an unreachable server (password never shown)', async () => {
  const missing = await run(['db', 'copy', '--from', 'sqlite:nowhere/duban.db', '--to', 'sqlite:x.db']);
  expect(missing).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('no database at sqlite:nowhere/duban.db'),
  });
  expect(fs.existsSync(path.join(tmp, 'nowhere'))).toBe(false);

  const file = path.join(tmp, 'errors.db');
  await (await openStore(file)).close();
  const scheme = await run(['db', 'copy', '--from', file, '--to', 'mysql://u@h/db']);
  expect(scheme).toMatchObject({ code: 1, stderr: expect.stringContaining('mysql://u@h/db') });

  const down = await run(['db', 'copy', '--from', file, '--to', 'postgres://duban:s3cret@127.0.0.1:1/duban']);
  expect(down.code).toBe(1);
  expect(down.stderr).toContain('cannot open the target postgres://duban:***@127.0.0.1:1/duban');
  expect(down.stderr).not.toContain('s3cret');
});

test('copies every table the migrations create', async () => {
  const from = path.join(tmp, 'every-table.db');
  await (await openStore(from)).close();
  const made = new Database(from, { readonly: true })
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'",
    )
    .all() as { name: string }[];
  const r = await run([
    'db',
    'copy',
    '--from',
    `sqlite:${from}`,
    '--to',
    `sqlite:${path.join(tmp, 'every-table-copy.db')}`,
    '--json',
  ]);
  expect(r.stderr.replace(/.*\r/g, '')).not.toMatch(/错误|error/i);
  const copied = (JSON.parse(r.stdout) as { tables: { table: string }[] }).tables.map((t) => t.table);
  expect(copied.sort()).toEqual(made.map((t) => t.name).sort());
});
