import { AuthError, type Adapter, type AdapterContext, type AuthorizationRequest, type Capabilities, type Channel, type CodeExchange, type OtpChallenge, type OtpRequest, type PasswordCredentials, type Session, type SignUpParams, type StepRequest, type TokenSet } from '../../contract/index.js';
import { baseUrlOf, checkConfiguration } from '../../backends/table.js';
import { navigableUrl } from '../../core/util/url.js';
import { CloudbaseApi, resolveDeviceId } from './api.js';
import { cloudbasePhone } from './phone.js';
import { cloudbaseSettings, type CloudbaseSettings } from '../../backends/cloudbase.js';

export type { CloudbaseSettings };
export { DEVICE_ID_KEY } from './api.js';

/** What `verifyOtp` needs; in memory only (it may hold the password of a sign-up). */
interface VerificationContext {
  verificationId: string;
  isUser: boolean;
  channel: Channel;
  phone_number?: string;
  email?: string;
  /** Present when the code verifies a sign-up: the profile and password `/signup` is given. */
  signUp?: { password?: string; username?: string; name?: string };
  /** Kept after a successful verify so that a failed final step can be tried again. */
  verificationToken?: string;
}

type VerifySignUp = Extract<StepRequest, { kind: 'verify_sign_up' }>;

/**
 * Tencent CloudBase through its `/auth/v1` HTTP API, the calls `@cloudbase/js-sdk` v3 makes
 * (PROVIDERS.md §6). No secret is involved: the publishable key is meant for browsers.
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
  // SMS codes, and so phone sign-up, work only in Shanghai (seed; PROVIDERS.md §6.2).
  const sms = (settings.region || 'ap-shanghai') === 'ap-shanghai';
  const capabilities: Capabilities = {
    password: ['username', 'email', 'phone'],
    // A username cannot sign up: CloudBase sign-up verifies an email or a phone first.
    signUp: sms ? ['email', 'phone'] : ['email'],
    // CloudBase recovery (/verification with usage "recovery", then /reset, §6.2) is a later issue.
    recovery: [],
    otp: sms ? ['sms', 'email'] : ['email'],
    oauth: [...(settings.providers ?? [])],
    popup: false,
    anonymous: true,
    refresh: true,
  };

  /** `/verification`: the first of the three OTP steps (PROVIDERS.md §6.2). */
  async function sendVerification(contact: { phone?: string; email?: string }, channel: Channel, target: 'ANY' | 'USER', ctx: AdapterContext, signUp?: VerificationContext['signUp']): Promise<OtpChallenge> {
    const given = (channel === 'sms' ? contact.phone : contact.email)?.trim();
    if (!given) throw new AuthError('invalid_request', { invalid: channel === 'sms' ? { phone: 'required' } : { email: 'required' } });
    const to = channel === 'sms' ? { phone_number: cloudbasePhone(given) } : { email: given };
    const body = await api.call('/verification', { body: { ...to, target } }, ctx);
    if (typeof body.verification_id !== 'string' || !body.verification_id) throw new AuthError('server', { status: 200 });
    const context: VerificationContext = { verificationId: body.verification_id, isUser: body.is_user === true, channel, ...to, ...(signUp ? { signUp } : {}) };
    const expiresIn = Number(body.expires_in);
    // [?] CloudBase does not say how long to wait before resending, so no resendAfter.
    return { channel, ...(expiresIn > 0 ? { expiresIn } : {}), context };
  }

  /** `/provider/token` then `/signin/with/provider` (PROVIDERS.md §6.2 [C]). */
  async function providerSignIn(providerId: string, grant: Record<string, string>, ctx: AdapterContext): Promise<TokenSet> {
    const got = await api.call('/provider/token', { body: { provider_id: providerId, ...grant }, grant: 'code' }, ctx);
    if (typeof got.provider_token !== 'string' || !got.provider_token) throw new AuthError('server', { status: 200 });
    const body = await api.call('/signin/with/provider', { body: { provider_id: providerId, provider_token: got.provider_token }, grant: 'code' }, ctx);
    return api.withUser(api.tokens(body), ctx);
  }

  function source(requested: string | undefined): string {
    const chosen = requested ?? (capabilities.oauth.length === 1 ? capabilities.oauth[0] : undefined);
    if (!chosen) throw new AuthError('invalid_request', { providerCode: 'missing_provider' });
    return chosen;
  }

  return {
    type: 'cloudbase',
    capabilities,
    key: `cloudbase:${env}:${clientId}`,
    configError,
    redirectUri: settings.redirectUri,

    async signInWithPassword(credentials: PasswordCredentials, ctx) {
      // Username, email or phone all go in the `username` field, the phone as "+86 …" (§6.2 [C]).
      const username = credentials.username?.trim() || credentials.email?.trim() || (credentials.phone?.trim() ? cloudbasePhone(credentials.phone) : '');
      if (!username) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
      if (!credentials.password) throw new AuthError('invalid_request', { invalid: { password: 'required' } });
      const body = await api.call('/signin', { body: { username, password: credentials.password } }, ctx);
      return api.withUser(api.tokens(body), ctx);
    },

    async sendOtp(request: OtpRequest, ctx) {
      // shouldCreateUser: false → target USER, so an unknown contact fails at the send (user_not_found).
      return sendVerification(request, request.channel, request.shouldCreateUser === false ? 'USER' : 'ANY', ctx);
    },

    /** A code sign-in, or a `verify_sign_up` step: its context carries the sign-up's details. */
    async verifyOtp(challenge: OtpChallenge, code: string, ctx) {
      const c = challenge.context as VerificationContext | undefined;
      if (!c?.verificationId) throw new AuthError('code_expired', { providerCode: 'no_verification' });
      if (!c.verificationToken) {
        const verified = await api.call('/verification/verify', { body: { verification_id: c.verificationId, verification_code: code } }, ctx);
        if (typeof verified.verification_token !== 'string' || !verified.verification_token) throw new AuthError('server', { status: 200 });
        c.verificationToken = verified.verification_token;
      }
      // Third step: a known contact signs in; an unknown one signs up (PROVIDERS.md §6.2 [C]).
      const contact = c.phone_number ? { phone_number: c.phone_number } : { email: c.email };
      const body = c.isUser
        ? await api.call('/signin', { body: { verification_token: c.verificationToken } }, ctx)
        : await api.call('/signup', { body: { ...contact, verification_token: c.verificationToken, ...definedOnly(c.signUp ?? {}) } }, ctx);
      return api.withUser(api.tokens(body), ctx);
    },

    async signUp(params: SignUpParams, ctx): Promise<VerifySignUp> {
      const channel: Channel | null = params.phone?.trim() ? 'sms' : params.email?.trim() ? 'email' : null;
      if (!channel) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
      // [?] "ANY", as v3 signUp signs a known contact in (seed); the password is then not set.
      const sent = await sendVerification(params, channel, 'ANY', ctx, { password: params.password, username: params.username, name: params.data?.name ?? params.data?.nickname });
      return { kind: 'verify_sign_up', channel, ...(sent.expiresIn ? { expiresIn: sent.expiresIn } : {}), context: sent.context };
    },

    async signInAnonymously(ctx) {
      const body = await api.call('/signin/anonymously', { body: {} }, ctx);
      return api.withUser(api.tokens(body), ctx);
    },

    async authorizationUrl(request: AuthorizationRequest, ctx) {
      const providerId = source(request.source);
      // [?] CloudBase runs its own exchange with the source: our PKCE challenge and nonce are not forwarded.
      const body = await api.call('/provider/uri', {
        query: { provider_id: providerId, redirect_uri: request.redirectUri, state: request.state },
        retry: true,
      }, ctx);
      if (typeof body.uri !== 'string' || !body.uri) throw new AuthError('server', { status: 200 });
      // The browser goes there next: never a `javascript:` or plain-http address from the answer.
      return navigableUrl(body.uri);
    },

    async exchangeCode(exchange: CodeExchange, ctx) {
      const providerId = source(exchange.source);
      return providerSignIn(providerId, { provider_code: exchange.code, provider_redirect_uri: exchange.redirectUri }, ctx);
    },

    async signInWithIdToken(params, ctx) {
      if (configError) throw configError;
      if (!params?.provider || !params.token) throw new AuthError('invalid_request', { providerCode: 'missing_token' });
      // [?] inferred from the 2022 SDK model field provider_id_token.
      return providerSignIn(params.provider, { provider_id_token: params.token }, ctx);
    },

    async refresh(session: Session, ctx) {
      if (!session.refresh_token) throw new AuthError('session_expired', { providerCode: 'no_refresh_token' });
      // A rotated refresh token works once: never resent by the transport.
      const body = await api.call('/token', { body: { client_id: clientId, grant_type: 'refresh_token', refresh_token: session.refresh_token }, grant: 'refresh' }, ctx);
      const tokens = api.tokens(body);
      // The refresh answer has only `sub`: keep the profile read at sign-in.
      if (!tokens.user || tokens.user.id === session.user.id) tokens.user = session.user;
      return tokens;
    },

    async signOut(session: Session, _request, ctx) {
      // [?] An expired access token may no longer name its session, so the refresh token is revoked instead.
      const expired = session.expires_at <= Date.now() / 1000;
      const token = expired && session.refresh_token ? session.refresh_token : session.access_token;
      // An expired bearer could be refused before the revoke is read, so only a live one is sent.
      await api.call('/revoke', { body: { token }, bearer: expired ? undefined : session.access_token, retry: true }, ctx);
      return {};
    },

    async getUser(session: Session, ctx) {
      return api.me(session.access_token, ctx);
    },
  };
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}
