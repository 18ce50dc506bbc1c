// Wire format of Alibaba Cloud IDaaS CIAM (PROVIDERS.md §2): the two error envelopes, the
// success envelope, request parsing and field validation. No state lives here.
import { randomUUID } from 'node:crypto';
import { json } from '../kit/index.js';

export const BASE = '/api/bff/v1.2/developer/ciam';
export const BACKEND = 'alibaba-idaas';

export const CLIENT_ID = 'alibaba-demo-client';
export const CLIENT_SECRET = 'alibaba-demo-secret';
export const IDAAS_APP_ID = 'app_demo';
/** A second application of the instance, not its default: social sign-ins name it in `state` [S]. */
export const OTHER_APP_ID = 'app_other';

/** [?] not documented: the app token's lifetime; 7200 s is what the relay's fixtures use. */
export const APP_TOKEN_TTL_S = 7200;
/** [?] not documented: how long a multi-step flow (`fId`) stays open. */
export const FLOW_TTL_S = 600;
/** [?] not documented: image captcha lifetime. */
export const CAPTCHA_TTL_S = 300;
/** [?] not documented: password failures after which an image captcha is demanded. */
export const CAPTCHA_AFTER_FAILURES = 2;
/** [?] not documented: lifetime of a `response_type=code` authorization code. */
export const AUTH_CODE_TTL_S = 300;
/** [?] not documented: lifetime of a code issued by the local social source. */
export const SOCIAL_CODE_TTL_S = 300;
/** The local stand-in social source (the seed's example id is `ciammasterwechat`). */
export const LOCAL_SOCIAL_ID = 'ciamlocalsocial';

// Failure reasons. The documented ones [S]/[C] are PROVIDERS.md §2.5; the rest are marked.
export const REASON = {
  passwordError: 'Operation.Failure.User.Password.Error',
  userNotExist: 'Operation.Failure.User.Not.Exist',
  idaasNoUser: 'Operation.Failure.IDaaS.NoUser',
  unsupport2fa: 'Operation.Failure.Unsupport.2fa.Type',
  socialLogin: 'Operation.Failure.Social.Login',
  internal: 'Operation.Failure.Service.Internal.Error',
  paramsBlank: 'Params.Blank',
  paramsIllegal: 'Params.Illegal',
  // [?] not documented (§2.5 "account lock, OTP wrong, OTP expired, captcha required: no codes
  // found"): names chosen in the documented `Operation.Failure.<Area>.<Reason>` style. The
  // adapter shares these guesses and falls back on the HTTP status and the words of an answer
  // when the real backend names them otherwise (src/providers/alibaba-idaas/errors.ts).
  userLocked: 'Operation.Failure.User.Locked', // [?]
  userExist: 'Operation.Failure.User.Exist', // [?]
  codeError: 'Operation.Failure.Code.Error', // [?]
  codeExpired: 'Operation.Failure.Code.Expired', // [?]
  codeAttemptsExceeded: 'Operation.Failure.Code.Attempts.Exceeded', // [?]
  captchaRequired: 'Operation.Failure.Captcha.Required', // [?]
  captchaError: 'Operation.Failure.Captcha.Error', // [?]
  flowExpired: 'Operation.Failure.Flow.Expired', // [?]
} as const;

export function requestId(now: number): string {
  // The seed's example: `1656326070459$be264b8d-a6ca-a75c-f224-ade8531cc4af`.
  return `${now}$${randomUUID()}`;
}

/** `{success:true, code:"Operation.Success", message:"Operation.Success", requestId, data}` [C]. */
export function ok(now: number, data: unknown): Response {
  return json(200, { success: true, code: 'Operation.Success', message: 'Operation.Success', requestId: requestId(now), data });
}

/**
 * CIAM failure envelope [C]: `code` is always `Operation.Failure`, the specific reason is in
 * `message` (PROVIDERS.md §2.5 corrects the seed here).
 * [?] not documented: the HTTP status of a CIAM failure; 400 for the caller's fault, 500 for ours.
 */
export function fail(now: number, message: string, status = 400, headers: Record<string, string> = {}): Response {
  return json(status, { success: false, code: 'Operation.Failure', message, requestId: requestId(now), data: null }, headers);
}

/** OAuth envelope [C]: `{error, error_description, error_uri, requestId}`. */
export function oauthError(now: number, status: number, error: string, description: string): Response {
  return json(status, { error, error_description: description, error_uri: null, requestId: requestId(now) });
}

/**
 * HTTP 429 + Retry-After, `Throttling` [S]. [?] not documented: the body. `Throttling` is given as
 * the code in the seed's table; it is put in both `code` and `message` so a reader of either
 * (the CIAM convention puts the reason in `message`) finds it.
 */
export function throttled(now: number, retryAfterSeconds: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return json(429, { success: false, code: 'Throttling', message: 'Throttling', requestId: requestId(now), data: null }, { 'retry-after': String(seconds) });
}

/** Thrown inside a handler to answer at once. */
export class Answer extends Error {
  constructor(readonly response: Response) {
    super('answer');
  }
}

export type Body = Record<string, unknown>;

/** The JSON object body of a CIAM call; malformed JSON answers `Params.Illegal`, none `Params.Blank`. */
export async function ciamBody(request: Request, now: number): Promise<Body> {
  let text: string;
  try {
    text = await request.text();
  } catch {
    throw new Answer(fail(now, REASON.paramsIllegal));
  }
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Answer(fail(now, REASON.paramsIllegal));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Answer(fail(now, REASON.paramsIllegal));
  return value as Body;
}

/** The body of a token call: JSON (as the relay and the seed send it) or form-encoded (OAuth). */
export async function tokenBody(request: Request, now: number): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  let text: string;
  try {
    text = await request.text();
  } catch {
    throw new Answer(oauthError(now, 400, 'invalid_request', 'The request body could not be read.'));
  }
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* answered below */
  }
  throw new Answer(oauthError(now, 400, 'invalid_request', 'The request body must be a JSON object.'));
}

/** An optional string field (numbers are taken as text); another type answers `Params.Illegal`. */
export function optional(body: Body, name: string, now: number): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Answer(fail(now, REASON.paramsIllegal));
}

/** A required string field: missing answers `Params.Blank`. */
export function required(body: Body, name: string, now: number): string {
  const value = optional(body, name, now);
  if (value === undefined || !value.trim()) throw new Answer(fail(now, REASON.paramsBlank));
  return value;
}

/** `agreeConsent` as a boolean (`true` or `"true"`). */
export function flag(body: Body, name: string): boolean {
  return body[name] === true || body[name] === 'true';
}

export type Channel = 'SMS' | 'EMAIL';

export interface Contact {
  type: Channel;
  /** What identifies the person: `+8613800000020` or the lower-cased email. */
  key: string;
  phoneRegion?: string;
  phoneNumber?: string;
  email?: string;
}

/** `type: SMS|EMAIL`, `phoneRegion` (default "86"), `phoneNumber` or `email` [T]. */
export function contact(body: Body, now: number): Contact {
  const type = required(body, 'type', now).toUpperCase();
  if (type === 'SMS') {
    const phoneRegion = (optional(body, 'phoneRegion', now) ?? '86').replace(/^\+/, '');
    const phoneNumber = required(body, 'phoneNumber', now).replace(/[\s-]/g, '');
    if (!/^\d{1,4}$/.test(phoneRegion) || !/^\d{5,15}$/.test(phoneNumber)) throw new Answer(fail(now, REASON.paramsIllegal));
    if (phoneRegion === '86' && !/^1\d{10}$/.test(phoneNumber)) throw new Answer(fail(now, REASON.paramsIllegal));
    return { type, key: `+${phoneRegion}${phoneNumber}`, phoneRegion, phoneNumber };
  }
  if (type === 'EMAIL') {
    const email = required(body, 'email', now).trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new Answer(fail(now, REASON.paramsIllegal));
    return { type, key: email, email };
  }
  throw new Answer(fail(now, REASON.paramsIllegal));
}

/** `response_type`: `Token` (default) or `code` [S]. */
export function responseType(body: Body, now: number): 'token' | 'code' {
  const value = optional(body, 'response_type', now);
  if (value === undefined || value.toLowerCase() === 'token') return 'token';
  if (value === 'code') return 'code';
  throw new Answer(fail(now, REASON.paramsIllegal));
}

export function maskPhone(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/** A loopback redirect URI: [?] not documented which redirect URIs the demo app registers. */
export function registeredRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (url.protocol === 'http:' || url.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
