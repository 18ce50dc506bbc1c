// Verification codes: POST /auth/v1/verification sends one, /verification/verify turns the code into
// a single-use verification_token that /signin or /signup then spends. Shapes follow PROVIDERS.md
// §6.2; the interval, attempts and lifetime are the kit issuer's (model.ts gives the numbers).
import { randomToken, type BackendContext } from '../kit/index.js';
import { cols, findUserByContact, policies } from './model.js';
import { captchaContact, requireCaptcha } from './captcha.js';
import { ok, optionalString, parseEmail, parsePhone, raise, requiredString, type ApiCall } from './protocol.js';

export function contactOf(body: Record<string, unknown>): { channel: 'sms' | 'email'; to: string } {
  if (body.phone_number !== undefined && body.phone_number !== null) return { channel: 'sms', to: parsePhone(body.phone_number) };
  if (body.email !== undefined && body.email !== null) return { channel: 'email', to: parseEmail(body.email) };
  return raise('invalid_argument', 'phone_number or email is required');
}

// POST /auth/v1/verification {phone_number:"+86 138…" | email, target?, usage?} → {verification_id, expires_in, is_user}
export async function sendVerification({ request, ctx, body }: ApiCall): Promise<Response> {
  const { channel, to } = contactOf(body);
  const target = optionalString(body, 'target') ?? 'ANY';
  if (!['ANY', 'USER', 'NOT_USER'].includes(target)) return raise('invalid_argument', 'target must be ANY, USER or NOT_USER');
  // [?] not documented: usage values other than the SDK's VerificationUsages are accepted as given.
  const usage = optionalString(body, 'usage');
  const user = findUserByContact(ctx, channel, to);
  if (target === 'USER' && !user) return raise('user_not_found');
  // [?] not documented: the error for target=NOT_USER with a registered contact.
  if (target === 'NOT_USER' && user) return raise('already_exists', 'a user with this contact already exists');
  if (user?.captchaAlways || (channel === 'email' && captchaContact(to))) requireCaptcha(ctx, request);

  const isUser = Boolean(user);
  const purpose = isUser ? 'login' : 'register';
  const issued = policies(ctx).codes.issue({
    target: `${channel}:${to}`,
    purpose,
    id: randomToken('vid_', 16),
    data: { channel, to, isUser, usage: usage ?? (isUser ? 'SIGN_IN' : 'REGISTER') },
  });
  if (!issued.sent) {
    const retryAfter = issued.retryAfterSeconds;
    return raise('rate_limit_exceeded', `too many requests, retry in ${retryAfter}s`, { 'retry-after': String(retryAfter) });
  }
  const { code } = issued;
  ctx.outbox.deliver({ backend: 'cloudbase', channel, to, purpose, code, text: `[CloudBase] Your verification code is ${code}. It expires in ${Math.round(ctx.policies.otpTtlSeconds / 60)} minutes.` });
  return ok({ verification_id: issued.id, expires_in: ctx.policies.otpTtlSeconds, is_user: isUser });
}

// POST /auth/v1/verification/verify {verification_id, verification_code} → {verification_token, expires_in}
export async function verifyVerification({ ctx, body }: ApiCall): Promise<Response> {
  const id = requiredString(body, 'verification_id');
  const code = requiredString(body, 'verification_code');
  const check = policies(ctx).codes.verify(id, code.trim());
  switch (check.status) {
    case 'unknown':
    case 'used':
    case 'expired':
      return raise('code_expired');
    case 'exhausted':
      return raise('max_attempts_exceeded');
    case 'wrong':
      return check.remaining === 0 ? raise('max_attempts_exceeded') : raise('invalid_verification_code');
  }
  const { channel, to } = check.record.data;
  const token = randomToken('vt_', 24);
  // [?] not documented: the verification_token's lifetime; the same TTL as the code.
  cols(ctx).verificationTokens.put(token, { token, channel, to, expiresAt: ctx.now() + ctx.policies.otpTtlSeconds * 1000, used: false });
  return ok({ verification_token: token, expires_in: ctx.policies.otpTtlSeconds });
}

/** A live, unspent verification_token (else code_expired); spend it once it has done its job. */
export function takeVerificationToken(ctx: BackendContext, token: string) {
  const c = cols(ctx);
  const record = c.verificationTokens.get(token);
  if (!record || record.used || record.expiresAt <= ctx.now()) return raise('code_expired', 'verification_token is invalid or expired');
  return record;
}

export function spendVerificationToken(ctx: BackendContext, token: string) {
  const c = cols(ctx);
  const record = c.verificationTokens.get(token);
  if (record) c.verificationTokens.put(token, { ...record, used: true });
}
