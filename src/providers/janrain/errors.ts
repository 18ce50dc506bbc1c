import { AuthError, type AuthErrorCode } from '../../core/errors.js';
import type { HttpResponse } from '../../core/http.js';
import { fallbackCode, readString, transportFailure } from '../shared/responses.js';
import { RELAY_ERRORS } from '../shared/relay-errors.js';

/**
 * Janrain Registration error `code` → normalized code (PROVIDERS.md §5.5, "Codes" table). The
 * `error` name is kept beside the number so a body that lacks `code` still maps.
 */
export const JANRAIN_ERRORS: Record<number, { error: string; code: AuthErrorCode }> = {
  // §5.5 row "390 invalid_form_fields, 100 missing_argument, 200 invalid_argument, 201 duplicate_argument".
  100: { error: 'missing_argument', code: 'invalid_request' },
  200: { error: 'invalid_argument', code: 'invalid_request' },
  201: { error: 'duplicate_argument', code: 'invalid_request' },
  390: { error: 'invalid_form_fields', code: 'invalid_request' },
  // §5.5 row "402, 403, 205, 221–226, 420, 480" (the 221–226 range is in JANRAIN_RANGES).
  205: { error: 'invalid_auth_method', code: 'config' },
  402: { error: 'invalid_client_credentials', code: 'config' },
  403: { error: 'client_permission_error', code: 'config' },
  420: { error: 'redirect_uri_mismatch', code: 'config' },
  480: { error: 'api_feature_disabled', code: 'config' },
  // §5.5 row "210 invalid_credentials, 213 password_incorrect".
  210: { error: 'invalid_credentials', code: 'invalid_credentials' },
  213: { error: 'password_incorrect', code: 'invalid_credentials' },
  // §5.5 row "211 no_password" (social-only account; the message points to social sign-in).
  211: { error: 'no_password', code: 'invalid_credentials' },
  // §5.5 row "212 no_such_account".
  212: { error: 'no_such_account', code: 'user_not_found' },
  // §5.5 row "380 email_address_in_use": the table says invalid_request, issue #10 asks for
  // user_exists, the contract's own code for "already registered"; the issue wins.
  380: { error: 'email_address_in_use', code: 'user_exists' },
  // §5.5 row "414 access_token_expired, 413 no_access_grant".
  413: { error: 'no_access_grant', code: 'session_expired' },
  414: { error: 'access_token_expired', code: 'session_expired' },
  // §5.5 row "415, 416, 417" (code_expired; during a refresh they mean session_expired).
  415: { error: 'authorization_code_expired', code: 'code_expired' },
  416: { error: 'verification_code_expired', code: 'code_expired' },
  417: { error: 'creation_token_expired', code: 'code_expired' },
  // §5.5 row "510 api_limit_error".
  510: { error: 'api_limit_error', code: 'rate_limited' },
  // §5.5 row "500 unexpected_error, 540 triggered_error".
  500: { error: 'unexpected_error', code: 'server' },
  540: { error: 'triggered_error', code: 'server' },
};

/** §5.5's code ranges: 221–226 (unknown app or flow, `flow_error`) and 340–363 (argument checks). */
const JANRAIN_RANGES: Array<[number, number, AuthErrorCode]> = [
  [221, 226, 'config'],
  [340, 363, 'invalid_request'],
];

const MESSAGES: Partial<Record<AuthErrorCode, string>> = {
  invalid_credentials: 'Incorrect email or password.',
  user_not_found: 'No account uses this email address.',
  user_exists: 'This email address is already registered.',
  invalid_request: 'Some fields are invalid.',
  session_expired: 'Your session has expired. Please sign in again.',
  code_expired: 'This code has expired. Please start again.',
  config: 'The sign-in service is not set up correctly.',
  rate_limited: 'Too many requests. Please wait and try again.',
  server: 'The sign-in service failed. Please try again.',
  timeout: 'The server did not answer in time.',
};
const NO_PASSWORD = 'This account has no password. Sign in with your social account.';

/** Janrain form field names → the widget's (`AuthError.fields` keeps both). */
const FIELD_NAMES: Record<string, string> = {
  signInEmailAddress: 'email',
  emailAddress: 'email',
  currentPassword: 'password',
  newPassword: 'password',
  newPasswordConfirm: 'passwordConfirm',
};

/** Where a failure happened: an expired grant means a new sign-in during a refresh. */
export type JanrainContext = 'native' | 'refresh';

/** Normalized code of a Janrain error; unknown codes: 5xx → server, anything else → invalid_request. */
export function janrainCode(code: number | undefined, error: string | undefined, status: number): AuthErrorCode {
  const row = code !== undefined ? JANRAIN_ERRORS[code] : undefined;
  if (row) return row.code;
  const range = code !== undefined ? JANRAIN_RANGES.find(([low, high]) => code >= low && code <= high) : undefined;
  if (range) return range[2];
  const named = error ? Object.values(JANRAIN_ERRORS).find((r) => r.error === error) : undefined;
  if (named) return named.code;
  // Janrain answers HTTP 200 even for failures, so the Registration code's hundreds decide.
  if (status >= 400) return fallbackCode(status);
  return code !== undefined && code >= 500 && code < 600 ? 'server' : 'invalid_request';
}

/**
 * The AuthError for a non-success answer: a transport failure (429/503, HTML, empty or broken
 * body), a Janrain `stat: "error"` body, or the relay's own refusal.
 */
export function janrainError(response: HttpResponse, context: JanrainContext, formName?: string): AuthError {
  const early = transportFailure(response);
  if (early) return early;
  const body = response.body as Record<string, unknown>;
  const status = response.status;
  const retryAfter = readRetryAfter(response);
  if (body.stat !== 'error' && typeof body.error === 'string' && status >= 400) {
    // The relay's failure body: same keys as OAuth's, no Janrain code.
    const code = RELAY_ERRORS[body.error] ?? fallbackCode(status);
    return new AuthError(code, MESSAGES[code], { providerCode: body.error, status, ...(retryAfter !== undefined ? { retryAfter } : {}) });
  }
  if (body.stat !== 'error' && typeof body.error !== 'string') {
    // JSON, but neither a success nor a failure Janrain would send.
    return new AuthError('server', 'The server sent an unreadable answer.', { status });
  }
  const numeric = typeof body.code === 'number' ? body.code : typeof body.code === 'string' && /^\d+$/.test(body.code) ? Number(body.code) : undefined;
  const name = readString(body, 'error');
  let code = janrainCode(numeric, name, status);
  // During a refresh an expired grant of any kind means the session is over (Provider.refresh).
  if (context === 'refresh' && (code === 'code_expired' || code === 'session_expired')) code = 'session_expired';
  const fields = readFields(body, formName);
  // [?] §5.5 names no wait for 510; the reference server sends Retry-After, which the relay passes on.
  const message = numeric === 211 ? NO_PASSWORD : MESSAGES[code] ?? 'The request failed.';
  return new AuthError(code, message, {
    providerCode: numeric ?? name,
    status,
    ...(code === 'rate_limited' && retryAfter !== undefined ? { retryAfter } : {}),
    ...(fields ? { fields } : {}),
  });
}

/**
 * `invalid_fields` → `{ field: message }` under both Janrain's and our names. Its shape is [?]
 * (§5.6 q2): strings or arrays of strings are read, anything else is ignored. A key equal to
 * the form's own name is a form-level message, not a field, and is left out.
 */
function readFields(body: Record<string, unknown>, formName?: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  const add = (name: string, message: string) => {
    if (!message || name === formName) return;
    fields[name] ??= message;
    const ours = FIELD_NAMES[name];
    if (ours) fields[ours] ??= message;
  };
  const invalid = body.invalid_fields;
  if (typeof invalid === 'object' && invalid !== null && !Array.isArray(invalid)) {
    for (const [name, value] of Object.entries(invalid)) {
      const texts = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
      add(name, texts.join(' '));
    }
  }
  // [?] `argument_name` (100/200/201) is seen in third-party code only; a form field named
  // there is reported on that field. Wire parameters (client_id, locale…) are not fields.
  const argument = readString(body, 'argument_name');
  if (argument && FIELD_NAMES[argument]) add(argument, MESSAGES.invalid_request!);
  return Object.keys(fields).length ? fields : undefined;
}

function readRetryAfter(response: HttpResponse): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
