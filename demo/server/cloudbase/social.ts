// Third-party sign-in: provider/uri → provider/token → signin/with/provider (linkIdentity ends at
// /user/provider/bind instead, account.ts).
//
// No real OAuth provider exists on this machine, so LOCAL STAND-INS (not CloudBase paths)
// complete the flow:
//   • GET  /auth/v1/provider/authorize           the "social provider" login page `uri` points at;
//     it redirects to the redirect_uri with `code` and `state`.
//   • POST /auth/v1/provider/demo-idp/id_token   {provider_id, sub, name?, email?} → {id_token, expires_in}:
//     an id token a page got from a third party in the page (Google One Tap, say): the SDK's
//     signInWithIdToken posts it straight to /signin/with/provider as its `provider_token` [C].
import { escapeHtml as esc, json, randomToken, redirect, withParams, type BackendContext } from '../kit/index.js';
import { PROVIDER_TOKEN_TTL_SECONDS, cols, newUser, type ProviderGrantRecord, type ApiCall } from './model.js';
import { absoluteUrl, html, optionalString, raise, requiredString } from './protocol.js';
import { issueSession } from './tokens.js';

/** Identity sources "enabled" in this emulated env ([?] the real list is per-env console configuration). */
export const PROVIDERS: Record<string, string> = { google: 'Google', github: 'GitHub', wx_open: 'WeChat' };
const CODE_TTL_MS = 5 * 60 * 1000;

function enabledProvider(id: string | undefined | null): string {
  if (!id) return raise('invalid_argument', 'provider_id is required');
  if (!PROVIDERS[id]) return raise('permission_denied', `identity source "${id}" is not enabled`);
  return id;
}

// GET /auth/v1/provider/uri?client_id&provider_id&redirect_uri&state → {uri, signout_uri}
export async function providerUri({ ctx, request }: ApiCall): Promise<Response> {
  const q = new URL(request.url).searchParams;
  const providerId = enabledProvider(q.get('provider_id'));
  // [C] the SDK sends redirect_uri (its provider_redirect_uri renamed); the old name is accepted too.
  const redirectUri = absoluteUrl(q.get('redirect_uri') ?? q.get('provider_redirect_uri'), 'redirect_uri');
  const state = q.get('state');
  if (!state) return raise('invalid_argument', 'state is required');
  const uri = withParams(`${ctx.baseUrl}/auth/v1/provider/authorize`, { provider_id: providerId, redirect_uri: redirectUri, state });
  // [?] `uri` comes URL-encoded: the SDK decodes it before navigating (§6.2 [C]), which would
  // spoil a plain URL's own encoded parameters. [?] signout_uri: empty for these sources.
  return json(200, { uri: encodeURIComponent(uri), signout_uri: '' });
}

// LOCAL STAND-IN: the provider's consent page, and its submit.
export function providerAuthorizePage(request: Request, ctx: BackendContext): Response {
  const q = new URL(request.url).searchParams;
  const providerId = q.get('provider_id') ?? '';
  const label = PROVIDERS[providerId];
  let redirectUri: string;
  try {
    redirectUri = absoluteUrl(q.get('redirect_uri'), 'redirect_uri');
  } catch {
    return html(400, '<p>Missing or invalid redirect_uri.</p>');
  }
  if (!label) return html(400, `<p>Unknown provider ${esc(providerId)}.</p>`);
  const state = q.get('state') ?? '';
  if (q.get('approve') === '1') {
    const name = (q.get('name') ?? '').trim() || `Demo ${label} user`;
    const code = randomToken('pc_', 18);
    const providerUserId = `${providerId}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    cols(ctx).providerGrants.put(code, { id: code, kind: 'code', providerId, providerUserId, name, redirectUri, expiresAt: ctx.now() + CODE_TTL_MS });
    return redirect(withParams(redirectUri, { code, state }));
  }
  if (q.get('approve') === '0') return redirect(withParams(redirectUri, { error: 'access_denied', error_description: 'the user cancelled', state }));
  return html(
    200,
    `<h1>${esc(label)} (local stand-in)</h1><form method="get" action="authorize">` +
      `<input type="hidden" name="provider_id" value="${esc(providerId)}"><input type="hidden" name="redirect_uri" value="${esc(redirectUri)}"><input type="hidden" name="state" value="${esc(state)}">` +
      `<label>Name <input name="name" value="Demo ${esc(label)} user"></label> <button name="approve" value="1">Continue</button> <button name="approve" value="0">Cancel</button></form>`,
  );
}

// LOCAL STAND-IN: POST /auth/v1/provider/demo-idp/id_token {provider_id, sub, name?, email?} → {id_token, expires_in}
export async function demoIdToken({ ctx, body }: ApiCall): Promise<Response> {
  const providerId = enabledProvider(optionalString(body, 'provider_id'));
  const sub = requiredString(body, 'sub');
  const name = optionalString(body, 'name');
  const email = optionalString(body, 'email');
  const id_token = await ctx.jwt.sign({ iss: `${ctx.baseUrl}/auth/v1/provider/demo-idp`, aud: providerId, sub, ...(name ? { name } : {}), ...(email ? { email } : {}) }, 600, ctx.now());
  return json(200, { id_token, expires_in: 600 });
}

// POST /auth/v1/provider/token {provider_id, provider_redirect_uri, provider_code} → {provider_token, expires_in}
export async function providerToken({ ctx, body }: ApiCall): Promise<Response> {
  const providerId = enabledProvider(optionalString(body, 'provider_id'));
  const c = cols(ctx);
  const code = requiredString(body, 'provider_code');
  const record = c.providerGrants.get(code);
  const redirectUri = optionalString(body, 'provider_redirect_uri');
  if (!record || record.kind !== 'code' || record.used || record.expiresAt <= ctx.now() || record.providerId !== providerId) return raise('invalid_grant', 'provider_code is invalid or expired');
  if (redirectUri !== undefined && redirectUri !== record.redirectUri) return raise('invalid_grant', 'provider_redirect_uri does not match');
  c.providerGrants.put(code, { ...record, used: true });
  const token = randomToken('pt_', 24);
  c.providerGrants.put(token, { id: token, kind: 'provider_token', providerId, providerUserId: record.providerUserId, name: record.name, email: record.email, expiresAt: ctx.now() + PROVIDER_TOKEN_TTL_SECONDS * 1000 });
  return json(200, { provider_token: token, expires_in: PROVIDER_TOKEN_TTL_SECONDS });
}

/** A live, unspent provider_token (else invalid_grant), spent now. */
export function takeProviderGrant(ctx: BackendContext, token: string): ProviderGrantRecord {
  const c = cols(ctx);
  const grant = c.providerGrants.get(token);
  if (!grant || grant.kind !== 'provider_token' || grant.used || grant.expiresAt <= ctx.now()) return raise('invalid_grant', 'provider_token is invalid or expired');
  c.providerGrants.put(token, { ...grant, used: true });
  return grant;
}

/** The identity in an id token of the local demo IdP, or null when `token` is not one. */
async function idTokenGrant(ctx: BackendContext, token: string): Promise<Pick<ProviderGrantRecord, 'providerId' | 'providerUserId' | 'name' | 'email'> | null> {
  const claims = await ctx.jwt.verify(token);
  if (!claims || claims.iss !== `${ctx.baseUrl}/auth/v1/provider/demo-idp` || typeof claims.aud !== 'string' || !PROVIDERS[claims.aud] || typeof claims.sub !== 'string') return null;
  return { providerId: claims.aud, providerUserId: claims.sub, name: typeof claims.name === 'string' ? claims.name : undefined, email: typeof claims.email === 'string' ? claims.email : undefined };
}

// POST /auth/v1/signin/with/provider {provider_token} → token response
// [C] verifyOAuth sends the provider_token of /provider/token; signInWithIdToken sends the third
// party's id token itself as `provider_token`. [?] How the backend tells them apart: here a
// provider_token is ours (`pt_…`), anything else is read as an id token of the demo IdP.
export async function signInWithProvider({ ctx, body, clientId }: ApiCall): Promise<Response> {
  const token = requiredString(body, 'provider_token');
  const c = cols(ctx);
  const grant = c.providerGrants.get(token) ? takeProviderGrant(ctx, token) : await idTokenGrant(ctx, token);
  if (!grant) return raise('invalid_grant', 'provider_token is invalid or expired');
  // [?] CloudBase's per-source "auto register" mode is assumed on: an unknown identity becomes a new user.
  let user = c.users.find((u) => u.providers.some((p) => p.id === grant.providerId && p.provider_user_id === grant.providerUserId));
  user ??= newUser({ name: grant.name ?? `${PROVIDERS[grant.providerId]} user`, ...(grant.email ? { email: grant.email } : {}), providers: [{ id: grant.providerId, provider_user_id: grant.providerUserId, name: grant.name }], created_from: grant.providerId }, ctx);
  if (user.status !== 'ACTIVE') return raise(user.status === 'BLOCKED' ? 'user_blocked' : 'user_pending');
  return json(200, await issueSession(ctx, user, clientId));
}
