/**
 * PostgreSQL stopped (pg_ctl stop -m fast) while rungs come due on the demo clock (a day is 2 s), and
 * started again 14 s later on the same port. The worker (its own process) finds its connections gone: the
 * recording and mail activities fail and are retried; once the server is back every rung is on the ledger
 * once, every notification went out once, the chain verifies and the projection has caught up.
 */
import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  sleep,
  startServer,
  startSmtpSink,
  startWorker,
  waitUntil,
  type Server,
  type SmtpSink,
  type WorkerProcess,
} from '../../bench/harness';
import { commandKeyFile, createCommandKeyFile } from '../../config/command-key';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { openStore, type Store } from '../../store';
import { startPgCluster, type PgCluster } from '../helpers/postgres';
import {
  demoTask,
  ledgerProblems,
  mailedEntries,
  mailProblems,
  rungCounts,
  waitForQuietOutbox,
  activityAttempts,
} from './rig';

const POLICY = {
  secondsPerDay: 2,
  ackReminderAfter: '3000d',
  ackAlertAfter: '3000d',
  warningDaysBefore: [1],
  interviewAfterOverdue: '3000d',
};

let tmp: string;
let cluster: PgCluster;
let server: Server;
let sink: SmtpSink;
let store: Store;
let connection: Connection;
let client: Client;
let duban: DubanClient;
let worker: WorkerProcess | undefined;
const taskQueue = 'faults-pg-restart';

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-fault-pgrestart-'));
  cluster = await startPgCluster();
  const dbUrl = await cluster.createDatabase('restart');
  [server, sink] = await Promise.all([startServer(tmp), startSmtpSink()]);
  store = await openStore(dbUrl);
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  const commandKey = createCommandKeyFile(commandKeyFile(tmp));
  duban = createDubanClient({ client, taskQueue, store, commandKey });
  worker = await startWorker({
    address: server.address,
    dataDir: tmp,
    dbFile: dbUrl,
    taskQueue,
    smtpUrl: sink.url,
  });
}, 180_000);

afterAll(async () => {
  if (worker && !worker.exited()) await worker.stop();
  await connection?.close().catch(() => undefined);
  await server?.stop();
  await sink?.close();
  await store?.close();
  await cluster?.stop();
  if (process.env.DUBAN_KEEP_FAULTS) process.stdout.write(`kept ${tmp}\n`);
  else if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the activities retry while PostgreSQL is down; every rung and mail once, the chain verifies', async () => {
  const plan = `pgrestart-${Date.now().toString(36)}`;
  const specs = [1, 2, 3, 4, 5].map((n) => demoTask(plan, `t${n}`, 4, POLICY));
  await duban.startTasks(specs);
  const ids = specs.map((s) => `task/${plan}/${s.id}`);
  await sink.waitFor('the assignment mails', (ms) => ms.length >= specs.length, 60_000);

  // The warning (day 3) and the overdue notice (day 4) come due while the server is away.
  await cluster.halt();
  const haltedAt = Date.now();
  await sleep(14_000);
  const mailsWhileDown = sink.messages.length;
  await cluster.resume();
  const resumedAt = Date.now();

  await waitUntil(
    'every task to have its overdue notice on the ledger',
    async () => {
      const ledgers = await Promise.all(ids.map((id) => store.ledgerFor(id)));
      return ledgers.every((l) => l.some((e) => e.type === 'OverdueNoticed'));
    },
    120_000,
  );
  const ledgers = await Promise.all(ids.map((id) => store.ledgerFor(id)));
  // One notification per assignment, warning and overdue notice, each sent once under its own Message-ID.
  const mailed = mailedEntries(ledgers);
  const outbox = await waitForQuietOutbox({ store, sink }, 150_000, mailed);
  expect(ledgers.flatMap(ledgerProblems)).toEqual([]);
  ledgers.forEach((l) => {
    const counts = rungCounts(l);
    const due = (l[0].event as { spec: { due: string } }).spec.due;
    for (const key of [`warning:1@${due}`, `overdue@${due}`])
      expect([l[0].workflowId, key, counts.get(key)]).toEqual([l[0].workflowId, key, 1]);
  });
  expect(await store.verifyLedger()).toMatchObject({ ok: true });
  for (const [i, id] of ids.entries()) expect((await store.getTask(id))?.seq).toBe(ledgers[i].length);

  expect(outbox).toHaveLength(mailed.length);
  expect(mailProblems(outbox, sink)).toEqual([]);
  expect(sink.messages).toHaveLength(mailed.length);
  expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(mailed.length);

  // The recording activity met the outage and was tried again.
  const retried: number[] = [];
  for (const id of ids)
    retried.push(
      ...activityAttempts((await client.workflow.getHandle(id).fetchHistory()).events!, 'recordEvents'),
    );
  expect(Math.max(...retried)).toBeGreaterThan(1);
  process.stdout.write(
    `pg-restart: down ${resumedAt - haltedAt} ms (${mailsWhileDown - specs.length} mails meanwhile); ` +
      `${sink.messages.length} mails; recordEvents attempts: ${retried.join(',')}\n`,
  );
}, 360_000);
