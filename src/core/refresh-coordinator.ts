// One refresh per expiry for every tab of a configuration: single flight in this tab, a lock
// across tabs, and the stored session read again under the lock so that a refresh another tab
// just made is adopted instead of spending the (possibly rotated) refresh token twice.
import { AuthChangeEvent, AuthError, toAuthError, type Adapter, type AdapterContext, type Session } from '../contract/index.js';
import type { Environment } from './environment.js';
import { abortableSleep } from './util/http.js';
import { fingerprint, isSpent, markSpent } from './lock.js';
import { RefreshScheduler, type RefreshTiming } from './refresh.js';
import { secondsLeft, toSession } from './util/session.js';
import type { SessionStore } from './session-store.js';

export interface RefreshOptions {
  store: SessionStore;
  adapter: Adapter;
  environment: Environment;
  context: () => AdapterContext;
  timing?: Partial<RefreshTiming>;
  auto: boolean;
  /** Reports a failure that ended the session (the backend refused the refresh token). */
  report: (error: AuthError) => void;
}

export class RefreshCoordinator {
  readonly scheduler: RefreshScheduler;
  #refreshing: Promise<Session | null> | null = null;

  constructor(private readonly options: RefreshOptions) {
    this.scheduler = new RefreshScheduler({
      timing: options.timing,
      enabled: options.auto,
      environment: options.environment,
      refresh: () => this.refresh(false),
      current: () => options.store.state.session,
      refreshable: (session) => !!session.refresh_token && !!options.adapter.refresh,
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
        if (!stored.refresh_token || !adapter.refresh) {
          // Nothing to refresh with: the session stands until it expires, then it ends.
          throw new AuthError(secondsLeft(stored) > 0 ? 'unsupported' : 'session_expired');
        }
        const spent = `${store.namespace}:spent:${await fingerprint(stored.refresh_token)}`;
        if (await isSpent(spent)) {
          // A tab in another process just spent this refresh token; its session is on its way.
          const arrived = await this.#awaitNewer(stored, 3000);
          if (arrived) return { session: arrived, refreshed: false };
        }
        const tokens = await adapter.refresh(stored, this.options.context());
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
