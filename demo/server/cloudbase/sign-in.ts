// Signing in and up: POST /auth/v1/signin (password, with the lock-out and the captcha after a few
// failures, or a verification_token), /signup and /signin/anonymously. Shapes follow PROVIDERS.md §6.2.
import { hashPassword, verifyPassword } from '../kit/index.js';
import { requireCaptcha } from './captcha.js';
import { contactOf, spendVerificationToken, takeVerificationToken } from './codes.js';
import { CAPTCHA_AFTER_FAILURES, accountStateCheck, cols, findUserByContact, findUserByLogin, newUser, policies, type UserRecord } from './model.js';
import { ok, optionalString, parsePhone, raise, requiredString, type ApiCall } from './protocol.js';
import { issueSession } from './tokens.js';

async function passwordSignIn(call: ApiCall, login: string, password: string): Promise<Response> {
  const { ctx, request, clientId } = call;
  const user = findUserByLogin(ctx, login);
  if (!user || user.anonymous) return raise('user_not_found');
  const { lockout } = policies(ctx);
  const state = lockout.state(user.sub);
  if (state.locked) return raise('invalid_status');
  const max = ctx.policies.maxPasswordFailures;
  if (user.captchaAlways || (CAPTCHA_AFTER_FAILURES < max && state.failures >= CAPTCHA_AFTER_FAILURES)) requireCaptcha(ctx, request);
  if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
    // CloudBase does not report remaining attempts, so none are sent.
    return raise(lockout.fail(user.sub).locked ? 'invalid_status' : 'invalid_password');
  }
  // Account state is told only to someone who knows the password.
  accountStateCheck(user);
  if (user.phoneRequired) return raise('phone_required');
  lockout.reset(user.sub);
  return ok(await issueSession(ctx, user, clientId));
}

// POST /auth/v1/signin {username, password} | {verification_token}
export async function signIn(call: ApiCall): Promise<Response> {
  const { ctx, body, clientId } = call;
  const verificationToken = optionalString(body, 'verification_token');
  if (verificationToken) {
    const record = takeVerificationToken(ctx, verificationToken);
    const user = findUserByContact(ctx, record.channel, record.to);
    if (!user) return raise('user_not_found');
    accountStateCheck(user);
    spendVerificationToken(ctx, verificationToken);
    return ok(await issueSession(ctx, user, clientId));
  }
  // username form [C]; [?] not documented: the email / phone password forms. We accept
  // {username: "<username | email | +86 phone>"} and also {email} or {phone_number} with password.
  const password = optionalString(body, 'password');
  const login = optionalString(body, 'username') ?? optionalString(body, 'email') ?? (body.phone_number !== undefined ? parsePhone(body.phone_number) : undefined);
  if (!login || !password) return raise('invalid_argument', 'username and password, or verification_token, are required');
  return passwordSignIn(call, login, password);
}

// POST /auth/v1/signup {phone_number | email, verification_token, password?, name?, username?}
export async function signUp({ ctx, body, clientId }: ApiCall): Promise<Response> {
  const token = requiredString(body, 'verification_token');
  const { channel, to } = contactOf(body);
  const record = takeVerificationToken(ctx, token);
  // [?] not documented: the error when the contact differs from the verified one.
  if (record.channel !== channel || record.to !== to) return raise('invalid_argument', `${channel === 'sms' ? 'phone_number' : 'email'} does not match the verification`);
  const password = optionalString(body, 'password');
  const name = optionalString(body, 'name');
  const username = optionalString(body, 'username');
  if (password !== undefined && password.length < 6) return raise('invalid_argument', 'password is too short'); // [?] the real password policy is configurable
  if (username !== undefined && !/^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$/.test(username)) return raise('invalid_argument', 'invalid username');
  if (findUserByContact(ctx, channel, to) || (username && findUserByLogin(ctx, username))) return raise('already_exists');
  spendVerificationToken(ctx, token);
  const user: Partial<UserRecord> & { created_from: string } = channel === 'sms' ? { phone_number: to, created_from: 'phone' } : { email: to, created_from: 'email' };
  if (password) user.passwordHash = await hashPassword(password);
  if (name) user.name = name;
  if (username) user.username = username;
  return ok(await issueSession(ctx, newUser(user, ctx), clientId));
}

// POST /auth/v1/signin/anonymously {} with x-device-id: one anonymous user per device id.
export async function signInAnonymously({ ctx, deviceId, clientId }: ApiCall): Promise<Response> {
  const user = cols(ctx).users.find((u) => u.anonymous === true && u.deviceId === deviceId) ?? newUser({ anonymous: true, deviceId, name: 'anonymous', created_from: 'anonymous' }, ctx);
  return ok(await issueSession(ctx, user, clientId));
}
