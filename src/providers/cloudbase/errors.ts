import { AuthError, type AuthErrorCode, type AuthErrorInit, type HttpResponse } from '../../contract/index.js';
import { fallbackCode, readString, transportFailure } from '../shared/responses.js';

/**
 * CloudBase `/auth/v1` error names (`error` of the `{ error, error_code, error_description }`
 * envelope, PROVIDERS.md §6.1) onto ours. Each row cites where its name is recorded: §6.1's list
 * of the names the SDK knows [C], the seed [S], or nothing [?]. Where §6 now says otherwise, the
 * row is kept as it is until issue 16 revisits the table together with the emulation.
 */
export const CLOUDBASE_ERRORS: Record<string, AuthErrorCode> = {
  // §6.1 SDK string code invalid_password [C]
  invalid_password: 'invalid_credentials',
  // §6.1 SDK codes not_found (5) and user_not_found [C]
  not_found: 'user_not_found',
  user_not_found: 'user_not_found',
  // §6.1 SDK code invalid_status [C] (too many wrong passwords)
  invalid_status: 'account_locked',
  // §6.1 SDK codes user_blocked, user_pending [C]
  user_blocked: 'account_disabled',
  user_pending: 'account_disabled',
  // [?] not in §6.1, whose SDK name is mfa_phone_required (4042); the emulation answers this one.
  phone_required: 'mfa_required',
  // §6.1 SDK codes two_factor_required, invalid_two_factor [C]
  two_factor_required: 'mfa_required',
  invalid_two_factor: 'invalid_code',
  // §6.1 SDK code invalid_verification_code [C]
  invalid_verification_code: 'invalid_code',
  // §6.1 SDK codes captcha_required (4001), captcha_invalid (4002) [C]; api.ts makes them a `captcha` step.
  captcha_required: 'captcha_required',
  captcha_invalid: 'captcha_required',
  // [?] not in §6.1 (the emulation's rate limit); §6.1 SDK code resource_exhausted (8) [C]
  rate_limit_exceeded: 'rate_limited',
  resource_exhausted: 'rate_limited',
  // [?] invalid_phone_number is not in §6.1; §6.1 SDK codes invalid_argument (3), failed_precondition (9),
  // OAuth invalid_request [C]; [?] out_of_range is not in §6.1's list.
  invalid_phone_number: 'invalid_request',
  invalid_argument: 'invalid_request',
  invalid_request: 'invalid_request',
  out_of_range: 'invalid_request',
  failed_precondition: 'invalid_request',
  // §6.1 SDK codes permission_denied (7), unauthorized_client (4022) [C]
  permission_denied: 'config',
  unauthorized_client: 'config',
  // §6.1 SDK code unauthenticated (16) [C]; [?] the three upper-case names are not in §6.1.
  unauthenticated: 'session_expired',
  ACCESS_TOKEN_EXPIRED: 'session_expired',
  REFRESH_TOKEN_EXPIRED: 'session_expired',
  INVALID_REFRESH_TOKEN: 'session_expired',
  // §6.1: the SDK's name for a body that is not JSON [C]
  unreachable: 'network',
  // §6.1 SDK codes internal (13), unavailable (14) [C]; [?] the other four are not in §6.1.
  internal: 'server',
  unavailable: 'server',
  deadline_exceeded: 'server',
  server_error: 'server',
  SYS_ERR: 'server',
  SERVER_TIMEOUT: 'server',
  // Seed v3 names (its phone-code page switches on them) [S]; code_expired also answers an expired
  // verification_id or verification_token, whose exact code is [?].
  invalid_code: 'invalid_code',
  code_expired: 'code_expired',
  max_attempts_exceeded: 'rate_limited',
  invalid_phone: 'invalid_request',
  // [?] Not in §6.1: the emulation answers it for a sign-up of a taken contact or username.
  already_exists: 'user_exists',
};

/** Numeric `error_code`s, for an envelope whose `error` we do not know. */
const NUMERIC_ERRORS: Record<number, AuthErrorCode> = {
  // §6.1 SDK codes 4001 captcha_required, 4002 captcha_invalid [C].
  4001: 'captcha_required',
  4002: 'captcha_required',
  // [?] §6.1 has no 4004 or 4029.
  4004: 'user_not_found',
  4029: 'rate_limited',
};

/** The form field a phone-number refusal is about (the number is unusable, never a sentence). */
const FIELD_ERRORS: Record<string, AuthErrorInit['invalid']> = {
  invalid_phone_number: { phone: 'invalid_phone' },
  invalid_phone: { phone: 'invalid_phone' },
  // The captcha_token was refused (expired): the security check is asked for again.
  captcha_invalid: { captcha: 'invalid' },
  4002: { captcha: 'invalid' },
};

/**
 * What a failed call meant. `invalid_grant` depends on what was presented: a refresh token
 * (`refresh` → session_expired) or a provider code / id token (`code` → code_expired).
 * `captcha_required` / `captcha_invalid` become a `captcha` step in api.ts (§6.2, last row).
 */
export function cloudbaseError(response: HttpResponse, grant: 'refresh' | 'code' | 'other' = 'other'): AuthError {
  const body = response.body;
  const error = readString(body, 'error');
  const numeric = Number((body as Record<string, unknown> | undefined)?.error_code);
  // Not CloudBase's envelope (an HTML page, an empty or malformed body, a bare 429): shared rules.
  if (!error && !NUMERIC_ERRORS[numeric]) {
    return transportFailure(response) ?? new AuthError(fallbackCode(response.status), { status: response.status });
  }
  const { status } = response;
  const retryAfter = retryAfterOf(response);
  let code: AuthErrorCode;
  if (error === 'invalid_grant') code = grant === 'refresh' ? 'session_expired' : grant === 'code' ? 'code_expired' : 'invalid_request';
  else code = (error && Object.hasOwn(CLOUDBASE_ERRORS, error) ? CLOUDBASE_ERRORS[error] : NUMERIC_ERRORS[numeric]) ?? fallbackCode(status);
  // DESIGN.md: a 429 (or a 503 with Retry-After) is reported as rate_limited whatever the body says.
  if (status === 429 || (status === 503 && retryAfter !== undefined)) code = 'rate_limited';
  const field = error ?? String(numeric);
  const invalid = Object.hasOwn(FIELD_ERRORS, field) ? FIELD_ERRORS[field] : undefined;
  return new AuthError(code, {
    providerCode: error ?? numeric,
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
