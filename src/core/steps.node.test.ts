import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeProvider } from '../../test/support/fake-provider.js';
import { testEnvironment } from '../../test/support/environment.js';
import { AuthClient } from './client.js';
import type { AuthChangeEvent } from './events.js';
import { checkPassword } from './steps.js';

function make() {
  const provider = fakeProvider();
  const client = new AuthClient({ provider, storage: 'memory', environment: testEnvironment() });
  const events: AuthChangeEvent[] = [];
  client.onAuthStateChange((event) => void events.push(event));
  return { client, provider, events };
}

describe('one-time codes, sign-up and multi-step sign-in', () => {
  test('signInWithOtp → verifyOtp, CloudBase v3 shape', async () => {
    const { client, provider, events } = make();
    await client.ready;
    const { data, error } = await client.signInWithOtp({ phone: '+8613800000000' });
    assert.equal(error, null);
    assert.equal(data.channel, 'sms');
    assert.equal(data.resendAfter, 60);
    assert.deepEqual(provider.calls.sent, [{ channel: 'sms', to: '+8613800000000' }]);
    const wrong = await data.verifyOtp!({ token: '000000' });
    assert.equal(wrong.error?.code, 'invalid_code');
    assert.equal(client.state.status, 'signed-out');
    const right = await data.verifyOtp!({ token: ' 123456 ' });
    assert.equal(right.error, null);
    assert.equal(right.data.user?.id, '+8613800000000');
    assert.deepEqual(events, ['INITIAL_SESSION', 'SIGNED_IN']);
    client.destroy();
  });

  test('signInWithOtp checks its input and the channel', async () => {
    const { client } = make();
    assert.equal((await client.signInWithOtp({})).error?.code, 'invalid_request');
    assert.equal((await client.signInWithOtp({ email: 'unknown@example.com', options: { shouldCreateUser: false } })).error?.code, 'user_not_found');
    assert.equal((await client.verifyOtp({ token: '1' })).error?.code, 'code_expired', 'no code was sent');
    client.destroy();
  });

  test('signUp that verifies first answers with verifyOtp', async () => {
    const { client } = make();
    const taken = await client.signUp({ email: 'taken@example.com', password: 'x' });
    assert.equal(taken.error?.code, 'user_exists');
    const started = await client.signUp({ email: 'new@example.com', password: 'x' });
    assert.equal(started.error, null);
    const verify = (started.data as { verifyOtp: (p: { token: string }) => Promise<{ error: unknown }> }).verifyOtp;
    assert.equal((await verify({ token: '654321' })).error, null);
    assert.equal(client.state.user?.id, 'new@example.com');
    client.destroy();
  });

  test('an expired password: the policy is checked before sending, then the client signs in with the new one', async () => {
    const { client, provider, events } = make();
    provider.steps['old@example.com'] = { step: 'password_change', required: true, policy: { minLength: 8, pattern: '(?=.*\\d).+', tip: 'At least 8 characters and a digit' }, context: 'state-token' };
    const first = await client.signInWithPassword({ email: 'old@example.com', password: 'right' });
    assert.equal(first.error, null);
    assert.equal(first.data.step?.step, 'password_change');
    assert.equal(client.state.pending?.step, 'password_change');
    assert.equal((await client.skipPasswordChange()).error?.code, 'invalid_request', 'an expired password cannot be skipped');
    const weak = await client.changePassword({ oldPassword: 'right', newPassword: 'short' });
    assert.equal(weak.error?.code, 'password_policy');
    assert.equal(weak.error?.message, 'At least 8 characters and a digit');
    assert.equal(provider.calls.changed.length, 0, 'nothing sent for a password the policy refuses');
    const done = await client.changePassword({ oldPassword: 'right', newPassword: 'new-Passw0rd' });
    assert.equal(done.error, null);
    assert.deepEqual(provider.calls.changed, [{ oldPassword: 'right', newPassword: 'new-Passw0rd' }]);
    assert.equal(client.state.status, 'signed-in');
    assert.equal(client.state.pending, null);
    assert.deepEqual(events, ['INITIAL_SESSION', 'SIGNED_IN']);
    client.destroy();
  });

  test('an expiring password may be skipped', async () => {
    const { client, provider } = make();
    provider.steps['warn@example.com'] = { step: 'password_change', required: false, context: 'state' };
    await client.signInWithPassword({ email: 'warn@example.com', password: 'right' });
    const skipped = await client.skipPasswordChange();
    assert.equal(skipped.error, null);
    assert.equal(client.state.status, 'signed-in');
    client.destroy();
  });

  test('a second factor: send, wrong code keeps the step, right code signs in; cancel clears it', async () => {
    const { client, provider } = make();
    provider.steps['mfa@example.com'] = { step: 'second_factor', methods: ['sms'], target: '138****0000', context: 'fid' };
    await client.signInWithPassword({ email: 'mfa@example.com', password: 'right' });
    assert.equal(client.state.pending?.step, 'second_factor');
    const sent = await client.sendSecondFactor({ method: 'sms' });
    assert.equal(sent.data.channel, 'sms');
    assert.equal((await client.verifySecondFactor({ code: '111111' })).error?.code, 'invalid_code');
    assert.equal(client.state.pending?.step, 'second_factor');
    assert.equal((await client.verifySecondFactor({ code: '999999' })).error, null);
    assert.equal(client.state.user?.id, 'mfa-user');
    await client.signInWithPassword({ email: 'mfa@example.com', password: 'right' });
    client.cancelStep();
    assert.equal(client.state.pending, null);
    client.destroy();
  });

  test('anonymous sign-in and password recovery', async () => {
    const { client } = make();
    assert.equal((await client.resetPassword({ email: 'a@example.com' })).data.sent, true);
    assert.equal((await client.signInAnonymously()).data.user?.id, 'anonymous-1');
    client.destroy();
  });

  test('checkPassword', () => {
    assert.equal(checkPassword('abc', { minLength: 4 }), 'too_short');
    assert.equal(checkPassword('abcdef', { maxLength: 4 }), 'too_long');
    assert.equal(checkPassword('abcdef', { pattern: '[a-z]+\\d' }), 'pattern');
    assert.equal(checkPassword('abcde1', { pattern: '[a-z]+\\d' }), null);
    assert.equal(checkPassword('x', { pattern: '(' }), null, 'an uncompilable pattern is left to the server');
    assert.equal(checkPassword('x', undefined), null);
  });
});
