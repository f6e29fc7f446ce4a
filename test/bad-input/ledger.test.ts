/**
 * A ledger tampered with outside duban (the triggers dropped, rows edited, deleted, forged): `duban
 * ledger verify` exits 4 and names the first row that does not follow, and the task it belongs to;
 * verifying changes nothing in the file.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assign, evolve, type TaskEvent } from '../../domain';
import { openStore } from '../../store';

const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);
let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bad-ledger-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function ledgerWithTasks(file: string): Promise<void> {
  const store = await openStore(file);
  for (const id of ['a', 'b']) {
    const spec = {
      plan: 'p',
      id,
      title: `任务${id}`,
      text: '',
      lead: ['区环保局'],
      cooperating: [],
      due: '2030-12-31',
    };
    const [assigned] = assign(spec, '2026-01-05T01:00:00.000Z');
    const state = evolve(undefined, assigned);
    const events: TaskEvent[] = [
      assigned,
      { type: 'Acknowledged', by: '区环保局', seq: 2, at: '2026-01-05T02:00:00.000Z' },
      {
        type: 'ProgressReported',
        by: '区环保局',
        note: '已完成排查',
        seq: 3,
        at: '2026-01-06T02:00:00.000Z',
      },
    ];
    await store.appendEvents(`task/p/${id}`, events);
    void state;
  }
  await store.close();
}

async function verify(file: string, ...extra: string[]) {
  const env = { PATH: process.env.PATH, DUBAN_DB_URL: file, DUBAN_DATA_DIR: tmp };
  try {
    const r = await run(
      process.execPath,
      [path.join(root, 'bin', 'duban.js'), 'ledger', 'verify', ...extra],
      { env, cwd: tmp },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec('drop trigger if exists ledger_no_update; drop trigger if exists ledger_no_delete;');
  db.exec(sql);
  db.close();
}

const rows = (file: string) => {
  const db = new Database(file, { readonly: true });
  const r = db.prepare('select * from ledger order by id').all();
  db.close();
  return r;
};

test('an intact ledger verifies (exit 0)', async () => {
  const file = path.join(tmp, 'duban.db');
  await ledgerWithTasks(file);
  const r = await verify(file);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('账本完整 / ledger intact：共 6 条记录 / 6 rows');
});

test.each([
  [
    'an edited note',
    `update ledger set payload = replace(payload, '已完成排查', '未排查') where id = 3`,
    'row 3 (task/p/a #3) was edited: its content does not match its hash',
    3,
  ],
  ['a deleted row', 'delete from ledger where id = 2', 'row 3 (task/p/a #3) does not follow row 1', 3],
  [
    'a forged row in the middle',
    `insert into ledger (id, workflow_id, seq, type, at, payload, prev_hash, hash)
       values (100, 'task/p/a', 4, 'CompletionVerified', '2026-01-07T00:00:00.000Z', '{"by":"supervisor"}',
               (select hash from ledger where id = 3), '${'f'.repeat(64)}');
     update ledger set id = 101 where id = 4; update ledger set id = 4 where id = 100;`,
    'row 4 (task/p/a #4) was edited',
    4,
  ],
  [
    'the last row cut off',
    'delete from ledger where id = 6',
    'row 6, the last of the ledger, was deleted',
    6,
  ],
])('%s: exit 4, the row and the task named', async (_name, sql, problem, badId) => {
  const file = path.join(tmp, 'duban.db');
  await ledgerWithTasks(file);
  tamper(file, sql);
  const before = rows(file);
  const r = await verify(file);
  expect(r.code).toBe(4);
  expect(r.stderr).toContain(`ledger verification FAILED at row ${badId}`);
  expect(r.stderr).toContain(problem);
  const json = await verify(file, '--json');
  expect(json.code).toBe(4);
  expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstBadId: badId });
  // Verifying repairs nothing and hides nothing.
  expect(rows(file)).toEqual(before);
});

test('without the triggers dropped the database itself refuses the edit', async () => {
  const file = path.join(tmp, 'duban.db');
  await ledgerWithTasks(file);
  const db = new Database(file);
  expect(() => db.exec(`update ledger set payload = '{}' where id = 1`)).toThrow('the ledger is append-only');
  expect(() => db.exec('delete from ledger where id = 1')).toThrow('the ledger is append-only');
  db.close();
  expect((await verify(file)).code).toBe(0);
});
