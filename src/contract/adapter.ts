import type { AuthError } from './errors.js';
import type { Http } from './http.js';
import type { BackendType, Language, Session, TokenSet, User } from './session.js';
import type { Channel, OtpChallenge, SignInOutcome, StepRequest } from './steps.js';

export type Identifier = 'username' | 'email' | 'phone';

/** What a backend can do; the elements show exactly this much and nothing more. */
export interface Capabilities {
  /** Identifiers accepted with a password, in the order the form offers them; empty: no password sign-in. */
  password: Identifier[];
  /** Identifiers a new account can be made with, in order; empty: no sign-up. */
  signUp: Identifier[];
  /** Identifiers a password reset can start from; empty: no recovery. */
  recovery: Identifier[];
  /** One-time-code channels, SMS first when both. */
  otp: Channel[];
  /** Third-party sources for `<auth-social>` (`'oidc'` for the backend's own hosted page). */
  oauth: string[];
  popup: boolean;
  anonymous: boolean;
  refresh: boolean;
  /** The backend confirms an email address by a link it emails (Janrain `verify_email_native`). */
  verifyEmail?: boolean;
  /** What the signed-in person can change (`<auth-profile>` shows this much); absent: nothing. */
  account?: AccountCapabilities;
}

/** What the signed-in person can change on a backend, each through the client's account methods. */
export interface AccountCapabilities {
  /** Profile fields `updateUser` sets at once (`name`, `picture`…). */
  profile: Array<'name' | 'picture' | 'username' | 'gender'>;
  /** A new email, once the code sent to it is entered (`updateUser({ email })`, then `verifyContact`). */
  email: boolean;
  /** A new phone number, the same way. */
  phone: boolean;
  /** A new password while signed in, the current one given (`changePassword` with no step pending). */
  password: boolean;
  /** Third-party sources that can be linked and unlinked (`linkIdentity`, `unlinkIdentity`). */
  identities: string[];
}

/** What `updateUser` may change; only the fields given are changed. */
export interface UserAttributes {
  name?: string;
  picture?: string;
  username?: string;
  gender?: string;
  /** A new email: a code goes to it first (a `verify_contact` step). */
  email?: string;
  /** A new phone number (E.164), the same way. */
  phone?: string;
}

/** What every adapter call gets from the client. */
export interface AdapterContext {
  http: Http;
  signal?: AbortSignal;
  /** The person's language, for backends that answer in it (Zhuyun `X-L`). */
  lang: Language;
  /** The typed answer to a `captcha` step, on the call sent again after it. */
  captcha?: { text: string; context: unknown };
  /** The person agreed to the terms of a `consent` step, on the call sent again after it. */
  consent?: { context: unknown };
}

export interface PasswordCredentials {
  username?: string;
  email?: string;
  phone?: string;
  password: string;
}

export interface OtpRequest {
  channel: Channel;
  /** E.164 without spaces (`+8613800000000`); the adapter formats it its own way. */
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

/** Who forgot their password: one identifier of the kinds `capabilities.recovery` lists. */
export interface RecoveryRequest {
  email?: string;
  phone?: string;
  username?: string;
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

type Step<K extends StepRequest['kind']> = Extract<StepRequest, { kind: K }>;

/**
 * One backend behind one interface. An adapter translates wire formats and maps every backend
 * error to an `AuthError` (a code and its parameters, never a sentence) that it throws; it never
 * touches the DOM or storage. Optional methods are the flows a backend may not have;
 * `capabilities` says which ones it has.
 */
export interface Adapter {
  readonly type: BackendType;
  readonly capabilities: Capabilities;
  /** Identifies the configuration (backend + tenant + client) for storage keys and tab sync. */
  readonly key: string;
  /** Refuses a configuration that cannot work (a secret in the browser, a missing setting). */
  readonly configError?: AuthError;
  /**
   * The backend puts our `nonce` in the id token of a redirect sign-in (OIDC); the client then
   * refuses one without it. Social backends that return their own id token leave this unset.
   */
  readonly checksNonce?: boolean;
  /** The redirect URI to use when the caller gives none. */
  readonly redirectUri?: string;
  /**
   * Present on an adapter whose code is not here yet (the registry's, for a `{ type }`
   * configuration: each backend is its own chunk). Until it resolves the adapter has only
   * `type`, `key` and `capabilities`; then it has every member of the real one, and no `load`.
   * The client calls it at start-up and before each action; a failure (offline) is a `network`
   * error, and the next call tries again.
   */
  load?(): Promise<void>;

  signInWithPassword?(credentials: PasswordCredentials, ctx: AdapterContext): Promise<SignInOutcome>;
  /** Sends a one-time code for sign-in (and sign-up where the backend does both). */
  sendOtp?(request: OtpRequest, ctx: AdapterContext): Promise<OtpChallenge>;
  /** Completes a code sign-in, or a `verify_sign_up` step (its channel and context). */
  verifyOtp?(challenge: OtpChallenge, code: string, ctx: AdapterContext): Promise<SignInOutcome>;
  /** Registers; a backend that verifies first answers with a `verify_sign_up` step. */
  signUp?(params: SignUpParams, ctx: AdapterContext): Promise<SignInOutcome>;
  /**
   * Sends the code of a `verify_sign_up` step again, within the same registration (Alibaba's
   * `fId`). Without it the client calls `signUp` again with the same details.
   */
  resendSignUp?(step: Step<'verify_sign_up'>, ctx: AdapterContext): Promise<Step<'verify_sign_up'>>;
  signInAnonymously?(ctx: AdapterContext): Promise<TokenSet>;
  /**
   * The page address the backend's email brought the person back to (Janrain's reset link): the
   * step it opens and the query parameters to take off the address bar; null when it is no link
   * of this backend. Read at start-up, like a redirect callback.
   */
  linkStep?(url: URL): { step: StepRequest; params: string[] } | null;
  /** Emails the signed-in person a link that confirms their address; `target` is where it went. */
  sendEmailVerification?(session: Session, ctx: AdapterContext): Promise<{ target?: string }>;
  /** Confirms the address of a `verify_email` step; what changed about the person (with their `id` where the backend says). */
  verifyEmail?(step: Step<'verify_email'>, ctx: AdapterContext): Promise<Partial<User>>;
  /** Changes the signed-in person's password (not a `password_change` step: the person asked for it). */
  updatePassword?(session: Session, passwords: { oldPassword: string; newPassword: string }, ctx: AdapterContext): Promise<void>;
  /** Signs in with an id token a third party issued in the page (CloudBase `signInWithIdToken`). */
  signInWithIdToken?(params: { provider: string; token: string }, ctx: AdapterContext): Promise<TokenSet>;

  /** Starts password recovery: a code or a link goes to the person. Never says whether the account exists. */
  startRecovery?(request: RecoveryRequest, ctx: AdapterContext): Promise<Step<'recovery'>>;
  /** Checks a recovery code: the `new_password` stage, or the mapped error. */
  verifyRecovery?(step: Step<'recovery'>, code: string, ctx: AdapterContext): Promise<Step<'recovery'>>;
  /**
   * Sets the new password. Null when the backend does not sign in by itself: the client then signs
   * in with it. `code` is the code the person typed, for a backend without `verifyRecovery` that
   * takes the code and the new password in one call.
   */
  completeRecovery?(step: Step<'recovery'>, newPassword: string, ctx: AdapterContext, code?: string): Promise<SignInOutcome | null>;

  /**
   * Completes a `password_change` step. Resolves to null when the backend only changed the
   * password (Zhuyun): the client then signs in again with the new one.
   */
  changePassword?(step: Step<'password_change'>, passwords: { oldPassword: string; newPassword: string }, ctx: AdapterContext): Promise<SignInOutcome | null>;
  /** Skips a `password_change` step that is not `required`. */
  skipPasswordChange?(step: Step<'password_change'>, ctx: AdapterContext): Promise<SignInOutcome>;
  /** Sends the code of a `second_factor` step. */
  sendSecondFactor?(step: Step<'second_factor'>, method: 'sms' | 'email' | 'totp', ctx: AdapterContext): Promise<OtpChallenge>;
  verifySecondFactor?(step: Step<'second_factor'>, code: string, challenge: OtpChallenge | null, ctx: AdapterContext): Promise<SignInOutcome>;
  /** A new image for a `captcha` step (each image allows one answer). */
  newCaptcha?(step: Step<'captcha'>, ctx: AdapterContext): Promise<Step<'captcha'>>;

  /** Builds the URL of the backend's authorization page. */
  authorizationUrl?(request: AuthorizationRequest, ctx: AdapterContext): Promise<string>;
  /** Trades an authorization code for tokens. */
  exchangeCode?(exchange: CodeExchange, ctx: AdapterContext): Promise<TokenSet>;
  /** Must throw `session_expired` when the backend rejects the refresh token itself. */
  refresh?(session: Session, ctx: AdapterContext): Promise<TokenSet>;
  /** Signs in with a ticket the site's server minted (CloudBase `signInWithCustomTicket`). */
  signInWithCustomTicket?(ticket: string, ctx: AdapterContext): Promise<TokenSet>;

  /**
   * Changes the signed-in person's profile. A new email or phone ends in a `verify_contact`
   * step (the rest is changed first); `user` is the profile after the change, absent when
   * nothing was changed yet.
   */
  updateUser?(session: Session, attributes: UserAttributes, ctx: AdapterContext): Promise<{ user?: User; step?: Step<'verify_contact'> }>;
  /** Completes a `verify_contact` step with the code sent to the new contact: the changed profile. */
  verifyContact?(session: Session, step: Step<'verify_contact'>, code: string, ctx: AdapterContext): Promise<User>;
  /** Ends `linkIdentity`'s redirect: binds the third-party identity to the signed-in person. */
  bindIdentity?(session: Session, exchange: CodeExchange, ctx: AdapterContext): Promise<User>;
  /** Unbinds a third-party source from the signed-in person: the changed profile. */
  unlinkIdentity?(session: Session, source: string, ctx: AdapterContext): Promise<User>;

  /** Revokes what it can; returns a URL to visit when the backend has a sign-out page. */
  signOut?(session: Session, request: SignOutRequest, ctx: AdapterContext): Promise<{ redirectUrl?: string }>;
  getUser?(session: Session, ctx: AdapterContext): Promise<User>;
}
