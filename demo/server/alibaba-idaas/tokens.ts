// Tokens: the app token every call carries, the user's tokens, and POST /oauth/token.
import { randomToken, verifyPassword, type BackendContext } from '../kit/index.js';
import { findUserByLogin, policies, type AppToken, type Collections, type Handler, type User, type UserToken } from './model.js';
import { APP_TOKEN_TTL_S, CLIENT_ID, CLIENT_SECRET, IDAAS_APP_ID, oauthError, registeredRedirect, tokenBody } from './protocol.js';

export function issueAppToken(db: Collections, ctx: BackendContext, scope: string): AppToken {
  const record: AppToken = { token: randomToken('ali_app_'), clientId: CLIENT_ID, scope, expiresAt: ctx.now() + APP_TOKEN_TTL_S * 1000 };
  db.appTokens.put(record.token, record);
  return record;
}

/** The app token from `?access_token=` [T] or `Authorization: Bearer` [?]; null when missing or not valid. */
export function checkAppToken(db: Collections, ctx: BackendContext, request: Request): AppToken | null {
  const url = new URL(request.url);
  const header = request.headers.get('authorization') ?? '';
  const token = url.searchParams.get('access_token') || (/^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : '');
  if (!token) return null;
  const record = db.appTokens.get(token);
  if (!record) return null;
  if (record.expiresAt <= ctx.now()) {
    db.appTokens.delete(token);
    return null;
  }
  return record;
}

/** The user's tokens, as in the seed's response example (`data` of the success envelope). */
export async function issueUserTokens(db: Collections, ctx: BackendContext, user: User, appId = IDAAS_APP_ID) {
  const now = ctx.now();
  const access: UserToken = { token: randomToken('ali_at_'), userId: user.id, kind: 'access', expiresAt: now + ctx.policies.accessTokenTtlSeconds * 1000 };
  const refresh: UserToken = { token: randomToken('ali_rt_'), userId: user.id, kind: 'refresh', expiresAt: now + ctx.policies.refreshTokenTtlSeconds * 1000 };
  db.tokens.put(access.token, access);
  db.tokens.put(refresh.token, refresh);
  const idToken = await ctx.jwt.sign(
    {
      iss: `${ctx.baseUrl}/api/bff/v1.2/developer/ciam`,
      sub: user.id,
      aud: CLIENT_ID,
      loginName: user.username,
      idaasAppId: appId,
      ...(user.phoneNumber ? { phone_number: user.phoneNumber } : {}),
      ...(user.email ? { email: user.email } : {}),
    },
    ctx.policies.accessTokenTtlSeconds,
    now,
  );
  return {
    userId: user.id,
    uuid: user.id,
    access_token: access.token,
    token_type: 'bearer',
    refresh_token: refresh.token,
    expires_in: ctx.policies.accessTokenTtlSeconds,
    scope: 'USER_API',
    id_token: idToken,
  };
}

export function liveToken(db: Collections, ctx: BackendContext, token: string, kind: UserToken['kind']): UserToken | undefined {
  const record = db.tokens.get(token);
  if (!record || record.kind !== kind) return undefined;
  if (record.expiresAt <= ctx.now()) {
    db.tokens.delete(token);
    return undefined;
  }
  return record;
}

/** `user_deleted` [C] (OAuth envelope) is the one documented value for a disabled account. [?] its status. */
export function userDeleted(ctx: BackendContext): Response {
  return oauthError(ctx.now(), 403, 'user_deleted', 'The account is disabled or deleted.');
}

// ── /oauth/token ────────────────────────────────────────────────────────────

/** OAuth-shaped answers [T]; the relay reads `access_token` and `expires_in` at the top level. */
export const token: Handler = async (request, ctx, db) => {
  const now = ctx.now();
  const body = await tokenBody(request, now);
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const grant = text('grant_type');
  if (!grant) return oauthError(now, 400, 'invalid_request', 'grant_type is required.');
  if (text('client_id') !== CLIENT_ID || text('client_secret') !== CLIENT_SECRET) return oauthError(now, 401, 'invalid_client', 'Client authentication failed.');

  if (grant === 'client_credentials') {
    const scopes = (text('scope') ?? 'APPLICATION_API').split(/\s+/).filter(Boolean);
    // [?] not documented: this demo client holds only APPLICATION_API; asking for management is unauthorized_client.
    if (scopes.includes('MANAGEMENT_APPLICATION_API')) return oauthError(now, 400, 'unauthorized_client', 'The client may not use MANAGEMENT_APPLICATION_API.');
    if (scopes.length !== 1 || scopes[0] !== 'APPLICATION_API') return oauthError(now, 400, 'invalid_scope', 'Only scope APPLICATION_API is available.');
    const record = issueAppToken(db, ctx, 'APPLICATION_API');
    return Response.json({ access_token: record.token, token_type: 'bearer', expires_in: Math.round((record.expiresAt - now) / 1000), scope: record.scope }, { headers: { 'cache-control': 'no-store' } });
  }

  if (grant === 'refresh_token') {
    const refresh = text('refresh_token');
    if (!refresh) return oauthError(now, 400, 'invalid_request', 'refresh_token is required.');
    const record = liveToken(db, ctx, refresh, 'refresh');
    if (!record) return oauthError(now, 400, 'invalid_grant', 'The refresh token is invalid or expired.');
    const user = db.users.get(record.userId);
    if (!user) return oauthError(now, 400, 'invalid_grant', 'The refresh token is invalid or expired.');
    if (user.status === 'disabled') return userDeleted(ctx);
    db.tokens.delete(refresh); // rotation: the old refresh token is spent
    // [?] not documented: the refresh answer; OAuth-shaped at the top level like the client_credentials answer.
    return Response.json(await issueUserTokens(db, ctx, user), { headers: { 'cache-control': 'no-store' } });
  }

  if (grant === 'authorization_code') {
    const code = text('code');
    const redirectUri = text('redirect_uri');
    if (!code || !redirectUri) return oauthError(now, 400, 'invalid_request', 'code and redirect_uri are required.');
    if (!registeredRedirect(redirectUri)) return oauthError(now, 400, 'redirect_uri_mismatch', 'redirect_uri is not registered for this application.');
    const record = db.authCodes.get(code);
    if (record) db.authCodes.delete(code);
    const user = record && record.expiresAt > now ? db.users.get(record.userId) : undefined;
    if (!user) return oauthError(now, 400, 'invalid_grant', 'The authorization code is invalid or expired.');
    return Response.json(await issueUserTokens(db, ctx, user), { headers: { 'cache-control': 'no-store' } });
  }

  if (grant === 'password') {
    // The seed lists grant_type=password [S]: `login_failed` [C] for any wrong identifier or password.
    const username = text('username');
    const password = text('password');
    if (!username || !password) return oauthError(now, 400, 'invalid_request', 'username and password are required.');
    const user = findUserByLogin(db, username);
    if (user?.status === 'disabled') return userDeleted(ctx);
    const { lockout } = policies(ctx);
    const locked = !!user && (user.status === 'locked' || lockout.state(user.id).locked);
    if (!user || locked || user.mfa || user.captchaAlways || !user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
      if (user && !locked && user.passwordHash && !user.mfa && !user.captchaAlways) lockout.fail(user.id);
      return oauthError(now, 400, 'login_failed', 'Login failed.');
    }
    lockout.reset(user.id);
    return Response.json(await issueUserTokens(db, ctx, user), { headers: { 'cache-control': 'no-store' } });
  }

  return oauthError(now, 400, 'unsupported_grant_type', `grant_type ${grant} is not supported.`);
};
