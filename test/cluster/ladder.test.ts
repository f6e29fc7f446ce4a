/**
 * duban as production runs it: Temporal's own server on PostgreSQL (four history shards), two workers, two
 * HTTP servers, duban's store on PostgreSQL, mail to a local SMTP server that writes each message to a file.
 * The Taierzhuang plan is imported and started through HTTP server A (82 workflows); commands go through
 * HTTP server B; a neglected task climbs the ladder on the demo clock through 约谈 to 限批 while one worker
 * is killed with -9 and the Temporal server process is restarted. Afterwards every rung happened once, every
 * notification arrived under one Message-ID, the chain verifies, the projection is what the workflows say
 * and `restriction check` answered right at every stage.
 */
import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { startCluster, type Cluster } from '../../cluster/topology';
import { isDeepStrictEqual } from 'node:util';
import { addDays, dayOf, summarize } from '../../domain';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { createToken } from '../../services/tokens';
import { openStore, type LedgerEntry, type Store } from '../../store';
import { waitUntil } from '../../bench/harness';
import { ledgerProblems, rungCounts } from '../faults/rig';
import { REGIONS } from '../importer/taierzhuang-table';

let cluster: Cluster;
let store: Store;
let connection: Connection;
let duban: DubanClient;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  cluster = await startCluster({
    keep: !!process.env.DUBAN_KEEP_CLUSTER,
    say: (l) => process.stdout.write(`[cluster] ${l}\n`),
  });
  store = await openStore(cluster.dbUrl);
  connection = await Connection.connect({ address: cluster.temporal.address });
  const client = new Client({ connection, namespace: cluster.namespace });
  duban = createDubanClient({ client, taskQueue: cluster.taskQueue, store });
  tokens.supervisor = cluster.supervisorToken;
}, 900_000);

afterAll(async () => {
  await connection?.close().catch(() => undefined);
  await store?.close();
  await cluster?.stop();
}, 120_000);

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** Calls an HTTP server of the cluster (A = 0, B = 1) as `who`. */
async function call(server: 0 | 1, method: string, url: string, who: string, body?: unknown): Promise<Reply> {
  const r = await fetch(cluster.http[server].url + url, {
    method,
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = await r.text();
  return { status: r.status, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
}

async function ok(server: 0 | 1, method: string, url: string, who: string, body?: unknown) {
  const r = await call(server, method, url, who, body);
  if (r.status !== 200) throw new Error(`${method} ${url} as ${who}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const taskUrl = (workflowId: string) =>
  `/api/tasks/${workflowId
    .replace(/^task\//, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/')}`;

/** `restriction check` as the public asks it, through server A or B. */
async function restricted(server: 0 | 1, region: string, sector: string): Promise<boolean> {
  const q = `?region=${encodeURIComponent(region)}&sector=${encodeURIComponent(sector)}`;
  const r = await fetch(`${cluster.http[server].url}/api/restrictions/check${q}`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { restricted: boolean }).restricted;
}

/** The task's ledger through HTTP server B (what a supervisor reads), [] while the server cannot say. */
async function ledgerOf(workflowId: string): Promise<LedgerEntry[]> {
  const r = await call(1, 'GET', taskUrl(workflowId), 'supervisor');
  return r.status === 200 ? (r.body.ledger as LedgerEntry[]) : [];
}

const has = (entries: LedgerEntry[], type: string) => entries.some((e) => e.type === type);

/**
 * Neither server answers 限批 while the task's ledger has none. The ledger is read after the answers: the
 * workflow records the rung before it tells the region, so a `restricted` answer with no ledger entry is
 * wrong. Once a loaded machine has let the 限批 come due, whatever the answers are, they are not checked here.
 */
async function notRestrictedBeforeTheLedger(workflowId: string, region: string, sector: string) {
  const answers = [await restricted(0, region, sector), await restricted(1, region, sector)];
  let ledger: LedgerEntry[] = [];
  await waitUntil(
    'the ledger to be read',
    async () => (ledger = await ledgerOf(workflowId)).length > 0,
    60_000,
  );
  if (!has(ledger, 'RestrictionImposed')) expect(answers).toEqual([false, false]);
}
/** Whether the rung `key` was dealt with: fired, or skipped beside a more severe one that came due with it. */
const dealt = async (workflowId: string, key: string) => rungCounts(await ledgerOf(workflowId)).has(key);

/** Every mail the SMTP server wrote, parsed back from its file. */
async function mailFiles(): Promise<{ file: string; messageId: string; subject: string }[]> {
  const files = fs.readdirSync(cluster.mail.dir).filter((f) => f.endsWith('.eml'));
  return Promise.all(
    files.sort().map(async (file) => {
      const m = await simpleParser(fs.readFileSync(path.join(cluster.mail.dir, file)));
      return { file, messageId: m.messageId ?? '', subject: m.subject ?? '' };
    }),
  );
}

const PLAN_TEXT = fs.readFileSync(
  path.join(__dirname, '..', '..', 'plans', 'taierzhuang-2016-water-pollution-plan.txt'),
  'utf8',
);

/** The demo clock: a day lasts three seconds; rungs on days 1 (reminders), 2 (alerts, warning), 4, 6, … */
const DEMO_POLICY = {
  secondsPerDay: 3,
  ackReminderAfter: '1d',
  ackReminderEvery: '3000d',
  ackAlertAfter: '2d',
  warningDaysBefore: [1],
  interviewAfterOverdue: '2d',
  rectificationPeriod: '2d',
  accountabilityAfterRectification: '3000d',
};

test('the Taierzhuang plan and a neglected task up to 限批, through a kill -9 and a server restart', async () => {
  const stamp = Date.now().toString(36);
  const planId = `tz-${stamp}`;
  const region = '泥沟镇';
  const sector = '造纸';

  // The plan, imported and started through server A: 82 workflows, once each.
  const imported = await ok(0, 'POST', '/api/plans/import', 'supervisor', {
    text: PLAN_TEXT,
    id: planId,
    regions: REGIONS,
  });
  expect(imported.workflows).toBe(82);
  const breakdown = imported.breakdown as { tasks: { id: string; lead: string[]; regions: string[] }[] };
  const started = await ok(0, 'POST', '/api/plans/start', 'supervisor', { breakdown });
  expect(started).toMatchObject({ plan: planId, started: 82, alreadyRunning: 0 });
  const planIds = (started.results as { workflowId: string }[]).map((r) => r.workflowId);
  expect(await restricted(0, region, sector)).toBe(false);

  // Commands through server B on two of the plan's tasks, by their lead departments.
  const [first, second] = breakdown.tasks.filter((t) => t.regions.length === 0);
  for (const t of [first, second])
    tokens[t.lead[0]] ??= (await createToken(store, { role: 'department', department: t.lead[0] })).token;
  // As the departments find them: every assignment recorded (the task list) and its mail sent.
  await waitUntil(
    'the plan to be assigned and its mail sent',
    async () => {
      const projected = await Promise.all(planIds.map((id) => store.getTask(id)));
      const outbox = await store.listOutbox();
      return projected.every(Boolean) && outbox.length > 0 && outbox.every((o) => o.status === 'sent');
    },
    600_000,
    undefined,
    1000,
  );
  const cmd = (t: { id: string; lead: string[] }, command: string, who: string, body: unknown = {}) =>
    ok(1, 'POST', `/api/tasks/${planId}/${t.id}/${command}`, who, body);
  expect(await cmd(first, 'acknowledge', first.lead[0])).toMatchObject({ status: 'acknowledged' });
  expect(await cmd(first, 'submitCompletion', first.lead[0], { summary: '已完成' })).toMatchObject({
    status: 'submitted',
  });

  // The neglected task, started through server B on the demo clock.
  const neglectPlan = `neglect-${stamp}`;
  const neglected = `task/${neglectPlan}/n1/${region}`;
  const demo = {
    plan: { id: neglectPlan, title: '无人办理的任务（演示时钟）', regions: [region], policy: DEMO_POLICY },
    departments: [{ name: '区环保局' }, { name: '区经信局' }],
    tasks: [
      {
        id: 'n1',
        title: '集中治理工业集聚区水污染（演示）',
        lead: ['区环保局'],
        cooperating: ['区经信局'],
        due: addDays(dayOf(Date.now()), 3),
        regions: [region],
        restriction: { sector },
      },
    ],
  };
  expect(await ok(1, 'POST', '/api/plans/start', 'supervisor', { breakdown: demo })).toMatchObject({
    started: 1,
  });

  // kill -9 of worker 1 once the first reminder of the neglected task is on its ledger; worker 2 goes on.
  await waitUntil(
    'the first reminder',
    async () => has(await ledgerOf(neglected), 'AckReminderSent'),
    120_000,
  );
  await cluster.workers[0].kill9();
  expect(cluster.workers[0].running()).toBe(false);
  expect(await restricted(1, region, sector)).toBe(false);
  await waitUntil(
    'the warning, on worker 2 alone',
    () => dealt(neglected, `warning:1@${demo.tasks[0].due}`),
    120_000,
  );
  await cluster.workers[0].start();

  // The Temporal server process restarted once the overdue notice is out: the interview comes due meanwhile.
  await waitUntil('the overdue notice', () => dealt(neglected, `overdue@${demo.tasks[0].due}`), 120_000);
  await cluster.temporal.stop();
  await cluster.temporal.start();
  await notRestrictedBeforeTheLedger(neglected, region, sector);
  // A command right after the restart, through B.
  expect(await cmd(first, 'verifyCompletion', 'supervisor')).toMatchObject({ status: 'completed' });

  // 约谈 ordered, then recorded through B; 限批 the day after the rectification due date, which the order sets
  // (two demo days on): on a slow machine it may come before the record arrives, or before the restarted
  // server's worker polls have brought the order to this test at all.
  await waitUntil('the interview', async () => has(await ledgerOf(neglected), 'InterviewOrdered'), 180_000);
  await notRestrictedBeforeTheLedger(neglected, region, sector);
  await ok(1, 'POST', `${taskUrl(neglected)}/recordInterview`, 'supervisor', {
    attendees: ['区环保局局长', '泥沟镇镇长'],
    opinions: '限期整改',
  });
  await waitUntil(
    'the restriction',
    async () => has(await ledgerOf(neglected), 'RestrictionImposed'),
    180_000,
  );
  await waitUntil('限批 to be in force', () => restricted(0, region, sector), 60_000);
  expect(await restricted(1, region, sector)).toBe(true);
  expect(await restricted(1, region, '化工')).toBe(false);
  expect(await cmd(second, 'acknowledge', second.lead[0])).toMatchObject({ status: 'acknowledged' });

  // Every notification sent and its mail on disk.
  const ids = [...planIds, neglected];
  let outbox = await store.listOutbox();
  let mails: Awaited<ReturnType<typeof mailFiles>> = [];
  await waitUntil(
    'every notification to be sent and written to a file',
    async () => {
      outbox = await store.listOutbox();
      mails = await mailFiles();
      const got = new Set(mails.map((m) => m.messageId));
      return outbox.length > 0 && outbox.every((o) => o.status === 'sent' && got.has(o.messageId));
    },
    300_000,
    () =>
      `: ${outbox
        .filter((o) => o.status !== 'sent')
        .map((o) => `${o.workflowId} ${o.key} ${o.status}`)
        .join(', ')}`,
    500,
  );
  const rows = new Map(outbox.map((o) => [o.messageId, o]));
  expect(mails.filter((m) => !rows.has(m.messageId)).map((m) => m.file)).toEqual([]);
  const subjects = new Map<string, Set<string>>();
  for (const m of mails) subjects.set(m.messageId, (subjects.get(m.messageId) ?? new Set()).add(m.subject));
  expect([...subjects].filter(([, s]) => s.size > 1)).toEqual([]);
  // One Message-ID per notification: as many distinct IDs on disk as outbox rows.
  expect(subjects.size).toBe(outbox.length);

  // Every rung of the neglected task once, fired or skipped beside a more severe one.
  const ladder = await store.ledgerFor(neglected);
  const counts = rungCounts(ladder);
  for (const key of ['interview', 'restriction']) expect([key, counts.get(key)]).toEqual([key, 1]);
  // 限批 no sooner than the day after the rectification due date: over two demo days after the order.
  const at = (type: string) => Date.parse(ladder.find((e) => e.type === type)?.at ?? '');
  expect(at('RestrictionImposed') - at('InterviewOrdered')).toBeGreaterThan(
    2 * DEMO_POLICY.secondsPerDay * 1000,
  );
  const due = demo.tasks[0].due;
  for (const key of [`warning:1@${due}`, `overdue@${due}`]) expect([key, counts.get(key)]).toEqual([key, 1]);
  const ledgers = await Promise.all(ids.map((id) => store.ledgerFor(id)));
  expect(ledgers.flatMap(ledgerProblems)).toEqual([]);
  expect(ledgers.every((l) => l.length > 0 && l[0].type === 'TaskAssigned')).toBe(true);

  expect(await ok(0, 'GET', '/api/ledger/verify', 'supervisor')).toMatchObject({ ok: true });

  // The projection is what the workflows say (their query), once it has caught up.
  let mismatched: string[] = [];
  await waitUntil(
    'the projection to match the workflows',
    async () => {
      const pairs = await Promise.all(
        ids.map(async (id) => [id, await store.getTask(id), summarize(id, await duban.state(id))] as const),
      );
      const plain = (x: unknown) => JSON.parse(JSON.stringify(x ?? null)) as unknown;
      mismatched = pairs.filter(([, p, q]) => !isDeepStrictEqual(plain(p), plain(q))).map(([id]) => id);
      return mismatched.length === 0;
    },
    120_000,
    () => `: ${mismatched.join(', ')}`,
    1000,
  );
  process.stdout.write(
    `cluster: ${ids.length} workflows, ${outbox.length} notifications, ${mails.length} mail files; ` +
      `${neglected}: ${ladder.map((e) => e.type).join(' ')}\n`,
  );
});
