import { AuthClient, type AuthClientOptions } from './core/client.js';
import { resolveProvider, type ProviderConfig } from './providers/registry.js';
import type { Provider } from './providers/provider.js';
import { attachHub } from './components/base/hub.js';

export interface ConfigureOptions extends Omit<AuthClientOptions, 'provider'> {
  provider: ProviderConfig | Provider;
}

let defaultClient: AuthClient | null = null;
let detachHub: (() => void) | null = null;
const watchers = new Set<(client: AuthClient | null) => void>();

/** Makes a separate client, with the same options as `configure()`. */
export function createAuthClient(options: ConfigureOptions): AuthClient {
  return new AuthClient({ ...options, provider: resolveProvider(options.provider) });
}

/**
 * Sets the default client: the one every element outside an `<auth-config>` uses, whose
 * `auth-state-change` and `auth-error` events also reach `document`.
 *
 * @example
 * import { configure } from 'auth-elements';
 * configure({ provider: { type: 'oidc', issuer: 'https://id.example.com', clientId: 'spa' } });
 */
export function configure(options: ConfigureOptions): AuthClient {
  detachHub?.();
  defaultClient?.destroy();
  const client = createAuthClient(options);
  defaultClient = client;
  detachHub = typeof document === 'undefined' ? null : attachHub(client, document);
  for (const watcher of [...watchers]) watcher(client);
  return client;
}

/** The default client, or null before `configure()`. */
export function getClient(): AuthClient | null {
  return defaultClient;
}

/** For elements: follow the default client as it is set or replaced. */
export function watchDefaultClient(watcher: (client: AuthClient | null) => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}
