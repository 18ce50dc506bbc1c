// `auth-elements/providers/cloudbase`: this backend's adapter factory alone, so an app that uses it
// ships one adapter, and that one as a chunk: `configure({ provider: cloudbaseProvider({ … }) })` gives the
// client the backend's facts now (src/backends/cloudbase.ts) and the adapter's code on `load()`,
// which the client starts at once (the same stand-in `{ type: 'cloudbase', … }` gets).
import { cloudbaseFacts } from '../../backends/facts.js';
import type { Adapter } from '../../contract/index.js';
import type { CloudbaseSettings } from '../../backends/cloudbase.js';
import { lazyAdapter } from '../lazy.js';

export type { CloudbaseSettings };

/** The `cloudbase` adapter (see `./cloudbase.ts`), its code loaded on demand. */
export function cloudbaseProvider(settings: CloudbaseSettings): Adapter {
  return lazyAdapter('cloudbase', cloudbaseFacts(settings), () => import('./cloudbase.js').then((m) => m.cloudbaseProvider(settings)));
}
