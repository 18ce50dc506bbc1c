// Tencent Cloud CIAM's wire format (PROVIDERS.md §3): the OAuth error body `{error,
// error_description}` and the §3.5 rows verbatim, the documented content type, and request reading
// (fields, content kinds, Basic client credentials, scopes).
import { json } from '../kit/index.js';

/** The documented content type: `application/json;charset=UTF-8`. */
export function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return json(status, body, { 'content-type': 'application/json;charset=UTF-8', pragma: 'no-cache', ...headers });
}

export function oauthError(error: string, description: string, status = 400, headers: Record<string, string> = {}): Response {
  return reply(status, { error, error_description: description }, headers);
}

// The §3.5 rows, verbatim [C].
export const ERR = {
  otpToken: () => oauthError('invalid_grant', 'Unknown or expired otp_token'),
  otp: () => oauthError('invalid_grant', 'Unknown or expired OTP'),
  mismatch: () => oauthError('invalid_request', 'Mismatched OTP token and OTP sending parameters'),
  userNotFound: () => oauthError('invalid_grant', 'User not found'),
  abnormal: () => oauthError('invalid_grant', 'Abnormal user status'),
  authSource: () => oauthError('invalid_auth_source', 'Auth source and application not associated'),
  // [?] not documented: client authentication failure (RFC 6749 §5.2 shape, 401 + WWW-Authenticate).
  client: () => oauthError('invalid_client', 'Client authentication failed', 401, { 'www-authenticate': 'Basic realm="tencentciam"' }),
  // [?] not documented: missing/malformed parameters.
  missing: (name: string) => oauthError('invalid_request', `Missing required parameter: ${name}`),
  invalid: (name: string) => oauthError('invalid_request', `Invalid parameter: ${name}`),
  malformed: () => oauthError('invalid_request', 'Malformed request body'),
};

/** A string field of a JSON or form body (numbers are accepted as their text), else undefined. */
export function str(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (typeof value === 'string') return value.length ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** `auto_signup`: Boolean per the docs, "pass \"true\"" in the prose; both are accepted. */
export const truthy = (value: unknown) => value === true || value === 'true';

export function contentKind(request: Request): 'json' | 'form' | 'other' {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('application/json')) return 'json';
  if (type.includes('application/x-www-form-urlencoded')) return 'form';
  return 'other';
}

export function parseBasic(header: string | null): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // base64(urlenc(client_id):urlenc(client_secret)) [C] — form-decoding, so `+` is a space.
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  };
  const id = decode(decoded.slice(0, colon));
  const secret = decode(decoded.slice(colon + 1));
  return id !== undefined && secret !== undefined ? { id, secret } : undefined;
}

export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'phone'];

/** A space-separated scope whose every value is supported; undefined when one is not. */
export function parseScope(raw: string | undefined, fallback = 'openid'): string | undefined {
  if (raw === undefined) return fallback;
  const scopes = [...new Set(raw.split(' ').filter(Boolean))];
  if (!scopes.length || !scopes.every((s) => SUPPORTED_SCOPES.includes(s))) return undefined;
  return scopes.join(' ');
}

export const invalidScope = () => oauthError('invalid_scope', 'Unsupported scope'); // [?]
