// `auth-elements/providers/janrain`: this backend's adapter factory alone, so an app that uses it
// ships one adapter, and that one as a chunk: `configure({ provider: janrainProvider({ … }) })` gives the
// client the backend's facts now (src/backends/janrain.ts) and the adapter's code on `load()`,
// which the client starts at once (the same stand-in `{ type: 'janrain', … }` gets).
import { janrainFacts } from '../../backends/facts.js';
import type { Adapter } from '../../contract/index.js';
import type { JanrainSettings } from '../../backends/janrain.js';
import { lazyAdapter } from '../lazy.js';

export type { JanrainSettings };

/** The `janrain` adapter (see `./janrain.ts`), its code loaded on demand. */
export function janrainProvider(settings: JanrainSettings): Adapter {
  return lazyAdapter('janrain', janrainFacts(settings), () => import('./janrain.js').then((m) => m.janrainProvider(settings)));
}
