// The client's refresh, its code on demand: the timer (./refresh.ts) is here from the start, so a
// session is refreshed on time; the refresh itself, with the lock between tabs
// (./refresh-coordinator.ts), is a chunk that comes once a session exists. A signed-out first
// view runs none of it.
import type { AuthError, Session } from '../contract/index.js';
import type { RefreshCoordinator } from './refresh-coordinator.js';
import { RefreshScheduler, type RefreshOptions } from './refresh.js';
import { chunkOnce, onceUnlessFailed } from './util/once.js';
import { refreshable } from './util/session.js';

const loadCoordinator = chunkOnce(() => import('./refresh-coordinator.js'));

/** `due`, `refresh` and the timer (`scheduler`) of a client; RefreshCoordinator does the refresh. */
export class Refresher {
  readonly scheduler: RefreshScheduler;
  /** The coordinator, made once its chunk is here; offline, tried again at the next call. */
  readonly #load = onceUnlessFailed(() => this.load().then(({ RefreshCoordinator }) => new RefreshCoordinator(this.options, this.scheduler)));

  /** `load` is for tests: the coordinator's chunk from elsewhere. */
  constructor(
    private readonly options: RefreshOptions,
    private readonly load: () => Promise<{ RefreshCoordinator: typeof RefreshCoordinator }> = loadCoordinator,
  ) {
    this.scheduler = new RefreshScheduler({
      timing: options.timing,
      enabled: options.auto,
      environment: options.environment,
      refresh: () => this.refresh(false),
      current: () => options.store.state.session,
      refreshable: (session) => refreshable(options.adapter, session),
    });
  }

  /** Whether `session` should be refreshed now (or, when it cannot be, has ended). */
  due(session: Session): boolean {
    return this.scheduler.due(session);
  }

  /**
   * RefreshCoordinator.refresh once its code is here. Offline, `network` (`chunk_not_loaded`):
   * the session stands, and the timer tries again with backoff, as after a failed request.
   */
  async refresh(force: boolean, announce = true): Promise<Session | null> {
    let coordinator: RefreshCoordinator;
    try {
      coordinator = await this.#load();
    } catch (error) {
      if (this.options.store.state.session) this.scheduler.retryLater(error as AuthError);
      throw error;
    }
    return coordinator.refresh(force, announce);
  }

  /** Brings the code ahead of need: a session exists, so a refresh will come. */
  prepare(): void {
    this.#load().catch(() => {});
  }
}
