// One refresh per expiry for every tab of a configuration: single flight in this tab, a lock
// across tabs, and the stored session read again under the lock so that a refresh another tab
// just made is adopted instead of spending the (possibly rotated) refresh token twice. After a
// refusal that names a wait (429/503 with Retry-After), no refresh request leaves any tab of the
// configuration before that time, whoever asks (getSession, the timer, a visible tab, start-up).
import { AuthChangeEvent, AuthError, isAuthError, toAuthError, type Adapter, type AdapterContext, type Session } from '../contract/index.js';
import type { Environment } from './environment.js';
import { abortableSleep } from './util/sleep.js';
import { loadLock, RefreshScheduler, type RefreshTiming } from './refresh.js';
import { secondsLeft, toSession } from './util/session.js';
import type { SessionStore } from './session-store.js';
import { StoredValue, type StorageAdapter } from './storage.js';

/** The longest wait a backend can impose on refresh, in seconds: a bogus header cannot stop it for days. */
export const MAX_REFRESH_WAIT = 3600;
/** `providerCode` of the refusal made here, without a request, while a backend's wait runs. */
export const WAITING = 'retry_after';

export interface RefreshOptions {
  store: SessionStore;
  adapter: Adapter;
  environment: Environment;
  context: () => AdapterContext;
  timing?: Partial<RefreshTiming>;
  auto: boolean;
  /** Reports a failure that ended the session (the backend refused the refresh token). */
  report: (error: AuthError) => void;
  /** Where the backend's wait is kept for the other tabs (the session's storage when it is shared). */
  storage?: StorageAdapter;
}

export class RefreshCoordinator {
  readonly scheduler: RefreshScheduler;
  #refreshing: Promise<Session | null> | null = null;
  /** Epoch ms before which no refresh request may be sent (the backend's Retry-After). */
  #notBefore = 0;
  #wait: StoredValue<number> | null;

  constructor(private readonly options: RefreshOptions) {
    const { store, storage } = options;
    this.#wait = store.shared && storage ? new StoredValue(storage, `${store.namespace}:refresh-wait`, (v): v is number => typeof v === 'number' && Number.isFinite(v)) : null;
    this.scheduler = new RefreshScheduler({
      timing: options.timing,
      enabled: options.auto,
      environment: options.environment,
      refresh: () => this.refresh(false),
      current: () => options.store.state.session,
      // An adapter whose code has not come yet: its backend's facts say whether it refreshes.
      refreshable: (session) => !!session.refresh_token && (options.adapter.load ? options.adapter.capabilities.refresh : !!options.adapter.refresh),
    });
  }

  /** Whether `session` should be refreshed now (or, when it cannot be, has ended). */
  due(session: Session): boolean {
    return this.scheduler.due(session);
  }

  /**
   * Refreshes (when due, or always with `force`). Single flight per tab and, through the lock,
   * per configuration across tabs. `announce: false` during start-up, before INITIAL_SESSION.
   */
  refresh(force: boolean, announce = true): Promise<Session | null> {
    if (this.#refreshing) return this.#refreshing;
    const { store, adapter } = this.options;
    const generation = store.generation;
    const held = store.state.session;
    const job = (async () => {
      const outcome = await this.scheduler.locked(`${store.namespace}:refresh`, async () => {
        const stored = store.shared ? await store.slot.read() : store.state.session;
        if (!stored) return { session: null, refreshed: false };
        // Another tab's refresh may have reached us by storage or by its broadcast meanwhile.
        const received = store.state.session;
        if (received && received.access_token !== held?.access_token && received.access_token !== stored.access_token) return { session: received, refreshed: false };
        const changedElsewhere = stored.access_token !== held?.access_token;
        if (changedElsewhere || (!force && !this.due(stored))) return { session: stored, refreshed: false };
        if (adapter.load) await adapter.load();
        if (!stored.refresh_token || !adapter.refresh) {
          // Nothing to refresh with: the session stands until it expires, then it ends.
          throw new AuthError(secondsLeft(stored) > 0 ? 'unsupported' : 'session_expired');
        }
        const { fingerprint, isSpent, markSpent } = await loadLock(); // here already: `locked` brought it
        const spent = `${store.namespace}:spent:${await fingerprint(stored.refresh_token)}`;
        if (await isSpent(spent)) {
          // A tab in another process just spent this refresh token; its session is on its way.
          const arrived = await this.#awaitNewer(stored, 3000);
          if (arrived) return { session: arrived, refreshed: false };
        }
        await this.#checkWait();
        let tokens;
        try {
          tokens = await adapter.refresh(stored, this.options.context());
        } catch (error) {
          await this.#holdOff(error);
          throw error;
        }
        const next = toSession(tokens, adapter.type, stored);
        if (generation === store.generation) await store.slot.write(next);
        await markSpent(spent, 30_000);
        return { session: next, refreshed: true };
      });
      if (generation !== store.generation) return store.state.session;
      const { session, refreshed } = outcome;
      if (!session) {
        if (store.state.session) await store.commit({ session: null, event: AuthChangeEvent.SIGNED_OUT, persist: false, notify: announce });
      } else if (session.access_token !== store.state.session?.access_token) {
        await store.commit({ session, event: AuthChangeEvent.TOKEN_REFRESHED, persist: refreshed, notify: announce });
      }
      return session;
    })();
    this.#refreshing = job
      .catch(async (error: unknown) => {
        const failure = toAuthError(error);
        if (generation === store.generation && failure.code === 'session_expired') {
          // Only the backend's own rejection ends a session; a network failure never does.
          await store.commit({ session: null, event: AuthChangeEvent.SIGNED_OUT, persist: true, notify: announce });
          if (announce) this.options.report(failure);
        } else if (store.state.session && failure.providerCode === WAITING) {
          // Nothing was sent: aim the timer at the end of the wait, without counting a failure.
          this.scheduler.retryIn((failure.retryAfter ?? 0) * 1000);
        } else if (store.state.session && failure.code !== 'unsupported') {
          this.scheduler.retryLater(failure);
        }
        throw failure;
      })
      .finally(() => {
        this.#refreshing = null;
      });
    return this.#refreshing;
  }

  /** Refuses, without a request, while a wait a backend asked for (here or in another tab) runs. */
  async #checkWait(): Promise<void> {
    const shared = (await this.#wait?.read()) ?? 0;
    const left = Math.max(this.#notBefore, Math.min(shared, Date.now() + MAX_REFRESH_WAIT * 1000)) - Date.now();
    if (left > 0) throw new AuthError('rate_limited', { providerCode: WAITING, retryAfter: Math.ceil(left / 1000) });
  }

  /** A refusal that names a wait (Retry-After) holds every refresh of every tab off until then. */
  async #holdOff(error: unknown): Promise<void> {
    const seconds = isAuthError(error) ? error.retryAfter : undefined;
    if (seconds === undefined || !(seconds > 0)) return;
    this.#notBefore = Math.max(this.#notBefore, Date.now() + Math.min(seconds, MAX_REFRESH_WAIT) * 1000);
    await this.#wait?.write(this.#notBefore);
  }

  /** Waits for a session newer than `stale` to reach this tab (storage or broadcast), or null. */
  async #awaitNewer(stale: Session, timeout: number): Promise<Session | null> {
    const { store } = this.options;
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      const candidate = store.shared ? await store.slot.read() : store.state.session;
      if (candidate && candidate.access_token !== stale.access_token) return candidate;
      const received = store.state.session;
      if (received && received.access_token !== stale.access_token) return received;
      await abortableSleep(25);
    }
    return null;
  }
}
