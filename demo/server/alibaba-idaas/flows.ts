// The multi-step model (PROVIDERS.md §2.1): after a first factor the answer is either the tokens or
// the next step (`fId` + `flowType` [C]); the checks every step shares.
import { randomToken, type BackendContext } from '../kit/index.js';
import { newFlowId, policies, type Collections, type Flow, type User } from './model.js';
import { AUTH_CODE_TTL_S, Answer, FLOW_TTL_S, REASON, fail, maskEmail, maskPhone, ok } from './protocol.js';
import { issueUserTokens, userDeleted } from './tokens.js';

/** Disabled, administratively locked, or locked out after failures: answers at once. */
export function checkUsable(ctx: BackendContext, user: User): void {
  if (user.status === 'disabled') throw new Answer(userDeleted(ctx));
  if (user.status === 'locked') throw new Answer(fail(ctx.now(), REASON.userLocked));
  const lock = policies(ctx).lockout.state(user.id);
  // [?] not documented: a Retry-After header on a lock-out (seconds until it ends).
  if (lock.locked) throw new Answer(fail(ctx.now(), REASON.userLocked, 400, { 'retry-after': String(lock.retryAfterSeconds) }));
}

/** One wrong password: counted; the failure that reaches `maxPasswordFailures` locks and says so. */
export function wrongPassword(ctx: BackendContext, user: User): Response {
  return fail(ctx.now(), policies(ctx).lockout.fail(user.id).locked ? REASON.userLocked : REASON.passwordError);
}

/** The second-factor types a user can use after `first` (never the same channel twice). */
export function secondFactorTypes(user: User, first: Flow['firstFactor']): string[] {
  const types: string[] = [];
  if (user.phoneNumber) types.push('SMS');
  if (user.email) types.push('EMAIL');
  if (user.passwordHash) types.push('PWD');
  return types.filter((t) => t !== first);
}

/** Tokens in `data` [C envelope; S fields], or an authorization code for `response_type=code`. */
export async function complete(db: Collections, ctx: BackendContext, user: User, type: 'token' | 'code', appId?: string): Promise<Response> {
  if (type === 'code') {
    // [?] not documented: the answer to `response_type=code`; `data.code`, exchanged at /oauth/token.
    const code = randomToken('ali_code_');
    db.authCodes.put(code, { code, userId: user.id, expiresAt: ctx.now() + AUTH_CODE_TTL_S * 1000 });
    return ok(ctx.now(), { code });
  }
  return ok(ctx.now(), await issueUserTokens(db, ctx, user, appId));
}

/** After a first factor: the next step (`fId` + `flowType` [C]) when a second factor is required, else done. */
export async function finishFirstFactor(db: Collections, ctx: BackendContext, user: User, first: Flow['firstFactor'], type: 'token' | 'code', appId?: string): Promise<Response> {
  if (!user.mfa || secondFactorTypes(user, first).length === 0) return complete(db, ctx, user, type, appId);
  const flow: Flow = { fId: newFlowId(ctx.now()), userId: user.id, firstFactor: first, responseType: type, expiresAt: ctx.now() + FLOW_TTL_S * 1000, ...(appId ? { appId } : {}) };
  db.flows.put(flow.fId, flow);
  // `fId`, `flowType`, `additional` as documented for operate_check [C]; [?] not documented:
  // the masked `phoneNumber`/`email` (the seed lists `data.phoneNumber`) and `twoFactorTypes`.
  return ok(ctx.now(), {
    fId: flow.fId,
    flowType: 'NEED_TWO_FACTOR',
    additional: null,
    twoFactorTypes: secondFactorTypes(user, first),
    ...(user.phoneNumber ? { phoneNumber: maskPhone(user.phoneNumber) } : {}),
    ...(user.email ? { email: maskEmail(user.email) } : {}),
  });
}

export function liveFlow(db: Collections, ctx: BackendContext, fId: string): Flow {
  const flow = db.flows.get(fId);
  if (!flow || flow.expiresAt <= ctx.now()) {
    if (flow) db.flows.delete(fId);
    throw new Answer(fail(ctx.now(), REASON.flowExpired));
  }
  return flow;
}

export function userOf(db: Collections, ctx: BackendContext, id: string | undefined): User {
  const user = id ? db.users.get(id) : undefined;
  if (!user) throw new Answer(fail(ctx.now(), REASON.userNotExist));
  return user;
}
