/**
 * Two compiled workers and two HTTP servers, each its own process, on one PostgreSQL store and one Temporal
 * server. Fifty tasks on the demo clock (a day is 5 s) come due together: their assignments, then their
 * warnings, then their overdue notices go out in bursts. In the middle of the warnings one worker is killed
 * with kill -9; at that moment every task is acknowledged through server A, as its department would, and a
 * command answered 503 is tried again after its Retry-After, as a user's client would (within a bound).
 * Afterwards every rung is on the ledger once, every notice reached the SMTP server under one Message-ID of
 * its own, `duban ledger verify` finds one unbroken chain, the projection equals each workflow's state, and
 * a browser's live feed on server B saw the commands sent to server A.
 */
import { Client, Connection } from '@temporalio/client';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  COMMAND_KEY,
  ROOT,
  sleep,
  startHttp,
  startServer,
  startSmtpSink,
  startWorker,
  waitUntil,
  type HttpProcess,
  type Server,
  type SmtpSink,
  type WorkerEnv,
  type WorkerProcess,
} from '../../bench/harness';
import { parseCommandKey } from '../../config/command-key';
import { summarize, type TaskSummary } from '../../domain';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { createToken } from '../../services/tokens';
import { openStore, type LedgerEntry, type Store } from '../../store';
import { startPgCluster, type PgCluster } from '../helpers/postgres';
import { openEvents, type Feed } from '../helpers/sse';
import {
  demoTask,
  entriesWithoutRow,
  ledgerProblems,
  mailedEntries,
  mailProblems,
  rowKey,
  rungCounts,
  waitForQuietOutbox,
} from './rig';

const TASKS = 50;
const POLICY = {
  secondsPerDay: 5,
  ackReminderAfter: '3000d',
  ackAlertAfter: '3000d',
  warningDaysBefore: [1],
  interviewAfterOverdue: '3000d',
};
/**
 * How long the test's client keeps trying a command that is answered 503, as a patient user would. Measured on
 * a loaded 2-core machine: 45 s to 4 minutes, until the killed worker's in-flight work timed out.
 */
const RETRY_BOUND_MS = 420_000;

let tmp: string;
let cluster: PgCluster;
let server: Server;
let sink: SmtpSink;
let store: Store;
let dbUrl: string;
let connection: Connection;
let duban: DubanClient;
const workers: WorkerProcess[] = [];
const https: HttpProcess[] = [];
const taskQueue = 'faults-race';

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-fault-race-'));
  cluster = await startPgCluster();
  dbUrl = await cluster.createDatabase('race');
  [server, sink] = await Promise.all([startServer(tmp), startSmtpSink()]);
  store = await openStore(dbUrl);
  connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  // Tasks are started with the deployment's key, so the HTTP servers' sealed commands are accepted.
  duban = createDubanClient({ client, taskQueue, store, commandKey: parseCommandKey(COMMAND_KEY, 'test') });
  // Each process in a folder of its own: nothing is shared but the store, Temporal and the key.
  const env = (name: string): WorkerEnv => {
    const dataDir = path.join(tmp, name);
    fs.mkdirSync(dataDir);
    return { address: server.address, dataDir, dbFile: dbUrl, taskQueue, smtpUrl: sink.url };
  };
  // All four start at once, as a deployment's containers do; each registers what it needs if missing.
  const started = await Promise.all([
    startWorker(env('worker-1')),
    startWorker(env('worker-2')),
    startHttp(env('http-a')),
    startHttp(env('http-b')),
  ]);
  workers.push(started[0], started[1]);
  https.push(started[2] as HttpProcess, started[3] as HttpProcess);
}, 240_000);

afterAll(async () => {
  for (const p of [...https, ...workers]) if (!p.exited()) await p.stop();
  await connection?.close().catch(() => undefined);
  await server?.stop();
  await sink?.close();
  await store?.close();
  await cluster?.stop();
  if (process.env.DUBAN_KEEP_FAULTS) process.stdout.write(`kept ${tmp}\n`);
  else if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Sent {
  status: number;
  body: Record<string, unknown>;
  /** When the first 503 came and when the command was finally answered otherwise (0: never 503). */
  first503: number;
  answeredAt: number;
  tries: number;
}

/**
 * POST a command as a user's client does: a 503 carries Retry-After, and the client waits that long and
 * tries again, up to RETRY_BOUND_MS. A retry may find its first try carried out meanwhile (409 saying so).
 */
async function send(base: string, url: string, token: string, body: unknown): Promise<Sent> {
  const deadline = Date.now() + RETRY_BOUND_MS;
  let first503 = 0;
  for (let tries = 1; ; tries++) {
    const r = await fetch(base + url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await r.json()) as Record<string, unknown>;
    if (r.status !== 503) return { status: r.status, body: json, first503, answeredAt: Date.now(), tries };
    first503 ||= Date.now();
    const retryAfter = Number(r.headers.get('retry-after'));
    if (!(retryAfter > 0)) throw new Error(`503 without Retry-After for ${url}: ${JSON.stringify(json)}`);
    if (Date.now() + retryAfter * 1000 > deadline)
      throw new Error(
        `${url} still 503 after ${tries} tries (${RETRY_BOUND_MS} ms): ${JSON.stringify(json)}`,
      );
    await sleep(retryAfter * 1000);
  }
}

test('two workers, two HTTP servers, one killed mid-burst: every rung and mail once, one chain', async () => {
  const [a, b] = https;
  const supervisor = (await createToken(store, { role: 'supervisor', name: 'race' })).token;
  const dept = (await createToken(store, { role: 'department', department: '区环保局' })).token;
  const feed: Feed = await openEvents(b.base, supervisor);
  try {
    await feed.until('ready', (f) => f.text().includes('event: ready'));

    const plan = `race-${Date.now().toString(36)}`;
    const specs = Array.from({ length: TASKS }, (_, i) => demoTask(plan, `t${i + 1}`, 4, POLICY));
    const ids = specs.map((s) => `task/${plan}/${s.id}`);
    const victim = workers[0];
    let killedAt = 0;
    let killing: Promise<void> | undefined;
    sink.onData = () => {
      const warned = sink.messages.filter((m) => m.subject.includes('预警')).length;
      if (!killing && warned >= TASKS / 2) {
        killedAt = Date.now();
        killing = victim.kill9();
      }
    };
    await duban.startTasks(specs);
    await sink.waitFor('half the warnings (the moment of the kill)', () => killing !== undefined, 120_000);
    await killing;
    expect(victim.exited()).toBe(true);

    // Every department acknowledges through server A while the dead worker's work is still in the air.
    const acks = await Promise.all(
      specs.map((s) => send(a.base, `/api/tasks/${plan}/${s.id}/acknowledge`, dept, {})),
    );
    const wrong = acks
      .map((r, i) => ({ id: ids[i], ...r }))
      .filter(
        (r) =>
          !(
            r.status === 200 ||
            (r.first503 > 0 && r.status === 409 && r.body.code === 'already_acknowledged')
          ),
      );
    if (wrong.length) process.stdout.write(`server A said:\n${a.output().slice(-6000)}\n`);
    expect(wrong.map((r) => `${r.id}: ${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    // Server B's live feed tells of every acknowledgement that went through A (or of a later change).
    await feed.until(
      'every acknowledgement sent through A',
      (f) => acks.every((r, i) => r.status !== 200 || (f.seqs.get(ids[i]) ?? 0) >= (r.body.seq as number)),
      60_000,
    );

    await waitUntil(
      'every task to have its overdue notice on the ledger',
      async () => {
        const ledgers = await Promise.all(ids.map((id) => store.ledgerFor(id)));
        return ledgers.every((l) => l.some((e) => e.type === 'OverdueNoticed'));
      },
      240_000,
    );
    // The notices the dead worker held are sent again after their start-to-close timeout (2 minutes).
    const ledgers: LedgerEntry[][] = await Promise.all(ids.map((id) => store.ledgerFor(id)));
    const mailed = mailedEntries(ledgers);
    const outbox = await waitForQuietOutbox({ store, sink }, 300_000, mailed).catch(async (err: unknown) => {
      const lacking = new Set(entriesWithoutRow(await store.listOutbox(), mailed).map((e) => e.workflowId));
      // What Temporal holds of each such task: its pending activities and its history, kept in tmp.
      const temporal = new Client({ connection });
      for (const id of lacking) {
        const handle = temporal.workflow.getHandle(id);
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        const history = await handle.fetchHistory();
        const file = path.join(tmp, `${id.replace(/\//g, '_')}.history.json`);
        fs.writeFileSync(file, JSON.stringify(history, null, 1));
        process.stdout.write(`${id}: pending ${JSON.stringify(pending)}; history in ${file}\n`);
      }
      const w = workers[1];
      process.stdout.write(
        `the other worker (${w.exited() ? 'exited' : 'running'}):\n${w.output().slice(-6000)}\n`,
      );
      throw err;
    });

    // Every rung once; every department's acknowledgement once.
    expect(ledgers.flatMap(ledgerProblems)).toEqual([]);
    for (const l of ledgers) {
      const due = (l[0].event as { spec: { due: string } }).spec.due;
      const counts = rungCounts(l);
      const acked = l.filter((e) => e.type === 'Acknowledged').length;
      expect([l[0].workflowId, counts.get(`warning:1@${due}`), counts.get(`overdue@${due}`), acked]).toEqual([
        l[0].workflowId,
        1,
        1,
        1,
      ]);
    }

    // One outbox row per mailed event, each reached the SMTP server under its own Message-ID.
    const expected = mailed.map((e) => `${e.workflowId} ${rowKey(e)}`).sort();
    expect(outbox.map((o) => `${o.workflowId} ${o.key}`).sort()).toEqual(expected);
    expect(mailProblems(outbox, sink)).toEqual([]);
    const messageIds = new Set(sink.messages.map((m) => m.messageId));
    expect(messageIds.size).toBe(outbox.length);
    expect([...messageIds].sort()).toEqual(outbox.map((o) => o.messageId).sort());

    // The CLI, on the same store, finds one unbroken chain over every row.
    const verify = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'duban.js'), 'ledger', 'verify', '--json'],
      {
        cwd: tmp,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DUBAN_DB_URL: dbUrl, DUBAN_DATA_DIR: tmp },
      },
    );
    expect([verify.status, verify.stderr]).toEqual([0, '']);
    // Every row is on it: the tasks' own, and any a killed worker recorded that its task then decided otherwise.
    const verified = JSON.parse(verify.stdout) as { ok: boolean; rows: number; superseded?: number };
    expect([verified.ok, verified.rows - (verified.superseded ?? 0)]).toEqual([true, ledgers.flat().length]);

    // The projection is each workflow's own state (by its query), once the last recording has landed.
    let differ: string[] = [];
    await waitUntil(
      "the projection to equal every workflow's state",
      async () => {
        const pairs = await Promise.all(
          ids.map(async (id) => [summarize(id, await duban.state(id)), await store.getTask(id)] as const),
        );
        differ = pairs
          .filter(([want, got]) => JSON.stringify(want) !== JSON.stringify(got))
          .map(
            ([want, got]) =>
              `${want.workflowId}: state ${JSON.stringify(want)} projection ${JSON.stringify(got)}`,
          );
        return differ.length === 0;
      },
      60_000,
      () => `:\n${differ.slice(0, 3).join('\n')}`,
      1000,
    );
    const projected: TaskSummary[] = await Promise.all(ids.map(async (id) => (await store.getTask(id))!));
    expect(projected.map((t) => [t.escalation, t.acknowledged])).toEqual(
      ids.map(() => ['overdue', ['区环保局']]),
    );

    // One more command through A, the store quiet: B's feed tells of exactly that seq.
    const progress = await send(a.base, `/api/tasks/${plan}/t1/reportProgress`, dept, { note: '已完成过半' });
    expect(progress.status).toBe(200);
    await feed.until(
      `${ids[0]} at seq ${String(progress.body.seq)}`,
      (f) => f.seqs.get(ids[0]) === progress.body.seq,
      30_000,
    );

    const retried = acks.filter((r) => r.first503 > 0);
    const window = retried.length
      ? Math.max(...retried.map((r) => r.answeredAt)) - Math.min(...retried.map((r) => r.first503))
      : 0;
    const deliveries = sink.messages.length - messageIds.size;
    // What Temporal said behind the 503s, by kind: "gRPC 4: Deadline exceeded ×12".
    const said = new Map<string, number>();
    for (const m of a.output().match(/gRPC \d+: [^)\n,]*/g) ?? []) {
      const kind = m.replace(/ after [\d.]+s$/, '');
      said.set(kind, (said.get(kind) ?? 0) + 1);
    }
    const answers = [...said].map(([k, n]) => `${k} ×${n}`);
    process.stdout.write(
      `race: killed worker ${victim.pid} at ${killedAt}; ${retried.length}/${TASKS} acknowledgements met 503 ` +
        `(max ${Math.max(0, ...acks.map((r) => r.tries))} tries, 503 window ${window} ms, slowest answer ` +
        `${Math.max(...acks.map((r) => r.answeredAt)) - killedAt} ms after the kill); ${sink.messages.length} mails, ` +
        `${outbox.length} notices, ${deliveries} repeated deliveries under the same Message-ID, ` +
        `${sink.dropped.length} SMTP connections dropped mid-mail; ${verified.superseded ?? 0} ledger rows superseded; ` +
        `Temporal's answers behind the 503s: ${answers.join(' | ') || 'none'}\n`,
    );
  } finally {
    feed.end();
  }
}, 900_000);
