import { AuthError, type AuthErrorCode } from '../../core/errors.js';
import type { HttpResponse } from '../../core/http.js';
import { fallbackCode, readString, transportFailure } from '../shared/responses.js';

/**
 * CloudBase `/auth/v1` error names (`error` of the `{ error, error_code, error_description }`
 * envelope) onto ours. Each group cites its row of PROVIDERS.md §6.5.
 */
export const CLOUDBASE_ERRORS: Record<string, AuthErrorCode> = {
  // §6.5 row "invalid_password | signin | invalid_credentials" [C]
  invalid_password: 'invalid_credentials',
  // §6.5 row "not_found, user_not_found (4004) | user_not_found" [C]
  not_found: 'user_not_found',
  user_not_found: 'user_not_found',
  // §6.5 row "invalid_status (too many wrong passwords) | account_locked" [C]
  invalid_status: 'account_locked',
  // §6.5 row "user_blocked, user_pending | account_disabled" [C]
  user_blocked: 'account_disabled',
  user_pending: 'account_disabled',
  // §6.5 row "phone_required | mfa_required" [C]
  phone_required: 'mfa_required',
  // §6.5 row "two_factor_required, invalid_two_factor | mfa_required / invalid_code" [C, enum only]
  two_factor_required: 'mfa_required',
  invalid_two_factor: 'invalid_code',
  // §6.5 row "invalid_verification_code | invalid_code" [C, enum only]
  invalid_verification_code: 'invalid_code',
  // §6.5 row "captcha_required (4028), captcha_invalid | captcha_required" [C]
  captcha_required: 'captcha_required',
  captcha_invalid: 'captcha_required',
  // §6.5 row "rate_limit_exceeded (4029), resource_exhausted | rate_limited" [C]
  rate_limit_exceeded: 'rate_limited',
  resource_exhausted: 'rate_limited',
  // §6.5 row "invalid_phone_number (4001), invalid_argument, invalid_request, out_of_range, failed_precondition | invalid_request" [C]
  invalid_phone_number: 'invalid_request',
  invalid_argument: 'invalid_request',
  invalid_request: 'invalid_request',
  out_of_range: 'invalid_request',
  failed_precondition: 'invalid_request',
  // §6.5 row "permission_denied, unauthorized_client, login method disabled | config" [C]
  // ([?] the code name of "login method disabled" is not documented; it arrives as one of these or falls back.)
  permission_denied: 'config',
  unauthorized_client: 'config',
  // §6.5 row "unauthenticated, invalid_grant on refresh; ACCESS_TOKEN_EXPIRED, REFRESH_TOKEN_EXPIRED, INVALID_REFRESH_TOKEN | session_expired" [C]
  unauthenticated: 'session_expired',
  ACCESS_TOKEN_EXPIRED: 'session_expired',
  REFRESH_TOKEN_EXPIRED: 'session_expired',
  INVALID_REFRESH_TOKEN: 'session_expired',
  // §6.5 row "unreachable, CORS rejection | network" [C]
  unreachable: 'network',
  // §6.5 row "internal, unavailable, deadline_exceeded, server_error, SYS_ERR, SERVER_TIMEOUT | server" [C]
  internal: 'server',
  unavailable: 'server',
  deadline_exceeded: 'server',
  server_error: 'server',
  SYS_ERR: 'server',
  SERVER_TIMEOUT: 'server',
  // §6.5 row "invalid_code, code_expired, max_attempts_exceeded, invalid_phone (seed v3) |
  // invalid_code / code_expired / rate_limited / invalid_request" [S]. code_expired also answers
  // the "expired verification_id or verification_token" row, whose exact code is [?].
  invalid_code: 'invalid_code',
  code_expired: 'code_expired',
  max_attempts_exceeded: 'rate_limited',
  invalid_phone: 'invalid_request',
  // [?] Not in §6.5: `already_exists` is a value of the SDK's ErrorType enum; the emulation
  // answers it for a sign-up of a taken contact or username.
  already_exists: 'user_exists',
};

/** The four numeric `error_code`s §6.4/§6.5 document, for an envelope whose `error` we do not know. */
const NUMERIC_ERRORS: Record<number, AuthErrorCode> = {
  4001: 'invalid_request',
  4004: 'user_not_found',
  4028: 'captcha_required',
  4029: 'rate_limited',
};

/** Short, fixed English text: the backend's description may echo what was typed. */
const MESSAGES: Partial<Record<AuthErrorCode, string>> = {
  invalid_credentials: 'Wrong username or password.',
  user_not_found: 'No account was found for this sign-in.',
  user_exists: 'An account already exists for this sign-in.',
  account_locked: 'Too many wrong passwords. Try again later.',
  account_disabled: 'This account is disabled or not yet active.',
  mfa_required: 'This account must finish signing in with an SMS code.',
  invalid_code: 'The code is not correct.',
  code_expired: 'The code has expired. Request a new one.',
  captcha_required: 'Complete the security check, then try again.',
  rate_limited: 'Too many requests. Please wait and try again.',
  invalid_request: 'The request was not accepted.',
  config: 'This sign-in method is not enabled for this app.',
  session_expired: 'Your session has expired. Please sign in again.',
  network: 'Could not reach the server.',
  server: 'The server failed. Please try again.',
};

/**
 * What a failed call meant. `invalid_grant` depends on what was presented: a refresh token
 * (`refresh` → session_expired) or a provider code / id token (`code` → code_expired).
 */
export function cloudbaseError(response: HttpResponse, grant: 'refresh' | 'code' | 'other' = 'other'): AuthError {
  const body = response.body;
  const error = readString(body, 'error');
  const numeric = Number((body as Record<string, unknown> | undefined)?.error_code);
  // Not CloudBase's envelope (an HTML page, an empty or malformed body, a bare 429): shared rules.
  if (!error && !NUMERIC_ERRORS[numeric]) {
    return transportFailure(response) ?? new AuthError(fallbackCode(response.status), `The server failed (HTTP ${response.status}).`, { status: response.status });
  }
  const { status } = response;
  const retryAfter = retryAfterOf(response);
  let code: AuthErrorCode;
  if (error === 'invalid_grant') code = grant === 'refresh' ? 'session_expired' : grant === 'code' ? 'code_expired' : 'invalid_request';
  else code = (error && Object.hasOwn(CLOUDBASE_ERRORS, error) ? CLOUDBASE_ERRORS[error] : NUMERIC_ERRORS[numeric]) ?? fallbackCode(status);
  // DESIGN.md: a 429 (or a 503 with Retry-After) is reported as rate_limited whatever the body says.
  if (status === 429 || (status === 503 && retryAfter !== undefined)) code = 'rate_limited';
  const fields = error === 'invalid_phone_number' || error === 'invalid_phone' ? { phone: 'Use a number like +86 13800000000.' } : undefined;
  return new AuthError(code, MESSAGES[code] ?? 'The request failed.', {
    providerCode: error ?? numeric,
    status,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(fields ? { fields } : {}),
  });
}

function retryAfterOf(response: HttpResponse): number | undefined {
  if (!response.headers.has('retry-after')) return undefined;
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
