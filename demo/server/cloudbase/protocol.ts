// CloudBase's wire format: the `/auth/v1` error envelope `{ error, error_code, error_description }`
// (PROVIDERS.md §6.1 [C]), the request reading every route shares, its field parsing and the
// shell of its local pages. The SDK's numeric codes are listed in §6.1; the others, and every
// HTTP status, are choices of this emulation, marked [?] below.
import { json, readForm } from '../kit/index.js';

interface ErrorDef {
  status: number;
  code: number;
  description: string;
}

export const ERRORS = {
  // §6.1 [C]: the SDK's numbers (3, 5, 7, 8, 9, 16, 4001, 4002, 4042). [?] Every HTTP status: the
  // SDK reads only the body. [?] The numbers of names §6.1 lists without one (invalid_password,
  // invalid_status, user_blocked, user_pending, user_not_found, invalid_grant, already_exists)
  // are the gRPC codes of their meaning.
  invalid_argument: { status: 400, code: 3, description: 'invalid argument' },
  // [?] used for a missing client_id, an unsupported grant_type or a wrong method.
  invalid_request: { status: 400, code: 3, description: 'invalid request' },
  invalid_password: { status: 400, code: 16, description: 'invalid username or password' },
  invalid_status: { status: 403, code: 7, description: 'too many wrong passwords, retry later' },
  user_blocked: { status: 403, code: 7, description: 'user is blocked' },
  user_pending: { status: 403, code: 7, description: 'user is pending activation' },
  // §6.1 [C] mfa_phone_required (4042): this account finishes its sign-in with an SMS code.
  mfa_phone_required: { status: 403, code: 4042, description: 'multi-factor authentication by phone is required' },
  // [?] permission_denied for a source that is not enabled.
  permission_denied: { status: 403, code: 7, description: 'permission denied' },
  user_not_found: { status: 404, code: 5, description: 'user not found' },
  not_found: { status: 404, code: 5, description: 'not found' },
  // §6.1: failed_precondition (9); "not found" in its description means an unknown user [C].
  failed_precondition: { status: 400, code: 9, description: 'failed precondition' },
  already_exists: { status: 409, code: 6, description: 'user already exists' },
  unauthenticated: { status: 401, code: 16, description: 'unauthenticated' },
  invalid_grant: { status: 400, code: 16, description: 'invalid grant' },
  captcha_required: { status: 400, code: 4001, description: 'captcha required' },
  captcha_invalid: { status: 400, code: 4002, description: 'captcha token invalid or expired' },
  // §6.1: resource_exhausted (8) with `retry_after` (seconds) in the body [C]; [?] 429 and no header.
  resource_exhausted: { status: 429, code: 8, description: 'too many requests' },
  internal: { status: 500, code: 13, description: 'internal error' },
} satisfies Record<string, ErrorDef>;

export type ErrorName = keyof typeof ERRORS;

export function fail(name: ErrorName, description?: string, extra: Record<string, unknown> = {}): Response {
  const def: ErrorDef = ERRORS[name];
  return json(def.status, { error: name, error_code: def.code, error_description: description ?? def.description, ...extra });
}

/** Thrown inside handlers; the router turns it into the envelope. */
export class CloudbaseError extends Error {
  constructor(
    readonly kind: ErrorName,
    readonly description?: string,
    /** More fields of the body (`retry_after`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(description ?? kind);
  }
  toResponse(): Response {
    return fail(this.kind, this.description, this.extra);
  }
}

export const raise = (kind: ErrorName, description?: string, extra?: Record<string, unknown>): never => {
  throw new CloudbaseError(kind, description, extra);
};

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

const BAD_PHONE = 'invalid phone number, use "+86 13800000000"';

/**
 * CloudBase wants "+86 13800138000" (a space after the country code) [C]; anything else is
 * invalid_argument ([?] the name: the SDK knows no invalid_phone_number).
 */
export function parsePhone(value: unknown): string {
  if (typeof value !== 'string') return raise('invalid_argument', BAD_PHONE);
  const match = PHONE.exec(value.trim());
  if (!match) return raise('invalid_argument', BAD_PHONE);
  if (match[1] === '86' && !/^1[3-9]\d{9}$/.test(match[2])) return raise('invalid_argument', BAD_PHONE);
  return `+${match[1]} ${match[2]}`;
}

/**
 * A phone as a person typed it, read the way the SDK's formatPhone writes it: "+86138…" becomes
 * "+86 138…", a bare national number "+86 …". For the one call the SDK sends unformatted (/reset).
 */
export function parseTypedPhone(value: unknown): string {
  if (typeof value !== 'string') return raise('invalid_argument', BAD_PHONE);
  const typed = value.trim();
  if (!/\s/.test(typed) && /^\+\d{1,3}\d+/.test(typed)) return parsePhone(typed.replace(/^(\+\d{1,2})(\d+)$/, '$1 $2'));
  return parsePhone(/^\+\d{1,3}\s+/.test(typed) ? typed : `+86 ${typed}`);
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
