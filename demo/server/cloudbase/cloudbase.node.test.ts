// node --import tsx --test demo/server/cloudbase/cloudbase.node.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { mountBackend } from '../../../test/support/backend-harness.js';
import { createManualClock, type Policies } from '../kit/index.js';
import { cloudbaseBackend } from './index.js';
import { PUBLISHABLE_KEY } from './model.js';

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
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    if (!options.noClient) url.searchParams.set('client_id', CLIENT);
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
  /** A call with credentials (§6.1): the bearer, and no client_id. */
  const as = (token: string, path: string, body?: unknown, options: CallOptions = {}) => call(path, body, { ...options, noClient: true, headers: { authorization: `Bearer ${token}`, ...options.headers } });
  return {
    call,
    as,
    signin: (body: Json, headers?: Record<string, string>) => call('/auth/v1/signin', body, { headers }),
    send: (body: Json, options?: CallOptions) => call('/auth/v1/verification', body, options),
    verify: (verification_id: string, verification_code: string) => call('/auth/v1/verification/verify', { verification_id, verification_code }),
    code: (to: string) => m.ctx.outbox.latestCode(to, 'cloudbase')!,
    me: (token: string) => as(token, '/auth/v1/user/me'),
  };
}

function assertError(res: { status: number; json: Json }, error: string, status: number, errorCode?: number, extra: string[] = []) {
  assert.equal(res.json.error, error, JSON.stringify(res.json));
  assert.equal(res.status, status);
  assert.equal(typeof res.json.error_code, 'number');
  if (errorCode !== undefined) assert.equal(res.json.error_code, errorCode);
  assert.equal(typeof res.json.error_description, 'string');
  assert.deepEqual(Object.keys(res.json).sort(), ['error', 'error_code', 'error_description', ...extra].sort());
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
    test('a call without credentials needs the client_id query parameter', async () => {
      assertError(await c.call('/auth/v1/signin', { username: 'demo', password: PASSWORD }, { noClient: true }), 'invalid_request', 400);
      // A body client_id is not where the SDK puts it.
      assertError(await c.call('/auth/v1/token', { client_id: CLIENT, grant_type: 'refresh_token', refresh_token: 'x' }, { noClient: true }), 'invalid_request', 400);
    });
    test('a call with credentials needs the bearer, not the client_id', async () => {
      assertError(await c.call('/auth/v1/user/me'), 'unauthenticated', 401, 16);
      assertError(await c.as(PUBLISHABLE_KEY, '/auth/v1/user/me'), 'unauthenticated', 401, 16);
      const s = await c.signin({ username: 'demo', password: PASSWORD });
      assert.equal((await c.me(s.json.access_token)).status, 200);
    });
    test('/verification: the person\'s token, the Publishable Key, or client_id', async () => {
      assert.equal((await c.as(PUBLISHABLE_KEY, '/auth/v1/verification', { email: 'key@example.com', usage: 'email' })).status, 200);
      assertError(await c.as('not-a-key', '/auth/v1/verification', { email: 'key2@example.com', usage: 'email' }), 'unauthenticated', 401);
      assertError(await c.send({ email: 'key3@example.com' }, { noClient: true }), 'invalid_request', 400);
      assert.equal((await c.send({ email: 'key4@example.com', usage: 'email' })).status, 200);
    });
    test('JSON as text/plain (the SDK sends no Content-Type)', async () => {
      assertTokens(await c.call('/auth/v1/signin', undefined, { raw: JSON.stringify({ username: 'demo', password: PASSWORD }), headers: { 'content-type': 'text/plain;charset=UTF-8' } }));
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
      assertError(await c.signin({ verification_token: 'vt_x' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/verification/verify', { verification_id: 5 }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/token', { grant_type: 'refresh_token' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/revoke', {}), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signup', { email: 'x@example.com' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/provider/token', { provider_id: 'google' }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signin/with/provider', { provider_token: {} }), 'invalid_argument', 400);
    });
    test('unknown route is the not_found envelope; wrong method is invalid_request', async () => {
      assertError(await c.call('/auth/v1/nope', {}), 'not_found', 404, 5);
      assertError(await c.call('/auth/v1/signin', undefined, { method: 'GET' }), 'invalid_request', 400);
      assertError(await c.call('/auth/v1/user/me', {}), 'invalid_request', 400);
      assertError(await c.call('/auth/v1/user/provider/github', {}), 'invalid_request', 400);
    });
  });

  describe('password sign-in', () => {
    test('by username, email and phone, all in `username`; user/me with the bearer', async () => {
      const byName = await c.signin({ username: 'demo', password: PASSWORD });
      assertTokens(byName);
      for (const username of ['demo@example.com', 'DEMO@example.com', DEMO_PHONE]) {
        const res = await c.signin({ username, password: PASSWORD });
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
      assertError(await c.signin({ username: 'pending', password: 'nope' }), 'invalid_password', 400, 16);
      assertError(await c.signin({ username: 'nobody', password: PASSWORD }), 'user_not_found', 404, 5);
      assertError(await c.signin({ username: 'nobody@example.com', password: PASSWORD }), 'user_not_found', 404, 5);
      // Only `username` names the account, as the SDK sends it.
      assertError(await c.signin({ email: 'demo@example.com', password: PASSWORD }), 'invalid_argument', 400, 3);
    });
    test('blocked, pending and mfa_phone_required accounts', async () => {
      assertError(await c.signin({ username: 'blocked@example.com', password: PASSWORD }), 'user_blocked', 403, 7);
      assertError(await c.signin({ username: 'pending', password: PASSWORD }), 'user_pending', 403, 7);
      assertError(await c.signin({ username: 'smsonly', password: PASSWORD }), 'mfa_phone_required', 403, 4042);
    });
    test('user/me with a garbage or an expired bearer is unauthenticated', async () => {
      assertError(await c.me('garbage'), 'unauthenticated', 401);
      const s = await c.signin({ username: 'demo', password: PASSWORD });
      m.clock.advance(121_000);
      assertError(await c.me(s.json.access_token), 'unauthenticated', 401);
      assert.equal(await cloudbaseBackend.introspect!(s.json.access_token, m.ctx), null);
    });
  });

  describe('OTP', () => {
    test('existing user: send → verify → signin {username, verification_token} (SMS)', async () => {
      const sent = await c.send({ phone_number: DEMO_PHONE });
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
      assertError(await c.signin({ username: 'demo@example.com', verification_token: verified.json.verification_token }), 'invalid_argument', 400, 3);
      const signed = await c.signin({ username: DEMO_PHONE, verification_token: verified.json.verification_token });
      assertTokens(signed);
      const me = await c.me(signed.json.access_token);
      assert.equal(me.json.username, 'demo');
      const spent = await c.signin({ username: DEMO_PHONE, verification_token: verified.json.verification_token });
      assertError(spent, 'invalid_argument', 400, 3);
      assert.match(spent.json.error_description, /verification/);
      assertError(await c.verify(sent.json.verification_id, message.code!), 'invalid_argument', 400, 3);
    });
    test('new user: is_user false → verify → signup (email, with the code too), then password sign-in', async () => {
      const email = 'new.person@example.com';
      const sent = await c.send({ email, usage: 'email' });
      assert.equal(sent.json.is_user, false);
      assert.equal(m.ctx.outbox.list({ to: email })[0].purpose, 'register');
      const code = c.code(email);
      const verified = await c.verify(sent.json.verification_id, code);
      assertError(await c.signin({ username: email, verification_token: verified.json.verification_token }), 'user_not_found', 404);
      assertError(await c.call('/auth/v1/signup', { email: 'other@example.com', verification_token: verified.json.verification_token }), 'invalid_argument', 400);
      const up = await c.call('/auth/v1/signup', { email, verification_token: verified.json.verification_token, verification_code: code, password: 'new-password', name: 'New Person' });
      assertTokens(up);
      const me = await c.me(up.json.access_token);
      assert.equal(me.json.email, email);
      assert.equal(me.json.name, 'New Person');
      assert.equal(me.json.created_from, 'email');
      assertTokens(await c.signin({ username: email, password: 'new-password' }));
      assertError(await c.call('/auth/v1/signup', { email, verification_token: verified.json.verification_token }), 'invalid_argument', 400);
    });
    test('new phone user signs up; the contact is then taken', async () => {
      const phone = '+86 13900000000';
      const sent = await c.send({ phone_number: phone });
      assert.equal(sent.json.is_user, false);
      const v = await c.verify(sent.json.verification_id, c.code(phone));
      assertTokens(await c.call('/auth/v1/signup', { phone_number: phone, verification_token: v.json.verification_token }));
      m.clock.advance(61_000);
      const again = await c.send({ phone_number: phone, target: 'NOT_USER' });
      assertError(again, 'failed_precondition', 400, 9);
    });
    test('target USER for an unknown contact (failed_precondition "not found"); invalid phone; missing contact', async () => {
      const unknown = await c.send({ email: 'ghost@example.com', usage: 'email', target: 'USER' });
      assertError(unknown, 'failed_precondition', 400, 9);
      assert.match(unknown.json.error_description, /not found/);
      for (const phone_number of ['13800000000', '+8613800000000', '+86 12345']) assertError(await c.send({ phone_number }), 'invalid_argument', 400, 3);
      assertError(await c.send({ email: 'not-an-email' }), 'invalid_argument', 400);
      assertError(await c.send({ target: 'ANY' }), 'invalid_argument', 400);
      assertError(await c.send({ email: 'a@example.com', target: 'SOME' }), 'invalid_argument', 400);
    });
    test('an expired or unknown verification: invalid_argument about the verification, "expired"', async () => {
      const to = 'expire@example.com';
      const sent = await c.send({ email: to });
      m.clock.advance(301_000);
      for (const res of [await c.verify(sent.json.verification_id, c.code(to)), await c.verify('vid_unknown', '123456')]) {
        assertError(res, 'invalid_argument', 400, 3);
        assert.match(res.json.error_description, /verification expired/);
      }
    });
    test('expired verification_token', async () => {
      const to = 'expire-token@example.com';
      const sent = await c.send({ email: to });
      const v = await c.verify(sent.json.verification_id, c.code(to));
      m.clock.advance(301_000);
      const res = await c.call('/auth/v1/signup', { email: to, verification_token: v.json.verification_token });
      assertError(res, 'invalid_argument', 400, 3);
      assert.match(res.json.error_description, /expired/);
    });
    test('wrong codes: "does not match", then the attempt limit burns the verification ("attempts")', async () => {
      const to = 'attempts@example.com';
      const sent = await c.send({ email: to });
      const right = c.code(to);
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 1; i < 5; i++) {
        const res = await c.verify(sent.json.verification_id, wrong);
        assertError(res, 'invalid_argument', 400, 3);
        assert.match(res.json.error_description, /verification code does not match/);
      }
      for (const code of [wrong, right]) {
        const res = await c.verify(sent.json.verification_id, code);
        assertError(res, 'invalid_argument', 400, 3);
        assert.match(res.json.error_description, /verification attempts exceeded/);
      }
    });
    test('send rate limit per recipient: resource_exhausted with retry_after in the body', async () => {
      const to = 'rate@example.com';
      assert.equal((await c.send({ email: to })).status, 200);
      m.clock.advance(20_000);
      const limited = await c.send({ email: to });
      assertError(limited, 'resource_exhausted', 429, 8, ['retry_after']);
      assert.equal(limited.json.retry_after, 40);
      assert.equal(limited.headers.get('retry-after'), null);
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
    /** provider/uri (its `uri` URL-encoded, as the SDK decodes it) → the consent page → a provider_token. */
    async function providerToken(providerId: string, name: string, state = `prd-${providerId}-abc`): Promise<string> {
      const uri = await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: providerId, state, redirect_uri: REDIRECT } });
      assert.equal(uri.status, 200);
      assert.deepEqual(Object.keys(uri.json).sort(), ['signout_uri', 'uri']);
      assert.doesNotMatch(uri.json.uri, /^https?:\/\//, 'encoded');
      const approve = new URL(decodeURIComponent(uri.json.uri));
      approve.searchParams.set('approve', '1');
      approve.searchParams.set('name', name);
      const back = await fetch(approve, { redirect: 'manual' });
      assert.equal(back.status, 302);
      const location = new URL(back.headers.get('location')!);
      assert.equal(location.searchParams.get('state'), state);
      const code = location.searchParams.get('code')!;
      assertError(await c.call('/auth/v1/provider/token', { provider_id: providerId, provider_redirect_uri: 'http://evil.example/cb', provider_code: code }), 'invalid_grant', 400);
      const pt = await c.call('/auth/v1/provider/token', { provider_id: providerId, provider_redirect_uri: REDIRECT, provider_code: code });
      assert.equal(pt.status, 200);
      assert.deepEqual(Object.keys(pt.json).sort(), ['expires_in', 'provider_token']);
      assertError(await c.call('/auth/v1/provider/token', { provider_id: providerId, provider_redirect_uri: REDIRECT, provider_code: code }), 'invalid_grant', 400);
      return pt.json.provider_token;
    }

    test('provider/uri → consent page → provider/token → signin/with/provider {provider_token}', async () => {
      const token = await providerToken('google', 'Grace Hopper');
      const signed = await c.call('/auth/v1/signin/with/provider', { provider_token: token });
      assertTokens(signed);
      const me = await c.me(signed.json.access_token);
      assert.equal(me.json.name, 'Grace Hopper');
      assert.equal(me.json.providers[0].id, 'google');
      assertError(await c.call('/auth/v1/signin/with/provider', { provider_token: token }), 'invalid_grant', 400);
      const page = await fetch(decodeURIComponent((await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: 'google', state: 's', redirect_uri: REDIRECT } })).json.uri));
      assert.match(await page.text(), /Continue/);
      const cancel = new URL(page.url);
      cancel.searchParams.set('approve', '0');
      const cancelled = await fetch(cancel, { redirect: 'manual' });
      assert.equal(new URL(cancelled.headers.get('location')!).searchParams.get('error'), 'access_denied');
    });
    test('signInWithIdToken: the third party\'s id token straight to signin/with/provider, the same user each time', async () => {
      const idt = await c.call('/auth/v1/provider/demo-idp/id_token', { provider_id: 'github', sub: 'octocat', name: 'Octo Cat' });
      assert.equal(idt.status, 200);
      const subs: string[] = [];
      for (let i = 0; i < 2; i++) {
        const signed = await c.call('/auth/v1/signin/with/provider', { provider_token: idt.json.id_token });
        assertTokens(signed);
        subs.push(signed.json.sub);
      }
      assert.equal(subs[0], subs[1]);
      assertError(await c.call('/auth/v1/signin/with/provider', { provider_token: 'a.b.c' }), 'invalid_grant', 400, 16);
    });
    test('unknown provider, missing redirect_uri or state, unknown provider_token', async () => {
      assertError(await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: 'myspace', redirect_uri: REDIRECT, state: 's' } }), 'permission_denied', 403, 7);
      assertError(await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: 'google', state: 's' } }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/provider/uri', undefined, { query: { provider_id: 'google', redirect_uri: REDIRECT } }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signin/with/provider', { provider_token: 'pt_unknown' }), 'invalid_grant', 400);
    });
    test('link: user/provider/bind with the bearer; unlink: DELETE user/provider/{id}', async () => {
      const s = await c.signin({ username: 'demo', password: PASSWORD });
      const token = await providerToken('wx_open', 'Linked Person');
      assertError(await c.call('/auth/v1/user/provider/bind', { provider_token: token }), 'unauthenticated', 401);
      const bound = await c.as(s.json.access_token, '/auth/v1/user/provider/bind', { provider_token: token });
      assert.equal(bound.status, 200, JSON.stringify(bound.json));
      assert.deepEqual((await c.me(s.json.access_token)).json.providers.map((p: Json) => p.id), ['wx_open']);
      assertError(await c.as(s.json.access_token, '/auth/v1/user/provider/bind', { provider_token: token }), 'invalid_grant', 400);
      // Signing in with the linked identity reaches the same person.
      const again = await c.call('/auth/v1/signin/with/provider', { provider_token: await providerToken('wx_open', 'Linked Person') });
      assert.equal(again.json.sub, s.json.sub);
      // Another person cannot take it.
      const other = await c.call('/auth/v1/signin/anonymously', {}, { headers: { 'x-device-id': 'binder' } });
      assertError(await c.as(other.json.access_token, '/auth/v1/user/provider/bind', { provider_token: await providerToken('wx_open', 'Linked Person') }), 'failed_precondition', 400, 9);
      assertError(await c.as(s.json.access_token, '/auth/v1/user/provider/github', undefined, { method: 'DELETE' }), 'not_found', 404);
      assert.equal((await c.as(s.json.access_token, '/auth/v1/user/provider/wx_open', undefined, { method: 'DELETE' })).status, 200);
      assert.deepEqual((await c.me(s.json.access_token)).json.providers, []);
      assertError(await c.call('/auth/v1/user/provider/wx_open', undefined, { method: 'DELETE' }), 'unauthenticated', 401);
    });
    test('the last way to sign in cannot be unlinked', async () => {
      const signed = await c.call('/auth/v1/signin/with/provider', { provider_token: await providerToken('github', 'Only GitHub') });
      assertError(await c.as(signed.json.access_token, '/auth/v1/user/provider/github', undefined, { method: 'DELETE' }), 'failed_precondition', 400, 9);
    });
  });

  describe('account', () => {
    test('user/basic/edit sets profile fields; a taken or bad username is refused', async () => {
      const s = await c.signin({ username: 'demo', password: PASSWORD });
      assertError(await c.call('/auth/v1/user/basic/edit', { name: 'X' }), 'unauthenticated', 401);
      const edited = await c.as(s.json.access_token, '/auth/v1/user/basic/edit', { name: 'Renamed', picture: 'https://example.com/a.png', gender: 'FEMALE' });
      assert.equal(edited.status, 200);
      const me = (await c.me(s.json.access_token)).json;
      assert.equal(me.name, 'Renamed');
      assert.equal(me.picture, 'https://example.com/a.png');
      assert.equal(me.gender, 'FEMALE');
      assertError(await c.as(s.json.access_token, '/auth/v1/user/basic/edit', { username: 'captcha' }), 'invalid_argument', 400);
      assertError(await c.as(s.json.access_token, '/auth/v1/user/basic/edit', { username: '1bad' }), 'invalid_argument', 400);
      await c.as(s.json.access_token, '/auth/v1/user/basic/edit', { name: 'Demo User', picture: '', gender: 'UNKNOWN' });
    });
    test('a new email: a code sent with the bearer (usage reauthentication), verified, then {email}', async () => {
      const email = 'change-me@example.com';
      const sent = await c.send({ email, usage: 'email' });
      const up = await c.call('/auth/v1/signup', { email, verification_token: (await c.verify(sent.json.verification_id, c.code(email))).json.verification_token, password: 'long-password' });
      const token = up.json.access_token;
      // Not verified yet: refused.
      assertError(await c.as(token, '/auth/v1/user/basic/edit', { email: 'changed@example.com' }), 'failed_precondition', 400, 9);
      const send = await c.as(token, '/auth/v1/verification', { email: 'changed@example.com', usage: 'reauthentication' });
      assert.equal(send.status, 200);
      assert.equal(m.ctx.outbox.list({ to: 'changed@example.com' })[0].purpose, 'change_contact');
      // Verified without credentials, as the SDK does; the edit then carries them.
      assert.equal((await c.verify(send.json.verification_id, c.code('changed@example.com'))).status, 200);
      assert.equal((await c.as(token, '/auth/v1/user/basic/edit', { email: 'changed@example.com' })).status, 200);
      assert.equal((await c.me(token)).json.email, 'changed@example.com');
      // Used once.
      assertError(await c.as(token, '/auth/v1/user/basic/edit', { email: 'other@example.com' }), 'failed_precondition', 400);
      // A contact of another person cannot be asked for.
      assertError(await c.as(token, '/auth/v1/verification', { email: 'demo@example.com', usage: 'reauthentication' }), 'failed_precondition', 400, 9);
    });
    test('a new phone: {phone_number} with the bearer, then {phone: "+86 …"}', async () => {
      const s = await c.call('/auth/v1/signin/anonymously', {}, { headers: { 'x-device-id': 'phone-changer' } });
      const phone = '+86 13900000042';
      const send = await c.as(s.json.access_token, '/auth/v1/verification', { phone_number: phone });
      assert.equal(send.status, 200);
      await c.verify(send.json.verification_id, c.code(phone));
      assert.equal((await c.as(s.json.access_token, '/auth/v1/user/basic/edit', { phone })).status, 200);
      assert.equal((await c.me(s.json.access_token)).json.phone_number, phone);
    });
    test('reset: /verification (target USER, usage recovery) → verify → /reset → the new password signs in', async () => {
      const sent = await c.as(PUBLISHABLE_KEY, '/auth/v1/verification', { email: 'blocked@example.com', usage: 'recovery', target: 'USER' });
      assert.equal(sent.status, 200);
      assert.equal(m.ctx.outbox.list({ to: 'blocked@example.com' })[0].purpose, 'reset_password');
      const v = await c.verify(sent.json.verification_id, c.code('blocked@example.com'));
      assertError(await c.call('/auth/v1/reset', { email: 'demo@example.com', new_password: 'brand-new-1', verification_token: v.json.verification_token }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/reset', { email: 'blocked@example.com', new_password: 'short', verification_token: v.json.verification_token }), 'invalid_argument', 400);
      assert.equal((await c.call('/auth/v1/reset', { email: 'blocked@example.com', new_password: 'brand-new-1', verification_token: v.json.verification_token })).status, 200);
      // The account state still holds: the new password reaches user_blocked, not invalid_password.
      assertError(await c.signin({ username: 'blocked', password: 'brand-new-1' }), 'user_blocked', 403);
      assertError(await c.call('/auth/v1/reset', { email: 'blocked@example.com', new_password: 'brand-new-2', verification_token: v.json.verification_token }), 'invalid_argument', 400);
    });
    test('reset by phone: the SDK sends the phone as typed to /reset', async () => {
      const sent = await c.send({ phone_number: '+86 13800000002', target: 'USER' });
      const v = await c.verify(sent.json.verification_id, c.code('+86 13800000002'));
      assert.equal((await c.call('/auth/v1/reset', { phone_number: '13800000002', new_password: 'brand-new-3', verification_token: v.json.verification_token })).status, 200);
      assertError(await c.signin({ username: 'blocked', password: 'brand-new-3' }), 'user_blocked', 403);
    });
  });

  describe('custom tickets', () => {
    test('a ticket from the stand-in of the site\'s server signs in (the first time creates the user)', async () => {
      const mint = async (uid: string) => (await fetch(`${m.url}/custom/ticket`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uid }) })).json() as Promise<Json>;
      const { ticket, expires_in } = await mint('site-user-1');
      assert.equal(expires_in, 600);
      const first = await c.call('/auth/v1/signin/custom', { provider_id: 'custom', ticket });
      assertTokens(first);
      assert.equal((await c.me(first.json.access_token)).json.created_from, 'custom');
      const second = await c.call('/auth/v1/signin/custom', { provider_id: 'custom', ticket: (await mint('site-user-1')).ticket });
      assert.equal(second.json.sub, first.json.sub);
      assertError(await c.call('/auth/v1/signin/custom', { provider_id: 'github', ticket }), 'invalid_argument', 400);
      assertError(await c.call('/auth/v1/signin/custom', { provider_id: 'custom', ticket: 'forged' }), 'invalid_grant', 400);
      assert.equal((await fetch(`${m.url}/custom/ticket`, { method: 'POST', body: JSON.stringify({ uid: 'x' }) })).status, 400);
      m.clock.advance(601_000);
      assertError(await c.call('/auth/v1/signin/custom', { provider_id: 'custom', ticket }), 'invalid_grant', 400);
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
