// The signed-in person's account (calls with credentials, §6.1): POST /user/basic/edit, POST
// /user/provider/bind, DELETE /user/provider/{provider_id}; and password recovery, POST /reset,
// which needs no credentials but a verification_token. Shapes follow PROVIDERS.md §6.2 [C];
// what the server checks and answers beyond them is marked [?].
import { hashPassword } from '../kit/index.js';
import { contactOf, sameContact, spendVerificationToken, takeVerificationToken } from './codes.js';
import { cols, findUserByContact, findUserByLogin, policies, type UserRecord, type ApiCall } from './model.js';
import { ok, optionalString, parseEmail, parsePhone, parseTypedPhone, raise, requiredString } from './protocol.js';
import { PROVIDERS, takeProviderGrant } from './social.js';

/** Profile fields a person may set on themselves ([?] the SDK passes whatever it is given). */
const PROFILE_FIELDS = ['name', 'picture', 'gender', 'username'] as const;

function signedIn(call: ApiCall): UserRecord {
  // The router admits only a valid bearer here; this narrows the type.
  return call.caller?.user ?? raise('unauthenticated');
}

/** A new email or phone must have been verified by this person first (codes.ts keeps it). */
function takeVerifiedContact(call: ApiCall, user: UserRecord, channel: 'sms' | 'email', to: string): void {
  const c = cols(call.ctx);
  const id = `${user.sub}:${channel}`;
  const change = c.contactChanges.get(id);
  // [?] not documented: the error for a contact that was not verified first.
  if (!change || change.to !== to || change.expiresAt <= call.ctx.now()) raise('failed_precondition', `verify the new ${channel === 'sms' ? 'phone number' : 'email'} first`);
  c.contactChanges.delete(id);
  if (findUserByContact(call.ctx, channel, to)) raise('failed_precondition', 'this contact is bound to another user');
}

// POST /auth/v1/user/basic/edit {name?, picture?, gender?, username?, email?, phone?} → {}
// [C] path and credentials; the SDK sends the profile fields it was given, then, after a code,
// `{email}` or `{phone: "+86 …"}` alone. [?] The answer's body.
export async function editUser(call: ApiCall): Promise<Response> {
  const { ctx, body } = call;
  const user = { ...signedIn(call) };
  for (const field of PROFILE_FIELDS) {
    const value = optionalString(body, field);
    if (value === undefined) continue;
    if (field === 'username' && (!/^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$/.test(value) || (findUserByLogin(ctx, value) && user.username !== value))) return raise('invalid_argument', 'invalid or taken username');
    if (value.length > 256) return raise('invalid_argument', `${field} is too long`);
    user[field] = value;
  }
  if (body.email !== undefined) {
    const email = parseEmail(body.email);
    if (email !== user.email) takeVerifiedContact(call, user, 'email', email);
    user.email = email;
  }
  if (body.phone !== undefined) {
    const phone = parsePhone(body.phone);
    if (phone !== user.phone_number) takeVerifiedContact(call, user, 'sms', phone);
    user.phone_number = phone;
  }
  user.updatedAt = ctx.now();
  cols(ctx).users.put(user.sub, user);
  return ok({});
}

// POST /auth/v1/user/provider/bind {provider_token} → {}
// [C] path, body and credentials (the end of linkIdentity's OAuth round trip). [?] The refusals.
export async function bindProvider(call: ApiCall): Promise<Response> {
  const user = { ...signedIn(call) };
  const grant = takeProviderGrant(call.ctx, requiredString(call.body, 'provider_token'));
  const c = cols(call.ctx);
  const holder = c.users.find((u) => u.providers.some((p) => p.id === grant.providerId && p.provider_user_id === grant.providerUserId));
  if (holder && holder.sub !== user.sub) return raise('failed_precondition', 'this identity is bound to another user');
  if (!holder && user.providers.some((p) => p.id === grant.providerId)) return raise('failed_precondition', `a ${PROVIDERS[grant.providerId]} identity is already bound`);
  if (!holder) user.providers = [...user.providers, { id: grant.providerId, provider_user_id: grant.providerUserId, name: grant.name }];
  user.updatedAt = call.ctx.now();
  c.users.put(user.sub, user);
  return ok({});
}

// DELETE /auth/v1/user/provider/{provider_id} → {}
// [C] path, method and credentials (unlinkIdentity). [?] The refusals: an unknown source, and the
// last way to sign in (no password, no email or phone, no other source).
export async function unbindProvider(call: ApiCall): Promise<Response> {
  const user = { ...signedIn(call) };
  const providerId = call.param ?? '';
  if (!user.providers.some((p) => p.id === providerId)) return raise('not_found', `no ${providerId} identity is bound`);
  const rest = user.providers.filter((p) => p.id !== providerId);
  if (!rest.length && !user.passwordHash && !user.email && !user.phone_number) return raise('failed_precondition', 'cannot unbind the last way to sign in');
  user.providers = rest;
  user.updatedAt = call.ctx.now();
  cols(call.ctx).users.put(user.sub, user);
  return ok({});
}

// POST /auth/v1/reset {email | phone_number, new_password, verification_token} → {}
// [C] path and body (resetPasswordForEmail, after /verification with target USER and the verify).
// [?] A phone comes as typed (the SDK does not reformat it here): a bare national number is read as +86.
export async function resetPassword({ ctx, body }: ApiCall): Promise<Response> {
  const token = requiredString(body, 'verification_token');
  const password = requiredString(body, 'new_password');
  const phone = optionalString(body, 'phone_number');
  const contact = phone !== undefined ? { channel: 'sms' as const, to: parseTypedPhone(phone) } : contactOf(body);
  const record = takeVerificationToken(ctx, token);
  sameContact(record, contact);
  if (password.length < 6) return raise('invalid_argument', 'password is too short'); // [?] the real policy is configurable
  const user = findUserByContact(ctx, contact.channel, contact.to);
  if (!user) return raise('failed_precondition', 'user not found');
  spendVerificationToken(ctx, token);
  cols(ctx).users.put(user.sub, { ...user, passwordHash: await hashPassword(password), updatedAt: ctx.now() });
  // A new password ends a lock-out ([?]).
  policies(ctx).lockout.reset(user.sub);
  return ok({});
}
