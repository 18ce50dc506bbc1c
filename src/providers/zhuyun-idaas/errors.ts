import { AuthError, type AuthErrorCode, type AuthErrorInit, type FieldProblem, type FormField, type HttpResponse } from '../../contract/index.js';
import { fallbackCode, readString, transportFailure } from '../shared/responses.js';

interface Row {
  code: AuthErrorCode;
  /** The form field the error is about and why, for `AuthError.invalid`. */
  invalid?: Partial<Record<FormField, FieldProblem>>;
}

/**
 * `error_code` → normalized code. Every row of PROVIDERS.md §4.5 ("Error mapping"), which
 * matches the seed's error table (shared/seeds/002); bodies are `{ error_code, error_msg }`
 * with HTTP 400, or 500 for COM.0002. The `error_msg` is never shown: the two numbers it
 * carries (attempts left, time to unlock) are parsed out of it.
 */
export const ZHUYUN_ERRORS: Record<string, Row> = {
  // §4.5 row 1: wrong account or password; the message carries "Remaining times: {0}".
  'IDAAS.SDK.LOGIN.0002': { code: 'invalid_credentials' },
  // §4.5 row 2: locked after repeated failures; the message carries "{0} minutes and {1} seconds".
  'IDAAS.SDK.LOGIN.0001': { code: 'account_locked' },
  // §4.5 row 3.
  'IDAAS.SDK.USER.0039': { code: 'account_disabled' },
  // §4.5 row 4: mobile or password empty.
  'IDAAS.SDK.USER.0004': { code: 'invalid_request', invalid: { phone: 'required' } },
  'IDAAS.SDK.USER.0006': { code: 'invalid_request', invalid: { password: 'required' } },
  // §4.5 row 5: device headers incomplete (a bug here or in a proxy, not the person's fault).
  'IDAAS.SDK.PARAM.0001': { code: 'invalid_request' },
  // §4.5 row 6: clientId empty or the app not registered.
  'IDAAS.SDK.PARAM.0002': { code: 'config' },
  'IDAAS.SDK.PARAM.0003': { code: 'config' },
  // §4.5 row 7: invalid state token: the password step is over, sign in again.
  'IDAAS.SDK.PARAM.0014': { code: 'session_expired' },
  // §4.5 row 8: system busy (HTTP 500); the person may simply try again.
  'IDAAS.SDK.COM.0002': { code: 'server' },
  // [?] Not in PROVIDERS.md: /pwd/update's policy errors are undocumented. These two are what
  // the reference server answers, modelled on the tenant API's IDAAS.TENANT.PWD.0001 / 0004.
  'IDAAS.SDK.PWD.0001': { code: 'password_policy', invalid: { newPassword: 'reused' } },
  'IDAAS.SDK.PWD.0004': { code: 'password_policy', invalid: { newPassword: 'too_simple' } },
};

/**
 * §4.5's OAuth rows (the server-side ROPC endpoint `/api/v1/oauth2/token`). This adapter never
 * calls it (it needs a client secret), but a relay or gateway may answer in this shape.
 */
const OAUTH_GRANT: Array<[RegExp, AuthErrorCode]> = [
  [/bad credentials/i, 'invalid_credentials'],
  [/locked/i, 'account_locked'],
  [/disabled/i, 'account_disabled'],
  [/expired/i, 'password_expired'],
];

/** "Remaining times: 9" / "剩余次数:9" (half- or full-width colon). */
export function parseRemaining(message: string): number | undefined {
  const match = /(?:remaining\s*times?|剩余次数)\s*[:：]?\s*(\d+)/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** "unlocked in 4 minutes and 59 seconds" / "它将在 4 分钟和 59 秒内解锁" → seconds. */
export function parseLockSeconds(message: string): number | undefined {
  const minutes = /(\d+)\s*(?:minutes?|mins?|分钟|分)/i.exec(message);
  const seconds = /(\d+)\s*(?:seconds?|secs?|秒)/i.exec(message);
  if (!minutes && !seconds) return undefined;
  return Number(minutes?.[1] ?? 0) * 60 + Number(seconds?.[1] ?? 0);
}

/**
 * Maps a failed answer to an `AuthError`. Throttling, gateway pages and unreadable bodies are
 * decided first (transportFailure); an unknown `error_code` falls back on the HTTP status.
 */
export function zhuyunError(response: HttpResponse, now = Date.now()): AuthError {
  const early = transportFailure(response);
  if (early) return early;
  const { status, body } = response;
  const providerCode = readString(body, 'error_code');
  const text = readString(body, 'error_msg') ?? '';
  if (!providerCode) return oauthShaped(response) ?? new AuthError(fallbackCode(status), { status });

  const row = Object.hasOwn(ZHUYUN_ERRORS, providerCode) ? ZHUYUN_ERRORS[providerCode] : undefined;
  const init: AuthErrorInit = { providerCode, status };
  if (row?.invalid) init.invalid = { ...row.invalid };

  if (providerCode === 'IDAAS.SDK.LOGIN.0002') {
    const left = parseRemaining(text);
    if (left !== undefined) init.remainingAttempts = left;
  } else if (providerCode === 'IDAAS.SDK.LOGIN.0001') {
    // Locked: no attempt is left whatever the message says; the wait is in it when it parses.
    init.remainingAttempts = 0;
    const wait = parseLockSeconds(text);
    if (wait !== undefined) {
      init.lockedUntil = Math.floor(now / 1000) + wait;
      init.retryAfter = wait;
    }
  }
  return new AuthError(row?.code ?? fallbackCode(status), init);
}

function oauthShaped(response: HttpResponse): AuthError | null {
  const error = readString(response.body, 'error');
  if (!error) return null;
  const description = readString(response.body, 'error_description') ?? '';
  const { status } = response;
  let code: AuthErrorCode = fallbackCode(status);
  if (error === 'invalid_client') code = 'config';
  else if (error === 'invalid_grant') code = OAUTH_GRANT.find(([pattern]) => pattern.test(description))?.[1] ?? 'invalid_credentials';
  return new AuthError(code, { providerCode: error, status });
}
