// CloudBase `/auth/v1` error envelope: `{ error, error_code, error_description }` (PROVIDERS.md §6.4/§6.5 [C]).
// Only four numeric codes are documented (4001, 4004, 4028, 4029); the rest, and every HTTP status,
// are choices of this emulation, marked [?] below.
import { json } from '../kit/index.js';

interface ErrorDef {
  status: number;
  code: number;
  description: string;
}

export const ERRORS = {
  // [?] not documented: status and numeric code of the generic argument error (4000 picked next to 4001).
  invalid_argument: { status: 400, code: 4000, description: 'invalid argument' },
  // [?] not documented: used for a missing client_id, an unsupported grant_type or a wrong method.
  invalid_request: { status: 400, code: 4000, description: 'invalid request' },
  invalid_phone_number: { status: 400, code: 4001, description: 'invalid phone number, use "+86 13800000000"' },
  // [?] not documented: numeric code and status of invalid_password.
  invalid_password: { status: 400, code: 4002, description: 'invalid username or password' },
  // [?] not documented: 403 and 4003 for the account-state errors.
  invalid_status: { status: 403, code: 4003, description: 'too many wrong passwords, retry later' },
  user_blocked: { status: 403, code: 4003, description: 'user is blocked' },
  user_pending: { status: 403, code: 4003, description: 'user is pending activation' },
  phone_required: { status: 403, code: 4003, description: 'this account must sign in with an SMS verification code' },
  // [?] not documented: permission_denied (config kind) for a provider that is not enabled; 403/4030 our choice.
  permission_denied: { status: 403, code: 4030, description: 'permission denied' },
  user_not_found: { status: 404, code: 4004, description: 'user not found' },
  not_found: { status: 404, code: 4004, description: 'not found' },
  // [?] not documented: already_exists is an SDK ErrorType value; 409/4009 are our choice.
  already_exists: { status: 409, code: 4009, description: 'user already exists' },
  // [?] not documented: status/code of unauthenticated (missing, expired, revoked or foreign access token).
  unauthenticated: { status: 401, code: 4010, description: 'unauthenticated' },
  // [?] not documented: invalid_grant on refresh (also used for a bad provider code / provider token).
  invalid_grant: { status: 400, code: 4011, description: 'invalid grant' },
  // invalid_verification_code is an SDK ErrorType value [C]; [?] its status/numeric code.
  invalid_verification_code: { status: 400, code: 4020, description: 'invalid verification code' },
  // [?] not documented: PROVIDERS.md §6.5 leaves the exact code for an expired verification_id /
  // verification_token open; the seed's v3 name `code_expired` is used.
  code_expired: { status: 400, code: 4021, description: 'verification expired, request a new code' },
  // [?] not documented: the seed's v3 name `max_attempts_exceeded` for a burnt verification.
  max_attempts_exceeded: { status: 400, code: 4022, description: 'too many wrong verification codes, request a new code' },
  // [?] not documented: the HTTP status of captcha_required (428 chosen: 4028 ~ 428 Precondition Required).
  captcha_required: { status: 428, code: 4028, description: 'captcha required' },
  // [?] not documented: numeric code of captcha_invalid.
  captcha_invalid: { status: 428, code: 4027, description: 'captcha token invalid or expired' },
  // 4029 is documented [C]; the 429 status and Retry-After header are our choice [?].
  rate_limit_exceeded: { status: 429, code: 4029, description: 'rate limit exceeded' },
} satisfies Record<string, ErrorDef>;

export type ErrorName = keyof typeof ERRORS;

export function fail(name: ErrorName, description?: string, headers: Record<string, string> = {}): Response {
  const def: ErrorDef = ERRORS[name];
  return json(def.status, { error: name, error_code: def.code, error_description: description ?? def.description }, headers);
}

/** Thrown inside handlers; the router turns it into the envelope. */
export class CloudbaseError extends Error {
  constructor(
    readonly kind: ErrorName,
    readonly description?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? kind);
  }
  toResponse(): Response {
    return fail(this.kind, this.description, this.headers);
  }
}

export const raise = (kind: ErrorName, description?: string, headers?: Record<string, string>): never => {
  throw new CloudbaseError(kind, description, headers);
};
