// `auth-elements/providers/tencent-ciam`: this backend's adapter factory alone, so an app that uses it
// ships one adapter, and that one as a chunk: `configure({ provider: tencentCiamProvider({ … }) })` gives the
// client the backend's facts now (src/backends/tencent-ciam.ts) and the adapter's code on `load()`,
// which the client starts at once (the same stand-in `{ type: 'tencent-ciam', … }` gets).
import { tencentCiamFacts } from '../../backends/facts.js';
import type { Adapter } from '../../contract/index.js';
import type { TencentCiamSettings } from '../../backends/tencent-ciam.js';
import { lazyAdapter } from '../lazy.js';

export type { TencentCiamSettings };

/** The `tencent-ciam` adapter (see `./tencent-ciam.ts`), its code loaded on demand. */
export function tencentCiamProvider(settings: TencentCiamSettings): Adapter {
  return lazyAdapter('tencent-ciam', tencentCiamFacts(settings), () => import('./tencent-ciam.js').then((m) => m.tencentCiamProvider(settings)));
}
