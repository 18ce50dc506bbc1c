// The default counter store: fixed windows in a Map, one process only. No timers: expired
// windows are swept lazily, so an idle relay holds nothing open and the process can exit.
import type { RelayCounterHit, RelayCounterStore } from './types.js';

export interface MemoryStoreOptions {
  /**
   * Most windows held at once. Default 100 000. When full, expired windows are dropped first,
   * then the oldest windows still under their limit; a window at or over its limit is never
   * dropped before it ends. When every window is at or over its limit, a new key is refused
   * (counted as over its limit) until one ends: the store fails closed, it never forgets a
   * limit that is being enforced.
   */
  maxEntries?: number;
  /** The clock, in ms since the epoch (for tests). Default `Date.now`. */
  now?: () => number;
}

export interface MemoryStore extends RelayCounterStore {
  /** Windows held now (for tests and metrics). */
  readonly size: number;
}

interface Window {
  count: number;
  resetAt: number;
  max: number;
}

const SWEEP_EVERY_MS = 30_000;
/** While full, sweep at most this often: a flood of new keys must not make each one O(n). */
const FULL_SWEEP_EVERY_MS = 1_000;

/**
 * An in-memory `RelayCounterStore`. The relay makes two by default (per-address and
 * per-identifier counters apart, so a flood of addresses cannot crowd out identifiers); pass
 * one yourself to share it between relays in one process.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('createMemoryStore: maxEntries must be a positive integer.');
  const now = options.now ?? Date.now;
  // Windows under their limit, oldest first (the ones that may be dropped), and the rest.
  const open = new Map<string, Window>();
  const held = new Map<string, Window>();
  let nextSweep = 0;
  let nextFullSweep = 0;
  let earliestHeldEnd = 0;

  const sweep = (time: number, full: boolean) => {
    if (time < (full ? nextFullSweep : nextSweep)) return;
    nextFullSweep = time + FULL_SWEEP_EVERY_MS;
    nextSweep = time + SWEEP_EVERY_MS;
    for (const [key, window] of open) if (window.resetAt <= time) open.delete(key);
    earliestHeldEnd = Infinity;
    for (const [key, window] of held) {
      if (window.resetAt <= time) held.delete(key);
      else earliestHeldEnd = Math.min(earliestHeldEnd, window.resetAt);
    }
  };

  const place = (key: string, window: Window) => {
    if (window.count >= window.max) {
      open.delete(key);
      held.set(key, window);
    } else if (held.delete(key) || !open.has(key)) {
      open.set(key, window);
    }
  };

  return {
    get size() {
      return open.size + held.size;
    },

    async hit(key: string, windowMs: number, max: number): Promise<RelayCounterHit> {
      const time = now();
      sweep(time, false);
      let window = held.get(key) ?? open.get(key);
      if (window && window.resetAt <= time) {
        open.delete(key);
        held.delete(key);
        window = undefined;
      }
      if (!window) {
        if (open.size + held.size >= maxEntries) {
          sweep(time, true);
          if (open.size + held.size >= maxEntries) {
            const oldest = open.keys().next();
            if (oldest.done) {
              // Every window is enforcing its limit: refuse the newcomer rather than forget one.
              return { count: Number.MAX_SAFE_INTEGER, resetAt: Math.max(earliestHeldEnd, time + 1000) };
            }
            open.delete(oldest.value);
          }
        }
        window = { count: 0, resetAt: time + windowMs, max };
      }
      window.count += 1;
      window.max = max;
      place(key, window);
      return { count: window.count, resetAt: window.resetAt };
    },

    async undo(key: string, resetAt: number): Promise<void> {
      const window = held.get(key) ?? open.get(key);
      if (!window || window.resetAt !== resetAt || window.count === 0) return;
      window.count -= 1;
      place(key, window);
    },
  };
}
