// Registry-free wiring, for the "no registry" rows: the client is built from the provider
// module and handed to the elements through the same Lit context <auth-config> provides,
// so neither configure() nor createAuthClient() (and so no registry) is reached. Imported
// before the element's define module, so the provider listens before the element upgrades.
import { ContextProvider } from '@lit/context';
import { AuthClient } from '../../src/core/client.js';
import type { Provider } from '../../src/providers/provider.js';
import { authClientContext } from '../../src/components/base/context.js';

export function provideClient(provider: Provider): AuthClient {
  const client = new AuthClient({ provider });
  new ContextProvider(document.documentElement, { context: authClientContext, initialValue: client });
  return client;
}
