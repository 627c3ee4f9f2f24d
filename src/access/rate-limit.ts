// A fixed-window request counter per caller: pure (the time comes in), bounded in memory.

export type Verdict = { readonly allowed: true; readonly remaining: number; readonly resetSeconds: number } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Callers remembered at most; beyond, the oldest windows are forgotten first. */
    readonly trackedMax = 10_000,
  ) {
    if (!(Number.isInteger(limit) && limit > 0 && windowMs > 0 && trackedMax > 0)) throw new Error(`bad rate limit ${limit}/${windowMs}ms`);
  }

  /** Counts one request of `caller` at `nowMs`; refused once the caller has had `limit` in this window. */
  take(caller: string, nowMs: number): Verdict {
    let window = this.windows.get(caller);
    if (window === undefined || nowMs >= window.startMs + this.windowMs) {
      this.windows.delete(caller); // re-inserted last: the map stays in order of window start
      if (this.windows.size >= this.trackedMax) this.forgetOldest(nowMs);
      window = { startMs: nowMs, count: 0 };
      this.windows.set(caller, window);
    }
    const resetSeconds = Math.max(1, Math.ceil((window.startMs + this.windowMs - nowMs) / 1000));
    if (window.count >= this.limit) return { allowed: false, retryAfterSeconds: resetSeconds };
    window.count += 1;
    return { allowed: true, remaining: this.limit - window.count, resetSeconds };
  }

  get tracked(): number {
    return this.windows.size;
  }

  private forgetOldest(nowMs: number): void {
    for (const [caller, window] of this.windows) {
      if (this.windows.size < this.trackedMax && nowMs < window.startMs + this.windowMs) return;
      this.windows.delete(caller);
    }
  }
}
