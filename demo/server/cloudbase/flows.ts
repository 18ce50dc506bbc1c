// The core `/auth/v1` routes: verification (send / verify), signin, signup, anonymous sign-in,
// token refresh, revoke and user/me. Shapes follow PROVIDERS.md §6.3/§6.4.
import { hashPassword, json, randomCode, randomToken, verifyPassword, type BackendContext } from '../kit/index.js';
import { raise } from './errors.js';
import {
  CAPTCHA_AFTER_FAILURES,
  accountStateCheck,
  cols,
  findUserByContact,
  findUserByLogin,
  issueSession,
  newUser,
  optionalString,
  parseEmail,
  parsePhone,
  refreshSession,
  requireCaptcha,
  requiredString,
  revokeSession,
  verifyAccess,
  type UserRecord,
} from './model.js';

export interface ApiCall {
  request: Request;
  ctx: BackendContext;
  body: Record<string, unknown>;
  clientId: string;
  deviceId: string;
}

const ok = (body: unknown, headers?: Record<string, string>) => json(200, body, headers);

function contactOf(body: Record<string, unknown>): { channel: 'sms' | 'email'; to: string } {
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
  if (user?.captchaAlways) requireCaptcha(ctx, request);

  const c = cols(ctx);
  const now = ctx.now();
  const last = c.sends.get(`${channel}:${to}`);
  const waitMs = last ? last.at + ctx.policies.sendIntervalSeconds * 1000 - now : 0;
  if (waitMs > 0) {
    const retryAfter = Math.ceil(waitMs / 1000);
    return raise('rate_limit_exceeded', `too many requests, retry in ${retryAfter}s`, { 'retry-after': String(retryAfter) });
  }
  c.sends.put(`${channel}:${to}`, { to, at: now });

  const code = randomCode(6);
  const id = randomToken('vid_', 16);
  const isUser = Boolean(user);
  c.verifications.put(id, { id, channel, to, code, expiresAt: now + ctx.policies.otpTtlSeconds * 1000, attempts: 0, isUser, usage: usage ?? (isUser ? 'SIGN_IN' : 'REGISTER'), done: false });
  const purpose = isUser ? 'login' : 'register';
  ctx.outbox.deliver({ backend: 'cloudbase', channel, to, purpose, code, text: `[CloudBase] Your verification code is ${code}. It expires in ${Math.round(ctx.policies.otpTtlSeconds / 60)} minutes.` });
  return ok({ verification_id: id, expires_in: ctx.policies.otpTtlSeconds, is_user: isUser });
}

// POST /auth/v1/verification/verify {verification_id, verification_code} → {verification_token, expires_in}
export async function verifyVerification({ ctx, body }: ApiCall): Promise<Response> {
  const id = requiredString(body, 'verification_id');
  const code = requiredString(body, 'verification_code');
  const c = cols(ctx);
  const record = c.verifications.get(id);
  if (!record || record.done || record.expiresAt <= ctx.now()) return raise('code_expired');
  if (record.attempts >= ctx.policies.otpMaxAttempts) return raise('max_attempts_exceeded');
  if (code.trim() !== record.code) {
    record.attempts += 1;
    c.verifications.put(id, record);
    return record.attempts >= ctx.policies.otpMaxAttempts ? raise('max_attempts_exceeded') : raise('invalid_verification_code');
  }
  c.verifications.put(id, { ...record, done: true });
  const token = randomToken('vt_', 24);
  // [?] not documented: the verification_token's lifetime; the same TTL as the code.
  c.verificationTokens.put(token, { token, channel: record.channel, to: record.to, expiresAt: ctx.now() + ctx.policies.otpTtlSeconds * 1000, used: false });
  return ok({ verification_token: token, expires_in: ctx.policies.otpTtlSeconds });
}

function takeVerificationToken(ctx: BackendContext, token: string) {
  const c = cols(ctx);
  const record = c.verificationTokens.get(token);
  if (!record || record.used || record.expiresAt <= ctx.now()) return raise('code_expired', 'verification_token is invalid or expired');
  return record;
}

function spendVerificationToken(ctx: BackendContext, token: string) {
  const c = cols(ctx);
  const record = c.verificationTokens.get(token);
  if (record) c.verificationTokens.put(token, { ...record, used: true });
}

async function passwordSignIn(call: ApiCall, login: string, password: string): Promise<Response> {
  const { ctx, request, clientId } = call;
  const c = cols(ctx);
  const user = findUserByLogin(ctx, login);
  if (!user || user.anonymous) return raise('user_not_found');
  const now = ctx.now();
  if (user.lockedUntil && user.lockedUntil > now) return raise('invalid_status');
  if (user.lockedUntil && user.lockedUntil <= now) {
    user.lockedUntil = undefined;
    user.failures = 0;
  }
  const max = ctx.policies.maxPasswordFailures;
  if (user.captchaAlways || (CAPTCHA_AFTER_FAILURES < max && user.failures >= CAPTCHA_AFTER_FAILURES)) requireCaptcha(ctx, request);
  if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
    user.failures += 1;
    // CloudBase does not report remaining attempts, so none are sent.
    if (user.failures >= max) {
      user.lockedUntil = now + ctx.policies.lockoutSeconds * 1000;
      c.users.put(user.sub, user);
      return raise('invalid_status');
    }
    c.users.put(user.sub, user);
    return raise('invalid_password');
  }
  // Account state is told only to someone who knows the password.
  accountStateCheck(user);
  if (user.phoneRequired) return raise('phone_required');
  user.failures = 0;
  user.lockedUntil = undefined;
  c.users.put(user.sub, user);
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

// POST /auth/v1/token {client_id, grant_type:"refresh_token", refresh_token}
export async function token({ ctx, body, clientId }: ApiCall): Promise<Response> {
  const grantType = requiredString(body, 'grant_type');
  // [?] not documented: the error for another grant_type (only refresh_token is browser-facing).
  if (grantType !== 'refresh_token') return raise('invalid_request', 'unsupported grant_type');
  return ok(await refreshSession(ctx, requiredString(body, 'refresh_token'), clientId));
}

// POST /auth/v1/revoke {token}: an access or refresh token; its session dies (both tokens).
export async function revoke({ ctx, body }: ApiCall): Promise<Response> {
  const value = requiredString(body, 'token');
  const c = cols(ctx);
  const viaAccess = await verifyAccess(ctx, value);
  const refresh = c.refresh.get(value);
  const session = viaAccess?.session ?? (refresh ? c.sessions.get(refresh.sessionId) : undefined);
  if (session && !session.revoked) revokeSession(ctx, session);
  // [?] not documented: the success body; `{}` (and unknown tokens also succeed, as in RFC 7009).
  return ok({});
}

export function bearer(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export function profile(user: UserRecord) {
  // Field names from the SDK's UserProfile model [C]; which ones the server fills is [?].
  return {
    sub: user.sub,
    name: user.name ?? user.username ?? '',
    ...(user.username ? { username: user.username } : {}),
    ...(user.email ? { email: user.email, email_verified: true } : {}),
    ...(user.phone_number ? { phone_number: user.phone_number } : {}),
    picture: '',
    gender: 'UNKNOWN',
    providers: user.providers.map((p) => ({ id: p.id, provider_user_id: p.provider_user_id, name: p.name ?? '' })),
    created_from: user.created_from,
    status: user.status,
  };
}

// GET /auth/v1/user/me with Authorization: Bearer <access_token>
export async function userMe({ ctx, request }: ApiCall): Promise<Response> {
  const value = bearer(request);
  const found = value ? await verifyAccess(ctx, value) : null;
  if (!found) return raise('unauthenticated', value ? 'access token is invalid, expired or revoked' : 'missing Authorization: Bearer <access_token>');
  return ok(profile(found.user));
}
