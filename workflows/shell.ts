import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  workflowInfo,
  type ActivityOptions,
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
