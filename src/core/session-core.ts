// The session half of the client: state, persistence, refresh, tabs and listeners. The sign-in
// flows (client.ts) build on it through the protected members below.
import { AuthError, toAuthError, type AuthResult } from './errors.js';
import { AuthChangeEvent, type AuthStateChangeCallback, type ClientNotice, type Subscription } from './events.js';
import { browserEnvironment, type Environment } from './environment.js';
import { abortableSleep, createHttp, type Http, type HttpOptions } from './http.js';
import { fingerprint, isSpent, markSpent } from './lock.js';
import { decodeJwt } from './jwt.js';
import { RefreshScheduler, type RefreshTiming } from './refresh.js';
import { isSession, secondsLeft, toSession, userFromClaims, type Session, type TokenSet, type User } from './session.js';
import { resolveStorage, StoredValue, type StorageAdapter, type StorageOption } from './storage.js';
import { TabSync, type TabMessage } from './tab-sync.js';
import { devWarn } from './dev.js';
import type { Provider, ProviderContext } from '../providers/provider.js';
import { isPendingStep, type PendingStep, type SignInOutcome } from './steps.js';
import { randomString } from './pkce.js';

export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';

/** The reactive state the elements render from. */
export interface AuthState {
  status: AuthStatus;
  session: Session | null;
  user: User | null;
  /** A sign-in waiting for one more step (password change, second factor), held in memory only. */
  pending: PendingStep | null;
}

/** The result of every sign-in action: a session, or the step the backend asks for next. */
export type SignInResult = AuthResult<{ session: Session | null; user: User | null; step?: PendingStep }>;

export interface PasskeySettings {
  /** POST → registration options JSON (`<auth-webauthn-register>`). */
  optionsUrl?: string;
  /** POST the attestation JSON → `{ verified }`. */
  verifyUrl?: string;
  /** POST → authentication (request) options JSON (`<auth-passkey>`). */
  authenticationOptionsUrl?: string;
  /**
   * POST the assertion JSON → `{ verified: true, session: { access_token, token_type?,
   * expires_in?, refresh_token?, id_token?, user: { id, … } } }`, adopted with `setSession`.
   */
  authenticationVerifyUrl?: string;
}

export interface AuthClientOptions {
  provider: Provider;
  /** Where the session is kept: `'local'` (default), `'session'`, `'memory'` or an adapter. */
  storage?: StorageOption;
  /** Prefix of every storage key and the tab channel; the provider's key is appended. */
  storageKey?: string;
  /** Complete a social or OIDC redirect found in the URL when the client starts (default true). */
  detectSessionInUrl?: boolean;
  /** Refresh before expiry on a timer (default true). */
  autoRefresh?: boolean;
  http?: Partial<HttpOptions>;
  refresh?: Partial<RefreshTiming>;
  passkeys?: PasskeySettings;
  /** For tests and non-browser hosts: the page's URL, navigation and visibility. */
  environment?: Environment;
}

/** Per call: the element that asked (so it can announce the result) and a way to cancel. */
export interface ActionOptions {
  signal?: AbortSignal;
  source?: unknown;
}

export interface SignOutOptions {
  /** Visit the backend's sign-out page afterwards and come back here (OIDC end-session). */
  redirectTo?: string;
}

type Listener = (notice: ClientNotice) => void;

/**
 * The session of one configuration, without the sign-in flows: storage, cross-tab sync, refresh,
 * listeners. `AuthClient` (client.ts) is the public class.
 */
export abstract class SessionCore {
  readonly provider: Provider;

  readonly passkeys: PasskeySettings;

  readonly http: Http;
  /** Resolves once the stored session was read (and a redirect in the URL completed). */
  readonly ready: Promise<void>;

  #state: AuthState = { status: 'loading', session: null, user: null, pending: null };

  #store: StoredValue<Session>;

  #shared: boolean;

  #env: Environment;

  #tabs: TabSync | null = null;

  #scheduler: RefreshScheduler;

  #subscriptions = new Map<string, Subscription>();

  #awaitingInitial: Subscription[] = [];

  #initialized = false;

  #listeners = new Set<Listener>();

  #noticeId = 0;
  /** Bumped by every sign-in and sign-out, so a late refresh cannot resurrect an old session. */
  #generation = 0;

  #refreshing: Promise<Session | null> | null = null;

  #namespace: string;

  #destroyed = false;

  constructor(options: AuthClientOptions) {
    this.provider = options.provider;
    this.passkeys = options.passkeys ?? {};
    this.http = createHttp(options.http);
    this.#env = options.environment ?? browserEnvironment();
    this.#namespace = `${options.storageKey ?? 'auth-elements'}:${this.provider.key}`;
    const { adapter, shared } = resolveStorage(options.storage);
    this.#shared = shared;
    this.#store = new StoredValue(adapter, `${this.#namespace}:session`, (value): value is Session =>
      isSession(value) && value.provider === this.provider.type,
    );
    this.storage = adapter;
    this.#scheduler = new RefreshScheduler({
      timing: options.refresh,
      enabled: options.autoRefresh ?? true,
      environment: this.#env,
      refresh: () => this.#refresh(false),
      current: () => this.#state.session,
      refreshable: (session) => !!session.refresh_token && !!this.provider.refresh,
    });
    // Deferred by a microtask: constructors are synchronous, so the subclass is complete by the
    // time start-up asks it for a redirect to finish.
    this.ready = Promise.resolve().then(() => this.#initialize());
  }

  /** The current state; the object is replaced, never mutated, on each change. */
  get state(): AuthState {
    return this.#state;
  }

  /**
   * Subscribes to session changes. Each new subscriber first gets `INITIAL_SESSION`. Callbacks
   * run after every lock is released and are never awaited, so one may call the client.
   */
  onAuthStateChange(callback: AuthStateChangeCallback): { data: { subscription: Subscription } } {
    const id = randomString(9);
    const subscription: Subscription = {
      id,
      callback,
      unsubscribe: () => {
        this.#subscriptions.delete(id);
      },
    };
    this.#subscriptions.set(id, subscription);
    if (this.#initialized) queueMicrotask(() => this.#deliverInitial(subscription));
    else this.#awaitingInitial.push(subscription);
    return { data: { subscription } };
  }

  /** For elements: every change, error and state update, with the `source` that caused it. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The session, refreshed first when it is about to expire. */
  async getSession(): Promise<AuthResult<{ session: Session | null }>> {
    await this.ready;
    const session = this.#state.session;
    if (session && this.#scheduler.due(session)) {
      try {
        return { data: { session: await this.#refresh(false) }, error: null };
      } catch (error) {
        // The stored session still stands unless the backend rejected it.
        if (this.#state.session) return { data: { session: this.#state.session }, error: null };
        return { data: { session: null }, error: toAuthError(error) };
      }
    }
    return { data: { session }, error: null };
  }

  /** Refreshes now, whatever the remaining lifetime. */
  async refreshSession(): Promise<AuthResult<{ session: Session; user: User }>> {
    await this.ready;
    try {
      const session = await this.#refresh(true);
      if (!session) throw new AuthError('session_expired', 'You are signed out.');
      return { data: { session, user: session.user }, error: null };
    } catch (error) {
      return this.fail(error, { session: null, user: null });
    }
  }

  /** Adopts tokens obtained elsewhere (CloudBase's `setSession`). */
  async setSession(tokens: TokenSet & { expires_at?: number }, options: ActionOptions = {}): Promise<SignInResult> {
    return this.run(options, async (ctx) => {
      if (typeof tokens?.access_token !== 'string' || !tokens.access_token) {
        throw new AuthError('invalid_request', 'setSession needs an access_token.');
      }
      const claims = decodeJwt(tokens.access_token);
      const set: TokenSet = { ...tokens };
      if (set.expires_in === undefined && typeof claims?.exp === 'number') set.expires_in = claims.exp - Math.floor(Date.now() / 1000);
      if (!set.user && this.provider.getUser) {
        const draft = toSession(set, this.provider.type);
        set.user = await this.provider.getUser(draft, ctx);
      }
      if (!set.user && !userFromClaims(claims) && !(set.id_token && userFromClaims(decodeJwt(set.id_token)))) {
        throw new AuthError('invalid_request', 'The user of these tokens is unknown.');
      }
      return set;
    });
  }

  /** The signed-in user, fresh from the backend where it can tell. */
  async getUser(options: ActionOptions = {}): Promise<AuthResult<{ user: User }>> {
    const { data } = await this.getSession();
    const session = data.session;
    if (!session) return this.fail(new AuthError('session_expired', 'You are signed out.'), { user: null }, options.source);
    if (!this.provider.getUser) return { data: { user: session.user }, error: null };
    const generation = this.#generation;
    try {
      const user = await this.provider.getUser(session, this.context(options));
      if (generation === this.#generation && this.#state.session && JSON.stringify(user) !== JSON.stringify(session.user)) {
        await this.#apply({ ...this.#state.session, user }, AuthChangeEvent.USER_UPDATED, options.source, false);
      }
      return { data: { user }, error: null };
    } catch (error) {
      return this.fail(error, { user: null }, options.source);
    }
  }

  /**
   * Signs out here and in every tab: revokes what the backend lets us revoke, then clears the
   * session even if the backend could not be reached.
   */
  async signOut(options: SignOutOptions & ActionOptions = {}): Promise<{ error: AuthError | null }> {
    await this.ready;
    const session = this.#state.session;
    let redirectUrl: string | undefined;
    if (session && this.provider.signOut) {
      try {
        ({ redirectUrl } = await this.provider.signOut(session, { redirectTo: options.redirectTo }, this.context(options)));
      } catch (error) {
        devWarn('The backend did not confirm the sign-out; the local session is cleared anyway.', error);
      }
    }
    if (this.#state.session) await this.#apply(null, AuthChangeEvent.SIGNED_OUT, options.source, true);
    if (redirectUrl && options.redirectTo) this.#env.navigate(redirectUrl);
    return { error: null };
  }

  /** Stops timers and tab sync; for tests and pages that drop a configuration. */
  destroy(): void {
    this.#destroyed = true;
    this.#scheduler.stop();
    this.#tabs?.close();
    this.#subscriptions.clear();
    this.#listeners.clear();
  }

  /** The storage adapter, for what a subclass keeps beside the session (pending redirects). */
  protected readonly storage: StorageAdapter;

  /** Prefix of this configuration's storage keys and tab channel. */
  protected get namespace(): string {
    return this.#namespace;
  }

  protected get environment(): Environment {
    return this.#env;
  }

  /** Start-up hook: a session made from a redirect found in the URL, or null. */
  protected async redirectAtStart(): Promise<Session | null> {
    return null;
  }

  /** Called after every sign-in, to forget what only the sign-in needed. */
  protected signedIn(): void {}

  /** Sets or clears the pending step without touching the session. */
  protected setPending(step: PendingStep | null): void {
    this.#setState(this.#state.session, step);
  }

  // ── internals ─────────────────────────────────────────────────────────────

  async #initialize(): Promise<void> {
    // Open the channel first: a refresh made during start-up must reach the other tabs. What
    // they say before we are ready waits, so that no event precedes INITIAL_SESSION.
    let early: TabMessage | null = null;
    if (this.#shared) {
      this.#tabs = new TabSync(`${this.#namespace}:tabs`, this.#store.key, (raw) => this.#store.parse(raw), (message) => {
        if (this.#initialized) void this.#receive(message.session, message.event);
        else early = message;
      });
    }
    let session = await this.#store.read();
    const redirected = await this.redirectAtStart();
    if (redirected) session = redirected;
    if (session && !redirected && this.#scheduler.due(session)) {
      this.#setState(session);
      try {
        session = await this.#refresh(false, false);
      } catch {
        session = this.#state.session;
      }
    }
    if (!session) await this.#store.remove();
    this.#setState(session);
    if (this.#destroyed) return;
    this.#scheduler.start();
    this.#scheduler.reschedule(session);
    this.#initialized = true;
    const waiting = this.#awaitingInitial;
    this.#awaitingInitial = [];
    for (const subscription of waiting) this.#deliverInitial(subscription);
    this.#notice({ type: 'change', event: AuthChangeEvent.INITIAL_SESSION, session });
    if (redirected) this.#emit(AuthChangeEvent.SIGNED_IN, redirected);
    const missed = early as TabMessage | null;
    if (missed) void this.#receive(missed.session, missed.event);
  }

  #deliverInitial(subscription: Subscription): void {
    if (this.#subscriptions.has(subscription.id)) call(subscription.callback, AuthChangeEvent.INITIAL_SESSION, this.#state.session);
  }

  /**
   * Runs a sign-in call. Tokens become the session; a step becomes `state.pending` for the
   * elements to ask for; `null` (a verifying sign-up) changes nothing.
   */
  protected async run(options: ActionOptions, call: (ctx: ProviderContext) => Promise<SignInOutcome | null>, announce = true): Promise<SignInResult> {
    try {
      this.checkConfig();
      const outcome = await call(this.context(options));
      if (!outcome) return { data: { session: null, user: null }, error: null };
      if (isPendingStep(outcome)) {
        this.#setState(this.#state.session, outcome);
        return { data: { session: null, user: null, step: outcome }, error: null };
      }
      const session = toSession(outcome, this.provider.type);
      if (!session.user.id) throw new AuthError('server', 'The server did not say who signed in.');
      if (announce) await this.ready;
      this.signedIn();
      await this.#apply(session, AuthChangeEvent.SIGNED_IN, options.source, true, announce);
      return { data: { session, user: session.user }, error: null };
    } catch (error) {
      return this.fail(error, { session: null, user: null }, options.source);
    }
  }

  /**
   * Single flight per tab and, through the lock, per configuration across tabs. Under the lock
   * the stored session is read again: when another tab refreshed meanwhile, its result is
   * adopted instead of spending the (possibly rotated) refresh token a second time.
   */
  #refresh(force: boolean, announce = true): Promise<Session | null> {
    if (this.#refreshing) return this.#refreshing;
    const generation = this.#generation;
    const held = this.#state.session;
    const job = (async () => {
      const outcome = await this.#scheduler.locked(`${this.#namespace}:refresh`, async () => {
        const stored = this.#shared ? await this.#store.read() : this.#state.session;
        if (!stored) return { session: null, refreshed: false };
        // Another tab's refresh may have reached us by storage or by its broadcast meanwhile.
        const received = this.#state.session;
        if (received && received.access_token !== held?.access_token && received.access_token !== stored.access_token) return { session: received, refreshed: false };
        const changedElsewhere = stored.access_token !== held?.access_token;
        if (changedElsewhere || (!force && !this.#scheduler.due(stored))) return { session: stored, refreshed: false };
        if (!stored.refresh_token || !this.provider.refresh) {
          // Nothing to refresh with: the session stands until it expires, then it ends.
          if (secondsLeft(stored) > 0) throw new AuthError('unsupported', 'This session cannot be refreshed; it lasts until it expires.');
          throw new AuthError('session_expired', 'Your session has expired. Please sign in again.');
        }
        const spent = `${this.#namespace}:spent:${await fingerprint(stored.refresh_token)}`;
        if (await isSpent(spent)) {
          // A tab in another process just spent this refresh token; its session is on its way.
          const arrived = await this.#awaitNewer(stored, 3000);
          if (arrived) return { session: arrived, refreshed: false };
        }
        const tokens = await this.provider.refresh(stored, { http: this.http });
        const next = toSession(tokens, this.provider.type, stored);
        if (generation === this.#generation) await this.#store.write(next);
        await markSpent(spent, 30_000);
        return { session: next, refreshed: true };
      });
      if (generation !== this.#generation) return this.#state.session;
      const { session, refreshed } = outcome;
      if (!session) {
        if (this.#state.session) await this.#apply(null, AuthChangeEvent.SIGNED_OUT, undefined, false, announce);
      } else if (session.access_token !== this.#state.session?.access_token) {
        await this.#apply(session, AuthChangeEvent.TOKEN_REFRESHED, undefined, refreshed, announce, false);
      }
      return session;
    })();
    this.#refreshing = job
      .catch(async (error: unknown) => {
        const failure = toAuthError(error);
        if (generation === this.#generation && failure.code === 'session_expired') {
          // Only the backend's own rejection ends a session; a network failure never does.
          await this.#apply(null, AuthChangeEvent.SIGNED_OUT, undefined, true, announce);
          if (announce) this.#notice({ type: 'error', error: failure });
        } else if (this.#state.session && failure.code !== 'unsupported') {
          this.#scheduler.retryLater(failure);
        }
        throw failure;
      })
      .finally(() => {
        this.#refreshing = null;
      });
    return this.#refreshing;
  }

  /** Waits for a session newer than `stale` to reach this tab (storage or broadcast), or null. */
  async #awaitNewer(stale: Session, timeout: number): Promise<Session | null> {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      const candidate = this.#shared ? await this.#store.read() : this.#state.session;
      if (candidate && candidate.access_token !== stale.access_token) return candidate;
      const received = this.#state.session;
      if (received && received.access_token !== stale.access_token) return received;
      await abortableSleep(25);
    }
    return null;
  }

  /** A session change told by another tab: that tab already wrote storage. */
  async #receive(session: Session | null, event?: AuthChangeEvent): Promise<void> {
    const current = this.#state.session;
    if (session?.access_token === current?.access_token && JSON.stringify(session?.user) === JSON.stringify(current?.user)) return;
    const inferred = event ?? (!session ? AuthChangeEvent.SIGNED_OUT : !current ? AuthChangeEvent.SIGNED_IN : session.user.id !== current.user.id ? AuthChangeEvent.SIGNED_IN : AuthChangeEvent.TOKEN_REFRESHED);
    const changedUser = inferred !== AuthChangeEvent.TOKEN_REFRESHED && inferred !== AuthChangeEvent.USER_UPDATED;
    if (changedUser) this.#generation++;
    this.#setState(session, changedUser ? null : this.#state.pending);
    this.#scheduler.reschedule(session);
    this.#emit(inferred, session);
  }

  /**
   * Makes `session` current: storage, state, timer, other tabs, then listeners, in that order,
   * with no lock held by the time listeners run.
   */
  async #apply(session: Session | null, event: AuthChangeEvent, source: unknown, write: boolean, announce = true, bump = true): Promise<void> {
    if (bump) this.#generation++;
    if (write) {
      if (session) await this.#store.write(session);
      else await this.#store.remove();
    }
    this.#setState(session, event === AuthChangeEvent.SIGNED_IN || event === AuthChangeEvent.SIGNED_OUT ? null : this.#state.pending);
    this.#scheduler.reschedule(session);
    this.#tabs?.post({ event, session });
    if (announce) this.#emit(event, session, source);
  }

  /** A pending step survives refreshes and start-up; a sign-in or sign-out ends it. */
  #setState(session: Session | null, pending: PendingStep | null = this.#state.pending): void {
    this.#state = { status: session ? 'signed-in' : 'signed-out', session, user: session?.user ?? null, pending };
    this.#notice({ type: 'state' });
  }

  #emit(event: AuthChangeEvent, session: Session | null, source?: unknown): void {
    for (const subscription of [...this.#subscriptions.values()]) call(subscription.callback, event, session);
    this.#notice({ type: 'change', event, session, source });
  }

  #notice(notice: DistributiveOmit<ClientNotice, 'id'>): void {
    const full = { ...notice, id: ++this.#noticeId } as ClientNotice;
    for (const listener of [...this.#listeners]) {
      try {
        listener(full);
      } catch (error) {
        reportLater(error);
      }
    }
  }

  protected fail<T>(error: unknown, empty: T, source?: unknown): { data: T; error: AuthError } {
    const failure = toAuthError(error);
    this.#notice({ type: 'error', error: failure, source });
    return { data: empty, error: failure };
  }

  protected checkConfig(): void {
    if (this.provider.configError) throw this.provider.configError;
  }

  protected context(options: ActionOptions): ProviderContext {
    return { http: this.http, signal: options.signal };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Calls a listener without awaiting it; its failure is reported, never thrown into the client. */
function call(callback: AuthStateChangeCallback, event: AuthChangeEvent, session: Session | null): void {
  try {
    const result = callback(event, session);
    if (result && typeof (result as Promise<void>).catch === 'function') (result as Promise<void>).catch(reportLater);
  } catch (error) {
    reportLater(error);
  }
}

function reportLater(error: unknown): void {
  // A listener's bug is the page's to see, but it must not break the client or other listeners.
  console.error('[auth-elements] a listener failed:', error);
}

