// Verification codes: POST /auth/v1/verification sends one, /verification/verify turns the code into
// a single-use verification_token that /signin, /signup or /reset then spends. Shapes follow
// PROVIDERS.md §6.2; the interval, attempts and lifetime are the kit issuer's (model.ts gives the numbers).
import { randomToken, type BackendContext } from '../kit/index.js';
import { captchaContact, requireCaptcha } from './captcha.js';
import { cols, findUserByContact, policies, type ApiCall } from './model.js';
import { ok, optionalString, parseEmail, parsePhone, raise, requiredString } from './protocol.js';

export function contactOf(body: Record<string, unknown>): { channel: 'sms' | 'email'; to: string } {
  if (body.phone_number !== undefined && body.phone_number !== null) return { channel: 'sms', to: parsePhone(body.phone_number) };
  if (body.email !== undefined && body.email !== null) return { channel: 'email', to: parseEmail(body.email) };
  return raise('invalid_argument', 'phone_number or email is required');
}

// POST /auth/v1/verification {phone_number:"+86 138…" | email, usage?, target?} → {verification_id, expires_in, is_user}
// [C] the SDK sends no target for a sign-in or sign-up code, target "USER" for shouldCreateUser:
// false and recovery, usage "email" with an email (recovery: "recovery", a new email:
// "reauthentication"). With credentials (a person's token), the code is for that person's new contact.
export async function sendVerification({ request, ctx, body, caller }: ApiCall): Promise<Response> {
  const { channel, to } = contactOf(body);
  // [?] not documented: a missing target means ANY (the SDK sends none for a sign-in code).
  const target = optionalString(body, 'target') ?? 'ANY';
  if (!['ANY', 'USER', 'NOT_USER'].includes(target)) return raise('invalid_argument', 'target must be ANY, USER or NOT_USER');
  // [?] usage values are accepted as given; the SDK's are email, recovery and reauthentication.
  const usage = optionalString(body, 'usage') ?? '';
  const user = findUserByContact(ctx, channel, to);
  // §6.1 [C]: failed_precondition with "not found" is an unknown user; [?] for target USER.
  if (target === 'USER' && !user) return raise('failed_precondition', 'user not found');
  if (target === 'NOT_USER' && user) return raise('failed_precondition', 'user already exists');
  // [?] A code to a contact another person holds cannot become this person's.
  if (caller && user && user.sub !== caller.user.sub) return raise('failed_precondition', 'this contact is bound to another user');
  if (user?.captchaAlways || (channel === 'email' && captchaContact(to))) requireCaptcha(ctx, request);

  const isUser = Boolean(user);
  // What the outbox says the code is for (a phone's recovery code carries no usage: 'login').
  const purpose = caller ? 'change_contact' : usage === 'recovery' ? 'reset_password' : isUser ? 'login' : 'register';
  const issued = policies(ctx).codes.issue({
    target: `${channel}:${to}`,
    purpose,
    id: randomToken('vid_', 16),
    data: { channel, to, isUser, usage, ...(caller ? { sub: caller.user.sub } : {}) },
  });
  if (!issued.sent) {
    const retryAfter = issued.retryAfterSeconds;
    return raise('resource_exhausted', `too many requests, retry in ${retryAfter}s`, { retry_after: retryAfter });
  }
  const { code } = issued;
  ctx.outbox.deliver({ backend: 'cloudbase', channel, to, purpose, code, text: `[CloudBase] Your verification code is ${code}. It expires in ${Math.round(ctx.policies.otpTtlSeconds / 60)} minutes.` });
  return ok({ verification_id: issued.id, expires_in: ctx.policies.otpTtlSeconds, is_user: isUser });
}

// POST /auth/v1/verification/verify {verification_id, verification_code} → {verification_token, expires_in}
// §6.1 [C]: a wrong or expired code is invalid_argument (3) with the verification in its description.
// [?] The descriptions; a code burnt by wrong answers says "attempts".
export async function verifyVerification({ ctx, body }: ApiCall): Promise<Response> {
  const id = requiredString(body, 'verification_id');
  const code = requiredString(body, 'verification_code');
  const check = policies(ctx).codes.verify(id, code.trim());
  switch (check.status) {
    case 'unknown':
    case 'used':
    case 'expired':
      return raise('invalid_argument', 'verification expired, request a new verification code');
    case 'exhausted':
      return raise('invalid_argument', 'verification attempts exceeded, request a new verification code');
    case 'wrong':
      return check.remaining === 0 ? raise('invalid_argument', 'verification attempts exceeded, request a new verification code') : raise('invalid_argument', 'verification code does not match');
  }
  const { channel, to, usage, sub } = check.record.data;
  const ttl = ctx.policies.otpTtlSeconds * 1000;
  // The SDK's contact change verifies without credentials, then edits the user with them: the
  // verified contact waits for that person's `/user/basic/edit` [?].
  if (sub) cols(ctx).contactChanges.put(`${sub}:${channel}`, { id: `${sub}:${channel}`, to, expiresAt: ctx.now() + ttl });
  const token = randomToken('vt_', 24);
  // [?] not documented: the verification_token's lifetime; the same TTL as the code.
  cols(ctx).verificationTokens.put(token, { token, channel, to, usage, expiresAt: ctx.now() + ttl, used: false });
  return ok({ verification_token: token, expires_in: ctx.policies.otpTtlSeconds });
}

/** A live, unspent verification_token (else invalid_argument); spend it once it has done its job. */
export function takeVerificationToken(ctx: BackendContext, token: string) {
  const c = cols(ctx);
  const record = c.verificationTokens.get(token);
  if (!record || record.used || record.expiresAt <= ctx.now()) return raise('invalid_argument', 'verification_token expired, request a new verification code');
  return record;
}

export function spendVerificationToken(ctx: BackendContext, token: string) {
  const c = cols(ctx);
  const record = c.verificationTokens.get(token);
  if (record) c.verificationTokens.put(token, { ...record, used: true });
}

/** The verified contact of a verification_token must be the one a call names. */
export function sameContact(record: { channel: 'sms' | 'email'; to: string }, contact: { channel: 'sms' | 'email'; to: string }): void {
  // [?] not documented: the error when the contact differs from the verified one.
  if (record.channel !== contact.channel || record.to !== contact.to) raise('invalid_argument', `${contact.channel === 'sms' ? 'phone_number' : 'email'} does not match the verification`);
}
