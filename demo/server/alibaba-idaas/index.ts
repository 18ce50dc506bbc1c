// Alibaba Cloud IDaaS CIAM developer API emulation (PROVIDERS.md §2), mounted at /alibaba-idaas.
// Paths sit under /api/bff/v1.2/developer/ciam. The relay (src/relay/backends/alibaba-idaas.ts)
// first gets an app token with client_credentials at /oauth/token, then calls every other path
// with it as `Authorization: Bearer` (or `?access_token=`); a call without a valid app token gets the OAuth
// `invalid_token` error with HTTP 401 (what the relay reads as "renew and retry once").
// This file routes and seeds; protocol.ts holds the wire format, model.ts the records and the
// policies, flows.ts the multi-step model, and sign-in.ts, codes.ts, second-factor.ts, social.ts,
// pages.ts and tokens.ts the routes.
import { hashPassword, type Backend, type BackendContext } from '../kit/index.js';
import { forgetObtainCode, forgetSubmit, loginObtainCode, loginVerifyCode, registerObtainCode, registerSubmit } from './codes.js';
import { collections, newUserId, type Handler, type User } from './model.js';
import { captcha, configLoginPage } from './pages.js';
import { Answer, BASE, CLIENT_ID, IDAAS_APP_ID, REASON, fail, oauthError } from './protocol.js';
import { prepareSecondFactor, verifySecondFactor } from './second-factor.js';
import { loginPwd } from './sign-in.js';
import { loginSocial, socialAuthorize } from './social.js';
import { checkAppToken, liveToken, token } from './tokens.js';

export { CLIENT_ID, CLIENT_SECRET, IDAAS_APP_ID, BASE } from './protocol.js';

const TOKEN_PATH = '/oauth/token';

/** `METHOD /sub-path` below the CIAM base → handler. */
const routes: Record<string, Handler> = {
  'GET /config/loginpage': configLoginPage,
  'GET /captcha': captcha,
  'POST /login/pwd': loginPwd,
  'POST /login/obtain_code': loginObtainCode,
  'POST /login/verify_code': loginVerifyCode,
  'POST /register/obtain_code': registerObtainCode,
  'POST /register/submit': registerSubmit,
  // [?] not documented: the recovery paths (see codes.ts).
  'POST /forget/obtain_code': forgetObtainCode,
  'POST /forget/submit': forgetSubmit,
  'POST /login/social': loginSocial,
  'POST /prepare_second_factor': prepareSecondFactor,
  'POST /verify_second_factor': verifySecondFactor,
};

const SEED_PASSWORD = 'demo-password';

const SEED_USERS: Array<Omit<User, 'id' | 'passwordHash' | 'createdAt'>> = [
  { username: 'demo', phoneRegion: '86', phoneNumber: '13800000020', email: 'demo@alibaba.example', status: 'active' },
  { username: 'mfa', phoneRegion: '86', phoneNumber: '13800000021', status: 'active', mfa: true },
  { username: 'locked', phoneRegion: '86', phoneNumber: '13800000022', status: 'locked' },
  { username: 'disabled', phoneRegion: '86', phoneNumber: '13800000023', status: 'disabled' },
  { username: 'captcha', phoneRegion: '86', phoneNumber: '13800000024', status: 'active', captchaAlways: true },
  { username: 'consent', phoneRegion: '86', phoneNumber: '13800000025', status: 'active', consentPending: true },
];

async function seed(ctx: BackendContext): Promise<void> {
  const db = collections(ctx);
  const missing = SEED_USERS.filter((s) => !db.users.find((u) => u.username === s.username));
  if (missing.length) {
    const passwordHash = await hashPassword(SEED_PASSWORD);
    for (const s of missing) {
      const user: User = { ...s, id: newUserId(), passwordHash, createdAt: ctx.now() };
      db.users.put(user.id, user);
    }
  }
  const demo = db.users.find((u) => u.username === 'demo');
  if (!db.social.get('wx_demo')) db.social.put('wx_demo', { id: 'wx_demo', name: 'Demo (bound to demo)', userId: demo?.id });
  if (!db.social.get('wx_new')) db.social.put('wx_new', { id: 'wx_new', name: 'New person (not bound)' });
}

async function handle(request: Request, path: string, ctx: BackendContext): Promise<Response | undefined> {
  const method = request.method.toUpperCase();
  if (path === '/social-source/authorize' && method === 'GET') return socialAuthorize(request, ctx);
  if (!path.startsWith(`${BASE}/`)) return undefined;
  const sub = path.slice(BASE.length);
  const isToken = sub === TOKEN_PATH && method === 'POST';
  const route = routes[`${method} ${sub}`];
  if (!isToken && !route) return undefined;
  const db = collections(ctx);
  try {
    if (isToken) return await token(request, ctx, db);
    // Every authentication call carries the app token (APPLICATION_API scope) [C].
    if (!checkAppToken(db, ctx, request)) {
      return oauthError(ctx.now(), 401, 'invalid_token', 'The access token is missing, invalid or expired.');
    }
    return await route!(request, ctx, db);
  } catch (error) {
    if (error instanceof Answer) return error.response;
    // An unexpected fault: the documented internal errors, in the envelope of the path.
    console.error(`[alibaba-idaas] ${method} ${sub}:`, error);
    return isToken ? oauthError(ctx.now(), 500, 'server_error', 'Internal server error.') : fail(ctx.now(), REASON.internal, 500);
  }
}

export const alibabaIdaasBackend: Backend = {
  name: 'alibaba-idaas',
  seed,
  handle,
  async introspect(accessToken, ctx) {
    if (typeof accessToken !== 'string' || !accessToken) return null;
    const db = collections(ctx);
    const record = liveToken(db, ctx, accessToken, 'access');
    const user = record ? db.users.get(record.userId) : undefined;
    if (!user || user.status === 'disabled') return null;
    return { userId: user.id, name: user.username };
  },
  accounts: [
    { identifier: 'demo', password: SEED_PASSWORD, note: `Normal user; also phone 13800000020 (region 86) and demo@alibaba.example for SMS/email codes; social identity wx_demo. Client ${CLIENT_ID}, idaasAppId ${IDAAS_APP_ID}.` },
    { identifier: 'mfa', password: SEED_PASSWORD, note: 'Phone 13800000021. Password login answers fId + flowType NEED_TWO_FACTOR; prepare_second_factor (type SMS) sends a code to the outbox, verify_second_factor issues the tokens. An SMS-code login asks for PWD as the second factor.' },
    { identifier: 'locked', password: SEED_PASSWORD, note: 'Phone 13800000022. Locked by an administrator: Operation.Failure.User.Locked (any user locks after maxPasswordFailures wrong passwords).' },
    { identifier: 'disabled', password: SEED_PASSWORD, note: 'Phone 13800000023. Disabled: OAuth error user_deleted (HTTP 403).' },
    { identifier: 'captcha', password: SEED_PASSWORD, note: 'Phone 13800000024. Always needs an image captcha: GET /captcha, the answer is in the image and in the outbox (to = captchaCode); any user needs one after 2 wrong passwords.' },
    { identifier: 'consent', password: SEED_PASSWORD, note: 'Phone 13800000025. First password login answers flowType NEED_AGREE_CONSENT until sent again with agreeConsent: true.' },
  ],
};

