// node --import tsx --test demo/server/tencent-ciam/tencent-ciam.node.test.ts
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { mountBackend } from '../../../test/support/backend-harness.js';
import { createManualClock } from '../kit/index.js';
import { tencentCiamBackend } from './index.js';

type Mounted = Awaited<ReturnType<typeof mountBackend>>;

/** The Web app (the relay's): its token calls carry the secret. */
const CLIENT = 'ciam-demo-client';
const SECRET = 'ciam-demo-secret';
/** The SPA app (the page's): password and PKCE without a secret. */
const SPA = 'ciam-demo-spa';
const SMS = 'http://tencentciam.com/oauth2/grant-type/otp/sms';
const EMAIL = 'http://tencentciam.com/oauth2/grant-type/otp/email';
const formEncode = (v: string) => new URLSearchParams({ v }).toString().slice(2);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;
const decodeJwt = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
const POLICIES = { maxPasswordFailures: 3, lockoutSeconds: 60, otpTtlSeconds: 120, otpMaxAttempts: 3, sendIntervalSeconds: 30, accessTokenTtlSeconds: 90 };

function client(m: Mounted) {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${m.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  const form = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    post(path, new URLSearchParams(body).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  const send = (body: Record<string, unknown>, auth = basic(CLIENT, SECRET)) => post('/otp/send', body, auth ? { authorization: auth } : {});
  /** Sends and returns the otp_token and the code from the outbox. */
  const sent = async (body: Record<string, unknown>, auth?: string) => {
    const r = await send(body, auth);
    assert.equal(r.status, 200, r.text);
    const to = (body.phone_number as string | undefined)?.replace(/^\+86\s*/, '').replace(/\s/g, '') ?? (body.email as string);
    return { token: r.json.otp_token as string, code: m.ctx.outbox.latestCode(to, 'tencent-ciam')! };
  };
  /** The OTP exchange as the relay sends it: the Web app with its secret. */
  const exchange = (body: Record<string, unknown>) => post('/oauth2/token', { client_id: CLIENT, client_secret: SECRET, ...body });
  /** The password grant as the page sends it: the SPA app, no secret. */
  const password = (body: Record<string, string>) => form('/oauth2/token', { grant_type: 'password', client_id: SPA, auth_source_id: 'pwd-source', ...body });
  return { post, form, send, sent, exchange, password };
}

const err = (error: string, error_description: string) => ({ error, error_description });

/** Call inside a describe: the emulation on its own server for its tests, and a caller. */
function mounted() {
  const ctx = {} as { m: Mounted; c: ReturnType<typeof client> };
  before(async () => {
    ctx.m = await mountBackend(tencentCiamBackend, { policies: POLICIES, clock: createManualClock() });
    ctx.c = client(ctx.m);
  });
  after(() => ctx.m.close());
  // Read when a test runs (after `before`), not when the describe is declared.
  return { m: new Proxy({} as Mounted, { get: (_t, key) => Reflect.get(ctx.m, key) }), c: new Proxy({} as ReturnType<typeof client>, { get: (_t, key) => Reflect.get(ctx.c, key) }) };
}

describe('tencent-ciam emulation', () => {
  const { m, c } = mounted();

  test('discovery document', async () => {
    const res = await fetch(`${m.url}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.equal(doc.issuer, m.url);
    assert.equal(doc.authorization_endpoint, `${m.url}/oauth2/authorize`);
    assert.equal(doc.token_endpoint, `${m.url}/oauth2/token`);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.ok(doc.grant_types_supported.includes(SMS));
  });

  describe('POST /otp/send', () => {
    test('missing, malformed or wrong Basic client credentials → 401 invalid_client', async () => {
      for (const auth of ['', 'Bearer x', 'Basic !!!', basic(CLIENT, 'wrong'), basic('nobody', SECRET)]) {
        const r = await c.send({ usage: 'login', phone_number: '13800000001', auth_source_id: 'sms-source' }, auth);
        assert.equal(r.status, 401, auth);
        assert.deepEqual(r.json, err('invalid_client', 'Client authentication failed'));
        assert.match(r.headers.get('www-authenticate') ?? '', /^Basic/);
      }
    });

    test('malformed JSON and bad input → 400 invalid_request, never a crash', async () => {
      const auth = { authorization: basic(CLIENT, SECRET) };
      for (const body of ['{not json', '[]', '"x"', 'null', '']) {
        const r = await c.post('/otp/send', body, auth);
        assert.equal(r.status, 400, body);
        assert.deepEqual(r.json, err('invalid_request', 'Malformed request body'));
      }
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ auth_source_id: 'sms-source' }, 'Missing required parameter: phone_number or email'],
        [{ phone_number: '13811110000' }, 'Missing required parameter: auth_source_id'],
        [{ phone_number: '12345', auth_source_id: 'sms-source' }, 'Invalid parameter: phone_number'],
        [{ email: 'not-an-email', auth_source_id: 'email-source' }, 'Invalid parameter: email'],
        [{ usage: 'hack', phone_number: '13811110000', auth_source_id: 'sms-source' }, 'Invalid parameter: usage'],
        [{ phone_number: { x: 1 }, auth_source_id: 'sms-source' }, 'Missing required parameter: phone_number or email'],
      ];
      for (const [body, description] of cases) {
        const r = await c.send(body);
        assert.equal(r.status, 400);
        assert.deepEqual(r.json, err('invalid_request', description));
      }
    });

    test('auth source not associated with the app, or of the other channel → invalid_auth_source', async () => {
      for (const body of [
        { phone_number: '13811110001', auth_source_id: 'unlinked-sms-source' },
        { phone_number: '13811110001', auth_source_id: 'email-source' },
        { phone_number: '13811110001', auth_source_id: 'no-such-source' },
      ]) {
        const r = await c.send(body);
        assert.equal(r.status, 400);
        assert.deepEqual(r.json, err('invalid_auth_source', 'Auth source and application not associated'));
      }
    });

    test('success: otp_token + expires_in, the code lands in the outbox; rate limit per recipient', async () => {
      const r = await c.send({ usage: 'login', phone_number: '13811110002', auth_source_id: 'sms-source' });
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.json).sort(), ['expires_in', 'otp_token']);
      assert.equal(r.json.expires_in, POLICIES.otpTtlSeconds);
      const [message] = m.ctx.outbox.list({ backend: 'tencent-ciam', to: '13811110002' });
      assert.equal(message.channel, 'sms');
      assert.equal(message.purpose, 'login');
      assert.match(message.code!, /^\d{6}$/);
      assert.ok(message.text.includes(message.code!));

      const again = await c.send({ phone_number: '+86 138 1111 0002', auth_source_id: 'sms-source' });
      assert.equal(again.status, 429);
      assert.equal(again.json.error, 'too_many_requests');
      const retry = Number(again.headers.get('retry-after'));
      assert.ok(retry > 0 && retry <= POLICIES.sendIntervalSeconds);
      m.clock.advance(POLICIES.sendIntervalSeconds * 1000);
      assert.equal((await c.send({ phone_number: '13811110002', auth_source_id: 'sms-source' })).status, 200);
    });
  });

  describe('OTP grants', () => {
    test('SMS OTP login of an existing user: the documented token response', async () => {
      const { token, code } = await c.sent({ usage: 'login', phone_number: '+86 13800000001', auth_source_id: 'sms-source' });
      const r = await c.exchange({ grant_type: SMS, auth_source_id: 'sms-source', phone_number: '13800000001', otp_token: token, otp: code });
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type')!, /^application\/json;charset=UTF-8/);
      assert.deepEqual(Object.keys(r.json).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
      assert.equal(r.json.token_type, 'Bearer');
      assert.equal(r.json.scope, 'openid');
      assert.equal(r.json.expires_in, POLICIES.accessTokenTtlSeconds);
      const access = decodeJwt(r.json.access_token);
      assert.equal(access.sub, 'ciam-user-demo');
      assert.equal(access.aud, CLIENT);
      assert.deepEqual(access.scope, ['openid']);
      assert.equal(access.exp - access.iat, POLICIES.accessTokenTtlSeconds);
      const id = decodeJwt(r.json.id_token);
      assert.equal(id.sub, 'ciam-user-demo');
      assert.equal(id.azp, CLIENT);
      assert.deepEqual(await tencentCiamBackend.introspect!(r.json.access_token, m.ctx), { userId: 'ciam-user-demo', name: 'Demo User' });
      assert.equal(await tencentCiamBackend.introspect!(r.json.id_token, m.ctx), null, 'an id_token is not an access token');

      // The otp_token is single use.
      const reuse = await c.exchange({ grant_type: SMS, auth_source_id: 'sms-source', phone_number: '13800000001', otp_token: token, otp: code });
      assert.deepEqual(reuse.json, err('invalid_grant', 'Unknown or expired otp_token'));
    });

    test('what the relay sends: client_id + client_secret in the JSON body; a wrong secret is refused', async () => {
      const { token, code } = await c.sent({ usage: 'login', email: 'demo@example.com', auth_source_id: 'email-source' });
      const base = { grant_type: EMAIL, auth_source_id: 'email-source', email: 'demo@example.com', otp_token: token, otp: code };
      const wrong = await c.exchange({ ...base, client_secret: 'guess' });
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.json, err('invalid_client', 'Client authentication failed'));
      const ok = await c.exchange({ ...base, client_secret: SECRET });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(decodeJwt(ok.json.id_token).sub, 'ciam-user-demo');
    });

    test('the client_id must be the one that sent the code (and the other send parameters too)', async () => {
      const { token, code } = await c.sent({ phone_number: '13800000003', auth_source_id: 'sms-source' }, basic('ciam-other-client', 'ciam-other-secret'));
      const base = { grant_type: SMS, auth_source_id: 'sms-source', phone_number: '13800000003', otp_token: token, otp: code };
      const mismatch = err('invalid_request', 'Mismatched OTP token and OTP sending parameters');
      assert.deepEqual((await c.exchange(base)).json, mismatch, 'ciam-demo-client cannot use a token ciam-other-client sent');
      assert.deepEqual((await c.exchange({ ...base, phone_number: '13800000001' })).json, mismatch, 'another number');
      assert.deepEqual((await c.exchange({ ...base, grant_type: EMAIL, auth_source_id: 'email-source', email: 'lockme@example.com' })).json, mismatch, 'another channel');
      const unknownClient = await c.exchange({ ...base, client_id: 'not-registered' });
      assert.equal(unknownClient.status, 401);
      assert.equal(unknownClient.json.error, 'invalid_client');
      const missing = await c.post('/oauth2/token', { ...base, client_id: undefined });
      assert.deepEqual(missing.json, err('invalid_request', 'Missing required parameter: client_id'));
      const own = await c.post('/oauth2/token', { ...base, client_id: 'ciam-other-client', client_secret: 'ciam-other-secret' });
      assert.equal(own.status, 200, 'the sending client itself succeeds');
    });

    test('unknown otp_token vs wrong OTP vs expired OTP vs expired otp_token; attempts burn the code', async () => {
      const phone = '13800000001';
      m.clock.advance(POLICIES.sendIntervalSeconds * 1000);
      const { token, code } = await c.sent({ phone_number: phone, auth_source_id: 'sms-source' });
      const base = { grant_type: SMS, auth_source_id: 'sms-source', phone_number: phone, otp_token: token };
      assert.deepEqual((await c.exchange({ ...base, otp_token: 'nope', otp: code })).json, err('invalid_grant', 'Unknown or expired otp_token'));
      const wrong = await c.exchange({ ...base, otp: code === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 400);
      assert.deepEqual(wrong.json, err('invalid_grant', 'Unknown or expired OTP'));
      m.clock.advance(POLICIES.otpTtlSeconds * 1000 + 1000);
      assert.deepEqual((await c.exchange({ ...base, otp: code })).json, err('invalid_grant', 'Unknown or expired OTP'), 'expired code, token still known');
      m.clock.advance(POLICIES.otpTtlSeconds * 1000);
      assert.deepEqual((await c.exchange({ ...base, otp: code })).json, err('invalid_grant', 'Unknown or expired otp_token'), 'token past its life');

      const second = await c.sent({ phone_number: phone, auth_source_id: 'sms-source' });
      for (let i = 0; i < POLICIES.otpMaxAttempts; i++) await c.exchange({ ...base, otp_token: second.token, otp: 'x' + i });
      assert.deepEqual((await c.exchange({ ...base, otp_token: second.token, otp: second.code })).json, err('invalid_grant', 'Unknown or expired OTP'), 'burnt after otpMaxAttempts');
    });

    test('unknown user: "User not found" without auto_signup; auto_signup: true creates the user', async () => {
      const phone = '13900000009';
      const { token, code } = await c.sent({ phone_number: phone, auth_source_id: 'sms-source' });
      const base = { grant_type: SMS, auth_source_id: 'sms-source', phone_number: phone, otp_token: token, otp: code };
      assert.deepEqual((await c.exchange(base)).json, err('invalid_grant', 'User not found'));
      assert.deepEqual((await c.exchange({ ...base, auto_signup: false })).json, err('invalid_grant', 'User not found'));
      const created = await c.exchange({ ...base, auto_signup: true });
      assert.equal(created.status, 200, created.text);
      const sub = decodeJwt(created.json.access_token).sub;

      const email = 'new@example.com';
      const e = await c.sent({ usage: 'signup', email, auth_source_id: 'email-source' });
      const viaEmail = await c.exchange({ grant_type: EMAIL, auth_source_id: 'email-source', email, otp_token: e.token, otp: e.code, auto_signup: 'true' });
      assert.equal(viaEmail.status, 200, '"true" as a string also works');
      assert.notEqual(decodeJwt(viaEmail.json.access_token).sub, sub);

      m.clock.advance(POLICIES.sendIntervalSeconds * 1000);
      const again = await c.sent({ phone_number: phone, auth_source_id: 'sms-source' });
      const second = await c.exchange({ ...base, otp_token: again.token, otp: again.code });
      assert.equal(second.status, 200, 'the signed-up user now exists');
      assert.equal(decodeJwt(second.json.access_token).sub, sub);
    });

    test('abnormal user status and auth source rows', async () => {
      const { token, code } = await c.sent({ email: 'frozen@example.com', auth_source_id: 'email-source' });
      const base = { grant_type: EMAIL, auth_source_id: 'email-source', email: 'frozen@example.com', otp_token: token, otp: code };
      assert.deepEqual((await c.exchange(base)).json, err('invalid_grant', 'Abnormal user status'));
      const source = err('invalid_auth_source', 'Auth source and application not associated');
      assert.deepEqual((await c.exchange({ ...base, auth_source_id: 'unlinked-sms-source' })).json, source);
      assert.deepEqual((await c.exchange({ ...base, auth_source_id: 'sms-source' })).json, source, 'an SMS source for the email grant');
      assert.deepEqual((await c.exchange({ ...base, auth_source_id: undefined })).json, err('invalid_request', 'Missing required parameter: auth_source_id'));
    });

    test('OTP grant wire format: JSON only; malformed bodies; unknown grant', async () => {
      const asForm = await c.form('/oauth2/token', { grant_type: SMS, client_id: CLIENT });
      assert.deepEqual(asForm.json, err('invalid_request', 'The OTP grant requires application/json'));
      const bad = await c.post('/oauth2/token', '{"grant_type":');
      assert.deepEqual(bad.json, err('invalid_request', 'Malformed request body'));
      const noGrant = await c.exchange({});
      assert.deepEqual(noGrant.json, err('invalid_request', 'Missing required parameter: grant_type'));
      const unknown = await c.form('/oauth2/token', { grant_type: 'client_credentials', client_id: CLIENT });
      assert.equal(unknown.json.error, 'unsupported_grant_type');
      const text = await c.post('/oauth2/token', 'x', { 'content-type': 'text/plain' });
      assert.equal(text.status, 400);
      const odd = await c.exchange({ grant_type: SMS, auth_source_id: 'sms-source', phone_number: ['x'], otp_token: 5, otp: null });
      assert.deepEqual(odd.json, err('invalid_request', 'Missing required parameter: phone_number'));
      const method = await fetch(`${m.url}/oauth2/token`);
      assert.equal(method.status, 405);
      assert.equal((await fetch(`${m.url}/no/such/path`)).status, 404);
    });
  });

  describe('password grant (form)', () => {
    test('success by username, phone (+86 form) or email; id_token sub; scope', async () => {
      for (const username of ['demo', '+86 13800000001', 'DEMO@example.com']) {
        const r = await c.password({ username, password: 'demo-password', scope: 'openid' });
        assert.equal(r.status, 200, r.text);
        assert.equal(decodeJwt(r.json.id_token).sub, 'ciam-user-demo');
        assert.equal(r.json.expires_in, POLICIES.accessTokenTtlSeconds);
      }
      const noScope = await c.password({ username: 'demo', password: 'demo-password' });
      assert.equal(noScope.json.scope, 'openid');
      assert.equal((await c.password({ username: 'demo', password: 'demo-password', scope: 'openid admin' })).json.error, 'invalid_scope');
    });

    test('failures: bad credentials, auth source, missing fields, JSON instead of form, frozen user', async () => {
      assert.deepEqual((await c.password({ username: 'demo', password: 'nope' })).json, err('invalid_grant', 'Bad credentials'));
      assert.deepEqual((await c.password({ username: 'ghost', password: 'nope' })).json, err('invalid_grant', 'Bad credentials'));
      assert.deepEqual((await c.password({ username: 'demo', password: 'demo-password', auth_source_id: 'sms-source' })).json, err('invalid_auth_source', 'Auth source and application not associated'));
      assert.deepEqual((await c.password({ username: 'demo', password: 'demo-password', auth_source_id: '' })).json, err('invalid_request', 'Missing required parameter: auth_source_id'));
      assert.deepEqual((await c.password({ username: 'demo' })).json, err('invalid_request', 'Missing required parameter: password'));
      const json = await c.post('/oauth2/token', { grant_type: 'password', client_id: SPA, auth_source_id: 'pwd-source', username: 'demo', password: 'demo-password' });
      assert.equal(json.json.error, 'invalid_request');
      assert.deepEqual((await c.password({ username: 'frozen', password: 'demo-password' })).json, err('invalid_grant', 'Abnormal user status'));
      assert.deepEqual((await c.password({ username: 'frozen', password: 'wrong' })).json, err('invalid_grant', 'Bad credentials'), 'status not revealed without the password');
    });

    test('lock-out after maxPasswordFailures, lifted after lockoutSeconds', async () => {
      const login = (password: string) => c.password({ username: 'lockme@example.com', password });
      for (let i = 1; i < POLICIES.maxPasswordFailures; i++) assert.deepEqual((await login('wrong')).json, err('invalid_grant', 'Bad credentials'));
      assert.deepEqual((await login('wrong')).json, err('invalid_grant', 'Abnormal user status'), 'the failure that reaches the limit locks');
      assert.deepEqual((await login('demo-password')).json, err('invalid_grant', 'Abnormal user status'), 'locked even with the right password');
      m.clock.advance(POLICIES.lockoutSeconds * 1000 + 1);
      assert.equal((await login('demo-password')).status, 200);
    });
  });

  describe('refresh_token grant', () => {
    test('rotation, reuse detection, expiry of the access token', async () => {
      const first = await c.password({ username: 'demo', password: 'demo-password' });
      const refresh = (token: string) => c.form('/oauth2/token', { grant_type: 'refresh_token', client_id: SPA, refresh_token: token });
      const second = await refresh(first.json.refresh_token);
      assert.equal(second.status, 200, second.text);
      assert.notEqual(second.json.refresh_token, first.json.refresh_token);
      assert.equal(decodeJwt(second.json.access_token).sub, 'ciam-user-demo');
      assert.ok(second.json.id_token);

      assert.ok(await tencentCiamBackend.introspect!(second.json.access_token, m.ctx));
      m.clock.advance(POLICIES.accessTokenTtlSeconds * 1000 + 1000);
      assert.equal(await tencentCiamBackend.introspect!(second.json.access_token, m.ctx), null, 'expired by the backend clock');

      const reuse = await refresh(first.json.refresh_token);
      assert.deepEqual(reuse.json, err('invalid_grant', 'Invalid refresh token'));
      assert.deepEqual((await refresh(second.json.refresh_token)).json, err('invalid_grant', 'Invalid refresh token'), 'reuse revoked the family');
      assert.deepEqual((await refresh('garbage')).json, err('invalid_grant', 'Invalid refresh token'));
      const otherClient = await c.form('/oauth2/token', { grant_type: 'refresh_token', client_id: 'ciam-other-client', client_secret: 'ciam-other-secret', refresh_token: (await c.password({ username: 'demo', password: 'demo-password' })).json.refresh_token });
      assert.deepEqual(otherClient.json, err('invalid_grant', 'Invalid refresh token'));
    });
  });

  describe('authorization code + PKCE', () => {
    const pkce = () => {
      const verifier = randomBytes(32).toString('base64url');
      return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
    };
    const redirectUri = () => `${new URL(m.url).origin}/`;
    const authorizeUrl = (challenge: string, extra: Record<string, string> = {}) =>
      `${m.url}/oauth2/authorize?${new URLSearchParams({ scope: 'openid', client_id: SPA, redirect_uri: redirectUri(), response_type: 'code', state: 'st-1', nonce: 'n-1', code_challenge_method: 'S256', code_challenge: challenge, ...extra })}`;
    const exchange = (code: string, verifier: string, redirect = redirectUri()) =>
      c.form('/oauth2/token', { client_id: SPA, grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier });

    test('authorize → login page → POST → redirect with code + state → token exchange', async () => {
      const { verifier, challenge } = pkce();
      const a = await fetch(authorizeUrl(challenge, { auth_source_id: 'pwd-source' }), { redirect: 'manual' });
      assert.equal(a.status, 302);
      const loginUrl = a.headers.get('location')!;
      assert.ok(loginUrl.startsWith(`${m.url}/login?request_id=`));
      const page = await fetch(loginUrl);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<label for="username">/);
      assert.match(html, /<label for="password">/);
      assert.doesNotMatch(html, /<script|https?:\/\/(?!127\.0\.0\.1)/, 'no scripts, no external assets');
      const requestId = /name="request_id" value="([^"]+)"/.exec(html)![1];

      const postLogin = (password: string) =>
        fetch(`${m.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request_id: requestId, username: 'demo', password }) });
      const bad = await postLogin('wrong');
      assert.equal(bad.status, 401);
      assert.match(await bad.text(), /role="alert">Incorrect account or password/);

      const ok = await postLogin('demo-password');
      assert.equal(ok.status, 302);
      const back = new URL(ok.headers.get('location')!);
      assert.equal(`${back.origin}${back.pathname}`, redirectUri());
      assert.equal(back.searchParams.get('state'), 'st-1');
      const code = back.searchParams.get('code')!;
      assert.ok(code);
      const cookie = ok.headers.get('set-cookie')!.split(';')[0];

      const wrongVerifier = await exchange(code, pkce().verifier);
      assert.deepEqual(wrongVerifier.json, err('invalid_grant', 'Invalid code_verifier'));
      assert.deepEqual((await exchange(code, verifier, 'http://127.0.0.1:5173/')).json, err('invalid_grant', 'Redirect URI mismatch'));
      const tokens = await exchange(code, verifier);
      assert.equal(tokens.status, 200, tokens.text);
      const id = decodeJwt(tokens.json.id_token);
      assert.equal(id.sub, 'ciam-user-demo');
      assert.equal(id.nonce, 'n-1');
      assert.deepEqual((await exchange(code, verifier)).json, err('invalid_grant', 'Invalid authorization code'), 'codes are single use');

      // Signed in at the portal: straight back with a code.
      const second = pkce();
      const again = await fetch(authorizeUrl(second.challenge, { state: 'st-2' }), { redirect: 'manual', headers: { cookie } });
      const direct = new URL(again.headers.get('location')!);
      assert.equal(direct.searchParams.get('state'), 'st-2');
      assert.equal((await exchange(direct.searchParams.get('code')!, second.verifier)).status, 200);
      assert.equal(await tencentCiamBackend.introspect!(tokens.json.access_token, m.ctx).then((u) => u?.userId), 'ciam-user-demo');
    });

    test('authorize errors: bad client / redirect_uri → 400 page; others → redirect with error', async () => {
      const { challenge } = pkce();
      for (const extra of <Array<Record<string, string>>>[{ client_id: 'nobody' }, { redirect_uri: 'https://evil.example/' }, { redirect_uri: 'http://127.0.0.1:5173/other' }]) {
        const r = await fetch(authorizeUrl(challenge, extra), { redirect: 'manual' });
        assert.equal(r.status, 400);
      }
      const cases: Array<[Record<string, string>, string]> = [
        [{ code_challenge_method: 'plain' }, 'invalid_request'],
        [{ code_challenge: 'short' }, 'invalid_request'],
        [{ response_type: 'token' }, 'unsupported_response_type'],
        [{ scope: 'profile' }, 'invalid_scope'],
        [{ auth_source_id: 'unlinked-sms-source' }, 'invalid_auth_source'],
        [{ prompt: 'none' }, 'login_required'],
      ];
      for (const [extra, error] of cases) {
        const r = await fetch(authorizeUrl(challenge, extra), { redirect: 'manual' });
        assert.equal(r.status, 302);
        const back = new URL(r.headers.get('location')!);
        assert.equal(back.searchParams.get('error'), error, JSON.stringify(extra));
        assert.equal(back.searchParams.get('state'), 'st-1');
      }
      const registered = await fetch(authorizeUrl(challenge, { redirect_uri: 'http://localhost:5173/' }), { redirect: 'manual' });
      assert.equal(registered.status, 302);
      assert.equal((await fetch(`${m.url}/login?request_id=nope`)).status, 400);
      const frozen = await fetch(`${m.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'request_id=nope&username=a&password=b' });
      assert.equal(frozen.status, 400);
    });
  });

  test('userinfo and change_user_password with a Bearer token', async () => {
    const t = await c.password({ username: 'lockme', password: 'demo-password' });
    const info = await fetch(`${m.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${t.json.access_token}` } });
    assert.equal((await info.json()).sub, 'ciam-user-lockme');
    assert.equal((await fetch(`${m.url}/oauth2/userinfo`)).status, 401);
    const bearer = { authorization: `Bearer ${t.json.access_token}` };
    assert.equal((await c.post('/change_user_password', { old_password: 'bad', new_password: 'new-password-1' }, bearer)).json.error, 'invalid_request');
    assert.equal((await c.post('/change_user_password', { old_password: 'demo-password', new_password: 'new-password-1' }, bearer)).status, 200);
    assert.equal((await c.password({ username: 'lockme', password: 'new-password-1' })).status, 200);
  });
});

describe('tencent-ciam: a Web app and an SPA app', () => {
  const { m, c } = mounted();

  test('every token call of the Web app needs its secret (the OTP grant [C], its refresh [?]); the SPA has none to give', async () => {
    const { token, code } = await c.sent({ phone_number: '13800000001', auth_source_id: 'sms-source' });
    const base = { grant_type: SMS, auth_source_id: 'sms-source', phone_number: '13800000001', otp_token: token, otp: code };
    const bare = await c.post('/oauth2/token', { client_id: CLIENT, ...base });
    assert.equal(bare.status, 401);
    assert.deepEqual(bare.json, err('invalid_client', 'Client authentication failed'));
    const tokens = await c.exchange(base);
    assert.equal(tokens.status, 200, tokens.text);
    // The refresh of the code sign-in's tokens: only with the Web app's secret (what the relay adds).
    const page = await c.form('/oauth2/token', { grant_type: 'refresh_token', client_id: CLIENT, refresh_token: tokens.json.refresh_token });
    assert.deepEqual(page.json, err('invalid_client', 'Client authentication failed'));
    const relayed = await c.post('/oauth2/token', { grant_type: 'refresh_token', client_id: CLIENT, client_secret: SECRET, refresh_token: tokens.json.refresh_token });
    assert.equal(relayed.status, 200, relayed.text);
    assert.equal(decodeJwt(relayed.json.access_token).aud, CLIENT);
    // The Web app's password grant needs the secret too; the SPA's needs none and cannot send codes.
    assert.equal((await c.form('/oauth2/token', { grant_type: 'password', client_id: CLIENT, auth_source_id: 'pwd-source', username: 'demo', password: 'demo-password' })).status, 401);
    assert.equal((await c.password({ username: 'demo', password: 'demo-password' })).status, 200);
    assert.equal((await c.form('/oauth2/token', { grant_type: 'password', client_id: SPA, client_secret: 'anything', auth_source_id: 'pwd-source', username: 'demo', password: 'demo-password' })).status, 401);
    assert.equal((await c.send({ usage: 'login', phone_number: '13800000001', auth_source_id: 'sms-source' }, basic(SPA, ''))).status, 401);
  });

  test('/signup [C]: a code sent for usage signup proves the email; the new user signs in with the password', async () => {
    const auth = { authorization: basic(CLIENT, SECRET) };
    const { token, code } = await c.sent({ usage: 'signup', email: 'joiner@example.com' });
    assert.equal((await c.post('/signup', { email: 'joiner@example.com', email_otp_token: token, email_otp: code, password: 'new-pass-1' })).status, 401, 'Web apps only, with Basic');
    assert.deepEqual((await c.post('/signup', { email: 'joiner@example.com', email_otp_token: token, email_otp: code, password: 'short' }, auth)).json, err('invalid_request', 'Password does not meet the password policy'));
    assert.deepEqual((await c.post('/signup', { email: 'joiner@example.com', email_otp_token: token, email_otp: code === '000000' ? '111111' : '000000', password: 'new-pass-1' }, auth)).json, err('invalid_grant', 'Unknown or expired OTP'));
    const login = await c.sent({ usage: 'login', email: 'other@example.com', auth_source_id: 'email-source' });
    assert.deepEqual((await c.post('/signup', { email: 'other@example.com', email_otp_token: login.token, email_otp: login.code, password: 'new-pass-1' }, auth)).json, err('invalid_request', 'Mismatched OTP token and OTP sending parameters'), 'a login code is not a sign-up code');
    const done = await c.post('/signup', { email: 'joiner@example.com', email_otp_token: token, email_otp: code, password: 'new-pass-1' }, auth);
    assert.equal(done.status, 200, done.text);
    assert.equal(typeof done.json.user_id, 'string');
    assert.equal(done.json.access_token, undefined, 'no sign-in comes with it');
    assert.equal(decodeJwt((await c.password({ username: 'joiner@example.com', password: 'new-pass-1' })).json.access_token).sub, done.json.user_id);
    m.clock.advance(POLICIES.sendIntervalSeconds * 1000);
    const again = await c.sent({ usage: 'signup', email: 'joiner@example.com' });
    assert.deepEqual((await c.post('/signup', { email: 'joiner@example.com', email_otp_token: again.token, email_otp: again.code, password: 'new-pass-1' }, auth)).json, err('invalid_request', 'User already exists'));
  });

  test('/reset_user_password [C]: a code for usage reset_password and the new password; an unknown number is refused', async () => {
    const auth = { authorization: basic(CLIENT, SECRET) };
    const { token, code } = await c.sent({ usage: 'reset_password', phone_number: '13800000003' });
    assert.deepEqual((await c.post('/reset_user_password', { phone_number: '13800000003', phone_number_otp_token: token, phone_number_otp: code }, auth)).json, err('invalid_request', 'Missing required parameter: password'));
    const done = await c.post('/reset_user_password', { phone_number: '13800000003', phone_number_otp_token: token, phone_number_otp: code, password: 'reset-pass-1' }, auth);
    assert.equal(done.status, 200, done.text);
    assert.equal((await c.password({ username: '13800000003', password: 'reset-pass-1' })).status, 200);
    assert.deepEqual((await c.post('/reset_user_password', { phone_number: '13800000003', phone_number_otp_token: token, phone_number_otp: code, password: 'reset-pass-2' }, auth)).json, err('invalid_grant', 'Unknown or expired otp_token'), 'the code worked once');
    const nobody = await c.sent({ usage: 'reset_password', phone_number: '13900000123' });
    assert.deepEqual((await c.post('/reset_user_password', { phone_number: '13900000123', phone_number_otp_token: nobody.token, phone_number_otp: nobody.code, password: 'reset-pass-1' }, auth)).json, err('invalid_grant', 'User not found'));
  });
});

describe('tencent-ciam persistence', () => {
  test('a signed-up user and a refresh token survive a restart; seed is idempotent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tciam-'));
    try {
      const first = await mountBackend(tencentCiamBackend, { dataDir: dir, clock: createManualClock() });
      const c1 = client(first);
      const { token, code } = await c1.sent({ email: 'persist@example.com', auth_source_id: 'email-source' });
      const created = await c1.exchange({ grant_type: EMAIL, auth_source_id: 'email-source', email: 'persist@example.com', otp_token: token, otp: code, auto_signup: true });
      assert.equal(created.status, 200);
      const sub = decodeJwt(created.json.access_token).sub;
      await first.close();

      const second = await mountBackend(tencentCiamBackend, { dataDir: dir, clock: createManualClock() });
      try {
        const c2 = client(second);
        const refreshed = await c2.form('/oauth2/token', { grant_type: 'refresh_token', client_id: CLIENT, client_secret: SECRET, refresh_token: created.json.refresh_token });
        assert.equal(refreshed.status, 200, refreshed.text);
        assert.equal(decodeJwt(refreshed.json.access_token).sub, sub);
        second.clock.advance(3600_000);
        const again = await c2.sent({ email: 'persist@example.com', auth_source_id: 'email-source' });
        const login = await c2.exchange({ grant_type: EMAIL, auth_source_id: 'email-source', email: 'persist@example.com', otp_token: again.token, otp: again.code });
        assert.equal(login.status, 200, 'no auto_signup needed: the user survived');
        assert.equal(decodeJwt(login.json.access_token).sub, sub);
        assert.equal((await c2.password({ username: 'demo', password: 'demo-password' })).status, 200);
        const users = second.ctx.store.collection('tencent-ciam.users').values();
        assert.equal(users.length, 4, 'three seeded users + the signed-up one, no duplicates');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
