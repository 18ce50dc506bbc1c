// Traditional sign-in (with the lock-out per email) and registration, and the social calls this
// emulation answers without a Social Login token.
import { randomUUID } from 'node:crypto';
import { hashPassword, verifyNoPassword, verifyPassword, type BackendContext } from '../kit/index.js';
import { EMAIL, FORMS, JANRAIN_CONFIG, captureTime, collections, nextId, normalizeEmail, policies, type JanrainUser } from './model.js';
import { MESSAGES, checkBase, fail, invalidArgument, missing, type Form } from './protocol.js';
import { nativeSuccess } from './tokens.js';

/**
 * [?] not documented: a lock-out (§5.5 "account lockout … no codes found"). The answer is a guess
 * the adapter shares: code 214 `account_locked`, with Retry-After in seconds (as 510 carries it).
 * 510 `api_limit_error` is documented for a limit on concurrent API calls, not for a person.
 */
function locked(retryAfterSeconds: number): Response {
  return fail(214, 'account_locked', 'too many failed sign-in attempts; try again later', {}, { 'retry-after': String(Math.max(1, retryAfterSeconds)) });
}

export async function signIn(ctx: BackendContext, form: Form): Promise<Response> {
  const base = checkBase(form, FORMS.signIn, true);
  if (base instanceof Response) return base;
  const t = MESSAGES[base.locale];
  const fields: Record<string, string[]> = {};
  if (!form.signInEmailAddress?.trim()) fields.signInEmailAddress = [t.required];
  if (!form.currentPassword) fields.currentPassword = [t.required];
  if (Object.keys(fields).length) return fail(390, 'invalid_form_fields', 'some fields are invalid', { invalid_fields: fields });

  const email = normalizeEmail(form.signInEmailAddress);
  if (email.length > 254 || form.currentPassword.length > 1024) {
    return fail(210, 'invalid_credentials', 'some fields are invalid', { invalid_fields: { [FORMS.signIn]: [t.credentials] } });
  }
  const { lockout } = policies(ctx);
  const lock = lockout.state(email);
  if (lock.locked) return locked(lock.retryAfterSeconds);
  const user = collections(ctx).users.find((u) => u.email === email);
  if (user?.locked) return locked(lockout.lockSeconds);
  if (user && user.passwordHash === null) {
    return fail(211, 'no_password', 'the account has no password (social sign-in only)', { invalid_fields: { [FORMS.signIn]: [t.noPassword] } });
  }
  // Unknown email and wrong password answer alike (no account enumeration), and both count.
  const good = user ? await verifyPassword(form.currentPassword, user.passwordHash!) : await verifyNoPassword(form.currentPassword);
  if (!good || !user) {
    const after = lockout.fail(email);
    if (after.locked) return locked(after.retryAfterSeconds);
    const { remaining } = after;
    // [?] not documented: the attempts left, in error_description only (no field is documented).
    return fail(210, 'invalid_credentials', `some fields are invalid (${remaining} attempt${remaining === 1 ? '' : 's'} left)`, {
      invalid_fields: { [FORMS.signIn]: [t.credentials] },
    });
  }
  lockout.reset(email);
  const nowText = captureTime(ctx.now());
  const updated = { ...user, lastLogin: nowText };
  collections(ctx).users.put(user.uuid, updated);
  // [?] not documented: `is_new` (seen on Janrain social answers) tells sign-in from sign-up.
  return nativeSuccess(ctx, updated, base, { is_new: false });
}

export async function register(ctx: BackendContext, form: Form): Promise<Response> {
  const base = checkBase(form, FORMS.registration, true);
  if (base instanceof Response) return base;
  const t = MESSAGES[base.locale];
  // [?] not documented: `invalid_fields` as { fieldName: [message, …] } (§5.6 q2).
  const fields: Record<string, string[]> = {};
  const add = (name: string, message: string) => (fields[name] ??= []).push(message);
  const email = normalizeEmail(form.emailAddress ?? '');
  if (!email) add('emailAddress', t.required);
  else if (email.length > 254) add('emailAddress', t.tooLong);
  else if (!EMAIL.test(email)) add('emailAddress', t.email);
  const password = form.newPassword ?? '';
  checkNewPassword(form, t, add);
  for (const name of ['firstName', 'lastName', 'displayName']) if ((form[name] ?? '').length > 100) add(name, t.tooLong);
  if (Object.keys(fields).length) return fail(390, 'invalid_form_fields', 'some fields are invalid', { invalid_fields: fields });

  const { users } = collections(ctx);
  if (users.find((u) => u.email === email)) {
    // [?] not documented: 380 also names the field in invalid_fields, like a 390.
    return fail(380, 'email_address_in_use', 'the email address is already in use', { invalid_fields: { emailAddress: [t.emailInUse] } });
  }
  const nowText = captureTime(ctx.now());
  const user: JanrainUser = {
    id: nextId(users),
    uuid: randomUUID(),
    email,
    passwordHash: await hashPassword(password),
    givenName: form.firstName?.trim() || null,
    familyName: form.lastName?.trim() || null,
    displayName: form.displayName?.trim() || [form.firstName?.trim(), form.lastName?.trim()].filter(Boolean).join(' ') || null,
    emailVerified: null,
    created: nowText,
    lastUpdated: nowText,
    lastLogin: nowText,
  };
  // Two registrations racing on the scrypt await: the second one loses.
  if (users.find((u) => u.email === email)) return fail(380, 'email_address_in_use', 'the email address is already in use', { invalid_fields: { emailAddress: [t.emailInUse] } });
  users.put(user.uuid, user);
  return nativeSuccess(ctx, user, base, { is_new: true });
}


/** `newPassword` and `newPasswordConfirm` of a registration or a new password: the flow's rules. */
export function checkNewPassword(form: Form, t: Record<string, string>, add: (name: string, message: string) => void): void {
  const password = form.newPassword ?? '';
  if (!password) add('newPassword', t.required);
  else if (password.length < JANRAIN_CONFIG.minPasswordLength || !password.trim()) add('newPassword', t.passwordLength);
  else if (password.length > 1024) add('newPassword', t.tooLong);
  if (!form.newPasswordConfirm) add('newPasswordConfirm', t.required);
  else if (password && form.newPasswordConfirm !== password) add('newPasswordConfirm', t.passwordMatch);
}

/** Social sign-in needs a Social Login token, which this emulation does not issue. */
export function social(form: Form, path: string): Response {
  const base = checkBase(form, null, true);
  if (base instanceof Response) return base;
  if (!form.token) return missing('token');
  // [?] not documented: the exact answers for a bad Social Login token / a missing prior auth_native.
  if (path === '/oauth/register_native') return fail(417, 'creation_token_expired', 'no pending social sign-in for this token; call auth_native first');
  return invalidArgument('token', 'is not a valid Social Login token (social sign-in is not emulated)');
}
