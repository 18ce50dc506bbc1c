import { AuthError } from '../../core/errors.js';
import type { Session, TokenSet } from '../../core/session.js';
import { isPendingStep, type OtpChallenge, type PendingStep, type SignInOutcome } from '../../core/steps.js';
import type { AuthorizationRequest, Capabilities, CodeExchange, OtpRequest, PasswordCredentials, Provider, ProviderContext, SignUpParams } from '../provider.js';
import { checkNoSecret } from '../shared/settings.js';
import { readString } from '../shared/responses.js';
import { alibabaAuthError } from './errors.js';
import { factorType, isFactorContext, readData, readOutcome, readTokens, splitPhone, type Data } from './wire.js';

export interface AlibabaIdaasSettings {
  /** The relay that adds the app token (origin, optionally with a path prefix); CIAM paths are appended unchanged. */
  baseUrl: string;
  /** The application id from the IDaaS console (`/config/loginpage?idaasAppId=`). */
  idaasAppId: string;
  /** Region of phone numbers typed without `+`; default `86`. */
  phoneRegion?: string;
  /**
   * Answer a `NEED_AGREE_CONSENT` step by sending the same call again with `agreeConsent: true`.
   * Only for a page that shows its terms beside the form ("by signing in you agree…").
   */
  agreeConsent?: boolean;
  /** `userType` of `/config/loginpage`; default the backend's (`regular`). */
  userType?: string;
  /** Social sources: the `enterpriseAuthId` and the third party's authorize URL from the console. */
  socialSources?: Array<{ enterpriseAuthId: string; authorizeUrl: string }>;
}

/** Password credentials plus what an Alibaba login may also carry. */
export interface AlibabaPasswordCredentials extends PasswordCredentials {
  /** The solved image captcha (`captchaCode` from `getCaptcha`, `captchaText` typed by the person). */
  captcha?: { code: string; text: string };
  /** The person ticked "I agree" to the terms shown on the page. */
  agreeConsent?: boolean;
}

export interface AlibabaCaptcha {
  captchaCode: string;
  /** An image URL (a `data:` URL from the reference server); show it in an `<img>`, never as HTML. */
  image?: string;
  expiresIn?: number;
}

export interface AlibabaIdaasProvider extends Provider {
  /** Fetches a new image captcha (`GET /captcha` [T]). */
  getCaptcha(ctx: ProviderContext): Promise<AlibabaCaptcha>;
  /** Attaches a solved captcha to the next password sign-in only (for forms that build credentials themselves). */
  setCaptcha(code: string, text: string): void;
  /** The login page configuration (`GET /config/loginpage` [C]); its `data` is not documented field by field. */
  loginPageConfig(ctx: ProviderContext): Promise<Data>;
}

/** A one-time code's handle: the flow and the contact, never shown to anyone. */
interface OtpContext {
  purpose: 'login' | 'register';
  fId?: string;
  type: 'SMS' | 'EMAIL';
  phoneRegion?: string;
  phoneNumber?: string;
  email?: string;
}

const CIAM = '/api/bff/v1.2/developer/ciam';
// A registration password waits here, keyed by its challenge context, so that logging or
// serializing a challenge can never show it; it lives exactly as long as the challenge (memory).
const pendingPasswords = new WeakMap<OtpContext, string>();

/**
 * Alibaba Cloud IDaaS CIAM (PROVIDERS.md §2) through the relay, which adds the app token:
 * password, SMS/email code, registration by code, second factor, social completion, refresh.
 *
 * @example
 * createAuthClient({ provider: alibabaIdaasProvider({ baseUrl: 'https://app.example.com/auth-relay', idaasAppId: 'app_xxx' }) });
 */
export function alibabaIdaasProvider(settings: AlibabaIdaasSettings): AlibabaIdaasProvider {
  const base = (settings.baseUrl ?? '').replace(/\/+$/, '');
  const configError = checkNoSecret(settings) ??
    (!base ? new AuthError('config', 'The alibaba-idaas provider needs a baseUrl (your relay).')
      : !settings.idaasAppId ? new AuthError('config', 'The alibaba-idaas provider needs an idaasAppId.') : undefined);
  const region = (settings.phoneRegion ?? '86').replace(/^\+/, '');
  const sources = settings.socialSources ?? [];
  let nextCaptcha: { code: string; text: string } | null = null;

  const capabilities: Capabilities = {
    // [?] the docs name the field `username` only; the reference server also takes a phone or email there.
    password: ['username', 'phone', 'email'],
    signUp: true,
    // §2.3 lists no password-recovery path (and the relay allowlists none): not offered.
    recovery: false,
    otp: ['sms', 'email'],
    oauth: sources.map((s) => s.enterpriseAuthId),
    popup: false,
    anonymous: false,
    refresh: true,
  };

  async function post(path: string, body: Data, ctx: ProviderContext): Promise<Data> {
    // Sign-ins and sends change state on the backend: never resent on our own.
    const response = await ctx.http({ url: `${base}${CIAM}${path}`, method: 'POST', body, signal: ctx.signal, retry: false });
    return readData(response);
  }

  function contact(channel: 'sms' | 'email', phone: string | undefined, email: string | undefined): Omit<OtpContext, 'purpose' | 'fId'> {
    if (channel === 'sms') {
      if (!phone) throw alibabaAuthError('invalid_request', {}, 'A phone number is needed.');
      return { type: 'SMS', ...splitPhone(phone, region) };
    }
    if (!email) throw alibabaAuthError('invalid_request', {}, 'An email address is needed.');
    // Only the email: the community SDK's bug of sending it as phoneRegion is not copied (§2.6 q6).
    return { type: 'EMAIL', email: email.trim() };
  }

  async function sendCode(purpose: OtpContext['purpose'], to: Omit<OtpContext, 'purpose' | 'fId'>, ctx: ProviderContext): Promise<OtpChallenge> {
    const data = await post(`/${purpose}/obtain_code`, { ...to }, ctx);
    // [?] the answer of obtain_code is undocumented; the reference server gives `fId` and `expiresIn`.
    const context: OtpContext = { purpose, ...to };
    const fId = readString(data, 'fId');
    if (fId) context.fId = fId;
    const challenge: OtpChallenge = { channel: to.type === 'SMS' ? 'sms' : 'email', context };
    const expiresIn = Number(data.expiresIn);
    if (Number.isFinite(expiresIn) && expiresIn > 0) challenge.expiresIn = expiresIn;
    return challenge;
  }

  async function passwordLogin(credentials: AlibabaPasswordCredentials, ctx: ProviderContext): Promise<SignInOutcome> {
    const username = credentials.username ?? credentials.email ?? credentials.phone;
    if (!username || !credentials.password) throw alibabaAuthError('invalid_request', {}, 'Enter your username and password.');
    const captcha = credentials.captcha ?? nextCaptcha;
    nextCaptcha = null; // one image, one try
    const body: Data = { username, password: credentials.password, response_type: 'Token' };
    if (captcha) Object.assign(body, { captchaCode: captcha.code, captchaText: captcha.text });
    if (credentials.agreeConsent) body.agreeConsent = true;
    const data = await post('/login/pwd', body, ctx);
    if (readString(data, 'flowType') !== 'NEED_AGREE_CONSENT') return readOutcome(data);
    if (!(credentials.agreeConsent || settings.agreeConsent) || body.agreeConsent) {
      // [?] the consent step is undocumented; the form must ask and sign in again with agreeConsent.
      throw alibabaAuthError('invalid_request', { providerCode: 'NEED_AGREE_CONSENT' }, 'Accept the terms of service to continue.');
    }
    // Same call once more, in the same flow, with the agreement the site configured.
    const again = await post('/login/pwd', { ...body, fId: readString(data, 'fId'), agreeConsent: true }, ctx);
    if (readString(again, 'flowType') === 'NEED_AGREE_CONSENT') throw alibabaAuthError('invalid_request', { providerCode: 'NEED_AGREE_CONSENT' }, 'Accept the terms of service to continue.');
    return readOutcome(again);
  }

  function sourceOf(id: string | undefined | null) {
    const found = id ? sources.find((s) => s.enterpriseAuthId === id) : sources.length === 1 ? sources[0] : undefined;
    if (!found) throw alibabaAuthError('config', { providerCode: 'unknown_source' }, 'This social sign-in is not configured.');
    return found;
  }

  return {
    type: 'alibaba-idaas',
    capabilities,
    key: `alibaba-idaas:${base}:${settings.idaasAppId}`,
    configError,

    signInWithPassword: (credentials, ctx) => passwordLogin(credentials as AlibabaPasswordCredentials, ctx),

    setCaptcha(code, text) {
      nextCaptcha = { code, text };
    },

    async getCaptcha(ctx) {
      const response = await ctx.http({ url: `${base}${CIAM}/captcha`, signal: ctx.signal });
      const data = readData(response);
      const captchaCode = readString(data, 'captchaCode');
      // [?] the captcha answer's fields are undocumented; these are the reference server's.
      if (!captchaCode) throw alibabaAuthError('server', {}, 'The captcha could not be loaded.');
      const captcha: AlibabaCaptcha = { captchaCode };
      const image = readString(data, 'captchaImage') ?? readString(data, 'image');
      if (image) captcha.image = image;
      if (Number(data.expiresIn) > 0) captcha.expiresIn = Number(data.expiresIn);
      return captcha;
    },

    async loginPageConfig(ctx) {
      const url = new URL(`${base}${CIAM}/config/loginpage`);
      url.searchParams.set('idaasAppId', settings.idaasAppId);
      if (settings.userType) url.searchParams.set('userType', settings.userType);
      return readData(await ctx.http({ url, signal: ctx.signal }));
    },

    async sendOtp(request: OtpRequest, ctx) {
      // `shouldCreateUser` has no login-side equivalent: registration is its own flow (signUp).
      return sendCode('login', contact(request.channel, request.phone, request.email), ctx);
    },

    async verifyOtp(challenge, code, ctx) {
      const context = challenge.context as OtpContext;
      if (!context || (context.purpose !== 'login' && context.purpose !== 'register')) throw alibabaAuthError('code_expired', {}, 'Request a new code first.');
      const body: Data = { ...context, code };
      delete body.purpose;
      if (context.purpose === 'login') return readOutcome(await post('/login/verify_code', body, ctx));
      // [?] §2.3 lists no phoneRegion for /register/submit; it is sent as on obtain_code so a
      // non-86 number stays the same number.
      const password = pendingPasswords.get(context);
      if (password) body.password = password;
      const outcome = readOutcome(await post('/register/submit', body, ctx));
      pendingPasswords.delete(context);
      return outcome;
    },

    async signUp(params: SignUpParams, ctx) {
      const channel = params.phone ? 'sms' : params.email ? 'email' : null;
      if (!channel) throw alibabaAuthError('invalid_request', {}, 'A phone number or email address is needed to sign up.');
      const challenge = await sendCode('register', contact(channel, params.phone, params.email), ctx);
      if (params.password) pendingPasswords.set(challenge.context as OtpContext, params.password);
      return challenge;
    },

    async sendSecondFactor(step, method, ctx) {
      const context = factorContext(step);
      const type = factorType(context, method);
      if (!type || method === 'totp') throw alibabaAuthError('invalid_request', { providerCode: 'Operation.Failure.Unsupport.2fa.Type' }, 'This verification method is not available.');
      // [?] the body of prepare_second_factor is undocumented; §2.3 guesses `fId, type`.
      const data = await post('/prepare_second_factor', { fId: context.fId, type }, ctx);
      const challenge: OtpChallenge = { channel: method, context: { fId: readString(data, 'fId') ?? context.fId, type } };
      if (Number(data.expiresIn) > 0) challenge.expiresIn = Number(data.expiresIn);
      return challenge;
    },

    async verifySecondFactor(step, code, challenge, ctx) {
      const context = factorContext(step);
      const sent = challenge?.context as { fId?: string; type?: string } | undefined;
      // The type whose code was sent; else one that needs no send (TOTP), else a password-only flow.
      const type = sent?.type ?? factorType(context, 'totp') ?? (context.types.length === 1 && context.types[0] === 'PWD' ? 'PWD' : undefined);
      if (!type) throw alibabaAuthError('invalid_request', {}, 'Send the verification code first.');
      const body: Data = { fId: sent?.fId ?? context.fId, type };
      body[type === 'PWD' ? 'password' : 'code'] = code;
      return readOutcome(await post('/verify_second_factor', body, ctx));
    },

    async authorizationUrl(request: AuthorizationRequest) {
      const source = sourceOf(request.source);
      const url = new URL(source.authorizeUrl);
      // Several sources: the callback must say which one answered (CodeExchange does not carry it).
      const back = new URL(request.redirectUri);
      if (sources.length > 1) back.searchParams.set('enterpriseAuthId', source.enterpriseAuthId);
      url.searchParams.set('redirect_uri', back.toString());
      // [?] the seed's `ID:{idaasAppId}` state format (non-default app) is not used: the client needs its own state back.
      url.searchParams.set('state', request.state);
      return url.toString();
    },

    async exchangeCode(exchange: CodeExchange, ctx): Promise<TokenSet> {
      const source = sourceOf(exchange.params.get('enterpriseAuthId'));
      const body: Data = { enterpriseAuthId: source.enterpriseAuthId, code: exchange.code, state: exchange.params.get('state') ?? undefined };
      if (settings.agreeConsent) body.agreeConsent = true;
      const data = await post('/login/social', body, ctx);
      if (typeof data.access_token !== 'string') {
        const outcome = readOutcome(data);
        if (isPendingStep(outcome)) throw alibabaAuthError('mfa_required', { providerCode: readString(data, 'flowType') }, 'This account needs a second step: sign in with a password or code.');
      }
      // The id token is IDaaS's own, without our nonce (the third party never saw it): leave it
      // out, or the client's OIDC nonce check would refuse a good sign-in.
      return readTokens(data, false);
    },

    async refresh(session: Session, ctx) {
      if (!session.refresh_token) throw alibabaAuthError('session_expired');
      // JSON like the seed's token calls; the relay adds client_id and client_secret.
      const response = await ctx.http({ url: `${base}${CIAM}/oauth/token`, method: 'POST', body: { grant_type: 'refresh_token', refresh_token: session.refresh_token }, signal: ctx.signal, retry: false });
      const tokens = readTokens(readData(response, 'refresh'));
      return tokens.user ? tokens : { ...tokens, user: session.user };
    },
  };
}

function factorContext(step: PendingStep): { fId: string; types: string[] } {
  if (!isFactorContext(step.context)) throw alibabaAuthError('invalid_request', {}, 'There is no second step to complete now.');
  return step.context;
}
