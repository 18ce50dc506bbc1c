// The flows are a chunk the client loads when an action first needs it (core/flow-chunk.ts):
// start-up loads it only for a redirect's return, and a chunk that cannot load fails the action
// with a typed `network` error, leaves the session as it was, and loads again on the next action.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment } from '../../test/support/environment.js';
import { AuthError, type Adapter, type ClientNotice } from '../contract/index.js';
import { AuthClient, type FlowsLoader } from './client.js';
import { loadFlows } from './flow-chunk.js';
import { memoryStorage } from './storage.js';
import { key, stored } from '../../test/support/client.js';

/** A loader that counts its calls and fails the first `failures` of them. */
function flaky(failures = 0) {
  const loads = { count: 0 };
  const loader: FlowsLoader = () => {
    loads.count++;
    return loads.count <= failures ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : loadFlows();
  };
  return { loader, loads };
}

function client(options: { url?: string; failures?: number; provider?: Adapter } = {}) {
  const { loader, loads } = flaky(options.failures);
  const provider = options.provider ?? fakeAdapter();
  const env = testEnvironment(options.url ?? 'http://127.0.0.1/page');
  const auth = new AuthClient({ provider, storage: memoryStorage(), environment: env, autoRefresh: false }, loader);
  const notices: ClientNotice[] = [];
  auth.subscribe((notice) => void notices.push(notice));
  return { auth, loads, env, notices };
}

describe('the flows chunk', () => {
  test('start-up loads no flow: not for a plain address, nor for a session in storage', async () => {
    const { auth, loads } = client();
    await auth.ready;
    assert.equal(auth.state.status, 'signed-out');
    assert.equal(loads.count, 0);
    auth.destroy();
  });

  test('start-up loads them for a redirect return only, and completes it', async () => {
    const provider = fakeAdapter();
    const storage = memoryStorage();
    const starter = new AuthClient({ provider, storage, environment: testEnvironment('http://127.0.0.1/page'), autoRefresh: false });
    const { data } = await starter.signInWithOAuth({ options: { skipBrowserRedirect: true } });
    starter.destroy();
    const authorize = new URL(data.url!);
    const { loader, loads } = flaky();
    const env = testEnvironment(`http://127.0.0.1/callback?code=abc&state=${authorize.searchParams.get('state')}&test_nonce=${authorize.searchParams.get('nonce')}`);
    const auth = new AuthClient({ provider, storage, environment: env, autoRefresh: false }, loader);
    await auth.ready;
    assert.equal(loads.count, 1, 'a callback address brings the OAuth flow');
    assert.equal(auth.state.status, 'signed-in', 'the return was completed');
    assert.equal(env.current?.includes('code='), false, 'its parameters are gone');
    auth.destroy();
  });

  test('an emailed link opens its step at start-up without loading any flow', async () => {
    const provider: Adapter = { ...fakeAdapter(), linkStep: (url) => (url.searchParams.has('verification_code') ? { step: { kind: 'verify_email', context: { code: 'c' } }, params: ['verification_code'] } : null) };
    const { auth, loads, env } = client({ url: 'http://127.0.0.1/page?verification_code=c', provider });
    await auth.ready;
    assert.equal(auth.state.pending?.kind, 'verify_email');
    assert.equal(env.current, 'http://127.0.0.1/page');
    assert.equal(loads.count, 0);
    auth.destroy();
  });

  test('a chunk that cannot load: a network error, the session intact, and the next action loads it', async () => {
    const { auth, loads, notices } = client({ failures: 1 });
    await auth.ready;
    const signedIn = await auth.setSession({ access_token: 'a', refresh_token: 'r', expires_in: 3600, user: { id: 'user-1' } }).catch((e: unknown) => e);
    // The first try failed: setSession did nothing.
    assert.ok(!(signedIn instanceof Error));
    const failed = signedIn as Awaited<ReturnType<AuthClient['setSession']>>;
    assert.ok(failed.error instanceof AuthError);
    assert.equal(failed.error.code, 'network');
    assert.equal(failed.error.providerCode, 'chunk_not_loaded');
    assert.ok(failed.error.message, 'localized like every error');
    assert.deepEqual(failed.data, { session: null, user: null });
    assert.equal(auth.state.session, null);
    assert.ok(notices.some((n) => n.type === 'error' && n.error === failed.error), 'the elements hear of it');
    const again = await auth.signInWithPassword({ email: 'a@example.com', password: 'right' });
    assert.equal(loads.count, 2, 'loaded again');
    assert.equal(again.error, null);
    assert.equal(auth.state.status, 'signed-in');
    auth.destroy();
  });

  test('a signed-in person stays signed in when the chunk of an account action cannot load', async () => {
    const provider = fakeAdapter();
    const storage = memoryStorage();
    storage.setItem(key(provider), JSON.stringify(stored(provider)));
    const { loader, loads } = flaky(1);
    const auth = new AuthClient({ provider, storage, environment: testEnvironment('http://127.0.0.1/page'), autoRefresh: false }, loader);
    await auth.ready;
    const before = auth.state.session;
    assert.equal(auth.state.status, 'signed-in');
    assert.equal(loads.count, 0, 'restoring a session needs no flow');
    const failed = await auth.getUser();
    assert.equal(failed.error?.providerCode, 'chunk_not_loaded');
    assert.equal(failed.data.user, null);
    assert.equal(auth.state.session, before, 'the session is untouched');
    assert.equal(storage.getItem(key(provider)) !== null, true, 'and still stored');
    const read = await auth.getUser();
    assert.equal(read.error, null);
    assert.equal(read.data.user?.id, before!.user.id);
    assert.equal(loads.count, 2);
    auth.destroy();
  });

  test('signing out needs no chunk', async () => {
    const { auth, loads } = client({ failures: 99 });
    await auth.ready;
    const out = await auth.signOut();
    assert.equal(out.error, null);
    assert.equal(loads.count, 0);
    auth.destroy();
  });

  test('a popup opens in the click; it closes when the chunk cannot load, and the next click loads it', async () => {
    const provider = fakeAdapter();
    Object.assign(provider.capabilities, { popup: true });
    const opened: Array<{ closed: boolean }> = [];
    const { loader, loads } = flaky(1);
    const env = {
      ...testEnvironment('http://127.0.0.1/page'),
      openPopup: () => {
        const popup = { closed: false, navigate: () => {}, close: () => void (popup.closed = true), onMessage: () => () => {} };
        opened.push(popup);
        return popup;
      },
    };
    const auth = new AuthClient({ provider, storage: memoryStorage(), environment: env, autoRefresh: false }, loader);
    await auth.ready;
    const first = auth.signInWithPopup();
    assert.equal(opened.length, 1, 'opened before anything was awaited');
    const { error } = await first;
    assert.equal(error?.providerCode, 'chunk_not_loaded');
    assert.equal(opened[0]!.closed, true);
    const controller = new AbortController();
    const second = auth.signInWithPopup({}, { signal: controller.signal });
    assert.equal(opened.length, 2);
    controller.abort();
    assert.equal((await second).error?.code, 'cancelled');
    assert.equal(loads.count, 2);
    auth.destroy();
  });

  test('an action cancelled while the chunk loads never reaches the adapter', async () => {
    const { auth } = client();
    const provider = auth.adapter as ReturnType<typeof fakeAdapter>;
    await auth.ready;
    const controller = new AbortController();
    const pending = auth.signInWithPassword({ email: 'a@example.com', password: 'right' }, { signal: controller.signal });
    controller.abort(); // the element went away
    const { error } = await pending;
    assert.equal(error?.code, 'cancelled');
    assert.equal(provider.calls.password, 0);
    assert.equal(auth.state.session, null);
    auth.destroy();
  });

  test('offline, with the adapter and the flows both missing, the action reports the adapter', async () => {
    const { loader } = flaky(1);
    const provider = { ...fakeAdapter(), load: () => Promise.reject(new AuthError('network', { providerCode: 'adapter_not_loaded' })) };
    const auth = new AuthClient({ provider, storage: memoryStorage(), environment: testEnvironment(), autoRefresh: false }, loader);
    await auth.ready;
    const { error } = await auth.signInWithPassword({ email: 'a@example.com', password: 'right' });
    assert.equal(error?.providerCode, 'adapter_not_loaded');
    auth.destroy();
  });
});
