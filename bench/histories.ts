/**
 * Where a workflow's time goes, read from its history: how long each workflow task and activity waited
 * for a poller (schedule-to-start) and how long it ran (start-to-close), and how many workflow tasks
 * timed out. The bench reads these from a sample of the tasks it started, so a slow figure comes with
 * the phase that made it slow.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { percentile } from './harness';

type Event = temporal.api.history.v1.IHistoryEvent;

const ms = (t: Event['eventTime']) =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.round(Number(t.nanos ?? 0) / 1e6) : NaN;

export interface Phases {
  /** Workflows read. */
  workflows: number;
  /** Per phase (e.g. `WFT wait`, `recordEvents run`): the durations seen, in ms. */
  samples: Map<string, number[]>;
  /** WorkflowTaskTimedOut events over all the histories read. */
  timedOutWorkflowTasks: number;
  /** The same by timeout: waiting for a poller (schedule-to-start) or running (start-to-close). */
  timedOutBy: { scheduleToStart: number; startToClose: number };
  /** Workflow tasks that went to the sticky queue and to the normal one. */
  wftSticky: number;
  wftNormal: number;
}

export function emptyPhases(): Phases {
  return {
    workflows: 0,
    samples: new Map(),
    timedOutWorkflowTasks: 0,
    timedOutBy: { scheduleToStart: 0, startToClose: 0 },
    wftSticky: 0,
    wftNormal: 0,
  };
}

/** Adds one history's phases, optionally only those before `until` (e.g. the first timer). */
export function addHistory(p: Phases, events: readonly Event[], until?: (e: Event) => boolean): void {
  const put = (name: string, v: number) => {
    if (!Number.isFinite(v)) return;
    const list = p.samples.get(name) ?? [];
    list.push(v);
    p.samples.set(name, list);
  };
  const byId = new Map<number, Event>();
  p.workflows += 1;
  const first = ms(events[0]?.eventTime);
  let done = false;
  for (const e of events) {
    const id = Number(e.eventId);
    byId.set(id, e);
    // Timeouts count over the whole history; the phases only up to `until`.
    const timedOut = e.workflowTaskTimedOutEventAttributes;
    if (timedOut) {
      p.timedOutWorkflowTasks += 1;
      // TIMEOUT_TYPE_START_TO_CLOSE = 1, TIMEOUT_TYPE_SCHEDULE_TO_START = 2
      if (timedOut.timeoutType === 2) p.timedOutBy.scheduleToStart += 1;
      else p.timedOutBy.startToClose += 1;
    }
    if (done) continue;
    if (until?.(e)) {
      put('start → first timer', ms(e.eventTime) - first);
      done = true;
      continue;
    }
    const wfs = e.workflowTaskScheduledEventAttributes;
    if (wfs) {
      // A sticky queue's name is the worker's own; the normal queue's kind is NORMAL (1).
      if (wfs.taskQueue?.kind === 2) p.wftSticky += 1;
      else p.wftNormal += 1;
    }
    const wst = e.workflowTaskStartedEventAttributes;
    if (wst) put('WFT wait', ms(e.eventTime) - ms(byId.get(Number(wst.scheduledEventId))?.eventTime));
    const wct = e.workflowTaskCompletedEventAttributes;
    if (wct) put('WFT run', ms(e.eventTime) - ms(byId.get(Number(wct.startedEventId))?.eventTime));
    const ast = e.activityTaskStartedEventAttributes;
    if (ast) {
      const s = byId.get(Number(ast.scheduledEventId));
      const name = s?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      put(`${name} wait`, ms(e.eventTime) - ms(s?.eventTime));
    }
    const act = e.activityTaskCompletedEventAttributes;
    if (act) {
      const s = byId.get(Number(act.scheduledEventId));
      const name = s?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      put(`${name} run`, ms(e.eventTime) - ms(byId.get(Number(act.startedEventId))?.eventTime));
    }
  }
}

/** Reads the histories of `ids`, a few at a time, into `p`. */
export async function readPhases(
  client: Client,
  ids: readonly string[],
  p: Phases = emptyPhases(),
  until?: (e: Event) => boolean,
): Promise<Phases> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
        addHistory(p, events, until);
      }
    }),
  );
  return p;
}

/** `WFT wait p50 12 / p99 340 ms; recordEvents run …` — the phases, slowest p99 first. */
export function describePhases(p: Phases): string {
  const rows = [...p.samples].map(([name, v]) => ({
    name,
    p50: percentile(v, 50),
    p99: percentile(v, 99),
  }));
  rows.sort((a, b) => b.p99 - a.p99);
  return (
    rows.map((r) => `${r.name} p50 ${r.p50} / p99 ${r.p99} ms`).join('; ') +
    `; ${p.wftSticky} workflow tasks on the sticky queue, ${p.wftNormal} on the normal one` +
    ` (over ${p.workflows} histories); workflow tasks timed out: ${p.timedOutBy.scheduleToStart} waiting for a poller, ` +
    `${p.timedOutBy.startToClose} running`
  );
}

export const isTimerStarted = (e: Event) => !!e.timerStartedEventAttributes;
