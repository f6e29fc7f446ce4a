import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  sleep,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
  type Workflow,
} from '@temporalio/workflow';
import { rejectionMessage, type Rejection } from '../domain';
import { REJECTED } from './task-messages';

// What the task and restriction workflows share: how they call activities, refuse, read the clock,
// send mail and hand over to a new run.

/** Recording never gives up: a history is only as good as its ledger. */
export const RECORDING = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} satisfies ActivityOptions;

/**
 * Runs started on this code record through local activities, keep one ladder timer and upsert only the
 * search attributes that changed; runs started before it keep their recorded shape until their next run.
 */
export const FEWER_WRITES = 'fewer-writes-per-command';

/** Asked once, as a run begins, so a run is one shape or the other from its first event to its last. */
export const fewerWrites = (): boolean => patched(FEWER_WRITES);

/**
 * Recording as a local activity: it runs in the workflow task that decided the events, so a command costs
 * one marker in history instead of an activity's three events and a second workflow task. It still never
 * gives up (no attempt limit; past a minute between attempts the retry waits on a timer, not in the
 * task), and the ledger's append is idempotent per seq, so an attempt repeated after a crash adds nothing.
 */
export const LOCAL_RECORDING = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} satisfies LocalActivityOptions;

/** Mail may wait out an absent SMTP server for a long while; the outbox makes a retry a no-op. */
export const MAIL = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
} satisfies ActivityOptions;

/** Refuses a command: a refusal is the caller's to fix, so it is never retried. */
export function refuse(why: Rejection | { rejection: Rejection }): never {
  const r = 'rejection' in why ? why.rejection : why;
  throw ApplicationFailure.create({
    type: REJECTED,
    message: rejectionMessage(r),
    nonRetryable: true,
    details: [r],
  });
}

export const nowIso = () => new Date().toISOString();

/**
 * Notices waiting to be sent and those on their way. Mail goes out beside the workflow's main loop, not
 * in its way: a slow or absent SMTP server holds up nothing. A notice leaves `queued` once sent; a failure
 * is logged and the notice stays for the next dispatch (or the next run, which is handed `queued`).
 */
export class Outbox<N extends { key: string }> {
  readonly queued: N[];
  private readonly sending = new Map<string, Promise<void>>();

  constructor(
    carried: readonly N[] | undefined,
    private readonly send: (notice: N) => Promise<unknown>,
  ) {
    this.queued = [...(carried ?? [])];
  }

  /** How many are on their way; the main loop wakes when it changes. */
  get inFlight(): number {
    return this.sending.size;
  }

  /** Starts sending every queued notice not already on its way. */
  dispatch(): void {
    for (const notice of this.queued) {
      if (this.sending.has(notice.key)) continue;
      const p = this.send(notice)
        .then(() => {
          this.queued.splice(this.queued.indexOf(notice), 1);
        })
        .catch((err: unknown) => log.error('notice not sent', { key: notice.key, err: String(err) }))
        .finally(() => this.sending.delete(notice.key));
      this.sending.set(notice.key, p);
    }
  }

  /** Waits for every send under way. */
  async settled(): Promise<void> {
    await Promise.all(this.sending.values());
  }
}

/** The server suggests a new run; tests may ask for one sooner, once history reaches `limit` events. */
export function continueAsNewDue(limit: number | undefined): boolean {
  return (
    workflowInfo().continueAsNewSuggested || (limit !== undefined && workflowInfo().historyLength >= limit)
  );
}

/**
 * Hands over to a new run once every handler has finished, so no update is cut off. `args` is read after
 * that wait: a handler still running may change what is carried over.
 */
export async function continueAsNewWhenIdle<F extends Workflow>(args: () => Parameters<F>): Promise<never> {
  await condition(allHandlersFinished);
  return continueAsNew<F>(...args());
}

/**
 * The ladder's one timer, kept while the next rung's instant stands and re-armed only when it moves (each
 * pass of the main loop used to start a timer, and cancel it when a command woke the loop first).
 */
export class Alarm {
  private at: number | undefined;
  private scope: CancellationScope | undefined;
  private rang = false;

  /**
   * Arms for `at` (epoch ms) unless armed for it already. With no rung ahead (`at` undefined, e.g. while a
   * completion awaits verification) the armed timer is left to run: cancelling it is a write, and a
   * rejection usually brings the same instant back; should it ring first, no rung is due and none fires.
   */
  set(at: number | undefined): void {
    if (at === undefined || (at === this.at && !this.rang)) return;
    this.scope?.cancel();
    this.scope = undefined;
    this.at = at;
    this.rang = false;
    const scope = new CancellationScope();
    this.scope = scope;
    scope
      .run(() => sleep(Math.max(0, at - Date.now())))
      .then(
        () => {
          if (this.scope === scope) this.rang = true;
        },
        // Cancelled: the next rung moved, and another timer stands for it.
        () => undefined,
      );
  }

  get ringing(): boolean {
    return this.rang;
  }

  /** True once per ring; the next set() arms anew, even for the same instant. */
  take(): boolean {
    if (!this.rang) return false;
    this.rang = false;
    this.at = undefined;
    this.scope = undefined;
    return true;
  }
}

/**
 * Waits until `woken()` or the instant `at` (epoch ms; undefined: no rung ahead); true when the instant
 * came. Lean runs keep one Alarm across waits; older runs wait with a timer of their own each time.
 */
export function rungClock(lean: boolean): (at: number | undefined, woken: () => boolean) => Promise<boolean> {
  const alarm = new Alarm();
  return async (at, woken) => {
    if (lean) {
      alarm.set(at);
      await condition(() => woken() || alarm.ringing);
      return alarm.take();
    }
    if (at === undefined) {
      await condition(woken);
      return false;
    }
    return !(await condition(woken, Math.max(0, at - Date.now())));
  };
}
