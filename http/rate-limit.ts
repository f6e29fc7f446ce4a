import crypto from 'node:crypto';

/**
 * Where wrong-token attempts are counted. Only failures are counted, and a valid token is never turned
 * away by them. The in-memory counter below serves one process; a counter shared through the database
 * (several HTTP processes behind one proxy) implements the same two calls.
 */
export interface FailureCounter {
  /** Seconds until this key may be told anything but 429 again; 0 when it may now. */
  retryAfter(key: string): number | Promise<number>;
  fail(key: string): void | Promise<void>;
}

/**
 * The key a failure counts against: the client's address and a bucket of the token tried (the first
 * byte of its sha256). One holder's stale cookie or a script's guesses then slow down their own bucket
 * at that address, not everyone behind the same NAT or proxy.
 */
export function failureKey(ip: string, token: string): string {
  return `${ip}|${crypto.createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 2)}`;
}

/**
 * Failed token attempts per key, in memory: enough to slow down a script (a 256-bit token cannot be
 * guessed anyway); a restart forgets, which is fine for that purpose.
 */
export class FailedAttempts implements FailureCounter {
  private readonly seen = new Map<string, number[]>();

  constructor(
    readonly limit = 10,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    /** Keys remembered at once; the oldest are forgotten first, so a flood cannot fill memory. */
    private readonly maxKeys = 10_000,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.seen.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.seen.delete(key);
    else this.seen.set(key, list);
    return list;
  }

  retryAfter(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.limit] + this.windowMs - this.now()) / 1000));
  }

  fail(key: string): void {
    const list = this.recent(key);
    this.seen.delete(key);
    // Past the limit only the newest `limit` matter for when it lifts.
    this.seen.set(key, [...list, this.now()].slice(-this.limit));
    if (this.seen.size > this.maxKeys) this.seen.delete(this.seen.keys().next().value!);
  }
}
