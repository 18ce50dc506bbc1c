// The non-login routes: login page config and the image captcha.
import { randomCode, randomToken } from '../kit/index.js';
import type { Handler } from './model.js';
import { BACKEND, CAPTCHA_AFTER_FAILURES, CAPTCHA_TTL_S, IDAAS_APP_ID, LOCAL_SOCIAL_ID, OTHER_APP_ID, REASON, fail, oauthError, ok } from './protocol.js';

export const configLoginPage: Handler = async (request, ctx) => {
  const url = new URL(request.url);
  const appId = url.searchParams.get('idaasAppId');
  if (!appId) return fail(ctx.now(), REASON.paramsBlank);
  // invalid_client [S]: "the application does not exist or has been disabled. Verify the idaasAppId".
  if (appId !== IDAAS_APP_ID && appId !== OTHER_APP_ID) return oauthError(ctx.now(), 400, 'invalid_client', 'The application does not exist or has been disabled.');
  // [?] not documented: the whole `data` shape (§2.3 says only "required fields, 2FA types").
  return ok(ctx.now(), {
    idaasAppId: appId,
    userType: url.searchParams.get('userType') || 'regular',
    loginTypes: ['PWD', 'SMS', 'EMAIL', 'SOCIAL'],
    registerTypes: ['SMS', 'EMAIL'],
    registerPasswordOptional: true,
    twoFactorTypes: ['SMS', 'EMAIL', 'PWD'],
    defaultPhoneRegion: '86',
    captchaAfterFailures: CAPTCHA_AFTER_FAILURES,
    passwordPolicy: { minLength: 8, maxLength: 64 },
    codeLength: 6,
    codeExpiresIn: ctx.policies.otpTtlSeconds,
    resendInterval: ctx.policies.sendIntervalSeconds,
    socialSources: [{ enterpriseAuthId: LOCAL_SOCIAL_ID, name: 'Local social (stand-in)', authorizeUrl: `${ctx.baseUrl}/social-source/authorize` }],
  });
};

const CAPTCHA_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const captcha: Handler = async (_request, ctx, db) => {
  const digits = randomCode(8);
  const text = Array.from({ length: 4 }, (_, i) => CAPTCHA_ALPHABET[(Number(digits.slice(i * 2, i * 2 + 2)) * 7 + i) % CAPTCHA_ALPHABET.length]).join('');
  const id = randomToken('cap_', 12);
  db.captchas.put(id, { id, text, expiresAt: ctx.now() + CAPTCHA_TTL_S * 1000 });
  // Local stand-in for solving the image: the answer is also put in the outbox, addressed to the captcha id.
  ctx.outbox.deliver({ backend: BACKEND, channel: 'email', to: id, purpose: 'captcha', code: text, text: `[Alibaba IDaaS demo] Image captcha ${id}: ${text}` });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#eef"/><text x="18" y="28" font-family="monospace" font-size="24" fill="#225">${text}</text></svg>`;
  // [?] not documented: the answer's fields; `captchaCode` is what /login/pwd takes back.
  return ok(ctx.now(), { captchaCode: id, captchaImage: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, expiresIn: CAPTCHA_TTL_S });
};
