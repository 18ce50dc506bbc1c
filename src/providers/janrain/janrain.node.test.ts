// node --import tsx --test src/providers/janrain/*.node.test.ts
// Browser stand-in → relay (node:http) → reference server's Janrain emulation, all over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { janrainBackend } from '../../../demo/server/janrain/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import { fakeClock } from '../../../test/support/clock.js';
import { AuthClient } from '../../core/client.js';
import { createHttp } from '../../core/util/http.js';
import { janrainProvider, type JanrainSettings } from './janrain.js';
import { browserFetch, ORIGIN, startRelay } from './stack.node.test.js';

const REDIRECT = 'http://127.0.0.1:5173/account';
const DEMO = { email: 'demo@janrain.example', password: 'demo-password' };
type Mounted = Awaited<ReturnType<typeof mountBackend>>;

describe('janrain provider: browser → relay → reference server', () => {
  let backend: Mounted;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  const clients: AuthClient[] = [];
  before(async () => {
    backend = await mountBackend(janrainBackend, { policies: { maxPasswordFailures: 3, lockoutSeconds: 60, sendIntervalSeconds: 30, accessTokenTtlSeconds: 90 } });
    relay = await startRelay(backend.url);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await relay.close();
    await backend.close();
  });

  function settings(overrides: Partial<JanrainSettings> = {}): JanrainSettings {
    return { baseUrl: relay.url, clientId: 'janrain-login-client', flow: 'standard', flowVersion: '20240101', locale: 'en-US', redirectUri: REDIRECT, ...overrides };
  }
  function make(overrides: Partial<JanrainSettings> = {}, options: { origin?: string | null; autoRefresh?: boolean; lang?: 'en' | 'zh-CN' } = {}) {
    const log = { sent: [] as string[], received: [] as string[] };
    const client = new AuthClient({
      provider: janrainProvider(settings(overrides)),
      lang: options.lang ?? 'en',
      storage: 'memory',
      environment: testEnvironment(REDIRECT),
      autoRefresh: options.autoRefresh ?? false,
      http: { fetch: browserFetch(log, options.origin === undefined ? ORIGIN : options.origin) },
    });
    clients.push(client);
    const events: string[] = [];
    client.onAuthStateChange((event) => void events.push(event));
    return { client, log, events };
  }

  test('password sign-in: response_type=code, the relay exchanges, the page gets a session and no code', async () => {
    const { client, log, events } = make();
    const started = Math.floor(Date.now() / 1000);
    const { data, error } = await client.signInWithPassword(DEMO);
    const answered = Math.floor(Date.now() / 1000);
    assert.equal(error, null);
    const session = data.session!;
    assert.equal(session.provider, 'janrain');
    assert.match(session.user.id, /^[0-9a-f-]{36}$/);
    assert.equal(session.user.uuid, session.user.id);
    assert.equal(session.user.email, DEMO.email);
    assert.equal(session.user.name, 'Demo User');
    assert.equal(session.token_type, 'Bearer');
    assert.equal(session.expires_in, 90);
    assert.ok(session.expires_at >= started + 90 && session.expires_at <= answered + 90, 'expires 90 s after the answer');
    assert.ok(session.refresh_token);
    await until(() => events.includes('SIGNED_IN'));
    const sent = new URLSearchParams(log.sent[0]!.split(' ')[1]);
    assert.ok(log.sent[0]!.startsWith(`${relay.url}/oauth/auth_native_traditional `));
    assert.deepEqual(Object.fromEntries([...sent].filter(([k]) => k !== 'currentPassword')), {
      client_id: 'janrain-login-client', flow: 'standard', flow_version: '20240101', locale: 'en-US',
      redirect_uri: REDIRECT, response_type: 'code', form: 'signInForm', signInEmailAddress: DEMO.email,
    });
    assert.ok(!log.received.join('').includes('authorization_code'), 'the code never reaches the page');
    assert.ok(!log.sent.join('').includes('janrain-api-secret'));
  });

  test('refreshSession: grant_type=refresh_token through the relay, rotated, same user', async () => {
    const { client, events, log } = make();
    const before = (await client.signInWithPassword(DEMO)).data.session!;
    const { data, error } = await client.refreshSession();
    assert.equal(error, null);
    assert.notEqual(data.session!.access_token, before.access_token);
    assert.notEqual(data.session!.refresh_token, before.refresh_token);
    assert.equal(data.session!.user.id, before.user.id);
    assert.equal(data.session!.user.email, DEMO.email);
    assert.ok(log.sent.at(-1)!.startsWith(`${relay.url}/oauth/token grant_type=refresh_token&refresh_token=`));
    await until(() => events.includes('TOKEN_REFRESHED'));
    // The rotated-away refresh token is refused: session_expired (414), never a crash.
    const provider = janrainProvider(settings());
    const http = createHttp({ fetch: browserFetch({ sent: [], received: [] }) });
    await assert.rejects(provider.refresh!(before, { http, lang: 'en' }), (e: { code: string; providerCode: unknown }) => e.code === 'session_expired' && e.providerCode === 414);
  });

  test('refresh before expiry on the timer (2 s tokens)', async (t) => {
    const short = await mountBackend(janrainBackend, { policies: { accessTokenTtlSeconds: 2 } });
    const shortRelay = await startRelay(short.url);
    try {
      // Client, relay and emulation share a fake clock: the 2 s pass when the test says so.
      const clock = fakeClock(t);
      const { client, events } = make({ baseUrl: shortRelay.url }, { autoRefresh: true });
      const first = (await client.signInWithPassword(DEMO)).data.session!;
      assert.equal(first.expires_in, 2);
      clock.tick(1000); // the refresh time: half the lifetime before expiry
      await until(() => events.includes('TOKEN_REFRESHED'), undefined, 'a refresh');
      assert.ok(Date.now() / 1000 < first.expires_at, 'refreshed before the old token expired');
      const now = (await client.getSession()).data.session!;
      assert.notEqual(now.access_token, first.access_token);
      assert.equal(now.user.id, first.user.id);
      client.destroy();
    } finally {
      await shortRelay.close();
      await short.close();
    }
  });

  test('sign-out is local: no request, SIGNED_OUT, no session', async () => {
    const { client, events, log } = make();
    await client.signInWithPassword(DEMO);
    const calls = log.sent.length;
    assert.deepEqual(await client.signOut(), { error: null });
    assert.equal(log.sent.length, calls);
    assert.equal((await client.getSession()).data.session, null);
    await until(() => events.includes('SIGNED_OUT'));
  });

  test('registration: register_native_traditional with the documented fields, then signed in', async () => {
    const { client, log } = make();
    const email = `new-${Date.now()}@janrain.example`;
    const result = await client.signUp({ email, password: 'long-enough-1', data: { firstName: 'Nia', lastName: 'New', displayName: 'Nia N.' } });
    assert.equal(result.error, null);
    const session = (result.data as { session: { user: Record<string, unknown>; provider: string } }).session;
    assert.equal(session.provider, 'janrain');
    assert.match(String(session.user.id), /^[0-9a-f-]{36}$/);
    assert.equal(session.user.name, 'Nia N.');
    assert.equal(session.user.givenName, 'Nia');
    assert.equal(session.user.emailVerified, null);
    const sent = new URLSearchParams(log.sent[0]!.split(' ')[1]);
    assert.equal(sent.get('form'), 'registrationForm');
    assert.equal(sent.get('emailAddress'), email);
    assert.equal(sent.get('newPasswordConfirm'), 'long-enough-1');
    await client.signOut();
    assert.equal((await client.signInWithPassword({ email, password: 'long-enough-1' })).data.session?.user.id, session.user.id);
  });

  test('390: field errors land on the right fields as codes, never the flow\'s messages', async () => {
    const { client } = make();
    const { error } = await client.signUp({ email: 'not-an-email', password: 'short', data: { newPasswordConfirm: 'other' } });
    assert.equal(error?.code, 'invalid_request');
    assert.equal(error?.providerCode, 390);
    assert.equal(error?.status, 200);
    assert.deepEqual(error?.invalid, { email: 'invalid', password: 'invalid', confirmPassword: 'invalid' });
    assert.deepEqual(Object.keys(error!.fields!).sort(), ['confirmPassword', 'email', 'password']);
    assert.doesNotMatch(JSON.stringify(error), /valid email|at least 8|do not match/, 'no vendor text');
    assert.ok(!JSON.stringify(error).includes('short'), 'no password echoed');
  });

  test('locale: the setting, else en-US whatever the page speaks (a flow refuses a locale it lacks); vendor text stays out', async () => {
    const { client } = make({ locale: undefined }, { lang: 'zh-CN' });
    const { error } = await client.signUp({ email: '', password: 'long-enough-1' });
    assert.deepEqual(error?.invalid, { email: 'required' }); // refused before sending: no email
    const zh = make({ locale: undefined }, { lang: 'zh-CN' });
    const second = await zh.client.signUp({ email: 'bad', password: 'long-enough-1' });
    assert.equal(new URLSearchParams(zh.log.sent[0]!.split(' ')[1]).get('locale'), 'en-US');
    assert.deepEqual(second.error?.invalid, { email: 'invalid' });
    assert.doesNotMatch(JSON.stringify(second.error), /电子邮件/);
    const en = make({ locale: undefined }, { lang: 'en' });
    await en.client.signUp({ email: 'bad', password: 'long-enough-1' });
    assert.equal(new URLSearchParams(en.log.sent[0]!.split(' ')[1]).get('locale'), 'en-US');
    const pinned = make({ locale: 'zh-CN' }, { lang: 'en' });
    await pinned.client.signUp({ email: 'bad', password: 'long-enough-1' });
    assert.equal(new URLSearchParams(pinned.log.sent[0]!.split(' ')[1]).get('locale'), 'zh-CN');
  });

  test('380: an email already registered → user_exists, the email field taken', async () => {
    const { client } = make();
    const { error } = await client.signUp({ email: DEMO.email, password: 'long-enough-1' });
    assert.equal(error?.code, 'user_exists');
    assert.equal(error?.providerCode, 380);
    assert.deepEqual(error?.invalid, { email: 'taken' });
    assert.doesNotMatch(JSON.stringify(error), /Email address is already in use/, 'no vendor text');
  });

  test('210: a wrong password or an unknown email → invalid_credentials, nothing echoed', async () => {
    const { client } = make();
    for (const email of [DEMO.email, 'nobody@janrain.example']) {
      const { error, data } = await client.signInWithPassword({ email, password: 'wrong-secret-pw' });
      assert.equal(data.session, null);
      assert.equal(error?.code, 'invalid_credentials');
      assert.equal(error?.providerCode, 210);
      assert.equal(error?.invalid, undefined, 'the form-level message is not a field');
      assert.equal(error?.fields, undefined);
      assert.ok(!JSON.stringify(error).includes('wrong-secret-pw'));
    }
  });

  test('211: a social-only account → invalid_credentials, told apart by providerCode 211', async () => {
    const { error } = await make().client.signInWithPassword({ email: 'social@janrain.example', password: 'anything-1' });
    assert.equal(error?.code, 'invalid_credentials');
    assert.equal(error?.providerCode, 211);
    assert.doesNotMatch(JSON.stringify(error), /social account/, 'no vendor text');
  });

  test('[?] a locked account, and a lock-out after repeated failures → account_locked with the unlock time, not "too many requests"', async () => {
    const { client } = make();
    const locked = await client.signInWithPassword({ email: 'locked@janrain.example', password: 'demo-password' });
    assert.equal(locked.error?.code, 'account_locked');
    assert.equal(locked.error?.providerCode, 214);
    assert.equal(locked.error?.retryAfter, 60);
    assert.ok(Math.abs(locked.error!.lockedUntil! - (Date.now() / 1000 + 60)) < 5);
    assert.match(locked.error!.message, /^This account is locked after too many attempts\. Try again in 1 minute\.$/);
    const email = `tries-${Date.now()}@janrain.example`;
    const codes: unknown[] = [];
    const left: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const { error } = await client.signInWithPassword({ email, password: 'nope-nope' });
      codes.push(error?.providerCode);
      left.push(error?.remainingAttempts);
    }
    assert.deepEqual(codes, [210, 210, 214]);
    assert.deepEqual(left, [2, 1, undefined]);
  });

  test('recovery: forgot_password_native sends the link; the step waits for it; 510 too soon; 390 bad address', async () => {
    const { client, log } = make();
    const started = await client.resetPassword({ email: DEMO.email });
    assert.equal(started.error, null);
    assert.deepEqual(started.data.step, { kind: 'recovery', stage: 'verify', delivery: 'link', channel: 'email', context: {}, target: DEMO.email, origin: 'recovery' });
    assert.equal(client.state.pending?.kind, 'recovery');
    const sent = new URLSearchParams(log.sent[0]!.split(' ')[1]);
    assert.equal(sent.get('form'), 'forgotPasswordForm');
    assert.equal(sent.get('signInEmailAddress'), DEMO.email);
    assert.equal(sent.get('redirect_uri'), REDIRECT);
    assert.equal(sent.get('response_type'), null);
    assert.ok(backend.ctx.outbox.latestCode(DEMO.email, 'janrain'));
    const again = await client.resetPassword({ email: DEMO.email });
    assert.equal(again.error?.code, 'rate_limited');
    assert.equal(again.error?.providerCode, 510);
    assert.ok(again.error!.retryAfter! > 0);
    const bad = await client.resetPassword({ email: 'bad' });
    assert.equal(bad.error?.providerCode, 390);
    assert.deepEqual(bad.error?.invalid, { email: 'invalid' });
  });

  test('recovery never tells whether an account exists: 212 gets the same step, and no email goes out', async () => {
    const { client } = make();
    const nobody = await client.resetPassword({ email: 'nobody@janrain.example' });
    assert.equal(nobody.error, null);
    assert.deepEqual(nobody.data.step, { kind: 'recovery', stage: 'verify', delivery: 'link', channel: 'email', context: {}, target: 'nobody@janrain.example', origin: 'recovery' });
    assert.equal(backend.ctx.outbox.latestCode('nobody@janrain.example', 'janrain'), undefined);
  });

  test('capabilities: email for password, sign-up and recovery', () => {
    const { capabilities } = janrainProvider(settings());
    assert.deepEqual([capabilities.password, capabilities.signUp, capabilities.recovery], [['email'], ['email'], ['email']]);
  });

  test('config rows from the emulation: 224/226 unknown client or flow, 403 API client, 420 redirect', async () => {
    const cases: Array<[Partial<JanrainSettings>, number]> = [
      [{ clientId: 'someone-else' }, 224],
      [{ clientId: 'janrain-api-client' }, 403],
      [{ flow: 'other' }, 226],
      [{ flowVersion: '1999' }, 226],
      [{ locale: 'fr-FR' }, 226],
      [{ redirectUri: 'https://evil.example/cb' }, 420],
    ];
    for (const [overrides, providerCode] of cases) {
      const { error } = await make(overrides).client.signInWithPassword(DEMO);
      assert.equal(error?.code, 'config', JSON.stringify(overrides));
      assert.equal(error?.providerCode, providerCode);
    }
  });

  test('configuration refused before anything is sent: a secret, a missing setting', async () => {
    const withSecret = janrainProvider({ ...settings(), clientSecret: 'janrain-api-secret' } as JanrainSettings);
    assert.equal(withSecret.configError?.code, 'config');
    assert.equal(withSecret.configError?.providerCode, 'secret_in_browser');
    assert.equal(janrainProvider(settings({ flowVersion: '' })).configError?.providerCode, 'missing_setting:flowVersion');
    assert.equal(janrainProvider(settings({ clientId: undefined as unknown as string })).configError?.providerCode, 'missing_setting:clientId');
    assert.equal(janrainProvider(settings({ baseUrl: 'relay.example' })).configError?.providerCode, 'bad_setting:baseUrl');
    assert.equal(janrainProvider(settings({ redirectUri: 'javascript:alert(1)' })).configError?.providerCode, 'bad_setting:redirectUri');
    const { client, log } = make({ redirectUri: '' });
    const refused = await client.signInWithPassword(DEMO);
    assert.equal(refused.error?.code, 'config');
    assert.equal(refused.error?.providerCode, 'missing_setting:redirectUri');
    assert.equal(log.sent.length, 0);
    assert.equal(janrainProvider(settings()).key, `janrain:${relay.url}:janrain-login-client`);
  });

  test('relay refusals: an origin the relay does not allow → config (origin_not_allowed)', async () => {
    const { error } = await make({}, { origin: 'http://evil.example' }).client.signInWithPassword(DEMO);
    assert.equal(error?.code, 'config');
    assert.equal(error?.providerCode, 'origin_not_allowed');
    assert.equal(error?.status, 403);
  });

  test('baseUrl pointing at Janrain itself (no relay): the unexchanged code is refused as config', async () => {
    const { error, data } = await make({ baseUrl: backend.url }).client.signInWithPassword(DEMO);
    assert.equal(data.session, null);
    assert.equal(error?.code, 'config');
    assert.equal(error?.providerCode, 'code_not_exchanged');
  });
});
