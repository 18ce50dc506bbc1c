// Alibaba Cloud IDaaS CIAM developer API emulation (PROVIDERS.md §2), mounted at /alibaba-idaas.
// Paths sit under /api/bff/v1.2/developer/ciam. The relay (src/relay/backends/alibaba-idaas.ts)
// first gets an app token with client_credentials at /oauth/token, then calls every other path
// with `?access_token=<app token>`; a call without a valid app token gets the OAuth
// `invalid_token` error with HTTP 401 (what the relay reads as "renew and retry once").
import type { Backend, BackendContext } from '../kit/index.js';
import { Answer, BASE, CLIENT_ID, IDAAS_APP_ID, REASON, fail, oauthError } from './protocol.js';
import { checkAppToken, collections, liveToken, seed, SEED_PASSWORD } from './model.js';
import { routes, token } from './handlers.js';
import { socialAuthorize } from './pages.js';

export { CLIENT_ID, CLIENT_SECRET, IDAAS_APP_ID, BASE } from './protocol.js';

const TOKEN_PATH = '/oauth/token';

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

export default alibabaIdaasBackend;
