// Records, collections and policies of the CloudBase emulation. Everything lives in `cloudbase.*`
// collections of the kit store as plain JSON.
import { contextCodeIssuer, contextLockout, type BackendContext } from '../kit/index.js';
import { parsePhone, raise } from './protocol.js';

export interface UserRecord {
  sub: string;
  username?: string;
  email?: string;
  phone_number?: string; // always "+CC NNN…" (CloudBase's documented form)
  name?: string;
  picture?: string;
  gender?: string;
  /** The site's own user id of a custom-ticket user (custom.ts). */
  customUid?: string;
  passwordHash?: string;
  /** ACTIVE, BLOCKED (user_blocked) or PENDING (user_pending). */
  status: 'ACTIVE' | 'BLOCKED' | 'PENDING';
  anonymous?: boolean;
  deviceId?: string;
  /** Seeded demo behaviour: every password sign-in / code send needs a captcha token (captcha.ts). */
  captchaAlways?: boolean;
  /** Seeded demo behaviour: password sign-in answers mfa_phone_required. */
  phoneRequired?: boolean;
  providers: Array<{ id: string; provider_user_id: string; name?: string }>;
  created_from: string;
  createdAt: number;
  updatedAt?: number;
}

export interface SessionRecord {
  id: string;
  sub: string;
  refreshToken: string;
  refreshExpiresAt: number;
  revoked: boolean;
  createdAt: number;
}

export interface RefreshRecord {
  token: string;
  sessionId: string;
  expiresAt: number;
  /** Set when rotated away; a rotated token is dead. */
  rotatedAt?: number;
}

/** What a verification (`verification_id`) is bound to; the code itself is the kit issuer's. */
export interface Verification {
  channel: 'sms' | 'email';
  to: string;
  isUser: boolean;
  usage: string;
  /** The signed-in person who asked for the code (a send with credentials): a contact change. */
  sub?: string;
}

export interface VerificationTokenRecord {
  token: string;
  channel: 'sms' | 'email';
  to: string;
  usage: string;
  expiresAt: number;
  used: boolean;
}

/** A new email or phone the signed-in person proved to hold, waiting for `/user/basic/edit`. */
export interface ContactChangeRecord {
  /** `${sub}:${channel}` */
  id: string;
  to: string;
  expiresAt: number;
}

export interface CaptchaRecord {
  /** `cht_…` (an image waiting for its answer) or `cap_…` (an issued captcha token). */
  id: string;
  kind: 'challenge' | 'token';
  /** The characters the image shows. */
  answer?: string;
  /** The SDK's `<METHOD>:<path>` of the call the captcha is for. */
  state?: string;
  expiresAt: number;
}

export interface ProviderGrantRecord {
  /** A provider `code` (from the local authorize page) or a `provider_token`. */
  id: string;
  kind: 'code' | 'provider_token';
  providerId: string;
  providerUserId: string;
  name?: string;
  email?: string;
  redirectUri?: string;
  expiresAt: number;
  used?: boolean;
}

/** What a route handler gets: the request, its parsed body and the identifiers every call carries. */
export interface ApiCall {
  request: Request;
  ctx: BackendContext;
  body: Record<string, unknown>;
  /** The `client_id` query parameter; empty on a call made with credentials (§6.1). */
  clientId: string;
  deviceId: string;
  /** Who the bearer of a call with credentials is (absent for the Publishable Key). */
  caller?: { user: UserRecord; session: SessionRecord };
  /** The last segment of a path with a parameter (`DELETE /user/provider/{provider_id}`). */
  param?: string;
}

export const cols = (ctx: BackendContext) => ({
  users: ctx.store.collection<UserRecord>('cloudbase.users'),
  sessions: ctx.store.collection<SessionRecord>('cloudbase.sessions'),
  refresh: ctx.store.collection<RefreshRecord>('cloudbase.refresh_tokens'),
  verificationTokens: ctx.store.collection<VerificationTokenRecord>('cloudbase.verification_tokens'),
  captchas: ctx.store.collection<CaptchaRecord>('cloudbase.captchas'),
  contactChanges: ctx.store.collection<ContactChangeRecord>('cloudbase.contact_changes'),
  providerGrants: ctx.store.collection<ProviderGrantRecord>('cloudbase.provider_grants'),
});

/**
 * The lock-out (`invalid_status` once it locks) and the verification codes, with this backend's
 * numbers: the server's policies. A code goes to one contact per send interval, whatever its usage.
 */
export const policies = (ctx: BackendContext) => ({
  lockout: contextLockout(ctx, 'cloudbase.lockout'),
  codes: contextCodeIssuer<Verification>(ctx, { codes: 'cloudbase.codes', sends: 'cloudbase.sends' }),
});

/**
 * The env's Publishable Key, as the demo page and tests configure it (`access-key`). [?] A real
 * key is minted in the console; the SDK sends it as the bearer of `/verification` (§6.1).
 */
export const PUBLISHABLE_KEY = 'demo-publishable-key';

/** Captcha is demanded after this many consecutive password failures (only when it is below maxPasswordFailures). */
export const CAPTCHA_AFTER_FAILURES = 3;
export const CAPTCHA_TOKEN_TTL_SECONDS = 600; // [?] not documented: lifetime of a captcha token.
export const CAPTCHA_IMAGE_TTL_SECONDS = 300; // [?] not documented: how long an image waits for its answer.
export const PROVIDER_TOKEN_TTL_SECONDS = 600; // [?] not documented: lifetime of a provider_token.

// ── identifiers ─────────────────────────────────────────────────────────────

export function findUserByLogin(ctx: BackendContext, login: string): UserRecord | undefined {
  const text = login.trim();
  const users = cols(ctx).users;
  if (text.startsWith('+')) {
    let phone: string;
    try {
      phone = parsePhone(text);
    } catch {
      return undefined;
    }
    return users.find((u) => u.phone_number === phone);
  }
  if (text.includes('@')) return users.find((u) => u.email === text.toLowerCase());
  return users.find((u) => u.username === text);
}

export function findUserByContact(ctx: BackendContext, channel: 'sms' | 'email', to: string): UserRecord | undefined {
  return cols(ctx).users.find((u) => (channel === 'sms' ? u.phone_number === to : u.email === to));
}

export function newUser(partial: Partial<UserRecord> & { created_from: string }, ctx: BackendContext): UserRecord {
  // [?] not documented: CloudBase `sub` values are long numeric strings ("98765…"); we mimic that.
  let sub: string;
  do sub = String(1e17 + Math.floor(Math.random() * 8e17));
  while (cols(ctx).users.get(sub));
  const user: UserRecord = { sub, status: 'ACTIVE', providers: [], createdAt: ctx.now(), ...partial };
  cols(ctx).users.put(sub, user);
  return user;
}

export function accountStateCheck(user: UserRecord): void {
  if (user.status === 'BLOCKED') raise('user_blocked');
  if (user.status === 'PENDING') raise('user_pending');
}
