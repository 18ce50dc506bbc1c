// Signing in and up: POST /auth/v1/signin (password, with the lock-out and the captcha after a few
// failures, or a verification_token), /signup and /signin/anonymously. Shapes follow PROVIDERS.md §6.2.
import { hashPassword, verifyNoPassword, verifyPassword } from '../kit/index.js';
import { requireCaptcha } from './captcha.js';
import { contactOf, sameContact, spendVerificationToken, takeVerificationToken } from './codes.js';
import { CAPTCHA_AFTER_FAILURES, accountStateCheck, cols, findUserByContact, findUserByLogin, newUser, policies, type UserRecord, type ApiCall } from './model.js';
import { ok, optionalString, parseEmail, parsePhone, raise, requiredString } from './protocol.js';
import { issueSession } from './tokens.js';

async function passwordSignIn(call: ApiCall, login: string, password: string): Promise<Response> {
  const { ctx, request, clientId } = call;
  const user = findUserByLogin(ctx, login);
  // The SDK lists user_not_found among the names the server answers [C]; [?] for a password sign-in.
  if (!user || user.anonymous) {
    await verifyNoPassword(password);
    return raise('user_not_found');
  }
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
  if (user.phoneRequired) return raise('mfa_phone_required');
  lockout.reset(user.sub);
  return ok(await issueSession(ctx, user, clientId));
}

/** The contact a `/signin` username names: an email, or a phone in "+86 …" form. */
function loginContact(username: string): { channel: 'sms' | 'email'; to: string } {
  return username.startsWith('+') ? { channel: 'sms', to: parsePhone(username) } : { channel: 'email', to: parseEmail(username) };
}

// POST /auth/v1/signin {username, password} | {username, verification_token}
// [C] both forms carry `username`: a username, an email, or a phone as "+86 138…".
export async function signIn(call: ApiCall): Promise<Response> {
  const { ctx, body, clientId } = call;
  const username = optionalString(body, 'username');
  const verificationToken = optionalString(body, 'verification_token');
  if (verificationToken) {
    if (!username) return raise('invalid_argument', 'username is required');
    const record = takeVerificationToken(ctx, verificationToken);
    sameContact(record, loginContact(username));
    const user = findUserByContact(ctx, record.channel, record.to);
    if (!user) return raise('user_not_found');
    accountStateCheck(user);
    spendVerificationToken(ctx, verificationToken);
    return ok(await issueSession(ctx, user, clientId));
  }
  const password = optionalString(body, 'password');
  if (!username || !password) return raise('invalid_argument', 'username and password, or username and verification_token, are required');
  return passwordSignIn(call, username, password);
}

// POST /auth/v1/signup {phone_number | email, verification_token, verification_code?, password?, name?, username?}
// [C] the SDK sends the code along with the token; [?] it is not checked again.
export async function signUp({ ctx, body, clientId }: ApiCall): Promise<Response> {
  const token = requiredString(body, 'verification_token');
  const contact = contactOf(body);
  optionalString(body, 'verification_code');
  const record = takeVerificationToken(ctx, token);
  sameContact(record, contact);
  const { channel, to } = contact;
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
