/**
 * What every fault test stands on: a dev server on a SQLite file, the compiled worker as its own process,
 * an SMTP server in the test, duban's own database opened beside the worker, and the client facade.
 */
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startServer,
  startSmtpSink,
  startWorker,
  waitUntil,
  type Server,
  type SmtpSink,
  type WorkerProcess,
} from '../../bench/harness';
import { createDubanClient, type DubanClient } from '../../services/facade';
import { addDays, dayOf, type PolicyOverride, type TaskEvent, type TaskSpecInput } from '../../domain';
import { openStore, type LedgerEntry, type OutboxEntry, type Store } from '../../store';

export interface Rig {
  tmp: string;
  server: Server;
  sink: SmtpSink;
  store: Store;
  connection: Connection;
  client: Client;
  duban: DubanClient;
  taskQueue: string;
  worker?: WorkerProcess;
  startWorker(): Promise<WorkerProcess>;
  restartServer(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(
  name: string,
  opts: {
    smtpListening?: boolean;
    /** duban's database (a postgres:// URL); default: a SQLite file in the rig's folder. */
    dbUrl?: string;
  } = {},
): Promise<Rig> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `duban-fault-${name}-`));
  const [server, sink] = await Promise.all([
    startServer(tmp),
    startSmtpSink({ listen: opts.smtpListening !== false }),
  ]);
  const dbFile = opts.dbUrl ?? path.join(tmp, 'duban.db');
  const store = await openStore(dbFile);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = `faults-${name}`;
  const rig: Rig = {
    tmp,
    server,
    sink,
    store,
    connection,
    client,
    taskQueue,
    duban: createDubanClient({ client, taskQueue, store }),
    async startWorker() {
      rig.worker = await startWorker({
        address: server.address,
        dataDir: tmp,
        dbFile,
        taskQueue,
        smtpUrl: sink.url,
      });
      return rig.worker;
    },
    async restartServer(downMs) {
      await rig.server.stop();
      await new Promise((r) => setTimeout(r, downMs));
      rig.server = await startServer(tmp, { port: rig.server.port, uiPort: rig.server.uiPort });
    },
    async close() {
      if (rig.worker && !rig.worker.exited()) await rig.worker.stop();
      await connection.close().catch(() => undefined);
      await rig.server.stop();
      await sink.close();
      await store.close();
      if (process.env.DUBAN_KEEP_FAULTS) process.stdout.write(`kept ${tmp}\n`);
      else fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
  return rig;
}

/** A task on the demo clock: a "day" lasts `secondsPerDay` seconds from its assignment. */
export function demoTask(
  plan: string,
  id: string,
  dueInDays: number,
  policy: PolicyOverride,
  extra: Partial<TaskSpecInput> = {},
): TaskSpecInput {
  return {
    plan,
    id,
    title: `故障演练任务 ${id}`,
    lead: ['区环保局'],
    cooperating: ['区发改局'],
    due: addDays(dayOf(Date.now()), dueInDays),
    policy,
    ...extra,
  };
}

/** The rung an escalation event fired, by the key the ladder keeps in `fired`; undefined for commands. */
export function rungKey(e: TaskEvent): string | undefined {
  switch (e.type) {
    case 'AckReminderSent':
      return `ack-reminder:${e.department}:${e.day}`;
    case 'AckAlertRaised':
      return `ack-alert:${e.department}`;
    case 'WarningIssued':
      return `warning:${e.daysBefore}@${e.due}`;
    case 'OverdueNoticed':
      return `overdue@${e.due}`;
    case 'InterviewOrdered':
      return 'interview';
    case 'RestrictionImposed':
      return 'restriction';
    case 'AccountabilityRecorded':
      return 'accountability';
    default:
      return undefined;
  }
}

/** How often each rung was dealt with on a task's ledger: fired, or skipped beside a more severe one. */
export function rungCounts(entries: readonly LedgerEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const e of entries) {
    const key = rungKey(e.event);
    if (key) add(key);
    const skipped = (e.event as { skipped?: string[] }).skipped ?? [];
    skipped.forEach(add);
  }
  return counts;
}

/** Rungs that appear more than once on a task's ledger (should be none), and seqs that are not 1..n. */
export function ledgerProblems(entries: readonly LedgerEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (e.seq !== i + 1) problems.push(`${e.workflowId}: seq ${e.seq} at position ${i + 1}`);
    const skipped = (e.event as { skipped?: string[] }).skipped ?? [];
    for (const key of [rungKey(e.event), ...skipped]) {
      if (key && seen.has(key)) problems.push(`${e.workflowId}: rung ${key} dealt with twice`);
      if (key) seen.add(key);
    }
  });
  return problems;
}

/**
 * The ledger entries that each ask for one notification, on the ladders these tests run (acknowledgement
 * reminders and the 约谈 far off): the assignment, the warnings and the overdue notice.
 */
export function mailedEntries(ledgers: readonly (readonly LedgerEntry[])[]): LedgerEntry[] {
  const mailed = new Set(['TaskAssigned', 'WarningIssued', 'OverdueNoticed']);
  return ledgers.flat().filter((e) => mailed.has(e.type));
}

/**
 * Mail against the outbox: every notification has one outbox row and one Message-ID; every mail that
 * arrived carries the Message-ID of a row; no row has gone out under two IDs. Returns what is wrong.
 */
export function mailProblems(outbox: readonly OutboxEntry[], sink: SmtpSink): string[] {
  const problems: string[] = [];
  const ids = new Map(outbox.map((o) => [o.messageId, o]));
  for (const m of sink.messages)
    if (!ids.has(m.messageId))
      problems.push(`mail "${m.subject}" has Message-ID ${m.messageId} that no outbox row has`);
  const subjectsById = new Map<string, Set<string>>();
  for (const m of sink.messages)
    subjectsById.set(m.messageId, (subjectsById.get(m.messageId) ?? new Set()).add(m.subject));
  for (const [id, subjects] of subjectsById)
    if (subjects.size > 1)
      problems.push(`Message-ID ${id} carried different mails: ${[...subjects].join(' | ')}`);
  for (const o of outbox) {
    if (o.status !== 'sent') problems.push(`outbox ${o.workflowId} ${o.key} is ${o.status}`);
    else if (!subjectsById.has(o.messageId))
      problems.push(`outbox ${o.workflowId} ${o.key} sent but never received`);
  }
  return problems;
}

/** The outbox key of the notice a mailed ledger entry asks for. */
export const rowKey = (e: Pick<LedgerEntry, 'seq' | 'type'>): string => `${e.seq}-${e.type}`;

/** The mailed entries that have no outbox row. */
export function entriesWithoutRow(
  outbox: readonly OutboxEntry[],
  mailed: readonly LedgerEntry[],
): LedgerEntry[] {
  const have = new Set(outbox.map((o) => `${o.workflowId} ${o.key}`));
  return mailed.filter((e) => !have.has(`${e.workflowId} ${rowKey(e)}`));
}

/**
 * Waits until the outbox holds at least `rows` rows (the notifications the ledger already asks for: a rung
 * is recorded before its mail activity claims its row), every one sent and its mail arrived.
 */
export async function waitForQuietOutbox(
  rig: Pick<Rig, 'store' | 'sink'>,
  timeoutMs: number,
  expected: number | readonly LedgerEntry[] = 1,
): Promise<OutboxEntry[]> {
  const rows = typeof expected === 'number' ? expected : expected.length;
  // Given the mailed entries, a timeout names those with no row yet.
  const missing = () =>
    typeof expected === 'number'
      ? ''
      : `; no row yet for ${
          entriesWithoutRow(outbox, expected)
            .map((e) => `${e.workflowId} ${rowKey(e)}`)
            .join(', ') || 'none'
        }`;
  let outbox: OutboxEntry[] = [];
  await waitUntil(
    'every outbox row to be sent and received',
    async () => {
      outbox = await rig.store.listOutbox();
      const got = new Set(rig.sink.messages.filter((m) => m.accepted).map((m) => m.messageId));
      return outbox.length >= rows && outbox.every((o) => o.status === 'sent' && got.has(o.messageId));
    },
    timeoutMs,
    () =>
      `: ${outbox.length} of ${rows} rows; ${outbox
        .filter((o) => o.status !== 'sent')
        .map((o) => `${o.workflowId} ${o.key} ${o.status}`)
        .join(', ')}${missing()}`,
    500,
  );
  return outbox;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * The attempt of every run of one activity in a history: an activity's start events, or, for a local
 * activity (recording runs as one), the attempt its marker records — how many tries it took.
 */
export function activityAttempts(events: readonly HistoryEvent[], activityType: string): number[] {
  const scheduled = new Map(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes!.activityType?.name]),
  );
  const attempts: number[] = [];
  for (const e of events) {
    const s = e.activityTaskStartedEventAttributes;
    if (s && scheduled.get(String(s.scheduledEventId)) === activityType) attempts.push(s.attempt ?? 1);
    const m = e.markerRecordedEventAttributes;
    const data = m?.markerName === 'core_local_activity' ? m.details?.data?.payloads?.[0]?.data : undefined;
    if (data) {
      const d = JSON.parse(Buffer.from(data).toString()) as { activity_type?: string; attempt?: number };
      if (d.activity_type === activityType) attempts.push(d.attempt ?? 1);
    }
  }
  return attempts;
}
