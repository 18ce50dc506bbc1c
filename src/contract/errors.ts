import type { PasswordPolicy } from './policy.js';

/**
 * The one error type of auth-elements. `code` is normalized across backends and doubles as the
 * translation key; `providerCode` keeps the backend's own code for support tickets.
 */
export const AuthErrorCode = {
  invalid_credentials: 'invalid_credentials',
  user_not_found: 'user_not_found',
  user_exists: 'user_exists',
  account_locked: 'account_locked',
  account_disabled: 'account_disabled',
  invalid_code: 'invalid_code',
  code_expired: 'code_expired',
  too_many_attempts: 'too_many_attempts',
  rate_limited: 'rate_limited',
  password_expired: 'password_expired',
  password_policy: 'password_policy',
  mfa_required: 'mfa_required',
  captcha_required: 'captcha_required',
  invalid_request: 'invalid_request',
  session_expired: 'session_expired',
  config: 'config',
  network: 'network',
  timeout: 'timeout',
  server: 'server',
  unsupported: 'unsupported',
  cancelled: 'cancelled',
} as const;

export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

/** The form fields an error can be about. */
export type FormField = 'identifier' | 'email' | 'phone' | 'username' | 'password' | 'newPassword' | 'confirmPassword' | 'code' | 'captcha' | 'name' | 'picture' | 'consent';

/** Why a field's value was refused: a key of i18n's field messages, never a sentence. */
export type FieldProblem =
  | 'required'
  | 'invalid'
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_url'
  | 'taken'
  | 'too_short'
  | 'too_long'
  | 'pattern'
  | 'reused'
  | 'too_simple'
  | 'mismatch'
  | 'not_accepted';

export interface AuthErrorInit {
  /** The backend's own error code or name, kept verbatim. */
  providerCode?: string | number;
  /** HTTP status of the response that carried the error, when there was one. */
  status?: number;
  /** Seconds to wait before trying again (from `Retry-After` or the backend). */
  retryAfter?: number;
  /** Attempts left before a lock-out, when the backend says. */
  remainingAttempts?: number;
  /** Epoch seconds when a locked account unlocks, when the backend says. */
  lockedUntil?: number;
  /** Which fields are in error and why, as codes; `fields` holds the same in words. */
  invalid?: Partial<Record<FormField, FieldProblem>>;
  /** Field → its localized message. Written by the client's localization, not by adapters. */
  fields?: Record<string, string>;
  /** The rules a refused new password broke (`password_policy`); `tip` is the backend's own text. */
  policy?: PasswordPolicy;
  cause?: unknown;
}

// Symbol.for so that the guard recognises errors made by another copy of the library on the page.
const BRAND = Symbol.for('auth-elements.AuthError');

/**
 * `message` is the localized sentence the elements show (the client writes it in its `lang`);
 * an error made by an adapter carries only its code and parameters until then.
 *
 * @example
 * const { error } = await client.signInWithPassword({ email, password });
 * if (error?.code === 'invalid_credentials') showAttemptsLeft(error.remainingAttempts);
 */
export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly providerCode?: string | number;
  readonly status?: number;
  readonly retryAfter?: number;
  readonly remainingAttempts?: number;
  readonly lockedUntil?: number;
  readonly invalid?: Partial<Record<FormField, FieldProblem>>;
  readonly fields?: Record<string, string>;
  readonly policy?: PasswordPolicy;

  constructor(code: AuthErrorCode, message?: string | AuthErrorInit, init: AuthErrorInit = {}) {
    if (typeof message === 'object') [init, message] = [message, undefined];
    super(message || code, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AuthError';
    this.code = code;
    if (init.providerCode !== undefined) this.providerCode = init.providerCode;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
    if (init.remainingAttempts !== undefined) this.remainingAttempts = init.remainingAttempts;
    if (init.lockedUntil !== undefined) this.lockedUntil = init.lockedUntil;
    if (init.invalid !== undefined) this.invalid = init.invalid;
    if (init.fields !== undefined) this.fields = init.fields;
    if (init.policy !== undefined) this.policy = init.policy;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Plain data for logs and events: no stack, no cause (which may hold a request). */
  toJSON() {
    const { code, message, providerCode, status, retryAfter, remainingAttempts, lockedUntil, invalid, fields } = this;
    return { name: 'AuthError', code, message, providerCode, status, retryAfter, remainingAttempts, lockedUntil, invalid, fields };
  }
}

/** The same error with its words (message and field messages) replaced. */
export function rewordAuthError(error: AuthError, message: string, fields?: Record<string, string>): AuthError {
  const { code, providerCode, status, retryAfter, remainingAttempts, lockedUntil, invalid, policy } = error;
  return new AuthError(code, message, { providerCode, status, retryAfter, remainingAttempts, lockedUntil, invalid, policy, fields, cause: error.cause });
}

/** True for an `AuthError` from any copy of auth-elements. */
export function isAuthError(value: unknown): value is AuthError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Wraps anything thrown into an `AuthError`, keeping one that already is. */
export function toAuthError(value: unknown, fallback: AuthErrorCode = 'server'): AuthError {
  if (isAuthError(value)) return value;
  const name = (value as Error | null)?.name;
  if (name === 'TimeoutError') return new AuthError('timeout', { cause: value });
  if (name === 'AbortError') return new AuthError('cancelled', { cause: value });
  return new AuthError(fallback, value instanceof Error ? value.message : String(value), { cause: value });
}

/** Every action of the client resolves to `{ data, error }`; an expected failure never throws. */
export type AuthResult<T> = { data: T; error: null } | { data: { [K in keyof T]: null }; error: AuthError };
