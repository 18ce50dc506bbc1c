// One refresh per expiry for every tab of a configuration: single flight in this tab, a lock
// across tabs, and the stored session read again under the lock so that a refresh another tab
// just made is adopted instead of spending the (possibly rotated) refresh token twice. After a
// refusal that names a wait (429/503 with Retry-After), no refresh request leaves any tab of the
// configuration before that time, whoever asks (getSession, the timer, a visible tab, start-up).
// With the lock between tabs, this is a chunk that comes once a session exists (./refresher.ts):
// a signed-out first view runs none of it.
import { AuthChangeEvent, AuthError, isAuthError, toAuthError, type Session } from '../contract/index.js';
import { abortableSleep } from './util/sleep.js';
import { fingerprint, isSpent, markSpent, withLock } from './lock.js';
import type { RefreshOptions, RefreshScheduler } from './refresh.js';
import { secondsLeft, toSession } from './util/session.js';
import { StoredValue } from './storage.js';

/** The longest wait a backend can impose on refresh, in seconds: a bogus header cannot stop it for days. */
export const MAX_REFRESH_WAIT = 3600;
/** `providerCode` of the refusal made here, without a request, while a backend's wait runs. */
export const WAITING = 'retry_after';

/**
 * The refresh itself, a chunk that comes once a session exists (./refresher.ts keeps the timer
 * meanwhile and hands it over): single flight, the lock, the re-read, the backend's wait.
 */
export class RefreshCoordinator {
  #refreshing: Promise<Session | null> | null = null;
  /** Epoch ms before which no refresh request may be sent (the backend's Retry-After). */
  #notBefore = 0;
  #wait: StoredValue<number> | null;

  constructor(
    private readonly options: RefreshOptions,
    private readonly scheduler: RefreshScheduler,
  ) {
    const { store, storage } = options;
    this.#wait = store.shared && storage ? new StoredValue(storage, `${store.namespace}:refresh-wait`, (v): v is number => typeof v === 'number' && Number.isFinite(v)) : null;
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
      const outcome = await withLock(`${store.namespace}:refresh`, this.scheduler.timing.lockTimeout, async () => {
        const stored = store.shared ? await store.slot.read() : store.state.session;
        if (!stored) return { session: null, refreshed: false };
        // Another tab's refresh may have reached us by storage or by its broadcast meanwhile.
        const received = store.state.session;
        if (received && received.access_token !== held?.access_token && received.access_token !== stored.access_token) return { session: received, refreshed: false };
        const changedElsewhere = stored.access_token !== held?.access_token;
        if (changedElsewhere || (!force && !this.scheduler.due(stored))) return { session: stored, refreshed: false };
        if (adapter.load) await adapter.load();
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
