import { StoredValue, type StorageAdapter } from './storage.js';

/** What the client remembers between sending the browser away and its return. */
export interface PendingAuthorization {
  state: string;
  verifier: string;
  nonce: string;
  redirectUri: string;
  source?: string;
  /** `link`: the return binds the source to the person signed in (linkIdentity), not a sign-in. */
  purpose?: 'link';
  createdAt: number;
}

interface Record_ {
  pending: PendingAuthorization[];
  /** States already used, kept a while so that a replay is told apart from a stranger's URL. */
  used: Array<{ state: string; at: number }>;
}

const LIFETIME = 10 * 60 * 1000;
const KEEP = 5;

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

  constructor(storage: StorageAdapter, key: string) {
    this.#slot = new StoredValue(storage, key, isRecord);
  }

  async #load(now: number): Promise<Record_> {
    const record = (await this.#slot.read()) ?? { pending: [], used: [] };
    return {
      pending: record.pending.filter((p) => now - p.createdAt < LIFETIME),
      used: record.used.filter((u) => now - u.at < LIFETIME),
    };
  }

  async add(pending: PendingAuthorization): Promise<void> {
    const record = await this.#load(pending.createdAt);
    record.pending = [...record.pending, pending].slice(-KEEP);
    await this.#slot.write(record);
  }

  /** Takes the record for `state` out of storage: a state works once. */
  async take(state: string | null, now = Date.now()): Promise<StateLookup> {
    const record = await this.#load(now);
    if (state && record.used.some((u) => u.state === state)) return { kind: 'replayed' };
    const pending = state ? record.pending.find((p) => p.state === state) : undefined;
    if (!pending) return record.pending.length ? { kind: 'mismatch' } : { kind: 'foreign' };
    record.pending = record.pending.filter((p) => p !== pending);
    record.used = [...record.used, { state: pending.state, at: now }].slice(-KEEP);
    await this.#slot.write(record);
    return { kind: 'ok', pending };
  }
}
