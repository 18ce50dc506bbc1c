// node --import tsx --test src/providers/zhuyun-idaas/*.node.test.ts
// The adapter through a real AuthClient against the reference server's emulation, over HTTP.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { zhuyunIdaasBackend } from '../../../demo/server/zhuyun-idaas/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import { fakeClock } from '../../../test/support/clock.js';
import type { Policies } from '../../../demo/server/kit/index.js';
import type { AdapterContext, AuthError, Language, PendingStep } from '../../contract/index.js';
import { AuthClient } from '../../core/client.js';
import { createHttp } from '../../core/util/http.js';
import { zhuyunIdaasProvider, type ZhuyunIdaasSettings } from './zhuyun-idaas.js';

const CLIENT_ID = 'zhuyun-demo-client';
const PASSWORD = 'demo-password';
const NEW_PASSWORD = 'Demo-pass1';
const phone = (n: number) => `+86138000000${n}`;
const ID = (n: number) => `20240101000000${String(n).padStart(3, '0')}-ZY${n}-DEMO000${n}`;

type Mounted = Awaited<ReturnType<typeof mountBackend>>;
type Sent = { url: string; method: string; headers: Headers; body?: string };
type PasswordChange = PendingStep & { kind: 'password_change' };
/** What an adapter gets from the client, for calling it directly. */
const direct = (lang: Language = 'en'): AdapterContext => ({ http: createHttp(), lang });

describe('zhuyun-idaas provider against the emulation', () => {
  let server: Mounted;
  const clients: AuthClient[] = [];
  const mount = async (policies: Partial<Policies> = {}) => {
    await server?.close();
    server = await mountBackend(zhuyunIdaasBackend, { policies: { accessTokenTtlSeconds: 120, ...policies } });
  };
  beforeEach(() => mount());
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
  });

  /** A client whose every request is recorded (and optionally altered) on its way out. */
  function setup(settings: Partial<ZhuyunIdaasSettings> = {}, alter?: (headers: Headers) => void, lang: Language = 'en') {
    const sent: Sent[] = [];
    const countingFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      alter?.(headers);
      sent.push({ url: String(input), method: init?.method ?? 'GET', headers, body: init?.body as string | undefined });
      return fetch(input, { ...init, headers });
    };
    const provider = zhuyunIdaasProvider({ baseUrl: server.url, clientId: CLIENT_ID, ...settings });
    const client = new AuthClient({ provider, storage: 'memory', environment: testEnvironment('http://127.0.0.1/app'), http: { fetch: countingFetch }, lang });
    const events: string[] = [];
    client.onAuthStateChange((event) => void events.push(event));
    clients.push(client);
    return { client, provider, sent, events, paths: () => sent.map((s) => new URL(s.url).pathname.replace('/zhuyun-idaas', '')) };
  }

  test('settings: a missing or unusable baseUrl, a missing clientId, or a secret, is refused before any call', async () => {
    const refusal = (settings: ZhuyunIdaasSettings) => {
      const error = zhuyunIdaasProvider(settings).configError;
      return [error?.code, error?.providerCode];
    };
    assert.deepEqual(refusal({ baseUrl: '', clientId: 'x' }), ['config', 'missing_setting:baseUrl']);
    assert.deepEqual(refusal({ baseUrl: 'ftp://tenant.example.com', clientId: 'x' }), ['config', 'bad_setting:baseUrl']);
    assert.deepEqual(refusal({ baseUrl: server.url, clientId: '' }), ['config', 'missing_setting:clientId']);
    assert.equal(zhuyunIdaasProvider({ baseUrl: server.url, clientId: 'x' }).configError, undefined);
    const secret = zhuyunIdaasProvider({ baseUrl: server.url, clientId: 'x', clientSecret: 's' } as ZhuyunIdaasSettings);
    assert.equal(secret.configError?.providerCode, 'secret_in_browser');
    const { client, sent } = setup({ clientId: '' });
    const { error } = await client.signInWithPassword({ phone: phone(10), password: PASSWORD });
    assert.equal(error?.code, 'config');
    assert.equal(sent.length, 0);
    const p = zhuyunIdaasProvider({ baseUrl: `${server.url}/`, clientId: CLIENT_ID, tenantId: 't1' });
    assert.equal(p.key, `zhuyun-idaas:${server.url}:t1:${CLIENT_ID}`);
    assert.deepEqual(p.capabilities, { password: ['phone'], signUp: [], recovery: [], otp: [], oauth: [], popup: false, anonymous: false, refresh: false });
    assert.equal(p.refresh, undefined);
    assert.equal(p.signOut, undefined);
  });

  test('SUCCESS: a session from session_token, expire and id_token; device headers on the wire', async () => {
    const { client, sent, events } = setup({ deviceId: 'browser-123' });
    const before = Math.floor(Date.now() / 1000);
    const { data, error } = await client.signInWithPassword({ phone: phone(10), password: PASSWORD });
    const answered = Math.floor(Date.now() / 1000);
    assert.equal(error, null);
    const session = data.session!;
    assert.equal(session.provider, 'zhuyun-idaas');
    assert.equal(session.user.id, ID(10));
    assert.equal(session.user.name, 'Demo User');
    assert.equal(session.user.phone, '+8613800000010');
    assert.match(session.access_token, /^[A-Za-z0-9]{32}$/);
    assert.equal(session.expires_in, 120);
    assert.ok(session.expires_at >= before + 120 && session.expires_at <= answered + 120, 'expires 120 s after the answer');
    assert.ok(session.id_token?.split('.').length === 3);
    assert.equal(session.refresh_token, undefined);
    assert.deepEqual(events.slice(-1), ['SIGNED_IN']);
    const req = sent[0]!;
    assert.equal(JSON.parse(req.body!).mobile, '13800000010', '+86 is dropped: the backend wants the national number');
    assert.equal(req.headers.get('x-client-id'), CLIENT_ID);
    assert.equal(req.headers.get('x-device-fingerprint'), 'browser-123');
    assert.equal(req.headers.get('x-l'), 'en');
    assert.equal(req.headers.get('x-agent'), 'unknown', 'no navigator in Node');
    assert.equal(req.headers.get('x-operating-sys-version'), 'unknown');
    assert.equal(req.headers.get('content-type'), 'application/json');
  });

  test('X-L follows the language of each call: zh for zh-CN, en for en', async () => {
    const { client, sent } = setup({}, undefined, 'zh-CN');
    const first = await client.signInWithPassword({ phone: phone(11), password: PASSWORD });
    // The emulation answers in the X-L language: the tenant's policy tip is the seed's Chinese.
    assert.equal((first.data.step as PasswordChange).policy?.tip, '至少包含数字、大写字母、小写字母和特殊字符中的3种');
    client.lang = 'en';
    assert.equal((await client.skipPasswordChange()).error, null);
    assert.deepEqual(sent.map((s) => [new URL(s.url).pathname.replace('/zhuyun-idaas', ''), s.headers.get('x-l')]), [
      ['/api/v2/sdk/login/mobile-pwd', 'zh'],
      ['/api/v2/sdk/pwd/skip-update', 'en'],
    ]);
    // The adapter alone: the header comes from the context of the call, not from a setting.
    const seen: Array<string | undefined> = [];
    const recording: AdapterContext['http'] = async (request) => {
      seen.push(request.headers?.['x-l']);
      return { status: 400, headers: new Headers(), body: { error_code: 'IDAAS.SDK.LOGIN.0002', error_msg: '' }, text: '' };
    };
    const adapter = zhuyunIdaasProvider({ baseUrl: server.url, clientId: CLIENT_ID });
    for (const lang of ['zh-CN', 'en', 'zh-CN'] as const) {
      await assert.rejects(adapter.signInWithPassword!({ phone: phone(10), password: 'x' }, { http: recording, lang }), { code: 'invalid_credentials' });
    }
    assert.deepEqual(seen, ['zh', 'en', 'zh']);
  });

  test('without deviceId, one random fingerprint per provider, kept across calls', async () => {
    const { client, sent } = setup();
    await client.signInWithPassword({ phone: phone(10), password: 'wrong' });
    await client.signInWithPassword({ phone: phone(10), password: PASSWORD });
    const ids = sent.map((s) => s.headers.get('x-device-fingerprint'));
    assert.match(ids[0]!, /^[0-9a-f]{32}$/);
    assert.equal(ids[0], ids[1]);
    const other = setup();
    await other.client.signInWithPassword({ phone: phone(10), password: PASSWORD });
    assert.notEqual(other.sent[0]!.headers.get('x-device-fingerprint'), ids[0]);
  });

  test('PASSWORD_WARN: a skippable step with the policy; skip-update signs in', async () => {
    const { client, sent, paths } = setup();
    const { data, error } = await client.signInWithPassword({ phone: phone(11), password: PASSWORD });
    assert.equal(error, null);
    const step = data.step as PasswordChange;
    assert.equal(step.kind, 'password_change');
    assert.equal(step.required, false);
    assert.equal(step.policy?.minLength, 8);
    assert.equal(step.policy?.maxLength, 18);
    assert.match(step.policy!.pattern!, /^\^\(\?!\[a-zA-Z\]\+\$\)/);
    assert.ok(step.policy?.tip);
    const skipped = await client.skipPasswordChange();
    assert.equal(skipped.error, null);
    assert.equal(skipped.data.session?.user.id, ID(11));
    assert.deepEqual(paths(), ['/api/v2/sdk/login/mobile-pwd', '/api/v2/sdk/pwd/skip-update']);
    assert.equal(sent[1]!.method, 'GET');
    assert.ok(sent[1]!.headers.get('x-state-token'));
  });

  test('PASSWORD_WARN: change now instead of skipping', async () => {
    const { client } = setup();
    await client.signInWithPassword({ phone: phone(11), password: PASSWORD });
    const changed = await client.changePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    assert.equal(changed.error, null);
    assert.equal(changed.data.session?.user.id, ID(11));
  });

  test('PASSWORD_EXPIRED: cannot skip; a policy violation is caught before sending; then the change signs in', async () => {
    const { client, provider, paths } = setup();
    const first = await client.signInWithPassword({ phone: phone(12), password: PASSWORD });
    const step = first.data.step as PasswordChange;
    assert.equal(step.kind, 'password_change');
    assert.equal(step.required, true);
    assert.equal((await client.skipPasswordChange()).error?.code, 'invalid_request');
    await assert.rejects(provider.skipPasswordChange!(step, direct()), { code: 'password_expired', providerCode: 'PASSWORD_EXPIRED' });
    const weak: Array<[string, string]> = [['Ab1!', 'too_short'], ['alllowercase', 'pattern'], ['A'.repeat(12) + 'b1!'.repeat(3), 'too_long']];
    for (const [password, broken] of weak) {
      const { error } = await client.changePassword({ oldPassword: PASSWORD, newPassword: password });
      assert.deepEqual([error?.code, error?.providerCode, error?.invalid], ['password_policy', broken, { newPassword: broken }], password);
    }
    // The provider checks on its own too (for callers without the AuthClient): the broken rule
    // as the code, the field and the policy to describe it, and no sentence.
    await assert.rejects(provider.changePassword!(step, { oldPassword: PASSWORD, newPassword: 'short' }, direct()), (error: AuthError) => {
      assert.deepEqual([error.code, error.providerCode, error.invalid, error.policy], ['password_policy', 'too_short', { newPassword: 'too_short' }, step.policy]);
      assert.equal(error.message, 'password_policy', 'the adapter writes no sentence');
      return true;
    });
    assert.deepEqual(paths(), ['/api/v2/sdk/login/mobile-pwd'], 'no /pwd/update call was made');
    const changed = await client.changePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    assert.equal(changed.error, null);
    assert.equal(changed.data.session?.user.id, ID(12));
    assert.equal(paths().at(-1), '/api/v2/sdk/pwd/update');
    const again = setup();
    assert.equal((await again.client.signInWithPassword({ phone: phone(12), password: NEW_PASSWORD })).data.session?.user.id, ID(12));
  });

  test('PASSWORD_EXPIRED: a wrong old password counts as a failed attempt (LOGIN.0002)', async () => {
    const { client } = setup();
    await client.signInWithPassword({ phone: phone(12), password: PASSWORD });
    const { error } = await client.changePassword({ oldPassword: 'not-it', newPassword: NEW_PASSWORD });
    assert.equal(error?.code, 'invalid_credentials');
    assert.equal(error?.remainingAttempts, 4);
    // The state token survives a correctable failure: the person can try again.
    assert.equal((await client.changePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD })).error, null);
  });

  test('the backend policy errors (PWD.0004, PWD.0001) map to password_policy', async () => {
    const { client, provider } = setup();
    const { data } = await client.signInWithPassword({ phone: phone(12), password: PASSWORD });
    // Without the policy the adapter cannot check first: the backend refuses, with its code.
    const { policy: _, ...bare } = data.step as PasswordChange;
    const ctx = direct();
    await assert.rejects(provider.changePassword!(bare, { oldPassword: PASSWORD, newPassword: 'weak' }, ctx), { code: 'password_policy', providerCode: 'IDAAS.SDK.PWD.0004', status: 400, invalid: { newPassword: 'too_simple' } });
    await assert.rejects(provider.changePassword!(bare, { oldPassword: PASSWORD, newPassword: PASSWORD }, ctx), { code: 'password_policy', providerCode: 'IDAAS.SDK.PWD.0001', status: 400, invalid: { newPassword: 'reused' } });
  });

  test('PARAM.0014: a state token spent elsewhere is session_expired (start again)', async () => {
    const a = setup();
    const b = setup();
    await a.client.signInWithPassword({ phone: phone(12), password: PASSWORD });
    await b.client.signInWithPassword({ phone: phone(12), password: PASSWORD });
    assert.equal((await b.client.changePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD })).error, null);
    const { error } = await a.client.changePassword({ oldPassword: PASSWORD, newPassword: 'Other-pass2' });
    assert.equal(error?.code, 'session_expired');
    assert.equal(error?.providerCode, 'IDAAS.SDK.PARAM.0014');
    assert.equal(error?.status, 400);
    const forged = { kind: 'password_change', required: false, context: { stateToken: 'forged' } } as const;
    await assert.rejects(a.provider.skipPasswordChange!(forged, direct()), { code: 'session_expired', providerCode: 'IDAAS.SDK.PARAM.0014' });
  });

  test('ACCESS_DENIED, USER.0039 and COM.0002', async () => {
    const { client } = setup();
    const denied = await client.signInWithPassword({ phone: phone(13), password: PASSWORD });
    assert.deepEqual([denied.error?.code, denied.error?.providerCode, denied.error?.status], ['account_disabled', 'ACCESS_DENIED', 200]);
    const disabled = await client.signInWithPassword({ phone: phone(14), password: PASSWORD });
    assert.deepEqual([disabled.error?.code, disabled.error?.providerCode, disabled.error?.status], ['account_disabled', 'IDAAS.SDK.USER.0039', 400]);
    const busy = await client.signInWithPassword({ phone: phone(19), password: PASSWORD });
    assert.deepEqual([busy.error?.code, busy.error?.providerCode, busy.error?.status], ['server', 'IDAAS.SDK.COM.0002', 500]);
    assert.equal(client.state.session, null);
  });

  // The emulation words error_msg in the X-L language: the counts are parsed from English and
  // from Chinese alike.
  for (const [lang, xL] of [['en', 'en'], ['zh-CN', 'zh']] as const) {
    test(`remaining attempts count down to a lock-out (lang ${lang}, X-L ${xL})`, async () => {
      const { client, sent } = setup({}, undefined, lang);
      const left: Array<number | undefined> = [];
      for (let i = 0; i < 4; i++) {
        const { error } = await client.signInWithPassword({ phone: phone(10), password: `wrong-${i}` });
        assert.equal(error?.code, 'invalid_credentials');
        assert.equal(error?.providerCode, 'IDAAS.SDK.LOGIN.0002');
        assert.ok(!error!.message.includes(`wrong-${i}`), 'the password is never echoed');
        left.push(error?.remainingAttempts);
      }
      assert.deepEqual(left, [4, 3, 2, 1]);
      const now = Math.floor(Date.now() / 1000);
      const locked = await client.signInWithPassword({ phone: phone(10), password: 'wrong-4' });
      const answered = Math.floor(Date.now() / 1000);
      assert.equal(locked.error?.code, 'account_locked');
      assert.equal(locked.error?.providerCode, 'IDAAS.SDK.LOGIN.0001');
      assert.equal(locked.error?.remainingAttempts, 0);
      // Locked for 300 s from the answer, however long the request took.
      assert.ok(locked.error!.lockedUntil! >= now + 300 && locked.error!.lockedUntil! <= answered + 300, String(locked.error?.lockedUntil));
      assert.ok(locked.error!.retryAfter! > 290);
      // The right password is refused while locked; the unlock time is still parsed.
      const still = await client.signInWithPassword({ phone: phone(10), password: PASSWORD });
      assert.equal(still.error?.code, 'account_locked');
      assert.ok(still.error?.lockedUntil);
      assert.ok(still.error!.retryAfter! > 0);
      assert.equal(still.error?.remainingAttempts, 0);
      assert.deepEqual([...new Set(sent.map((s) => s.headers.get('x-l')))], [xL]);
      server.clock.advance(301_000);
      assert.equal((await client.signInWithPassword({ phone: phone(10), password: PASSWORD })).error, null);
    });
  }

  test('USER.0004 / USER.0006: empty fields come back with the field named', async () => {
    const { client } = setup();
    const noMobile = await client.signInWithPassword({ phone: '', password: PASSWORD });
    assert.equal(noMobile.error?.code, 'invalid_request');
    assert.equal(noMobile.error?.providerCode, 'IDAAS.SDK.USER.0004');
    assert.deepEqual(noMobile.error?.invalid, { phone: 'required' });
    assert.ok(noMobile.error?.fields?.phone, 'the client words the field');
    const noPassword = await client.signInWithPassword({ phone: phone(10), password: '' });
    assert.equal(noPassword.error?.code, 'invalid_request');
    assert.equal(noPassword.error?.providerCode, 'IDAAS.SDK.USER.0006');
    assert.deepEqual(noPassword.error?.invalid, { password: 'required' });
    assert.ok(noPassword.error?.fields?.password);
  });

  test('PARAM.0001 / 0002 / 0003: device headers, client id, registration', async () => {
    // Straight at the emulation, one required header short.
    const res = await fetch(`${server.url}/api/v2/sdk/login/mobile-pwd`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-client-id': CLIENT_ID, 'x-agent': 'a', 'x-operating-sys-version': 'o' },
      body: JSON.stringify({ mobile: '13800000010', password: PASSWORD }),
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error_code, 'IDAAS.SDK.PARAM.0001');
    // The same, through the client with a header stripped on the way out.
    const stripped = setup({}, (h) => h.delete('x-device-fingerprint'));
    const missing = await stripped.client.signInWithPassword({ phone: phone(10), password: PASSWORD });
    assert.deepEqual([missing.error?.code, missing.error?.providerCode], ['invalid_request', 'IDAAS.SDK.PARAM.0001']);
    const unknown = setup({ clientId: 'not-registered' });
    const unregistered = await unknown.client.signInWithPassword({ phone: phone(10), password: PASSWORD });
    assert.deepEqual([unregistered.error?.code, unregistered.error?.providerCode], ['config', 'IDAAS.SDK.PARAM.0003']);
    // configError keeps the client from sending an empty client id; the provider alone does not.
    const bare = zhuyunIdaasProvider({ baseUrl: server.url, clientId: '' });
    await assert.rejects(bare.signInWithPassword!({ phone: phone(10), password: PASSWORD }, direct()), { code: 'config', providerCode: 'IDAAS.SDK.PARAM.0002' });
  });

  test('no refresh: refreshSession keeps a valid session (unsupported); it ends on its own at `expire`', async (t) => {
    await mount({ accessTokenTtlSeconds: 2 });
    // Client and emulation share a fake clock: the session's 2 s pass when the test says so.
    const clock = fakeClock(t);
    const { client, events } = setup();
    const { data } = await client.signInWithPassword({ phone: phone(10), password: PASSWORD });
    assert.equal(data.session?.expires_in, 2);
    const refreshed = await client.refreshSession();
    assert.equal(refreshed.error?.code, 'unsupported');
    assert.equal(client.state.status, 'signed-in');
    clock.tick(2000); // `expire`: the session's timer ends it
    await until(() => client.state.session === null, undefined, 'sign-out at expire');
    assert.deepEqual(events.slice(-2), ['SIGNED_IN', 'SIGNED_OUT']);
  });

  test('sign-out is local only: no request is made', async () => {
    const { client, sent, events } = setup();
    await client.signInWithPassword({ phone: phone(10), password: PASSWORD });
    const count = sent.length;
    assert.equal((await client.signOut()).error, null);
    assert.equal(client.state.session, null);
    assert.equal(sent.length, count);
    assert.deepEqual(events.slice(-1), ['SIGNED_OUT']);
  });
});
