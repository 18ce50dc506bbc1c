// Token issuance, refresh rotation and introspection.
import type { BackendContext } from '../kit/index.js';
import { collections, hash, isAbnormal, newId, randomToken, reply, type User } from './shared.js';

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
  collections(ctx).refresh.put(hash(refresh), {
    id: hash(refresh),
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
  if (!user || isAbnormal(user, ctx.now())) return null;
  return user;
}

/** Revokes every refresh token of a family (reuse of a rotated token, or an explicit revoke). */
export function revokeFamily(ctx: BackendContext, family: string): void {
  const { refresh } = collections(ctx);
  for (const record of refresh.values()) if (record.family === family) refresh.delete(record.id);
}
