import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment } from '../../test/support/environment.js';
import type { AuthChangeEvent, Language } from '../contract/index.js';
import { AuthClient } from './client.js';
import { checkPassword } from './util/password-policy.js';
import { loadLanguage } from '../i18n/index.js';

function make(lang: Language = 'en') {
  const provider = fakeAdapter();
  const client = new AuthClient({ provider, storage: 'memory', environment: testEnvironment(), lang });
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
    const right = await data.verifyOtp!({ token: ' 123 456 ' });
    assert.equal(right.error, null);
    assert.equal(right.data.user?.id, '+8613800000000');
    assert.deepEqual(events, ['INITIAL_SESSION', 'SIGNED_IN']);
    client.destroy();
  });

  test('signInWithOtp checks its input and the channel', async () => {
    const { client } = make();
    const missing = await client.signInWithOtp({});
    assert.equal(missing.error?.code, 'invalid_request');
    assert.deepEqual(missing.error?.invalid, { phone: 'required' });
    assert.equal(missing.error?.fields?.phone, 'Please fill in this field.');
    assert.equal((await client.signInWithOtp({ email: 'unknown@example.com', options: { shouldCreateUser: false } })).error?.code, 'user_not_found');
    assert.equal((await client.verifyOtp({ token: '1' })).error?.code, 'code_expired', 'no code was sent');
    client.destroy();
  });

  test('a sign-up that verifies first is a verify_sign_up step; the code signs in', async () => {
    const { client, events } = make();
    await client.ready;
    const taken = await client.signUp({ email: 'taken@example.com', password: 'x' });
    assert.equal(taken.error?.code, 'user_exists');
    assert.equal(taken.error?.fields?.email, 'This is already in use by another account.');
    const started = await client.signUp({ email: 'new@example.com', password: 'x' });
    assert.equal(started.error, null);
    assert.equal(started.data.step?.kind, 'verify_sign_up');
    assert.equal(started.data.step?.origin, 'sign_up');
    assert.equal(client.state.pending?.kind, 'verify_sign_up');
    assert.equal(client.state.pending?.kind === 'verify_sign_up' && client.state.pending.target, 'new@example.com');
    assert.equal((await client.verifyOtp({ token: '000000' })).error?.code, 'invalid_code');
    assert.equal(client.state.pending?.kind, 'verify_sign_up', 'a wrong code keeps the step');
    assert.equal((await client.resendSignUpCode()).data.step?.kind, 'verify_sign_up');
    assert.equal((await client.verifyOtp({ token: '654321' })).error, null);
    assert.equal(client.state.user?.id, 'new@example.com');
    assert.equal(client.state.pending, null);
    assert.deepEqual(events, ['INITIAL_SESSION', 'SIGNED_IN']);
    client.destroy();
  });

  test('an expired password: the policy is checked before sending, then the client signs in with the new one', async () => {
    const { client, provider, events } = make();
    provider.steps['old@example.com'] = { kind: 'password_change', required: true, policy: { minLength: 8, pattern: '(?=.*\\d).+', tip: 'At least 8 characters and a digit' }, context: 'state-token' };
    const first = await client.signInWithPassword({ email: 'old@example.com', password: 'right' });
    assert.equal(first.error, null);
    assert.equal(first.data.step?.kind, 'password_change');
    assert.equal(client.state.pending?.kind, 'password_change');
    assert.equal((await client.skipPasswordChange()).error?.code, 'invalid_request', 'an expired password cannot be skipped');
    const weak = await client.changePassword({ oldPassword: 'right', newPassword: 'short' });
    assert.equal(weak.error?.code, 'password_policy');
    assert.deepEqual(weak.error?.invalid, { newPassword: 'too_short' });
    assert.equal(weak.error?.message, 'This password does not meet the rules. Rules from the sign-in service: At least 8 characters and a digit');
    assert.equal(weak.error?.fields?.newPassword, 'At least 8 characters.');
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
    provider.steps['warn@example.com'] = { kind: 'password_change', required: false, context: 'state' };
    await client.signInWithPassword({ email: 'warn@example.com', password: 'right' });
    const skipped = await client.skipPasswordChange();
    assert.equal(skipped.error, null);
    assert.equal(client.state.status, 'signed-in');
    client.destroy();
  });

  test('a second factor: send, wrong code keeps the step, right code signs in; cancel clears it', async () => {
    const { client, provider } = make();
    provider.steps['mfa@example.com'] = { kind: 'second_factor', methods: ['sms'], target: '138****0000', context: 'fid' };
    await client.signInWithPassword({ email: 'mfa@example.com', password: 'right' });
    assert.equal(client.state.pending?.kind, 'second_factor');
    const sent = await client.sendSecondFactor({ method: 'sms' });
    assert.equal(sent.data.channel, 'sms');
    assert.equal((await client.verifySecondFactor({ code: '111111' })).error?.code, 'invalid_code');
    assert.equal(client.state.pending?.kind, 'second_factor');
    assert.equal((await client.verifySecondFactor({ code: '999999' })).error, null);
    assert.equal(client.state.user?.id, 'mfa-user');
    await client.signInWithPassword({ email: 'mfa@example.com', password: 'right' });
    client.cancelStep();
    assert.equal(client.state.pending, null);
    client.destroy();
  });

  test('a captcha interrupting a sign-in: a wrong answer brings a new image and an error, the right one sends the same call again', async () => {
    const { client, provider, events } = make();
    await client.ready;
    provider.captchaFor.add('bot@example.com');
    const earlier = new AbortController();
    const first = await client.signInWithPassword({ email: 'bot@example.com', password: 'right' }, { signal: earlier.signal });
    // An element cancels its earlier action (and that action's signal) when it starts the next one.
    earlier.abort();
    assert.equal(first.error, null);
    assert.equal(first.data.step?.kind, 'captcha');
    assert.equal(client.state.pending?.kind, 'captcha');
    assert.equal(client.state.pending?.origin, 'sign_in');
    assert.equal((await client.answerCaptcha({ text: ' ' })).error?.code, 'captcha_required', 'nothing typed');
    const wrong = await client.answerCaptcha({ text: 'robot' });
    assert.equal(wrong.error?.code, 'captcha_required');
    assert.deepEqual(wrong.error?.invalid, { captcha: 'invalid' });
    assert.equal(client.state.pending?.kind, 'captcha', 'still asked, with a new image');
    assert.equal(provider.calls.password, 2);
    const right = await client.answerCaptcha({ text: 'human' });
    assert.equal(right.error, null);
    assert.equal(client.state.status, 'signed-in');
    assert.equal(client.state.pending, null);
    assert.equal(provider.calls.password, 3, 'the same sign-in, sent again');
    assert.deepEqual(events, ['INITIAL_SESSION', 'SIGNED_IN']);
    client.destroy();
  });

  test('a captcha on a code send: answering it sends the code and hands back verifyOtp', async () => {
    const { client, provider } = make();
    provider.captchaFor.add('+8613800000001');
    const first = await client.signInWithOtp({ phone: '+8613800000001' });
    assert.equal(first.data.step?.kind, 'captcha');
    assert.equal(first.data.step?.origin, 'otp');
    assert.equal(provider.calls.sent.length, 0, 'no code went out before the check');
    const answered = await client.answerCaptcha({ text: 'human' });
    assert.equal(answered.error, null);
    assert.equal(client.state.pending, null);
    const started = answered.data as { channel: string; verifyOtp: (p: { token: string }) => Promise<{ error: unknown }> };
    assert.equal(started.channel, 'sms');
    assert.equal(provider.calls.sent.length, 1);
    assert.equal((await started.verifyOtp({ token: '123456' })).error, null);
    assert.equal(client.state.status, 'signed-in');
    client.destroy();
  });

  test('consent: agreeing sends the interrupted sign-in again with the agreement', async () => {
    const { client, provider } = make();
    provider.consentFor.add('terms@example.com');
    const first = await client.signInWithPassword({ email: 'terms@example.com', password: 'right' });
    assert.equal(first.data.step?.kind, 'consent');
    assert.equal((await client.answerCaptcha({ text: 'x' })).error?.code, 'invalid_request', 'not a captcha step');
    const agreed = await client.agreeToTerms();
    assert.equal(agreed.error, null);
    assert.equal(client.state.status, 'signed-in');
    assert.equal(provider.calls.password, 2);
    client.destroy();
  });

  test('password recovery by code: the step, the code and the new password, PASSWORD_RECOVERY then SIGNED_IN', async () => {
    const { client, provider, events } = make();
    await client.ready;
    const started = await client.resetPasswordForEmail('right@example.com');
    assert.equal(started.error, null);
    assert.equal(started.data.step?.kind, 'recovery');
    assert.equal(client.state.pending?.kind === 'recovery' && client.state.pending.delivery, 'code');
    assert.equal((await client.completeRecovery({ code: '000000', newPassword: 'new-Passw0rd' })).error?.code, 'invalid_code');
    assert.equal((await client.completeRecovery({ code: '112233', newPassword: '' })).error?.code, 'invalid_request');
    const done = await client.completeRecovery({ code: '112233', newPassword: 'new-Passw0rd' });
    assert.equal(done.error, null);
    assert.deepEqual(provider.calls.changed, [{ oldPassword: '', newPassword: 'new-Passw0rd' }]);
    assert.equal(client.state.status, 'signed-in');
    assert.deepEqual(events, ['INITIAL_SESSION', 'PASSWORD_RECOVERY', 'SIGNED_IN']);
    client.destroy();
  });

  test('anonymous sign-in', async () => {
    const { client } = make();
    assert.equal((await client.signInAnonymously()).data.user?.id, 'anonymous-1');
    client.destroy();
  });

  test('AuthError.message is written in the client\'s language, with what the backend said', async () => {
    for (const [lang, expected] of [['en', 'The sign-in details are not correct. 2 attempts left.'], ['zh-CN', '账号或密码不正确。还可尝试 2 次。']] as const) {
      const { client } = make(lang);
      const { error } = await client.signInWithPassword({ email: 'a@example.com', password: 'wrong' });
      assert.equal(error?.code, 'invalid_credentials');
      assert.equal(error?.message, expected);
      client.lang = lang === 'en' ? 'zh-CN' : 'en';
      await loadLanguage(client.lang); // Chinese is its own chunk
      const again = await client.signInWithPassword({ email: 'a@example.com', password: 'wrong' });
      assert.notEqual(again.error?.message, expected, 'a new language is used from the next call on');
      client.destroy();
    }
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
