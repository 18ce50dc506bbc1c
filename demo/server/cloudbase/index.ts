// Tencent CloudBase emulation for the reference server: the browser-facing `/auth/v1` HTTP API
// as `@cloudbase/js-sdk` 3.7.0 speaks it (PROVIDERS.md §6). This file routes and seeds;
// protocol.ts holds the error table and request reading, model.ts the records and policies,
// sign-in.ts, codes.ts, tokens.ts and account.ts the core routes, social.ts and custom.ts
// third-party and custom-ticket sign-in with their local stand-ins, captcha.ts the image captcha.
//
// Credentials decide what a call carries (§6.1 [C]): a call without them has `?client_id=` and no
// Authorization; a call with them (`/user/*`) has `Authorization: Bearer <access token>` and no
// client_id; `/verification` is either, the bearer being the person's token or the Publishable Key.
// Every call carries `x-device-id` ([C]; requiring it is [?], it is what identifies the anonymous
// user). `x-request-id` is optional and echoed back ([?]). JSON comes as text/plain too: the SDK
// sends its string body without a Content-Type.
import { bearerToken, hashPassword, randomToken, type Backend, type BackendContext } from '../kit/index.js';
import { bindProvider, editUser, resetPassword, unbindProvider } from './account.js';
import { captchaData, verifyCaptchaData } from './captcha.js';
import { sendVerification, verifyVerification } from './codes.js';
import { mintTicket, signInCustom } from './custom.js';
import { PUBLISHABLE_KEY, cols, newUser, type UserRecord, type ApiCall } from './model.js';
import { CloudbaseError, fail, readBody, withRequestId } from './protocol.js';
import { signIn, signInAnonymously, signUp } from './sign-in.js';
import { demoIdToken, providerAuthorizePage, providerToken, providerUri, signInWithProvider } from './social.js';
import { profile, revoke, token, userMe, verifyAccess } from './tokens.js';

type Handler = (call: ApiCall) => Promise<Response>;
/** none: `?client_id=`; user: a person's access token; either: one of the two, or the Publishable Key. */
type Credentials = 'none' | 'user' | 'either';
interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  credentials: Credentials;
  handler: Handler;
}

const API: Record<string, Route> = {
  '/auth/v1/verification': { method: 'POST', credentials: 'either', handler: sendVerification },
  '/auth/v1/verification/verify': { method: 'POST', credentials: 'none', handler: verifyVerification },
  '/auth/v1/signin': { method: 'POST', credentials: 'none', handler: signIn },
  '/auth/v1/signup': { method: 'POST', credentials: 'none', handler: signUp },
  '/auth/v1/signin/anonymously': { method: 'POST', credentials: 'none', handler: signInAnonymously },
  '/auth/v1/signin/custom': { method: 'POST', credentials: 'none', handler: signInCustom },
  '/auth/v1/token': { method: 'POST', credentials: 'none', handler: token },
  '/auth/v1/revoke': { method: 'POST', credentials: 'none', handler: revoke },
  '/auth/v1/reset': { method: 'POST', credentials: 'none', handler: resetPassword },
  '/auth/v1/user/me': { method: 'GET', credentials: 'user', handler: userMe },
  '/auth/v1/user/basic/edit': { method: 'POST', credentials: 'user', handler: editUser },
  '/auth/v1/user/provider/bind': { method: 'POST', credentials: 'user', handler: bindProvider },
  '/auth/v1/provider/uri': { method: 'GET', credentials: 'none', handler: providerUri },
  '/auth/v1/provider/token': { method: 'POST', credentials: 'none', handler: providerToken },
  '/auth/v1/signin/with/provider': { method: 'POST', credentials: 'none', handler: signInWithProvider },
  '/auth/v1/captcha/data': { method: 'POST', credentials: 'none', handler: captchaData },
  '/auth/v1/captcha/data/verify': { method: 'POST', credentials: 'none', handler: verifyCaptchaData },
  '/auth/v1/provider/demo-idp/id_token': { method: 'POST', credentials: 'none', handler: demoIdToken }, // local stand-in
};

/** Routes with a parameter in their last segment. */
const PARAM_ROUTES: Array<{ prefix: string; route: Route }> = [
  { prefix: '/auth/v1/user/provider/', route: { method: 'DELETE', credentials: 'user', handler: unbindProvider } },
];

/** Browser pages (navigated to, so no client_id / x-device-id): local stand-ins only. */
const PAGES: Record<string, (request: Request, ctx: BackendContext) => Response> = {
  '/auth/v1/provider/authorize': providerAuthorizePage,
};

const DEMO_PASSWORD = 'demo-password';
const SEED: Array<Partial<UserRecord> & { username: string; note: string }> = [
  { username: 'demo', email: 'demo@example.com', phone_number: '+86 13800000000', name: 'Demo User', note: 'Signs in by username, email or phone (+86 13800000000). 3 wrong passwords → captcha_required; 5 → invalid_status (locked for lockoutSeconds). OTP by SMS/email → is_user: true.' },
  { username: 'captcha', email: 'captcha@example.com', phone_number: '+86 13800000001', name: 'Captcha User', captchaAlways: true, note: 'Every password sign-in and code send answers captcha_required (4001) until the call carries ?captcha_token= from /auth/v1/captcha/data/verify (the image\'s answer is also in the outbox). So does a code send to any email starting with "captcha" (e.g. captcha-new@example.com: a sign-up).' },
  { username: 'blocked', email: 'blocked@example.com', phone_number: '+86 13800000002', name: 'Blocked User', status: 'BLOCKED', note: 'Correct password → user_blocked (account_disabled).' },
  { username: 'pending', email: 'pending@example.com', name: 'Pending User', status: 'PENDING', note: 'Correct password → user_pending (account_disabled).' },
  { username: 'smsonly', email: 'sms-only@example.com', phone_number: '+86 13800000003', name: 'SMS-only User', phoneRequired: true, note: 'Correct password → mfa_phone_required (4042); finish with an SMS code to +86 13800000003.' },
];

function findRoute(path: string): { route: Route; param?: string } | undefined {
  const route = API[path];
  if (route) return { route };
  for (const { prefix, route: paramRoute } of PARAM_ROUTES) {
    const param = path.startsWith(prefix) ? decodeURIComponent(path.slice(prefix.length)) : '';
    if (param && !param.includes('/')) return { route: paramRoute, param };
  }
  return undefined;
}

/** Who may make the call (§6.1): the failure envelope, or the caller of a call with credentials. */
async function admit(route: Route, request: Request, ctx: BackendContext, clientId: string): Promise<Response | { caller?: ApiCall['caller'] }> {
  const bearer = bearerToken(request);
  if (route.credentials === 'none' || (route.credentials === 'either' && !bearer)) {
    // [?] not documented: the error for a missing client_id.
    return clientId ? {} : fail('invalid_request', 'client_id query parameter is required');
  }
  // [?] The Publishable Key is accepted where the SDK sends it; it names no one.
  if (route.credentials === 'either' && bearer === PUBLISHABLE_KEY) return {};
  const caller = bearer ? await verifyAccess(ctx, bearer) : null;
  if (!caller) return fail('unauthenticated', bearer ? 'access token is invalid, expired or revoked' : 'missing Authorization: Bearer <access_token>');
  return { caller };
}

export const cloudbaseBackend: Backend = {
  name: 'cloudbase',

  accounts: [
    ...SEED.map(({ username, email, phone_number, note }) => ({ identifier: [username, email, phone_number].filter(Boolean).join(' / '), password: DEMO_PASSWORD, note })),
    { identifier: '+86 13900000000 (or any unregistered phone / email)', note: 'OTP: /verification answers is_user: false; verify the code from the outbox, then /signup creates the user (optionally with a password).' },
    { identifier: '(anonymous)', note: '/signin/anonymously: one anonymous user per x-device-id.' },
    { identifier: 'Google / GitHub / WeChat (provider_id google, github, wx_open)', note: 'Local stand-in consent page; the first sign-in creates the user; a signed-in person can link and unlink them.' },
    { identifier: '(custom ticket)', note: `POST /cloudbase/custom/ticket {uid} stands for a site's server minting a ticket; /auth/v1/signin/custom signs in (the first time creates the user). The Publishable Key is "${PUBLISHABLE_KEY}".` },
  ],

  async seed(ctx) {
    const users = cols(ctx).users;
    for (const { note: _note, ...entry } of SEED) {
      if (users.find((u) => u.username === entry.username)) continue;
      newUser({ ...entry, passwordHash: await hashPassword(DEMO_PASSWORD), created_from: 'username' }, ctx);
    }
  },

  async handle(request, path, ctx) {
    const page = PAGES[path];
    if (page) return request.method === 'GET' ? page(request, ctx) : fail('invalid_request', 'method not allowed');
    if (path === '/custom/ticket') return request.method === 'POST' ? mintTicket(request, ctx) : fail('invalid_request', 'method not allowed');
    const found = findRoute(path);
    if (!found) return undefined;
    const { route, param } = found;
    const requestId = request.headers.get('x-request-id') || randomToken('req_', 12);
    try {
      if (request.method !== route.method) return withRequestId(fail('invalid_request', `${request.method} is not allowed on ${path}`), requestId);
      const body = await readBody(request, path);
      if (!body) return withRequestId(fail('invalid_argument', 'request body must be a JSON object'), requestId);
      const clientId = new URL(request.url).searchParams.get('client_id') ?? '';
      const admitted = await admit(route, request, ctx, clientId);
      if (admitted instanceof Response) return withRequestId(admitted, requestId);
      const deviceId = request.headers.get('x-device-id')?.trim();
      if (!deviceId) return withRequestId(fail('invalid_argument', 'x-device-id header is required'), requestId);
      return withRequestId(await route.handler({ request, ctx, body, clientId, deviceId, caller: admitted.caller, param }), requestId);
    } catch (error) {
      if (error instanceof CloudbaseError) return withRequestId(error.toResponse(), requestId);
      // [?] `internal` (server kind) for anything unexpected, rather than a bare 500 page.
      return withRequestId(fail('internal'), requestId);
    }
  },

  async introspect(accessToken, ctx) {
    const found = await verifyAccess(ctx, accessToken);
    if (!found) return null;
    const p = profile(found.user);
    return { userId: found.user.sub, name: p.name || found.user.email || found.user.phone_number || found.user.sub };
  },

  notFound() {
    return fail('not_found', 'no such route');
  },
};
