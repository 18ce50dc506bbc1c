import type { AuthClient } from './core/client.js';

// The default client lives here, apart from configure(): elements need to find it, but must not
// pull in every provider adapter (the registry) to do so.
let defaultClient: AuthClient | null = null;
const watchers = new Set<(client: AuthClient | null) => void>();

/** The default client, or null before `configure()` (or `setDefaultClient()`). */
export function getClient(): AuthClient | null {
  return defaultClient;
}

/**
 * Makes `client` the default without the provider registry: for apps that build their client
 * from one provider's module and want the smallest bundle.
 *
 * @example
 * import { AuthClient, setDefaultClient } from 'auth-elements';
 * import { zhuyunIdaasProvider } from 'auth-elements/providers/zhuyun-idaas';
 * setDefaultClient(new AuthClient({ provider: zhuyunIdaasProvider({ baseUrl, clientId }) }));
 */
export function setDefaultClient(client: AuthClient | null): void {
  defaultClient = client;
  for (const watcher of [...watchers]) watcher(client);
}

/** For elements: follow the default client as it is set or replaced. */
export function watchDefaultClient(watcher: (client: AuthClient | null) => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}
