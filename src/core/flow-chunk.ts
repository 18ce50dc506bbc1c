// The client's flows as one chunk, loaded when the first action (or a redirect's return) needs
// them: a page's first view carries the session core and no flow.
import { AuthError } from '../contract/index.js';
import type { FlowDeps, Flows } from './flows/index.js';
import type { ActionOptions } from './runner.js';
import { chunkOnce } from './util/once.js';

/** Brings the flows' chunk (a test passes one that fails). */
export type FlowsLoader = () => Promise<typeof import('./flows/index.js')>;

export const loadFlows: FlowsLoader = () => import('./flows/index.js');

export class FlowChunk {
  #flows: Flows | null = null;

  constructor(
    private readonly deps: FlowDeps,
    private readonly loader: FlowsLoader = loadFlows,
  ) {}

  /** The flows when their chunk is here, else null. */
  get loaded(): Flows | null {
    return this.#flows;
  }

  readonly #chunk = chunkOnce(() => this.loader());

  /** Once; a chunk that cannot load is a `network` error, and the next call tries again. */
  readonly load = (): Promise<Flows> => this.#chunk().then((chunk) => (this.#flows ??= chunk.createFlows(this.deps)));

  /**
   * Runs a flow's action: in this same tick when the flows are here (as when they were no
   * chunk), else once their chunk, the adapter's and the words (when still missing) arrive,
   * fetched in parallel. A chunk that cannot load fails the action with `empty` data, the session
   * untouched. An action cancelled meanwhile never starts.
   */
  run<T, E>(action: (flows: Flows) => Promise<T>, empty: E, options: ActionOptions): Promise<T | { data: E; error: AuthError }> {
    if (this.#flows) return action(this.#flows);
    const { adapter, runner } = this.deps;
    return Promise.allSettled([this.load(), adapter.load?.(), runner.words()]).then<T | { data: E; error: AuthError }>(([flows, code]) => {
      // Both missing (offline): the adapter's is the error to report, as before the flows were a chunk.
      if (code.status === 'rejected') return runner.fail(code.reason, empty, options.source);
      if (flows.status === 'rejected') return runner.fail(flows.reason, empty, options.source);
      // Cancelled while it waited (the element went away, or the person submitted again).
      if (options.signal?.aborted) return runner.fail(new AuthError('cancelled'), empty, options.source);
      return action(flows.value);
    });
  }
}
