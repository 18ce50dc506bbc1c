// Janrain's one application and flow, its stored records (users and grants, every secret kept as a
// digest) and its policies: the lock-out per email and the emailed codes, with the server's numbers.
import { contextCodeIssuer, contextLockout, sha256, type BackendContext, type Collection } from '../kit/index.js';

// ── configuration (one application, one flow) ───────────────────────────────

export const JANRAIN_CONFIG = {
  loginClientId: 'janrain-login-client',
  apiClientId: 'janrain-api-client',
  apiClientSecret: 'janrain-api-secret',
  flow: 'standard',
  flowVersion: '20240101',
  locales: ['en-US', 'zh-CN'] as const,
  /** `http://127.0.0.1:*` and `http://localhost:*`, any path. */
  redirectHosts: ['127.0.0.1', 'localhost'],
  // [?] not documented: Janrain's code lifetime; "short-lived" — 30 s is what the relay needs.
  authorizationCodeTtlSeconds: 30,
  minPasswordLength: 8, // [?] not documented: the flow's password rule is app config
} as const;

// [?] not documented: `changePasswordFormNoAuth` (a new password after a reset link) is the usual
// name of the standard flow's form.
export const FORMS = { signIn: 'signInForm', registration: 'registrationForm', forgot: 'forgotPasswordForm', verify: 'resendVerificationForm', newPassword: 'changePasswordFormNoAuth' } as const;

export type Locale = (typeof JANRAIN_CONFIG.locales)[number];

// ── stored records ──────────────────────────────────────────────────────────

export interface JanrainUser {
  id: number;
  uuid: string;
  email: string; // lower-cased
  passwordHash: string | null; // null: a social-only account (code 211)
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  emailVerified: string | null;
  created: string;
  lastUpdated: string;
  lastLogin: string | null;
  /** Demo only: permanently locked (answers like a lock-out, 214 [?]). */
  locked?: boolean;
}
export interface Grant {
  /** sha256 of the secret value: the record's id (the value itself is never stored). */
  key: string;
  kind: 'authorization_code' | 'access_token' | 'refresh_token';
  uuid: string;
  expiresAt: number;
  clientId: string;
  redirectUri?: string;
  family?: string; // refresh rotation family
  usedAt?: number; // refresh tokens: rotated already (reuse revokes the family)
}

export const collections = (ctx: BackendContext) => ({
  users: ctx.store.collection<JanrainUser>('janrain.users'),
  grants: ctx.store.collection<Grant>('janrain.grants'), // keyed by sha256 of the secret value
});

/** What an emailed code (a reset or verify-email link) is bound to. */
export interface EmailCode {
  uuid: string;
  clientId: string;
}

/**
 * Failures are counted per email, known or not (an unknown email answers like a wrong password);
 * one email per address per send interval; a code lives otpTtlSeconds and is used once.
 */
export function policies(ctx: BackendContext) {
  return {
    lockout: contextLockout(ctx, 'janrain.lockout'),
    codes: contextCodeIssuer<EmailCode>(ctx, { codes: 'janrain.codes', sends: 'janrain.sends' }),
  };
}

export const digest = (value: string) => sha256(value, 'base64url');
export const normalizeEmail = (value: string) => value.trim().toLowerCase();
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Capture's timestamp format, e.g. `2024-01-01 12:00:00.000000 +0000`. */
export function captureTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-01T12:00:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000 +0000`;
}

export function captureUser(user: JanrainUser) {
  return {
    id: user.id,
    uuid: user.uuid,
    email: user.email,
    emailVerified: user.emailVerified,
    givenName: user.givenName,
    familyName: user.familyName,
    displayName: user.displayName,
    created: user.created,
    lastUpdated: user.lastUpdated,
    lastLogin: user.lastLogin,
  };
}


export function nextId(users: Collection<JanrainUser>): number {
  return users.values().reduce((max, u) => Math.max(max, u.id), 1000) + 1;
}

