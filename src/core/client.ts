import { AuthError, type AuthResult } from './errors.js';
import { decodeJwt } from './jwt.js';
import { OAuthStateStore } from './oauth-state.js';
import { createPkce, randomString } from './pkce.js';
import type { Session } from './session.js';
import { SessionCore, type ActionOptions, type AuthClientOptions, type SignInResult } from './session-core.js';
import { checkPassword, type OtpChallenge, type SignInOutcome } from './steps.js';
import type { OtpRequest, PasswordCredentials, ProviderContext, SignUpParams } from '../providers/provider.js';

export {
  SessionCore,
  type ActionOptions,
  type AuthClientOptions,
  type AuthState,
  type AuthStatus,
  type PasskeySettings,
  type SignInResult,
  type SignOutOptions,
} from './session-core.js';

const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'session_state', 'iss'];

export interface OAuthSignInParams {
  /** The third-party source (`wechat`, `github`…) for backends that have several. */
  provider?: string;
  options?: {
    redirectTo?: string;
    scopes?: string;
    queryParams?: Record<string, string>;
    /** Return the URL without navigating (for a popup or a test). */
    skipBrowserRedirect?: boolean;
  };
}

/** What `signInWithOtp` and a verifying `signUp` give back: call `verifyOtp` with the code. */
export interface OtpStarted {
  session: null;
  user: null;
  channel: 'sms' | 'email';
  expiresIn?: number;
  resendAfter?: number;
  verifyOtp(params: { token: string }, options?: ActionOptions): Promise<SignInResult>;
}

export interface SignInWithOtpParams {
  phone?: string;
  email?: string;
  options?: { shouldCreateUser?: boolean; channel?: 'sms' | 'email' };
}

/**
 * The session of one configuration: sign-in actions, persistence, cross-tab sync and refresh.
 * Plain TypeScript; the elements are views of it.
 *
 * @example
 * const client = createAuthClient({ provider: oidcProvider({ issuer, clientId, redirectUri }) });
 * client.onAuthStateChange((event, session) => console.log(event, session?.user.id));
 * await client.signInWithOAuth();
 */
export class AuthClient extends SessionCore {
  #challenge: OtpChallenge | null = null;

  #stepChallenge: OtpChallenge | null = null;
  /** Who is signing in (never the password), to sign in again after a password change. */
  #identifier: Omit<PasswordCredentials, 'password'> | null = null;

  #oauth: OAuthStateStore;

  #detectSessionInUrl: boolean;

  constructor(options: AuthClientOptions) {
    super(options);
    this.#oauth = new OAuthStateStore(this.storage, `${this.namespace}:oauth`);
    this.#detectSessionInUrl = options.detectSessionInUrl ?? true;
  }

  async signInWithPassword(credentials: PasswordCredentials, options: ActionOptions = {}): Promise<SignInResult> {
    return this.run(options, (ctx) => {
      if (!this.provider.signInWithPassword || !this.provider.capabilities.password.length) {
        throw new AuthError('unsupported', 'This sign-in method is not available.');
      }
      const { password: _, ...identifier } = credentials;
      this.#identifier = identifier;
      this.#stepChallenge = null;
      return this.provider.signInWithPassword(credentials, ctx);
    });
  }

  /**
   * Sends a one-time code by SMS or email (CloudBase v3's shape): the result's `verifyOtp`
   * completes the sign-in with the code the person received.
   */
  async signInWithOtp(params: SignInWithOtpParams, options: ActionOptions = {}): Promise<AuthResult<OtpStarted>> {
    const channel = params.options?.channel ?? (params.email && !params.phone ? 'email' : 'sms');
    const request: OtpRequest = { channel, phone: params.phone, email: params.email, shouldCreateUser: params.options?.shouldCreateUser };
    return this.#startOtp(options, (ctx) => {
      if (!this.provider.sendOtp || !this.provider.capabilities.otp.includes(channel)) throw new AuthError('unsupported', 'This sign-in method is not available.');
      if (channel === 'sms' ? !params.phone : !params.email) throw new AuthError('invalid_request', channel === 'sms' ? 'A phone number is needed.' : 'An email address is needed.');
      return this.provider.sendOtp(request, ctx);
    });
  }

  /** Completes the last `signInWithOtp` (or verifying `signUp`) with the code. */
  async verifyOtp(params: { token: string }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.run(options, (ctx) => {
      const challenge = this.#challenge;
      if (!challenge || !this.provider.verifyOtp) throw new AuthError('code_expired', 'Request a new code first.');
      if (!params?.token?.trim()) throw new AuthError('invalid_code', 'Enter the code you received.');
      return this.provider.verifyOtp(challenge, params.token.trim(), ctx);
    });
  }

  /** Registers; where the backend verifies first, the result carries `verifyOtp`. */
  async signUp(params: SignUpParams, options: ActionOptions = {}): Promise<SignInResult | AuthResult<OtpStarted>> {
    let challenge: OtpChallenge | null = null;
    const result = await this.run(options, async (ctx) => {
      if (!this.provider.signUp || !this.provider.capabilities.signUp) throw new AuthError('unsupported', 'Sign-up is not available.');
      const outcome = await this.provider.signUp(params, ctx);
      if (!isChallenge(outcome)) return outcome;
      challenge = outcome;
      return null;
    });
    return challenge ? { data: this.#otpStarted(challenge), error: null } : result;
  }

  async signInAnonymously(options: ActionOptions = {}): Promise<SignInResult> {
    return this.run(options, (ctx) => {
      if (!this.provider.signInAnonymously || !this.provider.capabilities.anonymous) throw new AuthError('unsupported', 'This sign-in method is not available.');
      return this.provider.signInAnonymously(ctx);
    });
  }

  /** Signs in with an id token a third party issued in the page (CloudBase v3's `signInWithIdToken`). */
  async signInWithIdToken(params: { provider: string; token: string }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.run(options, (ctx) => {
      if (!this.provider.signInWithIdToken) throw new AuthError('unsupported', 'This sign-in method is not available.');
      return this.provider.signInWithIdToken(params, ctx);
    });
  }

  /** Starts password recovery: the backend sends a code or a link to the person. */
  async resetPassword(identifier: { email?: string; phone?: string; username?: string }, options: ActionOptions = {}): Promise<AuthResult<{ sent: true }>> {
    try {
      this.checkConfig();
      if (!this.provider.resetPassword || !this.provider.capabilities.recovery) throw new AuthError('unsupported', 'Password recovery is not available.');
      await this.provider.resetPassword(identifier, this.context(options));
      return { data: { sent: true }, error: null };
    } catch (error) {
      return this.fail(error, { sent: null }, options.source);
    }
  }

  /**
   * Completes a `password_change` step. The new password is checked against the backend's
   * policy first; when the backend does not sign in by itself, the client signs in again with
   * the new password.
   */
  async changePassword(passwords: { oldPassword: string; newPassword: string }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#endStepOn(await this.run(options, async (ctx) => {
      const step = this.state.pending;
      if (step?.step !== 'password_change' || !this.provider.changePassword) throw new AuthError('invalid_request', 'There is no password to change now.');
      const broken = checkPassword(passwords.newPassword ?? '', step.policy);
      if (broken) throw new AuthError('password_policy', step.policy?.tip ?? 'The new password does not meet the rules.', { providerCode: broken });
      const outcome = await this.provider.changePassword(step, passwords, ctx);
      if (outcome || !this.provider.signInWithPassword || !this.#identifier) return outcome;
      return this.provider.signInWithPassword({ ...this.#identifier, password: passwords.newPassword }, ctx);
    }));
  }

  /** A step whose state token the backend no longer accepts is over: back to the start. */
  #endStepOn<T extends { error: AuthError | null }>(result: T): T {
    if (result.error?.code === 'session_expired' && this.state.pending) this.setPending(null);
    return result;
  }

  /** Skips a `password_change` step that is not required ("not now"). */
  async skipPasswordChange(options: ActionOptions = {}): Promise<SignInResult> {
    return this.#endStepOn(await this.run(options, (ctx) => {
      const step = this.state.pending;
      if (step?.step !== 'password_change' || step.required || !this.provider.skipPasswordChange) throw new AuthError('invalid_request', 'This password change cannot be skipped.');
      return this.provider.skipPasswordChange(step, ctx);
    }));
  }

  /** Sends the code of a `second_factor` step. */
  async sendSecondFactor(params: { method: 'sms' | 'email' | 'totp' }, options: ActionOptions = {}): Promise<AuthResult<{ channel: 'sms' | 'email'; expiresIn?: number; resendAfter?: number }>> {
    try {
      const step = this.state.pending;
      if (step?.step !== 'second_factor' || !this.provider.sendSecondFactor) throw new AuthError('invalid_request', 'There is no second step to complete now.');
      const challenge = await this.provider.sendSecondFactor(step, params.method, this.context(options));
      this.#stepChallenge = challenge;
      return { data: { channel: challenge.channel, expiresIn: challenge.expiresIn, resendAfter: challenge.resendAfter }, error: null };
    } catch (error) {
      return this.fail(error, { channel: null, expiresIn: null, resendAfter: null }, options.source);
    }
  }

  async verifySecondFactor(params: { code: string }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#endStepOn(await this.run(options, (ctx) => {
      const step = this.state.pending;
      if (step?.step !== 'second_factor' || !this.provider.verifySecondFactor) throw new AuthError('invalid_request', 'There is no second step to complete now.');
      return this.provider.verifySecondFactor(step, params.code.trim(), this.#stepChallenge, ctx);
    }));
  }

  /** Abandons a pending step (the person chose "back"). */
  cancelStep(): void {
    if (!this.state.pending) return;
    this.#stepChallenge = null;
    this.setPending(null);
  }

  /**
   * Starts a redirect sign-in (authorization code + PKCE, with `state` and `nonce`). The page
   * navigates away unless `skipBrowserRedirect`; the client completes it on return.
   */
  async signInWithOAuth(params: OAuthSignInParams = {}, options: ActionOptions = {}): Promise<AuthResult<{ url: string; provider: string }>> {
    try {
      this.checkConfig();
      if (!this.provider.authorizationUrl) throw new AuthError('unsupported', 'This sign-in method is not available.');
      const redirectUri = params.options?.redirectTo ?? this.provider.redirectUri ?? pageUrlWithoutCallback(this.environment.url());
      if (!redirectUri) throw new AuthError('config', 'A redirect URI is needed outside a browser.');
      const pkce = await createPkce();
      const pending = { state: randomString(), nonce: randomString(), verifier: pkce.verifier, redirectUri, source: params.provider, createdAt: Date.now() };
      const url = await this.provider.authorizationUrl(
        { state: pending.state, nonce: pending.nonce, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', redirectUri, source: params.provider, scopes: params.options?.scopes, queryParams: params.options?.queryParams },
        this.context(options),
      );
      await this.#oauth.add(pending);
      if (!params.options?.skipBrowserRedirect) this.environment.navigate(url);
      return { data: { url, provider: params.provider ?? this.provider.type }, error: null };
    } catch (error) {
      return this.fail(error, { url: null, provider: null }, options.source);
    }
  }

  /**
   * Completes a redirect sign-in from the callback URL (the current page by default), then
   * removes the callback parameters from the address bar. A missing, tampered or replayed
   * `state` is refused.
   */
  async handleRedirectCallback(url?: string, options: ActionOptions = {}): Promise<SignInResult> {
    if (url === undefined) await this.ready;
    const result = await this.#completeRedirect(url ?? this.environment.url() ?? '', true, options);
    return result ?? this.fail(new AuthError('invalid_request', 'This page is not a sign-in callback.'), { session: null, user: null }, options.source);
  }

  /** Completes a callback URL; `undefined` when the URL is not a callback of this client. */
  async #completeRedirect(url: string, explicit: boolean, options: ActionOptions, announce = true): Promise<SignInResult | undefined> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const params = parsed.searchParams;
    if (!params.has('code') && !params.has('error')) return undefined;
    const lookup = await this.#oauth.take(params.get('state'));
    if (lookup.kind === 'foreign' && !explicit) return undefined;
    if (this.environment.url() === url) this.environment.replaceUrl(pageUrlWithoutCallback(url)!);
    const empty = { session: null, user: null };
    if (lookup.kind === 'replayed') return this.fail(new AuthError('invalid_request', 'This sign-in link was already used.', { providerCode: 'state_replayed' }), empty, options.source);
    if (lookup.kind !== 'ok') return this.fail(new AuthError('invalid_request', 'The sign-in response does not match a sign-in started here.', { providerCode: 'state_mismatch' }), empty, options.source);
    if (params.has('error')) {
      const code = params.get('error')!;
      const cancelled = code === 'access_denied';
      return this.fail(new AuthError(cancelled ? 'cancelled' : 'invalid_request', params.get('error_description') ?? code, { providerCode: code }), empty, options.source);
    }
    const { pending } = lookup;
    return this.run(options, async (ctx) => {
      if (!this.provider.exchangeCode) throw new AuthError('unsupported', 'This sign-in method is not available.');
      const tokens = await this.provider.exchangeCode({ code: params.get('code')!, codeVerifier: pending.verifier, redirectUri: pending.redirectUri, source: pending.source, params }, ctx);
      if (this.provider.checksNonce && tokens.id_token && decodeJwt(tokens.id_token)?.nonce !== pending.nonce) {
        throw new AuthError('invalid_request', 'The sign-in response does not match a sign-in started here.', { providerCode: 'nonce_mismatch' });
      }
      return tokens;
    }, announce);
  }

  async #startOtp(options: ActionOptions, send: (ctx: ProviderContext) => Promise<OtpChallenge>): Promise<AuthResult<OtpStarted>> {
    try {
      this.checkConfig();
      const challenge = await send(this.context(options));
      return { data: this.#otpStarted(challenge), error: null };
    } catch (error) {
      return this.fail(error, { session: null, user: null, channel: null, expiresIn: null, resendAfter: null, verifyOtp: null }, options.source);
    }
  }

  #otpStarted(challenge: OtpChallenge): OtpStarted {
    this.#challenge = challenge;
    return {
      session: null,
      user: null,
      channel: challenge.channel,
      expiresIn: challenge.expiresIn,
      resendAfter: challenge.resendAfter,
      verifyOtp: (params, options) => this.verifyOtp(params, options),
    };
  }

  protected override async redirectAtStart(): Promise<Session | null> {
    if (!this.#detectSessionInUrl) return null;
    const result = await this.#completeRedirect(this.environment.url() ?? '', false, {}, false);
    return result?.data.session ?? null;
  }

  protected override signedIn(): void {
    this.#identifier = null;
    this.#challenge = null;
    this.#stepChallenge = null;
  }
}

function isChallenge(value: SignInOutcome | OtpChallenge): value is OtpChallenge {
  return 'channel' in value && 'context' in value && !('access_token' in value) && !('step' in value);
}

/** The page URL with the callback parameters removed. */
export function pageUrlWithoutCallback(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    for (const name of CALLBACK_PARAMS) parsed.searchParams.delete(name);
    return parsed.toString();
  } catch {
    return undefined;
  }
}

/** Makes a client for one configuration. */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  return new AuthClient(options);
}
