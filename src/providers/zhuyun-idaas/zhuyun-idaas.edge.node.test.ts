// Recorded edge cases the emulation does not produce: gateway pages, throttling, broken bodies,
// unknown codes and statuses, served by a stub fetch; plus the header and message parsers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testEnvironment } from '../../../test/support/environment.js';
import type { AdapterContext, AuthError, HttpResponse, PendingStep, StepRequest } from '../../contract/index.js';
import { AuthClient } from '../../core/client.js';
import { agent, languageHeader, operatingSystem } from './device.js';
import { parseLockSeconds, parseRemaining } from './errors.js';
import { parsePolicy, toMobile, zhuyunIdaasProvider } from './zhuyun-idaas.js';

const BASE = 'https://tenant.example.com';

type Reply = { status: number; body: string; headers?: Record<string, string> };
const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({ status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

/** A client whose fetch answers from `replies`, in order, and records the paths it was asked. */
function stubbed(...replies: Reply[]) {
  const paths: string[] = [];
  const stubFetch: typeof fetch = async (input) => {
    paths.push(new URL(String(input)).pathname);
    const reply = replies.shift() ?? jsonReply(599, {});
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  };
  const client = new AuthClient({
    provider: zhuyunIdaasProvider({ baseUrl: BASE, clientId: 'c' }),
    storage: 'memory',
    environment: testEnvironment(null),
    http: { fetch: stubFetch, sleep: async () => {} },
  });
  return { client, paths };
}

async function signInError(...replies: Reply[]) {
  const { client, paths } = stubbed(...replies);
  const { error } = await client.signInWithPassword({ phone: '+8613800000010', password: 'pw' });
  client.destroy();
  return { error: error!, paths };
}

describe('zhuyun-idaas recorded edge cases', () => {
  test('a malformed JSON body is a server error', async () => {
    const { error } = await signInError({ status: 400, body: '{"error_code": "IDAAS.SDK.LOG', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([error.code, error.status], ['server', 400]);
  });

  test('an HTML error page from a gateway is a server error', async () => {
    const { error } = await signInError({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } });
    assert.deepEqual([error.code, error.status], ['server', 502]);
    assert.ok(!error.message.includes('<'));
  });

  test('an empty 200 and a 200 without session_token are server errors', async () => {
    assert.equal((await signInError({ status: 200, body: '' })).error.code, 'server');
    const missing = await signInError(jsonReply(200, { status: 'SUCCESS', expire: 10 }));
    assert.deepEqual([missing.error.code, missing.error.providerCode], ['server', 'SUCCESS']);
  });

  test('a 429 with Retry-After is rate_limited with the wait, and the sign-in is not resent', async () => {
    const { error, paths } = await signInError(jsonReply(429, { error: 'too many' }, { 'retry-after': '30' }), jsonReply(200, {}));
    assert.deepEqual([error.code, error.retryAfter, error.status], ['rate_limited', 30, 429]);
    assert.equal(paths.length, 1);
  });

  test('a 503 with Retry-After is rate_limited; without it, a server error', async () => {
    assert.equal((await signInError({ status: 503, body: 'busy', headers: { 'retry-after': '5' } })).error.code, 'rate_limited');
    assert.equal((await signInError({ status: 503, body: '' })).error.code, 'server');
  });

  test('unknown error codes fall back on the status, keeping the code', async () => {
    const four = await signInError(jsonReply(400, { error_code: 'IDAAS.SDK.NEW.9999', error_msg: 'something new' }));
    assert.deepEqual([four.error.code, four.error.providerCode, four.error.status], ['invalid_request', 'IDAAS.SDK.NEW.9999', 400]);
    assert.ok(!four.error.message.includes('something new'), 'our text, not the server’s');
    const five = await signInError(jsonReply(500, { error_code: 'IDAAS.SDK.COM.0099', error_msg: 'x' }));
    assert.deepEqual([five.error.code, five.error.status], ['server', 500]);
    const shapeless = await signInError(jsonReply(404, { error: 'not_found' }));
    assert.deepEqual([shapeless.error.code, shapeless.error.status], ['invalid_request', 404]);
  });

  test('an error body under HTTP 200 is still an error', async () => {
    const { error } = await signInError(jsonReply(200, { error_code: 'IDAAS.SDK.USER.0039', error_msg: 'User is disabled' }));
    assert.deepEqual([error.code, error.status], ['account_disabled', 200]);
  });

  test('an undocumented status (e.g. an MFA step) is unsupported, not a crash', async () => {
    const { error } = await signInError(jsonReply(200, { status: 'NEED_MFA', state_token: 't' }));
    assert.deepEqual([error.code, error.providerCode], ['unsupported', 'NEED_MFA']);
  });

  test('OAuth-shaped bodies (§4.5 ROPC rows) map by description', async () => {
    const cases: Array<[unknown, string]> = [
      [{ error: 'invalid_grant', error_description: 'Bad credentials' }, 'invalid_credentials'],
      [{ error: 'invalid_grant', error_description: 'User is locked' }, 'account_locked'],
      [{ error: 'invalid_grant', error_description: 'User is disabled' }, 'account_disabled'],
      [{ error: 'invalid_grant', error_description: 'Password has expired' }, 'password_expired'],
      [{ error: 'invalid_client' }, 'config'],
    ];
    for (const [body, code] of cases) assert.equal((await signInError(jsonReply(400, body))).error.code, code, JSON.stringify(body));
  });

  test('a lock message without a time still maps to account_locked, with no attempt left', async () => {
    const { error } = await signInError(jsonReply(400, { error_code: 'IDAAS.SDK.LOGIN.0001', error_msg: 'locked' }));
    assert.equal(error.code, 'account_locked');
    assert.equal(error.lockedUntil, undefined);
    assert.equal(error.retryAfter, undefined);
    assert.equal(error.remainingAttempts, 0);
  });

  test('a failed attempt without a count in the message has no remainingAttempts', async () => {
    const { error } = await signInError(jsonReply(400, { error_code: 'IDAAS.SDK.LOGIN.0002', error_msg: 'Invalid account or password.' }));
    assert.deepEqual([error.code, error.remainingAttempts], ['invalid_credentials', undefined]);
  });

  test('an empty 200 from /pwd/update means "changed": the client signs in with the new password', async () => {
    const policy = JSON.stringify({ minLength: 4 });
    const { client, paths } = stubbed(
      jsonReply(200, { status: 'PASSWORD_EXPIRED', state_token: 'st', data: policy }),
      { status: 200, body: '' },
      jsonReply(200, { status: 'SUCCESS', session_token: 'tok', expire: 60, id_token: 'x.eyJzdWIiOiJ1MSJ9.y' }),
    );
    const first = await client.signInWithPassword({ phone: '13800000012', password: 'old' });
    assert.equal((first.data.step as PendingStep).kind, 'password_change');
    const { data, error } = await client.changePassword({ oldPassword: 'old', newPassword: 'newer' });
    assert.equal(error, null);
    assert.equal(data.session?.user.id, 'u1');
    assert.equal(data.session?.expires_in, 60);
    assert.deepEqual(paths, ['/api/v2/sdk/login/mobile-pwd', '/api/v2/sdk/pwd/update', '/api/v2/sdk/login/mobile-pwd']);
    client.destroy();
  });
});

/** The adapter alone, answered by one recorded body: what it throws or returns. */
async function adapterAnswer(status: number, body: unknown, via: 'login' | 'update' = 'login') {
  const response: HttpResponse = { status, headers: new Headers({ 'content-type': 'application/json' }), body, text: JSON.stringify(body) };
  const ctx: AdapterContext = { http: async () => response, lang: 'en' };
  const adapter = zhuyunIdaasProvider({ baseUrl: BASE, clientId: 'c' });
  const step = { kind: 'password_change', required: true, context: { stateToken: 'st' } } as const;
  try {
    return via === 'login' ? await adapter.signInWithPassword!({ phone: '13800000010', password: 'pw' }, ctx) : await adapter.changePassword!(step, { oldPassword: 'a', newPassword: 'b' }, ctx);
  } catch (error) {
    return error as AuthError;
  }
}

/** An error's code and parameters, and nothing else an adapter may set. */
function parameters(error: AuthError) {
  const { code, providerCode, status, remainingAttempts, retryAfter, lockedUntil, invalid, policy, fields } = error;
  const all = { code, providerCode, status, remainingAttempts, retryAfter, lockedUntil, invalid, policy, fields };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

describe('zhuyun-idaas error mapping, row by row (PROVIDERS.md §4.5 = seed 002 error table)', () => {
  // Each row: the recorded body (the seed's `error_msg` with its placeholders filled in, English
  // or Chinese as X-L picks) → the code and parameters expected, written out here on purpose
  // (a loop over the adapter's own table would pass with a wrong row).
  test('IDAAS.SDK.LOGIN.0002 → invalid_credentials with the attempts left, from English and Chinese', async () => {
    for (const error_msg of ['Invalid account or password. Remaining times: 9', '无效的账号或密码。 剩余次数:9']) {
      const error = await adapterAnswer(400, { error_code: 'IDAAS.SDK.LOGIN.0002', error_msg });
      assert.deepEqual(parameters(error as AuthError), { code: 'invalid_credentials', providerCode: 'IDAAS.SDK.LOGIN.0002', status: 400, remainingAttempts: 9 }, error_msg);
    }
  });

  test('IDAAS.SDK.LOGIN.0001 → account_locked, unlock time as lockedUntil (epoch s) and retryAfter (s), no attempt left', async () => {
    const messages = [
      'User has been locked out due to multiple login failures. It will be unlocked in 4 minutes and 59 seconds',
      '由于多次登录失败,用户已被锁定。 它将在 4 分钟和 59 秒内解锁',
    ];
    for (const error_msg of messages) {
      const before = Math.floor(Date.now() / 1000);
      const error = (await adapterAnswer(400, { error_code: 'IDAAS.SDK.LOGIN.0001', error_msg })) as AuthError;
      const after = Math.floor(Date.now() / 1000);
      const { lockedUntil, ...rest } = parameters(error);
      assert.deepEqual(rest, { code: 'account_locked', providerCode: 'IDAAS.SDK.LOGIN.0001', status: 400, retryAfter: 299, remainingAttempts: 0 }, error_msg);
      assert.ok((lockedUntil as number) >= before + 299 && (lockedUntil as number) <= after + 299, `${error_msg}: ${lockedUntil}`);
    }
  });

  test('the other rows of the table', async () => {
    const rows: Array<[number, string, string, ReturnType<typeof parameters>]> = [
      // [HTTP status, error_code, error_msg (seed, English), expected]
      [400, 'IDAAS.SDK.USER.0039', 'User is disabled', { code: 'account_disabled' }],
      [400, 'IDAAS.SDK.USER.0004', 'Mobile number cannot be empty', { code: 'invalid_request', invalid: { phone: 'required' } }],
      [400, 'IDAAS.SDK.USER.0006', 'Password cannot be empty', { code: 'invalid_request', invalid: { password: 'required' } }],
      [400, 'IDAAS.SDK.PARAM.0001', 'Device information is incomplete', { code: 'invalid_request' }],
      [400, 'IDAAS.SDK.PARAM.0002', 'clientId cannot be empty', { code: 'config' }],
      [400, 'IDAAS.SDK.PARAM.0003', 'The app is not registered, please register the app first', { code: 'config' }],
      // §4.5 row 7 (not in the seed's table; the skip/force-change pages).
      [400, 'IDAAS.SDK.PARAM.0014', 'Invalid state token', { code: 'session_expired' }],
      [500, 'IDAAS.SDK.COM.0002', 'System busy, please try again later', { code: 'server' }],
    ];
    for (const [status, code, error_msg, expected] of rows) {
      const error = (await adapterAnswer(status, { error_code: code, error_msg })) as AuthError;
      assert.deepEqual(parameters(error), { providerCode: code, status, ...expected }, code);
      assert.equal(error.message, error.code, `${code}: the adapter writes no sentence`);
    }
  });

  test('[?] /pwd/update policy refusals (the reference server’s PWD.0001 / PWD.0004) → password_policy on newPassword', async () => {
    const reused = await adapterAnswer(400, { error_code: 'IDAAS.SDK.PWD.0001', error_msg: 'The password is used before, cannot be used again' }, 'update');
    assert.deepEqual(parameters(reused as AuthError), { code: 'password_policy', providerCode: 'IDAAS.SDK.PWD.0001', status: 400, invalid: { newPassword: 'reused' } });
    const simple = await adapterAnswer(400, { error_code: 'IDAAS.SDK.PWD.0004', error_msg: 'Your password complexity is low, Use at least 3 of: digits' }, 'update');
    assert.deepEqual(parameters(simple as AuthError), { code: 'password_policy', providerCode: 'IDAAS.SDK.PWD.0004', status: 400, invalid: { newPassword: 'too_simple' } });
  });

  test('the login statuses (HTTP 200): PASSWORD_WARN and PASSWORD_EXPIRED are steps, ACCESS_DENIED is account_disabled', async () => {
    const data = '{"maxLength":18,"minLength":8,"regEx":"^a+$","tip":"至少包含数字、大写字母、小写字母和特殊字符中的3种"}';
    const policy = { minLength: 8, maxLength: 18, pattern: '^a+$', tip: '至少包含数字、大写字母、小写字母和特殊字符中的3种' };
    const warn = await adapterAnswer(200, { status: 'PASSWORD_WARN', state_token: 'w', data });
    assert.deepEqual(warn, { kind: 'password_change', required: false, policy, context: { stateToken: 'w' } } satisfies StepRequest);
    const expired = await adapterAnswer(200, { status: 'PASSWORD_EXPIRED', state_token: 'e', data });
    assert.deepEqual(expired, { kind: 'password_change', required: true, policy, context: { stateToken: 'e' } } satisfies StepRequest);
    const denied = await adapterAnswer(200, { status: 'ACCESS_DENIED' });
    assert.deepEqual(parameters(denied as AuthError), { code: 'account_disabled', providerCode: 'ACCESS_DENIED', status: 200 });
  });
});

describe('zhuyun-idaas parsers', () => {
  test('remaining attempts and lock time, English and Chinese (half- and full-width colons)', () => {
    assert.equal(parseRemaining('Invalid account or password. Remaining times: 9'), 9);
    assert.equal(parseRemaining('无效的账号或密码。 剩余次数:3'), 3);
    assert.equal(parseRemaining('无效的账号或密码。剩余次数：2'), 2);
    assert.equal(parseRemaining('Invalid account or password.'), undefined);
    assert.equal(parseLockSeconds('It will be unlocked in 4 minutes and 59 seconds'), 299);
    assert.equal(parseLockSeconds('由于多次登录失败,用户已被锁定。 它将在 29 分钟和 5 秒内解锁'), 1745);
    assert.equal(parseLockSeconds('locked'), undefined);
  });

  test('policy: `data` as a JSON string or object; junk is ignored', () => {
    assert.deepEqual(parsePolicy('{"maxLength":18,"minLength":8,"regEx":"^a+$","tip":"t"}'), { minLength: 8, maxLength: 18, pattern: '^a+$', tip: 't' });
    assert.deepEqual(parsePolicy({ minLength: '6' }), { minLength: 6 });
    assert.equal(parsePolicy('not json'), undefined);
    assert.equal(parsePolicy(undefined), undefined);
  });

  test('mobile numbers: +86 and 0086 dropped, others kept', () => {
    assert.equal(toMobile('+86 138-0000-0010'), '13800000010');
    assert.equal(toMobile('008613800000010'), '13800000010');
    assert.equal(toMobile('+85261234567'), '+85261234567');
  });

  test('device headers from a navigator, and safe without one', () => {
    const chrome = { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120', platform: 'Win32' };
    assert.equal(operatingSystem(chrome), 'windows10.0');
    assert.equal(operatingSystem({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X)' }), 'ios17.2');
    assert.equal(operatingSystem({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)' }), 'macos10.15.7');
    assert.equal(operatingSystem({ userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8)' }), 'android14');
    assert.equal(operatingSystem({ userAgent: 'X11', platform: 'Linux x86_64' }), 'Linux x86_64');
    assert.equal(operatingSystem(undefined), 'unknown');
    assert.equal(agent(chrome), chrome.userAgent);
    assert.equal(agent(undefined), 'unknown');
    // X-L: the seed's `zh` for Chinese; [?] `en` for English (the seed shows only `zh`).
    assert.equal(languageHeader('zh-CN'), 'zh');
    assert.equal(languageHeader('en'), 'en');
  });
});
