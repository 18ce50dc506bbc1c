import type { AuthError } from '../core/errors.js';
import type { Http } from '../core/http.js';
import type { ProviderType, Session, TokenSet, User } from '../core/session.js';
import type { OtpChallenge, PendingStep, SignInOutcome } from '../core/steps.js';

/** What a backend can do; the elements show exactly this much and nothing more. */
export interface Capabilities {
  /** Identifiers accepted with a password, in the order the form offers them; empty: no password sign-in. */
  password: Array<'username' | 'email' | 'phone'>;
  signUp: boolean;
  recovery: boolean;
  /** One-time-code channels, SMS first when both. */
  otp: Array<'sms' | 'email'>;
  /** Third-party sources for `<auth-social>` (`'oidc'` for the provider's own hosted page). */
  oauth: string[];
  popup: boolean;
  anonymous: boolean;
  refresh: boolean;
}

export interface ProviderContext {
  http: Http;
  signal?: AbortSignal;
}

export interface PasswordCredentials {
  username?: string;
  email?: string;
  phone?: string;
  password: string;
}

export interface OtpRequest {
  channel: 'sms' | 'email';
  /** E.164 without spaces (`+8613800000000`); the provider formats it its own way. */
  phone?: string;
  email?: string;
  /** Create the user when unknown (CloudBase `shouldCreateUser`, Tencent CIAM `auto_signup`). */
  shouldCreateUser?: boolean;
}

export interface SignUpParams {
  email?: string;
  phone?: string;
  username?: string;
  password?: string;
  /** Profile fields the backend accepts at registration (name…). */
  data?: Record<string, string>;
}

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
  redirectUri: string;
  /** The third-party source chosen in `<auth-social>`, when the backend has several. */
  source?: string;
  scopes?: string;
  queryParams?: Record<string, string>;
}

export interface CodeExchange {
  code: string;
  /** The third-party source the sign-in was started with, for backends that have several. */
  source?: string;
  codeVerifier: string;
  redirectUri: string;
  /** Every parameter of the callback URL, for backends that need more than `code`. */
  params: URLSearchParams;
}

export interface SignOutRequest {
  /** Where the backend should send the browser after its own sign-out page, if it has one. */
  redirectTo?: string;
}

/**
 * One backend behind one interface. A provider translates wire formats and maps every backend
 * error to an `AuthError` it throws; it never touches the DOM or storage. Optional methods are
 * the flows a backend may not have; `capabilities` says which ones it has.
 */
export interface Provider {
  readonly type: ProviderType;
  readonly capabilities: Capabilities;
  /** Identifies the configuration (backend + tenant + client) for storage keys and tab sync. */
  readonly key: string;
  /** Refuses a configuration that cannot work (a secret in the browser, a missing setting). */
  readonly configError?: AuthError;
  signInWithPassword?(credentials: PasswordCredentials, ctx: ProviderContext): Promise<SignInOutcome>;
  /** Sends a one-time code for sign-in (and sign-up where the backend does both). */
  sendOtp?(request: OtpRequest, ctx: ProviderContext): Promise<OtpChallenge>;
  verifyOtp?(challenge: OtpChallenge, code: string, ctx: ProviderContext): Promise<SignInOutcome>;
  /** Registers; a backend that verifies first answers with a challenge for `verifyOtp`. */
  signUp?(params: SignUpParams, ctx: ProviderContext): Promise<SignInOutcome | OtpChallenge>;
  signInAnonymously?(ctx: ProviderContext): Promise<TokenSet>;
  /** Signs in with an id token a third party issued in the page (CloudBase `signInWithIdToken`). */
  signInWithIdToken?(params: { provider: string; token: string }, ctx: ProviderContext): Promise<TokenSet>;
  /** Starts password recovery (a code or link goes to the person). */
  resetPassword?(identifier: { email?: string; phone?: string; username?: string }, ctx: ProviderContext): Promise<void>;
  /**
   * Completes a `password_change` step. Resolves to null when the backend only changed the
   * password (Zhuyun): the client then signs in again with the new one.
   */
  changePassword?(step: PendingStep & { step: 'password_change' }, passwords: { oldPassword: string; newPassword: string }, ctx: ProviderContext): Promise<SignInOutcome | null>;
  /** Skips a `password_change` step that is not `required`. */
  skipPasswordChange?(step: PendingStep & { step: 'password_change' }, ctx: ProviderContext): Promise<SignInOutcome>;
  /** Sends the code of a `second_factor` step. */
  sendSecondFactor?(step: PendingStep & { step: 'second_factor' }, method: 'sms' | 'email' | 'totp', ctx: ProviderContext): Promise<OtpChallenge>;
  verifySecondFactor?(step: PendingStep & { step: 'second_factor' }, code: string, challenge: OtpChallenge | null, ctx: ProviderContext): Promise<SignInOutcome>;
  /** Builds the URL of the backend's authorization page. */
  authorizationUrl?(request: AuthorizationRequest, ctx: ProviderContext): Promise<string>;
  /** Trades an authorization code for tokens. */
  exchangeCode?(exchange: CodeExchange, ctx: ProviderContext): Promise<TokenSet>;
  /** Must throw `session_expired` when the backend rejects the refresh token itself. */
  refresh?(session: Session, ctx: ProviderContext): Promise<TokenSet>;
  /** Revokes what it can; returns a URL to visit when the backend has a sign-out page. */
  signOut?(session: Session, request: SignOutRequest, ctx: ProviderContext): Promise<{ redirectUrl?: string }>;
  getUser?(session: Session, ctx: ProviderContext): Promise<User>;
  /**
   * The backend puts our `nonce` in the id token of a redirect sign-in (OIDC); the client then
   * refuses one without it. Social backends that return their own id token leave this unset.
   */
  readonly checksNonce?: boolean;
  /** The redirect URI to use when the caller gives none. */
  readonly redirectUri?: string;
}
