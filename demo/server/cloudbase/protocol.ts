// CloudBase's wire format: the `/auth/v1` error envelope `{ error, error_code, error_description }`
// (PROVIDERS.md §6.1 [C]), the request reading every route shares, its field parsing and the
// shell of its local pages. The SDK's numeric codes are listed in §6.1; the others, and every
// HTTP status, are choices of this emulation, marked [?] below.
import { json, readForm, type BackendContext } from '../kit/index.js';

interface ErrorDef {
  status: number;
  code: number;
  description: string;
}

export const ERRORS = {
  // 3 is the SDK's number for invalid_argument [C]; [?] the HTTP status.
  invalid_argument: { status: 400, code: 3, description: 'invalid argument' },
  // [?] not documented: used for a missing client_id, an unsupported grant_type or a wrong method.
  invalid_request: { status: 400, code: 4000, description: 'invalid request' },
  // [?] not documented: the name and number of a refused phone number (3 is invalid_argument's, §6.1).
  invalid_phone_number: { status: 400, code: 3, description: 'invalid phone number, use "+86 13800000000"' },
  // [?] not documented: numeric code and status of invalid_password.
  invalid_password: { status: 400, code: 4012, description: 'invalid username or password' },
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
  // 4001 and 4002 are the SDK's numbers [C]; [?] the HTTP status (the SDK reads only the body).
  captcha_required: { status: 400, code: 4001, description: 'captcha required' },
  captcha_invalid: { status: 400, code: 4002, description: 'captcha token invalid or expired' },
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

/** What a route handler gets: the request, its parsed body and the identifiers every call carries. */
export interface ApiCall {
  request: Request;
  ctx: BackendContext;
  body: Record<string, unknown>;
  clientId: string;
  deviceId: string;
}

export const ok = (body: unknown, headers?: Record<string, string>) => json(200, body, headers);

export function withRequestId(response: Response, requestId: string): Response {
  const headers = new Headers(response.headers);
  headers.set('x-request-id', requestId);
  return new Response(response.body, { status: response.status, headers });
}

/** The JSON body (`{}` for none or GET); undefined when it is not a JSON object. */
export async function readBody(request: Request, path: string): Promise<Record<string, unknown> | undefined> {
  if (request.method === 'GET') return {};
  const text = await request.text().catch(() => undefined);
  if (text === undefined) return undefined;
  if (!text.trim()) return {};
  const type = request.headers.get('content-type') ?? '';
  // [?] not documented: /token also takes a form body (as OAuth token endpoints do); everything else is JSON.
  if (path === '/auth/v1/token' && type.includes('application/x-www-form-urlencoded')) return readForm(new Request('http://x', { method: 'POST', body: text }));
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// ── fields ──────────────────────────────────────────────────────────────────

const PHONE = /^\+(\d{1,4}) (\d{5,15})$/;

/** CloudBase wants "+86 13800138000" (a space after the country code) [C]; anything else is invalid_phone_number. */
export function parsePhone(value: unknown): string {
  if (typeof value !== 'string') return raise('invalid_phone_number');
  const match = PHONE.exec(value.trim());
  if (!match) return raise('invalid_phone_number');
  if (match[1] === '86' && !/^1[3-9]\d{9}$/.test(match[2])) return raise('invalid_phone_number');
  return `+${match[1]} ${match[2]}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function parseEmail(value: unknown): string {
  if (typeof value !== 'string' || !EMAIL.test(value.trim())) return raise('invalid_argument', 'invalid email');
  return value.trim().toLowerCase();
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return raise('invalid_argument', `${field} must be a string`);
  return value;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (!value) return raise('invalid_argument', `${field} is required`);
  return value;
}

// ── local pages ─────────────────────────────────────────────────────────────

export const html = (status: number, body: string) =>
  new Response(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>CloudBase (local)</title></head><body>${body}</body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'" },
  });

export function absoluteUrl(value: string | null | undefined, field: string): string {
  try {
    const url = new URL(value ?? '');
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    /* fall through */
  }
  return raise('invalid_argument', `${field} must be an absolute http(s) URL`);
}
