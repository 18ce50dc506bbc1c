// The Alibaba IDaaS CIAM emulation over real HTTP (PROVIDERS.md §2).
// node --import tsx --test demo/server/alibaba-idaas/alibaba-idaas.node.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { createManualClock, type Policies } from '../kit/index.js';
import { alibabaIdaasBackend } from './index.js';

const BASE = '/api/bff/v1.2/developer/ciam';
const CREDS = { client_id: 'alibaba-demo-client', client_secret: 'alibaba-demo-secret' };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function start(policies: Partial<Policies> = {}, dataDir?: string) {
  const server = await mountBackend(alibabaIdaasBackend, { policies, dataDir, clock: createManualClock() });
  const api = {
    server,
    async appToken(): Promise<string> {
      const res = await api.token({ ...CREDS, grant_type: 'client_credentials', scope: 'APPLICATION_API' });
      assert.equal(res.status, 200);
      return res.body.access_token;
    },
    async token(body: unknown, raw?: string, contentType = 'application/json') {
      const res = await fetch(`${server.url}${BASE}/oauth/token`, { method: 'POST', headers: { 'content-type': contentType }, body: raw ?? JSON.stringify(body) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
    },
    /** A CIAM call with the app token in `?access_token=` (what the relay does). */
    async call(path: string, body?: unknown, opts: { token?: string | null; method?: string; raw?: string; query?: Record<string, string> } = {}) {
      const token = opts.token === undefined ? (app ??= await api.appToken()) : opts.token;
      const url = new URL(`${server.url}${BASE}${path}`);
      if (token) url.searchParams.set('access_token', token);
      for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
      const method = opts.method ?? (body === undefined && opts.raw === undefined ? 'GET' : 'POST');
      const res = await fetch(url, { method, headers: method === 'POST' ? { 'content-type': 'application/json' } : {}, body: method === 'POST' ? (opts.raw ?? JSON.stringify(body)) : undefined });
      const text = await res.text();
      let parsed: Json;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { text };
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    code: (to: string) => server.ctx.outbox.latestCode(to, 'alibaba-idaas'),
    async captcha(): Promise<{ captchaCode: string; captchaText: string }> {
      const res = await api.call('/captcha');
      assert.equal(res.status, 200);
      assert.match(res.body.data.captchaImage, /^data:image\/svg\+xml;base64,/);
      const captchaCode = res.body.data.captchaCode as string;
      const captchaText = api.code(captchaCode)!;
      assert.ok(Buffer.from(res.body.data.captchaImage.split(',')[1], 'base64').toString().includes(captchaText));
      return { captchaCode, captchaText };
    },
  };
  let app: string | undefined;
  return api;
}
type Api = Awaited<ReturnType<typeof start>>;

function assertFailure(res: { status: number; body: Json }, message: string, status = 400) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.success, false);
  assert.equal(res.body.code, 'Operation.Failure');
  assert.equal(res.body.message, message);
  assert.equal(res.body.data, null);
  assert.match(res.body.requestId, /^\d+\$[0-9a-f-]{36}$/);
}

function assertOAuth(res: { status: number; body: Json }, error: string, status: number) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error, error);
  assert.equal(typeof res.body.error_description, 'string');
  assert.ok('error_uri' in res.body);
  assert.equal(typeof res.body.requestId, 'string');
}

function assertTokens(res: { status: number; body: Json }, ttl = 120) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.success, true);
  assert.equal(res.body.code, 'Operation.Success');
  assert.equal(res.body.message, 'Operation.Success');
  assert.equal(typeof res.body.requestId, 'string');
  const d = res.body.data;
  assert.equal(typeof d.access_token, 'string');
  assert.equal(typeof d.refresh_token, 'string');
  assert.equal(typeof d.id_token, 'string');
  assert.equal(d.token_type, 'bearer');
  assert.equal(d.scope, 'USER_API');
  assert.equal(d.expires_in, ttl);
  assert.equal(typeof d.uuid, 'string');
  return d as Json;
}

const pwd = (api: Api, username: string, password = 'demo-password', extra: Json = {}) => api.call('/login/pwd', { username, password, ...extra });

describe('alibaba-idaas: app token', () => {
  let api: Api;
  before(async () => (api = await start()));
  after(() => api.server.close());

  it('issues an app token with client_credentials (JSON body, as the relay sends it)', async () => {
    const res = await api.token({ ...CREDS, grant_type: 'client_credentials', scope: 'APPLICATION_API' });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.access_token, 'string');
    assert.equal(res.body.token_type, 'bearer');
    assert.equal(res.body.expires_in, 7200);
    assert.equal(res.body.scope, 'APPLICATION_API');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('also takes a form-encoded body', async () => {
    const res = await api.token(undefined, new URLSearchParams({ ...CREDS, grant_type: 'client_credentials' }).toString(), 'application/x-www-form-urlencoded');
    assert.equal(res.status, 200);
    assert.equal(res.body.scope, 'APPLICATION_API');
  });

  it('refuses bad client credentials, scopes and grants in the OAuth envelope', async () => {
    assertOAuth(await api.token({ ...CREDS, client_secret: 'nope', grant_type: 'client_credentials' }), 'invalid_client', 401);
    assertOAuth(await api.token({ grant_type: 'client_credentials' }), 'invalid_client', 401);
    assertOAuth(await api.token({ ...CREDS, grant_type: 'client_credentials', scope: 'MANAGEMENT_APPLICATION_API' }), 'unauthorized_client', 400);
    assertOAuth(await api.token({ ...CREDS, grant_type: 'client_credentials', scope: 'openid' }), 'invalid_scope', 400);
    assertOAuth(await api.token({ ...CREDS, grant_type: 'implicit' }), 'unsupported_grant_type', 400);
    assertOAuth(await api.token({ ...CREDS }), 'invalid_request', 400);
    assertOAuth(await api.token(undefined, '{"grant_type":'), 'invalid_request', 400);
    assertOAuth(await api.token(undefined, '[1,2]'), 'invalid_request', 400);
  });

  it('rejects a CIAM call without, or with a bad, app token: 401 invalid_token', async () => {
    assertOAuth(await api.call('/login/pwd', { username: 'demo', password: 'demo-password' }, { token: null }), 'invalid_token', 401);
    assertOAuth(await api.call('/login/pwd', { username: 'demo', password: 'demo-password' }, { token: 'forged' }), 'invalid_token', 401);
    assertOAuth(await api.call('/captcha', undefined, { token: null }), 'invalid_token', 401);
    // A user's access token is not an app token.
    const user = assertTokens(await pwd(api, 'demo'));
    assertOAuth(await api.call('/captcha', undefined, { token: user.access_token }), 'invalid_token', 401);
  });

  it('accepts the app token as an Authorization: Bearer header too', async () => {
    const token = await api.appToken();
    const res = await fetch(`${api.server.url}${BASE}/captcha`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
  });

  it('expires the app token after expires_in', async () => {
    const token = await api.appToken();
    assert.equal((await api.call('/captcha', undefined, { token })).status, 200);
    api.server.clock.advance(7201 * 1000);
    assertOAuth(await api.call('/captcha', undefined, { token }), 'invalid_token', 401);
  });

  it('answers 404 for paths it does not have', async () => {
    assert.equal((await api.call('/login/nothing', {})).status, 404);
    assert.equal((await fetch(`${api.server.url}/elsewhere`)).status, 404);
  });
});

describe('alibaba-idaas: password login', () => {
  let api: Api;
  before(async () => (api = await start({ maxPasswordFailures: 4, lockoutSeconds: 60 })));
  after(() => api.server.close());

  it('signs in by username, phone or email with tokens in data', async () => {
    const d = assertTokens(await pwd(api, 'demo', 'demo-password', { response_type: 'Token' }));
    assert.deepEqual(await alibabaIdaasBackend.introspect!(d.access_token, api.server.ctx), { userId: d.uuid, name: 'demo' });
    assert.equal(assertTokens(await pwd(api, '13800000020')).uuid, d.uuid);
    assert.equal(assertTokens(await pwd(api, 'DEMO@alibaba.example')).uuid, d.uuid);
  });

  it('Operation.Failure.User.Password.Error and User.Not.Exist in message', async () => {
    assertFailure(await pwd(api, 'demo', 'wrong-one'), 'Operation.Failure.User.Password.Error');
    assertFailure(await pwd(api, 'nobody'), 'Operation.Failure.User.Not.Exist');
    assertTokens(await pwd(api, 'demo')); // success resets the failure count
  });

  it('demands an image captcha after 2 failures; the answer is in the outbox and the image', async () => {
    assertFailure(await pwd(api, 'demo', 'bad'), 'Operation.Failure.User.Password.Error');
    assertFailure(await pwd(api, 'demo', 'bad'), 'Operation.Failure.User.Password.Error');
    assertFailure(await pwd(api, 'demo'), 'Operation.Failure.Captcha.Required');
    const c1 = await api.captcha();
    assertFailure(await pwd(api, 'demo', 'demo-password', { captchaCode: c1.captchaCode, captchaText: 'XXXXX' }), 'Operation.Failure.Captcha.Error');
    // one try per image
    assertFailure(await pwd(api, 'demo', 'demo-password', { captchaCode: c1.captchaCode, captchaText: c1.captchaText }), 'Operation.Failure.Captcha.Error');
    const c2 = await api.captcha();
    assertTokens(await pwd(api, 'demo', 'demo-password', { captchaCode: c2.captchaCode, captchaText: c2.captchaText.toLowerCase() }));
    assertTokens(await pwd(api, 'demo'));
  });

  it('always demands a captcha for the seeded captcha account; captchas expire', async () => {
    assertFailure(await pwd(api, 'captcha'), 'Operation.Failure.Captcha.Required');
    const c = await api.captcha();
    api.server.clock.advance(301 * 1000);
    assertFailure(await pwd(api, 'captcha', 'demo-password', c), 'Operation.Failure.Captcha.Error');
    assertTokens(await pwd(api, 'captcha', 'demo-password', await api.captcha()));
  });

  it('locks after maxPasswordFailures, even for the right password, until lockoutSeconds pass', async () => {
    const user = 'consent';
    assertFailure(await pwd(api, user, 'bad'), 'Operation.Failure.User.Password.Error');
    assertFailure(await pwd(api, user, 'bad'), 'Operation.Failure.User.Password.Error');
    assertFailure(await pwd(api, user, 'bad', await api.captcha()), 'Operation.Failure.User.Password.Error');
    assertFailure(await pwd(api, user, 'bad', await api.captcha()), 'Operation.Failure.User.Locked');
    const locked = await pwd(api, user, 'demo-password', await api.captcha());
    assertFailure(locked, 'Operation.Failure.User.Locked');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    api.server.clock.advance(61 * 1000);
    // After the lock-out the count starts again: no captcha, and the consent step comes next.
    const next = await pwd(api, user);
    assert.equal(next.body.data.flowType, 'NEED_AGREE_CONSENT');
  });

  it('consent: NEED_AGREE_CONSENT until agreeConsent is sent', async () => {
    const first = await pwd(api, 'consent');
    assert.equal(first.status, 200);
    assert.equal(first.body.success, true);
    assert.equal(first.body.data.flowType, 'NEED_AGREE_CONSENT');
    assert.equal(typeof first.body.data.fId, 'string');
    assertTokens(await pwd(api, 'consent', 'demo-password', { fId: first.body.data.fId, agreeConsent: true }));
    assertTokens(await pwd(api, 'consent'));
  });

  it('the seeded locked and disabled accounts', async () => {
    assertFailure(await pwd(api, 'locked'), 'Operation.Failure.User.Locked');
    assertOAuth(await pwd(api, 'disabled'), 'user_deleted', 403);
  });

  it('response_type=code answers a code that the token endpoint exchanges once', async () => {
    const res = await pwd(api, 'demo', 'demo-password', { response_type: 'code' });
    assert.equal(res.status, 200);
    const code = res.body.data.code as string;
    assertOAuth(await api.token({ ...CREDS, grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/cb' }), 'redirect_uri_mismatch', 400);
    const ok = await api.token({ ...CREDS, grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:5173/callback' });
    assert.equal(ok.status, 200);
    assert.equal(typeof ok.body.access_token, 'string');
    assertOAuth(await api.token({ ...CREDS, grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:5173/callback' }), 'invalid_grant', 400);
  });

  it('bad input: Params.Blank, Params.Illegal, malformed JSON, never a crash', async () => {
    assertFailure(await api.call('/login/pwd', { username: 'demo' }), 'Params.Blank');
    assertFailure(await api.call('/login/pwd', {}), 'Params.Blank');
    assertFailure(await api.call('/login/pwd', { username: { $ne: 1 }, password: 'x' }), 'Params.Illegal');
    assertFailure(await api.call('/login/pwd', { username: 'demo', password: 'demo-password', response_type: 'id_token' }), 'Params.Illegal');
    assertFailure(await api.call('/login/pwd', undefined, { raw: '{"username":"demo",' }), 'Params.Illegal');
    assertFailure(await api.call('/login/pwd', undefined, { raw: '"text"' }), 'Params.Illegal');
    assertFailure(await api.call('/login/pwd', undefined, { raw: '[]' }), 'Params.Illegal');
    assertFailure(await api.call('/login/obtain_code', undefined, { raw: '\u0000\u0001' }), 'Params.Illegal');
  });

  it('the password grant at /oauth/token: login_failed and user_deleted', async () => {
    const ok = await api.token({ ...CREDS, grant_type: 'password', username: 'demo', password: 'demo-password' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.scope, 'USER_API');
    assertOAuth(await api.token({ ...CREDS, grant_type: 'password', username: 'demo', password: 'nope' }), 'login_failed', 400);
    assertOAuth(await api.token({ ...CREDS, grant_type: 'password', username: 'ghost', password: 'nope' }), 'login_failed', 400);
    assertOAuth(await api.token({ ...CREDS, grant_type: 'password', username: 'disabled', password: 'demo-password' }), 'user_deleted', 403);
    assertTokens(await pwd(api, 'demo')); // resets the grant's failure
  });
});

describe('alibaba-idaas: one-time codes, registration, throttling', () => {
  let api: Api;
  before(async () => (api = await start({ otpMaxAttempts: 3, sendIntervalSeconds: 30, otpTtlSeconds: 120 })));
  after(() => api.server.close());

  it('logs in by SMS code (region defaults to 86) and by email code', async () => {
    const sent = await api.call('/login/obtain_code', { type: 'SMS', phoneNumber: '13800000020' });
    assert.equal(sent.status, 200);
    assert.equal(sent.body.success, true);
    const fId = sent.body.data.fId as string;
    assert.equal(typeof fId, 'string');
    const code = api.code('+8613800000020')!;
    assert.match(code, /^\d{6}$/);
    const d = assertTokens(await api.call('/login/verify_code', { fId, type: 'SMS', phoneRegion: '86', phoneNumber: '13800000020', code }));
    assert.equal((await alibabaIdaasBackend.introspect!(d.access_token, api.server.ctx))?.name, 'demo');

    const mail = await api.call('/login/obtain_code', { type: 'EMAIL', email: 'demo@alibaba.example' });
    assert.equal(mail.status, 200);
    assertTokens(await api.call('/login/verify_code', { fId: mail.body.data.fId, type: 'EMAIL', email: 'demo@alibaba.example', code: api.code('demo@alibaba.example') }));
  });

  it('throttles a second send inside the interval: 429, Retry-After, Throttling', async () => {
    assert.equal((await api.call('/login/obtain_code', { type: 'SMS', phoneRegion: '86', phoneNumber: '13800000024' })).status, 200);
    const again = await api.call('/login/obtain_code', { type: 'SMS', phoneRegion: '86', phoneNumber: '13800000024' });
    assert.equal(again.status, 429);
    assert.equal(again.body.success, false);
    assert.equal(again.body.code, 'Throttling');
    assert.equal(again.body.message, 'Throttling');
    const retry = Number(again.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 30, String(retry));
    api.server.clock.advance(retry * 1000);
    assert.equal((await api.call('/login/obtain_code', { type: 'SMS', phoneRegion: '86', phoneNumber: '13800000024' })).status, 200);
  });

  it('wrong code, expired code, burnt code', async () => {
    const phone = { type: 'SMS', phoneNumber: '13800000025' };
    api.server.clock.advance(31 * 1000);
    const sent = await api.call('/login/obtain_code', phone);
    const code = api.code('+8613800000025')!;
    const wrong = code === '000000' ? '111111' : '000000';
    assertFailure(await api.call('/login/verify_code', { ...phone, fId: sent.body.data.fId, code: wrong }), 'Operation.Failure.Code.Error');
    api.server.clock.advance(121 * 1000);
    assertFailure(await api.call('/login/verify_code', { ...phone, fId: sent.body.data.fId, code }), 'Operation.Failure.Code.Expired');

    await api.call('/login/obtain_code', phone);
    const code2 = api.code('+8613800000025')!;
    const wrong2 = code2 === '000000' ? '111111' : '000000';
    assertFailure(await api.call('/login/verify_code', { ...phone, code: wrong2 }), 'Operation.Failure.Code.Error');
    assertFailure(await api.call('/login/verify_code', { ...phone, code: wrong2 }), 'Operation.Failure.Code.Error');
    assertFailure(await api.call('/login/verify_code', { ...phone, code: wrong2 }), 'Operation.Failure.Code.Attempts.Exceeded');
    assertFailure(await api.call('/login/verify_code', { ...phone, code: code2 }), 'Operation.Failure.Code.Expired');
  });

  it('login codes: unknown person, bad fields', async () => {
    assertFailure(await api.call('/login/obtain_code', { type: 'SMS', phoneNumber: '13999999999' }), 'Operation.Failure.User.Not.Exist');
    assertFailure(await api.call('/login/obtain_code', { type: 'FAX', phoneNumber: '13800000020' }), 'Params.Illegal');
    assertFailure(await api.call('/login/obtain_code', { type: 'SMS', phoneNumber: '12' }), 'Params.Illegal');
    assertFailure(await api.call('/login/obtain_code', { type: 'EMAIL', email: 'not-an-email' }), 'Params.Illegal');
    assertFailure(await api.call('/login/obtain_code', { phoneNumber: '13800000020' }), 'Params.Blank');
    assertFailure(await api.call('/login/obtain_code', { type: 'SMS', phoneNumber: '13800000022' }), 'Operation.Failure.User.Locked');
    assertOAuth(await api.call('/login/obtain_code', { type: 'SMS', phoneNumber: '13800000023' }), 'user_deleted', 403);
  });

  it('registers by SMS code with a password, then signs in with it', async () => {
    const phone = { type: 'SMS', phoneRegion: '86', phoneNumber: '13900000001' };
    assertFailure(await api.call('/register/obtain_code', { type: 'SMS', phoneNumber: '13800000020' }), 'Operation.Failure.User.Exist');
    const sent = await api.call('/register/obtain_code', phone);
    assert.equal(sent.status, 200);
    const code = api.code('+8613900000001')!;
    assertFailure(await api.call('/register/submit', { ...phone, fId: sent.body.data.fId, code, password: 'short' }), 'Params.Illegal');
    const d = assertTokens(await api.call('/register/submit', { ...phone, fId: sent.body.data.fId, code, password: 'new-password-1' }));
    assert.equal(assertTokens(await pwd(api, '13900000001', 'new-password-1')).uuid, d.uuid);
    assertFailure(await api.call('/register/obtain_code', phone), 'Operation.Failure.User.Exist');
  });

  it('registers by email code without a password', async () => {
    const mail = { type: 'EMAIL', email: 'new@alibaba.example' };
    const sent = await api.call('/register/obtain_code', mail);
    assertFailure(await api.call('/register/submit', { ...mail, fId: sent.body.data.fId, code: 'abc' }), 'Operation.Failure.Code.Error');
    assertTokens(await api.call('/register/submit', { ...mail, fId: sent.body.data.fId, code: api.code('new@alibaba.example') }));
    assertFailure(await pwd(api, 'new@alibaba.example', 'anything'), 'Operation.Failure.User.Password.Error');
  });
});

describe('alibaba-idaas: password recovery [?]', () => {
  let api: Api;
  before(async () => (api = await start({ maxPasswordFailures: 2 })));
  after(() => api.server.close());

  it('a code to the phone, then the code with newPassword: the new password signs in and ends a lock-out', async () => {
    const phone = { type: 'SMS', phoneRegion: '86', phoneNumber: '13800000020' };
    await pwd(api, 'demo', 'wrong-1');
    assertFailure(await pwd(api, 'demo', 'wrong-2'), 'Operation.Failure.User.Locked');
    const sent = await api.call('/forget/obtain_code', phone);
    assert.equal(sent.status, 200);
    assert.equal(typeof sent.body.data.fId, 'string');
    const code = api.code('+8613800000020')!;
    assertFailure(await api.call('/forget/submit', { ...phone, fId: sent.body.data.fId, code: code === '000000' ? '111111' : '000000', newPassword: 'brand-new-pass' }), 'Operation.Failure.Code.Error');
    assertFailure(await api.call('/forget/submit', { ...phone, fId: sent.body.data.fId, code, newPassword: 'short' }), 'Params.Illegal');
    assertFailure(await api.call('/forget/submit', { ...phone, fId: sent.body.data.fId, code }), 'Params.Blank');
    const done = await api.call('/forget/submit', { ...phone, fId: sent.body.data.fId, code, newPassword: 'brand-new-pass' });
    assert.equal(done.status, 200);
    assert.equal(done.body.success, true);
    assert.equal(done.body.data, null);
    assertFailure(await api.call('/forget/submit', { ...phone, fId: sent.body.data.fId, code, newPassword: 'brand-new-pass' }), 'Operation.Failure.Code.Expired');
    assertTokens(await pwd(api, 'demo', 'brand-new-pass'));
    assertFailure(await pwd(api, 'demo', 'demo-password'), 'Operation.Failure.User.Password.Error');
  });

  it('an unknown contact is User.Not.Exist; a disabled account is user_deleted', async () => {
    assertFailure(await api.call('/forget/obtain_code', { type: 'EMAIL', email: 'nobody@alibaba.example' }), 'Operation.Failure.User.Not.Exist');
    assertOAuth(await api.call('/forget/obtain_code', { type: 'SMS', phoneNumber: '13800000023' }), 'user_deleted', 403);
  });
});

describe('alibaba-idaas: second factor', () => {
  let api: Api;
  before(async () => (api = await start({ otpTtlSeconds: 60 })));
  after(() => api.server.close());

  it('password → NEED_TWO_FACTOR → prepare (SMS to the outbox) → verify → tokens', async () => {
    const first = await pwd(api, 'mfa');
    assert.equal(first.status, 200);
    assert.equal(first.body.success, true);
    const { fId, flowType, additional, phoneNumber } = first.body.data;
    assert.equal(flowType, 'NEED_TWO_FACTOR');
    assert.equal(additional, null);
    assert.equal(phoneNumber, '138****0021');
    assert.equal(first.body.data.access_token, undefined);
    const prep = await api.call('/prepare_second_factor', { fId, type: 'SMS' });
    assert.equal(prep.status, 200);
    assert.equal(prep.body.data.fId, fId);
    const code = api.code('+8613800000021')!;
    const wrong = code === '000000' ? '111111' : '000000';
    assertFailure(await api.call('/verify_second_factor', { fId, type: 'SMS', code: wrong }), 'Operation.Failure.Code.Error');
    assertTokens(await api.call('/verify_second_factor', { fId, type: 'SMS', code }));
    // the flow is finished
    assertFailure(await api.call('/verify_second_factor', { fId, type: 'SMS', code }), 'Operation.Failure.Flow.Expired');
  });

  it('unsupported 2FA type, unknown fId, expired code', async () => {
    const { fId } = (await pwd(api, 'mfa')).body.data;
    assertFailure(await api.call('/prepare_second_factor', { fId, type: 'TOTP' }), 'Operation.Failure.Unsupport.2fa.Type');
    assertFailure(await api.call('/prepare_second_factor', { fId, type: 'PWD' }), 'Operation.Failure.Unsupport.2fa.Type');
    assertFailure(await api.call('/prepare_second_factor', { fId: 'nope', type: 'SMS' }), 'Operation.Failure.Flow.Expired');
    assertFailure(await api.call('/prepare_second_factor', { type: 'SMS' }), 'Params.Blank');
    api.server.clock.advance(61 * 1000); // past the send interval too
    assert.equal((await api.call('/prepare_second_factor', { fId, type: 'SMS' })).status, 200);
    const code = api.code('+8613800000021')!;
    api.server.clock.advance(61 * 1000);
    assertFailure(await api.call('/verify_second_factor', { fId, type: 'SMS', code }), 'Operation.Failure.Code.Expired');
    api.server.clock.advance(600 * 1000);
    assertFailure(await api.call('/verify_second_factor', { fId, type: 'SMS', code }), 'Operation.Failure.Flow.Expired');
  });

  it('an SMS-code login of the mfa user asks for the password as second factor', async () => {
    api.server.clock.advance(61 * 1000);
    const sent = await api.call('/login/obtain_code', { type: 'SMS', phoneNumber: '13800000021' });
    const next = await api.call('/login/verify_code', { fId: sent.body.data.fId, type: 'SMS', phoneNumber: '13800000021', code: api.code('+8613800000021') });
    assert.equal(next.body.data.flowType, 'NEED_TWO_FACTOR');
    assert.deepEqual(next.body.data.twoFactorTypes, ['PWD']);
    const fId = next.body.data.fId;
    assertFailure(await api.call('/verify_second_factor', { fId, type: 'SMS', code: '123456' }), 'Operation.Failure.Unsupport.2fa.Type');
    assertFailure(await api.call('/verify_second_factor', { fId, type: 'PWD', password: 'wrong' }), 'Operation.Failure.User.Password.Error');
    assertTokens(await api.call('/verify_second_factor', { fId, type: 'PWD', password: 'demo-password' }));
  });
});

describe('alibaba-idaas: social, refresh, config, faults', () => {
  let api: Api;
  before(async () => (api = await start({ accessTokenTtlSeconds: 30, refreshTokenTtlSeconds: 600 })));
  after(() => api.server.close());

  async function socialCode(identity: string) {
    const res = await fetch(`${api.server.url}/social-source/authorize?redirect_uri=${encodeURIComponent('http://127.0.0.1:5173/cb')}&state=ID:app_demo&identity=${identity}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.searchParams.get('state'), 'ID:app_demo');
    return location.searchParams.get('code')!;
  }

  it('social login through the local stand-in source', async () => {
    const page = await fetch(`${api.server.url}/social-source/authorize?redirect_uri=${encodeURIComponent('http://localhost:5173/cb')}`);
    assert.match(await page.text(), /wx_demo/);
    const code = await socialCode('wx_demo');
    const d = assertTokens(await api.call('/login/social', { enterpriseAuthId: 'ciamlocalsocial', code, state: 'ID:app_demo', agreeConsent: true }), 30);
    assert.equal((await alibabaIdaasBackend.introspect!(d.access_token, api.server.ctx))?.name, 'demo');
    assertFailure(await api.call('/login/social', { enterpriseAuthId: 'ciamlocalsocial', code }), 'Operation.Failure.Social.Login');
    assertFailure(await api.call('/login/social', { enterpriseAuthId: 'ciamlocalsocial', code: await socialCode('wx_new') }), 'Operation.Failure.IDaaS.NoUser');
    assertFailure(await api.call('/login/social', { enterpriseAuthId: 'ciammasterwechat', code: 'x' }), 'Params.Illegal');
    assert.equal((await fetch(`${api.server.url}/social-source/authorize?redirect_uri=https://evil.example/`)).status, 400);
  });

  it('social login into a non-default application: state ID:{idaasAppId} (seed); an unknown one is Params.Illegal', async () => {
    const other = assertTokens(await api.call('/login/social', { enterpriseAuthId: 'ciamlocalsocial', code: await socialCode('wx_demo'), state: 'ID:app_other' }), 30);
    const claims = JSON.parse(Buffer.from(other.id_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.idaasAppId, 'app_other');
    const plain = assertTokens(await api.call('/login/social', { enterpriseAuthId: 'ciamlocalsocial', code: await socialCode('wx_demo'), state: 'random-third-party-state' }), 30);
    assert.equal(JSON.parse(Buffer.from(plain.id_token.split('.')[1], 'base64url').toString()).idaasAppId, 'app_demo');
    assertFailure(await api.call('/login/social', { enterpriseAuthId: 'ciamlocalsocial', code: await socialCode('wx_demo'), state: 'ID:app_nope' }), 'Params.Illegal');
  });

  it('refresh_token grant rotates; access tokens expire', async () => {
    const d = assertTokens(await pwd(api, 'demo'), 30);
    api.server.clock.advance(31 * 1000);
    assert.equal(await alibabaIdaasBackend.introspect!(d.access_token, api.server.ctx), null);
    // exactly what the relay sends
    const res = await api.token({ ...CREDS, grant_type: 'refresh_token', refresh_token: d.refresh_token });
    assert.equal(res.status, 200);
    assert.equal(res.body.expires_in, 30);
    assert.equal(res.body.token_type, 'bearer');
    assert.notEqual(res.body.refresh_token, d.refresh_token);
    assert.equal((await alibabaIdaasBackend.introspect!(res.body.access_token, api.server.ctx))?.name, 'demo');
    assertOAuth(await api.token({ ...CREDS, grant_type: 'refresh_token', refresh_token: d.refresh_token }), 'invalid_grant', 400);
    assertOAuth(await api.token({ ...CREDS, grant_type: 'refresh_token', refresh_token: d.access_token }), 'invalid_grant', 400);
    assertOAuth(await api.token({ ...CREDS, grant_type: 'refresh_token' }), 'invalid_request', 400);
    api.server.clock.advance(601 * 1000);
    assertOAuth(await api.token({ ...CREDS, grant_type: 'refresh_token', refresh_token: res.body.refresh_token }), 'invalid_grant', 400);
    assert.equal(await alibabaIdaasBackend.introspect!('garbage', api.server.ctx), null);
  });

  it('/config/loginpage', async () => {
    const res = await api.call('/config/loginpage', undefined, { query: { idaasAppId: 'app_demo', userType: 'regular' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.data.idaasAppId, 'app_demo');
    assert.deepEqual(res.body.data.socialSources.map((s: Json) => s.enterpriseAuthId), ['ciamlocalsocial']);
    assertFailure(await api.call('/config/loginpage'), 'Params.Blank');
    assert.equal((await api.call('/config/loginpage', undefined, { query: { idaasAppId: 'app_other' } })).body.data.idaasAppId, 'app_other');
    assertOAuth(await api.call('/config/loginpage', undefined, { query: { idaasAppId: 'app_nope' } }), 'invalid_client', 400);
  });

  it('an internal fault answers Operation.Failure.Service.Internal.Error / server_error, then recovers', async () => {
    const users = api.server.ctx.store.collection<unknown>('alibaba-idaas.users');
    const tokens = api.server.ctx.store.collection<unknown>('alibaba-idaas.tokens');
    const errors = console.error;
    console.error = () => {};
    try {
      users.put('broken', null);
      // a lookup that walks every record reaches the broken one
      assertFailure(await pwd(api, 'nobody-here'), 'Operation.Failure.Service.Internal.Error', 500);
      users.delete('broken');
      const d = assertTokens(await pwd(api, 'demo'), 30);
      tokens.put(d.refresh_token, { kind: 'refresh', userId: 'x', expiresAt: { valueOf() { throw new Error('boom'); } } });
      assertOAuth(await api.token({ ...CREDS, grant_type: 'refresh_token', refresh_token: d.refresh_token }), 'server_error', 500);
      tokens.delete(d.refresh_token);
    } finally {
      console.error = errors;
    }
  });

  it('seed is idempotent', async () => {
    const before = api.server.ctx.store.collection('alibaba-idaas.users').values().length;
    await alibabaIdaasBackend.seed(api.server.ctx);
    assert.equal(api.server.ctx.store.collection('alibaba-idaas.users').values().length, before);
    assert.ok(alibabaIdaasBackend.accounts.some((a) => a.identifier === 'mfa'));
  });
});

describe('alibaba-idaas: restart with a data dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alibaba-idaas-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps users, app tokens and refresh tokens across a restart', async () => {
    const one = await start({}, dir);
    const app = await one.appToken();
    const sent = await one.call('/register/obtain_code', { type: 'EMAIL', email: 'kept@alibaba.example' }, { token: app });
    const d = assertTokens(await one.call('/register/submit', { type: 'EMAIL', email: 'kept@alibaba.example', fId: sent.body.data.fId, code: one.code('kept@alibaba.example'), password: 'kept-password' }, { token: app }));
    const users = one.server.ctx.store.collection('alibaba-idaas.users').values().length;
    await one.server.close();

    const two = await start({}, dir);
    try {
      assert.equal(two.server.ctx.store.collection('alibaba-idaas.users').values().length, users);
      assertTokens(await two.call('/login/pwd', { username: 'kept@alibaba.example', password: 'kept-password' }, { token: app }));
      const res = await two.token({ ...CREDS, grant_type: 'refresh_token', refresh_token: d.refresh_token });
      assert.equal(res.status, 200);
      assert.equal((await alibabaIdaasBackend.introspect!(res.body.access_token, two.server.ctx))?.name, 'kept@alibaba.example');
    } finally {
      await two.server.close();
    }
  });
});

describe('alibaba-idaas: behind the real relay', () => {
  let api: Api;
  before(async () => (api = await start()));
  after(() => api.server.close());

  it('the relay gets an app token, forwards calls with it in the Authorization header, renews a refused token, relays refresh', async () => {
    const { createRelay } = await import('../../../src/relay/index.js');
    const relay = createRelay({
      provider: 'alibaba-idaas',
      upstream: api.server.url,
      credentials: { clientId: 'alibaba-demo-client', clientSecret: 'alibaba-demo-secret' },
      allowedOrigins: ['http://localhost:5173'],
    });
    const post = (path: string, body: unknown) =>
      relay(new Request(`http://relay.test${BASE}${path}`, { method: 'POST', headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' }, body: JSON.stringify(body) }), { clientAddress: '192.0.2.1' });
    const first = await post('/login/pwd', { username: 'demo', password: 'demo-password' });
    assert.equal(first.status, 200);
    const d = ((await first.json()) as Json).data;
    assert.equal(typeof d.access_token, 'string');
    // The emulation's clock passes the app token's lifetime: the relay's cached token is refused
    // with 401 invalid_token, so it renews once and retries.
    api.server.clock.advance(7300 * 1000);
    const second = await post('/login/pwd', { username: 'demo', password: 'wrong-password' });
    assert.equal(second.status, 400);
    assert.equal(((await second.json()) as Json).message, 'Operation.Failure.User.Password.Error');
    const refreshed = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: d.refresh_token });
    assert.equal(refreshed.status, 200);
    assert.equal(typeof ((await refreshed.json()) as Json).access_token, 'string');
  });
});
