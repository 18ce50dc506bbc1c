// `auth-elements/providers/oidc`: this backend's adapter factory alone, so an app that uses it
// ships one adapter, and that one as a chunk: `configure({ provider: oidcProvider({ … }) })` gives the
// client the backend's facts now (src/backends/oidc.ts) and the adapter's code on `load()`,
// which the client starts at once (the same stand-in `{ type: 'oidc', … }` gets).
import { oidcFacts } from '../../backends/facts.js';
import type { Adapter } from '../../contract/index.js';
import type { OidcSettings } from '../../backends/oidc.js';
import { lazyAdapter } from '../lazy.js';

export type { OidcSettings };

/** The `oidc` adapter (see `./oidc.ts`), its code loaded on demand. */
export function oidcProvider(settings: OidcSettings): Adapter {
  return lazyAdapter('oidc', oidcFacts(settings), () => import('./oidc.js').then((m) => m.oidcProvider(settings)));
}
