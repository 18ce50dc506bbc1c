// The alibaba-idaas code, registration, refresh, social and lock-out flows over real HTTP
// (AuthClient → relay → reference server).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testEnvironment, until } from '../../../test/support/environment.js';
import { fakeClock } from '../../../test/support/clock.js';
import { AuthClient } from '../../core/client.js';
import { alibabaIdaasProvider } from './alibaba-idaas.js';
import { CALLBACK, IDAAS_APP_ID, PASSWORD, SOCIAL, stack, type Stack } from './stack.node.test.js';

describe('alibaba-idaas codes, registration, refresh, social', () => {
  let s: Stack;
  before(async () => {
    s = await stack();
  });
  after(() => s.close());

  test('SMS code login; second send within the interval is rate_limited with retryAfter', async () => {
    const { client } = s.client();
    const sent = await client.signInWithOtp({ phone: '+8613800000020' });
    assert.equal(sent.error, null);
    assert.equal(sent.data.channel, 'sms');
    assert.equal(sent.data.expiresIn, 300);
    const throttled = await s.client().client.signInWithOtp({ phone: '13800000020' });
    assert.equal(throttled.error?.code, 'rate_limited');
    assert.equal(throttled.error?.providerCode, 'Throttling');
    assert.equal(throttled.error?.status, 429);
    assert.ok(throttled.error!.retryAfter! > 0 && throttled.error!.retryAfter! <= 60);
    const done = await sent.data.verifyOtp!({ token: s.code('+8613800000020')! });
    assert.equal(done.error, null);
    assert.equal(done.data.session?.user.phone, '13800000020');
  });

  test('email code login; unknown contact is user_not_found; expired code is code_expired', async () => {
    const { client } = s.client();
    const sent = await client.signInWithOtp({ email: 'demo@alibaba.example' });
    assert.equal(sent.error, null);
    assert.equal(sent.data.channel, 'email');
    s.backend.clock.advance(301_000);
    const late = await sent.data.verifyOtp!({ token: s.code('demo@alibaba.example')! });
    assert.equal(late.error?.code, 'code_expired');
    assert.equal(late.error?.providerCode, 'Operation.Failure.Code.Expired');
    const unknown = await client.signInWithOtp({ email: 'nobody@alibaba.example' });
    assert.equal(unknown.error?.code, 'user_not_found');
    const bad = await client.signInWithOtp({ phone: '+861' });
    assert.equal(bad.error?.code, 'invalid_request');
    assert.equal(bad.error?.providerCode, 'Params.Illegal');
    assert.deepEqual(bad.error?.invalid, { phone: 'invalid_phone' });
  });

  test('registration by code with a password, then password login; existing contact is user_exists', async () => {
    const { client } = s.client();
    const started = await client.signUp({ email: 'new@alibaba.example', password: 'new-password-1' });
    assert.equal(started.error, null);
    const step = started.data.step!;
    assert.equal(step.kind, 'verify_sign_up');
    assert.ok(step.kind === 'verify_sign_up' && step.channel === 'email' && step.expiresIn === 300);
    assert.equal(JSON.stringify(started.data).includes('new-password-1'), false);
    assert.equal(JSON.stringify(client.state.pending).includes('new-password-1'), false);
    const done = await client.verifyOtp({ token: s.code('new@alibaba.example')! });
    assert.equal(done.error, null);
    const id = done.data.session!.user.id;
    const again = await s.client().client.signInWithPassword({ email: 'new@alibaba.example', password: 'new-password-1' });
    assert.equal(again.data.session?.user.id, id);
    const exists = await s.client().client.signUp({ phone: '+8613800000020' });
    assert.equal(exists.error?.code, 'user_exists');
    assert.equal(exists.error?.providerCode, 'Operation.Failure.User.Exist');
  });

  test('wrong codes burn the code: too_many_attempts', async () => {
    const { client } = s.client();
    const started = await client.signUp({ phone: '+8613900000099' });
    assert.equal(started.error, null);
    const right = s.code('+8613900000099')!;
    const wrongCode = right === '000000' ? '111111' : '000000';
    const results: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++) results.push((await client.verifyOtp({ token: wrongCode })).error?.code);
    assert.deepEqual(results, ['invalid_code', 'invalid_code', 'invalid_code', 'invalid_code', 'too_many_attempts']);
  });

  test('refreshSession: new tokens through the relay, same user; a spent refresh token is session_expired', async () => {
    const { client, events } = s.client();
    const first = (await client.signInWithPassword({ username: 'demo', password: PASSWORD })).data.session!;
    const { data, error } = await client.refreshSession();
    assert.equal(error, null);
    assert.notEqual(data.session!.access_token, first.access_token);
    assert.notEqual(data.session!.refresh_token, first.refresh_token);
    assert.equal(data.session!.user.id, first.user.id);
    assert.equal(events.at(-1), 'TOKEN_REFRESHED');
    const other = s.client().client;
    await other.ready;
    await other.setSession({ ...first });
    const stale = await other.refreshSession();
    assert.equal(stale.error?.code, 'session_expired');
    assert.equal(stale.error?.providerCode, 'invalid_grant');
    assert.equal(other.state.status, 'signed-out');
  });

  test('sign-out clears the session (no browser-side revocation exists)', async () => {
    const { client, events } = s.client();
    await client.signInWithPassword({ username: 'demo', password: PASSWORD });
    await client.signOut();
    assert.equal(client.state.session, null);
    assert.equal(events.at(-1), 'SIGNED_OUT');
  });

  test('social login completes on return; an unbound identity is user_not_found', async () => {
    const { client, env } = s.client();
    const started = await client.signInWithOAuth({ provider: SOCIAL, options: { redirectTo: CALLBACK } });
    assert.equal(started.error, null);
    const authorize = new URL(env.navigations[0]!);
    authorize.searchParams.set('identity', 'wx_demo');
    const back = await fetch(authorize, { redirect: 'manual' });
    const done = await client.handleRedirectCallback(back.headers.get('location')!);
    assert.equal(done.error, null);
    assert.equal(done.data.session?.provider, 'alibaba-idaas');

    const second = s.client();
    await second.client.signInWithOAuth({ provider: SOCIAL, options: { redirectTo: CALLBACK } });
    const unbound = new URL(second.env.navigations[0]!);
    unbound.searchParams.set('identity', 'wx_new');
    const back2 = await fetch(unbound, { redirect: 'manual' });
    const refused = await second.client.handleRedirectCallback(back2.headers.get('location')!);
    assert.equal(refused.error?.code, 'user_not_found');
    assert.equal(refused.error?.providerCode, 'Operation.Failure.IDaaS.NoUser');
  });

  test('login page config; a wrong idaasAppId is invalid_client → config', async () => {
    const good = s.client();
    const config = await good.provider.loginPageConfig({ http: good.client.http, lang: 'en' });
    assert.equal(config.idaasAppId, IDAAS_APP_ID);
    const bad = s.client({ idaasAppId: 'app_nope' });
    await assert.rejects(bad.provider.loginPageConfig({ http: bad.client.http, lang: 'en' }), (e: { code: string; providerCode: string }) => e.code === 'config' && e.providerCode === 'invalid_client');
  });

  test('an origin the relay does not allow is a config error', async () => {
    const provider = alibabaIdaasProvider(s.settings);
    const c = new AuthClient({ provider, storage: 'memory', environment: testEnvironment(), autoRefresh: false, http: { fetch: (i, init = {}) => fetch(i, { ...init, headers: { ...(init.headers as object), origin: 'http://evil.example' } }) } });
    const result = await c.signInWithPassword({ username: 'demo', password: PASSWORD });
    assert.equal(result.error?.code, 'config');
    assert.equal(result.error?.providerCode, 'origin_not_allowed');
    c.destroy();
  });

});

describe('alibaba-idaas lock-out and automatic refresh', () => {
  let s: Stack;
  before(async () => {
    s = await stack({ maxPasswordFailures: 2, lockoutSeconds: 120, accessTokenTtlSeconds: 2 });
  });
  after(() => s.close());

  test('failures lock the account: account_locked with lockedUntil and retryAfter', async () => {
    const { client } = s.client();
    await client.signInWithPassword({ username: 'demo', password: 'wrong-1' });
    const second = await client.signInWithPassword({ username: 'demo', password: 'wrong-2' });
    assert.equal(second.error?.code, 'account_locked');
    const third = await client.signInWithPassword({ username: 'demo', password: PASSWORD });
    assert.equal(third.error?.code, 'account_locked');
    assert.ok(third.error!.retryAfter! > 100);
    assert.ok(third.error!.lockedUntil! > Date.now() / 1000 + 100);
  });

  test('agreeConsent setting: NEED_AGREE_CONSENT is answered by resending once; a 2-second token is refreshed on its own', async (t) => {
    // Client, relay and emulation share a fake clock: the token's 2 s pass when the test says so.
    const clock = fakeClock(t);
    const asked = await s.client().client.signInWithPassword({ username: 'consent', password: PASSWORD });
    assert.equal(asked.data.step?.kind, 'consent');
    const { client, events } = s.client({ agreeConsent: true }, { autoRefresh: true });
    const agreed = await client.signInWithPassword({ username: 'consent', password: PASSWORD });
    assert.equal(agreed.error, null);
    assert.equal(agreed.data.step, undefined);
    const before = client.state.session!;
    assert.equal(before.expires_in, 2);
    clock.tick(1000); // the refresh time: half the lifetime before expiry
    await until(() => events.includes('TOKEN_REFRESHED'), undefined, 'TOKEN_REFRESHED');
    assert.ok(Date.now() / 1000 < before.expires_at, 'refreshed before the old token expired');
    assert.notEqual(client.state.session!.access_token, before.access_token);
    assert.ok(client.state.session!.expires_at >= before.expires_at);
  });
});

describe('alibaba-idaas password recovery, sign-up resend, a non-default application', () => {
  let s: Stack;
  before(async () => {
    s = await stack();
  });
  after(() => s.close());

  test('recovery by SMS code: a wrong code is refused, the right one sets the password, then the person is signed in', async () => {
    const { client, events } = s.client();
    const started = await client.resetPasswordForEmail('+8613800000021');
    assert.equal(started.error, null);
    const step = started.data.step!;
    assert.ok(step.kind === 'recovery' && step.stage === 'verify' && step.delivery === 'code' && step.channel === 'sms');
    const code = s.code('+8613800000021')!;
    const wrong = await client.completeRecovery({ code: code === '000000' ? '111111' : '000000', newPassword: 'changed-pass-1' });
    assert.equal(wrong.error?.code, 'invalid_code');
    assert.equal(client.state.pending?.kind, 'recovery', 'the code may be typed again');
    const done = await client.completeRecovery({ code, newPassword: 'changed-pass-1' });
    // The mfa account asks for its second factor after the new password: the sign-in goes on as usual.
    assert.equal(done.error, null);
    assert.equal(done.data.step?.kind, 'second_factor');
    assert.ok(events.includes('PASSWORD_RECOVERY'));
    const fresh = await s.client().client.signInWithPassword({ username: 'mfa', password: 'changed-pass-1' });
    assert.equal(fresh.data.step?.kind, 'second_factor');
  });

  test('recovery of an unknown contact: the same step, and any code is refused the way a wrong one is', async () => {
    const { client } = s.client();
    const unknown = await client.resetPasswordForEmail('nobody@alibaba.example');
    assert.equal(unknown.error, null);
    assert.deepEqual({ ...unknown.data.step, context: undefined, origin: undefined }, { kind: 'recovery', stage: 'verify', delivery: 'code', channel: 'email', target: 'nobody@alibaba.example', context: undefined, origin: undefined });
    const refused = await client.completeRecovery({ code: '123456', newPassword: 'changed-pass-2' });
    const known = s.client().client;
    const sent = await known.resetPasswordForEmail('demo@alibaba.example');
    assert.deepEqual(Object.keys(sent.data.step!).sort(), Object.keys(unknown.data.step!).sort(), 'nothing in the step tells the two apart');
    const wrongKnown = await known.completeRecovery({ code: s.code('demo@alibaba.example') === '123456' ? '654321' : '123456', newPassword: 'changed-pass-2' });
    assert.equal(refused.error?.code, 'invalid_code');
    assert.equal(refused.error?.message, wrongKnown.error?.message);
  });

  test('the sign-up code sent again stays in the same registration (fId) and keeps the password', async () => {
    const { client } = s.client();
    const first = await client.signUp({ phone: '+8613900000077', password: 'resend-pass-1' });
    assert.equal(first.error, null);
    const fId = (first.data.step!.context as { fId: string }).fId;
    s.backend.clock.advance(61_000); // past the send interval
    const again = await client.resendSignUpCode();
    assert.equal(again.error, null);
    assert.equal((again.data.step!.context as { fId: string }).fId, fId);
    assert.equal(again.data.step!.kind === 'verify_sign_up' && again.data.step!.target, '+8613900000077');
    const done = await client.verifyOtp({ token: s.code('+8613900000077')! });
    assert.equal(done.error, null);
    assert.equal((await s.client().client.signInWithPassword({ phone: '+8613900000077', password: 'resend-pass-1' })).error, null);
  });

  test('a non-default application: the social sign-in names it in state (ID:{idaasAppId})', async () => {
    const { client, env } = s.client({ idaasAppId: 'app_other', nonDefaultApp: true });
    await client.signInWithOAuth({ provider: SOCIAL, options: { redirectTo: CALLBACK } });
    const authorize = new URL(env.navigations[0]!);
    assert.notEqual(authorize.searchParams.get('state'), 'ID:app_other', 'the third party gets the client’s own state');
    authorize.searchParams.set('identity', 'wx_demo');
    const back = await fetch(authorize, { redirect: 'manual' });
    const done = await client.handleRedirectCallback(back.headers.get('location')!);
    assert.equal(done.error, null);
    const wrongApp = s.client({ idaasAppId: 'app_nope', nonDefaultApp: true });
    await wrongApp.client.signInWithOAuth({ provider: SOCIAL, options: { redirectTo: CALLBACK } });
    const other = new URL(wrongApp.env.navigations[0]!);
    other.searchParams.set('identity', 'wx_demo');
    const refused = await wrongApp.client.handleRedirectCallback((await fetch(other, { redirect: 'manual' })).headers.get('location')!);
    assert.equal(refused.error?.code, 'invalid_request');
    assert.equal(refused.error?.providerCode, 'Params.Illegal');
  });
});
