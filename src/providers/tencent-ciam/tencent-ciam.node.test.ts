// node --import tsx --test src/providers/tencent-ciam/*.node.test.ts
// The adapter through a real AuthClient against the reference server's emulation over HTTP, with
// the OTP steps through the real relay (createRelay + toNodeHandler) on 127.0.0.1.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { tencentCiamBackend } from '../../../demo/server/tencent-ciam/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { fakeClock } from '../../../test/support/clock.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import type { AdapterContext } from '../../contract/index.js';
import { AuthClient } from '../../core/client.js';
import { createHttp } from '../../core/util/http.js';
import { createRelay, toNodeHandler } from '../../relay/index.js';
import { tencentCiamProvider, type TencentCiamSettings } from './tencent-ciam.js';

type Mounted = Awaited<ReturnType<typeof mountBackend>>;
const APP = 'http://127.0.0.1:5173/';
const ORIGIN = 'http://127.0.0.1:5173';
const DEMO = { id: 'ciam-user-demo', phone: '13800000001', password: 'demo-password' };
const POLICIES = { sendIntervalSeconds: 0, otpTtlSeconds: 120, otpMaxAttempts: 3, maxPasswordFailures: 3, lockoutSeconds: 60, accessTokenTtlSeconds: 4 };

// A browser adds Origin on a cross-origin call; Node's fetch does not, and the relay needs it.
const browserFetch: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), origin: ORIGIN } });

async function startRelay(upstream: string, clientId: string, clientSecret: string): Promise<{ url: string; server: Server }> {
  const relay = createRelay({ provider: 'tencent-ciam', upstream, credentials: { clientId, clientSecret }, allowedOrigins: [ORIGIN], limits: { perClient: false, sendsPerIdentifier: false, signInsPerIdentifier: false } });
  const server = createServer(toNodeHandler(relay));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const closeServer = (server: Server) => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });

describe('tencent-ciam provider against the emulation and the relay', () => {
  let m: Mounted;
  let relay: { url: string; server: Server };
  let otherRelay: { url: string; server: Server };
  const clients: AuthClient[] = [];

  before(async () => {
    m = await mountBackend(tencentCiamBackend, { policies: POLICIES });
    relay = await startRelay(m.url, 'ciam-demo-client', 'ciam-demo-secret');
    otherRelay = await startRelay(m.url, 'ciam-other-client', 'ciam-other-secret');
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await Promise.all([closeServer(relay.server), closeServer(otherRelay.server), m.close()]);
  });

  function settings(extra: Partial<TencentCiamSettings> = {}): TencentCiamSettings {
    // The page's own app is the SPA one; the relay holds the Web app (codes, sign-up, reset).
    return { baseUrl: m.url, relayUrl: relay.url, clientId: 'ciam-demo-spa', authSourceId: 'pwd-source', smsAuthSourceId: 'sms-source', emailAuthSourceId: 'email-source', redirectUri: APP, ...extra };
  }
  function client(extra: Partial<TencentCiamSettings> = {}, autoRefresh = false, url: string | null = APP) {
    const env = testEnvironment(url);
    const c = new AuthClient({ provider: tencentCiamProvider(settings(extra)), storage: 'memory', environment: env, autoRefresh, http: { fetch: browserFetch } });
    clients.push(c);
    return { c, env };
  }
  const code = (to: string) => m.ctx.outbox.latestCode(to, 'tencent-ciam')!;

  test('capabilities follow the auth sources configured', () => {
    const p = tencentCiamProvider(settings());
    assert.deepEqual(p.capabilities, { password: ['username', 'email', 'phone'], signUp: ['phone', 'email'], recovery: ['phone', 'email'], otp: ['sms', 'email'], oauth: ['oidc'], popup: true, anonymous: false, refresh: true, account: { profile: [], email: false, phone: false, password: true, identities: [] } });
    const smsOnly = tencentCiamProvider({ baseUrl: m.url, clientId: 'x', smsAuthSourceId: 's' });
    assert.deepEqual([smsOnly.capabilities.password, smsOnly.capabilities.otp], [[], ['sms']]);
    assert.equal(p.key, `tencent-ciam:${m.url}:ciam-demo-spa`);
    const noPassword = tencentCiamProvider({ baseUrl: m.url, clientId: 'x', smsAuthSourceId: 's' }).capabilities;
    assert.deepEqual([noPassword.signUp, noPassword.recovery, noPassword.account?.password], [[], [], false], 'sign-up and reset end in a password sign-in');
  });

  test('password: username, email and +86 phone each sign in; the session has the contract shape', async () => {
    for (const who of [{ username: 'demo' }, { email: 'demo@example.com' }, { phone: '+8613800000001' }]) {
      const { c } = client();
      const started = Math.floor(Date.now() / 1000);
      const { data, error } = await c.signInWithPassword({ ...who, password: DEMO.password });
      const answered = Math.floor(Date.now() / 1000);
      assert.equal(error, null);
      const s = data.session!;
      assert.equal(s.provider, 'tencent-ciam');
      assert.equal(s.user.id, DEMO.id);
      assert.equal(s.expires_in, 4);
      assert.ok(s.expires_at >= started + 4 && s.expires_at <= answered + 4, 'expires 4 s after the answer');
      assert.ok(s.refresh_token && s.id_token && s.token_type === 'Bearer');
    }
  });

  test('password errors: wrong password, frozen, lock-out, unlinked auth source', async () => {
    const { c } = client();
    const wrong = await c.signInWithPassword({ username: 'demo', password: 'nope' });
    assert.deepEqual([wrong.error?.code, wrong.error?.providerCode, wrong.error?.status], ['invalid_credentials', 'invalid_grant', 400]);
    assert.ok(!wrong.error!.message.includes('nope'));
    const frozen = await c.signInWithPassword({ phone: '+8613800000002', password: DEMO.password });
    assert.deepEqual([frozen.error?.code, frozen.error?.providerCode], ['account_locked', 'invalid_grant:Abnormal user status']);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await c.signInWithPassword({ username: 'lockme', password: 'wrong' })).error?.code);
    assert.deepEqual(codes, ['invalid_credentials', 'invalid_credentials', 'account_locked']);
    const unlinked = await client({ authSourceId: 'unlinked-sms-source' }).c.signInWithPassword({ username: 'demo', password: DEMO.password });
    assert.deepEqual([unlinked.error?.code, unlinked.error?.providerCode], ['config', 'invalid_auth_source:Auth source and application not associated']);
  });

  test('SMS code: send through the relay, verify, signed in as the phone owner', async () => {
    const { c } = client();
    const sent = await c.signInWithOtp({ phone: '+8613800000001' });
    assert.equal(sent.error, null);
    assert.equal(sent.data.expiresIn, 120);
    const { data, error } = await c.verifyOtp({ token: code(DEMO.phone) });
    assert.equal(error, null);
    assert.equal(data.session!.user.id, DEMO.id);
    assert.equal(data.session!.provider, 'tencent-ciam');
  });

  test('email code: send and verify', async () => {
    const { c } = client();
    assert.equal((await c.signInWithOtp({ email: 'demo@example.com' })).error, null);
    const { data, error } = await c.verifyOtp({ token: code('demo@example.com') });
    assert.equal(error, null);
    assert.equal(data.session!.user.id, DEMO.id);
  });

  test('auto_signup off: user_not_found; on: the user is created and signed in', async () => {
    const { c } = client();
    await c.signInWithOtp({ phone: '+8613900000009' });
    const off = await c.verifyOtp({ token: code('13900000009') });
    assert.deepEqual([off.error?.code, off.error?.providerCode], ['user_not_found', 'invalid_grant:User not found']);
    await c.signInWithOtp({ phone: '+8613900000009', options: { shouldCreateUser: true } });
    const on = await c.verifyOtp({ token: code('13900000009') });
    assert.equal(on.error, null);
    assert.match(on.data.session!.user.id, /^[0-9a-f-]{36}$/);
    await c.signInWithOtp({ email: 'new@example.com', options: { shouldCreateUser: true } });
    assert.equal((await c.verifyOtp({ token: code('new@example.com') })).error, null);
  });

  test('a wrong code is invalid_code; the lapsed otp_token is code_expired (start again)', async () => {
    const { c } = client();
    await c.signInWithOtp({ phone: '+8613800000001' });
    const wrong = await c.verifyOtp({ token: '000000' === code(DEMO.phone) ? '111111' : '000000' });
    assert.deepEqual([wrong.error?.code, wrong.error?.providerCode], ['invalid_code', 'invalid_grant:Unknown or expired OTP']);
    m.clock.advance(2 * 120 * 1000 + 1000); // past the otp_token's life in the emulation
    const lapsed = await c.verifyOtp({ token: code(DEMO.phone) });
    assert.deepEqual([lapsed.error?.code, lapsed.error?.providerCode], ['code_expired', 'invalid_grant:Unknown or expired otp_token']);
  });

  test('a code past its own lifetime on this device is code_expired, not invalid_code', async () => {
    const p = tencentCiamProvider(settings());
    const ctx: AdapterContext = { http: createHttp({ fetch: browserFetch }), lang: 'en' };
    const challenge = await p.sendOtp!({ channel: 'sms', phone: '+8613800000001' }, ctx);
    m.clock.advance(121 * 1000);
    const stale = { ...challenge, context: { ...(challenge.context as object), expiresAt: Date.now() - 1 } };
    await assert.rejects(p.verifyOtp!(stale, code(DEMO.phone), ctx), { code: 'code_expired', providerCode: 'invalid_grant:Unknown or expired OTP' });
  });

  test('the same client_id across both steps: a code sent for another app or number is refused', async () => {
    const ctx: AdapterContext = { http: createHttp({ fetch: browserFetch }), lang: 'en' };
    const other = tencentCiamProvider(settings({ relayUrl: otherRelay.url }));
    const challenge = await other.sendOtp!({ channel: 'sms', phone: '+8613800000001' }, ctx);
    // The demo app's relay pins its own client_id: the code of ciam-other-client does not fit.
    const mine = tencentCiamProvider(settings());
    const mismatch = { code: 'invalid_request', providerCode: 'invalid_request:Mismatched OTP token and OTP sending parameters', status: 400 };
    await assert.rejects(mine.verifyOtp!(challenge, code(DEMO.phone), ctx), mismatch);
    // Straight to the portal with the sending app's id, the other number: same refusal.
    const sent = await mine.sendOtp!({ channel: 'sms', phone: '+8613800000001' }, ctx);
    const moved = { ...sent, context: { ...(sent.context as object), recipient: '13800000003' } };
    await assert.rejects(mine.verifyOtp!(moved, code(DEMO.phone), ctx), mismatch);
  });

  test('frozen account by code → account_locked; unlinked SMS source → config', async () => {
    const { c } = client();
    await c.signInWithOtp({ phone: '+8613800000002' });
    const frozen = await c.verifyOtp({ token: code('13800000002') });
    assert.deepEqual([frozen.error?.code, frozen.error?.providerCode], ['account_locked', 'invalid_grant:Abnormal user status']);
    const unlinked = await client({ smsAuthSourceId: 'unlinked-sms-source' }).c.signInWithOtp({ phone: '+8613800000001' });
    assert.deepEqual([unlinked.error?.code, unlinked.error?.status], ['config', 400]);
    assert.equal(unlinked.error?.providerCode, 'invalid_auth_source:Auth source and application not associated');
  });

  test('send without the relay (no Basic credentials) and from a foreign origin → config', async () => {
    const direct = await client({ relayUrl: undefined }).c.signInWithOtp({ phone: '+8613800000001' });
    assert.deepEqual([direct.error?.code, direct.error?.providerCode, direct.error?.status], ['config', 'invalid_client', 401]);
    const foreign = new AuthClient({ provider: tencentCiamProvider(settings()), storage: 'memory', environment: testEnvironment(APP) });
    clients.push(foreign);
    const refused = await foreign.signInWithOtp({ phone: '+8613800000001' });
    assert.deepEqual([refused.error?.code, refused.error?.providerCode], ['config', 'origin_not_allowed']);
  });

  test('hosted portal with PKCE: authorize URL, sign in at the portal, code exchange, replay refused', async () => {
    const { c } = client();
    const { data } = await c.signInWithOAuth();
    const url = new URL(data.url!);
    assert.equal(url.origin + url.pathname, `${m.url}/oauth2/authorize`);
    for (const [k, v] of Object.entries({ client_id: 'ciam-demo-spa', response_type: 'code', scope: 'openid', code_challenge_method: 'S256', redirect_uri: APP })) assert.equal(url.searchParams.get(k), v);
    assert.match(url.searchParams.get('code_challenge')!, /^[\w-]{43}$/);
    const first = await fetch(url, { redirect: 'manual' });
    const login = new URL(first.headers.get('location')!, url);
    const submit = await fetch(`${m.url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ request_id: login.searchParams.get('request_id')!, username: 'demo', password: DEMO.password }) });
    const callback = submit.headers.get('location')!;
    const done = await c.handleRedirectCallback(callback);
    assert.equal(done.error, null);
    assert.equal(done.data.session!.user.id, DEMO.id);
    assert.equal(done.data.session!.provider, 'tencent-ciam');
    const p = tencentCiamProvider(settings());
    const replay = p.exchangeCode!({ code: new URL(callback).searchParams.get('code')!, codeVerifier: 'v'.repeat(43), redirectUri: APP, params: new URLSearchParams() }, { http: createHttp(), lang: 'en' });
    await assert.rejects(replay, { code: 'code_expired', providerCode: 'invalid_grant' });
  });

  test('refresh: by hand (rotated), automatic before the 4 s expiry, a stale token → session_expired; getUser', async (t) => {
    const { c } = client();
    const first = (await c.signInWithPassword({ username: 'demo', password: DEMO.password })).data.session!;
    const { data, error } = await c.refreshSession();
    assert.equal(error, null);
    assert.notEqual(data.session!.access_token, first.access_token);
    assert.notEqual(data.session!.refresh_token, first.refresh_token);
    assert.equal(data.session!.user.id, DEMO.id);
    assert.equal((await c.getUser()).data.user?.name, 'Demo User');

    // From here the client and the emulation share a fake clock: the 4 s pass when the test says so.
    const clock = fakeClock(t);
    const auto = client({}, true).c;
    const events: string[] = [];
    auto.onAuthStateChange((e) => void events.push(e));
    const signedIn = (await auto.signInWithPassword({ username: 'demo', password: DEMO.password })).data.session!;
    clock.tick(2000); // the refresh time: half the lifetime before expiry
    await until(() => events.includes('TOKEN_REFRESHED'), undefined, 'TOKEN_REFRESHED');
    assert.ok(Date.now() / 1000 < signedIn.expires_at, 'refreshed before the old token expired');
    assert.ok(auto.state.session!.expires_at > Date.now() / 1000);

    const d = client().c;
    await d.setSession({ ...first }); // its refresh token was rotated above
    const stale = await d.refreshSession();
    assert.equal(stale.error?.code, 'session_expired');
    assert.equal(d.state.status, 'signed-out');
  });

  test('sign-out revokes the refresh token and clears the session', async () => {
    const { c } = client();
    const session = (await c.signInWithPassword({ username: 'demo', password: DEMO.password })).data.session!;
    assert.equal((await c.signOut()).error, null);
    assert.equal(c.state.session, null);
    const d = client().c;
    await d.setSession({ ...session });
    assert.equal((await d.refreshSession()).error?.code, 'session_expired');
  });

  test('a secret or a missing setting in the page is refused before any request', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => (calls++, fetch(input, init));
    const secret = new AuthClient({ provider: tencentCiamProvider({ ...settings(), clientSecret: 'ciam-demo-secret' } as TencentCiamSettings), storage: 'memory', environment: testEnvironment(APP), http: { fetch: counting } });
    const missing = new AuthClient({ provider: tencentCiamProvider({ baseUrl: m.url } as TencentCiamSettings), storage: 'memory', environment: testEnvironment(APP), http: { fetch: counting } });
    clients.push(secret, missing);
    const refused = await secret.signInWithPassword({ username: 'demo', password: DEMO.password });
    assert.deepEqual([refused.error?.code, refused.error?.providerCode], ['config', 'secret_in_browser']);
    assert.ok(!refused.error!.message.includes('ciam-demo-secret'));
    assert.equal((await secret.signInWithOtp({ phone: '+8613800000001' })).error?.code, 'config');
    const notSet = await missing.signInWithPassword({ username: 'demo', password: 'x' });
    assert.deepEqual([notSet.error?.code, notSet.error?.providerCode], ['config', 'missing_setting:clientId']);
    assert.equal(calls, 0);
  });

  test('settings: each refused configuration names its setting in providerCode', () => {
    const refusal = (extra: object) => {
      const error = tencentCiamProvider({ ...settings(), ...extra } as TencentCiamSettings).configError;
      return [error?.code, error?.providerCode];
    };
    assert.deepEqual(refusal({ baseUrl: '' }), ['config', 'missing_setting:baseUrl']);
    assert.deepEqual(refusal({ baseUrl: 'not a url' }), ['config', 'bad_setting:baseUrl']);
    assert.deepEqual(refusal({ relayUrl: 'javascript:alert(1)' }), ['config', 'bad_setting:relayUrl']);
    assert.deepEqual(refusal({ clientId: undefined }), ['config', 'missing_setting:clientId']);
    assert.deepEqual(refusal({ authSourceId: 7 }), ['config', 'bad_setting:authSourceId']);
    assert.deepEqual(refusal({ clientSecret: 's' }), ['config', 'secret_in_browser']);
    assert.equal(tencentCiamProvider(settings()).configError, undefined);
    // Trailing slashes and spaces are trimmed, so the key and the paths stay the same.
    assert.equal(tencentCiamProvider(settings({ baseUrl: ` ${m.url}/ ` })).key, `tencent-ciam:${m.url}:ciam-demo-spa`);
  });

  test('a missing identifier, password or recipient is named as a field, before any request', async () => {
    let calls = 0;
    const ctx: AdapterContext = { http: async () => { calls++; throw new Error('no request expected'); }, lang: 'en' };
    const p = tencentCiamProvider(settings());
    await assert.rejects(p.signInWithPassword!({ password: 'x' }, ctx), { code: 'invalid_request', invalid: { identifier: 'required' } });
    await assert.rejects(p.signInWithPassword!({ email: '', password: '' }, ctx), { code: 'invalid_request', invalid: { email: 'required', password: 'required' } });
    await assert.rejects(p.signInWithPassword!({ phone: '', password: 'x' }, ctx), { code: 'invalid_request', invalid: { phone: 'required' } });
    await assert.rejects(p.signInWithPassword!({ username: 'demo', password: '' }, ctx), { code: 'invalid_request', invalid: { password: 'required' } });
    await assert.rejects(p.sendOtp!({ channel: 'sms' }, ctx), { code: 'invalid_request', invalid: { phone: 'required' } });
    await assert.rejects(p.sendOtp!({ channel: 'email', email: '  ' }, ctx), { code: 'invalid_request', invalid: { email: 'required' } });
    assert.equal(calls, 0);
  });

  test('the code sign-in’s tokens belong to the relay’s Web app: their refresh goes through the relay, which adds the secret', async () => {
    const { c } = client();
    await c.signInWithOtp({ phone: '+86 13800000001' });
    const signedIn = (await c.verifyOtp({ token: code(DEMO.phone) })).data.session!;
    assert.equal(JSON.parse(Buffer.from(signedIn.access_token.split('.')[1]!, 'base64url').toString()).aud, 'ciam-demo-client');
    const refreshed = await c.refreshSession();
    assert.equal(refreshed.error, null);
    assert.notEqual(refreshed.data.session!.access_token, signedIn.access_token);
    assert.equal(refreshed.data.session!.user.id, DEMO.id);
    // Straight from the page, without the Web app's secret, the backend refuses the same refresh.
    const direct = await browserFetch(`${m.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'ciam-demo-client', refresh_token: refreshed.data.session!.refresh_token! }) });
    assert.equal(direct.status, 401);
    assert.equal(((await direct.json()) as { error: string }).error, 'invalid_client');
  });

  test('sign-up by email code (usage signup) through the relay, then signed in with the password', async () => {
    const { c } = client();
    const started = await c.signUp({ email: 'joiner@example.com', password: 'joiner-pass-1' });
    assert.equal(started.error, null);
    assert.equal(started.data.step?.kind, 'verify_sign_up');
    assert.equal(JSON.stringify(c.state.pending).includes('joiner-pass-1'), false, 'the password is not in the step');
    const wrong = await c.verifyOtp({ token: code('joiner@example.com') === '000000' ? '111111' : '000000' });
    assert.equal(wrong.error?.code, 'invalid_code');
    const done = await c.verifyOtp({ token: code('joiner@example.com') });
    assert.equal(done.error, null);
    assert.equal(done.data.session?.provider, 'tencent-ciam');
    const again = client().c;
    assert.equal((await again.signInWithPassword({ email: 'joiner@example.com', password: 'joiner-pass-1' })).data.session?.user.id, done.data.session!.user.id);
    const taken = client().c;
    await taken.signUp({ email: 'joiner@example.com', password: 'joiner-pass-1' });
    assert.equal((await taken.verifyOtp({ token: code('joiner@example.com') })).error?.code, 'user_exists');
  });

  test('password reset by SMS code (usage reset_password) through the relay; then signed in with the new password', async () => {
    const { c } = client();
    const started = await c.resetPasswordForEmail('+8613800000003');
    assert.equal(started.error, null);
    assert.ok(started.data.step?.kind === 'recovery' && started.data.step.delivery === 'code');
    const weak = await c.completeRecovery({ code: code('13800000003'), newPassword: 'short' });
    assert.equal(weak.error?.code, 'password_policy');
    const done = await c.completeRecovery({ code: code('13800000003'), newPassword: 'reset-pass-1' });
    assert.equal(done.error, null);
    assert.equal(done.data.session?.user.id, 'ciam-user-lockme');
    // An unknown number: the code went out, and typing it is refused as a wrong code would be.
    const nobody = client().c;
    await nobody.resetPasswordForEmail('+8613900000123');
    const refused = await nobody.completeRecovery({ code: code('13900000123'), newPassword: 'reset-pass-1' });
    assert.equal(refused.error?.code, 'invalid_code');
    assert.equal(refused.error?.message, 'That code is not correct.');
  });

  test('a signed-in person changes their password (/change_user_password, Bearer); a wrong current one is refused', async () => {
    const { c } = client();
    await c.signInWithPassword({ username: 'demo', password: DEMO.password });
    const wrong = await c.changePassword({ oldPassword: 'not-it', newPassword: 'changed-pass-1' });
    assert.equal(wrong.error?.code, 'invalid_credentials');
    assert.equal(c.state.status, 'signed-in', 'a refused change keeps the session');
    const done = await c.changePassword({ oldPassword: DEMO.password, newPassword: 'changed-pass-1' });
    assert.equal(done.error, null);
    assert.equal(done.data.session?.user.id, DEMO.id);
    assert.equal((await client().c.signInWithPassword({ username: 'demo', password: 'changed-pass-1' })).error, null);
    await c.changePassword({ oldPassword: 'changed-pass-1', newPassword: DEMO.password });
  });
});
