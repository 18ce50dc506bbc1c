// Zhuyun IDaaS records, tenant settings and the lock-out with this backend's numbers.
import { contextLockout, type BackendContext } from '../kit/index.js';

export const NAME = 'zhuyun-idaas';
export const CLIENT_ID = 'zhuyun-demo-client';

/** State tokens (PASSWORD_WARN / PASSWORD_EXPIRED → skip or change). */
// [?] not documented: state-token lifetime; 5 minutes here.
export const STATE_TTL_MS = 5 * 60 * 1000;
/** id_token lifetime: bccastle documents 5 minutes by default [C]. */
export const ID_TOKEN_TTL_SECONDS = 300;
// [?] not documented (tenant-configured): the password-age policy. Expired after 90 days,
// PASSWORD_WARN in the last 15 days before that.
const PASSWORD_MAX_AGE_DAYS = 90;
const PASSWORD_WARN_DAYS = 15;
export const DAY_MS = 86_400_000;

// The password policy the seed shows verbatim [C] (`data` is this object as a JSON string, in this key order).
const POLICY_REGEX =
  '^(?![a-zA-Z]+$)(?![A-Z0-9]+$)(?![A-Z~!#$%&+\\-,*:;<=>@_?^、`~\\./]+$)(?![a-z0-9]+$)(?![a-z~!#$%&+\\-,*:;<=>@_?^、`~\\./]+$)(?![0-9~!#$%&+\\-,*:;<=>@_?^、`~\\./]+$)[a-zA-Z0-9~!#$%&+\\-,*:;<=>@_?^、`~\\./]{1,}$';
export const POLICY = { maxLength: 18, minLength: 8, regEx: POLICY_REGEX } as const;
export const POLICY_TIP = {
  zh: '至少包含数字、大写字母、小写字母和特殊字符中的3种', // [C] the seed's tip
  // [?] not documented: the tip is tenant text (the seed shows only Chinese); English under X-L=en.
  en: 'Use at least 3 of: digits, uppercase letters, lowercase letters and special characters',
};
export const policyRegex = new RegExp(POLICY_REGEX);

// ── records ─────────────────────────────────────────────────────────────────

export type AccountState = 'active' | 'disabled' | 'access_denied' | 'busy';

export interface UserRecord {
  id: string;
  mobile: string;
  name: string;
  passwordHash: string;
  /** Epoch ms of the last password change; PASSWORD_WARN / PASSWORD_EXPIRED derive from it. */
  passwordChangedAt: number;
  /**
   * For a seeded account whose password was never changed: its demo password age in days, which
   * `seed` re-applies at every start so the account reaches the same state after a restart.
   * Cleared by a password change.
   */
  seededAgeDays?: number;
  state: AccountState;
}


export interface StateRecord {
  token: string;
  userId: string;
  kind: 'PASSWORD_WARN' | 'PASSWORD_EXPIRED';
  clientId: string;
  expiresAt: number;
}

export interface SessionRecord {
  token: string;
  userId: string;
  clientId: string;
  expiresAt: number;
}

export const collections = (ctx: BackendContext) => ({
  users: ctx.store.collection<UserRecord>(`${NAME}.users`),
  states: ctx.store.collection<StateRecord>(`${NAME}.states`),
  sessions: ctx.store.collection<SessionRecord>(`${NAME}.sessions`),
});

/**
 * Failed passwords are counted per mobile, known or not, so the answer does not reveal which:
 * LOGIN.0002 with the count left, LOGIN.0001 with the unlock time once locked.
 */
export const policies = (ctx: BackendContext) => ({
  lockout: contextLockout(ctx, `${NAME}.lockout`),
});

export function passwordStatus(user: UserRecord, now: number): 'SUCCESS' | 'PASSWORD_WARN' | 'PASSWORD_EXPIRED' {
  const age = now - user.passwordChangedAt;
  if (age >= PASSWORD_MAX_AGE_DAYS * DAY_MS) return 'PASSWORD_EXPIRED';
  if (age >= (PASSWORD_MAX_AGE_DAYS - PASSWORD_WARN_DAYS) * DAY_MS) return 'PASSWORD_WARN';
  return 'SUCCESS';
}

/** Drops expired state tokens and sessions (their records carry their own ids). */
export function prune(ctx: BackendContext) {
  const now = ctx.now();
  const { states, sessions } = collections(ctx);
  for (const record of states.values()) if (record.expiresAt <= now) states.delete(record.token);
  for (const record of sessions.values()) if (record.expiresAt <= now) sessions.delete(record.token);
}
