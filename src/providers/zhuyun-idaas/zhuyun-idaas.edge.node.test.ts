// Recorded edge cases the emulation does not produce: gateway pages, throttling, broken bodies,
// unknown codes and statuses, served by a stub fetch; plus the header and message parsers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testEnvironment } from '../../../test/support/environment.js';
import { AuthClient } from '../../core/client.js';
import type { PendingStep } from '../../core/steps.js';
import { agent, language, operatingSystem } from './device.js';
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

  test('a lock message without a time still maps to account_locked', async () => {
    const { error } = await signInError(jsonReply(400, { error_code: 'IDAAS.SDK.LOGIN.0001', error_msg: 'locked' }));
    assert.equal(error.code, 'account_locked');
    assert.equal(error.lockedUntil, undefined);
  });

  test('an empty 200 from /pwd/update means "changed": the client signs in with the new password', async () => {
    const policy = JSON.stringify({ minLength: 4 });
    const { client, paths } = stubbed(
      jsonReply(200, { status: 'PASSWORD_EXPIRED', state_token: 'st', data: policy }),
      { status: 200, body: '' },
      jsonReply(200, { status: 'SUCCESS', session_token: 'tok', expire: 60, id_token: 'x.eyJzdWIiOiJ1MSJ9.y' }),
    );
    const first = await client.signInWithPassword({ phone: '13800000012', password: 'old' });
    assert.equal((first.data.step as PendingStep).step, 'password_change');
    const { data, error } = await client.changePassword({ oldPassword: 'old', newPassword: 'newer' });
    assert.equal(error, null);
    assert.equal(data.session?.user.id, 'u1');
    assert.equal(data.session?.expires_in, 60);
    assert.deepEqual(paths, ['/api/v2/sdk/login/mobile-pwd', '/api/v2/sdk/pwd/update', '/api/v2/sdk/login/mobile-pwd']);
    client.destroy();
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
    const chrome = { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120', platform: 'Win32', language: 'zh-CN' };
    assert.equal(operatingSystem(chrome), 'windows10.0');
    assert.equal(operatingSystem({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X)' }), 'ios17.2');
    assert.equal(operatingSystem({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)' }), 'macos10.15.7');
    assert.equal(operatingSystem({ userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8)' }), 'android14');
    assert.equal(operatingSystem({ userAgent: 'X11', platform: 'Linux x86_64' }), 'Linux x86_64');
    assert.equal(operatingSystem(undefined), 'unknown');
    assert.equal(agent(chrome), chrome.userAgent);
    assert.equal(agent(undefined), 'unknown');
    assert.equal(language(undefined, chrome), 'zh_CN');
    assert.equal(language(undefined, { language: 'en-US' }), 'en');
    assert.equal(language(undefined, undefined), 'en');
    assert.equal(language('zh_CN', { language: 'en-US' }), 'zh_CN');
  });
});
