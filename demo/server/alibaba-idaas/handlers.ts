// The CIAM developer API routes (PROVIDERS.md §2.3) and the OAuth token endpoint.
import { hashPassword, randomToken, verifyPassword, type BackendContext } from '../kit/index.js';
import {
  AUTH_CODE_TTL_S, Answer, CAPTCHA_AFTER_FAILURES, CLIENT_ID, CLIENT_SECRET, FLOW_TTL_S, LOCAL_SOCIAL_ID, REASON,
  ciamBody, contact, fail, flag, maskEmail, maskPhone, oauthError, ok, optional, registeredRedirect, required, responseType, tokenBody, type Body,
} from './protocol.js';
import {
  checkCode, findUserByContact, findUserByLogin, issueAppToken, issueUserTokens, liveToken, newFlowId, newUserId, sendCode,
  type CodeCheck, type Collections, type Flow, type User,
} from './model.js';
import { captcha, configLoginPage } from './pages.js';

type Handler = (request: Request, ctx: BackendContext, db: Collections) => Promise<Response>;

// ── shared steps ────────────────────────────────────────────────────────────

/** `user_deleted` [C] (OAuth envelope) is the one documented value for a disabled account. [?] its status. */
function userDeleted(ctx: BackendContext): Response {
  return oauthError(ctx.now(), 403, 'user_deleted', 'The account is disabled or deleted.');
}

/** Disabled, administratively locked, or locked out after failures: answers; else clears an ended lock-out. */
function checkUsable(db: Collections, ctx: BackendContext, user: User): void {
  if (user.status === 'disabled') throw new Answer(userDeleted(ctx));
  if (user.status === 'locked') throw new Answer(fail(ctx.now(), REASON.userLocked));
  if (user.lockedUntil) {
    // [?] not documented: a Retry-After header on a lock-out (seconds until it ends).
    if (user.lockedUntil > ctx.now()) throw new Answer(fail(ctx.now(), REASON.userLocked, 400, { 'retry-after': String(Math.ceil((user.lockedUntil - ctx.now()) / 1000)) }));
    user.lockedUntil = undefined;
    user.failures = 0;
    db.users.put(user.id, user);
  }
}

/** One wrong password: counts it, and locks after `maxPasswordFailures`. Returns true when now locked. */
function countFailure(db: Collections, ctx: BackendContext, user: User): boolean {
  user.failures = (user.failures ?? 0) + 1;
  const locked = user.failures >= ctx.policies.maxPasswordFailures;
  if (locked) user.lockedUntil = ctx.now() + ctx.policies.lockoutSeconds * 1000;
  db.users.put(user.id, user);
  return locked;
}

function clearFailures(db: Collections, user: User): void {
  if (user.failures || user.lockedUntil) {
    user.failures = 0;
    user.lockedUntil = undefined;
    db.users.put(user.id, user);
  }
}

function codeFailure(ctx: BackendContext, result: CodeCheck): Response {
  const reason = result === 'expired' ? REASON.codeExpired : result === 'burnt' ? REASON.codeAttemptsExceeded : REASON.codeError;
  return fail(ctx.now(), reason);
}

/** The second-factor types a user can use after `first` (never the same channel twice). */
function secondFactorTypes(user: User, first: Flow['firstFactor']): string[] {
  const types: string[] = [];
  if (user.phoneNumber) types.push('SMS');
  if (user.email) types.push('EMAIL');
  if (user.passwordHash) types.push('PWD');
  return types.filter((t) => t !== first);
}

/** Tokens in `data` [C envelope; S fields], or an authorization code for `response_type=code`. */
async function complete(db: Collections, ctx: BackendContext, user: User, type: 'token' | 'code'): Promise<Response> {
  if (type === 'code') {
    // [?] not documented: the answer to `response_type=code`; `data.code`, exchanged at /oauth/token.
    const code = randomToken('ali_code_');
    db.authCodes.put(code, { code, userId: user.id, expiresAt: ctx.now() + AUTH_CODE_TTL_S * 1000 });
    return ok(ctx.now(), { code });
  }
  return ok(ctx.now(), await issueUserTokens(db, ctx, user));
}

/** After a first factor: the next step (`fId` + `flowType` [C]) when a second factor is required, else done. */
async function finishFirstFactor(db: Collections, ctx: BackendContext, user: User, first: Flow['firstFactor'], type: 'token' | 'code'): Promise<Response> {
  if (!user.mfa || secondFactorTypes(user, first).length === 0) return complete(db, ctx, user, type);
  const flow: Flow = { fId: newFlowId(ctx.now()), userId: user.id, firstFactor: first, responseType: type, expiresAt: ctx.now() + FLOW_TTL_S * 1000 };
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

function liveFlow(db: Collections, ctx: BackendContext, fId: string): Flow {
  const flow = db.flows.get(fId);
  if (!flow || flow.expiresAt <= ctx.now()) {
    if (flow) db.flows.delete(fId);
    throw new Answer(fail(ctx.now(), REASON.flowExpired));
  }
  return flow;
}

function userOf(db: Collections, ctx: BackendContext, id: string | undefined): User {
  const user = id ? db.users.get(id) : undefined;
  if (!user) throw new Answer(fail(ctx.now(), REASON.userNotExist));
  return user;
}

// ── /login/pwd ──────────────────────────────────────────────────────────────

const loginPwd: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const username = required(body, 'username', ctx.now());
  const password = required(body, 'password', ctx.now());
  const type = responseType(body, ctx.now());
  const captchaCode = optional(body, 'captchaCode', ctx.now());
  const captchaText = optional(body, 'captchaText', ctx.now());
  optional(body, 'fId', ctx.now()); // accepted; the consent step is simply the same call again

  const user = findUserByLogin(db, username);
  if (!user) return fail(ctx.now(), REASON.userNotExist);
  checkUsable(db, ctx, user);

  if (user.captchaAlways || (user.failures ?? 0) >= CAPTCHA_AFTER_FAILURES) {
    if (!captchaCode || !captchaText) return fail(ctx.now(), REASON.captchaRequired);
    const captcha = db.captchas.get(captchaCode);
    if (captcha) db.captchas.delete(captchaCode); // one try per image
    if (!captcha || captcha.expiresAt <= ctx.now() || captcha.text.toLowerCase() !== captchaText.trim().toLowerCase()) return fail(ctx.now(), REASON.captchaError);
  }

  if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
    return fail(ctx.now(), countFailure(db, ctx, user) ? REASON.userLocked : REASON.passwordError);
  }
  clearFailures(db, user);

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

// ── one-time codes: login and registration ──────────────────────────────────

const loginObtainCode: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const to = contact(body, ctx.now());
  const fId = optional(body, 'fId', ctx.now()) ?? newFlowId(ctx.now());
  const user = findUserByContact(db, to);
  if (!user) return fail(ctx.now(), REASON.userNotExist);
  checkUsable(db, ctx, user);
  sendCode(db, ctx, 'login', to.type === 'SMS' ? 'sms' : 'email', to.key, fId, user.id);
  // [?] not documented: the answer; the `fId` that verify_code takes, and the code's lifetime.
  return ok(ctx.now(), { fId, expiresIn: ctx.policies.otpTtlSeconds });
};

const loginVerifyCode: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const to = contact(body, ctx.now());
  const code = required(body, 'code', ctx.now());
  const fId = optional(body, 'fId', ctx.now());
  const type = responseType(body, ctx.now());
  const { result, record } = checkCode(db, ctx, 'login', to.key, code, fId);
  if (result !== 'ok') return codeFailure(ctx, result);
  const user = userOf(db, ctx, record?.userId);
  checkUsable(db, ctx, user);
  return finishFirstFactor(db, ctx, user, to.type, type);
};

const registerObtainCode: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const to = contact(body, ctx.now());
  const fId = optional(body, 'fId', ctx.now()) ?? newFlowId(ctx.now());
  if (findUserByContact(db, to)) return fail(ctx.now(), REASON.userExist);
  sendCode(db, ctx, 'register', to.type === 'SMS' ? 'sms' : 'email', to.key, fId);
  return ok(ctx.now(), { fId, expiresIn: ctx.policies.otpTtlSeconds });
};

const registerSubmit: Handler = async (request, ctx, db) => {
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
  const { result } = checkCode(db, ctx, 'register', to.key, code, fId);
  if (result !== 'ok') return codeFailure(ctx, result);
  const user: User = {
    id: newUserId(),
    username: username ?? to.phoneNumber ?? to.email ?? to.key,
    ...(to.type === 'SMS' ? { phoneRegion: to.phoneRegion, phoneNumber: to.phoneNumber } : { email: to.email }),
    ...(password ? { passwordHash: await hashPassword(password) } : {}),
    status: 'active',
    failures: 0,
    createdAt: ctx.now(),
  };
  db.users.put(user.id, user);
  // [?] not documented: registration answers the new user's tokens (signed in at once).
  return complete(db, ctx, user, type);
};

// ── second factor ───────────────────────────────────────────────────────────

function factorType(body: Body, ctx: BackendContext, user: User, flow: Flow): string {
  const type = required(body, 'type', ctx.now()).toUpperCase();
  if (!secondFactorTypes(user, flow.firstFactor).includes(type)) throw new Answer(fail(ctx.now(), REASON.unsupport2fa));
  return type;
}

function factorTarget(user: User, type: string): string {
  return type === 'SMS' ? `+${user.phoneRegion ?? '86'}${user.phoneNumber}` : user.email ?? '';
}

const prepareSecondFactor: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const flow = liveFlow(db, ctx, required(body, 'fId', ctx.now()));
  const user = userOf(db, ctx, flow.userId);
  const type = factorType(body, ctx, user, flow);
  // [?] not documented: the body (`fId, type`, as §2.3 guesses) and the answer.
  if (type === 'PWD') return ok(ctx.now(), { fId: flow.fId, flowType: 'NEED_TWO_FACTOR', type });
  sendCode(db, ctx, 'second_factor', type === 'SMS' ? 'sms' : 'email', factorTarget(user, type), flow.fId, user.id);
  return ok(ctx.now(), { fId: flow.fId, flowType: 'NEED_TWO_FACTOR', type, expiresIn: ctx.policies.otpTtlSeconds });
};

const verifySecondFactor: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const flow = liveFlow(db, ctx, required(body, 'fId', ctx.now()));
  const user = userOf(db, ctx, flow.userId);
  const type = factorType(body, ctx, user, flow);
  checkUsable(db, ctx, user);
  if (type === 'PWD') {
    const password = required(body, 'password', ctx.now());
    if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
      return fail(ctx.now(), countFailure(db, ctx, user) ? REASON.userLocked : REASON.passwordError);
    }
    clearFailures(db, user);
  } else {
    const { result } = checkCode(db, ctx, 'second_factor', factorTarget(user, type), required(body, 'code', ctx.now()), flow.fId);
    if (result !== 'ok') return codeFailure(ctx, result);
  }
  db.flows.delete(flow.fId);
  return complete(db, ctx, user, flow.responseType);
};

// ── social ──────────────────────────────────────────────────────────────────

const loginSocial: Handler = async (request, ctx, db) => {
  const body = await ciamBody(request, ctx.now());
  const source = required(body, 'enterpriseAuthId', ctx.now());
  const code = required(body, 'code', ctx.now());
  optional(body, 'state', ctx.now());
  const type = responseType(body, ctx.now());
  // [?] not documented: an unknown source id; Params.Illegal.
  if (source !== LOCAL_SOCIAL_ID) return fail(ctx.now(), REASON.paramsIllegal);
  const grant = db.socialCodes.get(code);
  if (grant) db.socialCodes.delete(code);
  if (!grant || grant.expiresAt <= ctx.now()) return fail(ctx.now(), REASON.socialLogin);
  const identity = db.social.get(grant.identityId);
  if (!identity?.userId || !db.users.get(identity.userId)) return fail(ctx.now(), REASON.idaasNoUser);
  const user = userOf(db, ctx, identity.userId);
  checkUsable(db, ctx, user);
  return finishFirstFactor(db, ctx, user, 'SOCIAL', type);
};

// ── /oauth/token ────────────────────────────────────────────────────────────

/** OAuth-shaped answers [T]; the relay reads `access_token` and `expires_in` at the top level. */
export const token: Handler = async (request, ctx, db) => {
  const now = ctx.now();
  const body = await tokenBody(request, now);
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const grant = text('grant_type');
  if (!grant) return oauthError(now, 400, 'invalid_request', 'grant_type is required.');
  if (text('client_id') !== CLIENT_ID || text('client_secret') !== CLIENT_SECRET) return oauthError(now, 401, 'invalid_client', 'Client authentication failed.');

  if (grant === 'client_credentials') {
    const scopes = (text('scope') ?? 'APPLICATION_API').split(/\s+/).filter(Boolean);
    // [?] not documented: this demo client holds only APPLICATION_API; asking for management is unauthorized_client.
    if (scopes.includes('MANAGEMENT_APPLICATION_API')) return oauthError(now, 400, 'unauthorized_client', 'The client may not use MANAGEMENT_APPLICATION_API.');
    if (scopes.length !== 1 || scopes[0] !== 'APPLICATION_API') return oauthError(now, 400, 'invalid_scope', 'Only scope APPLICATION_API is available.');
    const record = issueAppToken(db, ctx, 'APPLICATION_API');
    return Response.json({ access_token: record.token, token_type: 'bearer', expires_in: Math.round((record.expiresAt - now) / 1000), scope: record.scope }, { headers: { 'cache-control': 'no-store' } });
  }

  if (grant === 'refresh_token') {
    const refresh = text('refresh_token');
    if (!refresh) return oauthError(now, 400, 'invalid_request', 'refresh_token is required.');
    const record = liveToken(db, ctx, refresh, 'refresh');
    if (!record) return oauthError(now, 400, 'invalid_grant', 'The refresh token is invalid or expired.');
    const user = db.users.get(record.userId);
    if (!user) return oauthError(now, 400, 'invalid_grant', 'The refresh token is invalid or expired.');
    if (user.status === 'disabled') return userDeleted(ctx);
    db.tokens.delete(refresh); // rotation: the old refresh token is spent
    // [?] not documented: the refresh answer; OAuth-shaped at the top level like the client_credentials answer.
    return Response.json(await issueUserTokens(db, ctx, user), { headers: { 'cache-control': 'no-store' } });
  }

  if (grant === 'authorization_code') {
    const code = text('code');
    const redirectUri = text('redirect_uri');
    if (!code || !redirectUri) return oauthError(now, 400, 'invalid_request', 'code and redirect_uri are required.');
    if (!registeredRedirect(redirectUri)) return oauthError(now, 400, 'redirect_uri_mismatch', 'redirect_uri is not registered for this application.');
    const record = db.authCodes.get(code);
    if (record) db.authCodes.delete(code);
    const user = record && record.expiresAt > now ? db.users.get(record.userId) : undefined;
    if (!user) return oauthError(now, 400, 'invalid_grant', 'The authorization code is invalid or expired.');
    return Response.json(await issueUserTokens(db, ctx, user), { headers: { 'cache-control': 'no-store' } });
  }

  if (grant === 'password') {
    // The seed lists grant_type=password [S]: `login_failed` [C] for any wrong identifier or password.
    const username = text('username');
    const password = text('password');
    if (!username || !password) return oauthError(now, 400, 'invalid_request', 'username and password are required.');
    const user = findUserByLogin(db, username);
    if (user?.status === 'disabled') return userDeleted(ctx);
    const locked = !!user && (user.status === 'locked' || (!!user.lockedUntil && user.lockedUntil > now));
    if (!user || locked || user.mfa || user.captchaAlways || !user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
      if (user && !locked && user.passwordHash && !user.mfa && !user.captchaAlways) countFailure(db, ctx, user);
      return oauthError(now, 400, 'login_failed', 'Login failed.');
    }
    clearFailures(db, user);
    return Response.json(await issueUserTokens(db, ctx, user), { headers: { 'cache-control': 'no-store' } });
  }

  return oauthError(now, 400, 'unsupported_grant_type', `grant_type ${grant} is not supported.`);
};

/** `METHOD /sub-path` below the CIAM base → handler. */
export const routes: Record<string, Handler> = {
  'GET /config/loginpage': configLoginPage,
  'GET /captcha': captcha,
  'POST /login/pwd': loginPwd,
  'POST /login/obtain_code': loginObtainCode,
  'POST /login/verify_code': loginVerifyCode,
  'POST /register/obtain_code': registerObtainCode,
  'POST /register/submit': registerSubmit,
  'POST /login/social': loginSocial,
  'POST /prepare_second_factor': prepareSecondFactor,
  'POST /verify_second_factor': verifySecondFactor,
};
