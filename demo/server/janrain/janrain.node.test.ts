// node --import tsx --test demo/server/janrain/janrain.node.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { mountBackend } from '../../../test/support/backend-harness.js';
import { createManualClock } from '../kit/index.js';
import { janrainBackend, JANRAIN_CONFIG } from './index.js';

type Mounted = Awaited<ReturnType<typeof mountBackend>>;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REDIRECT = 'http://127.0.0.1:5173/callback';
const BASE = { client_id: 'janrain-login-client', flow: 'standard', flow_version: '20240101', locale: 'en-US', redirect_uri: REDIRECT };
const BASIC = `Basic ${Buffer.from('janrain-api-client:janrain-api-secret').toString('base64')}`;
const DEMO = { signInEmailAddress: 'demo@janrain.example', currentPassword: 'demo-password' };

async function post(server: Mounted, path: string, form: Record<string, string> | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Body };
}
const signIn = (server: Mounted, fields: Record<string, string>, base: Record<string, string> = {}) =>
  post(server, '/oauth/auth_native_traditional', { ...BASE, response_type: 'token', form: 'signInForm', ...base, ...fields });
const register = (server: Mounted, fields: Record<string, string>, base: Record<string, string> = {}) =>
  post(server, '/oauth/register_native_traditional', { ...BASE, response_type: 'token', form: 'registrationForm', ...base, ...fields });
const exchange = (server: Mounted, form: Record<string, string>, headers: Record<string, string> = { authorization: BASIC }) => post(server, '/oauth/token', form, headers);

function assertError(body: Body, code: number, error: string) {
  assert.equal(body.stat, 'error');
  assert.equal(body.code, code, JSON.stringify(body));
  assert.equal(body.error, error);
  assert.equal(typeof body.error_description, 'string');
  assert.equal(typeof body.request_id, 'string');
}

describe('janrain emulation', () => {
  let server: Mounted;
  before(async () => {
    server = await mountBackend(janrainBackend, { policies: { maxPasswordFailures: 3, lockoutSeconds: 60, sendIntervalSeconds: 30, accessTokenTtlSeconds: 90 }, clock: createManualClock() });
  });
  after(() => server.close());

  describe('sign-in', () => {
    test('response_type=token: access_token, expires_in, capture_user', async () => {
      const { status, body } = await signIn(server, DEMO);
      assert.equal(status, 200);
      assert.equal(body.stat, 'ok');
      assert.equal(typeof body.access_token, 'string');
      assert.equal(body.expires_in, 90);
      assert.equal(body.authorization_code, undefined);
      assert.equal(body.refresh_token, undefined);
      assert.equal(body.capture_user.email, 'demo@janrain.example');
      assert.match(body.capture_user.uuid, /^[0-9a-f-]{36}$/);
      assert.equal(body.capture_user.givenName, 'Demo');
      assert.equal(body.capture_user.familyName, 'User');
      assert.equal(body.capture_user.displayName, 'Demo User');
      assert.equal(typeof body.capture_user.emailVerified, 'string');
      assert.equal(body.capture_user.passwordHash, undefined);
      const who = await janrainBackend.introspect!(body.access_token, server.ctx);
      assert.deepEqual(who, { userId: body.capture_user.uuid, name: 'Demo User' });
      assert.equal(await janrainBackend.introspect!('nope', server.ctx), null);
    });

    test('response_type=code → /oauth/token with Basic gives access + refresh tokens; the code is single-use', async () => {
      const { body } = await signIn(server, DEMO, { response_type: 'code' });
      assert.equal(body.stat, 'ok');
      assert.equal(typeof body.authorization_code, 'string');
      assert.equal(body.access_token, undefined);
      assert.equal(body.capture_user.email, 'demo@janrain.example');
      const form = { grant_type: 'authorization_code', code: body.authorization_code, redirect_uri: REDIRECT };
      const token = await exchange(server, form);
      assert.equal(token.status, 200);
      assert.equal(token.body.stat, 'ok');
      assert.equal(typeof token.body.access_token, 'string');
      assert.equal(typeof token.body.refresh_token, 'string');
      assert.equal(token.body.expires_in, 90);
      assert.equal((await janrainBackend.introspect!(token.body.access_token, server.ctx))?.userId, body.capture_user.uuid);
      assertError((await exchange(server, form)).body, 415, 'authorization_code_expired');
    });

    test('code_and_token returns both', async () => {
      const { body } = await signIn(server, DEMO, { response_type: 'code_and_token' });
      assert.equal(typeof body.authorization_code, 'string');
      assert.equal(typeof body.access_token, 'string');
    });

    test('access tokens expire after accessTokenTtlSeconds', async () => {
      const { body } = await signIn(server, DEMO);
      server.clock.advance(91_000);
      assert.equal(await janrainBackend.introspect!(body.access_token, server.ctx), null);
    });

    test('210 for a wrong password and for an unknown email (same answer), with invalid_fields on the form', async () => {
      const wrong = await signIn(server, { signInEmailAddress: 'unverified@janrain.example', currentPassword: 'nope' });
      assertError(wrong.body, 210, 'invalid_credentials');
      assert.deepEqual(Object.keys(wrong.body.invalid_fields), ['signInForm']);
      const unknown = await signIn(server, { signInEmailAddress: 'nobody@janrain.example', currentPassword: 'nope' });
      assertError(unknown.body, 210, 'invalid_credentials');
      // A success resets the counter for that account.
      assert.equal((await signIn(server, { signInEmailAddress: 'unverified@janrain.example', currentPassword: 'demo-password' })).body.stat, 'ok');
    });

    test('211 for a social-only account', async () => {
      assertError((await signIn(server, { signInEmailAddress: 'social@janrain.example', currentPassword: 'x' })).body, 211, 'no_password');
    });

    test('unverified account signs in with emailVerified null', async () => {
      const { body } = await signIn(server, { signInEmailAddress: 'UNVERIFIED@janrain.example', currentPassword: 'demo-password' });
      assert.equal(body.stat, 'ok');
      assert.equal(body.capture_user.emailVerified, null);
    });

    test('[?] 214 account_locked after maxPasswordFailures, even with the right password, until lockoutSeconds pass', async () => {
      const victim = { signInEmailAddress: 'demo@janrain.example' };
      const first = await signIn(server, { ...victim, currentPassword: 'bad-1' });
      assertError(first.body, 210, 'invalid_credentials');
      assert.match(first.body.error_description, /2 attempts left/);
      assertError((await signIn(server, { ...victim, currentPassword: 'bad-2' })).body, 210, 'invalid_credentials');
      const locked = await signIn(server, { ...victim, currentPassword: 'bad-3' });
      assertError(locked.body, 214, 'account_locked');
      assert.equal(locked.headers.get('retry-after'), '60');
      assertError((await signIn(server, DEMO)).body, 214, 'account_locked');
      server.clock.advance(61_000);
      assert.equal((await signIn(server, DEMO)).body.stat, 'ok');
    });

    test('[?] the seeded locked account answers 214 account_locked', async () => {
      assertError((await signIn(server, { signInEmailAddress: 'locked@janrain.example', currentPassword: 'demo-password' })).body, 214, 'account_locked');
    });

    test('390 for missing sign-in fields', async () => {
      const { body } = await signIn(server, { signInEmailAddress: '' });
      assertError(body, 390, 'invalid_form_fields');
      assert.deepEqual(Object.keys(body.invalid_fields).sort(), ['currentPassword', 'signInEmailAddress']);
    });
  });

  describe('config and argument errors', () => {
    test('100 missing_argument names the argument', async () => {
      const { client_id: _c, ...noClient } = BASE;
      const r = await post(server, '/oauth/auth_native_traditional', { ...noClient, response_type: 'token', form: 'signInForm', ...DEMO });
      assertError(r.body, 100, 'missing_argument');
      assert.equal(r.body.argument_name, 'client_id');
      assertError((await signIn(server, DEMO, { response_type: '' })).body, 100, 'missing_argument');
    });
    test('unknown client id (224), API client on a native call (403)', async () => {
      assertError((await signIn(server, DEMO, { client_id: 'who' })).body, 224, 'unknown_client');
      assertError((await signIn(server, DEMO, { client_id: 'janrain-api-client' })).body, 403, 'client_permission_error');
    });
    test('unknown flow, flow_version, locale → 226 flow_error; flow may be omitted', async () => {
      assertError((await signIn(server, DEMO, { flow: 'other' })).body, 226, 'flow_error');
      assertError((await signIn(server, DEMO, { flow_version: '1999' })).body, 226, 'flow_error');
      assertError((await signIn(server, DEMO, { locale: 'fr-FR' })).body, 226, 'flow_error');
      const { flow: _f, ...noFlow } = BASE;
      const r = await post(server, '/oauth/auth_native_traditional', { ...noFlow, response_type: 'token', form: 'signInForm', ...DEMO });
      assert.equal(r.body.stat, 'ok');
      assert.equal((await signIn(server, DEMO, { locale: 'zh-CN' })).body.stat, 'ok');
    });
    test('redirect_uri off the allowlist → 420; localhost on any port is fine', async () => {
      assertError((await signIn(server, DEMO, { redirect_uri: 'https://evil.example/cb' })).body, 420, 'redirect_uri_mismatch');
      assertError((await signIn(server, DEMO, { redirect_uri: 'not a url' })).body, 420, 'redirect_uri_mismatch');
      assert.equal((await signIn(server, DEMO, { redirect_uri: 'http://localhost:8080/x' })).body.stat, 'ok');
    });
    test('bad response_type and wrong form → 200 invalid_argument', async () => {
      assertError((await signIn(server, DEMO, { response_type: 'id_token' })).body, 200, 'invalid_argument');
      assertError((await signIn(server, DEMO, { form: 'registrationForm' })).body, 200, 'invalid_argument');
    });
  });

  describe('registration', () => {
    test('390 with per-field invalid_fields (localized for zh-CN)', async () => {
      const { body } = await register(server, { emailAddress: 'not-an-email', newPassword: 'short', newPasswordConfirm: 'other' });
      assertError(body, 390, 'invalid_form_fields');
      assert.deepEqual(Object.keys(body.invalid_fields).sort(), ['emailAddress', 'newPassword', 'newPasswordConfirm']);
      for (const messages of Object.values(body.invalid_fields)) assert.ok(Array.isArray(messages) && typeof messages[0] === 'string');
      const zh = await register(server, { emailAddress: '', newPassword: 'long-enough-1', newPasswordConfirm: 'long-enough-2' }, { locale: 'zh-CN' });
      assertError(zh.body, 390, 'invalid_form_fields');
      assert.deepEqual(zh.body.invalid_fields.emailAddress, ['此字段为必填项。']);
      assert.deepEqual(zh.body.invalid_fields.newPasswordConfirm, ['两次输入的密码不一致。']);
    });
    test('380 for an email in use', async () => {
      const { body } = await register(server, { emailAddress: 'Demo@Janrain.example', newPassword: 'long-enough', newPasswordConfirm: 'long-enough' });
      assertError(body, 380, 'email_address_in_use');
      assert.ok(body.invalid_fields.emailAddress);
    });
    test('success with token, then the new account signs in (code flow + exchange)', async () => {
      const { body } = await register(server, { emailAddress: 'new@example.com', newPassword: 'long-enough', newPasswordConfirm: 'long-enough', firstName: 'New', lastName: 'Person' });
      assert.equal(body.stat, 'ok');
      assert.equal(body.is_new, true);
      assert.equal(typeof body.access_token, 'string');
      assert.equal(body.capture_user.email, 'new@example.com');
      assert.equal(body.capture_user.displayName, 'New Person');
      assert.equal(body.capture_user.emailVerified, null);
      const again = await signIn(server, { signInEmailAddress: 'new@example.com', currentPassword: 'long-enough' }, { response_type: 'code' });
      assert.equal(again.body.capture_user.uuid, body.capture_user.uuid);
      const token = await exchange(server, { grant_type: 'authorization_code', code: again.body.authorization_code, redirect_uri: REDIRECT });
      assert.equal(token.body.stat, 'ok');
    });
    test('success with response_type=code', async () => {
      const { body } = await register(server, { emailAddress: 'code@example.com', newPassword: 'long-enough', newPasswordConfirm: 'long-enough' }, { response_type: 'code' });
      assert.equal(body.stat, 'ok');
      assert.equal(typeof body.authorization_code, 'string');
      assert.equal(body.access_token, undefined);
    });
  });

  describe('/oauth/token', () => {
    async function code(): Promise<string> {
      return (await signIn(server, { signInEmailAddress: 'unverified@janrain.example', currentPassword: 'demo-password' }, { response_type: 'code' })).body.authorization_code;
    }
    test('without Basic → 402; wrong secret → 402; the login client → 403; signed → 205', async () => {
      const form = { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT };
      assertError((await exchange(server, form, {})).body, 402, 'invalid_client_credentials');
      assertError((await exchange(server, form, { authorization: `Basic ${Buffer.from('janrain-api-client:wrong').toString('base64')}` })).body, 402, 'invalid_client_credentials');
      assertError((await exchange(server, form, { authorization: `Basic ${Buffer.from('janrain-login-client:x').toString('base64')}` })).body, 403, 'client_permission_error');
      assertError((await exchange(server, form, { authorization: 'Signature a:b' })).body, 205, 'invalid_auth_method');
      assertError((await exchange(server, form, { authorization: 'Basic %%%' })).body, 402, 'invalid_client_credentials');
      // The refused calls did not burn the code.
      assert.equal((await exchange(server, form)).body.stat, 'ok');
    });
    test('415 for an expired code; 420 for a redirect_uri mismatch (the code is burnt)', async () => {
      const stale = await code();
      server.clock.advance((JANRAIN_CONFIG.authorizationCodeTtlSeconds + 1) * 1000);
      assertError((await exchange(server, { grant_type: 'authorization_code', code: stale, redirect_uri: REDIRECT })).body, 415, 'authorization_code_expired');
      const fresh = await code();
      assertError((await exchange(server, { grant_type: 'authorization_code', code: fresh, redirect_uri: 'http://127.0.0.1:1/other' })).body, 420, 'redirect_uri_mismatch');
      assertError((await exchange(server, { grant_type: 'authorization_code', code: fresh, redirect_uri: REDIRECT })).body, 415, 'authorization_code_expired');
    });
    test('missing arguments and unknown grant types', async () => {
      assertError((await exchange(server, {})).body, 100, 'missing_argument');
      assertError((await exchange(server, { grant_type: 'authorization_code', code: 'x' })).body, 100, 'missing_argument');
      assertError((await exchange(server, { grant_type: 'password' })).body, 200, 'invalid_argument');
    });
    test('refresh rotation: a new pair each time; the old token is refused and its reuse revokes the family', async () => {
      const first = (await exchange(server, { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT })).body;
      const second = (await exchange(server, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body;
      assert.equal(second.stat, 'ok');
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.notEqual(second.access_token, first.access_token);
      assert.equal(second.expires_in, 90);
      assertError((await exchange(server, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body, 414, 'access_token_expired');
      // Reuse revoked the rotated successor too.
      assertError((await exchange(server, { grant_type: 'refresh_token', refresh_token: second.refresh_token })).body, 414, 'access_token_expired');
      assertError((await exchange(server, { grant_type: 'refresh_token', refresh_token: 'garbage' })).body, 414, 'access_token_expired');
    });
    test('refresh tokens expire after refreshTokenTtlSeconds', async () => {
      const first = (await exchange(server, { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT })).body;
      server.clock.advance((server.ctx.policies.refreshTokenTtlSeconds + 1) * 1000);
      assertError((await exchange(server, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body, 414, 'access_token_expired');
    });
  });

  describe('forgot password and verification codes', () => {
    const forgot = (email: string, extra: Record<string, string> = {}) => post(server, '/oauth/forgot_password_native', { ...BASE, form: 'forgotPasswordForm', signInEmailAddress: email, ...extra });
    test('puts a reset link with a code in the outbox; 510 inside sendIntervalSeconds; the code is an authorization code, once', async () => {
      const { body } = await forgot('demo@janrain.example');
      assert.deepEqual(body, { stat: 'ok' });
      const [message] = server.ctx.outbox.list({ backend: 'janrain', to: 'demo@janrain.example' });
      assert.equal(message.purpose, 'reset_password');
      assert.equal(message.channel, 'email');
      assert.ok(message.code);
      assert.ok(message.text.includes(`${REDIRECT}?verification_code=${message.code}`));
      const again = await forgot('demo@janrain.example');
      assertError(again.body, 510, 'api_limit_error');
      assert.ok(Number(again.headers.get('retry-after')) > 0);
      // Not a verification code: useVerificationCode refuses it (and it stays good for /oauth/token).
      assertError((await post(server, '/access/useVerificationCode', { verification_code: message.code! })).body, 416, 'verification_code_expired');
      assertError((await exchange(server, { grant_type: 'authorization_code', code: message.code!, redirect_uri: 'http://127.0.0.1:5173/other' })).body, 420, 'redirect_uri_mismatch');
      server.clock.advance(31_000);
      assert.equal((await forgot('demo@janrain.example')).body.stat, 'ok');
      const code = server.ctx.outbox.latestCode('demo@janrain.example', 'janrain')!;
      const tokens = await exchange(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
      assert.equal(tokens.body.stat, 'ok');
      assert.equal(typeof tokens.body.access_token, 'string');
      assertError((await exchange(server, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).body, 415, 'authorization_code_expired');
    });
    test('[?] update_profile_native with changePasswordFormNoAuth sets the new password with the access token the reset code gave', async () => {
      const victim = 'reset-me@janrain.example';
      assert.equal((await register(server, { emailAddress: victim, newPassword: 'demo-password', newPasswordConfirm: 'demo-password' })).body.stat, 'ok');
      await forgot(victim);
      const tokens = await exchange(server, { grant_type: 'authorization_code', code: server.ctx.outbox.latestCode(victim, 'janrain')!, redirect_uri: REDIRECT });
      const update = (fields: Record<string, string>) => post(server, '/oauth/update_profile_native', { ...BASE, form: 'changePasswordFormNoAuth', access_token: tokens.body.access_token, ...fields });
      const short = await update({ newPassword: 'short', newPasswordConfirm: 'short' });
      assertError(short.body, 390, 'invalid_form_fields');
      assert.deepEqual(Object.keys(short.body.invalid_fields), ['newPassword']);
      assertError((await update({ newPassword: 'changed-pass-9', newPasswordConfirm: 'other-pass-9' })).body, 390, 'invalid_form_fields');
      assertError((await update({ newPassword: 'changed-pass-9', newPasswordConfirm: 'changed-pass-9', access_token: 'nope' })).body, 414, 'access_token_expired');
      assertError((await update({ newPassword: 'changed-pass-9', newPasswordConfirm: 'changed-pass-9', form: 'signInForm' })).body, 200, 'invalid_argument');
      assert.deepEqual((await update({ newPassword: 'changed-pass-9', newPasswordConfirm: 'changed-pass-9' })).body, { stat: 'ok' });
      assert.equal((await signIn(server, { signInEmailAddress: victim, currentPassword: 'changed-pass-9' })).body.stat, 'ok');
      assertError((await signIn(server, { signInEmailAddress: victim, currentPassword: 'demo-password' })).body, 210, 'invalid_credentials');
    });
    test('212 for an unknown email; 390 for a missing one; config errors apply', async () => {
      assertError((await forgot('nobody@janrain.example')).body, 212, 'no_such_account');
      assertError((await forgot('')).body, 390, 'invalid_form_fields');
      assertError((await forgot('demo@janrain.example', { form: 'signInForm' })).body, 200, 'invalid_argument');
      assertError((await forgot('demo@janrain.example', { redirect_uri: 'https://evil.example/' })).body, 420, 'redirect_uri_mismatch');
    });
    test('verify_email_native + useVerificationCode marks the email verified; expired codes give 416', async () => {
      const sent = await post(server, '/oauth/verify_email_native', { ...BASE, form: 'resendVerificationForm', emailAddress: 'unverified@janrain.example' });
      assert.equal(sent.body.stat, 'ok');
      const code = server.ctx.outbox.latestCode('unverified@janrain.example', 'janrain')!;
      assert.equal((await post(server, '/access/useVerificationCode', { verification_code: code })).body.stat, 'ok');
      const { body } = await signIn(server, { signInEmailAddress: 'unverified@janrain.example', currentPassword: 'demo-password' });
      assert.equal(typeof body.capture_user.emailVerified, 'string');
      server.clock.advance(31_000);
      await post(server, '/oauth/verify_email_native', { ...BASE, form: 'resendVerificationForm', emailAddress: 'unverified@janrain.example' });
      const later = server.ctx.outbox.latestCode('unverified@janrain.example', 'janrain')!;
      server.clock.advance((server.ctx.policies.otpTtlSeconds + 1) * 1000);
      assertError((await post(server, '/access/useVerificationCode', { verification_code: later })).body, 416, 'verification_code_expired');
      assertError((await post(server, '/access/useVerificationCode', {})).body, 100, 'missing_argument');
    });
  });

  describe('social (not emulated)', () => {
    test('auth_native refuses the token; register_native answers 417', async () => {
      assertError((await post(server, '/oauth/auth_native', { ...BASE, response_type: 'token', token: 't' })).body, 200, 'invalid_argument');
      assertError((await post(server, '/oauth/register_native', { ...BASE, response_type: 'token', token: 't' })).body, 417, 'creation_token_expired');
    });
  });

  describe('malformed input never crashes', () => {
    test('non-form, JSON, binary, duplicate, huge and GET bodies', async () => {
      assertError((await post(server, '/oauth/auth_native_traditional', '{"client_id":"janrain-login-client"}', { 'content-type': 'application/json' })).body, 100, 'missing_argument');
      assertError((await post(server, '/oauth/auth_native_traditional', '%%%&&&==%zz')).body, 100, 'missing_argument');
      assertError((await post(server, '/oauth/token', Buffer.from([0xff, 0xfe, 0x00]).toString('latin1'), { authorization: BASIC })).body, 100, 'missing_argument');
      const dup = `${new URLSearchParams({ ...BASE, response_type: 'token', form: 'signInForm', ...DEMO })}&client_id=other`;
      assertError((await post(server, '/oauth/auth_native_traditional', dup)).body, 201, 'duplicate_argument');
      assertError((await signIn(server, { signInEmailAddress: 'x'.repeat(10_000), currentPassword: 'y'.repeat(10_000) })).body, 210, 'invalid_credentials');
      const get = await fetch(`${server.url}/oauth/auth_native_traditional?${new URLSearchParams({ ...BASE, ...DEMO })}`);
      assert.equal(get.status, 200);
      assertError(await get.json(), 200, 'invalid_argument');
      assert.equal((await fetch(`${server.url}/oauth/unknown`, { method: 'POST' })).status, 404);
    });
  });
});

describe('janrain restart with a dataDir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'janrain-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('users, refresh tokens and access tokens survive; seeding is idempotent', async () => {
    const first = await mountBackend(janrainBackend, { dataDir: dir, clock: createManualClock() });
    const reg = await register(first, { emailAddress: 'persist@example.com', newPassword: 'long-enough', newPasswordConfirm: 'long-enough' }, { response_type: 'code' });
    const tokens = (await exchange(first, { grant_type: 'authorization_code', code: reg.body.authorization_code, redirect_uri: REDIRECT })).body;
    const seeded = first.ctx.store.collection('janrain.users').values().length;
    await first.close();

    const second = await mountBackend(janrainBackend, { dataDir: dir, clock: createManualClock() });
    try {
      assert.equal(second.ctx.store.collection('janrain.users').values().length, seeded, 'seed did not duplicate users');
      assert.equal((await janrainBackend.introspect!(tokens.access_token, second.ctx))?.userId, reg.body.capture_user.uuid);
      const refreshed = await exchange(second, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      assert.equal(refreshed.body.stat, 'ok');
      const login = await signIn(second, { signInEmailAddress: 'persist@example.com', currentPassword: 'long-enough' });
      assert.equal(login.body.capture_user.uuid, reg.body.capture_user.uuid);
      assert.equal((await signIn(second, DEMO)).body.stat, 'ok');
      const stored = JSON.stringify(second.ctx.store.collection('janrain.grants').values());
      assert.ok(!stored.includes(tokens.refresh_token), 'token values are stored only as digests');
    } finally {
      await second.close();
    }
  });
});

describe('janrain through the real relay', () => {
  let server: Mounted;
  before(async () => {
    server = await mountBackend(janrainBackend, { clock: createManualClock() });
  });
  after(() => server.close());

  test('code sign-in is exchanged by the relay with Basic; refresh goes through; errors pass on', async () => {
    const { createRelay } = await import('../../../src/relay/index.js');
    const APP = 'http://127.0.0.1:5173';
    const relay = createRelay({ provider: 'janrain', upstream: server.url, credentials: { clientId: 'janrain-api-client', clientSecret: 'janrain-api-secret' }, allowedOrigins: [APP] });
    const call = async (path: string, form: Record<string, string>) => {
      const res = await relay(new Request(`http://relay.test${path}`, { method: 'POST', headers: { origin: APP, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) }));
      return { status: res.status, body: (await res.json()) as Body };
    };
    const seen = await call('/oauth/auth_native_traditional', { ...BASE, response_type: 'code', form: 'signInForm', ...DEMO });
    assert.equal(seen.status, 200, JSON.stringify(seen.body));
    assert.equal(seen.body.stat, 'ok');
    assert.equal(seen.body.authorization_code, undefined);
    assert.equal(typeof seen.body.access_token, 'string');
    assert.equal(typeof seen.body.refresh_token, 'string');
    assert.equal(seen.body.capture_user.email, 'demo@janrain.example');
    const refreshed = await call('/oauth/token', { grant_type: 'refresh_token', refresh_token: seen.body.refresh_token });
    assert.equal(refreshed.body.stat, 'ok', JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body.refresh_token, seen.body.refresh_token);
    const wrong = await call('/oauth/auth_native_traditional', { ...BASE, response_type: 'code', form: 'signInForm', signInEmailAddress: 'demo@janrain.example', currentPassword: 'nope' });
    assert.equal(wrong.body.code, 210);
    const sent = await call('/oauth/forgot_password_native', { ...BASE, form: 'forgotPasswordForm', signInEmailAddress: 'demo@janrain.example' });
    assert.deepEqual(sent.body, { stat: 'ok' });
  });
});
