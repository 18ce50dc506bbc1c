// Sessions and state tokens: the SUCCESS answer (session_token, expire, id_token), the
// PASSWORD_WARN / PASSWORD_EXPIRED answer (state_token + policy), and looking either one up.
import { randomBytes } from 'node:crypto';
import { json, randomToken, type BackendContext } from '../kit/index.js';
import { ID_TOKEN_TTL_SECONDS, POLICY, POLICY_TIP, STATE_TTL_MS, collections, type StateRecord, type UserRecord } from './model.js';
import type { Lang } from './protocol.js';

/** A 32-character alphanumeric session token, like the documented `btsiBjx85prcZu6I6Ki057Tmw3nSF2VO`. */
function sessionToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}

export async function issueSession(ctx: BackendContext, user: UserRecord, clientId: string): Promise<Response> {
  const now = ctx.now();
  const ttl = ctx.policies.accessTokenTtlSeconds;
  const token = sessionToken();
  collections(ctx).sessions.put(token, { token, userId: user.id, clientId, expiresAt: now + ttl * 1000 });
  // [?] not documented for CIAM: the id_token claims. `sub` is the user id; `api` mirrors the
  // user-info string in bccastle's EIAM id_token example ({name, mobile, id, userName, email}).
  const idToken = await ctx.jwt.sign(
    {
      iss: ctx.baseUrl,
      aud: clientId,
      sub: user.id,
      jti: randomToken('', 16),
      api: JSON.stringify({ name: user.name, mobile: `+86-${user.mobile}`, id: user.id, userName: user.mobile, email: '' }),
    },
    ID_TOKEN_TTL_SECONDS,
    now,
  );
  // Field order as in the seed's success example [C].
  return json(200, { session_token: token, expire: ttl, status: 'SUCCESS', id_token: idToken });
}

export function issueState(ctx: BackendContext, user: UserRecord, kind: StateRecord['kind'], clientId: string, lang: Lang): Response {
  // [?] not documented: the state token's format (the docs show a truncated JWT); opaque here,
  // single-use, bound to the user and the client id.
  const token = randomToken('', 32);
  collections(ctx).states.put(token, { token, userId: user.id, kind, clientId, expiresAt: ctx.now() + STATE_TTL_MS });
  const data = JSON.stringify({ ...POLICY, tip: POLICY_TIP[lang] });
  return json(200, { status: kind, state_token: token, data });
}


/** A live state token for this client, or undefined (unknown, expired, other client). */
export function lookupState(ctx: BackendContext, token: string, clientId: string): StateRecord | undefined {
  if (!token) return undefined;
  const { states } = collections(ctx);
  const record = states.get(token);
  if (!record) return undefined;
  if (record.expiresAt <= ctx.now()) {
    states.delete(token);
    return undefined;
  }
  return record.clientId === clientId ? record : undefined;
}

/** The user of a live session token (not disabled), or null. */
export function sessionUser(ctx: BackendContext, accessToken: string): { userId: string; name: string } | null {
  if (typeof accessToken !== 'string' || !accessToken) return null;
  const { sessions, users } = collections(ctx);
  const session = sessions.get(accessToken);
  if (!session) return null;
  if (session.expiresAt <= ctx.now()) {
    sessions.delete(accessToken);
    return null;
  }
  const user = users.get(session.userId);
  if (!user || user.state === 'disabled') return null;
  return { userId: user.id, name: user.name };
}
