import type { Adapter } from './contract/index.js';
import { AuthClient, type AuthClientOptions } from './core/client.js';
import { resolveProvider, type ProviderConfig } from './providers/registry.js';
import { attachHub } from './components/base/hub.js';
import { getClient, setDefaultClient } from './default-client.js';

export interface ConfigureOptions extends Omit<AuthClientOptions, 'provider'> {
  /** The backend: `{ type, ...settings }`, or an adapter made by its factory. */
  provider: ProviderConfig | Adapter;
}

let detachHub: (() => void) | null = null;

/** Makes a separate client (not the default), with the same options as `configure()`. */
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
  getClient()?.destroy();
  const client = createAuthClient(options);
  detachHub = typeof document === 'undefined' ? null : attachHub(client, document);
  setDefaultClient(client);
  return client;
}

export { getClient };
