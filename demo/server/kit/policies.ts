// The numbers every emulation's policies start from (the server and the tests override them), and
// the kit's policies built on them for one emulation's context.
import type { Store } from './store.js';
import { createCodeIssuer, type CodeIssuer, type IssuedCode } from './codes.js';
import { createLockout, type Lockout } from './lockout.js';

/** Knobs that let a person (and a test) reach every state of the widget quickly. */
export interface Policies {
  /** Failed password attempts before a lock-out. */
  maxPasswordFailures: number;
  lockoutSeconds: number;
  otpTtlSeconds: number;
  /** Wrong codes before a code is burnt. */
  otpMaxAttempts: number;
  /** Minimum seconds between two sends to one recipient (429 + Retry-After inside it). */
  sendIntervalSeconds: number;
  /** Short enough to watch a refresh in the demo. */
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export const defaultPolicies: Policies = {
  maxPasswordFailures: 5,
  lockoutSeconds: 300,
  otpTtlSeconds: 300,
  otpMaxAttempts: 5,
  sendIntervalSeconds: 60,
  accessTokenTtlSeconds: 120,
  refreshTokenTtlSeconds: 14 * 24 * 3600,
};

/** What the context-built policies read of a BackendContext (named here: backend.ts imports this module). */
interface PolicyContext {
  store: Store;
  policies: Policies;
  now(): number;
}

/** A lock-out on the context's numbers (maxPasswordFailures, lockoutSeconds), counting in the collection `records`. */
export function contextLockout(ctx: PolicyContext, records: string): Lockout {
  return createLockout({ records: ctx.store.collection(records), maxFailures: ctx.policies.maxPasswordFailures, lockSeconds: ctx.policies.lockoutSeconds, now: ctx.now });
}

/**
 * A code issuer on the context's numbers (otpTtlSeconds, otpMaxAttempts, sendIntervalSeconds), its
 * codes and last sends in the collections `codes` and `sends`.
 */
export function contextCodeIssuer<D>(ctx: PolicyContext, collections: { codes: string; sends: string }, options: { keepSeconds?: number } = {}): CodeIssuer<D> {
  return createCodeIssuer<D>({
    codes: ctx.store.collection<IssuedCode<D>>(collections.codes),
    sends: ctx.store.collection(collections.sends),
    lifetimeSeconds: ctx.policies.otpTtlSeconds,
    maxAttempts: ctx.policies.otpMaxAttempts,
    resendIntervalSeconds: ctx.policies.sendIntervalSeconds,
    now: ctx.now,
    ...options,
  });
}
