// node --import tsx --test src/providers/cloudbase/*.node.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cloudbaseBackend } from '../../../demo/server/cloudbase/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { testEnvironment } from '../../../test/support/environment.js';
import { json, startServer } from '../../../test/support/http-server.js';
import { AuthClient } from '../../core/client.js';
import type { AuthError } from '../../core/errors.js';
import { createHttp } from '../../core/http.js';
import { DEVICE_ID_KEY, cloudbaseProvider, type CloudbaseSettings } from './cloudbase.js';
import { CLOUDBASE_ERRORS } from './errors.js';
import { cloudbasePhone } from './phone.js';

type Mount = Awaited<ReturnType<typeof mountBackend>>;
const APP = 'http://127.0.0.1:5199/app';
const PASSWORD = 'demo-password';

function makeClient(baseUrl: string, settings: Partial<CloudbaseSettings> = {}, fetchImpl?: typeof fetch) {
  const provider = cloudbaseProvider({ env: 'demo-env', baseUrl, providers: ['google', 'github'], deviceId: 'device-errors', ...settings });
  const client = new AuthClient({ provider, storage: 'memory', environment: testEnvironment(APP), autoRefresh: false, http: fetchImpl ? { fetch: fetchImpl } : undefined });
  return { client, provider };
}

function expectError(error: AuthError | null, code: string, providerCode: string | number, status?: number) {
  assert.ok(error, `expected ${code}`);
  assert.equal(error.code, code, `${error.code} (${String(error.providerCode)})`);
  assert.equal(error.providerCode, providerCode);
  if (status !== undefined) assert.equal(error.status, status);
  assert.doesNotMatch(error.message, /demo-password|wrong-password/);
}

describe('cloudbase errors of §6.5 through the emulation', () => {
  let m: Mount;
  before(async () => {
    m = await mountBackend(cloudbaseBackend);
  });
  after(() => m.close());
  const code = (to: string) => m.ctx.outbox.latestCode(to, 'cloudbase')!;

  test('invalid_password → invalid_credentials; unknown user → user_not_found', async () => {
    const { client } = makeClient(m.url);
    expectError((await client.signInWithPassword({ username: 'demo', password: 'wrong-password' })).error, 'invalid_credentials', 'invalid_password', 400);
    expectError((await client.signInWithPassword({ username: 'nobody', password: PASSWORD })).error, 'user_not_found', 'user_not_found', 404);
    expectError((await client.signInWithOtp({ email: 'nobody@example.com', options: { shouldCreateUser: false } })).error, 'user_not_found', 'user_not_found', 404);
  });

  test('3 wrong passwords → captcha_required (4028); with a captcha, 2 more → invalid_status → account_locked', async () => {
    const { client, provider } = makeClient(m.url, { captchaRedirectUri: APP });
    for (let i = 0; i < 3; i++) await client.signInWithPassword({ username: 'demo', password: 'wrong-password' });
    const gated = (await client.signInWithPassword({ username: 'demo', password: 'wrong-password' })).error;
    expectError(gated, 'captcha_required', 'captcha_required', 428);
    provider.setCaptchaToken('cap_not-a-real-token');
    expectError((await client.signInWithPassword({ username: 'demo', password: 'wrong-password' })).error, 'captcha_required', 'captcha_invalid', 428);
    const url = gated!.fields!.captchaUrl!;
    const html = await (await fetch(url)).text();
    const answer = /data-captcha-answer="(\d{4})"/.exec(html)![1];
    const done = await fetch(new URL(`complete?id=${new URL(url).searchParams.get('id')}&answer=${answer}`, url), { redirect: 'manual' });
    provider.setCaptchaToken(new URL(done.headers.get('location')!).searchParams.get('captcha_token'));
    expectError((await client.signInWithPassword({ username: 'demo', password: 'wrong-password' })).error, 'invalid_credentials', 'invalid_password');
    expectError((await client.signInWithPassword({ username: 'demo', password: 'wrong-password' })).error, 'account_locked', 'invalid_status', 403);
    expectError((await client.signInWithPassword({ username: 'demo', password: PASSWORD })).error, 'account_locked', 'invalid_status', 403);
  });

  test('user_blocked, user_pending → account_disabled; phone_required → mfa_required', async () => {
    const { client } = makeClient(m.url);
    expectError((await client.signInWithPassword({ username: 'blocked', password: PASSWORD })).error, 'account_disabled', 'user_blocked', 403);
    expectError((await client.signInWithPassword({ email: 'pending@example.com', password: PASSWORD })).error, 'account_disabled', 'user_pending', 403);
    expectError((await client.signInWithPassword({ username: 'smsonly', password: PASSWORD })).error, 'mfa_required', 'phone_required', 403);
    // The SMS code finishes it, as phone_required asks.
    await client.signInWithOtp({ phone: '+8613800000003' });
    assert.equal((await client.verifyOtp({ token: code('+86 13800000003') })).error, null);
  });

  test('wrong code → invalid_code (and a retry works); 5 wrong → max_attempts_exceeded → rate_limited', async () => {
    const { client } = makeClient(m.url);
    await client.signInWithOtp({ email: 'otp-wrong@example.com' });
    const right = code('otp-wrong@example.com');
    const wrong = right === '000000' ? '111111' : '000000';
    expectError((await client.verifyOtp({ token: wrong })).error, 'invalid_code', 'invalid_verification_code', 400);
    assert.equal((await client.verifyOtp({ token: right })).error, null);
    await client.signInWithOtp({ email: 'otp-burnt@example.com' });
    const burnt = code('otp-burnt@example.com') === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) await client.verifyOtp({ token: burnt });
    expectError((await client.verifyOtp({ token: burnt })).error, 'rate_limited', 'max_attempts_exceeded', 400);
  });

  test('an expired verification → code_expired', async () => {
    const { client } = makeClient(m.url);
    await client.signInWithOtp({ email: 'late@example.com' });
    m.clock.advance(301_000);
    expectError((await client.verifyOtp({ token: code('late@example.com') })).error, 'code_expired', 'code_expired', 400);
  });

  test('a second send within the interval → rate_limit_exceeded (4029) → rate_limited with retryAfter', async () => {
    const { client } = makeClient(m.url);
    assert.equal((await client.signInWithOtp({ phone: '+8613900000001' })).error, null);
    const { error } = await client.signInWithOtp({ phone: '+8613900000001' });
    expectError(error, 'rate_limited', 'rate_limit_exceeded', 429);
    assert.ok(error!.retryAfter! > 0 && error!.retryAfter! <= 60);
  });

  test('invalid_phone_number (4001), invalid_argument → invalid_request; already_exists → user_exists', async () => {
    const { client } = makeClient(m.url);
    const phone = (await client.signInWithOtp({ phone: '+861234567' })).error;
    expectError(phone, 'invalid_request', 'invalid_phone_number', 400);
    assert.ok(phone!.fields!.phone);
    await client.signUp({ email: 'short@example.com', password: 'abc' });
    expectError((await client.verifyOtp({ token: code('short@example.com') })).error, 'invalid_request', 'invalid_argument', 400);
    await client.signUp({ email: 'taken-name@example.com', username: 'demo', password: 'long-password' });
    expectError((await client.verifyOtp({ token: code('taken-name@example.com') })).error, 'user_exists', 'already_exists', 409);
  });

  test('permission_denied (source not enabled) → config; a bad provider code (invalid_grant) → code_expired', async () => {
    const { client } = makeClient(m.url, { providers: ['facebook', 'github'] });
    expectError((await client.signInWithOAuth({ provider: 'facebook' })).error, 'config', 'permission_denied', 403);
    const started = await client.signInWithOAuth({ provider: 'github', options: { skipBrowserRedirect: true } });
    const state = new URL(started.data.url!).searchParams.get('state')!;
    const callback = `${APP}?cloudbase_source=github&code=pc_forged&state=${state}`;
    expectError((await client.handleRedirectCallback(callback)).error, 'code_expired', 'invalid_grant', 400);
  });

  test('invalid_grant on refresh → session_expired (and the client signs out); unauthenticated → session_expired', async () => {
    const { client, provider } = makeClient(m.url);
    await client.signInWithOtp({ phone: '+8613900000002' });
    const session = (await client.verifyOtp({ token: code('+86 13900000002') })).data.session!;
    await client.refreshSession();
    await assert.rejects(provider.refresh!(session, { http: createHttp() }), { code: 'session_expired', providerCode: 'invalid_grant' });
    await provider.signOut!(client.state.session!, {}, { http: createHttp() });
    expectError((await client.refreshSession()).error, 'session_expired', 'invalid_grant', 400);
    assert.equal(client.state.session, null);
    await assert.rejects(provider.getUser!({ ...session, access_token: 'not-a-token' }, { http: createHttp() }), { code: 'session_expired', providerCode: 'unauthenticated', status: 401 });
  });
});

describe('cloudbase errors: recorded edge cases', () => {
  const stub = (status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    (async () => new Response(body, { status, headers })) as typeof fetch;
  const signIn = (f: typeof fetch) => makeClient('https://env.example', {}, f).client.signInWithPassword({ username: 'demo', password: PASSWORD });

  test('every row of the table maps, keeping providerCode and status', async () => {
    for (const [name, expected] of Object.entries(CLOUDBASE_ERRORS)) {
      const { error } = await signIn(stub(400, JSON.stringify({ error: name, error_code: 4000, error_description: 'x' })));
      expectError(error, expected, name, 400);
    }
  });

  test('unknown codes fall back: 4xx → invalid_request, 5xx → server; a known number alone is used', async () => {
    expectError((await signIn(stub(400, '{"error":"brand_new","error_code":4999}'))).error, 'invalid_request', 'brand_new', 400);
    expectError((await signIn(stub(500, '{"error":"brand_new","error_code":5999}'))).error, 'server', 'brand_new', 500);
    expectError((await signIn(stub(400, '{"error_code":4028}'))).error, 'captcha_required', 4028, 400);
  });

  test('malformed JSON, an HTML error page and an empty body → server', async () => {
    for (const [status, body, type] of [[200, '{"access_token":', 'application/json'], [502, '<html><body>Bad gateway</body></html>', 'text/html'], [500, '', 'application/json']] as const) {
      const { error } = await signIn(stub(status, body, { 'content-type': type }));
      assert.equal(error?.code, 'server', `${status} ${body}`);
      assert.equal(error?.status, status);
    }
  });

  test('a 429 with Retry-After and no CloudBase body → rate_limited with retryAfter', async () => {
    const { error } = await signIn(stub(429, 'slow down', { 'retry-after': '30', 'content-type': 'text/plain' }));
    assert.equal(error?.code, 'rate_limited');
    assert.equal(error?.retryAfter, 30);
  });

  test('headers: client_id query, a kept x-device-id, a fresh x-request-id, the publishable key, x-captcha-token', async () => {
    const seen: Array<{ url: string; headers: Record<string, string | string[] | undefined> }> = [];
    const server = await startServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      json(res, 400, { error: 'invalid_password', error_code: 4002, error_description: 'x' });
    });
    try {
      const { client, provider } = makeClient(server.url, { accessKey: 'pk-demo', deviceId: undefined });
      await client.signInWithPassword({ username: 'demo', password: PASSWORD });
      provider.setCaptchaToken('cap_1');
      await client.signInWithPassword({ phone: '+8613800000000', password: PASSWORD });
      assert.equal(seen.length, 2);
      assert.equal(new URL(seen[0].url, server.url).searchParams.get('client_id'), 'demo-env');
      assert.equal(seen[0].url.split('?')[0], '/auth/v1/signin');
      assert.ok(seen[0].headers['x-device-id'] && seen[0].headers['x-device-id'] === seen[1].headers['x-device-id']);
      assert.notEqual(seen[0].headers['x-request-id'], seen[1].headers['x-request-id']);
      assert.equal(seen[0].headers.authorization, 'Bearer pk-demo');
      assert.equal(seen[0].headers['x-captcha-token'], undefined);
      assert.equal(seen[1].headers['x-captcha-token'], 'cap_1');
    } finally {
      await server.close();
    }
  });

  test('settings: a secret or a missing env is refused; key, default baseUrl and capabilities', async () => {
    assert.equal(cloudbaseProvider({ env: 'e', apiKey: 'server-key' } as CloudbaseSettings).configError?.code, 'config');
    assert.equal(cloudbaseProvider({} as CloudbaseSettings).configError?.providerCode, 'missing_env');
    const p = cloudbaseProvider({ env: 'my-env', providers: ['wx_open'], region: 'ap-guangzhou' });
    assert.equal(p.configError, undefined);
    assert.equal(p.key, 'cloudbase:my-env:my-env');
    assert.deepEqual(p.capabilities.otp, ['email']);
    assert.deepEqual(p.capabilities.oauth, ['wx_open']);
    let url = '';
    const { client } = makeClient('', { baseUrl: undefined, env: 'my-env' }, (async (u: string | URL) => ((url = String(u)), new Response('{}', { status: 500 }))) as typeof fetch);
    await client.signInAnonymously();
    assert.equal(url.split('?')[0], 'https://my-env.api.tcloudbasegateway.com/auth/v1/signin/anonymously');
  });

  test('without a deviceId setting, the x-device-id is kept in localStorage when there is one', async () => {
    const kept = new Map<string, string>();
    const fake = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    const ids: string[] = [];
    const record = (async (_u: string | URL, init?: RequestInit) => (ids.push((init!.headers as Record<string, string>)['x-device-id']), new Response('{}', { status: 500 }))) as typeof fetch;
    Object.defineProperty(globalThis, 'localStorage', { value: fake, configurable: true });
    try {
      for (let i = 0; i < 2; i++) await makeClient('https://env.example', { deviceId: undefined }, record).client.signInAnonymously();
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    assert.equal(kept.get(DEVICE_ID_KEY), ids[0]);
  });

  test('phone numbers go out in the documented "+86 " form', () => {
    assert.equal(cloudbasePhone('+8613800138000'), '+86 13800138000');
    assert.equal(cloudbasePhone('13800138000'), '+86 13800138000');
    assert.equal(cloudbasePhone('+86 138 0013 8000'), '+86 13800138000');
    assert.equal(cloudbasePhone('+14155550100'), '+1 4155550100');
    assert.equal(cloudbasePhone('+85291234567'), '+852 91234567');
    assert.throws(() => cloudbasePhone('hello'), { code: 'invalid_request' });
  });
});
