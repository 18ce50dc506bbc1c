// The alibaba-idaas adapter over real HTTP: AuthClient → relay (adds the app token) → the
// reference server's emulation. Run: node --import tsx --test src/providers/alibaba-idaas/*.node.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { until } from '../../../test/support/environment.js';
import { decodeJwt } from '../../core/util/jwt.js';
import { alibabaIdaasProvider, type AlibabaIdaasSettings } from './alibaba-idaas.js';
import { IDAAS_APP_ID, PASSWORD, SOCIAL, stack, type Stack } from './stack.node.test.js';

describe('alibaba-idaas password, captcha, consent, second factor', () => {
  let s: Stack;
  before(async () => {
    s = await stack();
  });
  after(() => s.close());

  test('password login: tokens in data become the session (user.id = uuid)', async () => {
    const { client, events } = s.client();
    const { data, error } = await client.signInWithPassword({ username: 'demo', password: PASSWORD });
    assert.equal(error, null);
    const session = data.session!;
    assert.equal(session.provider, 'alibaba-idaas');
    assert.match(session.user.id, /^[0-9a-f]{32}$/);
    assert.equal(session.user.id, decodeJwt(session.id_token!)!.sub);
    assert.equal(session.user.email, 'demo@alibaba.example');
    assert.equal(session.expires_in, 120);
    assert.ok(Math.abs(session.expires_at - (Date.now() / 1000 + 120)) < 5);
    assert.ok(session.refresh_token && session.access_token);
    await until(() => events.includes('SIGNED_IN'));
  });

  test('password login by phone (E.164) and by email', async () => {
    const byPhone = await s.client().client.signInWithPassword({ phone: '+8613800000020', password: PASSWORD });
    assert.equal(byPhone.error, null);
    const byEmail = await s.client().client.signInWithPassword({ email: 'demo@alibaba.example', password: PASSWORD });
    assert.equal(byEmail.data.session?.user.id, byPhone.data.session?.user.id);
  });

  test('error rows: wrong password, unknown user, disabled (user_deleted 403), admin lock', async () => {
    const { client } = s.client();
    const wrong = await client.signInWithPassword({ username: 'consent', password: 'nope-nope' });
    assert.equal(wrong.error?.code, 'invalid_credentials');
    assert.equal(wrong.error?.providerCode, 'Operation.Failure.User.Password.Error');
    assert.equal(wrong.error?.status, 400);
    assert.doesNotMatch(wrong.error!.message, /nope-nope/);
    const unknown = await client.signInWithPassword({ username: 'nobody', password: PASSWORD });
    assert.equal(unknown.error?.code, 'user_not_found');
    assert.equal(unknown.error?.providerCode, 'Operation.Failure.User.Not.Exist');
    const disabled = await client.signInWithPassword({ username: 'disabled', password: PASSWORD });
    assert.equal(disabled.error?.code, 'account_disabled');
    assert.equal(disabled.error?.providerCode, 'user_deleted');
    assert.equal(disabled.error?.status, 403);
    const locked = await client.signInWithPassword({ username: 'locked', password: PASSWORD });
    assert.equal(locked.error?.code, 'account_locked');
    assert.equal(locked.error?.providerCode, 'Operation.Failure.User.Locked');
  });

  test('consent: NEED_AGREE_CONSENT is a consent step; agreeing sends the same sign-in again', async () => {
    const { client } = s.client();
    const asked = await client.signInWithPassword({ username: 'consent', password: PASSWORD });
    assert.equal(asked.error, null);
    assert.equal(asked.data.step?.kind, 'consent');
    assert.equal(client.state.pending?.kind, 'consent');
    const session = () => client.state.session;
    assert.equal(session(), null);
    const agreed = await client.agreeToTerms();
    assert.equal(agreed.error, null);
    assert.equal(session()?.provider, 'alibaba-idaas');
    assert.equal(client.state.pending, null);
  });

  test('image captcha: a captcha step with an image; a wrong answer brings a new image and an error; the right one signs in', async () => {
    const { client } = s.client();
    const first = await client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    assert.equal(first.error, null);
    const step = first.data.step!;
    assert.equal(step.kind, 'captcha');
    assert.ok(step.kind === 'captcha' && step.image);
    assert.match(step.kind === 'captcha' ? step.image! : '', /^data:image\/svg\+xml;base64,/);
    const captchaCode = () => (client.state.pending?.context as { captchaCode: string }).captchaCode;
    const firstCode = captchaCode();

    const wrong = await client.answerCaptcha({ text: 'WRONG' });
    assert.equal(wrong.error?.code, 'captcha_required');
    assert.equal(wrong.error?.providerCode, 'Operation.Failure.Captcha.Error');
    assert.deepEqual(wrong.error?.invalid, { captcha: 'invalid' });
    assert.equal(client.state.pending?.kind, 'captcha', 'a new image to answer');
    assert.notEqual(captchaCode(), firstCode);

    // Another image on request: the old one is no longer the one to answer.
    const before = captchaCode();
    const fresh = await client.newCaptcha();
    assert.equal(fresh.error, null);
    assert.match(fresh.data.image!, /^data:image\/svg\+xml;base64,/);
    assert.notEqual(captchaCode(), before);

    const ok = await client.answerCaptcha({ text: s.code(captchaCode())! });
    assert.equal(ok.error, null);
    assert.equal(client.state.session?.provider, 'alibaba-idaas');
    assert.equal(client.state.pending, null);
    // The answer is one-shot: the next attempt asks again.
    const again = await s.client().client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    assert.equal(again.data.step?.kind, 'captcha');
  });

  test('second factor: NEED_TWO_FACTOR → second_factor step, SMS code, tokens; a wrong code is invalid_code', async () => {
    const { client } = s.client();
    const started = await client.signInWithPassword({ username: 'mfa', password: PASSWORD });
    assert.equal(started.error, null);
    const step = started.data.step!;
    assert.equal(step.kind, 'second_factor');
    assert.ok(step.kind === 'second_factor' && step.methods.includes('sms'));
    assert.ok(step.kind === 'second_factor' && step.target === '138****0021');
    const sent = await client.sendSecondFactor({ method: 'sms' });
    assert.equal(sent.error, null);
    assert.equal(sent.data.channel, 'sms');
    const code = s.code('+8613800000021')!;
    const wrong = await client.verifySecondFactor({ code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.error?.code, 'invalid_code');
    assert.equal(wrong.error?.providerCode, 'Operation.Failure.Code.Error');
    const done = await client.verifySecondFactor({ code });
    assert.equal(done.error, null);
    assert.equal(done.data.session?.provider, 'alibaba-idaas');
    assert.ok(done.data.session?.user.id);
  });

  test('second factor by email is unsupported for an account without email (Unsupport.2fa.Type → config)', async () => {
    const { client } = s.client();
    await client.signInWithPassword({ username: 'mfa', password: PASSWORD });
    const ctx = { http: client.http, lang: 'en' as const };
    const step = client.state.pending;
    assert.ok(step?.kind === 'second_factor');
    // Forge a step offering EMAIL to reach the backend's own refusal.
    const forged = { ...step, context: { ...(step.context as object), types: ['EMAIL'] } };
    await assert.rejects(client.adapter.sendSecondFactor!(forged, 'email', ctx), (e: { code: string; providerCode: string }) => e.code === 'config' && e.providerCode === 'Operation.Failure.Unsupport.2fa.Type');
  });

  test('SMS login of an mfa account asks for the password as second factor (PWD)', async () => {
    s.backend.clock.advance(61_000); // past the send interval of the SMS sent by the test above
    const { client } = s.client();
    const sent = await client.signInWithOtp({ phone: '+8613800000021' });
    assert.equal(sent.error, null);
    const started = await sent.data.verifyOtp!({ token: s.code('+8613800000021')! });
    const step = started.data.step!;
    assert.ok(step.kind === 'second_factor');
    assert.deepEqual(step.methods, ['password']);
    const done = await client.verifySecondFactor({ code: PASSWORD });
    assert.equal(done.error, null);
    assert.ok(done.data.session?.access_token);
  });

  test('configuration: a secret, a missing or a malformed setting is refused, naming the setting', () => {
    const refused = (settings: unknown) => alibabaIdaasProvider(settings as AlibabaIdaasSettings).configError;
    const withSecret = refused({ ...s.settings, clientSecret: 'x' });
    assert.equal(withSecret?.code, 'config');
    assert.equal(withSecret?.providerCode, 'secret_in_browser');
    assert.equal(refused({ baseUrl: s.settings.baseUrl })?.code, 'config');
    assert.equal(refused({ baseUrl: s.settings.baseUrl })?.providerCode, 'missing_setting:idaasAppId');
    assert.equal(refused({ idaasAppId: 'a' })?.providerCode, 'missing_setting:baseUrl');
    assert.equal(refused({ ...s.settings, baseUrl: 'ftp://relay.example' })?.providerCode, 'bad_setting:baseUrl');
    assert.equal(refused({ ...s.settings, socialSources: [{ enterpriseAuthId: 'x' }] })?.providerCode, 'bad_setting:socialSources');
    assert.equal(refused({ ...s.settings, socialSources: { enterpriseAuthId: 'x' } })?.providerCode, 'bad_setting:socialSources');
    assert.equal(refused({ ...s.settings, phoneRegion: '+86 ' })?.providerCode, 'bad_setting:phoneRegion');
    assert.equal(refused(s.settings), undefined);
    assert.equal(alibabaIdaasProvider({ ...s.settings, baseUrl: `${s.settings.baseUrl}/` }).key, `alibaba-idaas:${s.settings.baseUrl}:${IDAAS_APP_ID}`);
  });

  test('capabilities: sign-up by phone or email code, recovery by phone or email code, social sources from the setting', () => {
    const { capabilities } = alibabaIdaasProvider(s.settings);
    assert.deepEqual(capabilities.password, ['username', 'phone', 'email']);
    assert.deepEqual(capabilities.signUp, ['phone', 'email']);
    assert.deepEqual(capabilities.recovery, ['phone', 'email']);
    assert.deepEqual(capabilities.otp, ['sms', 'email']);
    assert.deepEqual(capabilities.oauth, [SOCIAL]);
  });
});

