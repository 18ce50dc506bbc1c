// Refresh: one request per expiry, in a tab and across tabs, on a fake clock; what ends a session.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter, fakeJwt } from '../../test/support/fake-adapter.js';
import { fakeClock } from '../../test/support/clock.js';
import { until } from '../../test/support/environment.js';
import { AuthError } from '../contract/index.js';
import { key, make } from '../../test/support/client.js';
import type { StorageAdapter } from './storage.js';

describe('AuthClient refresh', () => {
  test('refresh is scheduled before expiry and emits TOKEN_REFRESHED', async (t) => {
    const clock = fakeClock(t);
    const provider = fakeAdapter({ lifetime: 2 }); // margin: min(60, 1) = 1 s
    const { client, events } = make({ provider });
    const first = (await client.signInWithPassword({ email: 'u', password: 'right' })).data.session!;
    clock.tick(1000); // the refresh time: 1 s before expiry; the timer fires now or never
    await until(() => events.some(([e]) => e === 'TOKEN_REFRESHED'), undefined, 'TOKEN_REFRESHED');
    assert.ok(Date.now() / 1000 < first.expires_at, 'refreshed before the old token expired');
    assert.equal(provider.calls.refresh, 1);
    assert.equal(client.state.session?.user.id, 'u', 'the user survives a refresh without an id token');
    client.destroy();
  });
  test('a hidden tab does not refresh, and catches up when shown', async (t) => {
    const clock = fakeClock(t);
    const provider = fakeAdapter({ lifetime: 2 });
    const { client, env, events } = make({ provider });
    // A visible tab with the same timer: once its refresh is through, a refresh the hidden tab's
    // timer (which fires first) had started would have reached its backend too.
    const visible = make({ provider: fakeAdapter({ lifetime: 2 }) });
    env.setHidden(true);
    await client.signInWithPassword({ email: 'u', password: 'right' });
    await visible.client.signInWithPassword({ email: 'u', password: 'right' });
    clock.tick(1000); // both refresh timers come due
    await until(() => visible.events.some(([e]) => e === 'TOKEN_REFRESHED'), undefined, 'the visible tab\'s refresh');
    assert.equal(provider.calls.refresh, 0);
    env.setHidden(false);
    await until(() => events.some(([e]) => e === 'TOKEN_REFRESHED'), undefined, 'catch-up refresh');
    assert.equal(provider.calls.refresh, 1);
    client.destroy();
    visible.client.destroy();
  });
  test('a network failure during refresh keeps the session and retries with backoff', async (t) => {
    const clock = fakeClock(t);
    const provider = fakeAdapter({ lifetime: 2 });
    provider.refreshWith.push(new AuthError('network', 'offline'), new AuthError('timeout', 'slow'));
    const { client, events } = make({ provider, refresh: { retryBase: 50, retryCap: 100 } });
    await client.signInWithPassword({ email: 'u', password: 'right' });
    clock.tick(1000); // the first, failing refresh
    // Each retry is armed only once the failure is handled: move time on in steps until done.
    await clock.advanceUntil(() => events.some(([e]) => e === 'TOKEN_REFRESHED'), 'refresh after retries', 25);
    assert.equal(provider.calls.refresh, 3);
    assert.ok(!events.some(([e]) => e === 'SIGNED_OUT'));
    client.destroy();
  });
  test('a forced refresh that fails long before expiry does not lose the timer aimed at the refresh time', async (t) => {
    const clock = fakeClock(t);
    const provider = fakeAdapter({ lifetime: 60 }); // margin 30 s: due at 30 s
    provider.refreshWith.push(new AuthError('network', 'offline'));
    const { client, events } = make({ provider, refresh: { retryBase: 1000, retryCap: 1000 } });
    await client.signInWithPassword({ email: 'u', password: 'right' });
    assert.equal((await client.refreshSession()).error?.code, 'network');
    // The backoff's retry comes at 0.5-1 s, long before the session is due: it sends nothing, and
    // the timer must still fire at 30 s (it used to be spent on the retry, and nothing refreshed).
    await clock.advanceUntil(() => events.some(([e]) => e === 'TOKEN_REFRESHED'), 'the refresh at its time', 200);
    assert.equal(provider.calls.refresh, 2);
    assert.ok(!events.some(([e]) => e === 'SIGNED_OUT'));
    client.destroy();
  });
  test('only an authoritative rejection during refresh signs out', async () => {
    const provider = fakeAdapter();
    provider.refreshWith.push(new AuthError('server', 'HTTP 500'), new AuthError('session_expired', 'invalid_grant'));
    const { client, events } = make({ provider });
    await client.signInWithPassword({ email: 'u', password: 'right' });
    const first = await client.refreshSession();
    assert.equal(first.error?.code, 'server');
    assert.equal(client.state.status, 'signed-in');
    const second = await client.refreshSession();
    assert.equal(second.error?.code, 'session_expired');
    assert.equal(client.state.status, 'signed-out');
    assert.deepEqual(events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT']);
    client.destroy();
  });
  test('a refresh that finishes after sign-out does not bring the session back', async () => {
    const provider = fakeAdapter();
    let release!: () => void;
    provider.refreshWith.push(() => new Promise((resolve) => (release = () => resolve(provider.tokens()))));
    const { client } = make({ provider });
    await client.signInWithPassword({ email: 'u', password: 'right' });
    const refreshing = client.refreshSession();
    await until(() => !!release);
    await client.signOut();
    release();
    await refreshing;
    assert.equal(client.state.status, 'signed-out');
    client.destroy();
  });
  test('within a tab, concurrent refreshes make one request', async () => {
    const { client, provider } = make();
    await client.signInWithPassword({ email: 'u', password: 'right' });
    await Promise.all([client.refreshSession(), client.refreshSession(), client.refreshSession()]);
    assert.equal(provider.calls.refresh, 1);
    client.destroy();
  });
  test('two tabs refreshing at once make exactly one refresh request', async () => {
    // Two clients over one shared store stand for two tabs; BroadcastChannel links them.
    const shared = new Map<string, string>();
    const storage: StorageAdapter = { getItem: (k) => shared.get(k) ?? null, setItem: (k, v) => void shared.set(k, v), removeItem: (k) => void shared.delete(k) };
    const provider = fakeAdapter({ key: 'oidc:two-tabs' });
    const a = make({ provider, storage });
    await a.client.signInWithPassword({ email: 'u', password: 'right' });
    // Make the stored session due, then start the second tab from it.
    const due = { ...a.client.state.session!, expires_at: Math.floor(Date.now() / 1000) + 5 };
    shared.set(key(provider), JSON.stringify(due));
    const b = make({ provider, storage, autoRefresh: false });
    const c = make({ provider, storage, autoRefresh: false });
    await Promise.all([b.client.ready, c.client.ready]);
    assert.equal(provider.calls.refresh, 1);
    assert.equal(b.client.state.session?.access_token, c.client.state.session?.access_token);
    await Promise.all([b.client.getSession(), c.client.getSession(), a.client.getSession()]);
    assert.equal(provider.calls.refresh, 1);
    for (const tab of [a, b, c]) tab.client.destroy();
  });
  test('a session that cannot be refreshed stands until it expires, then ends on its own', async (t) => {
    const clock = fakeClock(t);
    const provider = fakeAdapter();
    const { client, events } = make({ provider });
    const exp = Math.floor(Date.now() / 1000) + 2;
    await client.setSession({ access_token: fakeJwt({ sub: 'no-refresh', exp }) });
    const early = await client.refreshSession();
    assert.equal(early.error?.code, 'unsupported');
    assert.equal(client.state.status, 'signed-in', 'an explicit refresh that cannot happen keeps the session');
    clock.tick(2000); // expiry: its timer ends the session
    await until(() => client.state.status === 'signed-out', undefined, 'sign-out at expiry');
    assert.deepEqual(events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT']);
    assert.equal(provider.calls.refresh, 0);
    client.destroy();
  });
});
