import { AuthError } from '../../core/errors.js';
import type { Session, TokenSet } from '../../core/session.js';
import type { OtpChallenge } from '../../core/steps.js';
import type { AuthorizationRequest, Capabilities, CodeExchange, OtpRequest, PasswordCredentials, Provider, ProviderContext, SignUpParams } from '../provider.js';
import { checkNoSecret } from '../shared/settings.js';
import { CloudbaseApi, resolveDeviceId, type CaptchaChallenge } from './api.js';
import { cloudbasePhone } from './phone.js';

export { DEVICE_ID_KEY, type CaptchaChallenge } from './api.js';

export interface CloudbaseSettings {
  /** The environment id; also the default `client_id`. */
  env: string;
  /** Default `ap-shanghai`. SMS codes work only there (PROVIDERS.md §6.1 [S]). */
  region?: string;
  /** The Publishable Key (meant for client code); sent as `Authorization: Bearer` on unauthenticated calls. */
  accessKey?: string;
  /** Default `https://{env}.api.tcloudbasegateway.com`; `/auth/v1/...` is appended. */
  baseUrl?: string;
  /** Default: `env` (PROVIDERS.md §6.1 [C]). */
  clientId?: string;
  /** Social sources enabled in the env's console (`google`, `github`, `wx_open`…), for `<auth-social>`. */
  providers?: string[];
  /** A fixed `x-device-id`; by default one is generated and kept in localStorage when there is one. */
  deviceId?: string;
  /** Where the social sign-in returns; default: the page the client is on. */
  redirectUri?: string;
  /** Where the captcha page returns with `captcha_token` (default `redirectUri`). */
  captchaRedirectUri?: string;
  /** Called on `captcha_required` with the page to show; resolve to the token to retry with once. */
  onCaptchaRequired?: (challenge: CaptchaChallenge) => Promise<string | null | undefined> | string | null | undefined;
}

/** The CloudBase adapter: a Provider plus the two CloudBase-only calls. */
export interface CloudbaseProvider extends Provider {
  /** Signs in with a third-party id token (CloudBase v3 `signInWithIdToken`). */
  signInWithIdToken(params: { provider: string; token: string }, ctx: ProviderContext): Promise<TokenSet>;
  /** Hands over a passed captcha: sent as `x-captcha-token` until it expires or is refused. */
  setCaptchaToken(token: string | null, expiresIn?: number): void;
  /** Starts a captcha for a page at `redirectUri` (when no `captchaRedirectUri` is configured). */
  initCaptcha(redirectUri: string, ctx: ProviderContext): Promise<CaptchaChallenge | { token: string } | null>;
}

/** What `verifyOtp` needs; in memory only (it may hold the password of a sign-up). */
interface VerificationContext {
  verificationId: string;
  isUser: boolean;
  channel: 'sms' | 'email';
  phone_number?: string;
  email?: string;
  signUp?: { password?: string; username?: string; name?: string };
  /** Kept after a successful verify so that a failed final step can be tried again. */
  verificationToken?: string;
}

/**
 * Tencent CloudBase through its `/auth/v1` HTTP API, the calls `@cloudbase/js-sdk` v3 makes
 * (PROVIDERS.md §6). No secret is involved: the publishable key is meant for browsers.
 *
 * @example
 * createAuthClient({ provider: cloudbaseProvider({ env: 'my-env-1a2b', accessKey: 'eyJ…', providers: ['wx_open'] }) });
 */
export function cloudbaseProvider(settings: CloudbaseSettings): CloudbaseProvider {
  const env = settings.env ?? '';
  const clientId = settings.clientId || env;
  const base = (settings.baseUrl || (env ? `https://${env}.api.tcloudbasegateway.com` : '')).replace(/\/+$/, '');
  const configError = checkNoSecret(settings) ??
    (!env ? new AuthError('config', 'The cloudbase provider needs an env.', { providerCode: 'missing_env' }) : !isUrl(base) ? new AuthError('config', 'The cloudbase baseUrl is not a URL.', { providerCode: 'bad_base_url' }) : undefined);
  const api = new CloudbaseApi({
    root: `${base}/auth/v1`,
    clientId,
    accessKey: settings.accessKey,
    deviceId: resolveDeviceId(settings.deviceId),
    captchaRedirectUri: settings.captchaRedirectUri ?? settings.redirectUri,
    onCaptchaRequired: settings.onCaptchaRequired,
  });
  const region = settings.region ?? 'ap-shanghai';
  const capabilities: Capabilities = {
    password: ['username', 'email', 'phone'],
    signUp: true,
    recovery: false,
    otp: region === 'ap-shanghai' ? ['sms', 'email'] : ['email'],
    oauth: [...(settings.providers ?? [])],
    popup: false,
    anonymous: true,
    refresh: true,
  };

  /** `/verification`: the first of the three OTP steps (PROVIDERS.md §6.3). */
  async function sendVerification(contact: { phone?: string; email?: string }, channel: 'sms' | 'email', target: 'ANY' | 'USER', ctx: ProviderContext, signUp?: VerificationContext['signUp']): Promise<OtpChallenge> {
    const to = channel === 'sms' ? { phone_number: cloudbasePhone(contact.phone ?? '') } : { email: (contact.email ?? '').trim() };
    if (!Object.values(to)[0]) throw new AuthError('invalid_request', channel === 'sms' ? 'A phone number is needed.' : 'An email address is needed.');
    const body = await api.call('/verification', { body: { ...to, target } }, ctx);
    if (typeof body.verification_id !== 'string' || !body.verification_id) throw new AuthError('server', 'The server sent no verification.', { status: 200 });
    const context: VerificationContext = { verificationId: body.verification_id, isUser: body.is_user === true, channel, ...to, signUp };
    const expiresIn = Number(body.expires_in);
    // [?] CloudBase does not say how long to wait before resending, so no resendAfter.
    return { channel, ...(expiresIn > 0 ? { expiresIn } : {}), context };
  }

  /** `/provider/token` then `/signin/with/provider` (PROVIDERS.md §6.3, 2022 SDK [C]). */
  async function providerSignIn(providerId: string, grant: Record<string, string>, ctx: ProviderContext): Promise<TokenSet> {
    const got = await api.call('/provider/token', { body: { provider_id: providerId, ...grant }, grant: 'code' }, ctx);
    if (typeof got.provider_token !== 'string' || !got.provider_token) throw new AuthError('server', 'The server sent no provider token.', { status: 200 });
    const body = await api.call('/signin/with/provider', { body: { provider_id: providerId, provider_token: got.provider_token }, grant: 'code' }, ctx);
    return api.withUser(api.tokens(body), ctx);
  }

  function source(requested: string | undefined): string {
    const chosen = requested ?? (capabilities.oauth.length === 1 ? capabilities.oauth[0] : undefined);
    if (!chosen) throw new AuthError('invalid_request', 'Choose a sign-in source.', { providerCode: 'missing_provider' });
    return chosen;
  }

  const provider: CloudbaseProvider = {
    type: 'cloudbase',
    capabilities,
    key: `cloudbase:${env}:${clientId}`,
    configError,
    redirectUri: settings.redirectUri,

    async signInWithPassword(credentials: PasswordCredentials, ctx) {
      // [C] the username form; [?] email and phone go in the same `username` field (phone as "+86 …").
      const username = credentials.username?.trim() || credentials.email?.trim() || (credentials.phone ? cloudbasePhone(credentials.phone) : '');
      if (!username || !credentials.password) throw new AuthError('invalid_request', 'Enter your sign-in name and password.');
      const body = await api.call('/signin', { body: { username, password: credentials.password } }, ctx);
      return api.withUser(api.tokens(body), ctx);
    },

    async sendOtp(request: OtpRequest, ctx) {
      // shouldCreateUser: false → target USER, so an unknown contact fails at the send (user_not_found).
      return sendVerification(request, request.channel, request.shouldCreateUser === false ? 'USER' : 'ANY', ctx);
    },

    async verifyOtp(challenge: OtpChallenge, code: string, ctx) {
      const c = challenge.context as VerificationContext;
      if (!c?.verificationId) throw new AuthError('code_expired', 'Request a new code first.');
      if (!c.verificationToken) {
        const verified = await api.call('/verification/verify', { body: { verification_id: c.verificationId, verification_code: code } }, ctx);
        if (typeof verified.verification_token !== 'string' || !verified.verification_token) throw new AuthError('server', 'The server sent no verification token.', { status: 200 });
        c.verificationToken = verified.verification_token;
      }
      // Third step: a known contact signs in; an unknown one signs up (PROVIDERS.md §6.3 [C]).
      const contact = c.phone_number ? { phone_number: c.phone_number } : { email: c.email };
      const body = c.isUser
        ? await api.call('/signin', { body: { verification_token: c.verificationToken } }, ctx)
        : await api.call('/signup', { body: { ...contact, verification_token: c.verificationToken, ...definedOnly(c.signUp ?? {}) } }, ctx);
      return api.withUser(api.tokens(body), ctx);
    },

    async signUp(params: SignUpParams, ctx) {
      const channel = params.phone ? 'sms' : params.email ? 'email' : null;
      if (!channel) throw new AuthError('invalid_request', 'An email address or phone number is needed to sign up.');
      // [?] "ANY", as v3 signUp signs a known contact in (seed); the password is then not set.
      return sendVerification(params, channel, 'ANY', ctx, { password: params.password, username: params.username, name: params.data?.name ?? params.data?.nickname });
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
      if (typeof body.uri !== 'string' || !body.uri) throw new AuthError('server', 'The server sent no sign-in address.', { status: 200 });
      return body.uri;
    },

    async exchangeCode(exchange: CodeExchange, ctx) {
      const providerId = source(exchange.source);
      return providerSignIn(providerId, { provider_code: exchange.code, provider_redirect_uri: exchange.redirectUri }, ctx);
    },

    async signInWithIdToken(params, ctx) {
      if (configError) throw configError;
      if (!params?.provider || !params.token) throw new AuthError('invalid_request', 'A provider and its id token are needed.');
      // [?] inferred from the SDK model field provider_id_token (PROVIDERS.md §6.3).
      return providerSignIn(params.provider, { provider_id_token: params.token }, ctx);
    },

    async refresh(session: Session, ctx) {
      if (!session.refresh_token) throw new AuthError('session_expired', 'Your session has expired. Please sign in again.');
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

    setCaptchaToken: (token, expiresIn) => api.setCaptchaToken(token, expiresIn),

    initCaptcha: (redirectUri, ctx) => api.initCaptcha(redirectUri, ctx),
  };
  return provider;
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}

function isUrl(value: string): boolean {
  try {
    return Boolean(new URL(value));
  } catch {
    return false;
  }
}
