// What each backend's credential step does beyond "it is there" (Alibaba's is in
// alibaba-idaas.node.test.ts): Janrain's code exchange, CIAM's Basic encoding and grant pinning,
// Zhuyun's client address sources; request body rules; createRelay's refusal of bad configuration.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRelay, type RelayOptions } from './index.js';
import { CIAM_BASIC, JANRAIN_BASIC, janrainFixture, tencentFixture, zhuyunFixture, ZHUYUN_DEVICE } from '../../test/relay/fixtures.js';
import { ALLOWED_ORIGIN, Journal, SECRET, call, isRelayError, sendJson, startStub, type Stub } from '../../test/relay/harness.js';

describe('janrain code exchange', () => {
  let fixture: ReturnType<typeof janrainFixture>;
  let stub: Stub;
  const journal = new Journal();
  const base = { client_id: 'login-client', flow: 'standard', flow_version: 'v1', locale: 'en-US', redirect_uri: 'https://app.example.com/cb', form: 'signInForm', signInEmailAddress: 'jane@example.com' };
  const signIn = (relay: ReturnType<typeof createRelay>, fields: Record<string, string>) =>
    call(journal, relay, '/oauth/auth_native_traditional', { form: { ...base, ...fields } });
  before(async () => {
    fixture = janrainFixture();
    stub = await startStub(fixture.respond);
  });
  after(() => stub.close());
  const relayFor = (timeoutMs?: number) => createRelay({ ...fixture.options(stub.url), limits: timeoutMs ? { timeoutMs } : undefined, log: journal.log });

  it('gives the browser tokens instead of the code, keeping the native answer', async () => {
    const seen = await signIn(relayFor(), { response_type: 'code', currentPassword: 'pw' });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.json, {
      stat: 'ok',
      capture_user: { uuid: 'u-9', email: 'jane@example.com', emailVerified: '2024-01-01' },
      access_token: 'jr-at-1',
      refresh_token: 'jr-rt-1',
      expires_in: 3600,
    });
    assert.ok(!seen.text.includes('code-abc'));
    assert.equal(fixture.tokenCalls.at(-1)!.headers.authorization, `Basic ${JANRAIN_BASIC}`);
    const native = stub.requests.find((r) => r.path === '/oauth/auth_native_traditional')!;
    assert.equal(native.headers.authorization, undefined, 'the native call carries no credential');
  });

  it('passes response_type=token and native errors through untouched', async () => {
    const relay = relayFor();
    const calls = fixture.tokenCalls.length;
    const token = await signIn(relay, { response_type: 'token', currentPassword: 'pw' });
    assert.deepEqual(token.json, { stat: 'ok', access_token: 'login-at', capture_user: { uuid: 'u-9', email: 'jane@example.com', emailVerified: '2024-01-01' } });
    const wrong = await signIn(relay, { response_type: 'code', currentPassword: 'wrong' });
    assert.equal(wrong.status, 200);
    assert.equal(wrong.json.stat, 'error');
    assert.equal(wrong.json.code, 210);
    assert.equal(fixture.tokenCalls.length, calls, 'no exchange without a code');
  });

  it('passes a refused exchange on in Janrain’s error shape, without the code', async () => {
    const seen = await signIn(relayFor(), { response_type: 'code', currentPassword: 'pw', code: 'expire' });
    assert.equal(seen.status, 200);
    assert.equal(seen.json.stat, 'error');
    assert.equal(seen.json.error, 'authorization_code_expired');
    assert.ok(!seen.text.includes('stale'));
  });

  it('answers 504 when the token endpoint hangs, and 502 when it is not JSON', async () => {
    const native = fixture.respond;
    stub.override = (req, res) => (req.path === '/oauth/token' ? new Promise<void>(() => {}) : native(req, res));
    try {
      const hung = await signIn(relayFor(250), { response_type: 'code', currentPassword: 'pw' });
      assert.equal(hung.status, 504);
      assert.ok(isRelayError(hung, 'upstream_timeout'));
    } finally {
      stub.override = undefined;
    }
    stub.override = (req, res) => {
      if (req.path !== '/oauth/token') return native(req, res);
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<h1>oops</h1>');
    };
    try {
      const html = await signIn(relayFor(), { response_type: 'code', currentPassword: 'pw' });
      assert.equal(html.status, 502);
      assert.ok(isRelayError(html, 'bad_gateway'));
    } finally {
      stub.override = undefined;
    }
  });

  it('relays only the refresh_token and authorization_code grants on /oauth/token, each with its own fields', async () => {
    const relay = relayFor();
    const start = stub.requests.length;
    const refusedForms: Array<Record<string, string>> = [{ grant_type: 'client_credentials' }, { grant_type: 'password', username: 'u', password: 'p' }, { grant_type: 'authorization_code', code: 'code-abc' }, { grant_type: 'refresh_token' }];
    for (const form of refusedForms) {
      const seen = await call(journal, relay, '/oauth/token', { form });
      assert.equal(seen.status, 400, JSON.stringify(form));
    }
    assert.equal(stub.requests.length, start);
    const exchanged = await call(journal, relay, '/oauth/token', { form: { grant_type: 'authorization_code', code: 'code-abc', redirect_uri: 'https://app.example.com/cb' } });
    assert.equal(exchanged.json.access_token, 'jr-at-1');
    const refreshed = await call(journal, relay, '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: 'jr-rt-1' } });
    assert.deepEqual(refreshed.json, { stat: 'ok', access_token: 'jr-at-2', refresh_token: 'jr-rt-2', expires_in: 3600 });
  });

  it('never shows the secret or the Basic credentials', () => {
    const everything = journal.everything();
    for (const secret of fixture.secrets()) assert.ok(!everything.includes(secret));
  });
});

describe('tencent-ciam', () => {
  let stub: Stub;
  const fixture = tencentFixture();
  const journal = new Journal();
  before(async () => {
    stub = await startStub(fixture.respond);
  });
  after(() => stub.close());

  it('encodes Basic as base64(urlenc(client_id):urlenc(client_secret))', async () => {
    const relay = createRelay({ ...fixture.options(stub.url), log: journal.log });
    const seen = await call(journal, relay, '/otp/send', { json: { usage: 'login', email: 'a@example.com', auth_source_id: 'EMAIL_SRC' } });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.json, { otp_token: 'otp-token-1', expires_in: 300 });
    const decoded = Buffer.from(CIAM_BASIC, 'base64').toString();
    assert.equal(decoded, `ciam+client%2F1:${SECRET}`);
    assert.equal(stub.requests.at(-1)!.headers.authorization, `Basic ${CIAM_BASIC}`);
  });

  it('relays only the OTP grants and a refresh on /oauth2/token, and no other CIAM endpoint', async () => {
    const relay = createRelay({ ...fixture.options(stub.url), log: journal.log });
    const start = stub.requests.length;
    // (refresh_token without a refresh token is refused too)
    for (const grant of ['password', 'authorization_code', 'client_credentials', 'refresh_token']) {
      const seen = await call(journal, relay, '/oauth2/token', { json: { grant_type: grant, username: 'a', password: 'b' } });
      assert.equal(seen.status, 400, grant);
      assert.ok(isRelayError(seen, 'invalid_request'));
    }
    for (const path of ['/oauth2/authorize', '/change_user_password', '/oauth2/revoke', '/otp/verify']) {
      assert.equal((await call(journal, relay, path, { json: {} })).status, 404, path);
    }
    assert.equal(stub.requests.length, start);
    const wrongOtp = await call(journal, relay, '/oauth2/token', {
      json: { grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/email', auth_source_id: 'E', email: 'a@example.com', otp_token: 't', otp: '000000' },
    });
    assert.equal(wrongOtp.status, 400);
    assert.deepEqual(wrongOtp.json, { error: 'invalid_grant', error_description: 'Unknown or expired OTP' }, 'the backend’s own error passes through');
  });

  it('never shows the secret or the Basic credentials', () => {
    const everything = journal.everything();
    for (const secret of fixture.secrets()) assert.ok(!everything.includes(secret));
  });
});

describe('zhuyun-idaas client address', () => {
  let stub: Stub;
  const fixture = zhuyunFixture();
  const journal = new Journal();
  const login = { mobile: '15200000000', password: 'pw' };
  before(async () => {
    stub = await startStub(fixture.respond);
  });
  after(() => stub.close());

  async function deviceIpFor(context: unknown, relay = createRelay(fixture.options(stub.url))): Promise<string | undefined> {
    const request = new Request('http://relay.test/api/v2/sdk/login/mobile-pwd', {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json', ...ZHUYUN_DEVICE },
      body: JSON.stringify(login),
    });
    const response = await relay(request, context as never);
    assert.equal(response.status, 200, await response.clone().text());
    return stub.requests.at(-1)!.headers['x-device-ip'] as string | undefined;
  }

  it('sends the address the server saw, never the browser’s', async () => {
    assert.equal(await deviceIpFor({ clientAddress: '203.0.113.9' }), '203.0.113.9');
    assert.equal(await deviceIpFor({ clientAddress: '::ffff:198.51.100.4' }), '198.51.100.4');
    assert.equal(await deviceIpFor({ clientAddress: '2001:db8::1' }), '2001:db8::1');
    assert.equal(await deviceIpFor({ remoteAddr: { hostname: '192.0.2.44', port: 1, transport: 'tcp' } }), '192.0.2.44', 'Deno ServeHandlerInfo');
    assert.equal(await deviceIpFor({ requestIP: () => ({ address: '192.0.2.55', port: 1 }) }), '192.0.2.55', 'Bun server');
    assert.equal(await deviceIpFor(undefined), undefined, 'unknown: no header rather than the browser’s');
    assert.equal(await deviceIpFor({ clientAddress: 'evil\r\nx-injected: 1' }), undefined);
    assert.equal(stub.requests.at(-1)!.headers['x-injected'], undefined);
  });

  it('pins X-client-id when credentials.clientId is set', async () => {
    const relay = createRelay({ ...fixture.options(stub.url), credentials: { clientId: 'zy-client' } } as RelayOptions);
    const request = new Request('http://relay.test/api/v2/sdk/login/mobile-pwd', {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json', ...ZHUYUN_DEVICE, 'x-client-id': 'another-app' },
      body: JSON.stringify(login),
    });
    assert.equal((await relay(request, { clientAddress: '192.0.2.1' })).status, 200);
    assert.equal(stub.requests.at(-1)!.headers['x-client-id'], 'zy-client');
  });

  it('allows X-state-token in the preflight of the password-change paths only', async () => {
    const relay = createRelay(fixture.options(stub.url));
    const preflight = (path: string) =>
      call(journal, relay, path, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-state-token' } });
    assert.match((await preflight('/api/v2/sdk/pwd/update')).headers.get('access-control-allow-headers') ?? '', /x-state-token/);
    assert.doesNotMatch((await preflight('/api/v2/sdk/login/mobile-pwd')).headers.get('access-control-allow-headers') ?? '', /x-state-token/);
  });
});

describe('request bodies', () => {
  it('forwards JSON as parsed and refuses a repeated identifier in a form', async () => {
    const stub = await startStub((req, res) => sendJson(res, 200, { stat: 'ok', got: req.body }));
    try {
      const journal = new Journal();
      const zy = createRelay({ ...zhuyunFixture().options(stub.url), limits: { signInsPerIdentifier: { max: 1, windowMs: 60_000 } } });
      const duplicated = '{"mobile":"15200000001","password":"pw","mobile":"15200000009"}';
      const first = await call(journal, zy, '/api/v2/sdk/login/mobile-pwd', { body: duplicated, contentType: 'application/json; charset=utf-8' });
      assert.equal(first.status, 200);
      assert.deepEqual(JSON.parse(stub.requests.at(-1)!.body), { mobile: '15200000009', password: 'pw' }, 'the backend reads what was limited');
      const again = await call(journal, zy, '/api/v2/sdk/login/mobile-pwd', { json: { mobile: '15200000009', password: 'pw' }, clientAddress: '192.0.2.99' });
      assert.equal(again.status, 429, 'the identifier the backend saw was counted');

      const jr = createRelay(janrainFixture().options(stub.url));
      const start = stub.requests.length;
      const form = 'client_id=c&form=forgotPasswordForm&signInEmailAddress=a%40example.com&signInEmailAddress=b%40example.com';
      const refused = await call(journal, jr, '/oauth/forgot_password_native', { body: form, contentType: 'application/x-www-form-urlencoded' });
      assert.equal(refused.status, 400);
      assert.ok(isRelayError(refused, 'invalid_request'));
      for (const body of ['[1,2]', '"text"', '{not json', '\xff']) {
        const bad = await call(journal, zy, '/api/v2/sdk/login/mobile-pwd', { body, contentType: 'application/json', clientAddress: '192.0.2.98' });
        assert.equal(bad.status, 400, body);
      }
      assert.equal(stub.requests.length, start);
    } finally {
      await stub.close();
    }
  });
});

describe('createRelay configuration', () => {
  const good = { provider: 'tencent-ciam', upstream: 'https://tenant.portal.tencentciam.com', credentials: { clientId: 'c', clientSecret: SECRET }, allowedOrigins: [ALLOWED_ORIGIN] } as const;
  const refuses = (patch: Record<string, unknown>, pattern: RegExp) => {
    assert.throws(
      () => createRelay({ ...good, ...patch } as unknown as RelayOptions),
      (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, pattern);
        assert.ok(!error.message.includes(SECRET), 'the secret is in an error message');
        return true;
      },
    );
  };

  it('refuses configuration it cannot run safely, naming the field and never a secret', () => {
    assert.equal(typeof createRelay(good), 'function');
    refuses({ provider: 'cloudbase' }, /provider/);
    refuses({ credentials: { clientId: 'c' } }, /clientSecret/);
    refuses({ credentials: { clientSecret: SECRET } }, /clientId/);
    refuses({ upstream: 'http://tenant.portal.tencentciam.com' }, /https/);
    refuses({ upstream: `https://user:${SECRET}@tenant.example.com` }, /user name or password/);
    refuses({ upstream: 'https://tenant.example.com/?x=1' }, /query/);
    refuses({ upstream: 'not a url' }, /absolute URL/);
    refuses({ allowedOrigins: ['*'] }, /not an origin/);
    refuses({ allowedOrigins: ['https://app.example.com/path'] }, /not an origin/);
    refuses({ allowedOrigins: [] }, /allowedOrigins/);
    refuses({ basePath: '/a/../b' }, /basePath/);
    refuses({ limits: { maxBodyBytes: -1 } }, /maxBodyBytes/);
    refuses({ limits: { perClient: { max: 1 } } }, /perClient/);
    assert.equal(typeof createRelay({ ...good, upstream: 'http://127.0.0.1:8080/prefix/' }), 'function', 'http on loopback is fine');
    assert.equal(typeof createRelay({ ...good, basePath: '/auth-relay/', limits: { perClient: false } }), 'function');
  });

  it('serves under basePath and nowhere else', async () => {
    const stub = await startStub((req, res) => sendJson(res, 200, { path: req.path }));
    try {
      const relay = createRelay({ ...good, upstream: `${stub.url}/tenant`, basePath: '/auth-relay' });
      const journal = new Journal();
      const ok = await call(journal, relay, '/auth-relay/otp/send', { json: { usage: 'login', email: 'a@example.com' } });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.json, { path: '/tenant/otp/send' }, 'the prefix of upstream is kept');
      for (const path of ['/otp/send', '/auth-relayx/otp/send', '/auth-relay', '/auth-relay/', '/x/auth-relay/otp/send']) {
        assert.equal((await call(journal, relay, path, { json: {} })).status, 404, path);
      }
      assert.equal(stub.requests.length, 1);
    } finally {
      await stub.close();
    }
  });
});
