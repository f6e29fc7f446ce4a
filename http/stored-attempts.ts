import type { Store } from '../store';
import type { FailureCounter } from './rate-limit';

export type FailedAttemptsStore = Pick<
  Store,
  'recordFailedAttempt' | 'failedAttemptsSince' | 'pruneFailedAttempts'
>;

/**
 * Wrong-token attempts counted in the store's failed_attempts table, so every HTTP server on one database
 * (several behind one proxy) refuses the same guesser: the same limit and window as the in-memory
 * FailedAttempts. Each process clears what is past the window at most once a window, which keeps the table
 * to about a window's worth of failures.
 */
export class StoredFailedAttempts implements FailureCounter {
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: FailedAttemptsStore,
    readonly limit = 10,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async retryAfter(key: string): Promise<number> {
    const now = this.now();
    const list = await this.store.failedAttemptsSince(key, now - this.windowMs);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.limit] + this.windowMs - now) / 1000));
  }

  async fail(key: string): Promise<void> {
    const now = this.now();
    await this.store.recordFailedAttempt(key, now);
    if (now - this.prunedAt < this.windowMs) return;
    this.prunedAt = now;
    await this.store.pruneFailedAttempts(now - this.windowMs);
  }
}
