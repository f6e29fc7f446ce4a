/**
 * `npm run bench [-- --quick]`: duban measured on this machine, each figure against a baseline taken in
 * the same run. Real processes: the Temporal dev server on a SQLite file, duban's worker
 * (`dist/app/worker-main.js`) and a bare worker (`dist/bench/bare-worker.js`) each in their own process,
 * an SMTP server in this one. Prints a table and writes bench/results.json (--quick: results-quick.json).
 *
 * 1. lifecycle: start → acknowledge → submit → verify through the client facade, against a bare
 *    workflow taking the same updates; history events of a clean lifecycle.
 * 2. escalation: N tasks whose overdue rung falls in the same second (the demo clock, a day = 1 s, and a
 *    granted extension that puts each task's overdue instant in that second); delay to the mail at the
 *    SMTP server, against N bare Temporal timers set for one second.
 * 3. scale: many open tasks with a pending timer each: start rate against bare workflows with a timer,
 *    worker and server RSS against their idle size, and whether every task's rung fired.
 * 4. import: the importer on the sample plan and on 20 copies of it, against a plain line split.
 */
import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDubanClient, type DubanClient } from '../services/facade';
import { addDays, dayOf, toMillis, type PolicyOverride } from '../domain';
import { importPlan } from '../importer';
import { openStore, type Store } from '../store';
import {
  ROOT,
  percentile,
  rssOf,
  sleep,
  startServer,
  startSmtpSink,
  startWorker,
  waitUntil,
  type Server,
  type SmtpSink,
  type WorkerProcess,
} from './harness';
import { benchCluster } from './cluster';

const quick = process.argv.includes('--quick');
/** `--only scale,lifecycle`: run just those sections (for looking into one figure). */
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (section: string) => !only || only.includes(section);
const SIZE = quick
  ? { lifecycle: 20, concurrency: 10, escalation: 50, scale: 150, probes: 20, importRuns: 5 }
  : { lifecycle: 200, concurrency: 20, escalation: 1000, scale: 3000, probes: 100, importRuns: 20 };

interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  goal?: string;
  met?: boolean;
  note?: string;
}
const figures: Figure[] = [];
const add = (f: Figure) => {
  figures.push(f);
  const base = f.baseline ? `  (baseline ${f.baseline.name}: ${fmt(f.baseline.value)})` : '';
  log(
    `${f.section}: ${f.name} = ${fmt(f.value)} ${f.unit}${base}${f.goal ? `  goal ${f.goal}: ${f.met ? 'met' : 'MISSED'}` : ''}`,
  );
};
const fmt = (v: number) =>
  Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const MiB = 1024 * 1024;

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

interface Rig {
  tmp: string;
  server: Server;
  sink: SmtpSink;
  store: Store;
  client: Client;
  duban: DubanClient;
  worker: WorkerProcess;
  bare: WorkerProcess;
  bareQueue: string;
  idle: { worker: number; server: number };
}

// ---------------------------------------------------------------------------------------------- import

function timeIt(runs: number, fn: () => unknown): number {
  fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return percentile(times, 50);
}

function benchImport(): void {
  const text = fs.readFileSync(path.join(ROOT, 'plans', 'taierzhuang-2016-water-pollution-plan.txt'), 'utf8');
  const big = Array.from({ length: 20 }, () => text).join('\n');
  const split = (t: string) => t.split(/\r?\n/).map((l) => l.trim());
  for (const [name, t, runs] of [
    ['sample plan', text, SIZE.importRuns],
    ['20× the sample', big, Math.max(3, Math.round(SIZE.importRuns / 4))],
  ] as const) {
    const tasks = importPlan(t, { fileName: 'bench.txt' }).tasks.length;
    const parse = timeIt(runs, () => importPlan(t, { fileName: 'bench.txt' }));
    const base = timeIt(runs * 10, () => split(t));
    add({
      section: 'import',
      name: `parse ${name} (${(Buffer.byteLength(t) / 1024).toFixed(0)} KiB, ${tasks} tasks)`,
      value: parse,
      unit: 'ms',
      baseline: { name: 'line split', value: base },
      ratio: parse / base,
      goal: '≤ 10× split',
      met: parse / base <= 10,
    });
  }
}

// ------------------------------------------------------------------------------------------- lifecycle

async function benchLifecycle(r: Rig): Promise<void> {
  const stamp = Date.now().toString(36);
  const n = SIZE.lifecycle;
  const half = Math.ceil(n / 2);
  const dubanOne = async (plan: string, i: number) => {
    await r.duban.startTasks([
      { plan, id: `l${i}`, title: '基准任务', lead: ['区环保局'], due: '2030-12-31' },
    ]);
    const id = `${plan}/l${i}`;
    await r.duban.command(id, 'acknowledge', { actor: '区环保局' });
    await r.duban.command(id, 'submitCompletion', { actor: '区环保局', summary: '已完成' });
    await r.duban.command(id, 'verifyCompletion', { actor: 'supervisor' });
  };
  const bareOne = async (plan: string, i: number) => {
    const h = await r.client.workflow.start('bareTask', {
      taskQueue: r.bareQueue,
      workflowId: `bare/${plan}/${i}`,
    });
    await h.executeUpdate('acknowledge', { args: [{ actor: '区环保局' }] });
    await h.executeUpdate('submitCompletion', { args: [{ actor: '区环保局', summary: '已完成' }] });
    await h.executeUpdate('verifyCompletion', { args: [{ actor: 'supervisor' }] });
  };
  // Warm both paths, then alternate halves so drift on a noisy machine falls on both alike.
  await pool(4, 4, (i) => dubanOne(`warm-${stamp}`, i));
  await pool(4, 4, (i) => bareOne(`warm-${stamp}`, i));
  let dubanMs = 0;
  let bareMs = 0;
  for (const round of [1, 2]) {
    let t = performance.now();
    await pool(half, SIZE.concurrency, (i) => bareOne(`b${round}-${stamp}`, i));
    bareMs += performance.now() - t;
    t = performance.now();
    await pool(half, SIZE.concurrency, (i) => dubanOne(`d${round}-${stamp}`, i));
    dubanMs += performance.now() - t;
  }
  const dubanRate = (2 * half) / (dubanMs / 1000);
  const bareRate = (2 * half) / (bareMs / 1000);
  add({
    section: 'lifecycle',
    name: `${2 * half} lifecycles, ${SIZE.concurrency} at a time`,
    value: dubanRate,
    unit: 'lifecycles/s',
    baseline: { name: 'bare workflow, same updates', value: bareRate },
    ratio: dubanRate / bareRate,
    goal: '≥ 0.7× bare',
    met: dubanRate / bareRate >= 0.7,
  });
  const id = `task/d1-${stamp}/l0`;
  await r.client.workflow.getHandle(id).result();
  const history = (await r.client.workflow.getHandle(id).fetchHistory()).events!;
  const events = history.length;
  const byKind = new Map<string, number>();
  for (const e of history) {
    const kind =
      Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ?? '?';
    const name = kind
      .replace(/EventAttributes$/, '')
      .replace(/^workflowExecution/, '')
      .replace(/^workflowTask/, 'WFT ')
      .replace(/^activityTask/, 'activity ');
    byKind.set(name, (byKind.get(name) ?? 0) + 1);
  }
  const activities = new Map<string, number>();
  for (const e of history) {
    const n = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (n) activities.set(n, (activities.get(n) ?? 0) + 1);
  }
  const bareEvents = (await r.client.workflow.getHandle(`bare/b1-${stamp}/0`).fetchHistory()).events!.length;
  add({
    section: 'lifecycle',
    name: 'history events per clean lifecycle',
    value: events,
    unit: 'events',
    baseline: { name: 'bare workflow', value: bareEvents },
    ratio: events / bareEvents,
    goal: '≤ 40',
    met: events <= 40,
    note:
      [...byKind].map(([k, v]) => `${k} ${v}`).join(', ') +
      `; activities: ${[...activities].map(([k, v]) => `${k} ${v}`).join(', ')}`,
  });
}

// ------------------------------------------------------------------------------------------ escalation

/** The demo clock at a second a day, and nothing on the ladder but the overdue notice. */
const ESCALATION_POLICY: PolicyOverride = {
  secondsPerDay: 1,
  ackReminderAfter: '3000d',
  ackReminderEvery: '3000d',
  ackAlertAfter: '3000d',
  warningDaysBefore: [],
  interviewAfterOverdue: '3000d',
};

async function benchEscalation(r: Rig, tasksPerSecond: number): Promise<void> {
  const n = SIZE.escalation;
  const stamp = Date.now().toString(36);

  // Baseline: n bare Temporal timers set for the same second, woken with nothing of duban around them.
  const bareAt = Math.ceil((Date.now() + 5_000 + n * 5) / 1000) * 1000;
  const handles: Awaited<ReturnType<Client['workflow']['start']>>[] = [];
  await pool(n, SIZE.concurrency, async (i) => {
    handles.push(
      await r.client.workflow.start('bareTimer', {
        taskQueue: r.bareQueue,
        workflowId: `bare-timer/${stamp}/${i}`,
        args: [bareAt],
      }),
    );
  });
  const woke = (await Promise.all(handles.map((h) => h.result() as Promise<number>))).map((t) => t - bareAt);

  // duban: the second T is chosen now, far enough out for every task to be started and extended before
  // it (estimated from the scale run's rate; an extension costs about what a start does). Each task
  // starts due a few demo days (= seconds) short of T; once it is assigned, a granted extension moves its
  // due date so that its overdue instant, assignment + k whole seconds, falls in [T, T + 1 s).
  const plan = `esc-${stamp}`;
  const margin = 8;
  const setupSeconds = Math.ceil((n / Math.max(1, tasksPerSecond)) * 2.2) + 10;
  const T = Math.ceil((Date.now() + (setupSeconds + margin) * 1000) / 1000) * 1000;
  const planned = new Map<string, number>();
  let unaligned = 0;
  const t1 = Date.now();
  await pool(n, SIZE.concurrency, async (i) => {
    const id = `${plan}/e${i}`;
    const x = Math.floor((T - Date.now()) / 1000) - margin;
    if (x < 1) {
      unaligned += 1;
      return;
    }
    await r.duban.startTasks([
      {
        plan,
        id: `e${i}`,
        title: '到期基准',
        lead: ['区环保局'],
        due: addDays(dayOf(Date.now()), x),
        policy: ESCALATION_POLICY,
      },
    ]);
    let assignedAt: string | undefined;
    while (!(assignedAt = (await r.store.getTask(`task/${id}`))?.assignedAt)) await sleep(100);
    const start = toMillis(assignedAt);
    const k = Math.ceil((T - start) / 1000);
    if (k - 1 <= x || Date.now() >= start + (x + 1) * 1000) {
      unaligned += 1;
      return;
    }
    planned.set(id, start + k * 1000);
    await r.duban.command(id, 'decideExtension', {
      actor: 'supervisor',
      approve: true,
      to: addDays(dayOf(assignedAt), k - 1),
    });
  });
  const setup = Date.now() - t1;
  const spread = Math.max(...planned.values()) - Math.min(...planned.values());
  await sleep(Math.max(0, T - 200 - Date.now()));
  const pendingAtT = (await r.store.listOutbox()).filter((o) => o.status === 'pending').length;

  const overdue = (m: { subject: string }) => m.subject.includes('催办') && m.subject.includes(plan);
  const refOf = (m: { subject: string }) => /（([^（）]+)）/.exec(m.subject)?.[1] ?? '';
  await r.sink.waitFor(
    `${planned.size} overdue mails`,
    (ms) => ms.filter((m) => overdue(m) && planned.has(refOf(m))).length >= planned.size,
    300_000,
  );
  const delays = r.sink.messages
    .filter((m) => overdue(m) && planned.has(refOf(m)))
    .map((m) => m.receivedAt - planned.get(refOf(m))!);
  const ledgerDelays: number[] = [];
  for (const [id, at] of planned) {
    const e = (await r.store.ledgerFor(`task/${id}`)).find((x) => x.type === 'OverdueNoticed');
    if (e) ledgerDelays.push(toMillis(e.at) - at);
  }
  const note =
    `${planned.size} tasks started and extended in ${(setup / 1000).toFixed(1)} s; overdue instants spread over ${spread} ms; ` +
    `${pendingAtT} earlier mails still pending at T` +
    (unaligned ? `; ${unaligned} tasks could not be set up before T and were left out` : '');
  for (const p of [50, 99, 100]) {
    add({
      section: 'escalation',
      name: `${planned.size} due in one second: delay to mail accepted, ${p === 100 ? 'max' : `p${p}`}`,
      value: percentile(delays, p),
      unit: 'ms',
      baseline: {
        name: `${n} bare timers for one second, wake delay ${p === 100 ? 'max' : `p${p}`}`,
        value: percentile(woke, p),
      },
      ...(p === 99 ? { goal: 'p99 < 2000 ms', met: percentile(delays, 99) < 2000 } : {}),
      ...(p === 50 ? { note } : {}),
    });
  }
  add({
    section: 'escalation',
    name: 'delay to the rung on the ledger, p99',
    value: percentile(ledgerDelays, 99),
    unit: 'ms',
    note: `p50 ${percentile(ledgerDelays, 50)} ms, max ${percentile(ledgerDelays, 100)} ms (the rest is the mail)`,
  });
}

// ------------------------------------------------------------------------------------------------ scale

/** Returns the rate at which tasks were started and assigned (for sizing the escalation run). */
async function benchScale(r: Rig): Promise<number> {
  const n = SIZE.scale;
  const probes = SIZE.probes;
  const stamp = Date.now().toString(36);
  const plan = `scale-${stamp}`;
  let peak = { worker: 0, server: 0 };
  const sample = () => {
    peak = {
      worker: Math.max(peak.worker, rssOf(r.worker.pid) ?? 0),
      server: Math.max(peak.server, rssOf(r.server.pid()) ?? 0),
    };
  };
  const sampler = setInterval(sample, 500);
  try {
    // Baseline: bare workflows with one pending timer each, started the same way (n / 4 of them).
    const nb = Math.max(50, Math.round(n / 4));
    let t = performance.now();
    await pool(nb, 16, async (i) => {
      await r.client.workflow.start('bareOpen', {
        taskQueue: r.bareQueue,
        workflowId: `bare-open/${stamp}/${i}`,
        args: [3_600_000],
      });
    });
    const bareRate = nb / ((performance.now() - t) / 1000);

    // n tasks on the default ladder: each stays open with a timer pending (its first reminder, 09:00 on
    // the next working day). Then, among them, probe tasks whose first reminder comes S seconds after
    // assignment: every one of them must fire while the n are open.
    t = performance.now();
    const spec = (id: string, policy?: PolicyOverride) => ({
      plan,
      id,
      title: '规模基准',
      lead: ['区环保局'],
      due: '2030-12-31',
      ...(policy ? { policy } : {}),
    });
    await r.duban.startTasks(Array.from({ length: n }, (_, i) => spec(`s${i}`)));
    const startSeconds = (performance.now() - t) / 1000;
    await waitUntil(
      'every task assigned',
      async () => (await r.store.listTasks({ plan })).length === n,
      900_000,
      undefined,
      1000,
    );
    const assignedSeconds = (performance.now() - t) / 1000;
    sample();
    const S = quick ? 10 : 20;
    const policy: PolicyOverride = { ...ESCALATION_POLICY, secondsPerDay: S, ackReminderAfter: '1d' };
    await r.duban.startTasks(Array.from({ length: probes }, (_, i) => spec(`p${i}`, policy)));
    const probeIds = Array.from({ length: probes }, (_, i) => `task/${plan}/p${i}`);
    const deadline = Date.now() + S * 1000 + 60_000;
    let fired = 0;
    while (Date.now() < deadline) {
      fired = (await Promise.all(probeIds.map((id) => r.store.getTask(id)))).filter(
        (x) => (x?.seq ?? 0) >= 2,
      ).length;
      if (fired === probes) break;
      await sleep(1000);
    }
    const lags: number[] = [];
    for (const id of probeIds) {
      const l = await r.store.ledgerFor(id);
      const e = l.find((y) => y.type === 'AckReminderSent');
      if (e) lags.push(toMillis(e.at) - (toMillis(l[0].at) + S * 1000));
    }
    const open = (await r.store.listTasks({ plan, status: 'assigned' })).length;
    add({
      section: 'scale',
      name: `start rate, ${n} tasks`,
      value: n / startSeconds,
      unit: 'tasks/s',
      baseline: { name: `${nb} bare workflows with a timer`, value: bareRate },
      ratio: n / startSeconds / bareRate,
      note: `all ${n} assigned (first activities done, ledger + projection written, mail sent) after ${assignedSeconds.toFixed(1)} s = ${(n / assignedSeconds).toFixed(1)} tasks/s`,
    });
    add({
      section: 'scale',
      name: `worker RSS, peak with ${open} open tasks`,
      value: Math.round(peak.worker / MiB),
      unit: 'MiB',
      baseline: { name: 'worker idle', value: Math.round(r.idle.worker / MiB) },
      goal: '< 1024 MiB',
      met: peak.worker < 1024 * MiB,
    });
    add({
      section: 'scale',
      name: `server RSS, peak with ${open} open tasks`,
      value: Math.round(peak.server / MiB),
      unit: 'MiB',
      baseline: { name: 'server idle', value: Math.round(r.idle.server / MiB) },
    });
    add({
      section: 'scale',
      name: `rungs fired among ${open} open tasks`,
      value: fired,
      unit: `of ${probes}`,
      goal: 'no missed rung',
      met: fired === probes,
      note: `probe reminders, lag behind the planned instant: p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms, max ${percentile(lags, 100)} ms`,
    });
    return n / assignedSeconds;
  } finally {
    clearInterval(sampler);
  }
}

// ------------------------------------------------------------------------------------------------- main

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

function table(): string {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.baseline ? `${fmt(f.baseline.value)} (${f.baseline.name})` : '',
    f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '',
    f.goal ? `${f.goal}: ${f.met ? 'met' : '**missed**'}` : '',
  ]);
  const head = ['', 'figure', 'duban', 'baseline (same run)', 'ratio', 'goal'];
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  const began = Date.now();
  const date = new Date().toISOString();
  log(`${quick ? 'quick' : 'full'} run on ${JSON.stringify(machine())}`);
  if (runs('import')) benchImport();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bench-'));
  const server = await startServer(tmp);
  const sink = await startSmtpSink();
  const dbFile = path.join(tmp, 'duban.db');
  const store = await openStore(dbFile);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = 'bench';
  const bareQueue = 'bench-bare';
  let worker: WorkerProcess | undefined;
  let bare: WorkerProcess | undefined;
  try {
    [worker, bare] = await Promise.all([
      startWorker({
        address: server.address,
        dataDir: tmp,
        dbFile,
        taskQueue,
        smtpUrl: sink.url,
        extra: {
          NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS,
          DUBAN_WORKFLOW_CACHE: process.env.BENCH_WORKFLOW_CACHE,
        },
      }),
      startWorker(
        { address: server.address, dataDir: tmp, dbFile, taskQueue: bareQueue },
        path.join(ROOT, 'dist', 'bench', 'bare-worker.js'),
      ),
    ]);
    await sleep(1000);
    const rig: Rig = {
      tmp,
      server,
      sink,
      store,
      client,
      duban: createDubanClient({ client, taskQueue, store, callTimeoutMs: 300_000, startConcurrency: 16 }),
      worker,
      bare,
      bareQueue,
      idle: { worker: rssOf(worker.pid) ?? 0, server: rssOf(server.pid()) ?? 0 },
    };
    if (runs('lifecycle')) await benchLifecycle(rig);
    const rate = runs('scale') ? await benchScale(rig) : 15;
    if (runs('escalation')) await benchEscalation(rig, rate);
  } catch (err) {
    if (worker) log(`worker output:\n${worker.output()}`);
    throw err;
  } finally {
    await worker?.stop();
    await bare?.stop();
    await connection.close();
    await server.stop();
    await sink.close();
    await store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  // The same sections on Temporal's own server and PostgreSQL, one worker and two (bench/cluster.ts).
  const sections = [benchLifecycle, (r: Rig) => benchEscalation(r, 5)];
  if (runs('cluster')) await benchCluster({ figures, sections, log });
  const seconds = Math.round((Date.now() - began) / 1000);
  const results = { date, quick, seconds, machine: machine(), sizes: SIZE, figures };
  // The quick run writes beside the full one, so CI never overwrites the figures the README quotes.
  const out = quick ? 'results-quick.json' : 'results.json';
  fs.writeFileSync(path.join(ROOT, 'bench', out), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nduban bench (${quick ? 'quick' : 'full'}), ${date}, ${seconds} s\n`);
  const m = machine();
  process.stdout.write(
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}\n\n${table()}\n`,
  );
  for (const f of figures.filter((x) => x.note))
    process.stdout.write(`- ${f.section}, ${f.name}: ${f.note}\n`);
  process.stdout.write(`\nwritten: bench/${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
