// Tencent CloudBase emulation for the reference server: the browser-facing `/auth/v1` HTTP API
// as PROVIDERS.md §6 documents it. This file routes and seeds; protocol.ts holds the error table
// and request reading, model.ts the records and policies, sign-in.ts, codes.ts and tokens.ts the
// core routes, social.ts third-party sign-in with its local stand-ins, captcha.ts the image captcha.
//
// Every JSON route wants the `client_id` query parameter (the SDK always sends it [C]; requiring it
// is [?]) and an `x-device-id` header ([C] sent by the SDK; requiring it everywhere is [?], it is
// what identifies the anonymous user). `x-request-id` is optional and echoed back ([?]).
// A `Authorization: Bearer <publishable key>` on unauthenticated calls ([T]) is accepted and ignored.
import { hashPassword, json, randomToken, type Backend, type BackendContext } from '../kit/index.js';
import { captchaData, verifyCaptchaData } from './captcha.js';
import { sendVerification, verifyVerification } from './codes.js';
import { cols, newUser, type UserRecord } from './model.js';
import { CloudbaseError, fail, readBody, withRequestId, type ApiCall } from './protocol.js';
import { signIn, signInAnonymously, signUp } from './sign-in.js';
import { demoIdToken, providerAuthorizePage, providerToken, providerUri, signInWithProvider } from './social.js';
import { profile, revoke, token, userMe, verifyAccess } from './tokens.js';

type Handler = (call: ApiCall) => Promise<Response>;

const API: Record<string, { method: 'GET' | 'POST' | 'GET|POST'; handler: Handler }> = {
  '/auth/v1/verification': { method: 'POST', handler: sendVerification },
  '/auth/v1/verification/verify': { method: 'POST', handler: verifyVerification },
  '/auth/v1/signin': { method: 'POST', handler: signIn },
  '/auth/v1/signup': { method: 'POST', handler: signUp },
  '/auth/v1/signin/anonymously': { method: 'POST', handler: signInAnonymously },
  '/auth/v1/token': { method: 'POST', handler: token },
  '/auth/v1/revoke': { method: 'POST', handler: revoke },
  '/auth/v1/user/me': { method: 'GET', handler: userMe },
  '/auth/v1/provider/uri': { method: 'GET', handler: providerUri },
  '/auth/v1/provider/token': { method: 'POST', handler: providerToken },
  '/auth/v1/signin/with/provider': { method: 'POST', handler: signInWithProvider },
  '/auth/v1/captcha/data': { method: 'POST', handler: captchaData },
  '/auth/v1/captcha/data/verify': { method: 'POST', handler: verifyCaptchaData },
  '/auth/v1/provider/demo-idp/id_token': { method: 'POST', handler: demoIdToken }, // local stand-in
};

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
  { username: 'smsonly', email: 'sms-only@example.com', phone_number: '+86 13800000003', name: 'SMS-only User', phoneRequired: true, note: 'Correct password → phone_required (mfa_required); finish with an SMS code to +86 13800000003.' },
];

export const cloudbaseBackend: Backend = {
  name: 'cloudbase',

  accounts: [
    ...SEED.map(({ username, email, phone_number, note }) => ({ identifier: [username, email, phone_number].filter(Boolean).join(' / '), password: DEMO_PASSWORD, note })),
    { identifier: '+86 13900000000 (or any unregistered phone / email)', note: 'OTP: /verification answers is_user: false; verify the code from the outbox, then /signup creates the user (optionally with a password).' },
    { identifier: '(anonymous)', note: '/signin/anonymously: one anonymous user per x-device-id.' },
    { identifier: 'Google / GitHub / WeChat (provider_id google, github, wx_open)', note: 'Local stand-in consent page; the first sign-in creates the user.' },
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
    const route = API[path];
    if (!route) return undefined;
    const requestId = request.headers.get('x-request-id') || randomToken('req_', 12);
    try {
      if (!route.method.split('|').includes(request.method)) return withRequestId(fail('invalid_request', `${request.method} is not allowed on ${path}`), requestId);
      const body = await readBody(request, path);
      if (!body) return withRequestId(fail('invalid_argument', 'request body must be a JSON object'), requestId);
      const q = new URL(request.url).searchParams;
      const clientId = q.get('client_id') || (typeof body.client_id === 'string' ? body.client_id : '');
      if (!clientId) return withRequestId(fail('invalid_request', 'client_id query parameter is required'), requestId);
      const deviceId = request.headers.get('x-device-id')?.trim();
      if (!deviceId) return withRequestId(fail('invalid_argument', 'x-device-id header is required'), requestId);
      return withRequestId(await route.handler({ request, ctx, body, clientId, deviceId }), requestId);
    } catch (error) {
      if (error instanceof CloudbaseError) return withRequestId(error.toResponse(), requestId);
      // [?] `internal` (server kind) for anything unexpected, rather than a bare 500 page.
      return withRequestId(json(500, { error: 'internal', error_code: 5000, error_description: 'internal error' }), requestId);
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

