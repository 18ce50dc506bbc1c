// Recorded edge cases against a tiny node:http server that answers whatever a test sets:
// bodies the reference server never sends (malformed, HTML, unknown codes, throttling shapes).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AuthClient } from '../../core/client.js';
import type { AuthError } from '../../contract/index.js';
import { testEnvironment } from '../../../test/support/environment.js';
import { fakeClock } from '../../../test/support/clock.js';
import { alibabaIdaasProvider } from './alibaba-idaas.js';
import { splitPhone } from './wire.js';

interface Canned { status: number; headers?: Record<string, string>; body: string }
const json = (status: number, value: unknown, headers: Record<string, string> = {}): Canned => ({ status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) });
const ciamFailure = (message: string, status = 400) => json(status, { success: false, code: 'Operation.Failure', message, requestId: 'r', data: null });

describe('alibaba-idaas recorded edge cases', () => {
  let server: Server;
  let base = '';
  let answer: Canned = json(200, {});
  // Answers by path (after the CIAM base), tried before `answer`; each list is used in order.
  let byPath: Record<string, Canned[]> = {};
  const seen: Array<{ url: string; body: string }> = [];
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '';
        seen.push({ url, body: Buffer.concat(chunks).toString() });
        const path = url.replace(/^\/relay\/api\/bff\/v1\.2\/developer\/ciam/, '').replace(/\?.*$/, '');
        const canned = byPath[path]?.shift() ?? answer;
        res.writeHead(canned.status, canned.headers ?? {});
        res.end(canned.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/relay`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    byPath = {};
  });

  // Sleep is instant so a retried GET does not slow the suite; sign-ins are never retried anyway.
  function client() {
    const provider = alibabaIdaasProvider({ baseUrl: base, idaasAppId: 'app_x' });
    return new AuthClient({ provider, storage: 'memory', environment: testEnvironment(), autoRefresh: false, http: { sleep: async () => {}, maxRetryAfter: 0 } });
  }
  async function login(canned: Canned): Promise<AuthError> {
    answer = canned;
    const c = client();
    const { error } = await c.signInWithPassword({ username: 'u', password: 'secret-pw' });
    c.destroy();
    assert.ok(error, 'an error');
    assert.doesNotMatch(error.message, /secret-pw/);
    return error;
  }

  test('the documented path and body of a password login', async () => {
    await login(ciamFailure('Operation.Failure.User.Password.Error'));
    assert.equal(seen.length, 1, 'a sign-in is never resent');
    assert.equal(seen[0]!.url, '/relay/api/bff/v1.2/developer/ciam/login/pwd');
    assert.deepEqual(JSON.parse(seen[0]!.body), { username: 'u', password: 'secret-pw', response_type: 'Token' });
  });

  test('malformed JSON, an HTML error page and an empty body are server errors', async () => {
    const malformed = await login({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"success": tru' });
    assert.equal(malformed.code, 'server');
    const html = await login({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    assert.equal(html.code, 'server');
    assert.equal(html.status, 502);
    const empty = await login({ status: 500, body: '' });
    assert.equal(empty.code, 'server');
    const noTokens = await login(json(200, { success: true, code: 'Operation.Success', data: {} }));
    assert.equal(noTokens.code, 'server');
  });

  test('429 with Retry-After (seconds or HTTP date) is rate_limited with retryAfter and the code', async (t) => {
    fakeClock(t); // the date is read against the same now it was written from, however slow the call
    const seconds = await login(json(429, { success: false, code: 'Throttling', message: 'Throttling' }, { 'retry-after': '7' }));
    assert.equal(seconds.code, 'rate_limited');
    assert.equal(seconds.retryAfter, 7);
    assert.equal(seconds.providerCode, 'Throttling');
    const date = await login({ status: 429, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }, body: '' });
    assert.equal(date.code, 'rate_limited');
    assert.equal(date.retryAfter, 30);
    const busy = await login({ status: 503, headers: { 'retry-after': '5', 'content-type': 'text/html' }, body: '<p>busy</p>' });
    assert.equal(busy.code, 'rate_limited');
    assert.equal(busy.retryAfter, 5);
    // Throttling in a 200 envelope (the seed's table gives it as a code, status unknown).
    const inEnvelope = await login(json(200, { success: false, code: 'Throttling', message: 'Throttling' }));
    assert.equal(inEnvelope.code, 'rate_limited');
  });

  test('unknown codes fall back: invalid_request on 4xx, server on 5xx, never a crash', async () => {
    const ciam4 = await login(ciamFailure('Operation.Failure.Something.New'));
    assert.equal(ciam4.code, 'invalid_request');
    assert.equal(ciam4.providerCode, 'Operation.Failure.Something.New');
    const ciam5 = await login(ciamFailure('Operation.Failure.Something.New', 500));
    assert.equal(ciam5.code, 'server');
    const oauth4 = await login(json(400, { error: 'brand_new_error', error_description: 'x' }));
    assert.equal(oauth4.code, 'invalid_request');
    assert.equal(oauth4.providerCode, 'brand_new_error');
    const array = await login(json(400, ['not', 'an', 'object']));
    assert.equal(array.code, 'invalid_request');
  });

  test('[?] names the backend may use instead of the guessed ones: read by HTTP status and by their words', async () => {
    const cases: Array<[Canned, string]> = [
      [ciamFailure('Operation.Failure.Account.Locked'), 'account_locked'],
      [ciamFailure('Operation.Failure.Something.New', 423), 'account_locked'],
      [ciamFailure('账号已被锁定'), 'account_locked'],
      [ciamFailure('Operation.Failure.Verify.Code.Wrong'), 'invalid_code'],
      [ciamFailure('验证码错误'), 'invalid_code'],
      [ciamFailure('Operation.Failure.Otp.Expired'), 'code_expired'],
      [ciamFailure('验证码已过期'), 'code_expired'],
      [ciamFailure('Operation.Failure.Need.Captcha'), 'captcha_required'],
      [ciamFailure('Operation.Failure.Send.Too.Frequent'), 'rate_limited'],
      [ciamFailure('Operation.Failure.User.Disabled'), 'account_disabled'],
      [ciamFailure('Operation.Failure.Password.Policy.Weak'), 'password_policy'],
      // A known name still wins over its words; an envelope without any reason stays generic.
      [ciamFailure('Operation.Failure.User.Not.Exist'), 'user_not_found'],
      [json(400, { success: false, code: 'Operation.Failure', message: 'Operation.Failure' }), 'invalid_request'],
    ];
    for (const [canned, code] of cases) {
      const error = await login(canned);
      assert.equal(error.code, code, JSON.parse(canned.body).message);
    }
    assert.equal((await login(ciamFailure('Operation.Failure.Account.Locked'))).providerCode, 'Operation.Failure.Account.Locked');
  });

  test('a captcha demand under another name still becomes the captcha step', async () => {
    byPath = {
      '/login/pwd': [ciamFailure('Operation.Failure.Need.Captcha'), ciamFailure('Operation.Failure.Captcha.Wrong'), json(200, { success: true, code: 'Operation.Success', data: { access_token: 'at', uuid: 'u-1', expires_in: 60 } })],
      '/captcha': [json(200, { success: true, data: { captchaCode: 'cap_1' } }), json(200, { success: true, data: { captchaCode: 'cap_2' } })],
    };
    const c = client();
    const asked = await c.signInWithPassword({ username: 'u', password: 'secret-pw' });
    assert.equal(asked.data.step?.kind, 'captcha');
    const wrong = await c.answerCaptcha({ text: 'x1' });
    assert.deepEqual(wrong.error?.invalid, { captcha: 'invalid' });
    assert.equal(wrong.error?.providerCode, 'Operation.Failure.Captcha.Wrong');
    const done = await c.answerCaptcha({ text: 'y2' });
    assert.equal(done.error, null);
    c.destroy();
  });

  test('every documented row maps, in both envelopes and in the seed’s misplaced `code`', async () => {
    const rows: Array<[string, string]> = [
      ['Operation.Failure.User.Password.Error', 'invalid_credentials'],
      ['Operation.Failure.User.Not.Exist', 'user_not_found'],
      ['Operation.Failure.IDaaS.NoUser', 'user_not_found'],
      ['Operation.Failure.No.User.Bind', 'user_not_found'],
      ['Operation.Failure.Unsupport.2fa.Type', 'config'],
      ['Operation.Failure.Social.Login', 'invalid_credentials'],
      ['Operation.Failure.Mini.Program.Silent.Login', 'invalid_credentials'],
      ['Operation.Failure.Gesture.Error', 'invalid_credentials'],
      ['Params.Blank', 'invalid_request'],
      ['Params.Illegal', 'invalid_request'],
      ['Operation.Failure.Service.Internal.Error', 'server'],
    ];
    for (const [reason, code] of rows) {
      assert.equal((await login(ciamFailure(reason))).code, code, reason);
      const seedStyle = await login(json(400, { success: false, code: reason, message: 'Some text' }));
      assert.equal(seedStyle.code, code, `${reason} in code`);
      assert.equal(seedStyle.providerCode, reason);
    }
    const oauthRows: Array<[string, string]> = [
      ['login_failed', 'invalid_credentials'], ['user_deleted', 'account_disabled'], ['invalid_request', 'invalid_request'],
      ['invalid_scope', 'invalid_request'], ['unsupported_grant_type', 'invalid_request'], ['unsupported_response_type', 'invalid_request'],
      ['invalid_client', 'config'], ['unauthorized_client', 'config'], ['redirect_uri_mismatch', 'config'], ['invalid_grant', 'code_expired'],
      ['invalid_token', 'session_expired'], ['access_denied', 'session_expired'], ['unauthorized_user', 'session_expired'], ['server_error', 'server'],
    ];
    for (const [error, code] of oauthRows) {
      const mapped = await login(json(error === 'server_error' ? 500 : 400, { error, error_description: 'd', error_uri: null, requestId: 'r' }));
      assert.equal(mapped.code, code, error);
      assert.equal(mapped.providerCode, error);
    }
  });

  test('a refused refresh token is session_expired; a bare OAuth token answer is read', async () => {
    const c = client();
    await c.ready;
    answer = json(200, { access_token: 'at', token_type: 'bearer', expires_in: 60, refresh_token: 'rt', uuid: 'u-1' });
    await c.setSession({ access_token: 'old', token_type: 'bearer', expires_in: 60, expires_at: Math.floor(Date.now() / 1000) + 60, refresh_token: 'r0', user: { id: 'u-1' } });
    const ok = await c.refreshSession();
    assert.equal(ok.error, null);
    assert.equal(ok.data.session?.access_token, 'at');
    assert.deepEqual(JSON.parse(seen.at(-1)!.body), { grant_type: 'refresh_token', refresh_token: 'r0' });
    answer = json(400, { error: 'invalid_grant', error_description: 'expired' });
    const refused = await c.refreshSession();
    assert.equal(refused.error?.code, 'session_expired');
    c.destroy();
  });

  test('an unknown flowType is reported as mfa_required, not a crash', async () => {
    const error = await login(json(200, { success: true, code: 'Operation.Success', data: { fId: 'f1', flowType: 'NEED_COMPLETE_PROFILE' } }));
    assert.equal(error.code, 'mfa_required');
    assert.equal(error.providerCode, 'NEED_COMPLETE_PROFILE');
  });

  test('captcha wire: the retried call carries captchaCode + captchaText; a wrong answer fetches a new image', async () => {
    const image = (code: string) => json(200, { success: true, code: 'Operation.Success', data: { captchaCode: code, captchaImage: `data:image/png;base64,${code}`, expiresIn: 300 } });
    byPath = {
      '/login/pwd': [ciamFailure('Operation.Failure.Captcha.Required'), ciamFailure('Operation.Failure.Captcha.Error'), json(200, { success: true, code: 'Operation.Success', data: { access_token: 'at', uuid: 'u-1', expires_in: 60 } })],
      '/captcha': [image('cap_1'), image('cap_2')],
    };
    const c = client();
    const asked = await c.signInWithPassword({ username: 'u', password: 'secret-pw' });
    assert.equal(asked.error, null);
    assert.deepEqual(asked.data.step && { kind: asked.data.step.kind, image: (asked.data.step as { image?: string }).image }, { kind: 'captcha', image: 'data:image/png;base64,cap_1' });
    assert.equal(seen[1]!.url, '/relay/api/bff/v1.2/developer/ciam/captcha');
    const wrong = await c.answerCaptcha({ text: ' ab12 ' });
    assert.equal(wrong.error?.code, 'captcha_required');
    assert.deepEqual(wrong.error?.invalid, { captcha: 'invalid' });
    assert.deepEqual(JSON.parse(seen[2]!.body), { username: 'u', password: 'secret-pw', response_type: 'Token', captchaCode: 'cap_1', captchaText: 'ab12' });
    assert.equal(c.state.pending?.kind, 'captcha');
    const done = await c.answerCaptcha({ text: 'CD34' });
    assert.equal(done.error, null);
    assert.deepEqual(JSON.parse(seen[4]!.body), { username: 'u', password: 'secret-pw', response_type: 'Token', captchaCode: 'cap_2', captchaText: 'CD34' });
    assert.equal(c.state.session?.user.id, 'u-1');
    c.destroy();
  });

  test('a captcha image that is not a data:image or http(s) URL is left out; a missing captchaCode is a server error', async () => {
    byPath = {
      '/login/pwd': [ciamFailure('Operation.Failure.Captcha.Required'), ciamFailure('Operation.Failure.Captcha.Required')],
      '/captcha': [
        json(200, { success: true, code: 'Operation.Success', data: { captchaCode: 'cap_1', captchaImage: 'javascript:alert(1)' } }),
        json(200, { success: true, code: 'Operation.Success', data: { captchaImage: 'data:image/png;base64,AA' } }),
      ],
    };
    const c = client();
    const asked = await c.signInWithPassword({ username: 'u', password: 'secret-pw' });
    assert.deepEqual(asked.data.step, { kind: 'captcha', context: { captchaCode: 'cap_1' }, origin: 'sign_in' });
    const broken = await c.signInWithPassword({ username: 'u', password: 'secret-pw' });
    assert.equal(broken.error?.code, 'server');
    assert.equal(broken.error?.providerCode, 'no_captcha');
    c.destroy();
  });

  test('consent wire: the agreement goes with the same call and the flow’s fId; asked again after agreeing is an error, not a loop', async () => {
    const consent = (fId: string) => json(200, { success: true, code: 'Operation.Success', data: { fId, flowType: 'NEED_AGREE_CONSENT', additional: null } });
    byPath = { '/login/pwd': [consent('f-1'), json(200, { success: true, code: 'Operation.Success', data: { access_token: 'at', uuid: 'u-1' } })] };
    const c = client();
    const asked = await c.signInWithPassword({ username: 'u', password: 'secret-pw' });
    assert.equal(asked.data.step?.kind, 'consent');
    assert.equal(seen.length, 1, 'nothing agreed on the person’s behalf');
    assert.equal((await c.agreeToTerms()).error, null);
    assert.deepEqual(JSON.parse(seen[1]!.body), { username: 'u', password: 'secret-pw', response_type: 'Token', fId: 'f-1', agreeConsent: true });

    byPath = { '/login/pwd': [consent('f-2'), consent('f-3')] };
    await c.signOut();
    await c.signInWithPassword({ username: 'u', password: 'secret-pw' });
    const refused = await c.agreeToTerms();
    assert.equal(refused.error?.code, 'invalid_request');
    assert.equal(refused.error?.providerCode, 'NEED_AGREE_CONSENT');
    c.destroy();
  });

  test('wire: a sign-up code sent again carries the first send’s fId (the seed’s example); recovery sends the code with newPassword', async () => {
    byPath = {
      '/register/obtain_code': [json(200, { success: true, data: { fId: 'f-reg', expiresIn: 300 } }), json(200, { success: true, data: {} })],
      '/forget/obtain_code': [json(200, { success: true, data: { fId: 'f-fgt' } })],
      '/forget/submit': [json(200, { success: true, data: null })],
      '/login/pwd': [json(200, { success: true, code: 'Operation.Success', data: { access_token: 'at', uuid: 'u-1', expires_in: 60 } })],
    };
    const c = client();
    await c.signUp({ email: 'a@example.com', password: 'pw-12345678' });
    await c.resendSignUpCode();
    assert.deepEqual(JSON.parse(seen[0]!.body), { type: 'EMAIL', email: 'a@example.com' });
    assert.deepEqual(JSON.parse(seen[1]!.body), { fId: 'f-reg', type: 'EMAIL', email: 'a@example.com' });
    c.cancelStep();
    await c.resetPasswordForEmail('+85291234567');
    const done = await c.completeRecovery({ code: '123456', newPassword: 'new-pass-123' });
    assert.equal(done.error, null);
    assert.equal(seen[2]!.url, '/relay/api/bff/v1.2/developer/ciam/forget/obtain_code');
    assert.deepEqual(JSON.parse(seen[2]!.body), { type: 'SMS', phoneRegion: '852', phoneNumber: '91234567' });
    assert.deepEqual(JSON.parse(seen[3]!.body), { type: 'SMS', phoneRegion: '852', phoneNumber: '91234567', fId: 'f-fgt', code: '123456', newPassword: 'new-pass-123' });
    assert.deepEqual(JSON.parse(seen[4]!.body), { username: '+85291234567', password: 'new-pass-123', response_type: 'Token' });
    c.destroy();
  });

  test('wire: /login/social gets the third party’s state, or ID:{idaasAppId} for a non-default application', async () => {
    for (const nonDefaultApp of [false, true]) {
      seen.length = 0;
      answer = json(200, { success: true, code: 'Operation.Success', data: { access_token: 'at', uuid: 'u-1', expires_in: 60 } });
      const provider = alibabaIdaasProvider({ baseUrl: base, idaasAppId: 'app_x', nonDefaultApp, socialSources: [{ enterpriseAuthId: 'src', authorizeUrl: 'https://social.example/authorize' }] });
      const c = new AuthClient({ provider, storage: 'memory', environment: testEnvironment(), autoRefresh: false });
      const started = await c.signInWithOAuth({ provider: 'src', options: { redirectTo: 'https://app.example/cb', skipBrowserRedirect: true } });
      const state = new URL(started.data.url!).searchParams.get('state')!;
      const done = await c.handleRedirectCallback(`https://app.example/cb?code=third-party-code&state=${state}`);
      assert.equal(done.error, null);
      assert.deepEqual(JSON.parse(seen[0]!.body), { enterpriseAuthId: 'src', code: 'third-party-code', state: nonDefaultApp ? 'ID:app_x' : state });
      c.destroy();
    }
  });

  test('phone numbers split into phoneRegion and phoneNumber', () => {
    assert.deepEqual(splitPhone('+8613800000020', '86'), { phoneRegion: '86', phoneNumber: '13800000020' });
    assert.deepEqual(splitPhone('+1 415 555 0100', '86'), { phoneRegion: '1', phoneNumber: '4155550100' });
    assert.deepEqual(splitPhone('+85291234567', '86'), { phoneRegion: '852', phoneNumber: '91234567' });
    assert.deepEqual(splitPhone('138-0000-0020', '86'), { phoneRegion: '86', phoneNumber: '13800000020' });
  });
});
