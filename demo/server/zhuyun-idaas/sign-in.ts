// POST /api/v2/sdk/login/mobile-pwd { mobile, password } (PROVIDERS.md §4.3), with the lock-out per
// mobile: LOGIN.0002 counts down the tries left, LOGIN.0001 gives the unlock time.
import { json, readJson, verifyPassword, type BackendContext } from '../kit/index.js';
import { collections, passwordStatus, policies } from './model.js';
import { fail, text, type Lang } from './protocol.js';
import { issueSession, issueState } from './tokens.js';

/** Registers one failed password attempt for `mobile`: LOGIN.0002 with the count left, or LOGIN.0001 at the limit. */
export function registerFailure(ctx: BackendContext, mobile: string, lang: Lang): Response {
  const after = policies(ctx).lockout.fail(mobile);
  // [?] not documented: whether the last failed try answers 0002 "Remaining times: 0" or 0001.
  // Here the attempt that reaches the limit locks and answers LOGIN.0001 with the unlock time.
  return after.locked ? lockedResponse(after.retryAfterSeconds, lang) : fail('IDAAS.SDK.LOGIN.0002', lang, after.remaining);
}

/** LOGIN.0001 "unlocked in {minutes} minutes and {seconds} seconds". */
export function lockedResponse(seconds: number, lang: Lang): Response {
  return fail('IDAAS.SDK.LOGIN.0001', lang, Math.floor(seconds / 60), seconds % 60);
}

export async function login(request: Request, ctx: BackendContext, lang: Lang, clientId: string): Promise<Response> {
  // [?] not documented: a missing or malformed JSON body; treated as empty (→ USER.0004).
  const body = (await readJson(request)) ?? {};
  const mobile = text(body.mobile).trim();
  const password = text(body.password);
  if (!mobile) return fail('IDAAS.SDK.USER.0004', lang);
  if (!password) return fail('IDAAS.SDK.USER.0006', lang);

  const user = collections(ctx).users.find((u) => u.mobile === mobile);
  // Local stand-in for a vendor outage: this seeded account always answers COM.0002.
  if (user?.state === 'busy') return fail('IDAAS.SDK.COM.0002', lang);

  const { lockout } = policies(ctx);
  const lock = lockout.state(mobile);
  if (lock.locked) return lockedResponse(lock.retryAfterSeconds, lang);

  const ok = user ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !ok) return registerFailure(ctx, mobile, lang);
  lockout.reset(mobile);

  // [?] not documented: whether disabled / denied accounts are told before the password check;
  // here only after a correct password (so they reveal nothing to a guesser).
  if (user.state === 'disabled') return fail('IDAAS.SDK.USER.0039', lang);
  // [?] not documented: the ACCESS_DENIED body (§4.6 q5); HTTP 200 with only the status.
  if (user.state === 'access_denied') return json(200, { status: 'ACCESS_DENIED' });

  const status = passwordStatus(user, ctx.now());
  if (status === 'SUCCESS') return issueSession(ctx, user, clientId);
  return issueState(ctx, user, status, clientId, lang);
}
