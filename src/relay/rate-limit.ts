// In-memory fixed-window counters, one per (bucket, key). No timers: expired windows are swept
// lazily, so a relay that is idle holds nothing open and the process can exit.
// A single process only: behind several instances each keeps its own counts.
import type { RelayRateLimit } from './types.js';

interface Window {
  count: number;
  resetAt: number;
}

export type RateResult = { ok: true } | { ok: false; retryAfter: number };

export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #maxEntries: number;
  #nextSweep = 0;

  constructor(maxEntries = 100_000) {
    this.#maxEntries = maxEntries;
  }

  /**
   * Counts one request against `limit` for `key` in `bucket`. `retryAfter` is whole seconds
   * (at least 1) until the window that refused it ends.
   */
  hit(bucket: string, key: string, limit: RelayRateLimit, now = Date.now()): RateResult {
    this.#sweep(now);
    const id = `${bucket}\u0000${key}`;
    let window = this.#windows.get(id);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + limit.windowMs };
      this.#windows.delete(id); // re-insert so Map order stays oldest-first for eviction
      this.#windows.set(id, window);
    }
    window.count += 1;
    if (window.count <= limit.max) return { ok: true };
    return { ok: false, retryAfter: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
  }

  /** Number of live windows (for tests). */
  get size(): number {
    return this.#windows.size;
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep && this.#windows.size < this.#maxEntries) return;
    this.#nextSweep = now + 30_000;
    for (const [id, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(id);
    // Still full (a flood of distinct keys): drop the oldest windows rather than grow without end.
    for (const id of this.#windows.keys()) {
      if (this.#windows.size < this.#maxEntries) break;
      this.#windows.delete(id);
    }
  }
}

/** The identifier a rate limit is keyed on: trimmed, lower-cased, inner spaces and dashes removed. */
export function normalizeIdentifier(value: string): string {
  return value.trim().toLowerCase().replace(/[\s-]+/g, '').slice(0, 320);
}
