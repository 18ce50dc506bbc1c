// The toolkit every backend emulation of the reference server is written against. An emulation
// is a plain fetch handler over standard Request/Response plus a seed function; the server core
// (demo/server/server.ts) mounts it under a path prefix, adds CORS, fault injection, the outbox
// endpoint and persistence. Keep emulations free of node:http details.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

// ── persistence ─────────────────────────────────────────────────────────────

/** One named collection of JSON records, keyed by id. */
export interface Collection<T> {
  get(id: string): T | undefined;
  put(id: string, value: T): void;
  delete(id: string): boolean;
  values(): T[];
  find(predicate: (value: T) => boolean): T | undefined;
}

export interface Store {
  /** Collections are namespaced by the caller, e.g. `cloudbase.users`. */
  collection<T>(name: string): Collection<T>;
  /** Writes pending changes now (the server calls it on shutdown). */
  flush(): void;
}

/**
 * A real embedded store: JSON records in memory, written to `{dir}/store.json` (atomically,
 * through a rename) shortly after each change, and read back at start. Without `dir`, memory only.
 */
export function createStore(options: { dir?: string } = {}): Store {
  const file = options.dir ? join(options.dir, 'store.json') : null;
  let data: Record<string, Record<string, unknown>> = {};
  if (file) {
    mkdirSync(options.dir!, { recursive: true });
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      data = {};
      // A missing file is a first start; a corrupt one is kept aside for a person to look at.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const aside = `${file}.corrupt-${Date.now()}`;
        try {
          renameSync(file, aside);
        } catch {
          /* nothing more to save */
        }
        console.error(`[reference server] ${file} was unreadable; moved to ${aside} and starting empty.`);
      }
    }
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!file) return;
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(data));
    renameSync(temp, file);
  };
  const changed = () => {
    if (!file || timer) return;
    timer = setTimeout(flush, 50);
    timer.unref?.();
  };
  return {
    flush,
    collection<T>(name: string): Collection<T> {
      const records = (data[name] ??= {}) as Record<string, T>;
      return {
        get: (id) => records[id],
        put: (id, value) => {
          records[id] = value;
          changed();
        },
        delete: (id) => {
          const had = id in records;
          delete records[id];
          if (had) changed();
          return had;
        },
        values: () => Object.values(records),
        find: (predicate) => Object.values(records).find(predicate),
      };
    },
  };
}

// ── secrets ─────────────────────────────────────────────────────────────────

/** A slow KDF (scrypt, N = 2^14): stored as `scrypt$salt$hash`, never the password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: 16384, r: 8, p: 1 });
  return timingSafeEqual(actual, expected);
}

/** An opaque random token, optionally prefixed so a person can tell them apart in logs. */
export function randomToken(prefix = '', bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** A numeric one-time code of `digits` digits. */
export function randomCode(digits = 6): string {
  const max = 10 ** digits;
  return String(randomBytes(4).readUInt32BE() % max).padStart(digits, '0');
}

/** HS256 JWTs signed with a key made at start (tokens do not survive a restart's new key unless `secret` is given). */
export function createJwt(secret: Uint8Array = randomBytes(32)) {
  return {
    sign: (claims: JWTPayload, ttlSeconds: number, now = Date.now()) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(Math.floor(now / 1000)).setExpirationTime(Math.floor(now / 1000) + ttlSeconds).sign(secret),
    verify: async (token: string): Promise<JWTPayload | null> => {
      try {
        return (await jwtVerify(token, secret, { algorithms: ['HS256'] })).payload;
      } catch {
        return null;
      }
    },
  };
}

// ── outbox ──────────────────────────────────────────────────────────────────

/** A code or message the emulation "sent": listed for the demo page, never sent anywhere. */
export interface OutboxMessage {
  id: string;
  at: number;
  /** Order of delivery, for messages sent within the same millisecond. */
  seq: number;
  backend: string;
  channel: 'sms' | 'email';
  to: string;
  /** What for: `login`, `register`, `reset_password`, `second_factor`… */
  purpose: string;
  code?: string;
  text: string;
}

export interface Outbox {
  deliver(message: Omit<OutboxMessage, 'id' | 'at' | 'seq'>): OutboxMessage;
  list(filter?: { backend?: string; to?: string }): OutboxMessage[];
  /** The newest code sent to `to` (tests read codes from here). */
  latestCode(to: string, backend?: string): string | undefined;
}

export function createOutbox(store: Store, now: () => number): Outbox {
  const messages = store.collection<OutboxMessage>('outbox');
  let seq = messages.values().reduce((max, m) => Math.max(max, m.seq ?? 0), 0);
  return {
    deliver(message) {
      const full = { ...message, id: randomToken('msg_', 9), at: now(), seq: ++seq };
      messages.put(full.id, full);
      return full;
    },
    list(filter = {}) {
      return messages
        .values()
        .filter((m) => (!filter.backend || m.backend === filter.backend) && (!filter.to || m.to === filter.to))
        .sort((a, b) => b.at - a.at || (b.seq ?? 0) - (a.seq ?? 0));
    },
    latestCode(to, backend) {
      return this.list({ to, backend }).find((m) => m.code)?.code;
    },
  };
}

// ── policies ────────────────────────────────────────────────────────────────

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

// ── the contract between an emulation and the server core ───────────────────

export interface BackendContext {
  /** The whole store; an emulation names its collections `<backend>.<name>`. */
  store: Store;
  outbox: Outbox;
  policies: Policies;
  /** Milliseconds; tests move it to reach expiry without waiting. */
  now(): number;
  /** The public URL at which this backend is mounted (no trailing slash), e.g. `http://127.0.0.1:5175/cloudbase`. */
  baseUrl: string;
  jwt: ReturnType<typeof createJwt>;
}

export interface Backend {
  /** Also the mount path: `/cloudbase`, `/tencent-ciam`, … */
  name: string;
  /** Creates the demo accounts when they are missing (idempotent: runs at every start). */
  seed(ctx: BackendContext): Promise<void>;
  /**
   * Answers one request whose URL path has the mount prefix removed (`path`). Returns undefined
   * for a path the backend does not have (the core answers 404 in the backend's style if the
   * emulation gave one through `notFound`, else a plain JSON 404).
   */
  handle(request: Request, path: string, ctx: BackendContext): Promise<Response | undefined>;
  /** Who holds this access token (for the passkey service); null when unknown or expired. */
  introspect?(accessToken: string, ctx: BackendContext): Promise<{ userId: string; name?: string } | null>;
  /**
   * A session for `userId` after a passkey sign-in, as this backend would issue it (tokens that
   * its own `introspect` and refresh accept). Without it the passkey service mints a 5-minute
   * HS256 JWT with `ctx.jwt` (`sub` = userId, no refresh token).
   */
  issueSession?(userId: string, ctx: BackendContext): Promise<TokenBody>;
  /** The backend's own 404 body, when it documents one. */
  notFound?(request: Request, path: string): Response;
  /** Demo accounts, for README and the demo page: what to type, and what state each reaches. */
  accounts: Array<{ identifier: string; password?: string; note: string }>;
}

/** Tokens for a session, with OAuth token-response names (the widget's `TokenSet`). */
export interface TokenBody {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  user?: { id: string; name?: string; [claim: string]: unknown };
}

// ── small response helpers ──────────────────────────────────────────────────

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

/** Reads a JSON body; `undefined` when it is missing or not JSON (the emulation answers its own error). */
export async function readJson(request: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const value = await request.json();
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a form-encoded body as a plain object of strings. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  try {
    return Object.fromEntries(new URLSearchParams(await request.text()));
  } catch {
    return {};
  }
}
