// One-time codes: a send interval per recipient, and an issuer that makes a code for a target and
// a purpose, keeps only its hash, lets it be tried a few times and used once, until it expires.
import { timingSafeEqual } from 'node:crypto';
import type { Now } from './clock.js';
import type { Collection } from './store.js';
import { randomCode, randomToken, sha256 } from './tokens.js';

/** When a recipient was last sent something. */
export interface SendRecord {
  at: number;
}

export interface SendIntervalOptions {
  sends: Collection<SendRecord>;
  /** Minimum seconds between two sends to one recipient. */
  intervalSeconds: number;
  now: Now;
}

export interface SendInterval {
  /** Seconds (rounded up) before `target` may be sent to again; 0 when it may be now. */
  wait(target: string): number;
  /** Notes a send to `target` now. */
  record(target: string): void;
}

export function createSendInterval({ sends, intervalSeconds, now }: SendIntervalOptions): SendInterval {
  return {
    wait(target) {
      const last = sends.get(target);
      const ms = last ? last.at + intervalSeconds * 1000 - now() : 0;
      return ms > 0 ? Math.ceil(ms / 1000) : 0;
    },
    record(target) {
      sends.put(target, { at: now() });
    },
  };
}

/** A code as stored: never the code itself. */
export interface IssuedCode<D> {
  id: string;
  target: string;
  purpose: string;
  /** sha256 (hex) of `{id}:{code}`. */
  codeHash: string;
  issuedAt: number;
  expiresAt: number;
  /** Wrong tries so far. */
  attempts: number;
  usedAt?: number;
  /** What the emulation binds to the code (the user, the flow, the client…). */
  data: D;
}

export type CodeCheck<D> =
  | { status: 'ok'; record: IssuedCode<D> }
  /** A wrong code; `remaining` 0 means this try used the last one. */
  | { status: 'wrong'; remaining: number }
  /** Earlier wrong tries used every attempt: even the right code is refused. */
  | { status: 'exhausted' }
  | { status: 'expired' }
  | { status: 'used' }
  | { status: 'unknown' };

export type IssueResult = { sent: true; id: string; code: string; expiresAt: number } | { sent: false; retryAfterSeconds: number };

export interface CodeIssuerOptions<D> {
  codes: Collection<IssuedCode<D>>;
  sends: Collection<SendRecord>;
  lifetimeSeconds: number;
  /** Wrong tries that burn a code. */
  maxAttempts: number;
  /** Minimum seconds between two codes to one target (whatever their purpose). */
  resendIntervalSeconds: number;
  now: Now;
  /** How long a record is kept after its code expired (default 0: dropped at the next issue). */
  keepSeconds?: number;
}

export interface CodeIssuer<D> {
  /**
   * Makes a code for `target` unless one was sent to it less than the resend interval ago.
   * `id` defaults to a random token and `code` to six random digits; an existing `id` is replaced.
   */
  issue(request: { target: string; purpose: string; data: D; id?: string; code?: string }): IssueResult;
  /** The record of `id` in any state, while it is kept. */
  get(id: string): IssuedCode<D> | undefined;
  /** Checks a code; the right one is spent at once unless `spend: false` (then call `spend`). */
  verify(id: string, code: string, options?: { spend?: boolean }): CodeCheck<D>;
  spend(id: string): void;
}

const hashOf = (id: string, code: string) => sha256(`${id}:${code}`);

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createCodeIssuer<D>(options: CodeIssuerOptions<D>): CodeIssuer<D> {
  const { codes, lifetimeSeconds, maxAttempts, now } = options;
  const keepMs = (options.keepSeconds ?? 0) * 1000;
  const interval = createSendInterval({ sends: options.sends, intervalSeconds: options.resendIntervalSeconds, now });
  const spend = (id: string) => {
    const record = codes.get(id);
    if (record && record.usedAt === undefined) codes.put(id, { ...record, usedAt: now() });
  };
  return {
    issue({ target, purpose, data, id = randomToken('code_', 16), code = randomCode(6) }) {
      const retryAfterSeconds = interval.wait(target);
      if (retryAfterSeconds > 0) return { sent: false, retryAfterSeconds };
      const at = now();
      for (const old of codes.values()) if (old.expiresAt + keepMs <= at) codes.delete(old.id);
      interval.record(target);
      const expiresAt = at + lifetimeSeconds * 1000;
      codes.put(id, { id, target, purpose, codeHash: hashOf(id, code), issuedAt: at, expiresAt, attempts: 0, data });
      return { sent: true, id, code, expiresAt };
    },
    get: (id) => codes.get(id),
    verify(id, code, { spend: spendNow = true } = {}) {
      const record = codes.get(id);
      if (!record) return { status: 'unknown' };
      if (record.usedAt !== undefined) return { status: 'used' };
      if (record.expiresAt <= now()) return { status: 'expired' };
      if (record.attempts >= maxAttempts) return { status: 'exhausted' };
      if (!sameHash(hashOf(id, code), record.codeHash)) {
        const attempts = record.attempts + 1;
        codes.put(id, { ...record, attempts });
        return { status: 'wrong', remaining: Math.max(0, maxAttempts - attempts) };
      }
      if (spendNow) spend(id);
      return { status: 'ok', record };
    },
    spend,
  };
}
