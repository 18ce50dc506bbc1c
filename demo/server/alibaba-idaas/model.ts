// State of the Alibaba IDaaS emulation: users, app and user tokens, one-time codes, flows,
// captchas, social identities, all in `ctx.store` collections named `alibaba-idaas.<name>`.
import { randomUUID } from 'node:crypto';
import { hashPassword, randomCode, randomToken, type BackendContext, type Collection } from '../kit/index.js';
import { APP_TOKEN_TTL_S, BACKEND, CLIENT_ID, IDAAS_APP_ID, throttled, Answer, type Contact } from './protocol.js';

export interface User {
  /** The CIAM user id, returned as `uuid`. */
  id: string;
  username: string;
  phoneRegion?: string;
  phoneNumber?: string;
  email?: string;
  passwordHash?: string;
  /** `locked` and `disabled` are set by an administrator (seeded accounts). */
  status: 'active' | 'locked' | 'disabled';
  /** A second factor is required after the first. */
  mfa?: boolean;
  /** An image captcha is always demanded at password login. */
  captchaAlways?: boolean;
  /** Terms not yet agreed: password login answers NEED_AGREE_CONSENT until `agreeConsent`. */
  consentPending?: boolean;
  failures: number;
  lockedUntil?: number;
  createdAt: number;
}

export interface AppToken { token: string; clientId: string; scope: string; expiresAt: number }
export interface UserToken { token: string; userId: string; expiresAt: number; kind: 'access' | 'refresh' }
export interface OtpCode { id: string; code: string; fId: string; userId?: string; expiresAt: number; attempts: number }
export interface Flow {
  fId: string;
  userId: string;
  firstFactor: 'PWD' | 'SMS' | 'EMAIL' | 'SOCIAL';
  responseType: 'token' | 'code';
  expiresAt: number;
}
export interface Captcha { id: string; text: string; expiresAt: number }
export interface AuthCode { code: string; userId: string; expiresAt: number }
export interface SocialIdentity { id: string; name: string; userId?: string }
export interface SocialCode { code: string; identityId: string; expiresAt: number }

export function collections(ctx: BackendContext) {
  const c = <T>(name: string): Collection<T> => ctx.store.collection<T>(`${BACKEND}.${name}`);
  return {
    users: c<User>('users'),
    appTokens: c<AppToken>('appTokens'),
    tokens: c<UserToken>('tokens'),
    codes: c<OtpCode>('codes'),
    flows: c<Flow>('flows'),
    captchas: c<Captcha>('captchas'),
    authCodes: c<AuthCode>('authCodes'),
    social: c<SocialIdentity>('socialIdentities'),
    socialCodes: c<SocialCode>('socialCodes'),
    sends: c<{ at: number }>('sends'),
  };
}
export type Collections = ReturnType<typeof collections>;

// ── users ───────────────────────────────────────────────────────────────────

export function findUserByLogin(db: Collections, login: string): User | undefined {
  const text = login.trim();
  const lower = text.toLowerCase();
  const digits = text.replace(/[\s-]/g, '').replace(/^\+86/, '');
  return db.users.find((u) => u.username.toLowerCase() === lower || u.email === lower || (!!u.phoneNumber && u.phoneNumber === digits));
}

export function findUserByContact(db: Collections, contact: Contact): User | undefined {
  return db.users.find((u) => (contact.type === 'SMS' ? !!u.phoneNumber && `+${u.phoneRegion ?? '86'}${u.phoneNumber}` === contact.key : u.email === contact.key));
}

export function newUserId(): string {
  return randomUUID().replace(/-/g, '');
}

// ── tokens ──────────────────────────────────────────────────────────────────

export function issueAppToken(db: Collections, ctx: BackendContext, scope: string): AppToken {
  const record: AppToken = { token: randomToken('ali_app_'), clientId: CLIENT_ID, scope, expiresAt: ctx.now() + APP_TOKEN_TTL_S * 1000 };
  db.appTokens.put(record.token, record);
  return record;
}

/** The app token from `?access_token=` [T] or `Authorization: Bearer` [?]; null when missing or not valid. */
export function checkAppToken(db: Collections, ctx: BackendContext, request: Request): AppToken | null {
  const url = new URL(request.url);
  const header = request.headers.get('authorization') ?? '';
  const token = url.searchParams.get('access_token') || (/^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : '');
  if (!token) return null;
  const record = db.appTokens.get(token);
  if (!record) return null;
  if (record.expiresAt <= ctx.now()) {
    db.appTokens.delete(token);
    return null;
  }
  return record;
}

/** The user's tokens, as in the seed's response example (`data` of the success envelope). */
export async function issueUserTokens(db: Collections, ctx: BackendContext, user: User) {
  const now = ctx.now();
  const access: UserToken = { token: randomToken('ali_at_'), userId: user.id, kind: 'access', expiresAt: now + ctx.policies.accessTokenTtlSeconds * 1000 };
  const refresh: UserToken = { token: randomToken('ali_rt_'), userId: user.id, kind: 'refresh', expiresAt: now + ctx.policies.refreshTokenTtlSeconds * 1000 };
  db.tokens.put(access.token, access);
  db.tokens.put(refresh.token, refresh);
  const idToken = await ctx.jwt.sign(
    {
      iss: `${ctx.baseUrl}/api/bff/v1.2/developer/ciam`,
      sub: user.id,
      aud: CLIENT_ID,
      loginName: user.username,
      idaasAppId: IDAAS_APP_ID,
      ...(user.phoneNumber ? { phone_number: user.phoneNumber } : {}),
      ...(user.email ? { email: user.email } : {}),
    },
    ctx.policies.accessTokenTtlSeconds,
    now,
  );
  return {
    userId: user.id,
    uuid: user.id,
    access_token: access.token,
    token_type: 'bearer',
    refresh_token: refresh.token,
    expires_in: ctx.policies.accessTokenTtlSeconds,
    scope: 'USER_API',
    id_token: idToken,
  };
}

export function liveToken(db: Collections, ctx: BackendContext, token: string, kind: UserToken['kind']): UserToken | undefined {
  const record = db.tokens.get(token);
  if (!record || record.kind !== kind) return undefined;
  if (record.expiresAt <= ctx.now()) {
    db.tokens.delete(token);
    return undefined;
  }
  return record;
}

// ── one-time codes and the send rate limit ──────────────────────────────────

/** 429 + Retry-After inside `sendIntervalSeconds` of the last send to this recipient. */
export function checkSendRate(db: Collections, ctx: BackendContext, to: string): void {
  const last = db.sends.get(to);
  const wait = last ? last.at + ctx.policies.sendIntervalSeconds * 1000 - ctx.now() : 0;
  if (wait > 0) throw new Answer(throttled(ctx.now(), wait / 1000));
}

/** Makes a code for `purpose` to `to`, records the send and delivers it to the outbox. */
export function sendCode(db: Collections, ctx: BackendContext, purpose: string, channel: 'sms' | 'email', to: string, fId: string, userId?: string): OtpCode {
  checkSendRate(db, ctx, to);
  const record: OtpCode = { id: `${purpose}|${to}`, code: randomCode(6), fId, userId, expiresAt: ctx.now() + ctx.policies.otpTtlSeconds * 1000, attempts: 0 };
  db.codes.put(record.id, record);
  db.sends.put(to, { at: ctx.now() });
  const minutes = Math.max(1, Math.round(ctx.policies.otpTtlSeconds / 60));
  ctx.outbox.deliver({ backend: BACKEND, channel, to, purpose, code: record.code, text: `[Alibaba IDaaS demo] Your ${purpose.replace(/_/g, ' ')} code is ${record.code}. It expires in ${minutes} min.` });
  return record;
}

export type CodeCheck = 'ok' | 'expired' | 'wrong' | 'burnt';

/** Checks a code: a match consumes it; `otpMaxAttempts` wrong tries burn it. */
export function checkCode(db: Collections, ctx: BackendContext, purpose: string, to: string, code: string, fId: string | undefined): { result: CodeCheck; record?: OtpCode } {
  const id = `${purpose}|${to}`;
  const record = db.codes.get(id);
  if (!record || (fId && record.fId !== fId)) return { result: 'expired' };
  if (record.expiresAt <= ctx.now()) {
    db.codes.delete(id);
    return { result: 'expired' };
  }
  if (record.code !== code.trim()) {
    record.attempts += 1;
    if (record.attempts >= ctx.policies.otpMaxAttempts) {
      db.codes.delete(id);
      return { result: 'burnt' };
    }
    db.codes.put(id, record);
    return { result: 'wrong' };
  }
  db.codes.delete(id);
  return { result: 'ok', record };
}

// ── flows ───────────────────────────────────────────────────────────────────

export function newFlowId(now: number): string {
  // The documented example looks like `2022…_Y_03`: a date-ish prefix and a suffix.
  return `${new Date(now).toISOString().slice(0, 10).replace(/-/g, '')}${randomToken('', 12)}_Y_03`;
}

// ── seed ────────────────────────────────────────────────────────────────────

export const SEED_PASSWORD = 'demo-password';

const SEED_USERS: Array<Omit<User, 'id' | 'passwordHash' | 'failures' | 'createdAt'>> = [
  { username: 'demo', phoneRegion: '86', phoneNumber: '13800000020', email: 'demo@alibaba.example', status: 'active' },
  { username: 'mfa', phoneRegion: '86', phoneNumber: '13800000021', status: 'active', mfa: true },
  { username: 'locked', phoneRegion: '86', phoneNumber: '13800000022', status: 'locked' },
  { username: 'disabled', phoneRegion: '86', phoneNumber: '13800000023', status: 'disabled' },
  { username: 'captcha', phoneRegion: '86', phoneNumber: '13800000024', status: 'active', captchaAlways: true },
  { username: 'consent', phoneRegion: '86', phoneNumber: '13800000025', status: 'active', consentPending: true },
];

export async function seed(ctx: BackendContext): Promise<void> {
  const db = collections(ctx);
  const missing = SEED_USERS.filter((s) => !db.users.find((u) => u.username === s.username));
  if (missing.length) {
    const passwordHash = await hashPassword(SEED_PASSWORD);
    for (const s of missing) {
      const user: User = { ...s, id: newUserId(), passwordHash, failures: 0, createdAt: ctx.now() };
      db.users.put(user.id, user);
    }
  }
  const demo = db.users.find((u) => u.username === 'demo');
  if (!db.social.get('wx_demo')) db.social.put('wx_demo', { id: 'wx_demo', name: 'Demo (bound to demo)', userId: demo?.id });
  if (!db.social.get('wx_new')) db.social.put('wx_new', { id: 'wx_new', name: 'New person (not bound)' });
}
