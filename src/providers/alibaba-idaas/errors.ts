// Alibaba Cloud IDaaS CIAM failures → AuthError (PROVIDERS.md §2.5). Two envelopes [C]:
// OAuth `{error, error_description}` and CIAM `{success:false, code:"Operation.Failure",
// message:"Operation.Failure.<Specific>"}`, where the specific reason is in `message`.
// Codes and parameters only: the backend's `message` is a code, and no sentence is written here.
import { AuthError, type AuthErrorCode, type AuthErrorInit, type HttpResponse } from '../../contract/index.js';
import { fallbackCode, readString, transportFailure } from '../shared/responses.js';
import { RELAY_ERRORS } from '../shared/relay-errors.js';

/** CIAM `message` values (and the seed's `code` values, which it mislabels) → our code. */
export const CIAM_ERRORS: Record<string, AuthErrorCode> = {
  // §2.5 row "Operation.Failure.User.Password.Error | invalid_credentials" [S]
  'Operation.Failure.User.Password.Error': 'invalid_credentials',
  // §2.5 row "Operation.Failure.User.Not.Exist | user_not_found" [S]
  'Operation.Failure.User.Not.Exist': 'user_not_found',
  // §2.5 row "Operation.Failure.IDaaS.NoUser, Operation.Failure.No.User.Bind | user_not_found" [S]
  'Operation.Failure.IDaaS.NoUser': 'user_not_found',
  'Operation.Failure.No.User.Bind': 'user_not_found',
  // §2.5 row "Operation.Failure.Unsupport.2fa.Type | config" [S]
  'Operation.Failure.Unsupport.2fa.Type': 'config',
  // §2.5 row "Operation.Failure.Social.Login, …Mini.Program.Silent.Login | invalid_credentials" [S]/[C]
  'Operation.Failure.Social.Login': 'invalid_credentials',
  'Operation.Failure.Mini.Program.Silent.Login': 'invalid_credentials',
  // §2.5 row "Operation.Failure.Gesture.Error | invalid_credentials" [S]
  'Operation.Failure.Gesture.Error': 'invalid_credentials',
  // §2.5 row "Params.Blank, Params.Illegal, … | invalid_request" [S]
  'Params.Blank': 'invalid_request',
  'Params.Illegal': 'invalid_request',
  // §2.5 row "Operation.Failure.Service.Internal.Error, server_error | server" [S]
  'Operation.Failure.Service.Internal.Error': 'server',
  // §2.5 row "HTTP 429 / Throttling | rate_limited" [S]; also seen with HTTP 200 in theory.
  Throttling: 'rate_limited',
  // §2.5 last row: "account lock, OTP wrong, OTP expired, captcha required: no codes found".
  // [?] Every name below is a guess, shared with the reference server
  // (demo/server/alibaba-idaas/protocol.ts), which chose them in the documented
  // `Operation.Failure.<Area>.<Reason>` style. The real backend may say something else: then
  // `alibabaError` falls back on the HTTP status and on the words of the answer (FALLBACK_HINTS).
  'Operation.Failure.User.Locked': 'account_locked', // [?]
  'Operation.Failure.User.Exist': 'user_exists', // [?]
  'Operation.Failure.Code.Error': 'invalid_code', // [?]
  'Operation.Failure.Code.Expired': 'code_expired', // [?]
  'Operation.Failure.Code.Attempts.Exceeded': 'too_many_attempts', // [?]
  'Operation.Failure.Captcha.Required': 'captcha_required', // [?]
  // [?] A wrong captcha answer: each image is good for one try, so a new one must be solved.
  'Operation.Failure.Captcha.Error': 'captcha_required', // [?]
  'Operation.Failure.Flow.Expired': 'code_expired', // [?]
};

/**
 * [?] The words an unknown failure is read by, in order (the first match wins): the reason name
 * (`Operation.Failure.Account.Locked`) and any text the backend puts in `message` or
 * `error_description`, English or Chinese. Used only when no documented (or guessed) name
 * matched, so a backend that names its failures differently still gets the right message; a
 * failure nothing here recognises stays `invalid_request` (4xx) or `server` (5xx).
 */
export const FALLBACK_HINTS: Array<[RegExp, AuthErrorCode]> = [
  [/captcha|图形验证|图片验证|人机/i, 'captcha_required'],
  [/lock|锁定|冻结/i, 'account_locked'],
  [/disabl|deleted|forbid|禁用|停用|注销/i, 'account_disabled'],
  [/throttl|too\.?many\.?req|frequen|limit|频繁|限流/i, 'rate_limited'],
  [/attempt|exceed|次数|上限/i, 'too_many_attempts'],
  [/(code|otp|验证码).*(expire|过期|失效)|(expire|过期|失效).*(code|otp|验证码)/i, 'code_expired'],
  [/(code|otp|验证码).*(error|wrong|invalid|incorrect|mismatch|错误|不正确|有误)/i, 'invalid_code'],
  [/not\.?exist|no\.?user|not\.?found|不存在|未找到/i, 'user_not_found'],
  [/exist|duplicat|已存在|已注册/i, 'user_exists'],
  [/password.*(policy|weak|strength|format|length|rule)|密码.*(强度|格式|规则|长度|简单)/i, 'password_policy'],
  [/password|credential|密码/i, 'invalid_credentials'],
  [/expire|过期|失效/i, 'code_expired'],
];

/** OAuth `error` values → our code. */
export const OAUTH_ERRORS: Record<string, AuthErrorCode> = {
  // §2.5 row "login_failed | invalid_credentials" [C]
  login_failed: 'invalid_credentials',
  // §2.5 row "user_deleted | account_disabled" [C]
  user_deleted: 'account_disabled',
  // §2.5 row "Params.Blank, Params.Illegal, invalid_request, invalid_scope, unsupported_* | invalid_request"
  invalid_request: 'invalid_request',
  invalid_scope: 'invalid_request',
  unsupported_grant_type: 'invalid_request',
  unsupported_response_type: 'invalid_request',
  // §2.5 row "invalid_client, unauthorized_client, redirect_uri_mismatch | config" [C]
  invalid_client: 'config',
  unauthorized_client: 'config',
  redirect_uri_mismatch: 'config',
  // §2.5 row "invalid_grant | code_expired" [C] (a refresh overrides it: see alibabaError)
  invalid_grant: 'code_expired',
  // §2.5 row "invalid_token, access_denied, unauthorized_user | session_expired" [C]
  invalid_token: 'session_expired',
  access_denied: 'session_expired',
  unauthorized_user: 'session_expired',
  // §2.5 row "…Service.Internal.Error, server_error | server" [C]
  server_error: 'server',
  // The relay's own refusals, not the vendor's (the vendor's rows above win on a shared name).
  ...Object.fromEntries(Object.entries(RELAY_ERRORS).filter(([name]) => !['invalid_request', 'server_error'].includes(name))),
};

/**
 * Maps any failed answer. `during: 'refresh'` turns `invalid_grant` into `session_expired`, as
 * the Adapter contract asks of a refused refresh token.
 */
export function alibabaError(response: HttpResponse, during: 'refresh' | 'other' = 'other'): AuthError {
  const { status } = response;
  const body = response.body;
  const early = transportFailure(response);
  // Throttling travels with the backend's own code when the body names one.
  if (early && early.code === 'rate_limited') {
    const providerCode = readString(body, 'message') ?? readString(body, 'error') ?? readString(body, 'code');
    return new AuthError('rate_limited', { status, retryAfter: early.retryAfter, providerCode });
  }
  if (early) return early;
  const retryAfter = readRetryAfter(response);

  const error = readString(body, 'error');
  if (error) {
    // Own keys only: an `error` of "constructor" must not reach Object.prototype.
    let code = (Object.hasOwn(OAUTH_ERRORS, error) ? OAUTH_ERRORS[error] : undefined) ?? fallbackCode(status);
    if (error === 'invalid_grant' && during === 'refresh') code = 'session_expired';
    return new AuthError(code, { providerCode: error, status, retryAfter });
  }

  // CIAM envelope: the reason is in `message` (§2.5); the seed put it in `code`, so try both.
  const message = readString(body, 'message');
  const envelopeCode = readString(body, 'code');
  const matched = [message, envelopeCode].find((value) => value !== undefined && Object.hasOwn(CIAM_ERRORS, value));
  const providerCode = matched ?? (message && message !== 'Operation.Failure' ? message : undefined) ?? envelopeCode;
  const code = matched ? CIAM_ERRORS[matched]! : fallback(status, [message, envelopeCode, readString(body, 'error_description')]);
  const init: AuthErrorInit = { providerCode, status };
  if (retryAfter !== undefined) init.retryAfter = retryAfter;
  if (code === 'account_locked' && retryAfter !== undefined) {
    // [?] only the reference server sends Retry-After on a lock-out; read it as the unlock time.
    init.lockedUntil = Math.floor(Date.now() / 1000) + retryAfter;
  }
  return new AuthError(code, init);
}

function readRetryAfter(response: HttpResponse): number | undefined {
  const raw = response.headers.get('retry-after');
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * The code of a failure no documented name matched: the HTTP status where it says enough
 * (423 Locked, 429, 5xx), else the words of the answer, else `invalid_request` (the caller's
 * fault: the HTTP status of a CIAM failure is not documented [?]).
 */
function fallback(status: number, texts: Array<string | undefined>): AuthErrorCode {
  if (status === 423) return 'account_locked';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  const words = texts.filter((text) => text && text !== 'Operation.Failure').join(' ');
  return FALLBACK_HINTS.find(([pattern]) => pattern.test(words))?.[1] ?? 'invalid_request';
}
