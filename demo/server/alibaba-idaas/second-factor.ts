// The second factor of the multi-step model: POST /prepare_second_factor sends a code (or asks for
// the password), POST /verify_second_factor checks it and completes the flow.
import { verifyPassword, type BackendContext } from '../kit/index.js';
import { checkCode, codeFailure, sendCode } from './codes.js';
import { checkUsable, complete, liveFlow, secondFactorTypes, userOf, wrongPassword } from './flows.js';
import { policies, type Flow, type Handler, type User } from './model.js';
import { Answer, REASON, ciamBody, fail, ok, required, type Body } from './protocol.js';

function factorType(body: Body, ctx: BackendContext, user: User, flow: Flow): string {
  const type = required(body, 'type', ctx.now()).toUpperCase();
  if (!secondFactorTypes(user, flow.firstFactor).includes(type)) throw new Answer(fail(ctx.now(), REASON.unsupport2fa));
  return type;
}

function factorTarget(user: User, type: string): string {
  return type === 'SMS' ? `+${user.phoneRegion ?? '86'}${user.phoneNumber}` : user.email ?? '';
}

export const prepareSecondFactor: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const flow = liveFlow(db, ctx, required(body, 'fId', ctx.now()));
  const user = userOf(db, ctx, flow.userId);
  const type = factorType(body, ctx, user, flow);
  // [?] not documented: the body (`fId, type`, as §2.3 guesses) and the answer.
  if (type === 'PWD') return ok(ctx.now(), { fId: flow.fId, flowType: 'NEED_TWO_FACTOR', type });
  sendCode(ctx, 'second_factor', type === 'SMS' ? 'sms' : 'email', factorTarget(user, type), flow.fId, user.id);
  return ok(ctx.now(), { fId: flow.fId, flowType: 'NEED_TWO_FACTOR', type, expiresIn: ctx.policies.otpTtlSeconds });
};

export const verifySecondFactor: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const flow = liveFlow(db, ctx, required(body, 'fId', ctx.now()));
  const user = userOf(db, ctx, flow.userId);
  const type = factorType(body, ctx, user, flow);
  checkUsable(ctx, user);
  if (type === 'PWD') {
    const password = required(body, 'password', ctx.now());
    if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) return wrongPassword(ctx, user);
    policies(ctx).lockout.reset(user.id);
  } else {
    const { result } = checkCode(ctx, 'second_factor', factorTarget(user, type), required(body, 'code', ctx.now()), flow.fId);
    if (result !== 'ok') return codeFailure(ctx, result);
  }
  db.flows.delete(flow.fId);
  return complete(db, ctx, user, flow.responseType, flow.appId);
};
