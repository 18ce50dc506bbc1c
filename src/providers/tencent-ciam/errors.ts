import { AuthError, type AuthErrorCode } from '../../core/errors.js';
import type { HttpResponse } from '../../core/http.js';
import { oauthError } from '../shared/oauth.js';
import { fallbackCode, readString, transportFailure } from '../shared/responses.js';

/** Which call failed: the same OAuth `error` means different things per grant. */
export type CiamCall = 'password' | 'otp' | 'send' | 'code' | 'refresh';

interface Row {
  code: AuthErrorCode;
  /** Our own short English text; the backend's description is never shown as is. */
  message: string;
}

/**
 * Tencent CIAM tells its documented failures apart only by `error_description` (most share
 * `invalid_grant`), so the table is keyed by `error` + description. Every row of PROVIDERS.md
 * §3.5 (verbatim from seed 001, "Sample Error Responses"); all arrive as HTTP 400.
 */
export const CIAM_ERRORS: Record<string, Row> = {
  // §3.5 row 1: the otp_token is unknown or expired: the whole flow starts again from the send.
  'invalid_grant:Unknown or expired otp_token': { code: 'code_expired', message: 'This code has expired. Request a new one.' },
  // §3.5 row 2: one text for a wrong and an expired code. invalid_code: most often a typo, and the
  // person can type again or resend; verifyOtp turns it into code_expired when the code's own
  // lifetime (the send answer's expires_in) is over on this device's clock.
  'invalid_grant:Unknown or expired OTP': { code: 'invalid_code', message: 'The code is wrong or has expired.' },
  // §3.5 row 3: phone/email, auth source or client differ from the send call.
  'invalid_request:Mismatched OTP token and OTP sending parameters': { code: 'invalid_request', message: 'The code was sent for other details. Request a new code.' },
  // §3.5 row 4: only when auto_signup is off.
  'invalid_grant:User not found': { code: 'user_not_found', message: 'No account uses this phone number or email.' },
  // §3.5 row 5: locked or frozen.
  'invalid_grant:Abnormal user status': { code: 'account_locked', message: 'This account is locked or frozen.' },
  // §3.5 row 6: the auth source is not the preferred one or not associated with the app.
  'invalid_auth_source:Auth source and application not associated': { code: 'config', message: 'This sign-in method is not enabled for the application.' },
};

/**
 * Codes matched on `error` alone, checked after CIAM_ERRORS. Each line says where it comes from;
 * the standard OAuth codes not listed here go to the shared §7 table (shared/oauth.ts).
 */
const BY_ERROR: Record<string, Row> = {
  // §3.5 row 6 again, with a description we have not seen.
  invalid_auth_source: { code: 'config', message: 'This sign-in method is not enabled for the application.' },
  // [?] §3.5 "/otp/send failures (rate limit…)": undocumented; this is the reference server's body.
  too_many_requests: { code: 'rate_limited', message: 'Too many codes were requested. Please wait and try again.' },
  // [?] Not in §3.5: the client is unknown or, on /otp/send, the relay's credentials are wrong
  // (or the page calls the vendor without the relay). RFC 6749 §5.2 / PROVIDERS.md §7 row 3.
  invalid_client: { code: 'config', message: 'The application is not set up correctly (client credentials).' },
  unauthorized_client: { code: 'config', message: 'The application may not use this sign-in method.' },
  // The relay's own refusals (src/relay/failure.ts), when `relayUrl` points at it.
  origin_not_allowed: { code: 'config', message: 'This page may not use the relay (allowedOrigins).' },
  not_found: { code: 'config', message: 'The relay does not forward this request (check relayUrl).' },
  method_not_allowed: { code: 'config', message: 'The relay does not forward this request (check relayUrl).' },
  payload_too_large: { code: 'invalid_request', message: 'The request is too large.' },
  unsupported_media_type: { code: 'invalid_request', message: 'The request could not be read.' },
  rate_limited: { code: 'rate_limited', message: 'Too many requests. Please wait and try again.' },
  bad_gateway: { code: 'server', message: 'The sign-in service failed. Please try again.' },
  upstream_timeout: { code: 'timeout', message: 'The sign-in service did not answer in time.' },
};

/**
 * `invalid_grant` with a description outside §3.5. [?] §3.5 "ROPC failure bodies" are not
 * captured; a refused password is most likely `invalid_grant` → invalid_credentials.
 */
const INVALID_GRANT: Record<CiamCall, Row> = {
  password: { code: 'invalid_credentials', message: 'Wrong account or password.' },
  otp: { code: 'invalid_code', message: 'The code is wrong or has expired.' },
  send: { code: 'invalid_request', message: 'The code could not be sent.' },
  code: { code: 'code_expired', message: 'This sign-in link has expired. Please sign in again.' },
  refresh: { code: 'session_expired', message: 'Your session has expired. Please sign in again.' },
};

// [?] Undocumented parameter errors ("Missing required parameter: phone_number", the reference
// server's text): the wire name is turned into the form field it concerns, for `fields`.
const FIELDS: Record<string, string> = { phone_number: 'phone', email: 'email', username: 'username', password: 'password', otp: 'code' };

/** Maps a failed answer of Tencent CIAM (or of the relay in front of it) to an AuthError. */
export function ciamError(response: HttpResponse, call: CiamCall): AuthError {
  const { status, body } = response;
  const error = readString(body, 'error');
  const early = transportFailure(response);
  if (early) {
    // Throttling keeps its wait; a backend code in the body still goes to providerCode.
    if (!error || early.code !== 'rate_limited') return early;
    return new AuthError(early.code, early.message, { providerCode: error, status, retryAfter: early.retryAfter });
  }
  const description = readString(body, 'error_description')?.trim();
  const exact = error && description ? own(CIAM_ERRORS, `${error}:${description}`) : undefined;
  if (exact) {
    // The documented rows share `error`: keep the description in providerCode to tell them apart.
    return new AuthError(exact.code, exact.message, { providerCode: `${error}:${description}`, status });
  }
  const row = error === 'invalid_grant' ? INVALID_GRANT[call] : error ? own(BY_ERROR, error) : undefined;
  if (row) return new AuthError(row.code, row.message, { providerCode: error, status });
  if (error === 'invalid_request' && description) {
    const name = /parameter:\s*([a-z_]+)/i.exec(description)?.[1];
    const field = name && own(FIELDS, name);
    if (field) return new AuthError('invalid_request', 'A required detail is missing or invalid.', { providerCode: error, status, fields: { [field]: 'invalid' } });
  }
  // The rest of RFC 6749 (§7 table), then 4xx → invalid_request, 5xx → server; no crash on junk.
  // (A code such as "constructor" must not reach the shared table's prototype: fall back.)
  const code = error && Object.hasOwn(Object.prototype, error) ? fallbackCode(status) : oauthError(response, 'other').code;
  return new AuthError(code, genericMessage(code), { providerCode: error, status });
}

/** A table lookup that ignores inherited keys (`toString`, `__proto__` from a hostile body). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function genericMessage(code: AuthErrorCode): string {
  if (code === 'server') return 'The sign-in service failed. Please try again.';
  if (code === 'config') return 'The application is not set up correctly.';
  if (code === 'session_expired') return 'Your session has expired. Please sign in again.';
  if (code === 'cancelled') return 'Sign-in was cancelled.';
  return 'The request was refused.';
}
