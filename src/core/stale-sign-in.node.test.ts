// Issue 20, L3: a slower sign-in for person A that answers after person B's newer one must not
// take the session over. The newest sign-in action wins; the late answer is dropped as
// `cancelled` (its session is not committed, its error not shown).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter, type FakeAdapter } from '../../test/support/fake-adapter.js';
import { until } from '../../test/support/environment.js';
import { make } from '../../test/support/client.js';
import { AuthError } from '../contract/index.js';
import type { StorageAdapter } from './storage.js';

/** Person `slow`'s sign-in waits until the test releases it (with tokens, or an error). */
function slowFor(provider: FakeAdapter, slow: string) {
  let release!: (outcome?: AuthError) => void;
  const gate = new Promise<AuthError | undefined>((resolve) => (release = resolve));
  let started = false;
  const original = provider.signInWithPassword!.bind(provider);
  provider.signInWithPassword = async (credentials, ctx) => {
    if (credentials.email !== slow) return original(credentials, ctx);
    started = true;
    const failure = await gate;
    if (failure) throw failure;
    return original(credentials, ctx);
  };
  return { release: (outcome?: AuthError) => release(outcome), started: () => started };
}

describe('the newest sign-in wins (L3)', () => {
  test('A is slow, B signs in meanwhile: A\'s late session is dropped, B stays signed in', async () => {
    const { client, provider, storage, events } = make();
    const a = slowFor(provider, 'a@example.com');
    const pendingA = client.signInWithPassword({ email: 'a@example.com', password: 'right' });
    await until(a.started, undefined, 'A reached the backend');
    const b = await client.signInWithPassword({ email: 'b@example.com', password: 'right' });
    assert.equal(b.error, null);
    a.release();
    const late = await pendingA;
    assert.equal(late.error?.code, 'cancelled');
    assert.equal(late.error?.providerCode, 'superseded');
    assert.equal(late.data.session, null);
    assert.equal(client.state.session?.user.id, 'b@example.com');
    assert.equal(JSON.parse((await storage.getItem(`auth-elements:${provider.key}:session`)) as string).user.id, 'b@example.com');
    assert.deepEqual(events.map(([e, s]) => `${e}:${s?.user.id ?? ''}`), ['INITIAL_SESSION:', 'SIGNED_IN:b@example.com']);
    client.destroy();
  });

  test('A\'s late failure is not shown either: it is cancelled, B\'s session untouched', async () => {
    const { client, provider } = make();
    const a = slowFor(provider, 'a@example.com');
    const errors: string[] = [];
    client.subscribe((notice) => notice.type === 'error' && errors.push(notice.error.code));
    const pendingA = client.signInWithPassword({ email: 'a@example.com', password: 'right' });
    await until(a.started, undefined, 'A reached the backend');
    await client.signInWithPassword({ email: 'b@example.com', password: 'right' });
    a.release(new AuthError('invalid_credentials', { remainingAttempts: 1 }));
    assert.equal((await pendingA).error?.code, 'cancelled');
    assert.deepEqual(errors, ['cancelled']);
    assert.equal(client.state.session?.user.id, 'b@example.com');
    client.destroy();
  });

  test('a sign-out while A is on its way: A\'s late answer does not sign anyone back in', async () => {
    const { client, provider } = make();
    await client.signInWithPassword({ email: 'c@example.com', password: 'right' });
    const a = slowFor(provider, 'a@example.com');
    const pendingA = client.signInWithPassword({ email: 'a@example.com', password: 'right' });
    await until(a.started, undefined, 'A reached the backend');
    await client.signOut();
    a.release();
    assert.equal((await pendingA).error?.code, 'cancelled');
    assert.equal(client.state.status, 'signed-out');
    client.destroy();
  });

  test('B signs in in another tab while A is on its way here: this tab keeps B', async () => {
    const shared = new Map<string, string>();
    const storage: StorageAdapter = { getItem: (k) => shared.get(k) ?? null, setItem: (k, v) => void shared.set(k, v), removeItem: (k) => void shared.delete(k) };
    const one = make({ provider: fakeAdapter({ key: 'oidc:l3-tabs' }), storage });
    const two = make({ provider: fakeAdapter({ key: 'oidc:l3-tabs' }), storage });
    await Promise.all([one.client.ready, two.client.ready]);
    const a = slowFor(one.provider, 'a@example.com');
    const pendingA = one.client.signInWithPassword({ email: 'a@example.com', password: 'right' });
    await until(a.started, undefined, 'A reached the backend');
    await two.client.signInWithPassword({ email: 'b@example.com', password: 'right' });
    await until(() => one.client.state.session?.user.id === 'b@example.com', undefined, 'tab one hears of B');
    a.release();
    assert.equal((await pendingA).error?.code, 'cancelled');
    assert.equal(one.client.state.session?.user.id, 'b@example.com');
    assert.equal(JSON.parse(shared.get(`auth-elements:oidc:l3-tabs:session`)!).user.id, 'b@example.com');
    one.client.destroy();
    two.client.destroy();
  });

  test('one sign-in at a time is unaffected: a step, then its answer, then the session', async () => {
    const provider = fakeAdapter();
    provider.steps['d@example.com'] = { kind: 'password_change', required: true, context: {} };
    const { client } = make({ provider });
    const first = await client.signInWithPassword({ email: 'd@example.com', password: 'right' });
    assert.equal(first.data.step?.kind, 'password_change');
    const changed = await client.changePassword({ oldPassword: 'right', newPassword: 'new-Passw0rd' });
    assert.equal(changed.error, null);
    assert.equal(client.state.session?.user.id, 'd@example.com');
    client.destroy();
  });
});
