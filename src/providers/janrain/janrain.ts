import { baseUrlOf, janrainFacts } from '../../backends/facts.js';
import { AuthError, type Adapter, type AdapterContext, type HttpResponse, type PasswordCredentials, type RecoveryRequest, type Session, type SignUpParams, type StepRequest, type TokenSet, type User } from '../../contract/index.js';
import { linkStep, type LinkContext } from './links.js';
import { readTokens } from '../shared/oauth.js';
import { readString } from '../shared/responses.js';
import { checkConfiguration } from '../../backends/check.js';
import { janrainError } from './errors.js';
import { janrainSettings, type JanrainSettings } from '../../backends/janrain.js';

export type { JanrainSettings };

// Form names and field names are flow configuration [C]; these are the documented defaults (§5.3).
// [?] The two forms the links lead to are not documented: `changePasswordFormNoAuth` (the new
// password after a reset link) and `resendVerificationForm` (Akamai's example of a verify-email
// send) are the usual names of Janrain's standard flow.
const FORMS = { signIn: 'signInForm', registration: 'registrationForm', forgot: 'forgotPasswordForm', newPassword: 'changePasswordFormNoAuth', verify: 'resendVerificationForm' } as const;
const BASE_FIELDS = new Set(['client_id', 'flow', 'flow_version', 'locale', 'redirect_uri', 'response_type', 'form']);

/**
 * Akamai Identity Cloud (Janrain) native Authentication API through the relay: traditional
 * sign-in, registration and forgot password, form-encoded as documented (§5.3). Sign-ins ask
 * for `response_type=code`; the relay trades the code at `/oauth/token` with the API client's
 * Basic credentials and answers with the tokens, so the page never holds a code's secret.
 * Hosted Login (OIDC + PKCE) is the `oidc` provider instead.
 *
 * @example
 * createAuthClient({ provider: janrainProvider({ baseUrl: 'https://app.example/auth-relay',
 *   clientId: 'login-client-id', flow: 'standard', flowVersion: '20240101', locale: 'en-US',
 *   redirectUri: 'https://app.example/account' }) });
 */
export function janrainProvider(settings: JanrainSettings): Adapter {
  const baseUrl = baseUrlOf(settings.baseUrl);
  // The redirect URI is sent exactly as registered on the login client; it is only checked here.
  const configError = checkConfiguration(janrainSettings, settings, { baseUrl, redirectUri: baseUrlOf(settings.redirectUri), verifyEmailUri: baseUrlOf(settings.verifyEmailUri) });

  const { key, capabilities } = janrainFacts(settings);

  /** The base fields every native call carries (§5.3), then the form's own. */
  function form(formName: string, fields: Record<string, string | undefined>, ctx: AdapterContext, responseType?: 'code'): URLSearchParams {
    const body = new URLSearchParams({ client_id: settings.clientId });
    if (settings.flow) body.set('flow', settings.flow);
    body.set('flow_version', settings.flowVersion);
    // Not the person's language: a flow answers 226 for a locale it lacks, so only the site can say.
    body.set('locale', settings.locale || 'en-US');
    body.set('redirect_uri', settings.redirectUri);
    if (responseType) body.set('response_type', responseType);
    body.set('form', formName);
    for (const [key, value] of Object.entries(fields)) if (value !== undefined && !BASE_FIELDS.has(key)) body.set(key, value);
    return body;
  }

  async function post(path: string, body: URLSearchParams, ctx: AdapterContext): Promise<HttpResponse> {
    // Sign-ins, registrations and emails change state: the client never resends them by itself.
    return ctx.http({ url: `${baseUrl}${path}`, method: 'POST', body, signal: ctx.signal, retry: false });
  }

  /** A native sign-in or registration answer, after the relay's exchange, as a token set. */
  function readSignIn(response: HttpResponse, formName: string): TokenSet {
    const body = response.body as Record<string, unknown> | undefined;
    if (response.status !== 200 || body?.stat !== 'ok') throw janrainError(response, 'native', formName);
    if (!readString(body, 'access_token') && readString(body, 'authorization_code')) {
      // The code reached the page: baseUrl points at Janrain itself, not at the relay.
      throw new AuthError('config', { providerCode: 'code_not_exchanged', status: response.status });
    }
    const tokens = readTokens(response);
    const user = readUser(body.capture_user);
    if (!user) throw new AuthError('server', { status: response.status });
    tokens.user = user;
    return tokens;
  }

  return {
    type: 'janrain',
    capabilities,
    key,
    configError,
    redirectUri: settings.redirectUri,

    async signInWithPassword(credentials: PasswordCredentials, ctx) {
      const email = credentials.email?.trim();
      if (!email) throw new AuthError('invalid_request', { invalid: { email: 'required' } });
      if (!credentials.password) throw new AuthError('invalid_request', { invalid: { password: 'required' } });
      const body = form(FORMS.signIn, { signInEmailAddress: email, currentPassword: credentials.password }, ctx, 'code');
      return readSignIn(await post('/oauth/auth_native_traditional', body, ctx), FORMS.signIn);
    },

    async signUp(params: SignUpParams, ctx) {
      const email = params.email?.trim();
      if (!email) throw new AuthError('invalid_request', { invalid: { email: 'required' } });
      const { newPasswordConfirm, ...profile } = params.data ?? {};
      // `data` holds the registration form's other fields under their flow names
      // (firstName, lastName, displayName…); the base parameters cannot be overridden.
      const body = form(FORMS.registration, {
        ...profile,
        emailAddress: email,
        newPassword: params.password,
        // The widget asks for the password once; a form that shows a second box passes it in data.
        newPasswordConfirm: newPasswordConfirm ?? params.password,
      }, ctx, 'code');
      return readSignIn(await post('/oauth/register_native_traditional', body, ctx), FORMS.registration);
    },

    async startRecovery(request: RecoveryRequest, ctx): Promise<Extract<StepRequest, { kind: 'recovery' }>> {
      const email = request.email?.trim();
      if (!email) throw new AuthError('invalid_request', { invalid: { email: 'required' } });
      // [?] §5.3 lists no response_type for forgot_password_native: none is sent.
      const response = await post('/oauth/forgot_password_native', form(FORMS.forgot, { signInEmailAddress: email }, ctx), ctx);
      const body = response.body as Record<string, unknown> | undefined;
      if (response.status !== 200 || body?.stat !== 'ok') {
        const error = janrainError(response, 'native', FORMS.forgot);
        // 212 no_such_account [C]: a reset never tells whether an account exists (DESIGN.md),
        // so an unknown address gets the same answer as a known one.
        if (error.providerCode !== 212) throw error;
      }
      // The email carries a link back to redirectUri (§5.3); the person continues from there.
      return { kind: 'recovery', stage: 'verify', delivery: 'link', channel: 'email', context: {} };
    },

    linkStep: (url) => linkStep(url, settings),

    /**
     * The new password after a reset link. The link's code is an authorization code [C] ("must be
     * used with … /oauth/token … configured with the same API client ID"): traded at
     * `/oauth/token` through the relay (which adds the API client's Basic credentials), then the
     * access token sends the new password to `/oauth/update_profile_native` [C name]. The token is
     * kept with the step, so a refused password can be typed again. [?] the form and its fields
     * (FORMS.newPassword, `newPassword`, `newPasswordConfirm`).
     */
    async completeRecovery(step, newPassword, ctx) {
      const context = step.context as LinkContext | undefined;
      if (!context?.code) throw new AuthError('code_expired', { providerCode: 'no_code_sent' });
      if (!context.accessToken) {
        const exchange = new URLSearchParams({ grant_type: 'authorization_code', code: context.code, redirect_uri: settings.redirectUri });
        const response = await post('/oauth/token', exchange, ctx);
        const answer = response.body as Record<string, unknown> | undefined;
        const token = readString(answer, 'access_token');
        if (response.status !== 200 || answer?.stat === 'error' || !token) throw janrainError(response, 'native');
        context.accessToken = token;
      }
      const body = form(FORMS.newPassword, { access_token: context.accessToken, newPassword, newPasswordConfirm: newPassword }, ctx);
      const response = await post('/oauth/update_profile_native', body, ctx);
      if (response.status !== 200 || (response.body as Record<string, unknown> | undefined)?.stat !== 'ok') throw janrainError(response, 'native', FORMS.newPassword);
      // No sign-in comes with it (the token answer names no user): the person signs in with the new password.
      return null;
    },

    /** `/oauth/verify_email_native` [C name] emails a link to verifyEmailUri; [?] its form and field. */
    async sendEmailVerification(session, ctx) {
      const email = session.user.email;
      if (!email || !settings.verifyEmailUri) throw new AuthError('unsupported');
      const body = form(FORMS.verify, { emailAddress: email }, ctx);
      body.set('redirect_uri', settings.verifyEmailUri);
      const response = await post('/oauth/verify_email_native', body, ctx);
      if (response.status !== 200 || (response.body as Record<string, unknown> | undefined)?.stat !== 'ok') throw janrainError(response, 'native', FORMS.verify);
      return { target: email };
    },

    /** `/access/useVerificationCode` [C]: no authentication, the code from the link. */
    async verifyEmail(step, ctx) {
      const context = step.context as LinkContext | undefined;
      if (!context?.code) throw new AuthError('code_expired', { providerCode: 'no_code_sent' });
      const response = await post('/access/useVerificationCode', new URLSearchParams({ verification_code: context.code }), ctx);
      const answer = response.body as Record<string, unknown> | undefined;
      if (response.status !== 200 || answer?.stat !== 'ok') throw janrainError(response, 'native');
      // [?] the answer's fields: the reference server gives the person's `uuid` [T].
      const uuid = readString(answer, 'uuid');
      return { ...(uuid ? { id: uuid } : {}), email_verified: true };
    },

    async refresh(session: Session, ctx) {
      if (!session.refresh_token) throw new AuthError('session_expired');
      // The relay adds the API client's Basic credentials and forwards only these two fields.
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: session.refresh_token });
      // A rotated refresh token works once: never resent on our own.
      const response = await ctx.http({ url: `${baseUrl}/oauth/token`, method: 'POST', body, signal: ctx.signal, retry: false });
      const answer = response.body as Record<string, unknown> | undefined;
      if (response.status !== 200 || answer?.stat === 'error' || !readString(answer, 'access_token')) throw janrainError(response, 'refresh');
      // No capture_user here: the client keeps the user it had.
      return readTokens(response);
    },

    // signOut: §5 documents no token revocation a browser may call, so sign-out is local only.
    // getUser: the profile read (entity) needs server credentials; the session keeps capture_user.
  };
}

/**
 * `capture_user` → User with `id` = its `uuid` (the backend's own user id; DESIGN.md). Capture's
 * numeric `id` is kept as `captureId`; `emailVerified: null` stays visible for "verify email"
 * app policies (§5.5, last rows).
 */
function readUser(value: unknown): User | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id: captureId, uuid, ...profile } = value as Record<string, unknown>;
  if (typeof uuid !== 'string' || !uuid) return null;
  const user: User = { ...profile, id: uuid, uuid };
  if (captureId !== undefined) user.captureId = captureId;
  // The OIDC claim name for what Capture keeps as a timestamp (null: not verified yet).
  if ('emailVerified' in profile) user.email_verified = typeof profile.emailVerified === 'string' && profile.emailVerified !== '';
  if (typeof profile.email !== 'string') delete user.email;
  const given = typeof profile.givenName === 'string' ? profile.givenName : '';
  const family = typeof profile.familyName === 'string' ? profile.familyName : '';
  const name = typeof profile.displayName === 'string' && profile.displayName ? profile.displayName : [given, family].filter(Boolean).join(' ');
  if (name) user.name = name;
  return user;
}
