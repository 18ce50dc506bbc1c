// Tencent Cloud CIAM emulation (PROVIDERS.md §3): configuration, records and helpers shared by
// the route modules. Error bodies are the OAuth shape `{error, error_description}` of §3.5.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { json, randomToken, type BackendContext, type Collection } from '../kit/index.js';

export const NAME = 'tencent-ciam';

// ── seeded tenant configuration ─────────────────────────────────────────────

export type AuthSourceKind = 'password' | 'sms' | 'email';
export interface AuthSource {
  id: string;
  kind: AuthSourceKind;
}

export const AUTH_SOURCES: AuthSource[] = [
  { id: 'pwd-source', kind: 'password' },
  { id: 'sms-source', kind: 'sms' },
  { id: 'email-source', kind: 'email' },
  // Exists in the tenant but is NOT associated with the demo app (reaches `invalid_auth_source`).
  { id: 'unlinked-sms-source', kind: 'sms' },
];

export interface App {
  clientId: string;
  /** sha256 of the secret: the secret itself lives only in the relay's configuration. */
  secretSha256: string;
  authSourceIds: string[];
  redirectUris: string[];
  /** Any `http://127.0.0.1:{port}/` (tests and dev servers use random ports). */
  loopbackAnyPort: boolean;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const APPS: App[] = [
  {
    clientId: 'ciam-demo-client',
    secretSha256: sha256('ciam-demo-secret'),
    authSourceIds: ['pwd-source', 'sms-source', 'email-source'],
    redirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/'],
    loopbackAnyPort: true,
  },
  // A second app of the same tenant (Web type, no redirect URIs): a code it sent cannot be
  // exchanged by ciam-demo-client ("Mismatched OTP token and OTP sending parameters").
  {
    clientId: 'ciam-other-client',
    secretSha256: sha256('ciam-other-secret'),
    authSourceIds: ['sms-source', 'email-source'],
    redirectUris: [],
    loopbackAnyPort: false,
  },
];

export const findApp = (clientId: string | undefined) => (clientId ? APPS.find((a) => a.clientId === clientId) : undefined);

export function secretMatches(app: App, secret: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(app.secretSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function redirectAllowed(app: App, redirectUri: string): boolean {
  if (app.redirectUris.includes(redirectUri)) return true;
  if (!app.loopbackAnyPort) return false;
  return /^http:\/\/127\.0\.0\.1:\d{1,5}\/$/.test(redirectUri);
}

/** The auth source when it exists, is associated with the app and is of the expected kind. */
export function associatedSource(app: App, id: string, kind: AuthSourceKind): AuthSource | undefined {
  const source = AUTH_SOURCES.find((s) => s.id === id);
  return source && source.kind === kind && app.authSourceIds.includes(id) ? source : undefined;
}

export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'phone'];

// ── records ─────────────────────────────────────────────────────────────────

export type UserStatus = 'normal' | 'frozen' | 'locked';
export interface User {
  id: string;
  username?: string;
  /** Normalised: mainland numbers as 11 digits (`13800000001`), others as `+{digits}`. */
  phone?: string;
  email?: string;
  name?: string;
  passwordHash?: string;
  status: UserStatus;
  failures: number;
  lockedUntil?: number;
  createdAt: number;
}

export interface OtpRecord {
  token: string;
  clientId: string;
  authSourceId: string | null;
  channel: 'sms' | 'email';
  recipient: string;
  usage: string;
  codeSha256: string;
  sentAt: number;
  codeExpiresAt: number;
  tokenExpiresAt: number;
  attempts: number;
  burnt: boolean;
}

export interface AuthRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  scope: string;
  codeChallenge: string;
  expiresAt: number;
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: string;
  scope: string;
  nonce?: string;
  authTime: number;
  expiresAt: number;
  used: boolean;
}

export interface RefreshRecord {
  id: string; // sha256 of the token
  family: string;
  userId: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  rotated: boolean;
}

export interface PortalSession {
  id: string;
  userId: string;
  authTime: number;
  expiresAt: number;
}

export function collections(ctx: BackendContext) {
  const c = <T>(name: string): Collection<T> => ctx.store.collection<T>(`${NAME}.${name}`);
  return {
    users: c<User>('users'),
    otps: c<OtpRecord>('otps'),
    lastSend: c<{ at: number }>('lastSend'),
    authRequests: c<AuthRequest>('authRequests'),
    codes: c<AuthCode>('codes'),
    refresh: c<RefreshRecord>('refreshTokens'),
    sessions: c<PortalSession>('sessions'),
    revokedJti: c<{ until: number }>('revokedJti'),
  };
}

// ── identifiers ─────────────────────────────────────────────────────────────

/**
 * [?] not documented: number formats. The docs show bare mainland numbers (`13612345678`); we also
 * accept `+86 138 0000 0001` / `86-138…` and other `+CC…` numbers, and compare normalised forms.
 */
export function normalisePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s\-()]/g, '');
  const mainland = compact.replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (/^1\d{10}$/.test(mainland)) return mainland;
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
  return undefined;
}

export function normaliseEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  return /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254 ? email : undefined;
}

export function findUserByIdentifier(ctx: BackendContext, identifier: string): User | undefined {
  const { users } = collections(ctx);
  const phone = normalisePhone(identifier);
  const email = normaliseEmail(identifier);
  const name = identifier.trim().toLowerCase();
  return users.find((u) => (phone !== undefined && u.phone === phone) || (email !== undefined && u.email === email) || (!!u.username && u.username === name));
}

/** `locked` by an admin and `frozen` are abnormal; a temporary lock-out after failures too. */
export function isAbnormal(user: User, now: number): boolean {
  return user.status !== 'normal' || (user.lockedUntil !== undefined && user.lockedUntil > now);
}

// ── wire helpers ────────────────────────────────────────────────────────────

/** The documented content type: `application/json;charset=UTF-8`. */
export function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return json(status, body, { 'content-type': 'application/json;charset=UTF-8', pragma: 'no-cache', ...headers });
}

export function oauthError(error: string, description: string, status = 400, headers: Record<string, string> = {}): Response {
  return reply(status, { error, error_description: description }, headers);
}

// The §3.5 rows, verbatim [C].
export const ERR = {
  otpToken: () => oauthError('invalid_grant', 'Unknown or expired otp_token'),
  otp: () => oauthError('invalid_grant', 'Unknown or expired OTP'),
  mismatch: () => oauthError('invalid_request', 'Mismatched OTP token and OTP sending parameters'),
  userNotFound: () => oauthError('invalid_grant', 'User not found'),
  abnormal: () => oauthError('invalid_grant', 'Abnormal user status'),
  authSource: () => oauthError('invalid_auth_source', 'Auth source and application not associated'),
  // [?] not documented: client authentication failure (RFC 6749 §5.2 shape, 401 + WWW-Authenticate).
  client: () => oauthError('invalid_client', 'Client authentication failed', 401, { 'www-authenticate': 'Basic realm="tencentciam"' }),
  // [?] not documented: missing/malformed parameters.
  missing: (name: string) => oauthError('invalid_request', `Missing required parameter: ${name}`),
  invalid: (name: string) => oauthError('invalid_request', `Invalid parameter: ${name}`),
  malformed: () => oauthError('invalid_request', 'Malformed request body'),
};

/** A string field of a JSON or form body (numbers are accepted as their text), else undefined. */
export function str(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (typeof value === 'string') return value.length ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** `auto_signup`: Boolean per the docs, "pass \"true\"" in the prose; both are accepted. */
export const truthy = (value: unknown) => value === true || value === 'true';

export const hash = sha256;
export const newId = () => randomUUID();
export { randomToken };

export function contentKind(request: Request): 'json' | 'form' | 'other' {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('application/json')) return 'json';
  if (type.includes('application/x-www-form-urlencoded')) return 'form';
  return 'other';
}

export function parseBasic(header: string | null): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // base64(urlenc(client_id):urlenc(client_secret)) [C] — form-decoding, so `+` is a space.
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  };
  const id = decode(decoded.slice(0, colon));
  const secret = decode(decoded.slice(colon + 1));
  return id !== undefined && secret !== undefined ? { id, secret } : undefined;
}
