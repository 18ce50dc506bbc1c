// POST /login/pwd: password sign-in (username, phone or email), with the image captcha after a few
// failures, the lock-out, and the terms step.
import { verifyPassword } from '../kit/index.js';
import { checkUsable, finishFirstFactor, wrongPassword } from './flows.js';
import { findUserByLogin, newFlowId, policies, type Handler } from './model.js';
import { CAPTCHA_AFTER_FAILURES, REASON, ciamBody, fail, flag, ok, optional, required, responseType } from './protocol.js';

export const loginPwd: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const username = required(body, 'username', ctx.now());
  const password = required(body, 'password', ctx.now());
  const type = responseType(body, ctx.now());
  const captchaCode = optional(body, 'captchaCode', ctx.now());
  const captchaText = optional(body, 'captchaText', ctx.now());
  optional(body, 'fId', ctx.now()); // accepted; the consent step is simply the same call again

  const user = findUserByLogin(db, username);
  if (!user) return fail(ctx.now(), REASON.userNotExist);
  checkUsable(ctx, user);

  if (user.captchaAlways || policies(ctx).lockout.state(user.id).failures >= CAPTCHA_AFTER_FAILURES) {
    if (!captchaCode || !captchaText) return fail(ctx.now(), REASON.captchaRequired);
    const captcha = db.captchas.get(captchaCode);
    if (captcha) db.captchas.delete(captchaCode); // one try per image
    if (!captcha || captcha.expiresAt <= ctx.now() || captcha.text.toLowerCase() !== captchaText.trim().toLowerCase()) return fail(ctx.now(), REASON.captchaError);
  }

  if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) return wrongPassword(ctx, user);
  policies(ctx).lockout.reset(user.id);

  if (user.consentPending) {
    if (!flag(body, 'agreeConsent')) {
      // [?] not documented: the consent step's flowType; the caller repeats the call with agreeConsent: true.
      return ok(ctx.now(), { fId: newFlowId(ctx.now()), flowType: 'NEED_AGREE_CONSENT', additional: null });
    }
    user.consentPending = false;
    db.users.put(user.id, user);
  }
  return finishFirstFactor(db, ctx, user, 'PWD', type);
};
