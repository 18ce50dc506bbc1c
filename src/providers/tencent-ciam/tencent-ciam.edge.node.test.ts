// Recorded edge cases with a stub fetch (wire format, unreadable answers, throttling, unknown
// codes), plus the emulation's own 429 on /otp/send through the relay over real HTTP.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { tencentCiamBackend } from '../../../demo/server/tencent-ciam/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { testEnvironment } from '../../../test/support/environment.js';
import type { AdapterContext, AuthError, HttpResponse } from '../../contract/index.js';
import { AuthClient } from '../../core/client.js';
import { createRelay, toNodeHandler } from '../../relay/index.js';
import { ciamPhone, tencentCiamProvider } from './tencent-ciam.js';

const BASE = 'https://tenant.portal.example';
const RELAY = 'https://app.example/auth-relay';
const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const TOKENS = { access_token: jwt({ sub: 'u-1', scope: ['openid'] }), token_type: 'Bearer', expires_in: 299, refresh_token: 'r', id_token: jwt({ sub: 'u-1', aud: 'cid' }), scope: 'openid' };

interface Seen { url: string; type: string | null; body: string }

/** A client whose every request is answered by `answer` and recorded in `seen`. */
function stubbed(answer: (seen: Seen) => Response) {
  const seen: Seen[] = [];
  const fetchStub: typeof fetch = async (input, init) => {
    const call = { url: String(input), type: new Headers(init?.headers).get('content-type'), body: String(init?.body ?? '') };
    seen.push(call);
    return answer(call);
  };
  const provider = tencentCiamProvider({ baseUrl: `${BASE}/`, relayUrl: RELAY, clientId: 'cid', authSourceId: 'pwd', smsAuthSourceId: 'sms', emailAuthSourceId: 'mail' });
  const client = new AuthClient({ provider, storage: 'memory', environment: testEnvironment('https://app.example/'), autoRefresh: false, http: { fetch: fetchStub, attempts: 1 } });
  return { client, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json;charset=UTF-8', ...headers } });

async function passwordError(response: () => Response) {
  const { client } = stubbed(response);
  const { error } = await client.signInWithPassword({ username: 'demo', password: 'pw' });
  client.destroy();
  return error!;
}

describe('tencent-ciam recorded edge cases', () => {
  test('wire format: password is a form with auth_source_id; the OTP steps are JSON to the relay', async () => {
    const { client, seen } = stubbed((call) => (call.url.endsWith('/otp/send') ? json(200, { otp_token: 'tok' }) : json(200, TOKENS)));
    const signedIn = await client.signInWithPassword({ phone: '+8613612345678', password: 'pw' });
    assert.equal(signedIn.data.session?.user.id, 'u-1');
    assert.equal(seen[0]!.url, `${BASE}/oauth2/token`);
    assert.equal(seen[0]!.type, 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(seen[0]!.body)), { grant_type: 'password', client_id: 'cid', auth_source_id: 'pwd', username: '13612345678', password: 'pw', scope: 'openid' });
    await client.signInWithOtp({ email: 'A@example.com' });
    assert.equal(seen[1]!.url, `${RELAY}/otp/send`);
    assert.deepEqual(JSON.parse(seen[1]!.body), { usage: 'login', email: 'A@example.com', auth_source_id: 'mail' });
    assert.equal((await client.verifyOtp({ token: '123456' })).error, null);
    assert.equal(seen[2]!.url, `${RELAY}/oauth2/token`);
    assert.equal(seen[2]!.type, 'application/json');
    assert.deepEqual(JSON.parse(seen[2]!.body), { grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/email', client_id: 'cid', auth_source_id: 'mail', email: 'A@example.com', otp_token: 'tok', otp: '123456' });
    await client.signInWithOtp({ phone: '+8613612345678', options: { shouldCreateUser: true } });
    await client.verifyOtp({ token: '654321' });
    assert.equal(JSON.parse(seen[4]!.body).auto_signup, true);
    assert.equal(JSON.parse(seen[4]!.body).phone_number, '13612345678');
    client.destroy();
  });

  test('malformed JSON, an HTML error page and an empty 500 are server errors', async () => {
    const malformed = await passwordError(() => new Response('{"access_token": ', { status: 200, headers: { 'content-type': 'application/json' } }));
    assert.deepEqual([malformed.code, malformed.status], ['server', 200]);
    const malformed400 = await passwordError(() => new Response('{"error": "invalid_gr', { status: 400, headers: { 'content-type': 'application/json' } }));
    assert.equal(malformed400.code, 'server');
    const html = await passwordError(() => new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    assert.deepEqual([html.code, html.status], ['server', 502]);
    assert.ok(!html.message.includes('<'));
    const empty = await passwordError(() => new Response(null, { status: 500 }));
    assert.deepEqual([empty.code, empty.status], ['server', 500]);
    const noToken = await passwordError(() => json(200, { token_type: 'Bearer' }));
    assert.equal(noToken.code, 'server');
    const noSub = await passwordError(() => json(200, { ...TOKENS, id_token: undefined, access_token: jwt({ scope: ['openid'] }) }));
    assert.equal(noSub.code, 'server');
  });

  test('429 with Retry-After is rate_limited with the wait (and not retried)', async () => {
    let calls = 0;
    const limited = await passwordError(() => (calls++, json(429, { error: 'too_many_requests', error_description: 'slow down' }, { 'retry-after': '7' })));
    assert.deepEqual([limited.code, limited.retryAfter, limited.status, limited.providerCode, calls], ['rate_limited', 7, 429, 'too_many_requests', 1]);
    const busy = await passwordError(() => new Response('busy', { status: 503, headers: { 'retry-after': '3' } }));
    assert.deepEqual([busy.code, busy.retryAfter], ['rate_limited', 3]);
  });

  test('unknown codes fall back on the status; prototype names and parameter errors are handled', async () => {
    const unknown = await passwordError(() => json(400, { error: 'brand_new_error', error_description: 'Something new' }));
    assert.deepEqual([unknown.code, unknown.providerCode, unknown.status], ['invalid_request', 'brand_new_error', 400]);
    assert.equal((await passwordError(() => json(500, { error: 'kaboom' }))).code, 'server');
    assert.equal((await passwordError(() => json(400, { error: 'constructor' }))).code, 'invalid_request');
    assert.equal((await passwordError(() => json(400, { error: '__proto__', error_description: 'toString' }))).code, 'invalid_request');
    assert.equal((await passwordError(() => json(400, { error: 42 }))).code, 'invalid_request');
    const missing = await passwordError(() => json(400, { error: 'invalid_request', error_description: 'Missing required parameter: username' }));
    assert.deepEqual([missing.code, missing.providerCode, missing.invalid], ['invalid_request', 'invalid_request', { username: 'invalid' }]);
    assert.ok(missing.fields?.username, 'the client words the field');
    const fields: Array<[string, object]> = [['phone_number', { phone: 'invalid' }], ['email', { email: 'invalid' }], ['password', { password: 'invalid' }], ['otp', { code: 'invalid' }]];
    for (const [name, invalid] of fields) {
      const error = await passwordError(() => json(400, { error: 'invalid_request', error_description: `Invalid parameter: ${name}` }));
      assert.deepEqual([error.code, error.invalid], ['invalid_request', invalid], name);
    }
    const client = await passwordError(() => json(401, { error: 'invalid_client', error_description: 'Client authentication failed' }));
    assert.equal(client.code, 'config');
    const timeout = await passwordError(() => json(504, { error: 'upstream_timeout', error_description: 'late' }));
    assert.equal(timeout.code, 'timeout');
  });

  test('phone numbers: mainland +86 numbers go bare, others stay E.164', () => {
    assert.equal(ciamPhone('+8613800000001'), '13800000001');
    assert.equal(ciamPhone('+86 138 0000 0001'), '13800000001');
    assert.equal(ciamPhone('+85291234567'), '+85291234567');
  });

  test('the emulation throttles a second send: rate_limited with Retry-After through the relay', async () => {
    const m = await mountBackend(tencentCiamBackend, { policies: { sendIntervalSeconds: 30 } });
    const relay = createRelay({ provider: 'tencent-ciam', upstream: m.url, credentials: { clientId: 'ciam-demo-client', clientSecret: 'ciam-demo-secret' }, allowedOrigins: ['http://127.0.0.1:5173'] });
    const server = createServer(toNodeHandler(relay));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const withOrigin: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), origin: 'http://127.0.0.1:5173' } });
    const provider = tencentCiamProvider({ baseUrl: m.url, relayUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, clientId: 'ciam-demo-client', smsAuthSourceId: 'sms-source' });
    const client = new AuthClient({ provider, storage: 'memory', environment: testEnvironment('http://127.0.0.1:5173/'), http: { fetch: withOrigin } });
    try {
      assert.equal((await client.signInWithOtp({ phone: '+8613800000001' })).error, null);
      const again = await client.signInWithOtp({ phone: '+8613800000001' });
      assert.deepEqual([again.error?.code, again.error?.providerCode, again.error?.status], ['rate_limited', 'too_many_requests', 429]);
      assert.ok(again.error!.retryAfter! > 0 && again.error!.retryAfter! <= 30);
    } finally {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await m.close();
    }
  });
});

/** An error's code and parameters, and nothing else an adapter may set. */
function parameters(error: AuthError) {
  const { code, providerCode, status, remainingAttempts, retryAfter, lockedUntil, invalid, policy, fields } = error;
  const all = { code, providerCode, status, remainingAttempts, retryAfter, lockedUntil, invalid, policy, fields };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** The adapter alone: `/otp/send` succeeds, then the call under test gets the recorded answer. */
async function adapterError(call: 'otp' | 'password' | 'send' | 'code' | 'refresh', status: number, body: unknown, headers: Record<string, string> = {}) {
  const failure: HttpResponse = { status, headers: new Headers({ 'content-type': 'application/json;charset=UTF-8', ...headers }), body, text: JSON.stringify(body) };
  const sent: HttpResponse = { status: 200, headers: new Headers(), body: { otp_token: 'tok' }, text: '' };
  const ctx: AdapterContext = { http: async (request) => (call !== 'send' && String(request.url).endsWith('/otp/send') ? sent : failure), lang: 'en' };
  const adapter = tencentCiamProvider({ baseUrl: BASE, relayUrl: RELAY, clientId: 'cid', authSourceId: 'pwd', smsAuthSourceId: 'sms' });
  const session = { access_token: 'a', token_type: 'Bearer', expires_in: 60, expires_at: 0, refresh_token: 'r', user: { id: 'u-1' }, provider: 'tencent-ciam' } as const;
  try {
    if (call === 'otp') await adapter.verifyOtp!(await adapter.sendOtp!({ channel: 'sms', phone: '+8613612345678' }, ctx), '123456', ctx);
    else if (call === 'send') await adapter.sendOtp!({ channel: 'sms', phone: '+8613612345678' }, ctx);
    else if (call === 'password') await adapter.signInWithPassword!({ username: 'demo', password: 'pw' }, ctx);
    else if (call === 'code') await adapter.exchangeCode!({ code: 'c', codeVerifier: 'v'.repeat(43), redirectUri: 'https://app.example/', params: new URLSearchParams() }, ctx);
    else await adapter.refresh!(session, ctx);
  } catch (error) {
    return error as AuthError;
  }
  throw new Error(`${call} did not fail`);
}

describe('tencent-ciam error mapping, row by row (PROVIDERS.md §3.5 = seed 001 "Sample Error Responses")', () => {
  // Each row: the seed's recorded body (HTTP 400) → the code expected, written out here on
  // purpose (a loop over the adapter's own table would pass with a wrong row). The documented
  // rows share `error`, so providerCode keeps `error:error_description` to tell them apart.
  test('the six documented bodies of the OTP token exchange', async () => {
    const rows: Array<[string, string, string]> = [
      // [error, error_description, expected code]
      ['invalid_grant', 'Unknown or expired otp_token', 'code_expired'],
      ['invalid_grant', 'Unknown or expired OTP', 'invalid_code'],
      ['invalid_request', 'Mismatched OTP token and OTP sending parameters', 'invalid_request'],
      ['invalid_grant', 'User not found', 'user_not_found'],
      ['invalid_grant', 'Abnormal user status', 'account_locked'],
      ['invalid_auth_source', 'Auth source and application not associated', 'config'],
    ];
    for (const [error, description, code] of rows) {
      const mapped = await adapterError('otp', 400, { error, error_description: description });
      assert.deepEqual(parameters(mapped), { code, providerCode: `${error}:${description}`, status: 400 }, description);
      assert.equal(mapped.message, mapped.code, `${description}: the adapter writes no sentence`);
    }
  });

  test('the same documented rows on the password grant (frozen account, unlinked auth source)', async () => {
    assert.deepEqual(parameters(await adapterError('password', 400, { error: 'invalid_grant', error_description: 'Abnormal user status' })), { code: 'account_locked', providerCode: 'invalid_grant:Abnormal user status', status: 400 });
    assert.deepEqual(parameters(await adapterError('password', 400, { error: 'invalid_auth_source', error_description: 'Auth source and application not associated' })), { code: 'config', providerCode: 'invalid_auth_source:Auth source and application not associated', status: 400 });
  });

  test('[?] rows: other invalid_grant texts per call, /otp/send throttling, an unseen auth-source text', async () => {
    const other = { error: 'invalid_grant', error_description: 'Bad credentials' };
    // §3.5 "ROPC failure bodies: likely invalid_grant → invalid_credentials [?]".
    assert.deepEqual(parameters(await adapterError('password', 400, other)), { code: 'invalid_credentials', providerCode: 'invalid_grant', status: 400 });
    assert.deepEqual(parameters(await adapterError('otp', 400, other)), { code: 'invalid_code', providerCode: 'invalid_grant', status: 400 });
    assert.deepEqual(parameters(await adapterError('send', 400, other)), { code: 'invalid_request', providerCode: 'invalid_grant', status: 400 });
    // RFC 6749 through PROVIDERS.md §7: a spent code, a dead refresh token.
    assert.deepEqual(parameters(await adapterError('code', 400, { error: 'invalid_grant', error_description: 'Invalid authorization code' })), { code: 'code_expired', providerCode: 'invalid_grant', status: 400 });
    assert.deepEqual(parameters(await adapterError('refresh', 400, { error: 'invalid_grant', error_description: 'Invalid refresh token' })), { code: 'session_expired', providerCode: 'invalid_grant', status: 400 });
    // §3.5 "/otp/send failures (rate limit…) → rate_limited [?]": the reference server's body.
    assert.deepEqual(parameters(await adapterError('send', 429, { error: 'too_many_requests', error_description: 'OTP send frequency limit exceeded, try again later' }, { 'retry-after': '30' })), { code: 'rate_limited', providerCode: 'too_many_requests', status: 429, retryAfter: 30 });
    assert.deepEqual(parameters(await adapterError('send', 400, { error: 'invalid_auth_source', error_description: 'something else' })), { code: 'config', providerCode: 'invalid_auth_source', status: 400 });
    assert.deepEqual(parameters(await adapterError('send', 401, { error: 'invalid_client', error_description: 'Client authentication failed' })), { code: 'config', providerCode: 'invalid_client', status: 401 });
  });
});
