// Social login: POST /login/social completes a third-party sign-in, and the local stand-in for the
// third-party source's authorize page that issues its codes.
import { escapeHtml as esc, randomToken, redirect, type BackendContext } from '../kit/index.js';
import { checkUsable, finishFirstFactor, userOf } from './flows.js';
import { collections, type Handler } from './model.js';
import { IDAAS_APP_ID, LOCAL_SOCIAL_ID, OTHER_APP_ID, REASON, SOCIAL_CODE_TTL_S, ciamBody, fail, optional, registeredRedirect, required, responseType } from './protocol.js';

export const loginSocial: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const source = required(body, 'enterpriseAuthId', ctx.now());
  const code = required(body, 'code', ctx.now());
  // "If redirecting to non-default app, format as `ID:{idaasAppId}`" [S]; any other state is the
  // third party's own and means the default app. [?] not documented: an unknown app id;
  // Params.Illegal.
  const state = optional(body, 'state', ctx.now());
  const appId = state?.startsWith('ID:') ? state.slice(3) : IDAAS_APP_ID;
  if (appId !== IDAAS_APP_ID && appId !== OTHER_APP_ID) return fail(ctx.now(), REASON.paramsIllegal);
  const type = responseType(body, ctx.now());
  // [?] not documented: an unknown source id; Params.Illegal.
  if (source !== LOCAL_SOCIAL_ID) return fail(ctx.now(), REASON.paramsIllegal);
  const grant = db.socialCodes.get(code);
  if (grant) db.socialCodes.delete(code);
  if (!grant || grant.expiresAt <= ctx.now()) return fail(ctx.now(), REASON.socialLogin);
  const identity = db.social.get(grant.identityId);
  if (!identity?.userId || !db.users.get(identity.userId)) return fail(ctx.now(), REASON.idaasNoUser);
  const user = userOf(db, ctx, identity.userId);
  checkUsable(ctx, user);
  return finishFirstFactor(db, ctx, user, 'SOCIAL', type, appId);
};

/**
 * The local stand-in for the third-party source's authorize page (not part of IDaaS):
 * `GET /social-source/authorize?redirect_uri=&state=[&identity=wx_demo|wx_new]` redirects back
 * with `code` and `state`; without `identity` it shows a page to pick one.
 */
export function socialAuthorize(request: Request, ctx: BackendContext): Response {
  const db = collections(ctx);
  const url = new URL(request.url);
  const redirectUri = url.searchParams.get('redirect_uri') ?? '';
  const state = url.searchParams.get('state') ?? '';
  if (!registeredRedirect(redirectUri)) return new Response('redirect_uri must be a loopback URL', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const identityId = url.searchParams.get('identity');
  const identity = identityId ? db.social.get(identityId) : undefined;
  if (identity) {
    const code = randomToken('soc_', 16);
    db.socialCodes.put(code, { code, identityId: identity.id, expiresAt: ctx.now() + SOCIAL_CODE_TTL_S * 1000 });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (state) target.searchParams.set('state', state);
    return redirect(target.toString());
  }
  const links = db.social
    .values()
    .map((i) => {
      const next = new URL(url);
      next.searchParams.set('identity', i.id);
      return `<li><a href="${esc(next.pathname + next.search)}">${esc(i.name)}</a></li>`;
    })
    .join('');
  return new Response(`<!doctype html><meta charset="utf-8"><title>Local social sign-in</title><h1>Local social sign-in (stand-in)</h1><ul>${links}</ul>`, {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
