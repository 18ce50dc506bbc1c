// node --import tsx --test demo/server/cloudbase/cloudbase.node.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { mountBackend } from '../../../test/support/backend-harness.js';
import { createManualClock, type Policies } from '../kit/index.js';
import { cloudbaseBackend } from './index.js';

type Mount = Awaited<ReturnType<typeof mountBackend>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLIENT = 'demo-env';
const DEVICE = 'device-test-1';
const PASSWORD = 'demo-password';
const DEMO_PHONE = '+86 13800000000';

interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  noClient?: boolean;
  noDevice?: boolean;
  raw?: string;
}

function client(m: Mount) {
  const call = async (path: string, body?: unknown, options: CallOptions = {}) => {
    const url = new URL(`${m.url}${path}`);
    if (!options.noClient) url.searchParams.set('client_id', CLIENT);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const method = options.method ?? (body === undefined && options.raw === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': `req-${Math.random()}`, ...(options.noDevice ? {} : { 'x-device-id': DEVICE }), ...options.headers };
    const res = await fetch(url, { method, headers, body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)), redirect: 'manual' });
    const text = await res.text();
    let json: Json = {};
    try {
      json = JSON.parse(text);
    } catch {
      /* html */
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  return {
    call,
    signin: (body: Json, headers?: Record<string, string>) => call('/auth/v1/signin', body, { headers }),
    send: (body: Json, options?: CallOptions) => call('/auth/v1/verification', body, options),
    verify: (verification_id: string, verification_code: string) => call('/auth/v1/verification/verify', { verification_id, verification_code }),
    code: (to: string) => m.ctx.outbox.latestCode(to, 'cloudbase')!,
    me: (token: string) => call('/auth/v1/user/me', undefined, { headers: { authorization: `Bearer ${token}` } }),
  };
}

function assertError(res: { status: number; json: Json }, error: string, status: number, errorCode?: number) {
  assert.equal(res.json.error, error, JSON.stringify(res.json));
  assert.equal(res.status, status);
  assert.equal(typeof res.json.error_code, 'number');
  if (errorCode !== undefined) assert.equal(res.json.error_code, errorCode);
  assert.equal(typeof res.json.error_description, 'string');
  assert.deepEqual(Object.keys(res.json).sort(), ['error', 'error_code', 'error_description']);
}

function assertTokens(res: { status: number; json: Json }, policies: Partial<Policies> = {}) {
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.deepEqual(Object.keys(res.json).sort(), ['access_token', 'expires_in', 'refresh_token', 'sub', 'token_type']);
  assert.equal(res.json.token_type, 'Bearer');
  assert.equal(res.json.expires_in, policies.accessTokenTtlSeconds ?? 120);
  assert.equal(res.json.access_token.split('.').length, 3, 'access token is a JWT');
  assert.match(res.json.sub, /^\d+$/);
}

/** An image from /captcha/data, its answer from the outbox, traded at /captcha/data/verify for a captcha_token. */
async function solveCaptcha(m: Mount, c: ReturnType<typeof client>, state = 'POST:/v1/signin') {
  const image = await c.call('/auth/v1/captcha/data', { state, redirect_uri: '' }, { headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  assert.equal(image.status, 200, JSON.stringify(image.json));
  assert.deepEqual(Object.keys(image.json).sort(), ['data', 'expires_in', 'token', 'type']);
  assert.match(image.json.data, /^data:image\/svg\+xml;base64,/);
  const answer = m.ctx.outbox.latestCode(image.json.token, 'cloudbase')!;
  assert.match(answer, /^[A-Z2-9]{4}$/);
  assert.ok(Buffer.from(image.json.data.split(',')[1], 'base64').toString().includes(`>${answer[0]}<`), 'the image shows the answer');
  const done = await c.call('/auth/v1/captcha/data/verify', { token: image.json.token, key: answer.toLowerCase() });
  assert.equal(done.status, 200, JSON.stringify(done.json));
  assert.deepEqual(Object.keys(done.json).sort(), ['captcha_token', 'expires_in']);
  assert.equal(done.json.expires_in, 600);
  return done.json.captcha_token as string;
}

describe('cloudbase /auth/v1 emulation', () => {
  let m: Mount;
  let c: ReturnType<typeof client>;
  before(async () => {
    m = await mountBackend(cloudbaseBackend, { clock: createManualClock() });
    c = client(m);
  });
  after(() => m.close());

  describe('transport', () => {
    test('client_id query parameter is required', async () => {
      assertError(await c.call('/auth/v1/signin', { username: 'demo', password: PASSWORD }, { noClient: true }), 'invalid_request', 400);
    });
    test('x-device-id header is required', async () => {
      const res = await c.call('/auth/v1/signin', { username: 'demo', password: PASSWORD }, { noDevice: true });
      assertError(res, 'invalid_argument', 400, 3);
      assert.match(res.json.error_description, /x-device-id/);
    });
    test('x-request-id is echoed', async () => {
      const res = await c.call('/auth/v1/signin', { username: 'demo', password: PASSWORD }, { headers: { 'x-request-id': 'abc-123' } });
      assert.equal(res.headers.get('x-request-id'), 'abc-123');
    });
    test('garbage JSON, non-object JSON and wrong types are invalid_argument, never 500', async () => {
      assertError(await c.call('/auth/v1/signin', undefined, { raw: '{"username": ' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signin', undefined, { raw: '[1,2]' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signin', undefined, { raw: '"text"' }), 'invalid_argument', 400);
      assertError(await c.signin({ username: 'demo', password: 12345 }), 'invalid_argument', 400);
      assertError(await c.signin({ username: ['demo'], password: PASSWORD }), 'invalid_argument', 400);
      assertError(await c.signin({}), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/verification/verify', { verification_id: 5 }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/token', { grant_type: 'refresh_token' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/revoke', {}), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signup', { email: 'x@example.com' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/provider/token', { provider_id: 'google' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signin/with/provider', { provider_token: {} }), 'invalid_argument', 400);
    });
    test('unknown route is the not_found envelope; wrong method is invalid_request', async () => {
      assertError(await c.call('/auth/v1/nope', {}), 'not_found', 404, 4004);
      assertError(await c.call('/auth/v1/signin', undefined, { method: 'GET' }), 'invalid_request', 400);
      assertError(await c.call('/auth/v1/user/me', {}), 'invalid_request', 400);
    });
  });

  describe('password sign-in', () => {
    test('by username, email and phone; user/me with the bearer', async () => {
      const byName = await c.signin({ username: 'demo', password: PASSWORD });
      assertTokens(byName);
      for (const body of [{ username: 'demo@example.com' }, { username: DEMO_PHONE }, { email: 'DEMO@example.com' }, { phone_number: DEMO_PHONE }]) {
        const res = await c.signin({ ...body, password: PASSWORD });
        assertTokens(res);
        assert.equal(res.json.sub, byName.json.sub);
      }
      const me = await c.me(byName.json.access_token);
      assert.equal(me.status, 200);
      assert.equal(me.json.sub, byName.json.sub);
      assert.equal(me.json.username, 'demo');
      assert.equal(me.json.email, 'demo@example.com');
      assert.equal(me.json.phone_number, DEMO_PHONE);
      assert.equal(me.json.name, 'Demo User');
      assert.deepEqual(me.json.providers, []);
    });
    test('wrong password, unknown user, bad phone format', async () => {
      assertError(await c.signin({ username: 'pending', password: 'nope' }), 'invalid_password', 400, 4012);
      assertError(await c.signin({ username: 'nobody', password: PASSWORD }), 'user_not_found', 404, 4004);
      assertError(await c.signin({ username: 'nobody@example.com', password: PASSWORD }), 'user_not_found', 404, 4004);
      assertError(await c.signin({ phone_number: '13800000000', password: PASSWORD }), 'invalid_phone_number', 400, 3);
    });
    test('blocked, pending and phone_required accounts', async () => {
      assertError(await c.signin({ username: 'blocked@example.com', password: PASSWORD }), 'user_blocked', 403);
      assertError(await c.signin({ username: 'pending', password: PASSWORD }), 'user_pending', 403);
      assertError(await c.signin({ username: 'smsonly', password: PASSWORD }), 'phone_required', 403);
    });
    test('user/me without, with a garbage, or with an expired bearer is unauthenticated', async () => {
      assertError(await c.call('/auth/v1/user/me'), 'unauthenticated', 401);
      assertError(await c.me('garbage'), 'unauthenticated', 401);
      const s = await c.signin({ username: 'demo', password: PASSWORD });
      m.clock.advance(121_000);
      assertError(await c.me(s.json.access_token), 'unauthenticated', 401);
      assert.equal(await cloudbaseBackend.introspect!(s.json.access_token, m.ctx), null);
    });
  });

  describe('OTP', () => {
    test('existing user: send → verify → signin (SMS)', async () => {
      const sent = await c.send({ phone_number: DEMO_PHONE, target: 'ANY' });
      assert.equal(sent.status, 200);
      assert.deepEqual(Object.keys(sent.json).sort(), ['expires_in', 'is_user', 'verification_id']);
      assert.equal(sent.json.is_user, true);
      assert.equal(sent.json.expires_in, 300);
      const message = m.ctx.outbox.list({ backend: 'cloudbase', to: DEMO_PHONE })[0];
      assert.equal(message.channel, 'sms');
      assert.equal(message.purpose, 'login');
      const verified = await c.verify(sent.json.verification_id, message.code!);
      assert.equal(verified.status, 200);
      assert.deepEqual(Object.keys(verified.json).sort(), ['expires_in', 'verification_token']);
      const signed = await c.signin({ verification_token: verified.json.verification_token });
      assertTokens(signed);
      const me = await c.me(signed.json.access_token);
      assert.equal(me.json.username, 'demo');
      assertError(await c.signin({ verification_token: verified.json.verification_token }), 'code_expired', 400);
      assertError(await c.verify(sent.json.verification_id, message.code!), 'code_expired', 400);
    });
    test('new user: is_user false → verify → signup (email), then password sign-in', async () => {
      const email = 'new.person@example.com';
      const sent = await c.send({ email });
      assert.equal(sent.json.is_user, false);
      assert.equal(m.ctx.outbox.list({ to: email })[0].purpose, 'register');
      const verified = await c.verify(sent.json.verification_id, c.code(email));
      assertError(await c.signin({ verification_token: verified.json.verification_token }), 'user_not_found', 404);
      assertError(await c.call('/auth/v1/signup', { email: 'other@example.com', verification_token: verified.json.verification_token }), 'invalid_argument', 400);
      const up = await c.call('/auth/v1/signup', { email, verification_token: verified.json.verification_token, password: 'new-password', name: 'New Person' });
      assertTokens(up);
      const me = await c.me(up.json.access_token);
      assert.equal(me.json.email, email);
      assert.equal(me.json.name, 'New Person');
      assert.equal(me.json.created_from, 'email');
      assertTokens(await c.signin({ username: email, password: 'new-password' }));
      assertError(await c.call('/auth/v1/signup', { email, verification_token: verified.json.verification_token }), 'code_expired', 400);
    });
    test('new phone user signs up; the contact is then taken', async () => {
      const phone = '+86 13900000000';
      const sent = await c.send({ phone_number: phone });
      assert.equal(sent.json.is_user, false);
      const v = await c.verify(sent.json.verification_id, c.code(phone));
      assertTokens(await c.call('/auth/v1/signup', { phone_number: phone, verification_token: v.json.verification_token }));
      m.clock.advance(61_000);
      const again = await c.send({ phone_number: phone, target: 'NOT_USER' });
      assertError(again, 'already_exists', 409);
    });
    test('target USER for an unknown contact; invalid phone; missing contact', async () => {
      assertError(await c.send({ email: 'ghost@example.com', target: 'USER' }), 'user_not_found', 404, 4004);
      assertError(await c.send({ phone_number: '13800000000' }), 'invalid_phone_number', 400, 3);
      assertError(await c.send({ phone_number: '+8613800000000' }), 'invalid_phone_number', 400, 3);
      assertError(await c.send({ phone_number: '+86 12345' }), 'invalid_phone_number', 400, 3);
      assertError(await c.send({ email: 'not-an-email' }), 'invalid_argument', 400);
      assertError(await c.send({ target: 'ANY' }), 'invalid_argument', 400);
      assertError(await c.send({ email: 'a@example.com', target: 'SOME' }), 'invalid_argument', 400);
    });
    test('expired verification', async () => {
      const to = 'expire@example.com';
      const sent = await c.send({ email: to });
      m.clock.advance(301_000);
      assertError(await c.verify(sent.json.verification_id, c.code(to)), 'code_expired', 400);
      assertError(await c.verify('vid_unknown', '123456'), 'code_expired', 400);
    });
    test('expired verification_token', async () => {
      const to = 'expire-token@example.com';
      const sent = await c.send({ email: to });
      const v = await c.verify(sent.json.verification_id, c.code(to));
      m.clock.advance(301_000);
      assertError(await c.call('/auth/v1/signup', { email: to, verification_token: v.json.verification_token }), 'code_expired', 400);
    });
    test('attempt limit burns the verification', async () => {
      const to = 'attempts@example.com';
      const sent = await c.send({ email: to });
      const right = c.code(to);
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 1; i < 5; i++) assertError(await c.verify(sent.json.verification_id, wrong), 'invalid_verification_code', 400);
      assertError(await c.verify(sent.json.verification_id, wrong), 'max_attempts_exceeded', 400);
      assertError(await c.verify(sent.json.verification_id, right), 'max_attempts_exceeded', 400);
    });
    test('send rate limit per recipient with Retry-After', async () => {
      const to = 'rate@example.com';
      assert.equal((await c.send({ email: to })).status, 200);
      m.clock.advance(20_000);
      const limited = await c.send({ email: to });
      assertError(limited, 'rate_limit_exceeded', 429, 4029);
      assert.equal(limited.headers.get('retry-after'), '40');
      assert.equal((await c.send({ email: 'other-rate@example.com' })).status, 200, 'other recipients are not limited');
      m.clock.advance(40_000);
      assert.equal((await c.send({ email: to })).status, 200);
    });
  });

  describe('sessions', () => {
    test('refresh rotates; the old refresh token dies', async () => {
      const s = await c.signin({ username: 'demo', password: PASSWORD });
      const r1 = await c.call('/auth/v1/token', { client_id: CLIENT, grant_type: 'refresh_token', refresh_token: s.json.refresh_token });
      assertTokens(r1);
      assert.notEqual(r1.json.refresh_token, s.json.refresh_token);
      assert.equal(r1.json.sub, s.json.sub);
      assert.equal((await c.me(r1.json.access_token)).status, 200);
      assertError(await c.call('/auth/v1/token', { client_id: CLIENT, grant_type: 'refresh_token', refresh_token: s.json.refresh_token }), 'invalid_grant', 400);
      // form-encoded is accepted on /token too
      const r2 = await c.call('/auth/v1/token', undefined, { raw: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: r1.json.refresh_token }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assertTokens(r2);
      assertError(await c.call('/auth/v1/token', { grant_type: 'password', refresh_token: r2.json.refresh_token }), 'invalid_request', 400);
      assertError(await c.call('/auth/v1/token', { grant_type: 'refresh_token', refresh_token: 'rt_garbage' }), 'invalid_grant', 400);
    });
    test('refresh token expiry', async () => {
      const mm = await mountBackend(cloudbaseBackend, { policies: { refreshTokenTtlSeconds: 60 }, clock: createManualClock() });
      try {
        const cc = client(mm);
        const s = await cc.signin({ username: 'demo', password: PASSWORD });
        mm.clock.advance(61_000);
        assertError(await cc.call('/auth/v1/token', { grant_type: 'refresh_token', refresh_token: s.json.refresh_token }), 'invalid_grant', 400);
      } finally {
        await mm.close();
      }
    });
    test('revoke by access token kills the session; by refresh token too', async () => {
      const s = await c.signin({ username: 'demo', password: PASSWORD });
      assert.deepEqual(await cloudbaseBackend.introspect!(s.json.access_token, m.ctx), { userId: s.json.sub, name: 'Demo User' });
      const res = await c.call('/auth/v1/revoke', { token: s.json.access_token });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, {});
      assertError(await c.me(s.json.access_token), 'unauthenticated', 401);
      assert.equal(await cloudbaseBackend.introspect!(s.json.access_token, m.ctx), null);
      assertError(await c.call('/auth/v1/token', { grant_type: 'refresh_token', refresh_token: s.json.refresh_token }), 'invalid_grant', 400);

      const t = await c.signin({ username: 'demo', password: PASSWORD });
      assert.equal((await c.call('/auth/v1/revoke', { token: t.json.refresh_token })).status, 200);
      assertError(await c.me(t.json.access_token), 'unauthenticated', 401);
      assert.equal((await c.call('/auth/v1/revoke', { token: 'unknown' })).status, 200);
    });
    test('anonymous sign-in: one user per x-device-id', async () => {
      assertError(await c.call('/auth/v1/signin/anonymously', {}, { noDevice: true }), 'invalid_argument', 400);
      const a = await c.call('/auth/v1/signin/anonymously', {});
      assertTokens(a);
      const b = await c.call('/auth/v1/signin/anonymously', {});
      assert.equal(b.json.sub, a.json.sub);
      const other = await c.call('/auth/v1/signin/anonymously', {}, { headers: { 'x-device-id': 'another-device' } });
      assert.notEqual(other.json.sub, a.json.sub);
      const me = await c.me(a.json.access_token);
      assert.equal(me.json.created_from, 'anonymous');
    });
  });

  describe('captcha', () => {
    const withToken = (token: string) => ({ query: { captcha_token: token } });
    test('after 3 failures a captcha is demanded; a captcha_token in the query lets the sign-in through', async () => {
      const mm = await mountBackend(cloudbaseBackend, { clock: createManualClock() });
      try {
        const cc = client(mm);
        for (let i = 0; i < 3; i++) assertError(await cc.signin({ username: 'demo', password: 'wrong' }), 'invalid_password', 400);
        assertError(await cc.signin({ username: 'demo', password: PASSWORD }), 'captcha_required', 400, 4001);
        assertError(await cc.call('/auth/v1/signin', { username: 'demo', password: PASSWORD }, withToken('cap_bogus')), 'captcha_invalid', 400, 4002);
        // A header is not where the SDK puts it: not read.
        assertError(await cc.signin({ username: 'demo', password: PASSWORD }, { 'x-captcha-token': 'cap_bogus' }), 'captcha_required', 400, 4001);
        const token = await solveCaptcha(mm, cc);
        assertError(await cc.call('/auth/v1/signin', { username: 'demo', password: 'wrong' }, withToken(token)), 'invalid_password', 400);
        // The token is good until it expires (the SDK sends a kept one again).
        assertError(await cc.call('/auth/v1/signin', { username: 'demo', password: 'wrong' }, withToken(token)), 'invalid_status', 403);
        mm.clock.advance(301_000);
        assertError(await cc.call('/auth/v1/signin', { username: 'demo', password: 'wrong' }, withToken('cap_x')), 'invalid_password', 400);
        assertTokens(await cc.signin({ username: 'demo', password: PASSWORD }));
      } finally {
        await mm.close();
      }
    });
    test('the seeded captcha account needs one for sign-in and code sends; so does a code to a captcha… email', async () => {
      assertError(await c.signin({ username: 'captcha', password: PASSWORD }), 'captcha_required', 400, 4001);
      assertError(await c.send({ phone_number: '+86 13800000001' }), 'captcha_required', 400, 4001);
      assertError(await c.send({ email: 'captcha-new@example.com', usage: 'email' }), 'captcha_required', 400, 4001);
      const token = await solveCaptcha(m, c, 'POST:/v1/verification');
      assertTokens(await c.call('/auth/v1/signin', { username: 'captcha@example.com', password: PASSWORD }, withToken(token)));
      assert.equal((await c.send({ phone_number: '+86 13800000001' }, withToken(token))).status, 200);
      assert.equal((await c.send({ email: 'captcha-new@example.com', usage: 'email' }, withToken(token))).status, 200);
      m.clock.advance(601_000);
      assertError(await c.call('/auth/v1/signin', { username: 'captcha', password: PASSWORD }, withToken(token)), 'captcha_invalid', 400, 4002);
    });
    test('an image takes one answer: a wrong one burns it; an unknown or stale image is invalid_argument', async () => {
      const image = await c.call('/auth/v1/captcha/data', { state: 'POST:/v1/signin' });
      const answer = m.ctx.outbox.latestCode(image.json.token, 'cloudbase')!;
      const wrong = await c.call('/auth/v1/captcha/data/verify', { token: image.json.token, key: answer === 'AAAA' ? 'BBBB' : 'AAAA' });
      assertError(wrong, 'invalid_argument', 400, 3);
      assert.match(wrong.json.error_description, /incorrect/);
      assertError(await c.call('/auth/v1/captcha/data/verify', { token: image.json.token, key: answer }), 'invalid_argument', 400, 3);
      const late = await c.call('/auth/v1/captcha/data', { state: 'POST:/v1/signin' });
      m.clock.advance(301_000);
      assertError(await c.call('/auth/v1/captcha/data/verify', { token: late.json.token, key: m.ctx.outbox.latestCode(late.json.token, 'cloudbase')! }), 'invalid_argument', 400, 3);
      assertError(await c.call('/auth/v1/captcha/data', { redirect_uri: '' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/captcha/data/verify', { token: late.json.token }), 'invalid_argument', 400);
    });
  });

  describe('lock-out', () => {
    test('maxPasswordFailures wrong passwords lock the account for lockoutSeconds', async () => {
      const mm = await mountBackend(cloudbaseBackend, { policies: { maxPasswordFailures: 3, lockoutSeconds: 60 }, clock: createManualClock() });
      try {
        const cc = client(mm);
        assertError(await cc.signin({ username: 'demo', password: 'x' }), 'invalid_password', 400);
        assertError(await cc.signin({ username: 'demo', password: 'x' }), 'invalid_password', 400);
        const locked = await cc.signin({ username: 'demo', password: 'x' });
        assertError(locked, 'invalid_status', 403);
        assert.match(locked.json.error_description, /too many wrong passwords/);
        assertError(await cc.signin({ username: 'demo@example.com', password: PASSWORD }), 'invalid_status', 403);
        mm.clock.advance(61_000);
        assertTokens(await cc.signin({ username: 'demo', password: PASSWORD }));
      } finally {
        await mm.close();
      }
    });
  });

  describe('third-party providers', () => {
    const REDIRECT = 'http://127.0.0.1:5173/callback';
    test('provider/uri → consent page → provider/token → signin/with/provider', async () => {
      const uri = await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: 'google', redirect_uri: REDIRECT, state: 'prd-google-abc' } });
      assert.equal(uri.status, 200);
      assert.deepEqual(Object.keys(uri.json).sort(), ['signout_uri', 'uri']);
      const page = await fetch(uri.json.uri);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Continue/);
      const approve = new URL(uri.json.uri);
      approve.searchParams.set('approve', '1');
      approve.searchParams.set('name', 'Grace Hopper');
      const back = await fetch(approve, { redirect: 'manual' });
      assert.equal(back.status, 302);
      const location = new URL(back.headers.get('location')!);
      assert.equal(location.searchParams.get('state'), 'prd-google-abc');
      const code = location.searchParams.get('code')!;
      assertError(await c.call('/auth/v1/provider/token', { provider_id: 'google', provider_redirect_uri: 'http://evil.example/cb', provider_code: code }), 'invalid_grant', 400);
      const pt = await c.call('/auth/v1/provider/token', { provider_id: 'google', provider_redirect_uri: REDIRECT, provider_code: code });
      assert.equal(pt.status, 200);
      assert.deepEqual(Object.keys(pt.json).sort(), ['expires_in', 'provider_token']);
      assertError(await c.call('/auth/v1/provider/token', { provider_id: 'google', provider_redirect_uri: REDIRECT, provider_code: code }), 'invalid_grant', 400);
      const signed = await c.call('/auth/v1/signin/with/provider', { provider_token: pt.json.provider_token });
      assertTokens(signed);
      const me = await c.me(signed.json.access_token);
      assert.equal(me.json.name, 'Grace Hopper');
      assert.equal(me.json.providers[0].id, 'google');
      assertError(await c.call('/auth/v1/signin/with/provider', { provider_token: pt.json.provider_token }), 'invalid_grant', 400);

      const cancel = new URL(uri.json.uri);
      cancel.searchParams.set('approve', '0');
      const cancelled = await fetch(cancel, { redirect: 'manual' });
      assert.equal(new URL(cancelled.headers.get('location')!).searchParams.get('error'), 'access_denied');
    });
    test('signInWithIdToken-style: provider_id_token → provider_token → same user each time', async () => {
      const idt = await c.call('/auth/v1/provider/demo-idp/id_token', { provider_id: 'github', sub: 'octocat', name: 'Octo Cat' });
      assert.equal(idt.status, 200);
      const subs: string[] = [];
      for (let i = 0; i < 2; i++) {
        const pt = await c.call('/auth/v1/provider/token', { provider_id: 'github', provider_id_token: idt.json.id_token });
        const signed = await c.call('/auth/v1/signin/with/provider', { provider_id: 'github', provider_token: pt.json.provider_token });
        assertTokens(signed);
        subs.push(signed.json.sub);
      }
      assert.equal(subs[0], subs[1]);
      assertError(await c.call('/auth/v1/provider/token', { provider_id: 'google', provider_id_token: idt.json.id_token }), 'invalid_grant', 400);
      assertError(await c.call('/auth/v1/provider/token', { provider_id: 'github', provider_id_token: 'a.b.c' }), 'invalid_grant', 400);
    });
    test('unknown provider, missing redirect_uri or state, custom tickets', async () => {
      assertError(await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: 'myspace', redirect_uri: REDIRECT, state: 's' } }), 'permission_denied', 403);
      assertError(await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: 'google', state: 's' } }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: 'google', redirect_uri: REDIRECT } }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signin/with/provider', { provider_id: 'custom', provider_token: 'ticket' }), 'permission_denied', 403);
      assertError(await c.call('/auth/v1/signin/with/provider', { provider_token: 'pt_unknown' }), 'invalid_grant', 400);
    });
  });
});

describe('cloudbase persistence', () => {
  test('a user created before a restart signs in after it; refresh tokens survive; seed is idempotent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudbase-'));
    try {
      const first = await mountBackend(cloudbaseBackend, { dataDir: dir, clock: createManualClock() });
      const c1 = client(first);
      const to = 'restart@example.com';
      const sent = await c1.send({ email: to });
      const v = await c1.verify(sent.json.verification_id, c1.code(to));
      const up = await c1.call('/auth/v1/signup', { email: to, verification_token: v.json.verification_token, password: 'restart-password' });
      assertTokens(up);
      const count = first.ctx.store.collection('cloudbase.users').values().length;
      await first.close();

      const second = await mountBackend(cloudbaseBackend, { dataDir: dir, clock: createManualClock() });
      try {
        const c2 = client(second);
        assert.equal(second.ctx.store.collection('cloudbase.users').values().length, count);
        const s = await c2.signin({ username: to, password: 'restart-password' });
        assertTokens(s);
        assert.equal(s.json.sub, up.json.sub);
        assertTokens(await c2.call('/auth/v1/token', { grant_type: 'refresh_token', refresh_token: up.json.refresh_token }));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
