// Sessions and their tokens: issue, refresh (rotation), revoke, and the user behind an access token.
import { randomToken, type BackendContext } from '../kit/index.js';
import { cols, type SessionRecord, type UserRecord, type ApiCall } from './model.js';
import { ok, raise, requiredString } from './protocol.js';

export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  refresh_token: string;
  expires_in: number;
  sub: string;
}

async function accessToken(ctx: BackendContext, user: UserRecord, session: SessionRecord, clientId: string): Promise<string> {
  // [?] not documented: the claim set of CloudBase access tokens. A JWT (HS256 via ctx.jwt) with
  // sub, sid (our session id), client_id and scope ("user" | "anonymous").
  return ctx.jwt.sign({ iss: ctx.baseUrl, sub: user.sub, sid: session.id, client_id: clientId, scope: user.anonymous ? 'anonymous' : 'user' }, ctx.policies.accessTokenTtlSeconds, ctx.now());
}

function newRefresh(ctx: BackendContext, session: SessionRecord): string {
  const token = randomToken('rt_');
  const expiresAt = ctx.now() + ctx.policies.refreshTokenTtlSeconds * 1000;
  cols(ctx).refresh.put(token, { token, sessionId: session.id, expiresAt });
  session.refreshToken = token;
  session.refreshExpiresAt = expiresAt;
  return token;
}

export async function issueSession(ctx: BackendContext, user: UserRecord, clientId: string): Promise<TokenResponse> {
  const session: SessionRecord = { id: randomToken('ses_', 12), sub: user.sub, refreshToken: '', refreshExpiresAt: 0, revoked: false, createdAt: ctx.now() };
  const refresh_token = newRefresh(ctx, session);
  cols(ctx).sessions.put(session.id, session);
  return { token_type: 'Bearer', access_token: await accessToken(ctx, user, session, clientId), refresh_token, expires_in: ctx.policies.accessTokenTtlSeconds, sub: user.sub };
}

/** Rotates: the presented refresh token dies, a new one is returned with a new access token. */
export async function refreshSession(ctx: BackendContext, token: string, clientId: string): Promise<TokenResponse> {
  const c = cols(ctx);
  const record = c.refresh.get(token);
  const session = record && c.sessions.get(record.sessionId);
  const user = session && c.users.get(session.sub);
  if (!record || !session || !user || session.revoked || record.rotatedAt !== undefined || record.expiresAt <= ctx.now()) {
    return raise('invalid_grant', 'refresh token is invalid, expired or revoked');
  }
  if (user.status !== 'ACTIVE') return raise('invalid_grant', 'user is not active');
  c.refresh.put(token, { ...record, rotatedAt: ctx.now() });
  const refresh_token = newRefresh(ctx, session);
  c.sessions.put(session.id, session);
  return { token_type: 'Bearer', access_token: await accessToken(ctx, user, session, clientId), refresh_token, expires_in: ctx.policies.accessTokenTtlSeconds, sub: user.sub };
}

/** The live session and user behind an access token, or null (bad signature, expired at ctx.now(), revoked). */
export async function verifyAccess(ctx: BackendContext, token: string): Promise<{ user: UserRecord; session: SessionRecord } | null> {
  const claims = await ctx.jwt.verify(token);
  if (!claims || claims.iss !== ctx.baseUrl || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp * 1000 <= ctx.now()) return null;
  const c = cols(ctx);
  const session = c.sessions.get(claims.sid);
  const user = session && c.users.get(session.sub);
  if (!session || !user || session.revoked) return null;
  return { user, session };
}

export function revokeSession(ctx: BackendContext, session: SessionRecord): void {
  const c = cols(ctx);
  c.sessions.put(session.id, { ...session, revoked: true });
  c.refresh.delete(session.refreshToken);
}

// ── routes ────────────────────────────────────────────────────────────────────

// POST /auth/v1/token {client_id, client_secret: "", grant_type: "refresh_token", refresh_token} [C]
export async function token({ ctx, body, clientId }: ApiCall): Promise<Response> {
  const grantType = requiredString(body, 'grant_type');
  // [?] not documented: the error for another grant_type (only refresh_token is browser-facing).
  if (grantType !== 'refresh_token') return raise('invalid_request', 'unsupported grant_type');
  return ok(await refreshSession(ctx, requiredString(body, 'refresh_token'), clientId));
}

// POST /auth/v1/revoke {token}: an access or refresh token; its session dies (both tokens).
export async function revoke({ ctx, body }: ApiCall): Promise<Response> {
  const value = requiredString(body, 'token');
  const c = cols(ctx);
  const viaAccess = await verifyAccess(ctx, value);
  const refresh = c.refresh.get(value);
  const session = viaAccess?.session ?? (refresh ? c.sessions.get(refresh.sessionId) : undefined);
  if (session && !session.revoked) revokeSession(ctx, session);
  // [?] not documented: the success body; `{}` (and unknown tokens also succeed, as in RFC 7009).
  return ok({});
}

export function profile(user: UserRecord) {
  // Field names from the SDK's UserInfo [C] (sub, name, picture, username, email, email_verified,
  // phone_number, gender, providers, created_at, updated_at); which ones the server fills is [?].
  return {
    sub: user.sub,
    name: user.name ?? user.username ?? '',
    ...(user.username ? { username: user.username } : {}),
    ...(user.email ? { email: user.email, email_verified: true } : {}),
    ...(user.phone_number ? { phone_number: user.phone_number } : {}),
    picture: user.picture ?? '',
    gender: user.gender ?? 'UNKNOWN',
    providers: user.providers.map((p) => ({ id: p.id, provider_user_id: p.provider_user_id, name: p.name ?? '' })),
    created_from: user.created_from,
    status: user.status,
    created_at: new Date(user.createdAt).toISOString(),
    updated_at: new Date(user.updatedAt ?? user.createdAt).toISOString(),
  };
}

// GET /auth/v1/user/me with Authorization: Bearer <access_token> (the router checked it).
export async function userMe({ caller }: ApiCall): Promise<Response> {
  return caller ? ok(profile(caller.user)) : raise('unauthenticated');
}
