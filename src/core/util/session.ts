import { BackendType, type Adapter, type Session, type TokenSet, type User } from '../../contract/index.js';
import { decodeJwt } from './jwt.js';

const FALLBACK_LIFETIME = 3600;

/**
 * Builds a session from a token response. `expires_at` is computed from this device's clock and
 * `expires_in`, not from the server's `exp`, so a skewed clock cannot make a fresh token look
 * expired (or an expired one look fresh).
 */
export function toSession(tokens: TokenSet, provider: BackendType, previous?: Session | null, now = Date.now()): Session {
  const access = decodeJwt(tokens.access_token);
  const idClaims = tokens.id_token ? decodeJwt(tokens.id_token) : null;
  let expiresIn = Number(tokens.expires_in);
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) {
    const exp = access?.exp, iat = access?.iat;
    expiresIn = typeof exp === 'number' && typeof iat === 'number' && exp > iat ? exp - iat : FALLBACK_LIFETIME;
  }
  const user = tokens.user ?? userFromClaims(idClaims ?? access) ?? previous?.user ?? { id: '' };
  const session: Session = {
    access_token: tokens.access_token,
    token_type: tokens.token_type || 'Bearer',
    expires_in: Math.round(expiresIn),
    expires_at: Math.floor(now / 1000) + Math.round(expiresIn),
    user,
    provider,
  };
  // A refresh response may omit the refresh token (no rotation): keep the one we had.
  const refresh = tokens.refresh_token ?? previous?.refresh_token;
  if (refresh) session.refresh_token = refresh;
  const idToken = tokens.id_token ?? previous?.id_token;
  if (idToken) session.id_token = idToken;
  return session;
}

/** Claims about the token itself, not the person: left out of the user. */
const TOKEN_CLAIMS = new Set(['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'auth_time', 'at_hash', 'c_hash', 'azp', 'sid', 'jti']);

/** OIDC standard claims to our user shape. */
export function userFromClaims(claims: Record<string, unknown> | null | undefined): User | null {
  if (!claims || typeof claims.sub !== 'string' || !claims.sub) return null;
  const user: User = { id: claims.sub };
  for (const [name, value] of Object.entries(claims)) if (!TOKEN_CLAIMS.has(name)) user[name] = value;
  user.id = claims.sub;
  if (typeof claims.phone_number === 'string' && !user.phone) user.phone = claims.phone_number;
  return user;
}

export function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | undefined;
  return (
    typeof s.access_token === 'string' && s.access_token.length > 0 &&
    typeof s.token_type === 'string' &&
    typeof s.expires_in === 'number' && Number.isFinite(s.expires_in) &&
    typeof s.expires_at === 'number' && Number.isFinite(s.expires_at) &&
    (s.refresh_token === undefined || typeof s.refresh_token === 'string') &&
    (s.id_token === undefined || typeof s.id_token === 'string') &&
    typeof s.provider === 'string' && s.provider in BackendType &&
    typeof user === 'object' && user !== null && typeof user.id === 'string'
  );
}

/** Seconds left before the session expires (negative once it has). */
export function secondsLeft(session: Session, now = Date.now()): number {
  return session.expires_at - now / 1000;
}

/**
 * How early to refresh: the smaller of 60 s and half the lifetime (DESIGN.md), so a 30-second
 * token is refreshed at 15 s, not immediately and forever.
 */
export function refreshMargin(session: Session): number {
  return Math.min(60, Math.max(1, session.expires_in) / 2);
}

export function needsRefresh(session: Session, now = Date.now()): boolean {
  return secondsLeft(session, now) <= refreshMargin(session);
}

/**
 * Whether `adapter` can refresh `session` at all; one that cannot is only ended at expiry. An
 * adapter whose code has not come yet answers from its backend's facts.
 */
export function refreshable(adapter: Adapter, session: Session): boolean {
  return !!session.refresh_token && (adapter.load ? adapter.capabilities.refresh : !!adapter.refresh);
}

/** Whether `session` should be refreshed now (or, when it cannot be, `canRefresh` false, has ended). */
export function refreshDue(session: Session, canRefresh: boolean): boolean {
  return canRefresh ? needsRefresh(session) : secondsLeft(session) <= 0;
}
