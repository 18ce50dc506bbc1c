// Wrong-password lock-out: failures are counted per account; the failure that reaches the
// threshold locks the account for a while; when the lock ends the count starts again from zero.
import type { Now } from './clock.js';
import type { Collection } from './store.js';

/** What is kept per account (absent: no failures). */
export interface LockoutRecord {
  failures: number;
  /** Epoch ms at which the lock ends; absent while not locked. */
  lockedUntil?: number;
}

export type LockoutState =
  | { locked: false; failures: number; /** Failures left before a lock. */ remaining: number }
  | { locked: true; failures: number; /** Epoch ms at which the lock ends. */ until: number; /** Seconds until then, rounded up. */ retryAfterSeconds: number };

export interface LockoutOptions {
  records: Collection<LockoutRecord>;
  /** Failures that lock (the attempt that reaches it locks); below 1 counts as 1. */
  maxFailures: number;
  lockSeconds: number;
  now: Now;
}

export interface Lockout {
  readonly lockSeconds: number;
  /** The account's state now; a lock that has ended is forgotten with its failures. */
  state(account: string): LockoutState;
  /** Counts one failure and answers the state after it. While locked it counts nothing. */
  fail(account: string): LockoutState;
  /** Forgets the failures (after a success). */
  reset(account: string): void;
}

export function createLockout({ records, maxFailures, lockSeconds, now }: LockoutOptions): Lockout {
  const max = Math.max(1, maxFailures);
  const locked = (failures: number, until: number, at: number): LockoutState => ({ locked: true, failures, until, retryAfterSeconds: Math.ceil((until - at) / 1000) });
  const open = (failures: number): LockoutState => ({ locked: false, failures, remaining: max - failures });
  const state = (account: string): LockoutState => {
    const record = records.get(account);
    if (record?.lockedUntil === undefined) return open(record?.failures ?? 0);
    const at = now();
    if (record.lockedUntil > at) return locked(record.failures, record.lockedUntil, at);
    records.delete(account);
    return open(0);
  };
  return {
    lockSeconds,
    state,
    fail(account) {
      const before = state(account);
      if (before.locked) return before;
      const failures = before.failures + 1;
      if (failures < max) {
        records.put(account, { failures });
        return open(failures);
      }
      const at = now();
      const until = at + lockSeconds * 1000;
      records.put(account, { failures, lockedUntil: until });
      return locked(failures, until, at);
    },
    reset(account) {
      records.delete(account);
    },
  };
}
