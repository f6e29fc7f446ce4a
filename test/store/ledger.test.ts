import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { assign, type TaskEvent, taskSpecSchema } from '../../domain';
import { openStore, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

const ZEROS = '0'.repeat(64);
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const spec = taskSpecSchema().parse({
  plan: 'tez',
  id: '2-1-1',
  title: '加强工业污染防治',
  lead: ['区环保局'],
  due: '2030-12-31',
});
const at = (m: number) => `2026-03-0${m}T01:00:00.000Z`;
const assigned = assign(spec, at(1))[0];
const ack = (seq: number, by = '区环保局'): TaskEvent => ({ type: 'Acknowledged', by, seq, at: at(2) });
const progress = (seq: number, note: string): TaskEvent => ({
  type: 'ProgressReported',
  by: '区环保局',
  note,
  seq,
  at: at(3),
});

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);

  /** Five rows across two tasks, interleaved: ids 1..5. */
  async function fiveRows(file: string): Promise<void> {
    const store = await openStore(file);
    await store.appendEvents('task/a', [assigned]);
    await store.appendEvents('task/b', [assigned]);
    await store.appendEvents('task/a', [ack(2), progress(3, '已排查 12 家企业')]);
    await store.appendEvents('task/b', [ack(2)]);
    expect(await store.verifyLedger()).toEqual({ ok: true, rows: 5 });
    await store.close();
  }

  /** Opens the database behind the store's back, as someone with shell or database access would. */
  async function tamper(file: string, statements: string): Promise<void> {
    await db.dropLedgerTriggers(file);
    await db.exec(file, statements);
  }

  async function verify(file: string) {
    const store = await openStore(file);
    try {
      return await store.verifyLedger();
    } finally {
      await store.close();
    }
  }

  describe('appending', () => {
    let store: Store;
    let file: string;
    beforeAll(async () => {
      file = await db.fresh();
      store = await openStore(file);
    });
    afterAll(() => store.close());

    (backend === 'sqlite' ? test : test.skip)('creates the parent folder and uses WAL', () => {
      expect(fs.existsSync(file)).toBe(true);
      const raw = new Database(file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
    });

    test('the same events twice give one row each, ordered by seq, events intact', async () => {
      const events = [assigned, ack(2), progress(3, '已完成排查')];
      expect(await store.appendEvents('task/tez/2-1-1', events)).toEqual({ appended: 3 });
      expect(await store.appendEvents('task/tez/2-1-1', events)).toEqual({ appended: 0 });
      // A batch that overlaps what is there appends only what is new.
      expect(
        await store.appendEvents('task/tez/2-1-1', [progress(3, '已完成排查'), progress(4, '整改中')]),
      ).toEqual({
        appended: 1,
      });
      const entries = await store.ledgerFor('task/tez/2-1-1');
      expect(entries.map((e) => [e.id, e.seq, e.type])).toEqual([
        [1, 1, 'TaskAssigned'],
        [2, 2, 'Acknowledged'],
        [3, 3, 'ProgressReported'],
        [4, 4, 'ProgressReported'],
      ]);
      expect(entries[0].event).toEqual(assigned);
      expect(entries[2].event).toEqual(progress(3, '已完成排查'));
      expect(await store.verifyLedger()).toEqual({ ok: true, rows: 4 });
    });

    test('the hash is sha256(prev_hash + canonical JSON), starting from 64 zeros, chained across tasks', async () => {
      const [first] = await store.ledgerFor('task/tez/2-1-1');
      expect(first.prevHash).toBe(ZEROS);
      const second = (await store.ledgerFor('task/tez/2-1-1'))[1];
      expect(second.prevHash).toBe(first.hash);
      expect(second.hash).toBe(
        sha256(
          first.hash +
            '{"at":"2026-03-02T01:00:00.000Z","payload":{"by":"区环保局"},"seq":2,"type":"Acknowledged","workflowId":"task/tez/2-1-1"}',
        ),
      );
      // Another task's first event continues the one global chain.
      await store.appendEvents('task/tez/other', [ack(1, '区水务局')]);
      const last = (await store.ledgerFor('task/tez/2-1-1')).at(-1)!;
      const [other] = await store.ledgerFor('task/tez/other');
      expect(other.id).toBe(5);
      expect(other.prevHash).toBe(last.hash);
      expect(other.hash).toBe(
        sha256(
          last.hash +
            '{"at":"2026-03-02T01:00:00.000Z","payload":{"by":"区水务局"},"seq":1,"type":"Acknowledged","workflowId":"task/tez/other"}',
        ),
      );
    });

    test('concurrent appends (some of them retries) never fork the chain', async () => {
      const calls = Array.from({ length: 30 }, (_, i) =>
        store.appendEvents(`task/c/${i % 10}`, [assigned, ack(2)]),
      );
      const results = await Promise.all(calls);
      expect(results.reduce((sum, r) => sum + r.appended, 0)).toBe(20);
      expect(await store.verifyLedger()).toEqual({ ok: true, rows: 25 });
    });

    test('the database itself refuses to update or delete ledger rows', async () => {
      await expect(db.exec(file, `update ledger set payload = '{}' where id = 1`)).rejects.toThrow(
        'append-only',
      );
      await expect(db.exec(file, 'delete from ledger where id = 1')).rejects.toThrow('append-only');
      if (backend === 'postgres')
        await expect(db.exec(file, 'truncate ledger')).rejects.toThrow('append-only');
    });
  });

  describe('a seq recorded by a workflow task that never completed', () => {
    // The worker died after a local activity recorded seq 2 (a warning); the task's retry took an
    // acknowledgement that came meanwhile first, so its seq 2 is another event, decided 10 s later.
    const wf = 'task/tez/orphan';
    const warning = (seq: number, when: string): TaskEvent => ({
      type: 'WarningIssued',
      daysBefore: 1,
      due: '2030-12-31',
      seq,
      at: when,
    });
    const overdue = (seq: number, when: string): TaskEvent => ({
      type: 'OverdueNoticed',
      due: '2030-12-31',
      daysOverdue: 1,
      skipped: ['warning:1@2030-12-31'],
      seq,
      at: when,
    });
    const early = '2026-03-02T01:00:00.000Z';
    const later = '2026-03-02T01:00:10.000Z';
    const ackAt = (seq: number, when: string): TaskEvent => ({
      type: 'Acknowledged',
      by: '区环保局',
      seq,
      at: when,
    });
    let store: Store;
    let file: string;
    beforeEach(async () => {
      file = await db.fresh();
      store = await openStore(file);
      await store.appendEvents(wf, [assigned]);
      await store.appendEvents(wf, [warning(2, early)]);
    });
    afterEach(() => store.close());

    test("the retry's events replace it from that seq on; the chain keeps both and verifies", async () => {
      expect(await store.appendEvents(wf, [ackAt(2, later)])).toEqual({ appended: 1 });
      expect(await store.appendEvents(wf, [overdue(3, later)])).toEqual({ appended: 1 });
      expect((await store.ledgerFor(wf)).map((e) => [e.id, e.seq, e.type])).toEqual([
        [1, 1, 'TaskAssigned'],
        [3, 2, 'Acknowledged'],
        [4, 3, 'OverdueNoticed'],
      ]);
      expect(await store.verifyLedger()).toEqual({ ok: true, rows: 4, superseded: 1 });
      // The replacing row's hash covers its revision, so it cannot be passed off as the first write.
      const rows = (await db.rows(file, 'select * from ledger order by id')) as Record<
        string,
        string | number
      >[];
      expect(rows.map((r) => Number(r.revision))).toEqual([0, 0, 1, 1]);
      expect(rows[2].hash).toBe(
        sha256(
          `${rows[1].hash}{"at":"${later}","payload":{"by":"区环保局"},"revision":1,"seq":2,"type":"Acknowledged","workflowId":"${wf}"}`,
        ),
      );
    });

    test('what the unfinished task wrote past that seq is superseded too, until the workflow writes it', async () => {
      await store.appendEvents(wf, [overdue(3, early)]);
      await store.appendEvents(wf, [ackAt(2, later)]);
      expect((await store.ledgerFor(wf)).map((e) => `${e.seq} ${e.type}`)).toEqual([
        '1 TaskAssigned',
        '2 Acknowledged',
      ]);
      expect(await store.verifyLedger()).toEqual({ ok: true, rows: 4, superseded: 2 });
      await store.appendEvents(wf, [overdue(3, later)]);
      const live = await store.ledgerFor(wf);
      expect(live.map((e) => `${e.seq} ${e.type} ${e.at}`)).toEqual([
        `1 TaskAssigned ${assigned.at}`,
        `2 Acknowledged ${later}`,
        `3 OverdueNoticed ${later}`,
      ]);
      expect(await store.verifyLedger()).toEqual({ ok: true, rows: 5, superseded: 2 });
    });

    test("a retried recording of the workflow's events, and a late write of the unfinished task, add nothing", async () => {
      await store.appendEvents(wf, [ackAt(2, later), overdue(3, later)]);
      expect(await store.appendEvents(wf, [ackAt(2, later), overdue(3, later)])).toEqual({ appended: 0 });
      expect(await store.appendEvents(wf, [warning(2, early)])).toEqual({ appended: 0 });
      expect(await store.appendEvents(wf, [ackAt(4, later)])).toEqual({ appended: 1 });
      expect((await store.ledgerFor(wf)).map((e) => `${e.seq} ${e.type}`)).toEqual([
        '1 TaskAssigned',
        '2 Acknowledged',
        '3 OverdueNoticed',
        '4 Acknowledged',
      ]);
      expect(await store.verifyLedger()).toEqual({ ok: true, rows: 5, superseded: 1 });
    });

    test("editing a row's revision breaks the chain at that row", async () => {
      await store.appendEvents(wf, [ackAt(2, later)]);
      await store.close();
      await tamper(file, `update ledger set revision = 2 where id = 3`);
      expect(await verify(file)).toEqual({
        ok: false,
        rows: 3,
        firstBadId: 3,
        problem: `row 3 (${wf} #2) was edited: its content does not match its hash`,
      });
      store = await openStore(file);
    });
  });

  describe('verifying a tampered file', () => {
    test('an edited payload: the edited row', async () => {
      const file = await db.fresh();
      await fiveRows(file);
      await tamper(file, `update ledger set payload = '{"by":"区住建局"}' where id = 3`);
      expect(await verify(file)).toEqual({
        ok: false,
        rows: 3,
        firstBadId: 3,
        problem: 'row 3 (task/a #2) was edited: its content does not match its hash',
      });
    });

    test('an edited row whose hash was recomputed too: the row after it', async () => {
      const file = await db.fresh();
      await fiveRows(file);
      const [row] = (await db.rows(file, 'select * from ledger where id = 3')) as Record<
        string,
        string | number
      >[];
      const forged = sha256(
        row.prev_hash +
          JSON.stringify({
            at: row.at,
            payload: { by: '区住建局' },
            seq: row.seq,
            type: row.type,
            workflowId: row.workflow_id,
          }),
      );
      await tamper(file, `update ledger set payload = '{"by":"区住建局"}', hash = '${forged}' where id = 3`);
      expect(await verify(file)).toMatchObject({
        ok: false,
        firstBadId: 4,
        problem: expect.stringContaining('does not follow row 3'),
      });
    });

    test('a deleted row: the row after the gap', async () => {
      const file = await db.fresh();
      await fiveRows(file);
      await tamper(file, 'delete from ledger where id = 3');
      expect(await verify(file)).toEqual({
        ok: false,
        rows: 3,
        firstBadId: 4,
        problem: 'row 4 (task/a #3) does not follow row 2: a row before it was deleted or rewritten',
      });
    });

    test('the last two rows deleted', async () => {
      const file = await db.fresh();
      await fiveRows(file);
      await tamper(file, 'delete from ledger where id >= 4');
      expect(await verify(file)).toMatchObject({
        ok: false,
        rows: 3,
        firstBadId: 4,
        problem: 'rows 4–5, the last of the ledger, were deleted',
      });
    });

    test('the first row deleted', async () => {
      const file = await db.fresh();
      await fiveRows(file);
      await tamper(file, 'delete from ledger where id = 1');
      expect(await verify(file)).toMatchObject({ ok: false, rows: 1, firstBadId: 2 });
    });

    test('the last row deleted: named by the ledger high-water mark', async () => {
      const file = await db.fresh();
      await fiveRows(file);
      await tamper(file, 'delete from ledger where id = 5');
      expect(await verify(file)).toEqual({
        ok: false,
        rows: 4,
        firstBadId: 5,
        problem: 'row 5, the last of the ledger, was deleted',
      });
    });

    test('two rows swapped: the first of them, as out of order', async () => {
      const file = await db.fresh();
      await fiveRows(file);
      await tamper(
        file,
        'update ledger set id = -2 where id = 2; update ledger set id = 2 where id = 4; update ledger set id = 4 where id = -2;',
      );
      expect(await verify(file)).toEqual({
        ok: false,
        rows: 2,
        firstBadId: 2,
        problem: 'row 2 (task/a #3) is out of order: it follows row 3, not row 1',
      });
    });

    test('an untouched file verifies after reopening', async () => {
      const file = await db.fresh();
      await fiveRows(file);
      expect(await verify(file)).toEqual({ ok: true, rows: 5 });
    });
  });
});
