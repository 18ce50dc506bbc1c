// Tencent Cloud CIAM emulation (PROVIDERS.md §3): the seeded tenant's configuration, the records,
// and the policies with this backend's numbers.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { contextCodeIssuer, contextLockout, sha256, type BackendContext, type Collection, type IssuedCode } from '../kit/index.js';

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
  /**
   * `web`: holds a secret (in the relay), which its token calls need [C: "client_secret … is
   * required for web applications"], and may send codes [C]. `spa`: no secret, no code sends [C].
   */
  type: 'web' | 'spa';
  /** sha256 of the secret (web apps): the secret itself lives only in the relay's configuration. */
  secretSha256?: string;
  authSourceIds: string[];
  redirectUris: string[];
  /** Any `http://127.0.0.1:{port}/` (tests and dev servers use random ports). */
  loopbackAnyPort: boolean;
}

export const APPS: App[] = [
  // The Web app of the relay: code sends, the OTP exchange and its refresh, sign-up and reset.
  {
    clientId: 'ciam-demo-client',
    type: 'web',
    secretSha256: sha256('ciam-demo-secret'),
    authSourceIds: ['pwd-source', 'sms-source', 'email-source'],
    redirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/'],
    loopbackAnyPort: true,
  },
  // The page's SPA app: password (ROPC) and the hosted portal (PKCE), without a secret [C].
  {
    clientId: 'ciam-demo-spa',
    type: 'spa',
    authSourceIds: ['pwd-source'],
    redirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/'],
    loopbackAnyPort: true,
  },
  // A second app of the same tenant (Web type, no redirect URIs): a code it sent cannot be
  // exchanged by ciam-demo-client ("Mismatched OTP token and OTP sending parameters").
  {
    clientId: 'ciam-other-client',
    type: 'web',
    secretSha256: sha256('ciam-other-secret'),
    authSourceIds: ['sms-source', 'email-source'],
    redirectUris: [],
    loopbackAnyPort: false,
  },
];

export const findApp = (clientId: string | undefined) => (clientId ? APPS.find((a) => a.clientId === clientId) : undefined);

export function secretMatches(app: App, secret: string): boolean {
  if (!app.secretSha256) return false;
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
  createdAt: number;
}

/** What an otp_token is bound to: every send parameter must match at the exchange [C]. */
export interface OtpBinding {
  clientId: string;
  authSourceId: string | null;
  channel: 'sms' | 'email';
  recipient: string;
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

// [?] not documented: how long the otp_token itself stays known after its code expired. It is kept
// for a second TTL so that an expired code answers "Unknown or expired OTP" and only a token past
// that answers "Unknown or expired otp_token" (both rows of §3.5 stay reachable).
const TOKEN_TTL_FACTOR = 2;

/**
 * The lock-out (reported as "Abnormal user status") and the OTP codes, with the server's numbers.
 * A code's otp_token is the issuer's id; one send per recipient and channel per interval.
 */
export function policies(ctx: BackendContext) {
  return {
    lockout: contextLockout(ctx, `${NAME}.lockout`),
    codes: contextCodeIssuer<OtpBinding>(ctx, { codes: `${NAME}.otpCodes`, sends: `${NAME}.lastSend` }, { keepSeconds: tokenGraceSeconds(ctx) }),
  };
}

/** How long an otp_token stays known after its code expired (see TOKEN_TTL_FACTOR). */
const tokenGraceSeconds = (ctx: BackendContext) => ctx.policies.otpTtlSeconds * (TOKEN_TTL_FACTOR - 1);

/** When the otp_token of a code stops being known. */
export const otpTokenExpiresAt = (ctx: BackendContext, code: IssuedCode<OtpBinding>) => code.expiresAt + tokenGraceSeconds(ctx) * 1000;

export function collections(ctx: BackendContext) {
  const c = <T>(name: string): Collection<T> => ctx.store.collection<T>(`${NAME}.${name}`);
  return {
    users: c<User>('users'),
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
export function isAbnormal(ctx: BackendContext, user: User): boolean {
  return user.status !== 'normal' || policies(ctx).lockout.state(user.id).locked;
}

export const newId = () => randomUUID();
