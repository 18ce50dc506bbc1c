// The password-change steps after PASSWORD_WARN / PASSWORD_EXPIRED (PROVIDERS.md §4.3), both with
// the X-state-token of the login answer:
//   GET  /api/v2/sdk/pwd/skip-update    (PASSWORD_WARN only)
//   POST /api/v2/sdk/pwd/update         { old_password, new_password }
import { hashPassword, json, readJson, verifyPassword, type BackendContext } from '../kit/index.js';
import { POLICY, POLICY_TIP, collections, policies, policyRegex, type UserRecord } from './model.js';
import { fail, header, text, type Lang } from './protocol.js';
import { lockedResponse, registerFailure } from './sign-in.js';
import { issueSession, lookupState } from './tokens.js';

export async function skipUpdate(request: Request, ctx: BackendContext, lang: Lang, clientId: string): Promise<Response> {
  const token = header(request, 'x-state-token');
  const state = lookupState(ctx, token, clientId);
  // [?] not documented: skipping an EXPIRED password. The skip page is for "about to expire"
  // only, so that token is invalid here: PARAM.0014, and the token stays usable for /pwd/update.
  if (!state || state.kind !== 'PASSWORD_WARN') return fail('IDAAS.SDK.PARAM.0014', lang);
  const { users, states } = collections(ctx);
  states.delete(token); // single use
  const user = users.get(state.userId);
  if (!user) return fail('IDAAS.SDK.PARAM.0014', lang);
  if (user.state === 'disabled') return fail('IDAAS.SDK.USER.0039', lang);
  if (user.state === 'access_denied') return json(200, { status: 'ACCESS_DENIED' });
  return issueSession(ctx, user, clientId);
}

export async function updatePassword(request: Request, ctx: BackendContext, lang: Lang, clientId: string): Promise<Response> {
  const token = header(request, 'x-state-token');
  const state = lookupState(ctx, token, clientId);
  if (!state) return fail('IDAAS.SDK.PARAM.0014', lang);
  const { users, states } = collections(ctx);
  const { lockout } = policies(ctx);
  // Taken out now (single use, and no second request can race this one through the awaits
  // below); put back when the request fails on input the person can correct.
  states.delete(token);
  const restore = (response: Response) => {
    if (state.expiresAt > ctx.now()) states.put(token, state);
    return response;
  };

  const user = users.get(state.userId);
  if (!user) return fail('IDAAS.SDK.PARAM.0014', lang);
  // [?] not documented: a missing or malformed JSON body; treated as empty (→ USER.0006).
  const body = (await readJson(request)) ?? {};
  const oldPassword = text(body.old_password);
  const newPassword = text(body.new_password);
  // [?] not documented: the codes for an empty old/new password; USER.0006 "Password cannot be empty".
  if (!oldPassword || !newPassword) return restore(fail('IDAAS.SDK.USER.0006', lang));

  const lock = lockout.state(user.mobile);
  if (lock.locked) return restore(lockedResponse(lock.retryAfterSeconds, lang));
  // [?] not documented: a wrong old_password. Answered like a wrong login password (LOGIN.0002
  // with the countdown, LOGIN.0001 at the limit) and counted toward the same lock-out.
  if (!(await verifyPassword(oldPassword, user.passwordHash))) {
    const response = registerFailure(ctx, user.mobile, lang);
    return restore(response);
  }
  lockout.reset(user.mobile);

  if (newPassword === oldPassword) return restore(fail('IDAAS.SDK.PWD.0001', lang));
  // The documented policy (minLength, maxLength, regEx) is enforced; the tip fills {0}.
  const length = [...newPassword].length;
  if (length < POLICY.minLength || length > POLICY.maxLength || !policyRegex.test(newPassword)) {
    return restore(fail('IDAAS.SDK.PWD.0004', lang, POLICY_TIP[lang]));
  }

  const current = users.get(user.id) ?? user;
  const updated: UserRecord = { ...current, passwordHash: await hashPassword(newPassword), passwordChangedAt: ctx.now() };
  delete updated.seededAgeDays;
  users.put(user.id, updated);
  // Any other state token of this user (e.g. from a second login) is now stale.
  for (const record of states.values()) if (record.userId === user.id) states.delete(record.token);
  if (updated.state === 'disabled') return fail('IDAAS.SDK.USER.0039', lang);
  if (updated.state === 'access_denied') return json(200, { status: 'ACCESS_DENIED' });
  return issueSession(ctx, updated, clientId);
}
