// Emailed codes: forgot_password_native and verify_email_native send a link with a code (the kit
// issuer: one email per address per interval, a lifetime, single use); /access/useVerificationCode
// takes a verify-email code back; a reset code is exchanged at /oauth/token, and the access token
// it gives sets the new password at /oauth/update_profile_native.
import { randomToken, type BackendContext } from '../kit/index.js';
import { EMAIL, FORMS, captureTime, collections, digest, normalizeEmail, policies } from './model.js';
import { MESSAGES, checkBase, fail, limited, missing, ok, type Form } from './protocol.js';

/** forgot_password_native / verify_email_native: email a code and link to the outbox. */
export function sendEmail(ctx: BackendContext, form: Form, kind: 'reset_password' | 'verify_email'): Response {
  const base = checkBase(form, kind === 'reset_password' ? FORMS.forgot : FORMS.verify, false);
  if (base instanceof Response) return base;
  const t = MESSAGES[base.locale];
  const fieldName = kind === 'reset_password' ? 'signInEmailAddress' : 'emailAddress';
  // [?] not documented: verify_email_native's field name; the relay's fixture uses emailAddress.
  const raw = form[fieldName] ?? (kind === 'verify_email' ? form.signInEmailAddress : undefined);
  if (!raw?.trim()) return fail(390, 'invalid_form_fields', 'some fields are invalid', { invalid_fields: { [fieldName]: [t.required] } });
  const email = normalizeEmail(raw);
  if (email.length > 254 || !EMAIL.test(email)) return fail(390, 'invalid_form_fields', 'some fields are invalid', { invalid_fields: { [fieldName]: [t.email] } });
  const user = collections(ctx).users.find((u) => u.email === email);
  // 212 is a documented forgot-password outcome [C].
  if (!user) return fail(212, 'no_such_account', 'no account with that email address');
  // [?] not documented: the code's format and lifetime (otpTtlSeconds); single use, bound to the client.
  const value = randomToken('', 15);
  const issued = policies(ctx).codes.issue({ target: email, purpose: kind, id: digest(value), code: value, data: { uuid: user.uuid, clientId: base.clientId } });
  if (!issued.sent) return limited('an email was sent to this address recently; try again later', issued.retryAfterSeconds);
  const code = issued.code;
  if (kind === 'reset_password') {
    // The reset link's code is an authorization code: "the code that is generated must be used
    // with a widget or /oauth/token API call … with the same API Client ID" [C]. [?] its lifetime
    // (otpTtlSeconds here) and that it is bound to this redirect_uri like a sign-in code.
    const { grants } = collections(ctx);
    grants.put(digest(code), { key: digest(code), kind: 'authorization_code', uuid: user.uuid, clientId: base.clientId, redirectUri: base.redirectUri, expiresAt: ctx.now() + ctx.policies.otpTtlSeconds * 1000 });
  }
  const link = new URL(base.redirectUri);
  link.searchParams.set('verification_code', code); // [?] not documented: the link's parameter name
  const zh = base.locale === 'zh-CN';
  const text =
    kind === 'reset_password'
      ? zh ? `重置密码：${link}` : `Reset your password: ${link}`
      : zh ? `验证您的电子邮件地址：${link}` : `Verify your email address: ${link}`;
  ctx.outbox.deliver({ backend: 'janrain', channel: 'email', to: email, purpose: kind, code, text });
  return ok({});
}

/** /access/useVerificationCode: no auth [C]; marks the email verified and answers the uuid [T]. */
export function useVerificationCode(ctx: BackendContext, form: Form): Response {
  if (!form.verification_code) return missing('verification_code');
  const { users } = collections(ctx);
  const { codes } = policies(ctx);
  const id = digest(form.verification_code);
  // A reset code is an authorization code, not a verification code: it is refused here.
  if (codes.get(id)?.purpose !== 'verify_email') return fail(416, 'verification_code_expired', 'the verification code is expired or invalid');
  const check = codes.verify(id, form.verification_code); // single use
  if (check.status !== 'ok') return fail(416, 'verification_code_expired', 'the verification code is expired or invalid');
  const user = users.get(check.record.data.uuid);
  if (!user) return fail(416, 'verification_code_expired', 'the verification code is expired or invalid');
  const nowText = captureTime(ctx.now());
  users.put(user.uuid, { ...user, emailVerified: user.emailVerified ?? nowText, lastUpdated: nowText });
  return ok({ uuid: user.uuid });
}
