// Grants: authorization codes, access and refresh tokens (kept as digests), the native success
// answer per response_type, and POST /oauth/token (Basic API-client credentials).
import { randomToken, type BackendContext, type Collection } from '../kit/index.js';
import { JANRAIN_CONFIG, captureUser, collections, digest, type Grant, type JanrainUser } from './model.js';
import { basicClient, fail, invalidArgument, missing, ok, type Base, type Form } from './protocol.js';

export function issue(grants: Collection<Grant>, kind: Grant['kind'], prefix: string, grant: Omit<Grant, 'kind' | 'key'>): string {
  const value = randomToken(prefix, 24);
  const key = digest(value);
  grants.put(key, { key, kind, ...grant });
  return value;
}

/** Returns the live grant of `kind` for `value`, or undefined (unknown, wrong kind, expired). */
export function lookup(grants: Collection<Grant>, kind: Grant['kind'], value: unknown, now: number): { key: string; grant: Grant } | undefined {
  if (typeof value !== 'string' || !value || value.length > 512) return undefined;
  const key = digest(value);
  const grant = grants.get(key);
  if (!grant || grant.kind !== kind) return undefined;
  if (grant.expiresAt <= now) {
    grants.delete(key);
    return undefined;
  }
  return { key, grant };
}

/** The native success body per response_type (§5.4; the code's field name is §5.6 q1). */
export function nativeSuccess(ctx: BackendContext, user: JanrainUser, base: Base, extra: Record<string, unknown> = {}): Response {
  const { grants } = collections(ctx);
  const now = ctx.now();
  const body: Record<string, unknown> = { capture_user: captureUser(user), ...extra };
  if (base.responseType === 'code' || base.responseType === 'code_and_token') {
    body.authorization_code = issue(grants, 'authorization_code', '', {
      uuid: user.uuid,
      clientId: base.clientId,
      redirectUri: base.redirectUri,
      expiresAt: now + JANRAIN_CONFIG.authorizationCodeTtlSeconds * 1000,
    });
  }
  if (base.responseType === 'token' || base.responseType === 'code_and_token') {
    // [?] not documented: `expires_in` beside the native access token; no refresh_token here
    // (refresh tokens come only from /oauth/token, which needs the API client's Basic auth).
    body.access_token = issue(grants, 'access_token', '', { uuid: user.uuid, clientId: base.clientId, expiresAt: now + ctx.policies.accessTokenTtlSeconds * 1000 });
    body.expires_in = ctx.policies.accessTokenTtlSeconds;
  }
  return ok(body);
}

function tokenPair(ctx: BackendContext, uuid: string, clientId: string, family: string) {
  const { grants } = collections(ctx);
  const now = ctx.now();
  const access_token = issue(grants, 'access_token', '', { uuid, clientId, expiresAt: now + ctx.policies.accessTokenTtlSeconds * 1000 });
  const refresh_token = issue(grants, 'refresh_token', '', { uuid, clientId, family, expiresAt: now + ctx.policies.refreshTokenTtlSeconds * 1000 });
  // [?] not documented: no `token_type` in Janrain's token answer; the widget assumes Bearer.
  return { access_token, refresh_token, expires_in: ctx.policies.accessTokenTtlSeconds };
}

export function token(ctx: BackendContext, request: Request, form: Form): Response {
  const client = basicClient(request);
  if (!client) {
    if ((request.headers.get('authorization') ?? '').toLowerCase().startsWith('signature ')) {
      // [?] not documented here: janrain-signed auth is not emulated.
      return fail(205, 'invalid_auth_method', 'janrain-signed authentication is not supported by this emulation; use Basic');
    }
    return fail(402, 'invalid_client_credentials', 'client credentials are required (HTTP Basic)');
  }
  if (client.id === JANRAIN_CONFIG.loginClientId) return fail(403, 'client_permission_error', 'a login_client cannot call /oauth/token');
  if (client.id !== JANRAIN_CONFIG.apiClientId || client.secret !== JANRAIN_CONFIG.apiClientSecret) {
    return fail(402, 'invalid_client_credentials', 'the client id or secret is invalid');
  }
  const { grants, users } = collections(ctx);
  const now = ctx.now();
  if (!form.grant_type) return missing('grant_type');
  if (form.grant_type === 'authorization_code') {
    if (!form.code) return missing('code');
    if (!form.redirect_uri) return missing('redirect_uri');
    const found = lookup(grants, 'authorization_code', form.code, now);
    if (!found) return fail(415, 'authorization_code_expired', 'the authorization code is expired, used or invalid');
    grants.delete(found.key); // single use, even when the redirect_uri is wrong
    if (found.grant.redirectUri !== form.redirect_uri) return fail(420, 'redirect_uri_mismatch', 'redirect_uri does not match the one the code was issued for', { argument_name: 'redirect_uri' });
    if (!users.get(found.grant.uuid)) return fail(415, 'authorization_code_expired', 'the authorization code is expired, used or invalid');
    return ok(tokenPair(ctx, found.grant.uuid, found.grant.clientId, randomToken('', 9)));
  }
  if (form.grant_type === 'refresh_token') {
    if (!form.refresh_token) return missing('refresh_token');
    const found = lookup(grants, 'refresh_token', form.refresh_token, now);
    // [?] not documented: the code for an expired/unknown refresh token; 414 (session_expired kind).
    if (!found || !users.get(found.grant.uuid)) return fail(414, 'access_token_expired', 'the refresh token is expired or invalid');
    if (found.grant.usedAt !== undefined) {
      // Reuse of a rotated refresh token: revoke the whole family.
      for (const grant of grants.values()) if (grant.family === found.grant.family) grants.delete(grant.key);
      return fail(414, 'access_token_expired', 'the refresh token is expired or invalid');
    }
    grants.put(found.key, { ...found.grant, usedAt: now });
    return ok(tokenPair(ctx, found.grant.uuid, found.grant.clientId, found.grant.family ?? randomToken('', 9)));
  }
  return invalidArgument('grant_type', 'must be authorization_code or refresh_token');
}

