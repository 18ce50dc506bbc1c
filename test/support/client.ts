// Shared by the client's Node tests: a client over the fake adapter, and stored sessions.
import { fakeAdapter } from './fake-adapter.js';
import { testEnvironment } from './environment.js';
import type { AuthChangeEvent, Session } from '../../src/contract/index.js';
import { AuthClient, type AuthClientOptions } from '../../src/core/client.js';
import { toSession } from '../../src/core/util/session.js';
import { memoryStorage, type StorageAdapter } from '../../src/core/storage.js';

/** A client over a fake adapter in memory, with the events it emitted. */
export function make(overrides: Partial<AuthClientOptions> = {}) {
  const storage = (overrides.storage as StorageAdapter) ?? memoryStorage();
  const provider = (overrides.provider as ReturnType<typeof fakeAdapter>) ?? fakeAdapter();
  const env = testEnvironment();
  const client = new AuthClient({ provider, storage, environment: env, ...overrides });
  const events: Array<[AuthChangeEvent, Session | null]> = [];
  client.onAuthStateChange((event, session) => void events.push([event, session]));
  return { client, provider, storage, env, events };
}

/** A stored session of `provider`'s tokens, `ageSeconds` old. */
export function stored(provider: ReturnType<typeof fakeAdapter>, lifetime = 3600, ageSeconds = 0): Session {
  return toSession(provider.tokens(lifetime), 'oidc', null, Date.now() - ageSeconds * 1000);
}

/** The storage key of a configuration's session. */
export const key = (provider: { key: string }) => `auth-elements:${provider.key}:session`;

