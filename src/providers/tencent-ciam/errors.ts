import { AuthError, type AuthErrorCode, type FormField, type HttpResponse } from '../../contract/index.js';
import { oauthError } from '../shared/oauth.js';
import { fallbackCode, readString, transportFailure } from '../shared/responses.js';

/** Which call failed: the same OAuth `error` means different things per grant. */
export type CiamCall = 'password' | 'otp' | 'send' | 'code' | 'refresh' | 'signup' | 'reset' | 'change';

/**
 * Tencent CIAM tells its documented failures apart only by `error_description` (most share
 * `invalid_grant`), so the table is keyed by `error` + description. Every row of PROVIDERS.md
 * §3.5 (verbatim from seed 001, "Sample Error Responses"); all arrive as HTTP 400. The
 * description is only matched, never shown.
 */
export const CIAM_ERRORS: Record<string, AuthErrorCode> = {
  // §3.5 row 1: the otp_token is unknown or expired: the whole flow starts again from the send.
  'invalid_grant:Unknown or expired otp_token': 'code_expired',
  // §3.5 row 2: one text for a wrong and an expired code. invalid_code: most often a typo, and the
  // person can type again or resend; verifyOtp turns it into code_expired when the code's own
  // lifetime (the send answer's expires_in) is over on this device's clock.
  'invalid_grant:Unknown or expired OTP': 'invalid_code',
  // §3.5 row 3: phone/email, auth source or client differ from the send call.
  'invalid_request:Mismatched OTP token and OTP sending parameters': 'invalid_request',
  // §3.5 row 4: only when auto_signup is off.
  'invalid_grant:User not found': 'user_not_found',
  // §3.5 row 5: locked or frozen.
  'invalid_grant:Abnormal user status': 'account_locked',
  // §3.5 row 6: the auth source is not the preferred one or not associated with the app.
  'invalid_auth_source:Auth source and application not associated': 'config',
  // [?] Not documented: /signup, /reset_user_password and /change_user_password failures (the
  // docs say only that a new password must meet the policy and differ from the last N [C]).
  // These are the reference server's texts.
  'invalid_request:User already exists': 'user_exists',
  'invalid_request:Password does not meet the password policy': 'password_policy',
  'invalid_request:Incorrect old password': 'invalid_credentials',
};

/**
 * Codes matched on `error` alone, checked after CIAM_ERRORS. Each line says where it comes from;
 * the standard OAuth codes not listed here go to the shared §7 table (shared/oauth.ts).
 */
const BY_ERROR: Record<string, AuthErrorCode> = {
  // §3.5 row 6 again, with a description we have not seen.
  invalid_auth_source: 'config',
  // [?] §3.5 "/otp/send failures (rate limit…)": undocumented; this is the reference server's body.
  too_many_requests: 'rate_limited',
  // [?] Not in §3.5: the client is unknown or, on /otp/send, the relay's credentials are wrong
  // (or the page calls the vendor without the relay). RFC 6749 §5.2 / PROVIDERS.md §7 row 3.
  invalid_client: 'config',
  unauthorized_client: 'config',
  // The relay's own refusals (src/relay/failure.ts), when `relayUrl` points at it.
  origin_not_allowed: 'config',
  not_found: 'config',
  method_not_allowed: 'config',
  payload_too_large: 'invalid_request',
  unsupported_media_type: 'invalid_request',
  rate_limited: 'rate_limited',
  bad_gateway: 'server',
  upstream_timeout: 'timeout',
};

/**
 * `invalid_grant` with a description outside §3.5. [?] §3.5 "ROPC failure bodies" are not
 * captured; a refused password is most likely `invalid_grant` → invalid_credentials.
 */
const INVALID_GRANT: Record<CiamCall, AuthErrorCode> = {
  password: 'invalid_credentials',
  otp: 'invalid_code',
  send: 'invalid_request',
  code: 'code_expired',
  refresh: 'session_expired',
  // The code proving the contact of a sign-up or reset (§3.5 rows 1–2 cover the known texts).
  signup: 'invalid_code',
  reset: 'invalid_code',
  change: 'session_expired',
};

// [?] Undocumented parameter errors ("Missing required parameter: phone_number", the reference
// server's text): the wire name is turned into the form field it concerns, for `invalid`.
const FIELDS: Record<string, FormField> = { phone_number: 'phone', email: 'email', username: 'username', password: 'password', otp: 'code' };

/** Maps a failed answer of Tencent CIAM (or of the relay in front of it) to an AuthError. */
export function ciamError(response: HttpResponse, call: CiamCall): AuthError {
  const { status, body } = response;
  const error = readString(body, 'error');
  const early = transportFailure(response);
  if (early) {
    // Throttling keeps its wait; a backend code in the body still goes to providerCode.
    if (!error || early.code !== 'rate_limited') return early;
    return new AuthError(early.code, { providerCode: error, status, retryAfter: early.retryAfter });
  }
  const description = readString(body, 'error_description')?.trim();
  const exact = error && description ? own(CIAM_ERRORS, `${error}:${description}`) : undefined;
  if (exact) {
    // The documented rows share `error`: keep the description in providerCode to tell them apart.
    return new AuthError(exact, { providerCode: `${error}:${description}`, status });
  }
  const code = error === 'invalid_grant' ? INVALID_GRANT[call] : error ? own(BY_ERROR, error) : undefined;
  if (code) return new AuthError(code, { providerCode: error, status });
  if (error === 'invalid_request' && description) {
    const name = /parameter:\s*([a-z_]+)/i.exec(description)?.[1];
    const field = name && own(FIELDS, name);
    if (field) return new AuthError('invalid_request', { providerCode: error, status, invalid: { [field]: 'invalid' } });
  }
  // The rest of RFC 6749 (§7 table), then 4xx → invalid_request, 5xx → server; no crash on junk.
  // (A code such as "constructor" must not reach the shared table's prototype: fall back.)
  const fallback = error && Object.hasOwn(Object.prototype, error) ? fallbackCode(status) : oauthError(response, 'other').code;
  return new AuthError(fallback, { providerCode: error, status });
}

/** A table lookup that ignores inherited keys (`toString`, `__proto__` from a hostile body). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
