import { baseUrlOf, alibabaIdaasFacts } from '../../backends/facts.js';
import {
  AuthError, isStep,
  type Adapter, type AdapterContext, type AuthorizationRequest, type CodeExchange, type OtpChallenge,
  type PasswordCredentials, type Session, type SignInOutcome, type StepRequest, type TokenSet,
} from '../../contract/index.js';
import { readString } from '../shared/responses.js';
import { checkConfiguration } from '../../backends/check.js';
import { alibabaIdaasSettings, type AlibabaIdaasSettings, type AlibabaSocialSource } from '../../backends/alibaba-idaas.js';
import { CIAM, ciamCalls } from './calls.js';
import { codeCalls } from './codes.js';
import { factorType, isFactorContext, readData, readOutcome, readTokens, type Data } from './wire.js';

export type { AlibabaIdaasSettings, AlibabaSocialSource };

type Step<K extends StepRequest['kind']> = Extract<StepRequest, { kind: K }>;

export interface AlibabaIdaasProvider extends Adapter {
  /** A new image for a `captcha` step (`GET /captcha` [T]); each image allows one answer. */
  newCaptcha(step: Step<'captcha'>, ctx: AdapterContext): Promise<Step<'captcha'>>;
  /** The login page configuration (`GET /config/loginpage` [C]); its `data` is not documented field by field. */
  loginPageConfig(ctx: AdapterContext): Promise<Data>;
}

/**
 * Alibaba Cloud IDaaS CIAM (PROVIDERS.md §2) through the relay, which adds the app token:
 * password, SMS/email code, registration by code, password recovery by code, second factor,
 * social completion, refresh. An image captcha or the terms the backend asks for interrupt a
 * call as a step; the client sends the same call again with the answer.
 *
 * @example
 * createAuthClient({ provider: alibabaIdaasProvider({ baseUrl: 'https://app.example.com/auth-relay', idaasAppId: 'app_xxx' }) });
 */
export function alibabaIdaasProvider(settings: AlibabaIdaasSettings): AlibabaIdaasProvider {
  const base = baseUrlOf(settings.baseUrl);
  const sources = Array.isArray(settings.socialSources) ? settings.socialSources : [];
  const configError = checkConfiguration(alibabaIdaasSettings, settings, { baseUrl: base }) ?? checkExtras(settings);
  const region = (settings.phoneRegion ?? '86').replace(/^\+/, '');
  const calls = ciamCalls(base, settings);
  const codes = codeCalls(calls, region);

  const { key, capabilities } = alibabaIdaasFacts(settings);

  async function passwordLogin(credentials: PasswordCredentials, ctx: AdapterContext): Promise<SignInOutcome> {
    const username = (credentials.username ?? credentials.email ?? credentials.phone)?.trim();
    if (!username) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
    if (!credentials.password) throw new AuthError('invalid_request', { invalid: { password: 'required' } });
    return calls.signInCall('/login/pwd', { username, password: credentials.password, response_type: 'Token' }, ctx);
  }

  function sourceOf(id: string | undefined | null): AlibabaSocialSource {
    const found = id ? sources.find((s) => s.enterpriseAuthId === id) : sources.length === 1 ? sources[0] : undefined;
    if (!found) throw new AuthError('config', { providerCode: 'unknown_source' });
    return found;
  }

  return {
    type: 'alibaba-idaas',
    capabilities,
    key,
    configError,

    signInWithPassword: passwordLogin,

    newCaptcha: (_step, ctx) => calls.captchaStep(ctx),

    loginPageConfig(ctx) {
      return calls.get('/config/loginpage', { idaasAppId: settings.idaasAppId, userType: settings.userType }, ctx);
    },

    sendOtp: codes.sendOtp,
    verifyOtp: codes.verifyOtp,
    signUp: codes.signUp,
    resendSignUp: codes.resendSignUp,
    startRecovery: codes.startRecovery,
    completeRecovery: codes.completeRecovery,

    async sendSecondFactor(step, method, ctx) {
      const context = factorContext(step);
      // A TOTP code needs no send; only SMS and email codes are sent.
      if (method === 'totp') throw new AuthError('invalid_request', { providerCode: 'Operation.Failure.Unsupport.2fa.Type' });
      const type = factorType(context, method);
      if (!type) throw new AuthError('invalid_request', { providerCode: 'Operation.Failure.Unsupport.2fa.Type' });
      // [?] the body of prepare_second_factor is undocumented; §2.3 guesses `fId, type`.
      const data = await calls.post('/prepare_second_factor', { fId: context.fId, type }, ctx);
      const challenge: OtpChallenge = { channel: method, context: { fId: readString(data, 'fId') ?? context.fId, type } };
      if (Number(data.expiresIn) > 0) challenge.expiresIn = Number(data.expiresIn);
      return challenge;
    },

    async verifySecondFactor(step, code, challenge, ctx) {
      const context = factorContext(step);
      const sent = challenge?.context as { fId?: string; type?: string } | undefined;
      // The type whose code was sent; else one that needs no send (TOTP); else the password, as
      // no SMS or email code can be typed before it was sent.
      const type = sent?.type ?? factorType(context, 'totp') ?? factorType(context, 'password');
      if (!type) throw new AuthError('invalid_request', { providerCode: 'no_code_sent' });
      const body: Data = { fId: sent?.fId ?? context.fId, type };
      body[type === 'PWD' ? 'password' : 'code'] = code;
      return readOutcome(await calls.post('/verify_second_factor', body, ctx));
    },

    async authorizationUrl(request: AuthorizationRequest) {
      const source = sourceOf(request.source);
      const url = new URL(source.authorizeUrl);
      // Several sources: the callback must say which one answered.
      const back = new URL(request.redirectUri);
      if (sources.length > 1) back.searchParams.set('enterpriseAuthId', source.enterpriseAuthId);
      url.searchParams.set('redirect_uri', back.toString());
      // The third party gets the client's own state (checked on return); the application goes to
      // IDaaS in /login/social's `state` instead (see exchangeCode).
      url.searchParams.set('state', request.state);
      return url.toString();
    },

    async exchangeCode(exchange: CodeExchange, ctx): Promise<TokenSet> {
      const source = sourceOf(exchange.source ?? exchange.params.get('enterpriseAuthId'));
      // `state`: "if redirecting to non-default app, format as `ID:{idaasAppId}`" [S]; else the
      // third party's, as returned. [?] Whether IDaaS also compares it with what the third party saw.
      const state = settings.nonDefaultApp ? `ID:${settings.idaasAppId}` : (exchange.params.get('state') ?? undefined);
      const body: Data = { enterpriseAuthId: source.enterpriseAuthId, code: exchange.code, state };
      // A third party's code works once, so a consent step cannot be answered by sending it
      // again: the agreement goes with the first call when the page configured it (seed example).
      if (settings.agreeConsent) body.agreeConsent = true;
      const data = await calls.post('/login/social', body, ctx);
      if (typeof data.access_token !== 'string' && isStep(readOutcome(data))) {
        throw new AuthError('mfa_required', { providerCode: readString(data, 'flowType') });
      }
      // The id token is IDaaS's own, without our nonce (the third party never saw it): leave it
      // out, or the client's OIDC nonce check would refuse a good sign-in.
      return readTokens(data, false);
    },

    async refresh(session: Session, ctx) {
      if (!session.refresh_token) throw new AuthError('session_expired');
      // JSON like the seed's token calls; the relay adds client_id and client_secret.
      const response = await ctx.http({ url: `${base}${CIAM}/oauth/token`, method: 'POST', body: { grant_type: 'refresh_token', refresh_token: session.refresh_token }, signal: ctx.signal, retry: false });
      const tokens = readTokens(readData(response, 'refresh'));
      return tokens.user ? tokens : { ...tokens, user: session.user };
    },
  };
}

/** What the table cannot check: the shape of the social sources and the phone region. */
function checkExtras(settings: AlibabaIdaasSettings): AuthError | undefined {
  const sources = settings.socialSources;
  const good = (s: AlibabaSocialSource) => typeof s?.enterpriseAuthId === 'string' && !!s.enterpriseAuthId && !!baseUrlOf(s.authorizeUrl);
  if (sources !== undefined && sources !== null && !(Array.isArray(sources) && sources.every(good))) {
    return new AuthError('config', { providerCode: 'bad_setting:socialSources' });
  }
  if (settings.phoneRegion !== undefined && !/^\+?\d{1,4}$/.test(settings.phoneRegion)) return new AuthError('config', { providerCode: 'bad_setting:phoneRegion' });
  return undefined;
}




function factorContext(step: Step<'second_factor'>): { fId: string; types: string[] } {
  if (!isFactorContext(step.context)) throw new AuthError('invalid_request', { providerCode: 'no_pending_step' });
  return step.context;
}
