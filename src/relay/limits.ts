// The relay's rate limits: which counters a request touches, in which store, and what happens
// when they are over, or when the store cannot answer. The policy is written out on RelayLimits.
import type { RouteKind } from './backends/types.js';
import { RelayFailure } from './failure.js';
import { createMemoryStore } from './memory-store.js';
import type { RelayCounterHit, RelayCounterStore, RelayLimits, RelayRateLimit } from './types.js';

export interface ResolvedLimits {
  maxBodyBytes: number;
  maxResponseBytes: number;
  timeoutMs: number;
  perClient: RelayRateLimit | false;
  perClientOther: RelayRateLimit | false;
  sendsPerIdentifier: RelayRateLimit | false;
  signInsPerIdentifier: RelayRateLimit | false;
  signInsPerIdentifierAndClient: RelayRateLimit | false;
  storeTimeoutMs: number;
  failOpen: boolean;
}

const MINUTE = 60_000;

export const DEFAULT_LIMITS: Readonly<ResolvedLimits> = Object.freeze({
  maxBodyBytes: 16 * 1024,
  maxResponseBytes: 256 * 1024,
  timeoutMs: 10_000,
  perClient: { max: 30, windowMs: MINUTE },
  perClientOther: { max: 120, windowMs: MINUTE },
  sendsPerIdentifier: { max: 5, windowMs: 10 * MINUTE },
  signInsPerIdentifier: { max: 30, windowMs: 10 * MINUTE },
  signInsPerIdentifierAndClient: { max: 10, windowMs: 10 * MINUTE },
  storeTimeoutMs: 1_000,
  failOpen: false,
});

const RATES = ['perClient', 'perClientOther', 'sendsPerIdentifier', 'signInsPerIdentifier', 'signInsPerIdentifierAndClient'] as const;
/** Seconds a 503 asks the browser to wait while the store is failing. */
const STORE_RETRY_AFTER_S = 5;

export function resolveLimits(limits: RelayLimits | undefined): ResolvedLimits {
  const out: ResolvedLimits = { ...DEFAULT_LIMITS };
  if (limits === undefined) return out;
  for (const key of ['maxBodyBytes', 'maxResponseBytes', 'timeoutMs', 'storeTimeoutMs'] as const) {
    const value = limits[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`createRelay: limits.${key} must be a positive number.`);
    out[key] = value;
  }
  for (const key of RATES) {
    const value = limits[key];
    if (value === undefined) continue;
    if (value === false) {
      out[key] = false;
      continue;
    }
    if (!value || !Number.isInteger(value.max) || value.max < 0 || typeof value.windowMs !== 'number' || !(value.windowMs > 0)) {
      throw new TypeError(`createRelay: limits.${key} must be { max: integer >= 0, windowMs: number > 0 } or false.`);
    }
    out[key] = { max: value.max, windowMs: value.windowMs };
  }
  if (limits.failOpen !== undefined) {
    if (typeof limits.failOpen !== 'boolean') throw new TypeError('createRelay: limits.failOpen must be true or false.');
    out.failOpen = limits.failOpen;
  }
  const store = limits.store;
  if (store !== undefined && (typeof store?.hit !== 'function' || typeof store?.undo !== 'function')) {
    throw new TypeError('createRelay: limits.store must have hit(key, windowMs, max) and undo(key, resetAt), e.g. createRedisStore(client).');
  }
  return out;
}

/** What the relay writes on a request's log line. */
export interface RequestNotes {
  message?: string;
}

/** A hit the relay may take back: a sign-in the backend accepted, a request refused. */
interface Taken {
  store: RelayCounterStore;
  key: string;
  resetAt: number;
}

interface Check {
  store: RelayCounterStore;
  key: string;
  limit: RelayRateLimit;
}

/** Counted sign-in hits of one request, to take back if the backend accepts it. */
export type SignInTicket = readonly Taken[];

export class Limiter {
  readonly #limits: ResolvedLimits;
  /** Per-address and per-identifier counters: separate tables unless one store is given. */
  readonly #addresses: RelayCounterStore;
  readonly #identifiers: RelayCounterStore;
  #storeFailing = false;

  constructor(limits: ResolvedLimits, store: RelayCounterStore | undefined) {
    this.#limits = limits;
    this.#addresses = store ?? createMemoryStore();
    this.#identifiers = store ?? createMemoryStore();
  }

  /** Per client address (its /64 for IPv6): every request counts. Throws 429 or 503. */
  async client(kind: RouteKind, address: string, notes: RequestNotes): Promise<void> {
    const limit = kind === 'other' ? this.#limits.perClientOther : this.#limits.perClient;
    if (!limit) return;
    await this.#count([{ store: this.#addresses, key: `${kind === 'other' ? 'client-other' : 'client'}:${address}`, limit }], notes, false);
  }

  /**
   * Per identifier. A send counts against each key. A sign-in counts against each key and each
   * (key, address) pair; the returned ticket takes those hits back when the backend accepts it.
   */
  async identifiers(kind: 'send' | 'signin', keys: readonly string[], address: string, notes: RequestNotes): Promise<SignInTicket> {
    const checks: Check[] = [];
    const store = this.#identifiers;
    for (const key of keys) {
      if (kind === 'send') {
        if (this.#limits.sendsPerIdentifier) checks.push({ store, key: `send:${key}`, limit: this.#limits.sendsPerIdentifier });
        continue;
      }
      if (this.#limits.signInsPerIdentifier) checks.push({ store, key: `signin:${key}`, limit: this.#limits.signInsPerIdentifier });
      if (this.#limits.signInsPerIdentifierAndClient) {
        checks.push({ store, key: `signin-client:${address}|${key}`, limit: this.#limits.signInsPerIdentifierAndClient });
      }
    }
    if (checks.length === 0) return [];
    const taken = await this.#count(checks, notes, true);
    return kind === 'signin' ? taken : [];
  }

  /** The backend accepted the sign-in: it was no failure. */
  async accepted(ticket: SignInTicket, notes: RequestNotes): Promise<void> {
    await this.#undo(ticket, notes);
  }

  /** Counts every check; on any refusal (and, with `undoOnRefusal`, takes this request's hits back) throws. */
  async #count(checks: Check[], notes: RequestNotes, undoOnRefusal: boolean): Promise<Taken[]> {
    const results = await Promise.all(checks.map((check) => this.#call(() => check.store.hit(check.key, check.limit.windowMs, check.limit.max), notes)));
    const taken: Taken[] = [];
    let unavailable = false;
    let retryAt = 0;
    results.forEach((result, i) => {
      const check = checks[i]!;
      if (result === undefined || !validHit(result)) {
        unavailable = true;
        return;
      }
      taken.push({ store: check.store, key: check.key, resetAt: result.resetAt });
      if (result.count > check.limit.max) retryAt = Math.max(retryAt, result.resetAt);
    });
    if (unavailable && !this.#limits.failOpen) {
      if (undoOnRefusal) await this.#undo(taken, notes);
      throw new RelayFailure('service_unavailable', 'The relay cannot check its rate limits right now.', { 'retry-after': String(STORE_RETRY_AFTER_S) });
    }
    if (retryAt > 0) {
      if (undoOnRefusal) await this.#undo(taken, notes);
      const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
      throw new RelayFailure('rate_limited', `Too many requests; try again in ${seconds} seconds.`, { 'retry-after': String(seconds) });
    }
    return taken;
  }

  async #undo(taken: readonly Taken[], notes: RequestNotes): Promise<void> {
    await Promise.all(taken.map((t) => this.#call(() => t.store.undo(t.key, t.resetAt), notes)));
  }

  /** One store call under `storeTimeoutMs`; undefined when it failed (and the failure is noted). */
  async #call<T>(operation: () => Promise<T>, notes: RequestNotes): Promise<T | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeoutMs = this.#limits.storeTimeoutMs;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeout(timeoutMs)), timeoutMs);
    });
    try {
      const value = await Promise.race([Promise.resolve().then(operation), timeout]);
      if (this.#storeFailing) {
        this.#storeFailing = false;
        notes.message = 'limits.store answers again: rate limits are enforced.';
      }
      return value;
    } catch (error) {
      if (!this.#storeFailing) {
        this.#storeFailing = true;
        notes.message = this.#limits.failOpen
          ? `limits.store failed (${describe(error)}): rate limits it holds are not enforced until it answers again (limits.failOpen).`
          : `limits.store failed (${describe(error)}): sign-ins and sends get 503 until it answers again (set limits.failOpen to let them through).`;
      }
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

class StoreTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

function validHit(value: unknown): value is RelayCounterHit {
  const hit = value as RelayCounterHit | undefined;
  return typeof hit?.count === 'number' && hit.count >= 0 && Number.isFinite(hit.resetAt);
}

/** An error's kind only (its name or code): a message could carry a key or a connection string. */
function describe(error: unknown): string {
  if (error instanceof StoreTimeout) return error.message;
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  const parts = [name, code].filter((p): p is string => typeof p === 'string' && /^[\w.-]{1,60}$/.test(p) && p !== 'Error');
  return parts.length ? parts.join(' ') : 'an error';
}
