import {
  AuthError, isAuthError, isStep, StepRequired,
  type Adapter, type AdapterContext, type AuthorizationRequest, type Capabilities, type CodeExchange, type OtpChallenge,
  type OtpRequest, type PasswordCredentials, type Session, type SignInOutcome, type SignUpParams, type StepRequest, type TokenSet,
} from '../../contract/index.js';
import { readString } from '../shared/responses.js';
import { baseUrlOf, checkConfiguration } from '../../backends/table.js';
import { alibabaIdaasSettings, type AlibabaIdaasSettings, type AlibabaSocialSource } from '../../backends/alibaba-idaas.js';
import { factorType, isFactorContext, NEED_AGREE_CONSENT, readData, readOutcome, readTokens, splitPhone, type Data } from './wire.js';

export type { AlibabaIdaasSettings, AlibabaSocialSource };

type Step<K extends StepRequest['kind']> = Extract<StepRequest, { kind: K }>;

export interface AlibabaIdaasProvider extends Adapter {
  /** A new image for a `captcha` step (`GET /captcha` [T]); each image allows one answer. */
  newCaptcha(step: Step<'captcha'>, ctx: AdapterContext): Promise<Step<'captcha'>>;
  /** The login page configuration (`GET /config/loginpage` [C]); its `data` is not documented field by field. */
  loginPageConfig(ctx: AdapterContext): Promise<Data>;
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

/** The handle of a `captcha` step: the image's id, which the retried call sends back. */
interface CaptchaContext {
  captchaCode: string;
}

/** The handle of a `consent` step: the flow that waits for the agreement. */
interface ConsentContext {
  fId?: string;
}

const CIAM = '/api/bff/v1.2/developer/ciam';
// A registration password waits here, keyed by its step's context, so that logging or
// serializing a step can never show it; it lives exactly as long as the step (memory).
const pendingPasswords = new WeakMap<OtpContext, string>();

/**
 * Alibaba Cloud IDaaS CIAM (PROVIDERS.md §2) through the relay, which adds the app token:
 * password, SMS/email code, registration by code, second factor, social completion, refresh.
 * An image captcha or the terms the backend asks for interrupt a call as a step; the client
 * sends the same call again with the answer.
 *
 * @example
 * createAuthClient({ provider: alibabaIdaasProvider({ baseUrl: 'https://app.example.com/auth-relay', idaasAppId: 'app_xxx' }) });
 */
export function alibabaIdaasProvider(settings: AlibabaIdaasSettings): AlibabaIdaasProvider {
  const base = baseUrlOf(settings.baseUrl);
  const sources = Array.isArray(settings.socialSources) ? settings.socialSources : [];
  const configError = checkConfiguration(alibabaIdaasSettings, settings, { baseUrl: base }) ?? checkExtras(settings);
  const region = (settings.phoneRegion ?? '86').replace(/^\+/, '');

  const capabilities: Capabilities = {
    // [?] the docs name the field `username` only; the reference server also takes a phone or email there.
    password: ['username', 'phone', 'email'],
    // Registration is by a code sent to a contact (§2.3 register/obtain_code, register/submit).
    signUp: ['phone', 'email'],
    // §2.3 lists no password-recovery path (and the relay allowlists none): not offered yet.
    recovery: [],
    otp: ['sms', 'email'],
    oauth: sources.map((s) => s.enterpriseAuthId),
    popup: false,
    anonymous: false,
    refresh: true,
  };

  /**
   * One CIAM call. A call interrupted by a captcha answers with a `captcha` step; the call sent
   * again with `ctx.captcha` carries the answer. [?] Only password login is known to be gated
   * (§2.3 lists `captchaCode, captchaText` for it); the seed gives them as parameters of every
   * authentication call, so any call may be answered this way.
   */
  async function post(path: string, body: Data, ctx: AdapterContext): Promise<Data> {
    const sent: Data = { ...body };
    const answer = captchaAnswer(ctx);
    if (answer) Object.assign(sent, answer);
    // Sign-ins and sends change state on the backend: never resent on our own.
    const response = await ctx.http({ url: `${base}${CIAM}${path}`, method: 'POST', body: sent, signal: ctx.signal, retry: false });
    try {
      return readData(response);
    } catch (error) {
      // Read by the mapped code, not by one name: the vendor's names for these are [?].
      if (!isAuthError(error) || error.code !== 'captcha_required') throw error;
      const step = await captchaStep(ctx);
      if (!answer) throw new StepRequired(step);
      // A wrong answer (or an expired image): each image allows one try, so a new one comes with the error.
      throw new StepRequired(step, new AuthError('captcha_required', { invalid: { captcha: 'invalid' }, providerCode: error.providerCode, status: error.status }));
    }
  }

  async function captchaStep(ctx: AdapterContext): Promise<Step<'captcha'>> {
    const data = readData(await ctx.http({ url: `${base}${CIAM}/captcha`, signal: ctx.signal }));
    // [?] the captcha answer's fields are undocumented; these are the reference server's.
    const captchaCode = readString(data, 'captchaCode');
    if (!captchaCode) throw new AuthError('server', { providerCode: 'no_captcha' });
    const context: CaptchaContext = { captchaCode };
    const image = imageUrl(readString(data, 'captchaImage') ?? readString(data, 'image'));
    return image ? { kind: 'captcha', image, context } : { kind: 'captcha', context };
  }

  /**
   * A call that ends in a sign-in. `NEED_AGREE_CONSENT` [?] becomes a `consent` step, answered
   * by sending the same call again in the same flow (`fId`) with `agreeConsent: true` — at once
   * when the page shows its terms beside the form (`agreeConsent` setting).
   */
  async function signInCall(path: string, body: Data, ctx: AdapterContext): Promise<SignInOutcome> {
    const agreed = ctx.consent ? consentFlow(ctx.consent.context) : undefined;
    const first = await post(path, agreed ? { ...body, ...agreed, agreeConsent: true } : body, ctx);
    if (readString(first, 'flowType') !== NEED_AGREE_CONSENT) return readOutcome(first);
    // Asked again after agreeing: the backend did not take the agreement; no loop.
    if (agreed) throw new AuthError('invalid_request', { providerCode: NEED_AGREE_CONSENT });
    const fId = readString(first, 'fId');
    const context: ConsentContext = fId ? { fId } : {};
    if (!settings.agreeConsent) throw new StepRequired({ kind: 'consent', context });
    // The captcha answer, if any, was spent on the first call: it is not sent twice.
    const again = await post(path, { ...body, ...context, agreeConsent: true }, { ...ctx, captcha: undefined });
    if (readString(again, 'flowType') === NEED_AGREE_CONSENT) throw new AuthError('invalid_request', { providerCode: NEED_AGREE_CONSENT });
    return readOutcome(again);
  }

  function contact(channel: 'sms' | 'email', phone: string | undefined, email: string | undefined): Omit<OtpContext, 'purpose' | 'fId'> {
    if (channel === 'sms') {
      if (!phone?.trim()) throw new AuthError('invalid_request', { invalid: { phone: 'required' } });
      return { type: 'SMS', ...splitPhone(phone, region) };
    }
    if (!email?.trim()) throw new AuthError('invalid_request', { invalid: { email: 'required' } });
    // Only the email: the community SDK's bug of sending it as phoneRegion is not copied (§2.6 q6).
    return { type: 'EMAIL', email: email.trim() };
  }

  async function sendCode(purpose: OtpContext['purpose'], to: Omit<OtpContext, 'purpose' | 'fId'>, ctx: AdapterContext): Promise<OtpChallenge> {
    let data: Data;
    try {
      data = await post(`/${purpose}/obtain_code`, { ...to }, ctx);
    } catch (error) {
      // [?] Params.Illegal names no parameter; on a send the contact is the only one the person typed.
      if (isAuthError(error) && error.providerCode === 'Params.Illegal') {
        const invalid = to.type === 'SMS' ? { phone: 'invalid_phone' as const } : { email: 'invalid_email' as const };
        throw new AuthError(error.code, { providerCode: error.providerCode, status: error.status, invalid });
      }
      throw error;
    }
    // [?] the answer of obtain_code is undocumented; the reference server gives `fId` and `expiresIn`.
    const context: OtpContext = { purpose, ...to };
    const fId = readString(data, 'fId');
    if (fId) context.fId = fId;
    const challenge: OtpChallenge = { channel: to.type === 'SMS' ? 'sms' : 'email', context };
    const expiresIn = Number(data.expiresIn);
    if (Number.isFinite(expiresIn) && expiresIn > 0) challenge.expiresIn = expiresIn;
    return challenge;
  }

  async function passwordLogin(credentials: PasswordCredentials, ctx: AdapterContext): Promise<SignInOutcome> {
    const username = (credentials.username ?? credentials.email ?? credentials.phone)?.trim();
    if (!username) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
    if (!credentials.password) throw new AuthError('invalid_request', { invalid: { password: 'required' } });
    return signInCall('/login/pwd', { username, password: credentials.password, response_type: 'Token' }, ctx);
  }

  function sourceOf(id: string | undefined | null): AlibabaSocialSource {
    const found = id ? sources.find((s) => s.enterpriseAuthId === id) : sources.length === 1 ? sources[0] : undefined;
    if (!found) throw new AuthError('config', { providerCode: 'unknown_source' });
    return found;
  }

  return {
    type: 'alibaba-idaas',
    capabilities,
    key: `alibaba-idaas:${base}:${settings.idaasAppId}`,
    configError,

    signInWithPassword: passwordLogin,

    newCaptcha: (_step, ctx) => captchaStep(ctx),

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
      const context = challenge.context as OtpContext | undefined;
      if (!context || (context.purpose !== 'login' && context.purpose !== 'register')) throw new AuthError('code_expired', { providerCode: 'no_code_sent' });
      const body: Data = { ...context, code };
      delete body.purpose;
      if (context.purpose === 'login') return signInCall('/login/verify_code', body, ctx);
      // [?] §2.3 lists no phoneRegion for /register/submit; it is sent as on obtain_code so a
      // non-86 number stays the same number.
      const password = pendingPasswords.get(context);
      if (password) body.password = password;
      const outcome = await signInCall('/register/submit', body, ctx);
      pendingPasswords.delete(context);
      return outcome;
    },

    async signUp(params: SignUpParams, ctx): Promise<Step<'verify_sign_up'>> {
      const channel = params.phone?.trim() ? 'sms' : params.email?.trim() ? 'email' : null;
      if (!channel) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
      const challenge = await sendCode('register', contact(channel, params.phone, params.email), ctx);
      if (params.password) pendingPasswords.set(challenge.context as OtpContext, params.password);
      const step: Step<'verify_sign_up'> = { kind: 'verify_sign_up', channel: challenge.channel, context: challenge.context };
      if (challenge.expiresIn !== undefined) step.expiresIn = challenge.expiresIn;
      return step;
    },

    async sendSecondFactor(step, method, ctx) {
      const context = factorContext(step);
      // A TOTP code needs no send; only SMS and email codes are sent.
      if (method === 'totp') throw new AuthError('invalid_request', { providerCode: 'Operation.Failure.Unsupport.2fa.Type' });
      const type = factorType(context, method);
      if (!type) throw new AuthError('invalid_request', { providerCode: 'Operation.Failure.Unsupport.2fa.Type' });
      // [?] the body of prepare_second_factor is undocumented; §2.3 guesses `fId, type`.
      const data = await post('/prepare_second_factor', { fId: context.fId, type }, ctx);
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
      return readOutcome(await post('/verify_second_factor', body, ctx));
    },

    async authorizationUrl(request: AuthorizationRequest) {
      const source = sourceOf(request.source);
      const url = new URL(source.authorizeUrl);
      // Several sources: the callback must say which one answered.
      const back = new URL(request.redirectUri);
      if (sources.length > 1) back.searchParams.set('enterpriseAuthId', source.enterpriseAuthId);
      url.searchParams.set('redirect_uri', back.toString());
      // [?] the seed's `ID:{idaasAppId}` state format (non-default app) is not used: the client needs its own state back.
      url.searchParams.set('state', request.state);
      return url.toString();
    },

    async exchangeCode(exchange: CodeExchange, ctx): Promise<TokenSet> {
      const source = sourceOf(exchange.source ?? exchange.params.get('enterpriseAuthId'));
      const body: Data = { enterpriseAuthId: source.enterpriseAuthId, code: exchange.code, state: exchange.params.get('state') ?? undefined };
      // A third party's code works once, so a consent step cannot be answered by sending it
      // again: the agreement goes with the first call when the page configured it (seed example).
      if (settings.agreeConsent) body.agreeConsent = true;
      const data = await post('/login/social', body, ctx);
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

/** The captcha fields of a call sent again after a `captcha` step (§2.3 `captchaCode, captchaText`). */
function captchaAnswer(ctx: AdapterContext): Data | undefined {
  const context = ctx.captcha?.context as CaptchaContext | undefined;
  if (!ctx.captcha || typeof context?.captchaCode !== 'string') return undefined;
  return { captchaCode: context.captchaCode, captchaText: ctx.captcha.text };
}

/** An image the page may put in an `<img src>`: a `data:image/…` or http(s) URL, nothing else. */
function imageUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^data:image\/[a-z0-9.+-]+[;,]/i.test(value)) return value;
  return baseUrlOf(value) ? value : undefined;
}

/** The flow a `consent` step belongs to (always an object, so that "agreed" is truthy). */
function consentFlow(context: unknown): ConsentContext {
  const fId = (context as ConsentContext | null)?.fId;
  return typeof fId === 'string' ? { fId } : {};
}

function factorContext(step: Step<'second_factor'>): { fId: string; types: string[] } {
  if (!isFactorContext(step.context)) throw new AuthError('invalid_request', { providerCode: 'no_pending_step' });
  return step.context;
}
