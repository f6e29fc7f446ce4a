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
import { createDubanClient } from '../services/facade';
import { addDays, dayOf, toMillis, type PolicyOverride } from '../domain';
import { importPlan } from '../importer';
import { openStore } from '../store';
import {
  ROOT,
  percentile,
  cpuMsOf,
  rssOf,
  sleep,
  startServer,
  startSmtpSink,
  startWorker,
  waitUntil,
  type WorkerProcess,
} from './harness';
import { benchCluster, type BenchRig } from './cluster';
import { fmt, figureTable, goalTable, writeReadme, type Figure, type Goals, type Results } from './report';
import { describePhases, emptyPhases, isTimerStarted, readPhases } from './histories';

const quick = process.argv.includes('--quick');
/** `--only scale,lifecycle`: run just those sections (for looking into one figure). */
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (section: string) => !only || only.includes(section);
/** `--scale=N`: the scale section with N open tasks. */
const scaleArg = process.argv.find((a) => a.startsWith('--scale='))?.slice('--scale='.length);
const SIZE = quick
  ? {
      lifecycle: 20,
      concurrency: 10,
      escalation: 50,
      escalationSetupS: 60,
      clusterLifecycle: 20,
      clusterEscalationSetupS: 40,
      scale: 150,
      scaleBudgetS: 120,
      bareOpen: 150,
      probes: 20,
      importRuns: 5,
    }
  : {
      lifecycle: 200,
      concurrency: 20,
      escalation: 1000,
      // Setting up the escalation (start, assignment, extension) stops at this budget, and the scale
      // section's starting at its own, so the whole bench stays under ten minutes whatever the rates:
      // each reports how many it reached, and the bare baseline is measured at that count.
      escalationSetupS: 45,
      clusterLifecycle: 60,
      clusterEscalationSetupS: 20,
      scale: 10_000,
      scaleBudgetS: 40,
      bareOpen: 500,
      probes: 100,
      importRuns: 20,
    };
if (scaleArg) SIZE.scale = Number(scaleArg);

const figures: Figure[] = [];
const add = (f: Figure) => {
  figures.push(f);
  const base = f.baseline ? `  (baseline ${f.baseline.name}: ${fmt(f.baseline.value)})` : '';
  log(
    `${f.section}: ${f.name} = ${fmt(f.value)} ${f.unit}${base}${f.goal ? `  goal ${f.goal}: ${f.met ? 'met' : 'MISSED'}` : ''}`,
  );
};
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

/** What each section runs on: the dev server here, the cluster in bench/cluster.ts. */
type Rig = BenchRig;

const goals: Goals = {};
/** Wall-clock seconds of each section, in the order they ran (where the bench's time goes). */
const sectionSeconds: Record<string, number> = {};

async function timed<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    sectionSeconds[name] = Math.round((performance.now() - t) / 1000);
    log(`${name}: ${sectionSeconds[name]} s`);
  }
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

async function benchLifecycle(r: Rig, n = SIZE.lifecycle): Promise<void> {
  const stamp = Date.now().toString(36);
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
  goals.lifecycleRatio = dubanRate / bareRate;
  // A lifecycle's count depends on timing (an update that arrives while a workflow task runs waits for
  // one of its own), so the figure is the median over the first round's histories, with the kinds of
  // one history that has it.
  const sample = Math.min(half, 40);
  const histories = await Promise.all(
    Array.from({ length: sample }, async (_, i) => {
      const h = r.client.workflow.getHandle(`task/d1-${stamp}/l${i}`);
      await h.result();
      return (await h.fetchHistory()).events!;
    }),
  );
  const counts = histories.map((h) => h.length).sort((x, y) => x - y);
  const events = percentile(counts, 50);
  const history = histories.find((h) => h.length === events) ?? histories[0];
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
  const bareCounts = (
    await Promise.all(
      Array.from(
        { length: sample },
        async (_, i) =>
          (await r.client.workflow.getHandle(`bare/b1-${stamp}/${i}`).fetchHistory()).events!.length,
      ),
    )
  ).sort((x, y) => x - y);
  const bareEvents = percentile(bareCounts, 50);
  add({
    section: 'lifecycle',
    name: `history events per clean lifecycle (median of ${sample})`,
    value: events,
    unit: 'events',
    baseline: { name: 'bare workflow', value: bareEvents },
    ratio: events / bareEvents,
    goal: '≤ 40',
    met: (goals.eventsPerLifecycle = events) <= 40,
    note:
      `from ${counts[0]} to ${counts.at(-1)} events over ${sample} lifecycles (bare ${bareCounts[0]}–${bareCounts.at(-1)}); the median one: ` +
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

/** Wakes of `n` bare Temporal timers set for the same second, with nothing of duban around them (ms). */
async function bareTimerWakes(r: Rig, n: number, stamp: string): Promise<number[]> {
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
  return (await Promise.all(handles.map((h) => h.result() as Promise<number>))).map((t) => t - bareAt);
}

async function benchEscalation(r: Rig, tasksPerSecond: number, setupBudgetS: number): Promise<void> {
  const n = SIZE.escalation;
  const stamp = Date.now().toString(36);

  // duban: the second T is chosen now, far enough out for every task to be started and extended before
  // it (estimated from the scale run's rate; an extension costs about what a start does), but no further
  // than the setup budget. Each task starts due a few demo days (= seconds) short of T; once it is
  // assigned, a granted extension moves its due date so that its overdue instant, assignment + k whole
  // seconds, falls in [T, T + 1 s). Tasks that cannot be set up before T are left out.
  const plan = `esc-${stamp}`;
  const margin = 8;
  const setupSeconds = Math.min(setupBudgetS, Math.ceil((n / Math.max(1, tasksPerSecond)) * 2.2) + 10);
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
    (unaligned
      ? `; ${unaligned} of ${n} could not be set up within the ${setupSeconds} s before T and were left out`
      : '');

  // Baseline, once duban's burst is over: as many bare timers as duban had tasks due, for one second.
  const woke = await bareTimerWakes(r, planned.size, stamp);
  for (const p of [50, 99, 100]) {
    add({
      section: 'escalation',
      name: `${planned.size} due in one second: delay to mail accepted, ${p === 100 ? 'max' : `p${p}`}`,
      value: percentile(delays, p),
      unit: 'ms',
      baseline: {
        name: `${planned.size} bare timers for one second, wake delay ${p === 100 ? 'max' : `p${p}`}`,
        value: percentile(woke, p),
      },
      ...(p === 99
        ? {
            ratio: percentile(delays, 99) / percentile(woke, 99),
            goal: 'p99 ≤ 1.5× bare',
            met: percentile(delays, 99) / percentile(woke, 99) <= 1.5,
          }
        : {}),
      ...(p === 50 ? { note } : {}),
    });
  }
  goals.escalationP99Ratio = percentile(delays, 99) / percentile(woke, 99);
  const phases = await readPhases(
    r.client,
    [...planned.keys()].map((id) => `task/${id}`),
  );
  r.timedOut.escalation = phases.timedOutWorkflowTasks;
  add({
    section: 'escalation',
    name: 'workflow tasks timed out',
    value: phases.timedOutWorkflowTasks,
    unit: `in ${phases.workflows} histories`,
    goal: '0',
    met: phases.timedOutWorkflowTasks === 0,
    note: `over the whole of each history: ${describePhases(phases)}`,
  });
  add({
    section: 'escalation',
    name: 'delay to the rung on the ledger, p99',
    value: percentile(ledgerDelays, 99),
    unit: 'ms',
    note: `p50 ${percentile(ledgerDelays, 50)} ms, max ${percentile(ledgerDelays, 100)} ms (the rest is the mail)`,
  });
}

// ------------------------------------------------------------------------------------------------ scale

/** Starts `ids` as bare workflows with an hour's timer and resolves once every one has its timer started. */
async function bareSettled(r: Rig, ids: readonly string[]): Promise<void> {
  await pool(ids.length, 16, async (i) => {
    await r.client.workflow.start('bareOpen', {
      taskQueue: r.bareQueue,
      workflowId: ids[i],
      args: [3_600_000],
    });
  });
  // Started, first workflow task completed, timer started: five events.
  let pending = [...ids];
  while (pending.length > 0) {
    const left: string[] = [];
    await pool(pending.length, 16, async (i) => {
      const d = await r.client.workflow.getHandle(pending[i]).describe();
      if (d.historyLength < 5) left.push(pending[i]);
    });
    pending = left;
    if (pending.length > 0) await sleep(200);
  }
}

/** Returns the rate at which tasks were started and assigned (for sizing the escalation run). */
async function benchScale(r: Rig): Promise<number> {
  const n = SIZE.scale;
  const probes = SIZE.probes;
  const stamp = Date.now().toString(36);
  const plan = `scale-${stamp}`;
  const scalePeak = { worker: 0, server: 0 };
  const sampler = setInterval(() => {
    scalePeak.worker = Math.max(scalePeak.worker, rssOf(r.worker.pid) ?? 0);
    scalePeak.server = Math.max(scalePeak.server, rssOf(r.server.pid()) ?? 0);
  }, 500);
  try {
    // Baseline: bare workflows with one pending timer each, started the same way and settled (timer
    // started), as a duban task is settled once assigned.
    const nb = Math.min(SIZE.bareOpen, n);
    let t = performance.now();
    await bareSettled(
      r,
      Array.from({ length: nb }, (_, i) => `bare-open/${stamp}/${i}`),
    );
    const bareRate = nb / ((performance.now() - t) / 1000);

    // n tasks on the default ladder: each stays open with a timer pending (its first reminder, 09:00 on
    // the next working day), started a chunk at a time with at most one chunk not yet assigned, so the
    // rate is the one the worker sustains. Starting stops at the time budget: the bench reports how many
    // were open, not a guess.
    const cpu0 = { worker: cpuMsOf(r.worker.pid) ?? 0, server: cpuMsOf(r.server.pid()) ?? 0 };
    t = performance.now();
    const spec = (id: string, policy?: PolicyOverride) => ({
      plan,
      id,
      title: '规模基准',
      lead: ['区环保局'],
      due: '2030-12-31',
      ...(policy ? { policy } : {}),
    });
    const chunk = Math.min(500, n);
    const assigned = async () => (await r.store.listTasks({ plan })).length;
    let started = 0;
    let startMs = 0;
    while (started < n && performance.now() - t < SIZE.scaleBudgetS * 1000) {
      await waitUntil(
        'the previous chunk assigned',
        async () => (await assigned()) >= started - chunk,
        900_000,
        undefined,
        500,
      );
      const size = Math.min(chunk, n - started);
      const s0 = performance.now();
      await r.duban.startTasks(Array.from({ length: size }, (_, i) => spec(`s${started + i}`)));
      startMs += performance.now() - s0;
      started += size;
    }
    await waitUntil(
      'every task assigned',
      async () => (await assigned()) === started,
      900_000,
      undefined,
      1000,
    );
    const assignedSeconds = (performance.now() - t) / 1000;
    const cpuPerTask = {
      worker: ((cpuMsOf(r.worker.pid) ?? 0) - cpu0.worker) / started,
      server: ((cpuMsOf(r.server.pid()) ?? 0) - cpu0.server) / started,
    };

    // Among them, probe tasks whose first reminder comes S seconds after assignment: every one must fire.
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
    clearInterval(sampler);

    // Every history of the section: where a start's time went (up to its first timer), and timeouts.
    const phases = await readPhases(
      r.client,
      [...Array.from({ length: started }, (_, i) => `task/${plan}/s${i}`), ...probeIds],
      emptyPhases(),
      isTimerStarted,
    );
    r.timedOut.scale = phases.timedOutWorkflowTasks;
    const rate = started / assignedSeconds;
    goals.startRateRatio = rate / bareRate;
    goals.openTasks = open;
    add({
      section: 'scale',
      name: `start rate, ${started} tasks started and assigned`,
      value: rate,
      unit: 'tasks/s',
      baseline: { name: `${nb} bare workflows with a timer, started and settled`, value: bareRate },
      ratio: rate / bareRate,
      goal: '≥ 0.8× bare',
      met: rate / bareRate >= 0.8,
      note:
        `start calls alone ${(started / (startMs / 1000)).toFixed(1)} tasks/s; ` +
        `CPU per task started and assigned: worker ${cpuPerTask.worker.toFixed(1)} ms, server ${cpuPerTask.server.toFixed(1)} ms; ` +
        `where a start's time went: ${describePhases(phases)}`,
    });
    add({
      section: 'scale',
      name: 'open tasks reached',
      value: open,
      unit: 'tasks',
      goal: `≥ ${SIZE.scale}`,
      met: open >= SIZE.scale,
      note:
        started < n
          ? `starting stopped at the ${SIZE.scaleBudgetS} s budget after ${started} of ${n}`
          : undefined,
    });
    add({
      section: 'scale',
      name: `worker RSS, peak with ${open} open tasks`,
      value: Math.round(scalePeak.worker / MiB),
      unit: 'MiB',
      baseline: { name: 'worker idle', value: Math.round(r.idle.worker / MiB) },
      goal: '≤ 512 MiB',
      met: scalePeak.worker <= 512 * MiB,
    });
    add({
      section: 'scale',
      name: `server RSS, peak with ${open} open tasks`,
      value: Math.round(scalePeak.server / MiB),
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
    add({
      section: 'scale',
      name: 'workflow tasks timed out',
      value: phases.timedOutWorkflowTasks,
      unit: `in ${phases.workflows} histories`,
      goal: '0',
      met: phases.timedOutWorkflowTasks === 0,
    });
    return rate;
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

async function main(): Promise<void> {
  const began = Date.now();
  const date = new Date().toISOString();
  log(`${quick ? 'quick' : 'full'} run on ${JSON.stringify(machine())}`);
  if (runs('import')) await timed('import', benchImport);

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
  let workerPeak = 0;
  let peakSampler: NodeJS.Timeout | undefined;
  try {
    [worker, bare] = await Promise.all([
      startWorker({
        address: server.address,
        dataDir: tmp,
        dbFile,
        taskQueue,
        smtpUrl: sink.url,
        nodeArgs: process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean),
        // BENCH_DUBAN_X=v runs duban's worker with DUBAN_X=v (trying a worker option without a rebuild).
        extra: {
          NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS,
          ...Object.fromEntries(
            Object.entries(process.env)
              .filter(([k]) => k.startsWith('BENCH_DUBAN_'))
              .map(([k, v]) => [k.slice('BENCH_'.length), v]),
          ),
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
      timedOut: { scale: 0, escalation: 0 },
    };
    const w = worker;
    peakSampler = setInterval(() => (workerPeak = Math.max(workerPeak, rssOf(w.pid) ?? 0)), 500);
    if (runs('lifecycle')) await timed('lifecycle', () => benchLifecycle(rig));
    const rate = runs('scale') ? await timed('scale', () => benchScale(rig)) : 15;
    if (runs('escalation'))
      await timed('escalation', () => benchEscalation(rig, rate, SIZE.escalationSetupS));
    goals.timedOutWorkflowTasks = rig.timedOut.scale + rig.timedOut.escalation;
  } catch (err) {
    if (worker) log(`worker output:\n${worker.output()}`);
    throw err;
  } finally {
    clearInterval(peakSampler);
    await worker?.stop();
    await bare?.stop();
    await connection.close();
    await server.stop();
    await sink.close();
    await store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  // The same sections on Temporal's own server and PostgreSQL, one worker and two (bench/cluster.ts).
  // Smaller than the dev server's runs, so the whole bench fits its ten minutes.
  const sections = [
    (r: Rig) => benchLifecycle(r, SIZE.clusterLifecycle),
    (r: Rig) => benchEscalation(r, 5, SIZE.clusterEscalationSetupS),
  ];
  // The sections set the goals as they run; the goals are the dev server's, so the cluster's runs leave them be.
  const devServerGoals = { ...goals };
  if (runs('cluster')) await timed('cluster', () => benchCluster({ figures, sections, log }));
  Object.assign(goals, devServerGoals);
  const seconds = Math.round((Date.now() - began) / 1000);
  // Over the whole run, not the scale section alone: the escalation burst counts too.
  goals.workerPeakRssMiB = Math.round(workerPeak / MiB);
  const results: Results = {
    date,
    quick,
    seconds,
    sectionSeconds,
    machine: machine(),
    sizes: SIZE,
    goals,
    figures,
  };
  // The quick run and a run of some sections write beside the full one, so neither CI nor a look into
  // one figure overwrites the figures the README quotes.
  const out = quick ? 'results-quick.json' : only || scaleArg ? 'results-partial.json' : 'results.json';
  fs.writeFileSync(path.join(ROOT, 'bench', out), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nduban bench (${quick ? 'quick' : 'full'}), ${date}, ${seconds} s\n`);
  const m = machine();
  process.stdout.write(
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}\n\n${goalTable(goals)}\n\n${figureTable(figures)}\n\n`,
  );
  for (const f of figures.filter((x) => x.note))
    process.stdout.write(`- ${f.section}, ${f.name}: ${f.note}\n`);
  // Only a full run of every section speaks for the README.
  if (!quick && !only && !scaleArg) await writeReadme(path.join(ROOT, 'README.md'), results);
  process.stdout.write(
    `\nwritten: bench/${out}${!quick && !only && !scaleArg ? ' and the README’s table' : ''}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
