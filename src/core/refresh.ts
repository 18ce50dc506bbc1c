import type { Environment } from './environment.js';
import type { Adapter, AdapterContext, AuthError, Session } from '../contract/index.js';
import type { SessionStore } from './session-store.js';
import type { StorageAdapter } from './storage.js';
import { refreshDue, refreshMargin } from './util/session.js';

/** What the client gives its refresh (./refresher.ts, ./refresh-coordinator.ts). */
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

export interface RefreshTiming {
  /** How long to wait for another tab's refresh before taking the lock over, in ms. */
  lockTimeout: number;
  /** Backoff after a failed refresh that did not end the session, in ms. */
  retryBase: number;
  retryCap: number;
}

const defaults: RefreshTiming = { lockTimeout: 10_000, retryBase: 2_000, retryCap: 60_000 };
const MAX_TIMEOUT = 2 ** 31 - 1;

interface SchedulerOptions {
  timing?: Partial<RefreshTiming>;
  enabled: boolean;
  environment: Environment;
  refresh: () => Promise<unknown>;
  current: () => Session | null;
  /** Whether a session can be refreshed at all; one that cannot is only ended at expiry. */
  refreshable: (session: Session) => boolean;
}

/**
 * When to refresh: a timer set for the moment the remaining lifetime drops below the margin (or,
 * for a session that cannot be refreshed, the moment it expires, to end it),
 * a backoff after failures, and nothing at all while the tab is hidden (it catches up when
 * shown; a visible tab of the same configuration refreshes for everyone meanwhile).
 */
export class RefreshScheduler {
  readonly timing: RefreshTiming;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #stopVisible: (() => void) | null = null;

  constructor(private readonly options: SchedulerOptions) {
    this.timing = { ...defaults, ...options.timing };
  }

  start(): void {
    if (!this.options.enabled || this.#stopVisible) return;
    this.#stopVisible = this.options.environment.onVisible(() => {
      const session = this.options.current();
      if (session && this.due(session)) this.#fire();
    });
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#stopVisible?.();
    this.#stopVisible = null;
    this.#timer = undefined;
  }

  due(session: Session): boolean {
    return refreshDue(session, this.options.refreshable(session));
  }

  /** A new session (or none): forget past failures and aim at its refresh time. */
  reschedule(session: Session | null): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#failures = 0;
    if (!session || !this.options.enabled || !this.#stopVisible) return;
    const at = (session.expires_at - (this.options.refreshable(session) ? refreshMargin(session) : 0)) * 1000;
    this.#arm(at - Date.now());
  }

  /** The refresh failed but the session stands: try again later, no sooner than `retryAfter`. */
  retryLater(error: AuthError): void {
    if (!this.options.enabled || !this.#stopVisible) return;
    const ceiling = Math.min(this.timing.retryCap, this.timing.retryBase * 2 ** this.#failures++);
    const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#arm(Math.max(jittered, (error.retryAfter ?? 0) * 1000));
  }

  /** Nothing was sent because a wait runs: try again once it is over (no backoff counted). */
  retryIn(delay: number): void {
    if (!this.options.enabled || !this.#stopVisible) return;
    this.#arm(delay);
  }

  #arm(delay: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), Math.min(MAX_TIMEOUT, Math.max(0, delay)));
    // Node: a pending refresh must not keep a script alive.
    (this.#timer as unknown as { unref?: () => void }).unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.options.environment.hidden()) return;
    this.options.refresh().then(
      // A retry that found nothing due yet (after a forced refresh failed early): aim at the refresh time.
      () => {
        if (this.#timer === undefined) this.reschedule(this.options.current());
      },
      () => {
        /* the client decided what a failure means (a retry is armed, or the session ended) */
      },
    );
  }
}
