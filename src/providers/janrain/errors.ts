// Janrain (Akamai Identity Cloud) failures → AuthError (PROVIDERS.md §5.5): codes and
// parameters only. Janrain's `error_description` and `invalid_fields` messages are vendor text
// in the flow's locale; they are never passed on, only read for the fields they name.
import { AuthError, type AuthErrorCode, type FieldProblem, type FormField, type HttpResponse } from '../../contract/index.js';
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
  // §5.5 row "211 no_password" (a social-only account: providerCode 211 tells it apart).
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
  // §5.5 last rows: "account lockout … no codes found" [?]. The reference server answers a
  // locked account with this guess; a body that names another lock (`error` with "lock" in it)
  // is read the same way (janrainCode).
  214: { error: 'account_locked', code: 'account_locked' },
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

/** Janrain form field names (§5.3, the documented defaults) → the form fields of the widget. */
const FIELD_NAMES: Record<string, FormField> = {
  signInEmailAddress: 'email',
  emailAddress: 'email',
  currentPassword: 'password',
  // The registration form's password is the sign-up form's only one.
  newPassword: 'password',
  newPasswordConfirm: 'confirmPassword',
  firstName: 'name',
  lastName: 'name',
  displayName: 'name',
};

/** [?] The form of a new password after a reset link, whose password is the "New password" field. */
const NEW_PASSWORD_FORM = 'changePasswordFormNoAuth';
const NEW_PASSWORD_FIELDS: Record<string, FormField> = { newPassword: 'newPassword', newPasswordConfirm: 'confirmPassword' };

/** Where a failure happened: an expired grant means a new sign-in during a refresh. */
export type JanrainContext = 'native' | 'refresh';

/** Normalized code of a Janrain error; unknown codes: 5xx → server, anything else → invalid_request. */
export function janrainCode(code: number | undefined, error: string | undefined, status: number): AuthErrorCode {
  const row = code !== undefined && Object.hasOwn(JANRAIN_ERRORS, code) ? JANRAIN_ERRORS[code] : undefined;
  if (row) return row.code;
  const range = code !== undefined ? JANRAIN_RANGES.find(([low, high]) => code >= low && code <= high) : undefined;
  if (range) return range[2];
  const named = error ? Object.values(JANRAIN_ERRORS).find((r) => r.error === error) : undefined;
  if (named) return named.code;
  // [?] A lock-out under a name we do not know.
  if (error && /lock/i.test(error)) return 'account_locked';
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
    const code = (Object.hasOwn(RELAY_ERRORS, body.error) ? RELAY_ERRORS[body.error] : undefined) ?? fallbackCode(status);
    return new AuthError(code, { providerCode: body.error, status, retryAfter });
  }
  if (body.stat !== 'error' && typeof body.error !== 'string') {
    // JSON, but neither a success nor a failure Janrain would send.
    return new AuthError('server', { status });
  }
  const numeric = typeof body.code === 'number' ? body.code : typeof body.code === 'string' && /^\d+$/.test(body.code) ? Number(body.code) : undefined;
  const name = readString(body, 'error');
  let code = janrainCode(numeric, name, status);
  // During a refresh an expired grant of any kind means the session is over (Adapter.refresh).
  if (context === 'refresh' && (code === 'code_expired' || code === 'session_expired')) code = 'session_expired';
  const invalid = readInvalid(body, numeric ?? name, formName);
  const remainingAttempts = code === 'invalid_credentials' ? readAttemptsLeft(body) : undefined;
  return new AuthError(code, {
    providerCode: numeric ?? name,
    status,
    // [?] §5.5 names no wait for 510; the reference server sends Retry-After, which the relay passes on.
    ...(code === 'rate_limited' && retryAfter !== undefined ? { retryAfter } : {}),
    // [?] The same header on a lock-out says when it ends.
    ...(code === 'account_locked' && retryAfter !== undefined ? { retryAfter, lockedUntil: Math.floor(Date.now() / 1000) + retryAfter } : {}),
    ...(remainingAttempts !== undefined ? { remainingAttempts } : {}),
    ...(invalid ? { invalid } : {}),
  });
}

/**
 * The fields in error, as codes. 390 `invalid_fields` names them; its shape is [?] (§5.6 q2):
 * an object keyed by field name is read, its messages are not. A key equal to the form's own
 * name is a form-level message, not a field. 380 is the email in use, whatever the body names.
 */
function readInvalid(body: Record<string, unknown>, janrain: number | string | undefined, formName?: string): Partial<Record<FormField, FieldProblem>> | undefined {
  const invalid: Partial<Record<FormField, FieldProblem>> = {};
  if (janrain === 380 || janrain === 'email_address_in_use') invalid.email = 'taken';
  const fields = body.invalid_fields;
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) {
    for (const name of Object.keys(fields)) {
      const ours = name !== formName && Object.hasOwn(FIELD_NAMES, name) ? (formName === NEW_PASSWORD_FORM && Object.hasOwn(NEW_PASSWORD_FIELDS, name) ? NEW_PASSWORD_FIELDS[name] : FIELD_NAMES[name]) : undefined;
      if (ours) invalid[ours] ??= 'invalid';
    }
  }
  // [?] `argument_name` (100/200/201) is seen in third-party code only; a form field named
  // there is reported on that field. Wire parameters (client_id, locale…) are not fields.
  const argument = readString(body, 'argument_name');
  const ours = argument && Object.hasOwn(FIELD_NAMES, argument) ? FIELD_NAMES[argument] : undefined;
  if (ours) invalid[ours] ??= janrain === 100 || janrain === 'missing_argument' ? 'required' : 'invalid';
  return Object.keys(invalid).length ? invalid : undefined;
}

/**
 * [?] Attempts left before a lock-out are not documented for Janrain; the reference server puts
 * them in `error_description` ("… (2 attempts left)"). The number is read, the text is not kept.
 */
function readAttemptsLeft(body: Record<string, unknown>): number | undefined {
  const match = /\((\d+) attempts? left\)/.exec(readString(body, 'error_description') ?? '');
  return match ? Number(match[1]) : undefined;
}

function readRetryAfter(response: HttpResponse): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
