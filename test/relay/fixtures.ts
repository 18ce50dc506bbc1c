// One fixture per backend: a stub upstream that answers like the vendor's API (PROVIDERS.md
// §2–5), the relay options for it, and the browser calls its allowlist must forward.
import assert from 'node:assert/strict';
import type { RelayOptions, RelayProvider } from '../../src/relay/index.js';
import { SECRET, basic, sendJson, type CallInit, type Recorded, type Respond } from './harness.js';

export const ALIBABA = '/api/bff/v1.2/developer/ciam';
const formEncode = (v: string) => new URLSearchParams({ v }).toString().slice(2);

export interface RouteCase {
  name: string;
  path: string;
  init: CallInit;
  /** What the upstream must have received (the last request recorded for this path). */
  check(upstream: Recorded): void;
  /** Status the browser gets from the stub's normal answer. */
  status?: number;
}

export interface Fixture {
  provider: RelayProvider;
  respond: Respond;
  options(upstream: string): RelayOptions;
  routes: RouteCase[];
  /** A sign-in call for person `id` that the stub accepts (bursts, timeouts, size caps). */
  signIn(id: string): { path: string; init: CallInit };
  /** The same sign-in with a wrong password or code: the stub refuses it in the backend's own way. */
  failedSignIn(id: string): { path: string; init: CallInit };
  /** A send call for person `id`, when the backend relays one. */
  send?(id: string): { path: string; init: CallInit };
  /** Strings that must never reach the browser or the log. */
  secrets(): string[];
  /** Extra headers an allowlisted call may carry (for the preflight check). */
  preflightHeaders: string[];
}

/** The browser's own credentials and proxy headers: the relay must drop every one of them. */
export const HOSTILE_HEADERS: Record<string, string> = {
  cookie: 'session=browser-cookie',
  authorization: 'Bearer browser-supplied-token',
  'x-forwarded-for': '198.51.100.66',
  'x-forwarded-host': 'evil.example.net',
  'x-real-ip': '198.51.100.66',
  'proxy-authorization': 'Basic Zm9vOmJhcg==',
  'x-custom': 'dropped',
};

export function assertNoHostileHeaders(upstream: Recorded, keepAuthorization = false): void {
  assert.equal(upstream.headers.cookie, undefined, 'cookie forwarded');
  if (!keepAuthorization) assert.equal(upstream.headers.authorization, undefined, 'browser authorization forwarded');
  else assert.notEqual(upstream.headers.authorization, HOSTILE_HEADERS.authorization, 'browser authorization forwarded');
  for (const name of ['x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'proxy-authorization', 'x-custom', 'origin', 'referer']) {
    assert.equal(upstream.headers[name], undefined, `${name} forwarded`);
  }
  assert.match(String(upstream.headers.host), /^127\.0\.0\.1:\d+$/, 'host is the upstream');
}

// ---------------------------------------------------------------------------------------------
// Alibaba IDaaS: app token from client_credentials, sent as Authorization: Bearer (or, with
// appTokenIn: 'query', as ?access_token=).

export function alibabaFixture(settings: { appTokenIn?: 'query' | 'header' } = {}) {
  const state = { tokenCalls: 0, issued: [] as string[], valid: new Set<string>(), expiresIn: 7200, tokenDelayMs: 0, tokenStatus: 200 };
  const inHeader = settings.appTokenIn !== 'query';
  const tokenOf = (req: Recorded) => (inHeader ? String(req.headers.authorization ?? '').replace(/^Bearer /, '') : req.query.get('access_token'));
  const respond: Respond = async (req, res) => {
    if (req.path === `${ALIBABA}/oauth/token`) {
      const body = JSON.parse(req.body || '{}');
      assert.equal(req.headers['content-type'], 'application/json');
      if (body.client_id !== 'ali-client' || body.client_secret !== SECRET) return sendJson(res, 401, { error: 'invalid_client' });
      if (body.grant_type === 'client_credentials' && body.scope === 'APPLICATION_API') {
        state.tokenCalls += 1;
        if (state.tokenDelayMs) await new Promise((r) => setTimeout(r, state.tokenDelayMs));
        if (state.tokenStatus !== 200) return sendJson(res, state.tokenStatus, { error: 'server_error', error_description: `secret was ${SECRET}` });
        const token = `app-token-${state.tokenCalls}-${Math.random().toString(36).slice(2, 10)}`;
        state.issued.push(token);
        state.valid.add(token);
        return sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: state.expiresIn });
      }
      if (body.grant_type === 'refresh_token' && body.refresh_token === 'user-rt-1') {
        return sendJson(res, 200, { access_token: 'user-at-2', token_type: 'bearer', refresh_token: 'user-rt-2', expires_in: 179999 });
      }
      return sendJson(res, 400, { error: 'invalid_grant' });
    }
    const token = tokenOf(req);
    if (!token || !state.valid.has(token)) return sendJson(res, 401, { error: 'invalid_token', error_description: 'The access token is invalid.' });
    if (req.path === `${ALIBABA}/captcha`) return sendJson(res, 200, { success: true, data: { captchaCode: 'c-1', image: 'data:image/png;base64,AAAA' } });
    if (req.path === `${ALIBABA}/config/loginpage`) return sendJson(res, 200, { success: true, data: { twoFactorTypes: ['SMS'] } });
    if (req.path === `${ALIBABA}/login/pwd` && JSON.parse(req.body).password === 'wrong') {
      // [S] the CIAM envelope, HTTP status not documented: 200 makes the relay read the body.
      return sendJson(res, 200, { success: false, code: 'Operation.Failure', message: 'Operation.Failure.User.Password.Error', requestId: 'req-2', data: null });
    }
    return sendJson(res, 200, {
      success: true,
      code: 'Operation.Success',
      message: 'Operation.Success',
      requestId: 'req-1',
      data: { access_token: 'user-at-1', token_type: 'bearer', refresh_token: 'user-rt-1', expires_in: 179999, uuid: 'u-1' },
    });
  };
  const withToken = (req: Recorded) => {
    assert.ok(state.valid.has(String(tokenOf(req))), 'the upstream saw the current app token');
    if (inHeader) assert.equal(req.query.get('access_token'), null);
    else assert.notEqual(req.headers.authorization, HOSTILE_HEADERS.authorization);
    assertNoHostileHeaders(req, inHeader);
  };
  const post = (name: string, sub: string, json: Record<string, unknown>): RouteCase => ({
    name,
    path: `${ALIBABA}${sub}`,
    init: { json, headers: HOSTILE_HEADERS },
    check(req) {
      assert.equal(req.method, 'POST');
      assert.deepEqual(JSON.parse(req.body), json, 'the JSON body is forwarded unchanged');
      withToken(req);
    },
  });
  const fixture: Fixture & { state: typeof state } = {
    provider: 'alibaba-idaas',
    state,
    respond,
    options: (upstream) => ({
      provider: 'alibaba-idaas',
      upstream,
      credentials: { clientId: 'ali-client', clientSecret: SECRET, ...(settings.appTokenIn ? { appTokenIn: settings.appTokenIn } : {}) },
      allowedOrigins: ['https://app.example.com'],
    }),
    routes: [
      post('password login', '/login/pwd', { username: 'alice', password: 'pw-1' }),
      post('login code send', '/login/obtain_code', { type: 'SMS', phoneRegion: '86', phoneNumber: '13800138000' }),
      post('login code verify', '/login/verify_code', { fId: 'f1', type: 'SMS', phoneRegion: '86', phoneNumber: '13800138000', code: '123456' }),
      post('register code send', '/register/obtain_code', { fId: 'f2', type: 'EMAIL', email: 'a@example.com' }),
      post('register submit', '/register/submit', { fId: 'f2', type: 'EMAIL', email: 'a@example.com', code: '123456' }),
      post('recovery code send', '/forget/obtain_code', { type: 'SMS', phoneRegion: '86', phoneNumber: '13800138000' }),
      post('recovery submit', '/forget/submit', { fId: 'f4', type: 'SMS', phoneRegion: '86', phoneNumber: '13800138000', code: '123456', newPassword: 'new-pw-1' }),
      post('social login', '/login/social', { enterpriseAuthId: 'wechat', code: 'c', state: 'ID:app_1', agreeConsent: true }),
      post('2FA send', '/prepare_second_factor', { fId: 'f3', type: 'SMS' }),
      post('2FA verify', '/verify_second_factor', { fId: 'f3', type: 'SMS', code: '123456' }),
      {
        name: 'login page config (query filtered)',
        path: `${ALIBABA}/config/loginpage?idaasAppId=app_1&userType=regular&access_token=injected&redirect=https://evil.example.net`,
        init: { headers: HOSTILE_HEADERS },
        check(req) {
          assert.equal(req.method, 'GET');
          assert.equal(req.query.get('idaasAppId'), 'app_1');
          assert.equal(req.query.get('userType'), 'regular');
          assert.equal(req.query.get('redirect'), null, 'unlisted query parameters are dropped');
          assert.notEqual(req.query.get('access_token'), 'injected');
          assert.deepEqual(req.query.getAll('access_token').length, inHeader ? 0 : 1);
          withToken(req);
        },
      },
      {
        name: 'captcha',
        path: `${ALIBABA}/captcha?x=1`,
        init: { headers: HOSTILE_HEADERS },
        check(req) {
          assert.equal(req.method, 'GET');
          assert.deepEqual([...req.query.keys()].filter((k) => k !== 'access_token'), []);
          withToken(req);
        },
      },
      {
        name: 'session refresh (client credentials added, grant pinned)',
        path: `${ALIBABA}/oauth/token`,
        init: { json: { grant_type: 'refresh_token', refresh_token: 'user-rt-1', client_id: 'spoofed', scope: 'MANAGEMENT_APPLICATION_API' }, headers: HOSTILE_HEADERS },
        check(req) {
          assert.deepEqual(JSON.parse(req.body), { client_id: 'ali-client', client_secret: SECRET, grant_type: 'refresh_token', refresh_token: 'user-rt-1' });
          assert.equal(req.query.get('access_token'), null);
          assertNoHostileHeaders(req);
        },
      },
    ],
    signIn: (id) => ({ path: `${ALIBABA}/login/pwd`, init: { json: { username: id, password: 'pw' } } }),
    failedSignIn: (id) => ({ path: `${ALIBABA}/login/pwd`, init: { json: { username: id, password: 'wrong' } } }),
    send: (id) => ({ path: `${ALIBABA}/login/obtain_code`, init: { json: { type: 'SMS', phoneRegion: '86', phoneNumber: id } } }),
    secrets: () => [SECRET, ...state.issued],
    preflightHeaders: ['content-type'],
  };
  return fixture;
}

// ---------------------------------------------------------------------------------------------
// Tencent CIAM: Basic urlenc(client_id):urlenc(client_secret) on /otp/send; OTP grant exchange.

export const CIAM_CLIENT = 'ciam client/1';
export const CIAM_BASIC = Buffer.from(`${formEncode(CIAM_CLIENT)}:${formEncode(SECRET)}`).toString('base64');

export function tencentFixture(): Fixture {
  const respond: Respond = (req, res) => {
    if (req.path === '/otp/send') {
      if (req.headers.authorization !== `Basic ${CIAM_BASIC}`) return sendJson(res, 401, { error: 'invalid_client' });
      return sendJson(res, 200, { otp_token: 'otp-token-1', expires_in: 300 });
    }
    if (req.path === '/signup' || req.path === '/reset_user_password') {
      if (req.headers.authorization !== `Basic ${CIAM_BASIC}`) return sendJson(res, 401, { error: 'invalid_client' });
      return sendJson(res, 200, req.path === '/signup' ? { user_id: 'u-1' } : {});
    }
    if (req.path === '/oauth2/token') {
      const body = JSON.parse(req.body);
      if (body.client_id !== CIAM_CLIENT || body.client_secret !== SECRET) return sendJson(res, 401, { error: 'invalid_client' });
      if (body.grant_type === 'refresh_token') return sendJson(res, 200, { access_token: 'ciam-at-2', token_type: 'Bearer', expires_in: 299, refresh_token: 'ciam-rt-2' });
      if (body.otp !== '123456') return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Unknown or expired OTP' });
      return sendJson(res, 200, { access_token: 'ciam-at', token_type: 'Bearer', expires_in: 299, scope: 'openid', refresh_token: 'ciam-rt', id_token: 'ciam-idt' });
    }
    return sendJson(res, 404, { error: 'not_found' });
  };
  const sendBody = { usage: 'login', phone_number: '13612345678', auth_source_id: 'SMS_SRC' };
  const tokenBody = {
    grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/sms',
    client_id: 'spoofed-client',
    client_secret: 'browser-guess',
    auth_source_id: 'SMS_SRC',
    phone_number: '13612345678',
    otp_token: 'otp-token-1',
    otp: '123456',
    auto_signup: true,
    redirect_uri: 'https://evil.example.net',
  };
  return {
    provider: 'tencent-ciam',
    respond,
    options: (upstream) => ({
      provider: 'tencent-ciam',
      upstream,
      credentials: { clientId: CIAM_CLIENT, clientSecret: SECRET },
      allowedOrigins: ['https://app.example.com'],
    }),
    routes: [
      {
        name: 'OTP send (Basic)',
        path: '/otp/send',
        init: { json: sendBody, headers: HOSTILE_HEADERS },
        check(req) {
          assert.equal(req.headers.authorization, `Basic ${CIAM_BASIC}`);
          assert.deepEqual(JSON.parse(req.body), sendBody);
          assertNoHostileHeaders(req, true);
        },
      },
      {
        name: 'sign-up proven by a code (Basic; body credentials dropped)',
        path: '/signup',
        init: { json: { email: 'new@example.com', email_otp_token: 't', email_otp: '123456', password: 'pw-12345678', client_id: 'spoofed', client_secret: 'guess' }, headers: HOSTILE_HEADERS },
        check(req) {
          assert.equal(req.headers.authorization, `Basic ${CIAM_BASIC}`);
          assert.deepEqual(JSON.parse(req.body), { email: 'new@example.com', email_otp_token: 't', email_otp: '123456', password: 'pw-12345678' });
          assertNoHostileHeaders(req, true);
        },
      },
      {
        name: 'password reset proven by a code (Basic)',
        path: '/reset_user_password',
        init: { json: { phone_number: '13612345678', phone_number_otp_token: 't', phone_number_otp: '123456', password: 'pw-12345678' }, headers: HOSTILE_HEADERS },
        check(req) {
          assert.equal(req.headers.authorization, `Basic ${CIAM_BASIC}`);
          assert.deepEqual(JSON.parse(req.body), { phone_number: '13612345678', phone_number_otp_token: 't', phone_number_otp: '123456', password: 'pw-12345678' });
          assertNoHostileHeaders(req, true);
        },
      },
      {
        name: 'refresh of the tokens the relay issued (client pinned, secret added, other fields dropped)',
        path: '/oauth2/token',
        init: { json: { grant_type: 'refresh_token', refresh_token: 'ciam-rt', client_id: 'spoofed', otp: 'x', redirect_uri: 'https://evil.example.net' }, headers: HOSTILE_HEADERS },
        check(req) {
          assert.deepEqual(JSON.parse(req.body), { grant_type: 'refresh_token', refresh_token: 'ciam-rt', client_id: CIAM_CLIENT, client_secret: SECRET });
          assertNoHostileHeaders(req);
        },
      },
      {
        name: 'OTP exchange (client pinned, secret added)',
        path: '/oauth2/token',
        init: { json: tokenBody, headers: HOSTILE_HEADERS },
        check(req) {
          const { redirect_uri: _r, ...rest } = tokenBody;
          assert.deepEqual(JSON.parse(req.body), { ...rest, client_id: CIAM_CLIENT, client_secret: SECRET });
          assertNoHostileHeaders(req);
        },
      },
    ],
    signIn: (id) => ({ path: '/oauth2/token', init: { json: { ...tokenBody, phone_number: id } } }),
    failedSignIn: (id) => ({ path: '/oauth2/token', init: { json: { ...tokenBody, phone_number: id, otp: '000000' } } }),
    send: (id) => ({ path: '/otp/send', init: { json: { ...sendBody, phone_number: id } } }),
    secrets: () => [SECRET, CIAM_BASIC],
    preflightHeaders: ['content-type'],
  };
}

// ---------------------------------------------------------------------------------------------
// Zhuyun IDaaS: no secret; device headers pass, X-device-ip is the real client address.

export const ZHUYUN_DEVICE = {
  'x-operating-sys-version': 'windows10.1.1',
  'x-device-fingerprint': '156aysdna213sc50',
  'x-agent': 'Mozilla/5.0',
  'x-client-id': 'zy-client',
  'x-l': 'en',
  'x-device-ip': '10.9.9.9',
};

export function zhuyunFixture(): Fixture {
  const respond: Respond = (req, res) => {
    if (req.headers['x-client-id'] !== 'zy-client') return sendJson(res, 400, { error_code: 'IDAAS.SDK.PARAM.0003', error_msg: 'The app is not registered' });
    if (req.path === '/api/v2/sdk/login/mobile-pwd') {
      const body = JSON.parse(req.body);
      if (body.password !== 'pw') return sendJson(res, 400, { error_code: 'IDAAS.SDK.LOGIN.0002', error_msg: 'Invalid account or password. Remaining times: 9' });
      return sendJson(res, 200, { session_token: 'zy-st', expire: 432000, status: 'SUCCESS', id_token: 'zy-idt' });
    }
    if (req.path.startsWith('/api/v2/sdk/pwd/')) {
      if (req.headers['x-state-token'] !== 'state-1') return sendJson(res, 400, { error_code: 'IDAAS.SDK.PARAM.0014', error_msg: 'invalid state token' });
      return sendJson(res, 200, { session_token: 'zy-st', expire: 432000, status: 'SUCCESS', id_token: 'zy-idt' });
    }
    return sendJson(res, 404, {});
  };
  const device = (req: Recorded, ip = '203.0.113.7') => {
    for (const [name, value] of Object.entries(ZHUYUN_DEVICE)) {
      if (name !== 'x-device-ip') assert.equal(req.headers[name], value, `${name} forwarded`);
    }
    assert.equal(req.headers['x-device-ip'], ip, 'X-device-ip is the real client address, not the browser value');
    assertNoHostileHeaders(req);
  };
  return {
    provider: 'zhuyun-idaas',
    respond,
    options: (upstream) => ({ provider: 'zhuyun-idaas', upstream, allowedOrigins: ['https://app.example.com'] }),
    routes: [
      {
        name: 'mobile + password',
        path: '/api/v2/sdk/login/mobile-pwd',
        init: { json: { mobile: '15200000000', password: 'pw' }, headers: { ...HOSTILE_HEADERS, ...ZHUYUN_DEVICE, 'x-state-token': 'not-here' } },
        check(req) {
          device(req);
          assert.equal(req.headers['x-state-token'], undefined, 'X-state-token only on the password-change paths');
          assert.deepEqual(JSON.parse(req.body), { mobile: '15200000000', password: 'pw' });
        },
      },
      {
        name: 'skip password change',
        path: '/api/v2/sdk/pwd/skip-update?state=x',
        init: { headers: { ...HOSTILE_HEADERS, ...ZHUYUN_DEVICE, 'x-state-token': 'state-1' } },
        check(req) {
          assert.equal(req.method, 'GET');
          assert.equal(req.query.toString(), '');
          assert.equal(req.headers['x-state-token'], 'state-1');
          device(req);
        },
      },
      {
        name: 'forced password change',
        path: '/api/v2/sdk/pwd/update',
        init: { json: { old_password: 'a', new_password: 'b' }, headers: { ...HOSTILE_HEADERS, ...ZHUYUN_DEVICE, 'x-state-token': 'state-1' } },
        check(req) {
          assert.equal(req.headers['x-state-token'], 'state-1');
          assert.deepEqual(JSON.parse(req.body), { old_password: 'a', new_password: 'b' });
          device(req);
        },
      },
    ],
    signIn: (id) => ({ path: '/api/v2/sdk/login/mobile-pwd', init: { json: { mobile: id, password: 'pw' }, headers: ZHUYUN_DEVICE } }),
    failedSignIn: (id) => ({ path: '/api/v2/sdk/login/mobile-pwd', init: { json: { mobile: id, password: 'wrong' }, headers: ZHUYUN_DEVICE } }),
    secrets: () => [],
    preflightHeaders: ['content-type', 'x-operating-sys-version', 'x-device-fingerprint', 'x-agent', 'x-client-id', 'x-l'],
  };
}

// ---------------------------------------------------------------------------------------------
// Janrain: native form calls without auth; code exchange and refresh with Basic.

export const JANRAIN_BASIC = basic('jr-api-client', SECRET);

export function janrainFixture(): Fixture & { tokenCalls: Recorded[] } {
  const tokenCalls: Recorded[] = [];
  const user = { uuid: 'u-9', email: 'jane@example.com', emailVerified: '2024-01-01' };
  const respond: Respond = (req, res) => {
    const form = new URLSearchParams(req.body);
    if (req.path === '/oauth/token') {
      tokenCalls.push(req);
      if (req.headers.authorization !== `Basic ${JANRAIN_BASIC}`) {
        return sendJson(res, 200, { stat: 'error', code: 402, error: 'invalid_client_credentials', error_description: 'bad client', request_id: 'r' });
      }
      if (form.get('grant_type') === 'authorization_code' && form.get('code') === 'code-abc' && form.get('redirect_uri') === 'https://app.example.com/cb') {
        return sendJson(res, 200, { stat: 'ok', access_token: 'jr-at-1', refresh_token: 'jr-rt-1', expires_in: 3600 });
      }
      if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'jr-rt-1') {
        return sendJson(res, 200, { stat: 'ok', access_token: 'jr-at-2', refresh_token: 'jr-rt-2', expires_in: 3600 });
      }
      return sendJson(res, 200, { stat: 'error', code: 415, error: 'authorization_code_expired', error_description: 'expired', request_id: 'r' });
    }
    if (['/oauth/auth_native_traditional', '/oauth/register_native_traditional', '/oauth/auth_native', '/oauth/register_native'].includes(req.path)) {
      if (req.headers.authorization) return sendJson(res, 200, { stat: 'error', code: 205, error: 'invalid_auth_method' });
      if (form.get('currentPassword') === 'wrong') {
        return sendJson(res, 200, { stat: 'error', code: 210, error: 'invalid_credentials', error_description: 'wrong', request_id: 'r' });
      }
      if (form.get('response_type') === 'token') return sendJson(res, 200, { stat: 'ok', access_token: 'login-at', capture_user: user });
      return sendJson(res, 200, { stat: 'ok', authorization_code: form.get('code') === 'expire' ? 'stale' : 'code-abc', capture_user: user });
    }
    if (req.path === '/oauth/forgot_password_native' || req.path === '/oauth/verify_email_native') return sendJson(res, 200, { stat: 'ok' });
    if (req.path === '/access/useVerificationCode') return sendJson(res, 200, { stat: 'ok', uuid: 'u-9' });
    if (req.path === '/oauth/update_profile_native') return sendJson(res, 200, { stat: 'ok' });
    return sendJson(res, 404, { stat: 'error' });
  };
  const base = { client_id: 'login-client', flow: 'standard', flow_version: 'v1', locale: 'en-US', redirect_uri: 'https://app.example.com/cb' };
  const native = (name: string, path: string, fields: Record<string, string>, exchanged: boolean): RouteCase => ({
    name,
    path,
    init: { form: { ...base, ...fields }, headers: HOSTILE_HEADERS },
    check(req) {
      assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.deepEqual(Object.fromEntries(new URLSearchParams(req.body)), { ...base, ...fields }, 'the form is forwarded unchanged');
      assertNoHostileHeaders(req);
      if (exchanged) {
        const exchange = tokenCalls.at(-1)!;
        assert.equal(exchange.headers.authorization, `Basic ${JANRAIN_BASIC}`);
        assert.deepEqual(Object.fromEntries(new URLSearchParams(exchange.body)), {
          grant_type: 'authorization_code',
          code: 'code-abc',
          redirect_uri: 'https://app.example.com/cb',
        });
      }
    },
  });
  const signInForm = { response_type: 'code', form: 'signInForm', signInEmailAddress: 'jane@example.com', currentPassword: 'pw' };
  return {
    provider: 'janrain',
    tokenCalls,
    respond,
    options: (upstream) => ({
      provider: 'janrain',
      upstream,
      credentials: { clientId: 'jr-api-client', clientSecret: SECRET },
      allowedOrigins: ['https://app.example.com'],
    }),
    routes: [
      native('traditional sign-in (code exchanged)', '/oauth/auth_native_traditional', signInForm, true),
      native('traditional registration (code exchanged)', '/oauth/register_native_traditional', { response_type: 'code', form: 'registrationForm', emailAddress: 'new@example.com', newPassword: 'pw', newPasswordConfirm: 'pw' }, true),
      native('social sign-in (code exchanged)', '/oauth/auth_native', { response_type: 'code', token: 'social-token' }, true),
      native('social registration (code exchanged)', '/oauth/register_native', { response_type: 'code', token: 'social-token', registration_form: 'socialRegistrationForm' }, true),
      native('forgot password', '/oauth/forgot_password_native', { form: 'forgotPasswordForm', signInEmailAddress: 'jane@example.com' }, false),
      native('verify email', '/oauth/verify_email_native', { form: 'resendVerificationForm', emailAddress: 'jane@example.com' }, false),
      native('use verification code', '/access/useVerificationCode', { verification_code: 'vc-1' }, false),
      native('profile update with the person’s access token (a new password after a reset link)', '/oauth/update_profile_native', { form: 'changePasswordFormNoAuth', access_token: 'jr-at-1', newPassword: 'pw-2', newPasswordConfirm: 'pw-2' }, false),
      {
        name: 'a reset link’s code for tokens (Basic added, only the grant’s fields)',
        path: '/oauth/token',
        init: { form: { grant_type: 'authorization_code', code: 'code-abc', redirect_uri: 'https://app.example.com/cb', client_id: 'x', scope: 'everything' }, headers: HOSTILE_HEADERS },
        check(req) {
          assert.equal(req.headers.authorization, `Basic ${JANRAIN_BASIC}`);
          assert.deepEqual(Object.fromEntries(new URLSearchParams(req.body)), { grant_type: 'authorization_code', code: 'code-abc', redirect_uri: 'https://app.example.com/cb' });
          assertNoHostileHeaders(req, true);
        },
      },
      {
        name: 'session refresh (Basic added, grant pinned)',
        path: '/oauth/token',
        init: { form: { grant_type: 'refresh_token', refresh_token: 'jr-rt-1', client_id: 'x', scope: 'everything' }, headers: HOSTILE_HEADERS },
        check(req) {
          assert.equal(req.headers.authorization, `Basic ${JANRAIN_BASIC}`);
          assert.deepEqual(Object.fromEntries(new URLSearchParams(req.body)), { grant_type: 'refresh_token', refresh_token: 'jr-rt-1' });
          assertNoHostileHeaders(req, true);
        },
      },
    ],
    signIn: (id) => ({ path: '/oauth/auth_native_traditional', init: { form: { ...base, ...signInForm, signInEmailAddress: id } } }),
    failedSignIn: (id) => ({ path: '/oauth/auth_native_traditional', init: { form: { ...base, ...signInForm, signInEmailAddress: id, currentPassword: 'wrong' } } }),
    send: (id) => ({ path: '/oauth/forgot_password_native', init: { form: { ...base, form: 'forgotPasswordForm', signInEmailAddress: id } } }),
    secrets: () => [SECRET, JANRAIN_BASIC],
    preflightHeaders: ['content-type'],
  };
}

export const FIXTURES = [alibabaFixture, tencentFixture, zhuyunFixture, janrainFixture] as const;
