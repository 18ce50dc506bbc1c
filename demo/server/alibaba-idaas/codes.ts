// One-time codes: sending and checking them (the kit issuer: one send per recipient per interval,
// `otpMaxAttempts` wrong tries, `otpTtlSeconds` of life, single use), and the login, registration
// and password-recovery routes that use them.
import { hashPassword, type BackendContext } from '../kit/index.js';
import { checkUsable, complete, finishFirstFactor, userOf } from './flows.js';
import { userDeleted } from './tokens.js';
import { findUserByContact, findUserByLogin, newFlowId, newUserId, policies, type Collections, type Handler, type User } from './model.js';
import { Answer, BACKEND, REASON, ciamBody, contact, fail, ok, optional, required, responseType, throttled, type Contact } from './protocol.js';

/** Makes a code for `purpose` to `to` (replacing an earlier one) and delivers it to the outbox; 429 inside the send interval. */
export function sendCode(ctx: BackendContext, purpose: string, channel: 'sms' | 'email', to: string, fId: string, userId?: string): void {
  const issued = policies(ctx).codes.issue({ target: to, purpose, id: `${purpose}|${to}`, data: { fId, userId } });
  if (!issued.sent) throw new Answer(throttled(ctx.now(), issued.retryAfterSeconds));
  const minutes = Math.max(1, Math.round(ctx.policies.otpTtlSeconds / 60));
  ctx.outbox.deliver({ backend: BACKEND, channel, to, purpose, code: issued.code, text: `[Alibaba IDaaS demo] Your ${purpose.replace(/_/g, ' ')} code is ${issued.code}. It expires in ${minutes} min.` });
}

export type CodeCheck = 'ok' | 'expired' | 'wrong' | 'burnt';

/** Checks a code of this flow: a match spends it; the wrong try that uses the last attempt burns it (then it is gone). */
export function checkCode(ctx: BackendContext, purpose: string, to: string, code: string, fId: string | undefined): { result: CodeCheck; userId?: string } {
  const id = `${purpose}|${to}`;
  const { codes } = policies(ctx);
  const record = codes.get(id);
  if (!record || (fId && record.data.fId !== fId)) return { result: 'expired' };
  const check = codes.verify(id, code.trim());
  if (check.status === 'ok') return { result: 'ok', userId: check.record.data.userId };
  if (check.status === 'wrong') return { result: check.remaining === 0 ? 'burnt' : 'wrong' };
  return { result: 'expired' };
}

export function codeFailure(ctx: BackendContext, result: CodeCheck): Response {
  const reason = result === 'expired' ? REASON.codeExpired : result === 'burnt' ? REASON.codeAttemptsExceeded : REASON.codeError;
  return fail(ctx.now(), reason);
}

/** POST …/obtain_code: a code to the contact, within the given flow or a new one. `holder` checks the contact and names its user. */
function obtainCode(purpose: 'login' | 'register' | 'forget', holder: (ctx: BackendContext, db: Collections, to: Contact) => string | undefined): Handler {
  return async (request, ctx, db) => {
    const body = await ciamBody(request, ctx.now());
    const to = contact(body, ctx.now());
    const fId = optional(body, 'fId', ctx.now()) ?? newFlowId(ctx.now());
    const userId = holder(ctx, db, to);
    sendCode(ctx, purpose, to.type === 'SMS' ? 'sms' : 'email', to.key, fId, userId);
    // [?] not documented: the answer; the `fId` that verify_code takes, and the code's lifetime.
    return ok(ctx.now(), { fId, expiresIn: ctx.policies.otpTtlSeconds });
  };
}

export const loginObtainCode = obtainCode('login', (ctx, db, to) => {
  const user = findUserByContact(db, to);
  if (!user) throw new Answer(fail(ctx.now(), REASON.userNotExist));
  checkUsable(ctx, user);
  return user.id;
});

export const registerObtainCode = obtainCode('register', (ctx, db, to) => {
  if (findUserByContact(db, to)) throw new Answer(fail(ctx.now(), REASON.userExist));
  return undefined;
});

/**
 * [?] not documented: the password-recovery paths (the docs name the operation [C], the seed the
 * `newPassword` field [S]); they follow the registration pair. An unknown contact answers
 * Operation.Failure.User.Not.Exist, as the login send does; the adapter hides it from the person.
 */
export const forgetObtainCode = obtainCode('forget', (ctx, db, to) => {
  const user = findUserByContact(db, to);
  if (!user) throw new Answer(fail(ctx.now(), REASON.userNotExist));
  if (user.status === 'disabled') throw new Answer(userDeleted(ctx));
  return user.id;
});

/** [?] not documented: the code and `newPassword` [S] in one call; the answer has no data. */
export const forgetSubmit: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const to = contact(body, ctx.now());
  const code = required(body, 'code', ctx.now());
  const fId = optional(body, 'fId', ctx.now());
  const newPassword = required(body, 'newPassword', ctx.now());
  // [?] not documented: the password policy; 8 to 64 characters, else Params.Illegal (as at registration).
  if (newPassword.length < 8 || newPassword.length > 64) return fail(ctx.now(), REASON.paramsIllegal);
  const { result, userId } = checkCode(ctx, 'forget', to.key, code, fId);
  if (result !== 'ok') return codeFailure(ctx, result);
  const user = userOf(db, ctx, userId);
  db.users.put(user.id, { ...user, passwordHash: await hashPassword(newPassword) });
  // A new password ends a lock-out after wrong passwords (not an administrator's lock).
  policies(ctx).lockout.reset(user.id);
  return ok(ctx.now(), null);
};

export const loginVerifyCode: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const to = contact(body, ctx.now());
  const code = required(body, 'code', ctx.now());
  const fId = optional(body, 'fId', ctx.now());
  const type = responseType(body, ctx.now());
  const { result, userId } = checkCode(ctx, 'login', to.key, code, fId);
  if (result !== 'ok') return codeFailure(ctx, result);
  const user = userOf(db, ctx, userId);
  checkUsable(ctx, user);
  return finishFirstFactor(db, ctx, user, to.type, type);
};

export const registerSubmit: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const to = contact(body, ctx.now());
  const code = required(body, 'code', ctx.now());
  const fId = optional(body, 'fId', ctx.now());
  const password = optional(body, 'password', ctx.now());
  // [?] not documented: an optional `username`; without it the phone number or email is the username.
  const username = optional(body, 'username', ctx.now())?.trim();
  const type = responseType(body, ctx.now());
  // [?] not documented: the password policy; 8 to 64 characters, else Params.Illegal.
  if (password !== undefined && (password.length < 8 || password.length > 64)) return fail(ctx.now(), REASON.paramsIllegal);
  if (username !== undefined && !/^[A-Za-z0-9_.@-]{2,64}$/.test(username)) return fail(ctx.now(), REASON.paramsIllegal);
  if (findUserByContact(db, to) || (username && findUserByLogin(db, username))) return fail(ctx.now(), REASON.userExist);
  const { result } = checkCode(ctx, 'register', to.key, code, fId);
  if (result !== 'ok') return codeFailure(ctx, result);
  const user: User = {
    id: newUserId(),
    username: username ?? to.phoneNumber ?? to.email ?? to.key,
    ...(to.type === 'SMS' ? { phoneRegion: to.phoneRegion, phoneNumber: to.phoneNumber } : { email: to.email }),
    ...(password ? { passwordHash: await hashPassword(password) } : {}),
    status: 'active',
    createdAt: ctx.now(),
  };
  db.users.put(user.id, user);
  // [?] not documented: registration answers the new user's tokens (signed in at once).
  return complete(db, ctx, user, type);
};
