// Tokens: issuance, refresh-family revocation, the user behind an access token, and the routes
// around them (discovery, userinfo, revocation).
import { bearerToken, randomToken, readForm, readJson, sha256, type BackendContext } from '../kit/index.js';
import { collections, findApp, isAbnormal, newId, type User } from './model.js';
import { ERR, SUPPORTED_SCOPES, contentKind, oauthError, reply, str } from './protocol.js';

// [?] not documented: the id_token lifetime. The sample tokens show 300 s access / 1800 s id_token.
const ID_TOKEN_TTL_SECONDS = 1800;

export interface IssueOptions {
  scope: string;
  nonce?: string;
  authTime?: number;
  /** Keep the refresh-token family when rotating. */
  family?: string;
}

/** The documented success body [C]: access_token, token_type, expires_in, scope, refresh_token, id_token. */
export async function issueTokens(ctx: BackendContext, user: User, clientId: string, options: IssueOptions): Promise<Response> {
  const now = ctx.now();
  const iss = ctx.baseUrl;
  const scopes = options.scope.split(' ').filter(Boolean);
  const ttl = ctx.policies.accessTokenTtlSeconds;
  // Claims as in the decoded sample access token: sub, aud, nbf, scope (array), iss, exp, iat, jti.
  // nbf never lies ahead of the wall clock: the tests move ctx.now() forward, and verifiers (jose
  // in ctx.jwt.verify included) compare nbf with real time.
  const nbf = Math.floor(Math.min(now, Date.now()) / 1000);
  const accessToken = await ctx.jwt.sign({ sub: user.id, aud: clientId, nbf, scope: scopes, iss, jti: newId() }, ttl, now);
  const body: Record<string, unknown> = { access_token: accessToken };
  const refresh = randomToken('', 72);
  collections(ctx).refresh.put(sha256(refresh), {
    id: sha256(refresh),
    family: options.family ?? newId(),
    userId: user.id,
    clientId,
    scope: options.scope,
    expiresAt: now + ctx.policies.refreshTokenTtlSeconds * 1000,
    rotated: false,
  });
  body.refresh_token = refresh;
  body.scope = options.scope;
  if (scopes.includes('openid')) {
    const claims: Record<string, unknown> = { sub: user.id, aud: clientId, azp: clientId, iss, jti: newId() };
    if (options.nonce) claims.nonce = options.nonce;
    if (options.authTime) claims.auth_time = Math.floor(options.authTime / 1000);
    // [?] not documented: profile claims in the id_token; added only for the matching scopes.
    if (scopes.includes('phone') && user.phone) claims.phone_number = user.phone;
    if (scopes.includes('email') && user.email) claims.email = user.email;
    if (scopes.includes('profile') && user.name) claims.name = user.name;
    body.id_token = await ctx.jwt.sign(claims, ID_TOKEN_TTL_SECONDS, now);
  }
  body.token_type = 'Bearer';
  body.expires_in = ttl;
  return reply(200, body);
}

/** The user behind a valid, unexpired access token (not an id_token), or null. */
export async function accessTokenUser(ctx: BackendContext, token: string): Promise<User | null> {
  if (typeof token !== 'string' || token.length > 8192) return null;
  const payload = await ctx.jwt.verify(token);
  if (!payload || typeof payload.sub !== 'string' || !Array.isArray(payload.scope) || payload.azp !== undefined) return null;
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= ctx.now()) return null;
  if (typeof payload.jti === 'string' && collections(ctx).revokedJti.get(payload.jti)) return null;
  const user = collections(ctx).users.get(payload.sub);
  if (!user || isAbnormal(ctx, user)) return null;
  return user;
}

/** Revokes every refresh token of a family (reuse of a rotated token, or an explicit revoke). */
export function revokeFamily(ctx: BackendContext, family: string): void {
  const { refresh } = collections(ctx);
  for (const record of refresh.values()) if (record.family === family) refresh.delete(record.id);
}

// ── routes ────────────────────────────────────────────────────────────────────

// [?] not documented: the resource-endpoint error shape (RFC 6750).
export const invalidToken = () => oauthError('invalid_token', 'Invalid or expired access token', 401, { 'www-authenticate': 'Bearer error="invalid_token"' });

export function discovery(ctx: BackendContext): Response {
  // Discovery is documented [C]; its fields are the standard OIDC ones [?].
  const base = ctx.baseUrl;
  return reply(200, {
    issuer: base,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    userinfo_endpoint: `${base}/oauth2/userinfo`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    end_session_endpoint: `${base}/logout`,
    jwks_uri: `${base}/oauth2/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'password', 'refresh_token', 'http://tencentciam.com/oauth2/grant-type/otp/sms', 'http://tencentciam.com/oauth2/grant-type/otp/email'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: SUPPORTED_SCOPES,
    subject_types_supported: ['public'],
    // The emulation signs with an HS256 key of its own (the real service uses RS256 + JWKS).
    id_token_signing_alg_values_supported: ['HS256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
  });
}

export async function userinfo(request: Request, ctx: BackendContext): Promise<Response> {
  const token = bearerToken(request);
  const user = token ? await accessTokenUser(ctx, token) : null;
  if (!user) return invalidToken();
  return reply(200, { sub: user.id, ...(user.username ? { preferred_username: user.username } : {}), ...(user.name ? { name: user.name } : {}), ...(user.phone ? { phone_number: user.phone } : {}), ...(user.email ? { email: user.email } : {}) });
}

export async function revoke(request: Request, ctx: BackendContext): Promise<Response> {
  const form = contentKind(request) === 'json' ? ((await readJson(request)) ?? {}) : await readForm(request);
  const token = str(form, 'token');
  if (!token) return ERR.missing('token');
  const app = findApp(str(form, 'client_id'));
  if (!app) return ERR.client();
  const record = collections(ctx).refresh.get(sha256(token));
  if (record && record.clientId === app.clientId) revokeFamily(ctx, record.family);
  const payload = await ctx.jwt.verify(token);
  if (payload && typeof payload.jti === 'string' && payload.aud === app.clientId && typeof payload.exp === 'number') {
    collections(ctx).revokedJti.put(payload.jti, { until: payload.exp * 1000 });
  }
  return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } }); // RFC 7009: 200 either way
}
