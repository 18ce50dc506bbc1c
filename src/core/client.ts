// The public client: one per configuration. It composes the session store, the refresh
// coordinator and the flows; each method is a short delegation. The flows are one chunk loaded
// when the first action needs them (a page's first view carries none). Plain TypeScript, no Lit.
import { AuthChangeEvent, AuthError, type Adapter, type AdapterContext, type Http, type AuthResult, type AuthStateChangeCallback, type Capabilities, type ClientNotice, type Language, type PasswordCredentials, type RecoveryRequest, type Session, type SignUpParams, type Subscription, type TokenSet, type User, type UserAttributes } from '../contract/index.js';
import { loadLanguage, pageLanguage } from '../i18n/index.js';
import { browserEnvironment, checkedEnvironment, type Environment } from './environment.js';
import type { AuthClientOptions, PasskeySettings, SignOutOptions } from './options.js';
import type { UserResult } from './flows/account.js';
import type { OtpResult, SignInWithOtpParams } from './flows/codes.js';
import { FlowChunk, loadFlows, type FlowsLoader } from './flow-chunk.js';
import type { OAuthSignInParams } from './flows/oauth.js';
import { signOut } from './session-end.js';
import { loadAdapter, startSession } from './session-start.js';
import { httpOnDemand } from './util/http-on-demand.js';
import { Refresher } from './refresher.js';
import { ActionRunner, type ActionOptions, type SignInResult, type StepResult } from './runner.js';
import { isSession } from './util/session.js';
import { SessionStore, type AuthState } from './session-store.js';
import { resolveStorage } from './storage.js';

export type { AuthClientOptions, PasskeySettings, SignOutOptions };
export type { ActionOptions, AuthState, OAuthSignInParams, OtpResult, SignInResult, SignInWithOtpParams, StepResult, UserResult };
export type { AuthStatus } from './session-store.js';
export type { OtpStarted } from './flows/codes.js';
export type { FlowsLoader };
const EMPTY = { session: null, user: null };

/**
 * The session of one configuration: sign-in actions, persistence, cross-tab sync and refresh.
 * Plain TypeScript; the elements are views of it.
 *
 * @example
 * const client = createAuthClient({ provider: { type: 'oidc', issuer, clientId, redirectUri } });
 * client.onAuthStateChange((event, session) => console.log(event, session?.user.id));
 * await client.signInWithOAuth();
 */
export class AuthClient {
  /** The backend's adapter. */
  readonly adapter: Adapter;
  readonly passkeys: PasskeySettings;
  readonly http: Http;
  /** Resolves once the stored session was read (and a redirect in the URL completed). */
  readonly ready: Promise<void>;
  #http: ReturnType<typeof httpOnDemand>;
  #lang: Language;
  #env: Environment;
  #store: SessionStore;
  #refresher: Refresher;
  #runner: ActionRunner;
  /** The flows, a chunk loaded when the first action needs them. */
  #flows: FlowChunk;
  #detectSessionInUrl: boolean;
  #destroyed = false;

  /** `loader` is for tests: the flows' chunk from elsewhere. */
  constructor(options: AuthClientOptions, loader?: FlowsLoader) {
    this.adapter = options.provider;
    this.passkeys = options.passkeys ?? {};
    this.http = this.#http = httpOnDemand(options.http);
    this.#lang = options.lang ?? pageLanguage();
    this.#env = checkedEnvironment(options.environment ?? browserEnvironment());
    this.#detectSessionInUrl = options.detectSessionInUrl ?? true;
    const namespace = `${options.storageKey ?? 'auth-elements'}:${this.adapter.key}`;
    const { adapter: storage, shared } = resolveStorage(options.storage);
    this.#store = new SessionStore(storage, shared, namespace, (value): value is Session => isSession(value) && value.provider === this.adapter.type);
    const context = (actionOptions: ActionOptions = {}): AdapterContext => ({ http: this.http, signal: actionOptions.signal, lang: this.lang });
    this.#runner = new ActionRunner({ store: this.#store, adapter: this.adapter, ready: () => this.ready, lang: () => this.lang, context });
    this.#refresher = new Refresher({
      store: this.#store,
      adapter: this.adapter,
      environment: this.#env,
      context,
      timing: options.refresh,
      auto: options.autoRefresh ?? true,
      report: (error) => this.#runner.fail(error, null),
      storage,
    });
    // http's code comes with the flows' (a refresh due at start-up brings it with its request).
    const flows = loader ?? loadFlows;
    const withHttp: FlowsLoader = () => Promise.all([flows(), this.#http.load()]).then(([chunk]) => chunk);
    this.#flows = new FlowChunk({ adapter: this.adapter, runner: this.#runner, store: this.#store, env: this.#env, storage, namespace }, withHttp);
    this.#store.subscribe((notice) => {
      // A change of person ends what only the sign-in needed.
      if (notice.type === 'change' && (notice.event === AuthChangeEvent.SIGNED_IN || notice.event === AuthChangeEvent.SIGNED_OUT)) this.#forget();
    });
    const start = { adapter: this.adapter, store: this.#store, refresher: this.#refresher, env: this.#env, lang: this.#lang, detectSessionInUrl: this.#detectSessionInUrl };
    this.ready = startSession({ ...start, returned: () => this.#returned(), destroyed: () => this.#destroyed });
  }

  /** The language of `AuthError.message`; `<auth-config>` keeps it in step with the page. */
  get lang(): Language {
    return this.#lang;
  }

  set lang(language: Language) {
    this.#lang = language;
    void loadLanguage(language).catch(() => {}); // offline: English until the words arrive
  }

  /** What the backend can do; the elements show exactly this much. */
  get capabilities(): Capabilities {
    return this.adapter.capabilities;
  }

  /** The current state; the object is replaced, never mutated, on each change. */
  get state(): AuthState {
    return this.#store.state;
  }

  /**
   * Whether start-up found a stored session and is restoring it (its adapter's code, a refresh
   * when due): `state.status` is `'loading'` meanwhile, and most likely `'signed-in'` next. The
   * elements show a busy card then, not the sign-in form.
   */
  get restoring(): boolean {
    return this.#store.restoring;
  }

  /**
   * Subscribes to session changes. Each new subscriber first gets `INITIAL_SESSION`. Callbacks
   * run after every lock is released and are never awaited, so one may call the client.
   */
  onAuthStateChange(callback: AuthStateChangeCallback): { data: { subscription: Subscription } } {
    return this.#store.onAuthStateChange(callback);
  }

  /** For elements: every change, error and state update, with the `source` that caused it. */
  subscribe(listener: (notice: ClientNotice) => void): () => void {
    return this.#store.subscribe(listener);
  }

  // ── session ───────────────────────────────────────────────────────────────

  /** The session, refreshed first when it is about to expire. */
  async getSession(): Promise<AuthResult<{ session: Session | null }>> {
    await this.ready;
    const session = this.#store.state.session;
    if (!session || !this.#refresher.due(session)) return { data: { session }, error: null };
    try {
      return { data: { session: await this.#refresher.refresh(false) }, error: null };
    } catch (error) {
      // The stored session still stands unless the backend rejected it.
      if (this.#store.state.session) return { data: { session: this.#store.state.session }, error: null };
      return this.#runner.fail(error, { session: null });
    }
  }

  /** Refreshes now, whatever the remaining lifetime. */
  async refreshSession(): Promise<AuthResult<{ session: Session; user: User }>> {
    await this.ready;
    try {
      const session = await this.#refresher.refresh(true);
      if (!session) throw new AuthError('session_expired');
      return { data: { session, user: session.user }, error: null };
    } catch (error) {
      return this.#runner.fail(error, { session: null, user: null });
    }
  }

  /** Adopts tokens obtained elsewhere (CloudBase's `setSession`). */
  setSession(tokens: TokenSet & { expires_at?: number }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.external.setSession(tokens, options), EMPTY, options);
  }

  /** The signed-in user, fresh from the backend where it can tell (emits USER_UPDATED when it changed). */
  async getUser(options: ActionOptions = {}): Promise<AuthResult<{ user: User }>> {
    const { data } = await this.getSession();
    if (!data.session) return this.#runner.fail(new AuthError('session_expired'), { user: null }, options.source);
    const session = data.session;
    return this.#flows.run((f) => f.account.readUser(session, options), { user: null }, options);
  }

  /** CloudBase v3's name for reading the user again from the backend. */
  refreshUser(options: ActionOptions = {}): Promise<AuthResult<{ user: User }>> {
    return this.getUser(options);
  }

  /**
   * Signs out here and in every tab: revokes what the backend lets us revoke, then clears the
   * session even if the backend could not be reached.
   */
  async signOut(options: SignOutOptions & ActionOptions = {}): Promise<{ error: AuthError | null }> {
    await this.ready;
    return signOut({ adapter: this.adapter, runner: this.#runner, store: this.#store, env: this.#env }, options);
  }

  /** Stops timers and tab sync; for tests and pages that drop a configuration. */
  destroy(): void {
    this.#destroyed = true;
    this.#refresher.scheduler.stop();
    this.#store.close();
  }

  // ── sign-in ───────────────────────────────────────────────────────────────

  signInWithPassword(credentials: PasswordCredentials, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.password.signIn(credentials, options), EMPTY, options);
  }

  /**
   * Sends a one-time code by SMS or email (CloudBase v3's shape): the result's `verifyOtp`
   * completes the sign-in with the code the person received.
   */
  signInWithOtp(params: SignInWithOtpParams, options: ActionOptions = {}): Promise<OtpResult> {
    return this.#flows.run((f) => f.codes.signInWithOtp(params, options), { session: null, user: null, channel: null, expiresIn: null, resendAfter: null, verifyOtp: null }, options);
  }

  /** Completes the last `signInWithOtp`, or a sign-up waiting for its code. */
  verifyOtp(params: { token: string }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.codes.verifyOtp(params, options), EMPTY, options);
  }

  /** Registers; where the backend verifies first, the result is a `verify_sign_up` step for `verifyOtp`. */
  signUp(params: SignUpParams, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.codes.signUp(params, options), EMPTY, options);
  }

  /** Sends the code of the sign-up waiting in `verify_sign_up` again. */
  resendSignUpCode(options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.codes.resendSignUpCode(options), EMPTY, options);
  }

  signInAnonymously(options: ActionOptions = {}): Promise<SignInResult> {
    return this.#runner.signIn(options, 'sign_in', (ctx) => {
      if (!this.adapter.signInAnonymously || !this.adapter.capabilities.anonymous) throw new AuthError('unsupported');
      return this.adapter.signInAnonymously(ctx);
    });
  }

  /** Signs in with an id token a third party issued in the page (CloudBase v3's `signInWithIdToken`). */
  signInWithIdToken(params: { provider: string; token: string }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.external.signInWithIdToken(params, options), EMPTY, options);
  }

  /**
   * Starts a redirect sign-in (authorization code + PKCE, with `state` and `nonce`). The page
   * navigates away unless `skipBrowserRedirect`; the client completes it on return.
   */
  signInWithOAuth(params: OAuthSignInParams = {}, options: ActionOptions = {}): Promise<AuthResult<{ url: string; provider: string }>> {
    return this.#flows.run((f) => f.oauth.start(params, options), { url: null, provider: null }, options);
  }

  /** The same in a popup (`capabilities.popup`; call it in the click): `cancelled` if closed; blocked, it redirects. */
  signInWithPopup(params: OAuthSignInParams = {}, options: ActionOptions = {}): Promise<SignInResult> {
    // Opened now, in the task of the click: browsers allow a popup only there, before any await.
    const popup = this.adapter.capabilities.popup && !this.adapter.configError ? (this.#env.openPopup?.() ?? null) : null;
    const result = this.#flows.run((f) => f.popup.signIn(popup, params, options), EMPTY, options);
    // Its chunk could not load, or the action was cancelled meanwhile: the popup closes.
    return popup ? result.then((done) => (done.error && popup.close(), done)) : result;
  }

  /**
   * Completes a redirect sign-in from the callback URL (the current page by default), then
   * removes the callback parameters from the address bar. A missing, tampered or replayed
   * `state` is refused.
   */
  async handleRedirectCallback(url?: string, options: ActionOptions = {}): Promise<SignInResult> {
    if (url === undefined) await this.ready;
    const done = await this.#flows.run((f) => f.oauth.complete(url ?? this.#env.url() ?? '', true, options), EMPTY, options);
    return (done && 'result' in done ? done.result : done) ?? this.#runner.fail(new AuthError('invalid_request', { providerCode: 'not_a_callback' }), EMPTY, options.source);
  }

  // ── recovery ──────────────────────────────────────────────────────────────

  /**
   * Starts password recovery (CloudBase v3's name; an email, a phone number or the identifier
   * object): a code or a link goes out, and the result is the `recovery` step.
   */
  resetPasswordForEmail(emailOrPhone: string | RecoveryRequest, options: ActionOptions = {}): Promise<SignInResult> {
    const request = typeof emailOrPhone === 'string' ? (emailOrPhone.includes('@') ? { email: emailOrPhone } : { phone: emailOrPhone }) : emailOrPhone;
    return this.resetPassword(request, options);
  }

  /** The same as `resetPasswordForEmail` with the identifier object. */
  resetPassword(request: RecoveryRequest, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.password.startRecovery(request ?? {}, options), EMPTY, options);
  }

  /** Completes the `recovery` step with the code (when one was sent) and the new password. */
  completeRecovery(params: { code?: string; newPassword: string }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.password.completeRecovery(params, options), EMPTY, options);
  }

  // ── account ───────────────────────────────────────────────────────────────

  /** Changes the profile (`USER_UPDATED`); a new email or phone is a `verify_contact` step first. */
  updateUser(attributes: UserAttributes, options: ActionOptions = {}): Promise<UserResult> {
    return this.#flows.run((f) => f.account.updateUser(attributes, options), { user: null }, options);
  }

  /** Finishes a `verify_contact` step with the code sent to the new email or phone (`USER_UPDATED`). */
  verifyContact(params: { code: string }, options: ActionOptions = {}): Promise<UserResult> {
    return this.#flows.run((f) => f.account.verifyContact(params, options), { user: null }, options);
  }

  /** Links a source to the signed-in person: a redirect, bound on return (`BIND_IDENTITY`). */
  linkIdentity(params: { provider: string; options?: OAuthSignInParams['options'] }, options: ActionOptions = {}): Promise<AuthResult<{ url: string; provider: string }>> {
    return this.#flows.run((f) => f.account.linkIdentity(params, options, (p, o) => f.oauth.start(p, o, 'link')), { url: null, provider: null }, options);
  }

  /** Unlinks a third-party source from the signed-in person (`BIND_IDENTITY`). */
  unlinkIdentity(params: { provider: string }, options: ActionOptions = {}): Promise<UserResult> {
    return this.#flows.run((f) => f.account.unlinkIdentity(params, options), { user: null }, options);
  }

  /** Signs in with a ticket the site's server mints (CloudBase `signInWithCustomTicket`). */
  signInWithCustomTicket(getTicket: () => string | Promise<string>, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.external.signInWithCustomTicket(getTicket, options), EMPTY, options);
  }

  // ── steps ─────────────────────────────────────────────────────────────────

  /** Completes a `password_change` step (policy checked first), else changes a signed-in person's password (`capabilities.account.password`). */
  changePassword(passwords: { oldPassword: string; newPassword: string }, options: ActionOptions = {}): Promise<SignInResult> {
    const signedIn = this.#store.state.pending?.kind !== 'password_change' && this.#store.state.session;
    return this.#flows.run((f) => (signedIn ? f.account.updatePassword(passwords, options) : f.password.changePassword(passwords, options)), EMPTY, options);
  }

  /** Skips a `password_change` step that is not required ("not now"). */
  skipPasswordChange(options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.password.skipPasswordChange(options), EMPTY, options);
  }

  /** Sends the code of a `second_factor` step (`phone`: where, when the step asks for it). */
  sendSecondFactor(params: { method: 'sms' | 'email' | 'totp'; phone?: string }, options: ActionOptions = {}) {
    return this.#flows.run((f) => f.password.sendSecondFactor(params.method, options, params.phone), { channel: null, expiresIn: null, resendAfter: null }, options);
  }

  verifySecondFactor(params: { code: string }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.#flows.run((f) => f.password.verifySecondFactor(params.code, options), EMPTY, options);
  }

  /**
   * Answers a `captcha` step with what the person typed and sends the interrupted call again;
   * resolves to that call's result (a wrong answer brings a new image and an error).
   */
  answerCaptcha(params: { text: string }, options: ActionOptions = {}): Promise<StepResult<object>> {
    return this.#flows.run((f) => f.interruptions.answerCaptcha(params?.text, options), {}, options);
  }

  /** A new image for the pending `captcha` step. */
  newCaptcha(options: ActionOptions = {}): Promise<AuthResult<{ image: string | null }>> {
    return this.#flows.run((f) => f.interruptions.newCaptcha(options), { image: null }, options);
  }

  /** Answers a `consent` step: the person agreed; the interrupted call is sent again. */
  agreeToTerms(options: ActionOptions = {}): Promise<StepResult<object>> {
    return this.#flows.run((f) => f.interruptions.agreeToTerms(options), {}, options);
  }

  /** Emails the signed-in person a link that confirms their address (`capabilities.verifyEmail`). */
  sendEmailVerification(options: ActionOptions = {}): Promise<AuthResult<{ target: string | null }>> {
    return this.#flows.run((f) => f.account.sendEmailVerification(options), { target: null }, options);
  }

  /** Confirms the address of the `verify_email` step an emailed link opened (USER_UPDATED when signed in). */
  verifyEmail(options: ActionOptions = {}): Promise<AuthResult<{ user: Partial<User> | null }>> {
    return this.#flows.run((f) => f.account.verifyEmail(options), { user: null }, options);
  }

  /** Abandons a pending step (the person chose "back"). */
  cancelStep(): void {
    this.#forget();
    this.#runner.clearStep();
  }

  // ── start-up ──────────────────────────────────────────────────────────────

  /**
   * Starts loading what an action needs (the adapter's code, the flows', http's), so that the
   * first one does not wait for them: the elements call it when a person reaches for a form
   * (focus, pointer). Nothing happens twice; offline, the action itself reports it.
   */
  prepare(): void {
    void loadAdapter(this.adapter);
    void this.#flows.load().catch(() => {});
  }

  /** A redirect's return in the address bar, completed at start-up (announced later, with INITIAL_SESSION). */
  async #returned(): Promise<{ event: AuthChangeEvent; session: Session | null } | undefined> {
    const done = await this.#flows.run((f) => f.oauth.complete(this.#env.url() ?? '', false, {}, false), EMPTY, {});
    return done && 'event' in done ? { event: done.event, session: done.result.data.session } : undefined;
  }

  #forget(): void {
    // Only flows already here hold anything to forget.
    this.#flows.loaded?.password.reset();
    this.#flows.loaded?.codes.reset();
  }
}
