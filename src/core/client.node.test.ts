import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter, fakeJwt } from '../../test/support/fake-adapter.js';
import { fakeClock } from '../../test/support/clock.js';
import { testEnvironment, until } from '../../test/support/environment.js';
import { settlesWithin } from '../../test/support/wait.js';
import { AuthError } from '../contract/index.js';
import { AuthClient } from './client.js';
import { key, make, stored } from '../../test/support/client.js';
import { memoryStorage, type StorageAdapter } from './storage.js';
import { toSession } from './util/session.js';

describe('AuthClient', () => {
  test('a new subscriber gets INITIAL_SESSION, before and after start-up', async () => {
    const { client, events } = make();
    await client.ready;
    await Promise.resolve();
    assert.deepEqual(events.map(([e]) => e), ['INITIAL_SESSION']);
    const late: string[] = [];
    client.onAuthStateChange((event) => void late.push(event));
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(late, ['INITIAL_SESSION']);
    assert.equal(client.state.status, 'signed-out');
    client.destroy();
  });
  test('a stored valid session is restored with no request', async () => {
    const provider = fakeAdapter();
    const storage = memoryStorage();
    const session = stored(provider);
    storage.setItem(key(provider), JSON.stringify(session));
    const { client, events } = make({ provider, storage });
    await client.ready;
    assert.equal(events[0]![0], 'INITIAL_SESSION');
    assert.equal(events[0]![1]?.access_token, session.access_token);
    assert.equal(provider.calls.refresh, 0);
    assert.equal(client.state.status, 'signed-in');
    client.destroy();
  });
  test('an expired session at load is refreshed once before INITIAL_SESSION', async () => {
    const provider = fakeAdapter();
    const storage = memoryStorage();
    storage.setItem(key(provider), JSON.stringify(stored(provider, 600, 700)));
    const { client, events } = make({ provider, storage });
    await client.ready;
    assert.equal(provider.calls.refresh, 1);
    assert.deepEqual(events.map(([e]) => e), ['INITIAL_SESSION']);
    assert.ok(events[0]![1]!.expires_at > Date.now() / 1000 + 3000);
    client.destroy();
  });
  test('an expired session without a refresh token is dropped at load', async () => {
    const provider = fakeAdapter();
    const storage = memoryStorage();
    const old = stored(provider, 600, 700);
    delete old.refresh_token;
    storage.setItem(key(provider), JSON.stringify(old));
    const { client, events } = make({ provider, storage });
    await client.ready;
    assert.equal(events[0]![1], null);
    assert.equal(storage.getItem(key(provider)), null);
    client.destroy();
  });
  test('an expired session whose refresh is rejected signs out at load', async () => {
    const provider = fakeAdapter();
    provider.refreshWith.push(new AuthError('session_expired', 'invalid_grant'));
    const storage = memoryStorage();
    storage.setItem(key(provider), JSON.stringify(stored(provider, 600, 700)));
    const { client, events } = make({ provider, storage });
    await client.ready;
    assert.deepEqual(events.map(([e, s]) => [e, s]), [['INITIAL_SESSION', null]]);
    assert.equal(storage.getItem(key(provider)), null);
    client.destroy();
  });

  for (const [name, raw] of [
    ['not JSON', '{"access_token": "abc"'],
    ['foreign JSON', JSON.stringify({ hello: 'world' })],
    ['a session of another provider', JSON.stringify({ ...toSession({ access_token: 'a', id_token: fakeJwt({ sub: 'u' }) }, 'cloudbase') })],
    ['a wrong type', JSON.stringify({ access_token: 1, token_type: 'Bearer', expires_in: 1, expires_at: 1, user: { id: 'u' }, provider: 'oidc' })],
  ] as const) {
    test(`corrupted storage (${name}) is discarded with a warning, never thrown`, async (t) => {
      const warn = t.mock.method(console, 'warn', () => {});
      const provider = fakeAdapter();
      const storage = memoryStorage();
      storage.setItem(key(provider), raw);
      const { client, events } = make({ provider, storage });
      await client.ready;
      assert.equal(events[0]![1], null);
      assert.equal(storage.getItem(key(provider)), null);
      assert.ok(warn.mock.calls.some((c) => String(c.arguments[0]).includes('Discarded')));
      client.destroy();
    });
  }
  test('a storage adapter that throws does not break sign-in', async (t) => {
    t.mock.method(console, 'warn', () => {});
    const broken: StorageAdapter = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => {} };
    const { client } = make({ storage: broken });
    await client.ready;
    const { data, error } = await client.signInWithPassword({ email: 'a', password: 'right' });
    assert.equal(error, null);
    assert.equal(data.session?.user.id, 'a');
    client.destroy();
  });
  test('an async storage adapter works', async () => {
    const map = new Map<string, string>();
    const adapter: StorageAdapter = {
      getItem: async (k) => map.get(k) ?? null,
      setItem: async (k, v) => void map.set(k, v),
      removeItem: async (k) => void map.delete(k),
    };
    const { client, provider } = make({ storage: adapter });
    await client.signInWithPassword({ email: 'u', password: 'right' });
    assert.ok(map.get(key(provider))?.includes('access-'));
    client.destroy();
    const again = make({ storage: adapter, provider });
    await again.client.ready;
    assert.equal(again.client.state.user?.id, 'u');
    again.client.destroy();
  });
  test('two clients of different configurations never share a key', async () => {
    const storage = memoryStorage();
    const a = make({ storage, provider: fakeAdapter({ key: 'oidc:https://a:spa' }) });
    const b = make({ storage, provider: fakeAdapter({ key: 'oidc:https://b:spa' }) });
    await a.client.signInWithPassword({ email: 'alice', password: 'right' });
    await b.client.ready;
    assert.equal(b.client.state.session, null);
    a.client.destroy();
    b.client.destroy();
  });
  test('sign-in: { data, error } results, SIGNED_IN once, no password in the event', async () => {
    const { client, events } = make();
    await client.ready;
    const bad = await client.signInWithPassword({ email: 'u', password: 'wrong' });
    assert.equal(bad.error?.code, 'invalid_credentials');
    assert.equal(bad.error?.remainingAttempts, 2);
    assert.equal(bad.data.session, null);
    const good = await client.signInWithPassword({ email: 'u', password: 'right' });
    assert.equal(good.error, null);
    assert.deepEqual(events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN']);
    assert.ok(!JSON.stringify(events).includes('right'));
    client.destroy();
  });

  // A deadlock never settles, so these wait for the promise with a generous bound of real time.
  // Fake time stands still meanwhile: the refresh lock (stolen after 10 s of waiting) cannot
  // be taken over and hide a deadlock, however slow the machine.
  test('a listener that calls signOut() inside SIGNED_IN does not deadlock', async (t) => {
    fakeClock(t);
    const { client, events } = make();
    await client.ready;
    let signedOut: Promise<unknown> | undefined;
    client.onAuthStateChange((event) => {
      if (event === 'SIGNED_IN') signedOut = client.signOut();
    });
    const result = await client.signInWithPassword({ email: 'u', password: 'right' });
    assert.equal(result.error, null);
    assert.ok(signedOut, 'the listener heard SIGNED_IN');
    await settlesWithin(signedOut, 'signOut() from a SIGNED_IN listener');
    assert.equal(client.state.status, 'signed-out');
    assert.deepEqual(events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT']);
    client.destroy();
  });
  test('a listener that refreshes inside TOKEN_REFRESHED does not deadlock', async (t) => {
    fakeClock(t);
    const { client } = make();
    await client.signInWithPassword({ email: 'u', password: 'right' });
    let inner: Promise<{ error: unknown }> | undefined;
    const off = client.onAuthStateChange((event) => {
      if (event === 'TOKEN_REFRESHED' && !inner) inner = client.refreshSession();
    });
    await client.refreshSession();
    await until(() => !!inner);
    const result = await settlesWithin(inner!, 'refreshSession() from a TOKEN_REFRESHED listener');
    assert.equal(result.error, null);
    off.data.subscription.unsubscribe();
    client.destroy();
  });
  test('a listener that throws or rejects does not stop the others', async (t) => {
    t.mock.method(console, 'error', () => {});
    const { client, events } = make();
    client.onAuthStateChange(() => { throw new Error('boom'); });
    client.onAuthStateChange(async () => { throw new Error('async boom'); });
    const after: string[] = [];
    client.onAuthStateChange((event) => void after.push(event));
    await client.signInWithPassword({ email: 'u', password: 'right' });
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(after, ['INITIAL_SESSION', 'SIGNED_IN']);
    assert.deepEqual(events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN']);
    client.destroy();
  });
  test('unsubscribe stops delivery', async () => {
    const { client } = make();
    const seen: string[] = [];
    const { data } = client.onAuthStateChange((event) => void seen.push(event));
    data.subscription.unsubscribe();
    await client.signInWithPassword({ email: 'u', password: 'right' });
    assert.deepEqual(seen, []);
    client.destroy();
  });
  test('sign-in and sign-out reach the other tabs', async () => {
    const shared = new Map<string, string>();
    const storage: StorageAdapter = { getItem: (k) => shared.get(k) ?? null, setItem: (k, v) => void shared.set(k, v), removeItem: (k) => void shared.delete(k) };
    const provider = fakeAdapter({ key: 'oidc:sync' });
    const a = make({ provider, storage });
    const b = make({ provider, storage });
    await Promise.all([a.client.ready, b.client.ready]);
    await a.client.signInWithPassword({ email: 'u', password: 'right' });
    await until(() => b.client.state.status === 'signed-in', undefined, 'sign-in in tab b');
    await a.client.refreshSession();
    await until(() => b.client.state.session?.access_token === a.client.state.session?.access_token, undefined, 'refresh in tab b');
    await b.client.signOut();
    await until(() => a.client.state.status === 'signed-out', undefined, 'sign-out in tab a');
    assert.deepEqual(b.events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN', 'TOKEN_REFRESHED', 'SIGNED_OUT']);
    assert.deepEqual(a.events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN', 'TOKEN_REFRESHED', 'SIGNED_OUT']);
    a.client.destroy();
    b.client.destroy();
  });
  test('setSession adopts tokens, reading expiry from the JWT', async () => {
    const { client, events } = make();
    const exp = Math.floor(Date.now() / 1000) + 900;
    const result = await client.setSession({ access_token: fakeJwt({ sub: 'adopted', exp }), refresh_token: 'r' });
    assert.equal(result.error, null);
    assert.equal(result.data.user?.id, 'adopted');
    assert.ok(Math.abs(result.data.session!.expires_at - exp) <= 1);
    assert.equal(events.at(-1)![0], 'SIGNED_IN');
    const bad = await client.setSession({ access_token: '' });
    assert.equal(bad.error?.code, 'invalid_request');
    assert.equal(client.state.session?.user.id, 'adopted', 'a bad call leaves the session intact');
    client.destroy();
  });
  test('a configuration error is reported on every action, not thrown', async () => {
    const provider = { ...fakeAdapter(), configError: new AuthError('config', 'no secret') };
    const { client } = make({ provider });
    const result = await client.signInWithPassword({ email: 'u', password: 'right' });
    assert.equal(result.error?.code, 'config');
    const oauth = await client.signInWithOAuth();
    assert.equal(oauth.error?.code, 'config');
    client.destroy();
  });
  test('OAuth: skipBrowserRedirect returns the URL; the id token must carry our nonce', async () => {
    const { client, env, provider } = make();
    const first = await client.signInWithOAuth({ options: { skipBrowserRedirect: true } });
    assert.equal(env.navigations.length, 0);
    const state = new URL(first.data.url!).searchParams.get('state')!;
    const wrong = await client.handleRedirectCallback(`http://127.0.0.1/callback?code=c&state=${state}&test_nonce=forged`);
    assert.equal(wrong.error?.providerCode, 'nonce_mismatch');
    assert.equal(client.state.session, null);
    const second = await client.signInWithOAuth({ options: { skipBrowserRedirect: true } });
    const url = new URL(second.data.url!);
    const ok = await client.handleRedirectCallback(`http://127.0.0.1/callback?code=c&state=${url.searchParams.get('state')}&test_nonce=${url.searchParams.get('nonce')}`);
    assert.equal(ok.error, null);
    assert.equal(provider.calls.exchange, 2);
    client.destroy();
  });
  test('OAuth: a callback URL on a page that started no sign-in is left alone at start-up', async () => {
    const provider = fakeAdapter();
    const env = testEnvironment('http://127.0.0.1/page?code=abc&state=xyz');
    const client = new AuthClient({ provider, storage: 'memory', environment: env });
    await client.ready;
    assert.equal(provider.calls.exchange, 0);
    assert.equal(env.current, 'http://127.0.0.1/page?code=abc&state=xyz');
    const explicit = await client.handleRedirectCallback();
    assert.equal(explicit.error?.code, 'invalid_request');
    client.destroy();
  });
});
