// State of the Alibaba IDaaS emulation: users, app and user tokens, flows, captchas, social
// identities, all in `ctx.store` collections named `alibaba-idaas.<name>`, and the policies (the
// lock-out, the one-time codes) with this backend's numbers.
import { randomUUID } from 'node:crypto';
import { contextCodeIssuer, contextLockout, randomToken, type BackendContext, type Collection } from '../kit/index.js';
import { BACKEND, type Contact } from './protocol.js';

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
  createdAt: number;
}

export interface AppToken { token: string; clientId: string; scope: string; expiresAt: number }
export interface UserToken { token: string; userId: string; expiresAt: number; kind: 'access' | 'refresh' }
/** What a one-time code is bound to: the flow it belongs to and, for a sign-in, the user. */
export interface CodeBinding { fId: string; userId?: string }
export interface Flow {
  fId: string;
  userId: string;
  firstFactor: 'PWD' | 'SMS' | 'EMAIL' | 'SOCIAL';
  responseType: 'token' | 'code';
  expiresAt: number;
  /** The application a social sign-in named in `state: "ID:{idaasAppId}"` [S]; the default app otherwise. */
  appId?: string;
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
    flows: c<Flow>('flows'),
    captchas: c<Captcha>('captchas'),
    authCodes: c<AuthCode>('authCodes'),
    social: c<SocialIdentity>('socialIdentities'),
    socialCodes: c<SocialCode>('socialCodes'),
  };
}
export type Collections = ReturnType<typeof collections>;
/** A route below the CIAM base. */
export type Handler = (request: Request, ctx: BackendContext, db: Collections) => Promise<Response>;

/** Wrong passwords lock a user (`Operation.Failure.User.Locked`); a code goes to one recipient per interval. */
export function policies(ctx: BackendContext) {
  return {
    lockout: contextLockout(ctx, `${BACKEND}.lockout`),
    codes: contextCodeIssuer<CodeBinding>(ctx, { codes: `${BACKEND}.otpCodes`, sends: `${BACKEND}.sends` }),
  };
}

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

// ── flows ───────────────────────────────────────────────────────────────────

export function newFlowId(now: number): string {
  // The documented example looks like `2022…_Y_03`: a date-ish prefix and a suffix.
  return `${new Date(now).toISOString().slice(0, 10).replace(/-/g, '')}${randomToken('', 12)}_Y_03`;
}
