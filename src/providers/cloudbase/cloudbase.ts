import { baseUrlOf, cloudbaseFacts } from '../../backends/facts.js';
import { AuthError, isAuthError, type Adapter, type AdapterContext, type AuthorizationRequest, type Channel, type CodeExchange, type OtpChallenge, type OtpRequest, type PasswordCredentials, type Session, type SignUpParams, type StepRequest, type TokenSet } from '../../contract/index.js';
import { checkConfiguration } from '../../backends/check.js';
import { navigableUrl } from '../../core/util/url.js';
import { accountMethods } from './account.js';
import { CloudbaseApi, resolveDeviceId } from './api.js';
import { cloudbasePhone } from './phone.js';
import { sendCode, verifyCode, type VerificationContext } from './verification.js';
import { cloudbaseSettings, type CloudbaseSettings } from '../../backends/cloudbase.js';

export type { CloudbaseSettings };
export { DEVICE_ID_KEY } from './api.js';

type Step<K extends StepRequest['kind']> = Extract<StepRequest, { kind: K }>;

/** What an `mfa_phone_required` second factor needs: the phone the person signed in with, if any. */
interface FactorContext {
  phone?: string;
}

/**
 * Tencent CloudBase through its `/auth/v1` HTTP API, sending what `@cloudbase/js-sdk` 3.7.0
 * sends for the same action (PROVIDERS.md §6; test/e2e/cloudbase-sdk.node.test.ts compares the
 * two). No secret is involved: the publishable key is meant for browsers.
 *
 * @example
 * createAuthClient({ provider: cloudbaseProvider({ env: 'my-env-1a2b', accessKey: 'eyJ…', providers: ['wx_open'] }) });
 */
export function cloudbaseProvider(settings: CloudbaseSettings): Adapter {
  const env = typeof settings.env === 'string' ? settings.env.trim() : '';
  const clientId = settings.clientId || env;
  // §6.1: the default gateway; an env id that makes no host name is reported as a bad env.
  const base = baseUrlOf(settings.baseUrl || (env ? `https://${env}.api.tcloudbasegateway.com` : ''));
  const configError = checkConfiguration(cloudbaseSettings, settings, { baseUrl: baseUrlOf(settings.baseUrl) }) ??
    (!base ? new AuthError('config', { providerCode: 'bad_setting:env' }) : undefined);
  const api = new CloudbaseApi({
    root: `${base}/auth/v1`,
    clientId,
    accessKey: settings.accessKey,
    deviceId: resolveDeviceId(settings.deviceId),
  });
  const { key, capabilities } = cloudbaseFacts(settings);
  const sms = capabilities.otp.includes('sms');

  /** `/provider/token` then `/signin/with/provider {provider_token}` (§6.2 [C]): verifyOAuth's two calls. */
  async function providerSignIn(providerId: string, exchange: CodeExchange, ctx: AdapterContext): Promise<TokenSet> {
    const providerToken = await grantProviderToken(providerId, exchange, ctx);
    const body = await api.call('/signin/with/provider', { body: { provider_token: providerToken }, grant: 'code' }, ctx);
    return api.withUser(api.tokens(body), ctx);
  }

  async function grantProviderToken(providerId: string, exchange: CodeExchange, ctx: AdapterContext): Promise<string> {
    const got = await api.call('/provider/token', { body: { provider_id: providerId, provider_redirect_uri: exchange.redirectUri, provider_code: exchange.code }, grant: 'code' }, ctx);
    if (typeof got.provider_token !== 'string' || !got.provider_token) throw new AuthError('server', { status: 200 });
    return got.provider_token;
  }

  function source(requested: string | undefined): string {
    const chosen = requested ?? (capabilities.oauth.length === 1 ? capabilities.oauth[0] : undefined);
    if (!chosen) throw new AuthError('invalid_request', { providerCode: 'missing_provider' });
    return chosen;
  }

  /** The third step of a code sign-in (§6.2 [C]): a known contact signs in, an unknown one signs up. */
  async function finishCode(c: VerificationContext, code: string, ctx: AdapterContext): Promise<TokenSet> {
    if (!c.verificationId) throw new AuthError('code_expired', { providerCode: 'no_verification' });
    // Kept, so that a failed final step can be tried again without a new code.
    c.verificationToken ??= await verifyCode(api, c.verificationId, code, ctx);
    const contact = c.phone_number ? { phone_number: c.phone_number } : { email: c.email };
    const body = c.isUser
      ? await api.call('/signin', { body: { username: c.phone_number ?? c.email, verification_token: c.verificationToken } }, ctx)
      : await api.call('/signup', { body: { ...definedOnly(c.signUp ?? {}), ...contact, verification_token: c.verificationToken, verification_code: code } }, ctx);
    return api.withUser(api.tokens(body), ctx);
  }

  return {
    type: 'cloudbase',
    capabilities,
    key,
    configError,
    redirectUri: settings.redirectUri,

    async signInWithPassword(credentials: PasswordCredentials, ctx) {
      // Username, email or phone all go in the `username` field, the phone as "+86 …" (§6.2 [C]).
      const phone = credentials.phone?.trim() ? cloudbasePhone(credentials.phone) : undefined;
      const username = credentials.username?.trim() || credentials.email?.trim() || phone || '';
      if (!username) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
      if (!credentials.password) throw new AuthError('invalid_request', { invalid: { password: 'required' } });
      try {
        const body = await api.call('/signin', { body: { username, password: credentials.password } }, ctx);
        return await api.withUser(api.tokens(body), ctx);
      } catch (error) {
        // mfa_phone_required (4042, §6.1 [C]): this account finishes with an SMS code. [?] The
        // answer does not say to which phone: the one typed, else the person types it.
        if (!isAuthError(error) || (error.providerCode !== 'mfa_phone_required' && error.providerCode !== 4042) || !sms) throw error;
        const context: FactorContext = phone ? { phone } : {};
        return phone ? { kind: 'second_factor', methods: ['sms'], target: phone, context } : { kind: 'second_factor', methods: ['sms'], ask: 'phone', context };
      }
    },

    async sendOtp(request: OtpRequest, ctx) {
      // shouldCreateUser: false → target USER, so an unknown contact fails at the send; the SDK
      // sends no target otherwise (a code then signs up whoever is unknown).
      return sendCode(api, request, request.channel, { target: request.shouldCreateUser === false ? 'USER' : undefined }, ctx);
    },

    /** A code sign-in, or a `verify_sign_up` step: its context carries the sign-up's details. */
    async verifyOtp(challenge: OtpChallenge, code: string, ctx) {
      const c = challenge.context as VerificationContext | undefined;
      if (!c?.verificationId) throw new AuthError('code_expired', { providerCode: 'no_verification' });
      return finishCode(c, code, ctx);
    },

    async signUp(params: SignUpParams, ctx): Promise<Step<'verify_sign_up'>> {
      const channel: Channel | null = params.phone?.trim() ? 'sms' : params.email?.trim() ? 'email' : null;
      if (!channel) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
      // As v3 signUp: a known contact is signed in by the code, and the password is then not set.
      const sent = await sendCode(api, params, channel, { signUp: { password: params.password, username: params.username, name: params.data?.name ?? params.data?.nickname } }, ctx);
      return { kind: 'verify_sign_up', channel, ...(sent.expiresIn ? { expiresIn: sent.expiresIn } : {}), context: sent.context };
    },

    async signInAnonymously(ctx) {
      const body = await api.call('/signin/anonymously', { body: {} }, ctx);
      return api.withUser(api.tokens(body), ctx);
    },

    async authorizationUrl(request: AuthorizationRequest, ctx) {
      const providerId = source(request.source);
      // [?] CloudBase runs its own exchange with the source: our PKCE challenge and nonce are not forwarded.
      const body = await api.call('/provider/uri', { query: { provider_id: providerId, state: request.state, redirect_uri: request.redirectUri }, retry: true }, ctx);
      if (typeof body.uri !== 'string' || !body.uri) throw new AuthError('server', { status: 200 });
      // The SDK URL-decodes `uri` before navigating (§6.2 [C]).
      let uri: string;
      try {
        uri = decodeURIComponent(body.uri);
      } catch {
        throw new AuthError('server', { status: 200, providerCode: 'unreadable_uri' });
      }
      // The browser goes there next: never a `javascript:` or plain-http address from the answer.
      const url = new URL(navigableUrl(uri));
      for (const [key, value] of Object.entries(request.queryParams ?? {})) url.searchParams.set(key, value);
      return url.toString();
    },

    async exchangeCode(exchange: CodeExchange, ctx) {
      return providerSignIn(source(exchange.source), exchange, ctx);
    },

    async signInWithIdToken(params, ctx) {
      if (!params?.token) throw new AuthError('invalid_request', { providerCode: 'missing_token' });
      // The SDK posts the third party's token straight to /signin/with/provider (§6.2 [C]); the
      // source is the backend's to tell from the token.
      const body = await api.call('/signin/with/provider', { body: { provider_token: params.token }, grant: 'code' }, ctx);
      return api.withUser(api.tokens(body), ctx);
    },

    async signInWithCustomTicket(ticket, ctx) {
      const body = await api.call('/signin/custom', { body: { provider_id: 'custom', ticket }, grant: 'code' }, ctx);
      return api.withUser(api.tokens(body), ctx);
    },

    async sendSecondFactor(step, method, ctx) {
      const phone = step.target ?? (step.context as FactorContext | null)?.phone;
      if (method !== 'sms') throw new AuthError('unsupported');
      if (!phone) throw new AuthError('invalid_request', { invalid: { phone: 'required' } });
      // The code signs in the account of this phone only: target USER, as a code sign-in that creates no one.
      return sendCode(api, { phone }, 'sms', { target: 'USER' }, ctx);
    },

    async verifySecondFactor(_step, code, challenge, ctx) {
      const c = challenge?.context as VerificationContext | undefined;
      if (!c?.verificationId) throw new AuthError('code_expired', { providerCode: 'no_code_sent' });
      return finishCode({ ...c, isUser: true }, code, ctx);
    },

    async refresh(session: Session, ctx) {
      if (!session.refresh_token) throw new AuthError('session_expired', { providerCode: 'no_refresh_token' });
      // A rotated refresh token works once: never resent by the transport. The SDK sends an empty secret.
      const body = await api.call('/token', { body: { client_id: clientId, client_secret: '', grant_type: 'refresh_token', refresh_token: session.refresh_token }, grant: 'refresh' }, ctx);
      const tokens = api.tokens(body);
      // The refresh answer has only `sub`: keep the profile read at sign-in.
      if (!tokens.user || tokens.user.id === session.user.id) tokens.user = session.user;
      return tokens;
    },

    async signOut(session: Session, _request, ctx) {
      // [?] An expired access token may no longer name its session, so the refresh token is
      // revoked instead (the SDK refreshes first, then revokes the new access token).
      const expired = session.expires_at <= Date.now() / 1000;
      const token = expired && session.refresh_token ? session.refresh_token : session.access_token;
      await api.call('/revoke', { body: { token }, retry: true }, ctx);
      return {};
    },

    async getUser(session: Session, ctx) {
      return api.me(session.access_token, ctx);
    },

    /** Another image for the same call: the SDK's refresh button (`/captcha/data` with the state). */
    async newCaptcha(step, ctx) {
      const state = (step.context as { state?: unknown } | null)?.state;
      if (typeof state !== 'string') throw new AuthError('invalid_request', { providerCode: 'no_pending_step' });
      return api.captchaImage(state, false, ctx);
    },

    ...accountMethods(api, { grantProviderToken, source, phone: sms }),
  };
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}
