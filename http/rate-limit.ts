/**
 * Failed token attempts per client address, in memory: enough to make guessing a 256-bit token pointless
 * and to slow down a script; a restart forgets, which is fine for that purpose.
 */
export class FailedAttempts {
  private readonly seen = new Map<string, number[]>();

  constructor(
    readonly limit = 10,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    /** Addresses remembered at once; the oldest are forgotten first, so a flood cannot fill memory. */
    private readonly maxAddresses = 10_000,
  ) {}

  private recent(ip: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.seen.get(ip) ?? []).filter((t) => t > since);
    if (list.length === 0) this.seen.delete(ip);
    else this.seen.set(ip, list);
    return list;
  }

  /** Seconds until this address may try again; 0 when it may now. */
  retryAfter(ip: string): number {
    const list = this.recent(ip);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.limit] + this.windowMs - this.now()) / 1000));
  }

  fail(ip: string): void {
    const list = this.recent(ip);
    this.seen.delete(ip);
    this.seen.set(ip, [...list, this.now()]);
    if (this.seen.size > this.maxAddresses) this.seen.delete(this.seen.keys().next().value!);
  }
}
