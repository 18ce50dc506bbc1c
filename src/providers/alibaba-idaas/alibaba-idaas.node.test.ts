// The alibaba-idaas adapter over real HTTP: AuthClient → relay (adds the app token) → the
// reference server's emulation. Run: node --import tsx --test src/providers/alibaba-idaas/*.node.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { until } from '../../../test/support/environment.js';
import { decodeJwt } from '../../core/jwt.js';
import { alibabaIdaasProvider, type AlibabaIdaasSettings, type AlibabaPasswordCredentials } from './alibaba-idaas.js';
import { IDAAS_APP_ID, PASSWORD, stack, type Stack } from './stack.node.test.js';

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

  test('consent: refused without agreeConsent; agreed on the credentials', async () => {
    const refused = await s.client().client.signInWithPassword({ username: 'consent', password: PASSWORD });
    assert.equal(refused.error?.code, 'invalid_request');
    assert.equal(refused.error?.providerCode, 'NEED_AGREE_CONSENT');
    const perCall: AlibabaPasswordCredentials = { username: 'consent', password: PASSWORD, agreeConsent: true };
    const agreed = await s.client().client.signInWithPassword(perCall);
    assert.equal(agreed.error, null);
    assert.equal(agreed.data.session?.provider, 'alibaba-idaas');
  });

  test('image captcha: captcha_required, then getCaptcha + setCaptcha; a wrong answer asks again', async () => {
    const { client, provider } = s.client();
    const first = await client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    assert.equal(first.error?.code, 'captcha_required');
    assert.equal(first.error?.providerCode, 'Operation.Failure.Captcha.Required');
    assert.ok(first.error?.fields?.captchaText);
    const ctx = { http: client.http };
    const bad = await provider.getCaptcha(ctx);
    assert.match(bad.image!, /^data:image\/svg\+xml;base64,/);
    provider.setCaptcha(bad.captchaCode, 'WRONG');
    const wrong = await client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    assert.equal(wrong.error?.code, 'captcha_required');
    assert.equal(wrong.error?.providerCode, 'Operation.Failure.Captcha.Error');
    const good = await provider.getCaptcha(ctx);
    provider.setCaptcha(good.captchaCode, s.code(good.captchaCode)!);
    const ok = await client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    assert.equal(ok.error, null);
    // The captcha is one-shot: the next attempt goes without it again.
    const again = await client.signInWithPassword({ username: 'captcha', password: PASSWORD });
    assert.equal(again.error?.code, 'captcha_required');
    // Or on the credentials themselves.
    const third = await provider.getCaptcha(ctx);
    const withField: AlibabaPasswordCredentials = { username: 'captcha', password: PASSWORD, captcha: { code: third.captchaCode, text: s.code(third.captchaCode)! } };
    assert.equal((await client.signInWithPassword(withField)).error, null);
  });

  test('second factor: NEED_TWO_FACTOR → PendingStep, SMS code, tokens; a wrong code is invalid_code', async () => {
    const { client } = s.client();
    const started = await client.signInWithPassword({ username: 'mfa', password: PASSWORD });
    assert.equal(started.error, null);
    const step = started.data.step!;
    assert.equal(step.step, 'second_factor');
    assert.ok(step.step === 'second_factor' && step.methods.includes('sms'));
    assert.ok(step.step === 'second_factor' && step.target === '138****0021');
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
    const ctx = { http: client.http };
    const step = client.state.pending as Extract<typeof client.state.pending, { step: 'second_factor' }>;
    // Forge a step offering EMAIL to reach the backend's own refusal.
    const forged = { ...step!, context: { ...(step!.context as object), types: ['EMAIL'] } };
    await assert.rejects(client.provider.sendSecondFactor!(forged, 'email', ctx), (e: { code: string; providerCode: string }) => e.code === 'config' && e.providerCode === 'Operation.Failure.Unsupport.2fa.Type');
  });

  test('SMS login of an mfa account asks for the password as second factor (PWD)', async () => {
    s.backend.clock.advance(61_000); // past the send interval of the SMS sent by the test above
    const { client } = s.client();
    const sent = await client.signInWithOtp({ phone: '+8613800000021' });
    assert.equal(sent.error, null);
    const started = await sent.data.verifyOtp!({ token: s.code('+8613800000021')! });
    const step = started.data.step!;
    assert.ok(step.step === 'second_factor' && step.methods.length === 0);
    const done = await client.verifySecondFactor({ code: PASSWORD });
    assert.equal(done.error, null);
    assert.ok(done.data.session?.access_token);
  });

  test('configuration: a secret or a missing setting is refused', () => {
    const withSecret = alibabaIdaasProvider({ ...s.settings, clientSecret: 'x' } as AlibabaIdaasSettings);
    assert.equal(withSecret.configError?.code, 'config');
    assert.equal(alibabaIdaasProvider({ baseUrl: s.settings.baseUrl } as AlibabaIdaasSettings).configError?.code, 'config');
    assert.equal(alibabaIdaasProvider({ idaasAppId: 'a' } as AlibabaIdaasSettings).configError?.code, 'config');
    assert.equal(alibabaIdaasProvider(s.settings).key, `alibaba-idaas:${s.settings.baseUrl}:${IDAAS_APP_ID}`);
  });
});

