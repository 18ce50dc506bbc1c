import { AuthError, type AuthErrorCode, type AuthErrorInit, type HttpResponse } from '../../contract/index.js';
import { fallbackCode, readString, transportFailure } from '../shared/responses.js';

/**
 * CloudBase `/auth/v1` error names (`error` of the `{ error, error_code, error_description }`
 * envelope, or the gateway's `code`, PROVIDERS.md §6.1) onto ours. Each row cites where its name
 * is recorded: §6.1's list of the names `@cloudbase/js-sdk` 3.7 knows [C], the seed [S], or
 * nothing [?]. `invalid_argument` and `failed_precondition` are read with their description
 * (cloudbaseError), as the SDK itself reads them.
 */
export const CLOUDBASE_ERRORS: Record<string, AuthErrorCode> = {
  // §6.1 [C]: the credential names the SDK says the server answers.
  invalid_password: 'invalid_credentials',
  invalid_username_or_password: 'invalid_credentials',
  invalid_credentials: 'invalid_credentials',
  wrong_password: 'invalid_credentials',
  // §6.1 [C]: the account has no password, so none is right.
  password_not_set: 'invalid_credentials',
  not_found: 'user_not_found',
  user_not_found: 'user_not_found',
  // §6.1 [C] invalid_status: too many wrong passwords.
  invalid_status: 'account_locked',
  user_blocked: 'account_disabled',
  user_pending: 'account_disabled',
  under_review: 'account_disabled',
  // §6.1 [C]; mfa_phone_required (4042) becomes a `second_factor` step of a password sign-in.
  mfa_phone_required: 'mfa_required',
  two_factor_required: 'mfa_required',
  invalid_two_factor: 'invalid_code',
  invalid_two_factor_recovery: 'invalid_code',
  invalid_verification_code: 'invalid_code',
  // §6.1 [C] 4001 / 4002; api.ts makes them a `captcha` step.
  captcha_required: 'captcha_required',
  captcha_invalid: 'captcha_required',
  // §6.1 [C] resource_exhausted (8), with `retry_after` in the body.
  resource_exhausted: 'rate_limited',
  invalid_argument: 'invalid_request',
  failed_precondition: 'invalid_request',
  out_of_range: 'invalid_request',
  invalid_request: 'invalid_request',
  invalid_scope: 'invalid_request',
  unsupported_response_type: 'invalid_request',
  already_exists: 'user_exists',
  // §6.1 [C]: the console must enable the source or the way of signing in.
  permission_denied: 'config',
  unauthorized_client: 'config',
  provider_not_enabled: 'config',
  login_method_disabled: 'config',
  login_type_disabled: 'config',
  access_denied: 'cancelled',
  unimplemented: 'unsupported',
  unauthenticated: 'session_expired',
  // §6.1: the SDK's name for a body that is not JSON [C]
  unreachable: 'network',
  internal: 'server',
  unavailable: 'server',
  deadline_exceeded: 'server',
  aborted: 'server',
  data_loss: 'server',
  server_error: 'server',
  temporarily_unavailable: 'server',
  // [?] a third-party source failed (4019).
  provider_error: 'server',
  // [?] gateway codes (`{ code, message }`), not in §6.1.
  ACCESS_TOKEN_EXPIRED: 'session_expired',
  REFRESH_TOKEN_EXPIRED: 'session_expired',
  INVALID_REFRESH_TOKEN: 'session_expired',
  SYS_ERR: 'server',
  SERVER_TIMEOUT: 'server',
  // The seed's v3 names (its phone-code page switches on them) [S].
  invalid_code: 'invalid_code',
  code_expired: 'code_expired',
  max_attempts_exceeded: 'too_many_attempts',
  invalid_phone: 'invalid_request',
  // [?] an older emulation's name for a refused phone number.
  invalid_phone_number: 'invalid_request',
};

/** Numeric `error_code`s (§6.1 [C]), for an envelope whose name is missing or unknown. */
const NUMERIC_ERRORS: Record<number, AuthErrorCode> = {
  3: 'invalid_request',
  5: 'user_not_found',
  7: 'config',
  8: 'rate_limited',
  9: 'invalid_request',
  10: 'server',
  12: 'unsupported',
  13: 'server',
  14: 'server',
  16: 'session_expired',
  4001: 'captcha_required',
  4002: 'captcha_required',
  4019: 'server',
  4022: 'config',
  4042: 'mfa_required',
  4045: 'config',
};

/** The form field an error is about (a code, never a sentence). */
const FIELD_ERRORS: Record<string, AuthErrorInit['invalid']> = {
  invalid_phone_number: { phone: 'invalid_phone' },
  invalid_phone: { phone: 'invalid_phone' },
  // The captcha_token was refused (expired): the security check is asked for again.
  captcha_invalid: { captcha: 'invalid' },
  4002: { captcha: 'invalid' },
};

// What the SDK's own error reader looks for in a description (auth-error.ts), in both languages
// the backend answers in (the request's Accept-Language).
const ABOUT_VERIFICATION = /verification|验证码|token expired|token error|does not match/i;
const EXPIRED = /expire|过期/i;
const ATTEMPTS = /attempt|次数/i;
const NOT_FOUND = /not found|不存在|未注册/i;
const ABOUT_PHONE = /phone|手机/i;

/**
 * What a failed call meant. `invalid_grant` depends on what was presented: a refresh token
 * (`refresh` → session_expired) or a provider code / id token (`code` → code_expired).
 * `invalid_argument` (3) about a verification is a wrong code (expired: `code_expired`; used up:
 * `too_many_attempts`); `failed_precondition` (9) saying "not found" is an unknown user (§6.1 [C]).
 */
export function cloudbaseError(response: HttpResponse, grant: 'refresh' | 'code' | 'other' = 'other'): AuthError {
  const body = response.body as Record<string, unknown> | undefined;
  const name = readString(body, 'error') || readString(body, 'code') || undefined;
  const raw = body?.error_code ?? (typeof body?.code === 'number' ? body.code : undefined);
  const numeric = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseInt(raw, 10) : NaN;
  const known = name !== undefined && Object.hasOwn(CLOUDBASE_ERRORS, name);
  // Not CloudBase's envelope (an HTML page, an empty or malformed body, a bare 429): shared rules.
  if (!name && !Object.hasOwn(NUMERIC_ERRORS, numeric)) {
    return transportFailure(response) ?? new AuthError(fallbackCode(response.status), { status: response.status });
  }
  const { status } = response;
  const description = readString(body, 'error_description') ?? readString(body, 'message') ?? '';
  const retryAfter = retryAfterOf(response);
  let code: AuthErrorCode = known ? CLOUDBASE_ERRORS[name!]! : (NUMERIC_ERRORS[numeric] ?? fallbackCode(status));
  if (name === 'invalid_grant') code = grant === 'refresh' ? 'session_expired' : grant === 'code' ? 'code_expired' : 'invalid_request';
  else if ((name === 'invalid_argument' || (!known && numeric === 3)) && ABOUT_VERIFICATION.test(description)) code = EXPIRED.test(description) ? 'code_expired' : ATTEMPTS.test(description) ? 'too_many_attempts' : 'invalid_code';
  else if ((name === 'failed_precondition' || (!known && numeric === 9)) && NOT_FOUND.test(description)) code = 'user_not_found';
  // DESIGN.md: a 429 (or a 503 with Retry-After) is reported as rate_limited whatever the body says.
  if (status === 429 || (status === 503 && retryAfter !== undefined)) code = 'rate_limited';
  const field = name ?? String(numeric);
  // [?] An invalid_argument about a phone number is about the phone field (the SDK reads no field).
  const invalid = Object.hasOwn(FIELD_ERRORS, field) ? FIELD_ERRORS[field] : code === 'invalid_request' && ABOUT_PHONE.test(description) ? { phone: 'invalid_phone' as const } : undefined;
  return new AuthError(code, {
    providerCode: name ?? numeric,
    status,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(invalid ? { invalid: { ...invalid } } : {}),
  });
}

/** Seconds to wait: the `Retry-After` header, else the body's `retry_after` (§6.1 [C]). */
function retryAfterOf(response: HttpResponse): number | undefined {
  const header = response.headers.has('retry-after') ? Number(response.headers.get('retry-after')) : NaN;
  const raw = (response.body as Record<string, unknown> | undefined)?.retry_after;
  const fromBody = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw) : NaN;
  const value = Number.isFinite(header) ? header : fromBody;
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
