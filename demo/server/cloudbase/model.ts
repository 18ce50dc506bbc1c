// Records, collections and the shared pieces of the CloudBase emulation (users, sessions, tokens,
// captcha checks). Everything lives in `cloudbase.*` collections of the kit store as plain JSON.
import { randomToken, type BackendContext } from '../kit/index.js';
import { raise } from './errors.js';

export interface UserRecord {
  sub: string;
  username?: string;
  email?: string;
  phone_number?: string; // always "+CC NNN…" (CloudBase's documented form)
  name?: string;
  passwordHash?: string;
  /** ACTIVE, BLOCKED (user_blocked) or PENDING (user_pending). */
  status: 'ACTIVE' | 'BLOCKED' | 'PENDING';
  anonymous?: boolean;
  deviceId?: string;
  /** Seeded demo behaviour: every password sign-in / code send needs a captcha token. */
  captchaAlways?: boolean;
  /** Seeded demo behaviour: password sign-in answers phone_required. */
  phoneRequired?: boolean;
  failures: number;
  lockedUntil?: number;
  providers: Array<{ id: string; provider_user_id: string; name?: string }>;
  created_from: string;
  createdAt: number;
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

export interface VerificationRecord {
  id: string;
  channel: 'sms' | 'email';
  to: string;
  code: string;
  expiresAt: number;
  attempts: number;
  isUser: boolean;
  usage: string;
  done: boolean;
}

export interface VerificationTokenRecord {
  token: string;
  channel: 'sms' | 'email';
  to: string;
  expiresAt: number;
  used: boolean;
}

export interface CaptchaRecord {
  /** `chl_…` (a pending challenge) or `cap_…` (an issued captcha token). */
  id: string;
  kind: 'challenge' | 'token';
  answer?: string;
  redirectUri?: string;
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

export const cols = (ctx: BackendContext) => ({
  users: ctx.store.collection<UserRecord>('cloudbase.users'),
  sessions: ctx.store.collection<SessionRecord>('cloudbase.sessions'),
  refresh: ctx.store.collection<RefreshRecord>('cloudbase.refresh_tokens'),
  verifications: ctx.store.collection<VerificationRecord>('cloudbase.verifications'),
  verificationTokens: ctx.store.collection<VerificationTokenRecord>('cloudbase.verification_tokens'),
  sends: ctx.store.collection<{ to: string; at: number }>('cloudbase.sends'),
  captchas: ctx.store.collection<CaptchaRecord>('cloudbase.captchas'),
  providerGrants: ctx.store.collection<ProviderGrantRecord>('cloudbase.provider_grants'),
});

/** Captcha is demanded after this many consecutive password failures (only when it is below maxPasswordFailures). */
export const CAPTCHA_AFTER_FAILURES = 3;
export const CAPTCHA_TOKEN_TTL_SECONDS = 600; // [?] not documented: lifetime of a captcha token.
export const PROVIDER_TOKEN_TTL_SECONDS = 600; // [?] not documented: lifetime of a provider_token.

// ── identifiers ─────────────────────────────────────────────────────────────

const PHONE = /^\+(\d{1,4}) (\d{5,15})$/;

/** CloudBase wants "+86 13800138000" (a space after the country code) [C]; anything else is invalid_phone_number. */
export function parsePhone(value: unknown): string {
  if (typeof value !== 'string') return raise('invalid_phone_number');
  const match = PHONE.exec(value.trim());
  if (!match) return raise('invalid_phone_number');
  if (match[1] === '86' && !/^1[3-9]\d{9}$/.test(match[2])) return raise('invalid_phone_number');
  return `+${match[1]} ${match[2]}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function parseEmail(value: unknown): string {
  if (typeof value !== 'string' || !EMAIL.test(value.trim())) return raise('invalid_argument', 'invalid email');
  return value.trim().toLowerCase();
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return raise('invalid_argument', `${field} must be a string`);
  return value;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (!value) return raise('invalid_argument', `${field} is required`);
  return value;
}

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
  const user: UserRecord = { sub, status: 'ACTIVE', failures: 0, providers: [], createdAt: ctx.now(), ...partial };
  cols(ctx).users.put(sub, user);
  return user;
}

export function accountStateCheck(user: UserRecord): void {
  if (user.status === 'BLOCKED') raise('user_blocked');
  if (user.status === 'PENDING') raise('user_pending');
}

// ── tokens ──────────────────────────────────────────────────────────────────

export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  refresh_token: string;
  expires_in: number;
  sub: string;
}

async function accessToken(ctx: BackendContext, user: UserRecord, session: SessionRecord, clientId: string): Promise<string> {
  // [?] not documented: the claim set of CloudBase access tokens. A JWT (HS256 via ctx.jwt) with
  // sub, sid (our session id), client_id and scope ("user" | "anonymous").
  return ctx.jwt.sign({ iss: ctx.baseUrl, sub: user.sub, sid: session.id, client_id: clientId, scope: user.anonymous ? 'anonymous' : 'user' }, ctx.policies.accessTokenTtlSeconds, ctx.now());
}

function newRefresh(ctx: BackendContext, session: SessionRecord): string {
  const token = randomToken('rt_');
  const expiresAt = ctx.now() + ctx.policies.refreshTokenTtlSeconds * 1000;
  cols(ctx).refresh.put(token, { token, sessionId: session.id, expiresAt });
  session.refreshToken = token;
  session.refreshExpiresAt = expiresAt;
  return token;
}

export async function issueSession(ctx: BackendContext, user: UserRecord, clientId: string): Promise<TokenResponse> {
  const session: SessionRecord = { id: randomToken('ses_', 12), sub: user.sub, refreshToken: '', refreshExpiresAt: 0, revoked: false, createdAt: ctx.now() };
  const refresh_token = newRefresh(ctx, session);
  cols(ctx).sessions.put(session.id, session);
  return { token_type: 'Bearer', access_token: await accessToken(ctx, user, session, clientId), refresh_token, expires_in: ctx.policies.accessTokenTtlSeconds, sub: user.sub };
}

/** Rotates: the presented refresh token dies, a new one is returned with a new access token. */
export async function refreshSession(ctx: BackendContext, token: string, clientId: string): Promise<TokenResponse> {
  const c = cols(ctx);
  const record = c.refresh.get(token);
  const session = record && c.sessions.get(record.sessionId);
  const user = session && c.users.get(session.sub);
  if (!record || !session || !user || session.revoked || record.rotatedAt !== undefined || record.expiresAt <= ctx.now()) {
    return raise('invalid_grant', 'refresh token is invalid, expired or revoked');
  }
  if (user.status !== 'ACTIVE') return raise('invalid_grant', 'user is not active');
  c.refresh.put(token, { ...record, rotatedAt: ctx.now() });
  const refresh_token = newRefresh(ctx, session);
  c.sessions.put(session.id, session);
  return { token_type: 'Bearer', access_token: await accessToken(ctx, user, session, clientId), refresh_token, expires_in: ctx.policies.accessTokenTtlSeconds, sub: user.sub };
}

/** The live session and user behind an access token, or null (bad signature, expired at ctx.now(), revoked). */
export async function verifyAccess(ctx: BackendContext, token: string): Promise<{ user: UserRecord; session: SessionRecord } | null> {
  const claims = await ctx.jwt.verify(token);
  if (!claims || claims.iss !== ctx.baseUrl || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp * 1000 <= ctx.now()) return null;
  const c = cols(ctx);
  const session = c.sessions.get(claims.sid);
  const user = session && c.users.get(session.sub);
  if (!session || !user || session.revoked) return null;
  return { user, session };
}

export function revokeSession(ctx: BackendContext, session: SessionRecord): void {
  const c = cols(ctx);
  c.sessions.put(session.id, { ...session, revoked: true });
  c.refresh.delete(session.refreshToken);
}

// ── captcha ─────────────────────────────────────────────────────────────────

/**
 * Demands a captcha (captcha_required) unless the request carries a live captcha token, sent as
 * the `x-captcha-token` header (PROVIDERS.md §6.1) or, as the 2022 SDK does, the `captcha_token`
 * query parameter. A token stays valid until it expires (the SDK caches and reuses it) [?].
 */
export function requireCaptcha(ctx: BackendContext, request: Request): void {
  const token = request.headers.get('x-captcha-token') ?? new URL(request.url).searchParams.get('captcha_token');
  if (!token) return raise('captcha_required');
  const record = cols(ctx).captchas.get(token);
  if (!record || record.kind !== 'token' || record.expiresAt <= ctx.now()) return raise('captcha_invalid');
}
