// An adapter whose code comes later: what the first view needs (the key and the capabilities,
// from the backend's settings table) now, every method once `load()` brought the backend's chunk.
import type { BackendFacts } from '../backends/facts.js';
import { AuthError, type Adapter, type BackendType } from '../contract/index.js';
import { onceUnlessFailed } from '../core/util/once.js';

/**
 * A stand-in with `type`, `key` and `capabilities` that becomes the real adapter: `load()`
 * fetches it (once) and copies it onto this same object, so everything that holds the adapter
 * (the client's flows) sees the real methods from then on.
 */
export function lazyAdapter(type: BackendType, facts: BackendFacts, fetch: () => Promise<Adapter>): Adapter {
  const adapter: { -readonly [K in keyof Adapter]: Adapter[K] } = {
    type,
    key: facts.key,
    capabilities: facts.capabilities,
    // Offline now, perhaps not on the next action.
    load: onceUnlessFailed(() =>
      fetch().then(
        (real) => {
          Object.assign(adapter, real);
          delete adapter.load;
        },
        (cause: unknown) => {
          throw new AuthError('network', { providerCode: 'adapter_not_loaded', cause });
        },
      ),
    ),
  };
  return adapter;
}
