import { claim, fingerprint, withLock } from './lock.js';
import { StoredValue, type StorageAdapter } from './storage.js';

/** What the client remembers between sending the browser away and its return. */
export interface PendingAuthorization {
  state: string;
  verifier: string;
  nonce: string;
  redirectUri: string;
  source?: string;
  createdAt: number;
}

interface Record_ {
  pending: PendingAuthorization[];
  /** States already used, kept a while so that a replay is told apart from a stranger's URL. */
  used: Array<{ state: string; at: number }>;
}

const LIFETIME = 10 * 60 * 1000;
const KEEP = 5;
/** How long to wait for another tab's use of the record before taking it over, in ms. */
const LOCK_TIMEOUT = 5_000;
/** How long a taken state stays claimed in the lock manager: until every tab's storage shows it used. */
const CLAIM = 60_000;

function isRecord(value: unknown): value is Record_ {
  const v = value as Record_;
  return (
    typeof v === 'object' && v !== null && Array.isArray(v.pending) && Array.isArray(v.used) &&
    v.pending.every((p) => p && typeof p.state === 'string' && typeof p.verifier === 'string' && typeof p.nonce === 'string' && typeof p.redirectUri === 'string' && typeof p.createdAt === 'number') &&
    v.used.every((u) => u && typeof u.state === 'string' && typeof u.at === 'number')
  );
}

export type StateLookup =
  | { kind: 'ok'; pending: PendingAuthorization }
  /** Not started by this client: leave the URL alone. */
  | { kind: 'foreign' }
  | { kind: 'replayed' }
  | { kind: 'mismatch' };

/**
 * Pending authorizations, one record per configuration. A few at once are allowed (two tabs
 * each starting a sign-in), each for ten minutes.
 */
export class OAuthStateStore {
  #slot: StoredValue<Record_>;
  #key: string;

  constructor(storage: StorageAdapter, key: string) {
    this.#key = key;
    this.#slot = new StoredValue(storage, key, isRecord);
  }

  async #load(now: number): Promise<Record_> {
    const record = (await this.#slot.read()) ?? { pending: [], used: [] };
    return {
      pending: record.pending.filter((p) => now - p.createdAt < LIFETIME),
      used: record.used.filter((u) => now - u.at < LIFETIME),
    };
  }

  /** Every read-modify-write of the record holds its lock: two tabs never interleave. */
  #locked<T>(job: () => Promise<T>): Promise<T> {
    return withLock(`${this.#key}:lock`, LOCK_TIMEOUT, job);
  }

  add(pending: PendingAuthorization): Promise<void> {
    return this.#locked(async () => {
      const record = await this.#load(pending.createdAt);
      record.pending = [...record.pending, pending].slice(-KEEP);
      await this.#slot.write(record);
    });
  }

  /**
   * Takes the record for `state` out of storage: a state works once, in one tab, even when the
   * same callback loads in two tabs at once (their storage may not show each other's write yet,
   * so the lock manager's claim on the state decides).
   */
  take(state: string | null, now = Date.now()): Promise<StateLookup> {
    return this.#locked(async () => {
      const record = await this.#load(now);
      if (state && record.used.some((u) => u.state === state)) return { kind: 'replayed' };
      const pending = state ? record.pending.find((p) => p.state === state) : undefined;
      if (!pending) return record.pending.length ? { kind: 'mismatch' } : { kind: 'foreign' };
      if ((await claim(`${this.#key}:taken:${await fingerprint(pending.state)}`, CLAIM)) === false) return { kind: 'replayed' };
      record.pending = record.pending.filter((p) => p !== pending);
      record.used = [...record.used, { state: pending.state, at: now }].slice(-KEEP);
      await this.#slot.write(record);
      return { kind: 'ok', pending };
    });
  }
}
