// node --import tsx --test src/providers/cloudbase/*.node.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cloudbaseBackend } from '../../../demo/server/cloudbase/index.js';
import type { Policies } from '../../../demo/server/kit/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { fakeClock } from '../../../test/support/clock.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import type { AdapterContext, AuthChangeEvent } from '../../contract/index.js';
import { AuthClient } from '../../core/client.js';
import { createHttp } from '../../core/util/http.js';
import { cloudbaseProvider, type CloudbaseSettings } from './cloudbase.js';

type Mount = Awaited<ReturnType<typeof mountBackend>>;
const APP = 'http://127.0.0.1:5199/app';
const PASSWORD = 'demo-password';
const direct = (): AdapterContext => ({ http: createHttp(), lang: 'en' });

function makeClient(m: Mount, settings: Partial<CloudbaseSettings> = {}, options: { autoRefresh?: boolean; url?: string } = {}) {
  const provider = cloudbaseProvider({ env: 'demo-env', baseUrl: m.url, providers: ['google', 'github', 'wx_open'], deviceId: 'device-flows', ...settings });
  const env = testEnvironment(options.url ?? APP);
  const client = new AuthClient({ provider, storage: 'memory', environment: env, autoRefresh: options.autoRefresh ?? false });
  const events: AuthChangeEvent[] = [];
  client.onAuthStateChange((event) => void events.push(event));
  return { client, provider, env, events };
}

/** Follows the local consent page the `uri` points at; returns the callback URL. */
async function consent(uri: string, name = 'Octo Cat'): Promise<string> {
  const url = new URL(uri);
  url.searchParams.set('approve', '1');
  url.searchParams.set('name', name);
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 302);
  return res.headers.get('location')!;
}

describe('cloudbase provider flows against the emulation', () => {
  let m: Mount;
  before(async () => {
    m = await mountBackend(cloudbaseBackend);
  });
  after(() => m.close());

  test('password sign-in by username, email and phone: one user, CloudBase session shape', async () => {
    const ids = new Set<string>();
    for (const identifier of [{ username: 'demo' }, { email: 'demo@example.com' }, { phone: '+8613800000000' }]) {
      const { client, events } = makeClient(m);
      const before = Math.floor(Date.now() / 1000);
      const { data, error } = await client.signInWithPassword({ ...identifier, password: PASSWORD });
      const after = Math.floor(Date.now() / 1000);
      assert.equal(error, null, JSON.stringify(identifier));
      const session = data.session!;
      assert.equal(session.provider, 'cloudbase');
      assert.match(session.user.id, /^\d+$/);
      assert.equal(session.user.email, 'demo@example.com');
      assert.equal(session.user.phone, '+86 13800000000');
      assert.equal(session.token_type, 'Bearer');
      assert.equal(session.expires_in, 120);
      assert.ok(session.expires_at >= before + 120 && session.expires_at <= after + 120, 'expires 120 s after the answer');
      assert.match(session.refresh_token!, /^rt_/);
      await until(() => events.includes('SIGNED_IN'));
      ids.add(session.user.id);
      client.destroy();
    }
    assert.equal(ids.size, 1);
  });

  test('OTP for an existing user: /verification → verify → /signin', async () => {
    const { client } = makeClient(m);
    const known = await client.signInWithPassword({ username: 'demo', password: PASSWORD });
    const started = await client.signInWithOtp({ phone: '+8613800000000' });
    assert.equal(started.error, null);
    assert.equal(started.data.channel, 'sms');
    assert.equal(started.data.expiresIn, 300);
    const code = m.ctx.outbox.latestCode('+86 13800000000', 'cloudbase')!;
    const { data, error } = await started.data.verifyOtp!({ token: code });
    assert.equal(error, null);
    assert.equal(data.session!.user.id, known.data.session!.user.id);
    client.destroy();
  });

  test('OTP for a new phone and a new email: verify → /signup creates the user', async () => {
    for (const [params, to] of [[{ phone: '+8613900000000' }, '+86 13900000000'], [{ email: 'new@example.com' }, 'new@example.com']] as const) {
      const { client } = makeClient(m);
      const started = await client.signInWithOtp(params);
      assert.equal(started.error, null);
      const { data, error } = await client.verifyOtp({ token: m.ctx.outbox.latestCode(to, 'cloudbase')! });
      assert.equal(error, null);
      assert.match(data.session!.user.id, /^\d+$/);
      assert.equal(data.session!.user.created_from, 'phone' in params ? 'phone' : 'email');
      client.destroy();
    }
  });

  test('signUp with a password: a verify_sign_up step first, then /signup; the password then signs in', async () => {
    const { client } = makeClient(m);
    const started = await client.signUp({ email: 'sign-up@example.com', password: 'long-password', data: { name: 'New Person' } });
    assert.equal(started.error, null);
    const step = started.data.step!;
    assert.equal(step.kind, 'verify_sign_up');
    assert.equal(step.kind === 'verify_sign_up' && step.channel, 'email');
    assert.equal(step.kind === 'verify_sign_up' && step.expiresIn, 300);
    assert.equal(step.origin, 'sign_up');
    assert.deepEqual(client.state.pending, step);
    assert.equal(started.data.session, null);
    const done = await client.verifyOtp({ token: m.ctx.outbox.latestCode('sign-up@example.com', 'cloudbase')! });
    assert.equal(done.error, null);
    assert.equal(done.data.session!.user.name, 'New Person');
    assert.equal(client.state.pending, null);
    const again = await makeClient(m).client.signInWithPassword({ email: 'sign-up@example.com', password: 'long-password' });
    assert.equal(again.data.session!.user.id, done.data.session!.user.id);
    client.destroy();
  });

  test('anonymous sign-in: one user per x-device-id', async () => {
    const first = await makeClient(m, { deviceId: 'anon-device' }).client.signInAnonymously();
    const second = await makeClient(m, { deviceId: 'anon-device' }).client.signInAnonymously();
    const other = await makeClient(m, { deviceId: 'another-device' }).client.signInAnonymously();
    assert.equal(first.error, null);
    assert.equal(first.data.session!.user.id, second.data.session!.user.id);
    assert.notEqual(first.data.session!.user.id, other.data.session!.user.id);
    assert.equal(first.data.session!.user.created_from, 'anonymous');
  });

  test('signInWithOAuth via /provider/uri, completed on return via /provider/token and /signin/with/provider', async () => {
    for (const source of ['github', 'wx_open']) {
      const { client, env } = makeClient(m);
      const started = await client.signInWithOAuth({ provider: source });
      assert.equal(started.error, null);
      assert.equal(env.navigations[0], started.data.url);
      const callback = await consent(started.data.url!, `Person of ${source}`);
      env.current = callback;
      const { data, error } = await client.handleRedirectCallback();
      assert.equal(error, null);
      assert.equal(data.session!.user.name, `Person of ${source}`);
      assert.equal((data.session!.user.providers as Array<{ id: string }>)[0].id, source);
      assert.equal(new URL(env.current!).searchParams.get('code'), null);
      client.destroy();
    }
  });

  test('signInWithIdToken: the id token as provider_token of /signin/with/provider; setSession adopts its tokens', async () => {
    const { provider } = makeClient(m);
    const res = await fetch(`${m.url}/auth/v1/provider/demo-idp/id_token?client_id=demo-env`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-id': 'd' },
      body: JSON.stringify({ provider_id: 'google', sub: 'g-123', name: 'Gee User' }),
    });
    const { id_token } = (await res.json()) as { id_token: string };
    const tokens = await provider.signInWithIdToken!({ provider: 'google', token: id_token }, direct());
    assert.match(tokens.user!.id, /^\d+$/);
    assert.equal(tokens.user!.name, 'Gee User');
    const { client } = makeClient(m);
    const adopted = await client.setSession(tokens);
    assert.equal(adopted.data.session!.user.id, tokens.user!.id);
    client.destroy();
  });

  test('refreshSession rotates the tokens and keeps the profile; getUser reads /user/me', async () => {
    const { client, events } = makeClient(m);
    const first = (await client.signInWithPassword({ username: 'demo', password: PASSWORD })).data.session!;
    // The emulation's JWTs have 1-second claims: move its clock so the new access token differs.
    m.clock.advance(1500);
    const { data, error } = await client.refreshSession();
    assert.equal(error, null);
    // Rotation is visible on the refresh token (a JWT minted in the same second may be identical).
    assert.notEqual(data.session!.refresh_token, first.refresh_token);
    assert.equal(data.session!.user.email, 'demo@example.com');
    await until(() => events.includes('TOKEN_REFRESHED'));
    const user = await client.getUser();
    assert.equal(user.data.user!.id, first.user.id);
    assert.equal(user.data.user!.username, 'demo');
    client.destroy();
  });

  test('signOut revokes at /revoke, then clears: the old token no longer works', async () => {
    const { client, provider, events } = makeClient(m);
    const session = (await client.signInWithPassword({ username: 'demo', password: PASSWORD })).data.session!;
    assert.deepEqual(await client.signOut(), { error: null });
    assert.equal(client.state.session, null);
    await until(() => events.includes('SIGNED_OUT'));
    await assert.rejects(provider.getUser!(session, direct()), { code: 'session_expired', providerCode: 'unauthenticated', status: 401 });
    await assert.rejects(provider.refresh!(session, direct()), { code: 'session_expired', providerCode: 'invalid_grant' });
    client.destroy();
  });

});

describe('cloudbase provider: the image captcha, the SDK\'s way', () => {
  let m: Mount;
  before(async () => {
    m = await mountBackend(cloudbaseBackend);
  });
  after(() => m.close());

  /** The answer to the newest image: the emulation puts it in the outbox, as no test can read an image. */
  const answer = () => m.ctx.outbox.list({ backend: 'cloudbase' }).find((message) => message.purpose === 'captcha')!.code!;
  /** A client whose requests are recorded (method, path, query). */
  function recorded(settings: Partial<CloudbaseSettings> = {}) {
    const calls: string[] = [];
    const record = (async (url: string | URL, init?: RequestInit) => {
      const u = new URL(String(url));
      calls.push(`${init?.method ?? 'GET'} ${u.pathname.replace(/^.*\/auth\/v1/, '')}${u.searchParams.has('captcha_token') ? ' +captcha_token' : ''}`);
      return fetch(url, init);
    }) as typeof fetch;
    const provider = cloudbaseProvider({ env: 'demo-env', baseUrl: m.url, deviceId: 'device-captcha', ...settings });
    const client = new AuthClient({ provider, storage: 'memory', environment: testEnvironment(APP), autoRefresh: false, http: { fetch: record } });
    return { client, calls };
  }

  test('a password sign-in: an image, a wrong answer (new image + error), another image, the right answer', async () => {
    const { client, calls } = recorded();
    const first = await client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    assert.equal(first.error, null);
    const step = first.data.step!;
    assert.equal(step.kind, 'captcha');
    assert.equal(step.origin, 'sign_in');
    assert.match((step as { image?: string }).image!, /^data:image\/svg\+xml;base64,/);
    assert.deepEqual(calls, ['POST /signin', 'POST /captcha/data']);
    const wrong = await client.answerCaptcha({ text: answer() === 'AAAA' ? 'BBBB' : 'AAAA' });
    assert.equal(wrong.error?.code, 'captcha_required');
    assert.deepEqual(wrong.error?.invalid, { captcha: 'invalid' });
    assert.equal(wrong.error?.providerCode, 'invalid_argument');
    const again = client.state.pending!;
    assert.equal(again.kind, 'captcha', 'asked again');
    assert.notEqual((again as { image?: string }).image, (step as { image?: string }).image, 'with a new image');
    const another = await client.newCaptcha();
    assert.equal(another.error, null);
    assert.notEqual(another.data.image, (again as { image?: string }).image);
    const right = await client.answerCaptcha({ text: answer().toLowerCase() });
    assert.equal(right.error, null);
    assert.equal(client.state.status, 'signed-in');
    assert.equal(client.state.pending, null);
    assert.equal(client.state.session!.user.username, 'captcha');
    // The SDK's wire: the wrong answer, a new image without redirect_uri, the right answer, the call again with the token.
    assert.deepEqual(calls.slice(2), ['POST /captcha/data/verify', 'POST /captcha/data', 'POST /captcha/data', 'POST /captcha/data/verify', 'POST /signin +captcha_token', 'GET /user/me']);
    // A captcha_token is kept until it expires, as the SDK keeps it: the next demand uses it, no image.
    calls.length = 0;
    await client.signOut();
    const next = await client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    assert.equal(next.data.step, undefined);
    assert.equal(next.error, null);
    assert.deepEqual(calls.filter((c) => c.includes('signin')), ['POST /signin', 'POST /signin +captcha_token']);
    client.destroy();
  });

  test('a code send (origin otp): answering it sends the code and hands back verifyOtp', async () => {
    const { client } = recorded();
    const first = await client.signInWithOtp({ email: 'captcha@example.com' });
    assert.equal(first.data.step?.kind, 'captcha');
    assert.equal(first.data.step?.origin, 'otp');
    const sent = await client.answerCaptcha({ text: answer() });
    assert.equal(sent.error, null);
    const started = sent.data as { verifyOtp?: (p: { token: string }) => Promise<unknown>; channel?: string };
    assert.equal(started.channel, 'email');
    assert.equal(typeof started.verifyOtp, 'function');
    const done = await client.verifyOtp({ token: m.ctx.outbox.latestCode('captcha@example.com', 'cloudbase')! });
    assert.equal(done.error, null);
    assert.equal(done.data.session!.user.email, 'captcha@example.com');
    client.destroy();
  });

  test('a sign-up (origin sign_up): the captcha, then the verify_sign_up step, then the code', async () => {
    const { client } = recorded();
    const first = await client.signUp({ email: 'captcha-sign-up@example.com', password: 'long-password' });
    assert.equal(first.data.step?.kind, 'captcha');
    assert.equal(first.data.step?.origin, 'sign_up');
    const verify = await client.answerCaptcha({ text: answer() });
    assert.equal(verify.error, null);
    assert.equal(client.state.pending?.kind, 'verify_sign_up');
    const done = await client.verifyOtp({ token: m.ctx.outbox.latestCode('captcha-sign-up@example.com', 'cloudbase')! });
    assert.equal(done.error, null);
    assert.equal(done.data.session!.user.email, 'captcha-sign-up@example.com');
    client.destroy();
  });

  test('an answer is traded once: the same call run again with it (a later step) uses the kept token', async () => {
    const provider = cloudbaseProvider({ env: 'demo-env', baseUrl: m.url, deviceId: 'device-captcha-2' });
    const credentials = { username: 'captcha', password: PASSWORD };
    const step = await provider.signInWithPassword!(credentials, direct()).then(
      () => assert.fail('a captcha first'),
      (error: { step: { context: unknown } }) => error.step,
    );
    const ctx = { ...direct(), captcha: { text: answer(), context: step.context } };
    const first = await provider.signInWithPassword!(credentials, ctx);
    assert.ok('access_token' in first);
    const again = await provider.signInWithPassword!(credentials, ctx);
    assert.ok('access_token' in again, 'not a second, failing /captcha/data/verify');
  });

  test('nothing typed, or no step pending, is refused before anything is sent', async () => {
    const { client, calls } = recorded();
    await client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    const before = calls.length;
    assert.deepEqual((await client.answerCaptcha({ text: '  ' })).error?.invalid, { captcha: 'required' });
    client.cancelStep();
    assert.equal((await client.answerCaptcha({ text: 'ABCD' })).error?.providerCode, 'no_pending_step');
    assert.equal((await client.newCaptcha()).error?.providerCode, 'no_pending_step');
    assert.equal(calls.length, before);
    client.destroy();
  });
});

describe('cloudbase provider: refresh before expiry', () => {
  let m: Mount;
  before(async () => {
    m = await mountBackend(cloudbaseBackend, { policies: { accessTokenTtlSeconds: 2 } satisfies Partial<Policies> });
  });
  after(() => m.close());

  test('a 2-second token is refreshed on its own before it expires', async (t) => {
    // Client and emulation share the fake clock: the token's 2 s pass when the test says so.
    const clock = fakeClock(t);
    const { client, events } = makeClient(m, {}, { autoRefresh: true });
    const first = (await client.signInWithPassword({ username: 'demo', password: PASSWORD })).data.session!;
    clock.tick(1000); // the refresh time: 1 s before expiry
    await until(() => events.includes('TOKEN_REFRESHED'), undefined, 'TOKEN_REFRESHED');
    assert.ok(Date.now() / 1000 < first.expires_at, 'refreshed before the old token expired');
    const now = client.state.session!;
    assert.notEqual(now.refresh_token, first.refresh_token);
    assert.equal(now.user.id, first.user.id);
    assert.equal(now.expires_in, 2);
    client.destroy();
  });
});
