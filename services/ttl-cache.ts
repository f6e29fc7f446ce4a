/**
 * Answers kept for a few seconds, keyed by what was asked (the URL). For anonymous readers: a crowd
 * asking the same public page costs one rendering per TTL, and callers arriving while it renders share
 * it rather than starting their own. Entries just expire; a failure is not kept.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    readonly ttlMs = 5000,
    private readonly maxEntries = 500,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, make: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = make();
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}

/** The Cache-Control of a cached public answer: shared caches may keep it as long as this server does. */
export const publicCacheControl = (ttlMs: number) =>
  `public, max-age=${Math.max(1, Math.floor(ttlMs / 1000))}`;
