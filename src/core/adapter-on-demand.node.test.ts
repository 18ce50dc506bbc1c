// A backend's adapter is a chunk (src/providers/lazy.ts). Start-up loads it only when it may need
// it (a stored session to keep, an address with parameters to read); otherwise it comes when a
// person reaches for a form (`prepare()`), with the first action, or with a session another tab
// signed in, whose refresh and sign-out need it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment, until } from '../../test/support/environment.js';
import { key, stored } from '../../test/support/client.js';
import type { Adapter } from '../contract/index.js';
import { lazyAdapter } from '../providers/lazy.js';
import { AuthClient } from './client.js';
import { memoryStorage, type StorageAdapter } from './storage.js';

/** The fake backend behind a stand-in whose code "loads" on demand; `loads` counts the fetches. */
function onDemand(name = 'on-demand') {
  const real = fakeAdapter({ key: `oidc:${name}` });
  const loads = { count: 0 };
  const adapter = lazyAdapter('oidc', { key: real.key, capabilities: real.capabilities }, async () => (loads.count++, real as Adapter));
  return { adapter, real, loads };
}

function client(adapter: Adapter, options: { storage?: StorageAdapter; url?: string } = {}) {
  return new AuthClient({ provider: adapter, storage: options.storage ?? memoryStorage(), environment: testEnvironment(options.url ?? 'http://127.0.0.1/login'), autoRefresh: false });
}

describe('the adapter on demand', () => {
  test('a plain address and no session: start-up loads no adapter; prepare() does, once', async () => {
    const { adapter, loads } = onDemand();
    const auth = client(adapter);
    await auth.ready;
    assert.equal(auth.state.status, 'signed-out');
    assert.equal(loads.count, 0, 'nothing to do for the adapter before anyone acts');
    auth.prepare();
    auth.prepare();
    await until(() => adapter.load === undefined, undefined, 'the adapter loaded');
    assert.equal(loads.count, 1);
    auth.destroy();
  });

  test('the first action brings it when nothing prepared it', async () => {
    const { adapter, real, loads } = onDemand();
    const auth = client(adapter);
    await auth.ready;
    const { error } = await auth.signInWithPassword({ email: 'u', password: 'right' });
    assert.equal(error, null);
    assert.deepEqual([loads.count, real.calls.password, auth.state.status], [1, 1, 'signed-in']);
    auth.destroy();
  });

  test('a stored session: loaded at start-up, and an expired one is refreshed before INITIAL_SESSION', async () => {
    const { adapter, real, loads } = onDemand();
    const storage = memoryStorage();
    storage.setItem(key(real), JSON.stringify(stored(real, 600, 700)));
    const auth = client(adapter, { storage });
    await auth.ready;
    assert.equal(loads.count, 1);
    assert.equal(real.calls.refresh, 1);
    assert.equal(auth.state.status, 'signed-in');
    auth.destroy();
  });

  test('an address with parameters (a link, a return): loaded at start-up to read them', async () => {
    const { adapter, loads } = onDemand();
    const auth = client(adapter, { url: 'http://127.0.0.1/login?token=from-an-email' });
    await auth.ready;
    assert.equal(loads.count, 1);
    auth.destroy();
  });

  test('a session another tab signed in: this tab loads the adapter, and its sign-out reaches the backend', async () => {
    const shared = new Map<string, string>();
    const storage: StorageAdapter = { getItem: (k) => shared.get(k) ?? null, setItem: (k, v) => void shared.set(k, v), removeItem: (k) => void shared.delete(k) };
    const first = onDemand('two-tabs');
    const second = onDemand('two-tabs');
    const a = client(first.adapter, { storage });
    const b = client(second.adapter, { storage });
    await Promise.all([a.ready, b.ready]);
    assert.equal(second.loads.count, 0);
    await a.signInWithPassword({ email: 'u', password: 'right' });
    await until(() => b.state.status === 'signed-in', undefined, 'the session reached the other tab');
    await until(() => second.loads.count === 1, undefined, "the other tab's adapter loaded");
    const { error } = await b.signOut();
    assert.equal(error, null);
    assert.equal(second.real.calls.signOut, 1, "the other tab's sign-out reached the backend");
    a.destroy();
    b.destroy();
  });
});
