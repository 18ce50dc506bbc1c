// Zhuyun / BambooCloud IDaaS CIAM (open.bccastle.com) emulation for the reference server.
// Wire protocol as PROVIDERS.md §4 and shared/seeds/002 document it:
//   POST /api/v2/sdk/login/mobile-pwd   { mobile, password }
//   GET  /api/v2/sdk/pwd/skip-update    X-state-token (PASSWORD_WARN only)
//   POST /api/v2/sdk/pwd/update         X-state-token + { old_password, new_password }
// Every call needs the device headers (X-operating-sys-version, X-device-fingerprint, X-agent)
// and X-client-id; X-L picks the message language (zh… → Chinese, anything else → English).
// Errors are `{ error_code, error_msg }` with HTTP 400 (500 for COM.0002).
// Shapes marked `[?]` are not documented; they are the most plausible fit to the documented ones.
import { randomBytes } from 'node:crypto';
import { hashPassword, json, randomToken, readJson, verifyPassword, type Backend, type BackendContext } from '../kit/index.js';

const NAME = 'zhuyun-idaas';
const CLIENT_ID = 'zhuyun-demo-client';
const DEMO_PASSWORD = 'demo-password';

/** State tokens (PASSWORD_WARN / PASSWORD_EXPIRED → skip or change). */
// [?] not documented: state-token lifetime; 5 minutes here.
const STATE_TTL_MS = 5 * 60 * 1000;
/** id_token lifetime: bccastle documents 5 minutes by default [C]. */
const ID_TOKEN_TTL_SECONDS = 300;
// [?] not documented (tenant-configured): the password-age policy. Expired after 90 days,
// PASSWORD_WARN in the last 15 days before that.
const PASSWORD_MAX_AGE_DAYS = 90;
const PASSWORD_WARN_DAYS = 15;
const DAY_MS = 86_400_000;

// The password policy the seed shows verbatim [C] (`data` is this object as a JSON string, in this key order).
const POLICY_REGEX =
  '^(?![a-zA-Z]+$)(?![A-Z0-9]+$)(?![A-Z~!#$%&+\\-,*:;<=>@_?^、`~\\./]+$)(?![a-z0-9]+$)(?![a-z~!#$%&+\\-,*:;<=>@_?^、`~\\./]+$)(?![0-9~!#$%&+\\-,*:;<=>@_?^、`~\\./]+$)[a-zA-Z0-9~!#$%&+\\-,*:;<=>@_?^、`~\\./]{1,}$';
const POLICY = { maxLength: 18, minLength: 8, regEx: POLICY_REGEX } as const;
const POLICY_TIP = {
  zh: '至少包含数字、大写字母、小写字母和特殊字符中的3种', // [C] the seed's tip
  // [?] not documented: the tip is tenant text (the seed shows only Chinese); English under X-L=en.
  en: 'Use at least 3 of: digits, uppercase letters, lowercase letters and special characters',
};
const policyRegex = new RegExp(POLICY_REGEX);

type Lang = 'zh' | 'en';

/** error_code → [HTTP status, English, Chinese]; `{0}`, `{1}` are filled in. */
const ERRORS = {
  // All [C] from the seed's error table, both language variants verbatim.
  'IDAAS.SDK.PARAM.0001': [400, 'Device information is incomplete', '设备信息不完整'],
  'IDAAS.SDK.PARAM.0002': [400, 'clientId cannot be empty', 'clientId不能为空'],
  'IDAAS.SDK.PARAM.0003': [400, 'The app is not registered, please register the app first', '应用未注册,请先注册应用'],
  'IDAAS.SDK.USER.0004': [400, 'Mobile number cannot be empty', '手机号不能为空'],
  'IDAAS.SDK.USER.0006': [400, 'Password cannot be empty', '密码不能为空'],
  'IDAAS.SDK.LOGIN.0001': [
    400,
    'User has been locked out due to multiple login failures. It will be unlocked in {0} minutes and {1} seconds',
    '由于多次登录失败,用户已被锁定。 它将在 {0} 分钟和 {1} 秒内解锁',
  ],
  'IDAAS.SDK.LOGIN.0002': [400, 'Invalid account or password. Remaining times: {0}', '无效的账号或密码。 剩余次数:{0}'],
  'IDAAS.SDK.COM.0002': [500, 'System busy, please try again later', '系统繁忙,请稍后再试'],
  'IDAAS.SDK.USER.0039': [400, 'User is disabled', '用户已被禁用'],
  // [C] English from the skip/force-change pages; [?] not documented: the Chinese variant.
  'IDAAS.SDK.PARAM.0014': [400, 'Invalid state token', '无效的状态令牌'],
  // [?] not documented for /pwd/update: modelled on the tenant API's documented
  // IDAAS.TENANT.PWD.0001 / PWD.0004 ("Your password complexity is low, {0}"), in the SDK namespace.
  'IDAAS.SDK.PWD.0001': [400, 'The password is used before, cannot be used again', '该密码已使用过,不能再次使用'],
  'IDAAS.SDK.PWD.0004': [400, 'Your password complexity is low, {0}', '您的密码复杂度低,{0}'],
} as const satisfies Record<string, readonly [number, string, string]>;
type ErrorCode = keyof typeof ERRORS;

function fail(code: ErrorCode, lang: Lang, ...args: Array<string | number>): Response {
  const [status, en, zh] = ERRORS[code];
  const template: string = lang === 'zh' ? zh : en;
  const error_msg = template.replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
  return json(status, { error_code: code, error_msg });
}

// ── records ─────────────────────────────────────────────────────────────────

type AccountState = 'active' | 'disabled' | 'access_denied' | 'busy';

interface UserRecord {
  id: string;
  mobile: string;
  name: string;
  passwordHash: string;
  /** Epoch ms of the last password change; PASSWORD_WARN / PASSWORD_EXPIRED derive from it. */
  passwordChangedAt: number;
  /**
   * For a seeded account whose password was never changed: its demo password age in days, which
   * `seed` re-applies at every start so the account reaches the same state after a restart.
   * Cleared by a password change.
   */
  seededAgeDays?: number;
  state: AccountState;
}

/** Failed attempts per mobile (known or not, so the answer does not reveal which). */
interface FailureRecord {
  count: number;
  lockedUntil?: number;
}

interface StateRecord {
  token: string;
  userId: string;
  kind: 'PASSWORD_WARN' | 'PASSWORD_EXPIRED';
  clientId: string;
  expiresAt: number;
}

interface SessionRecord {
  token: string;
  userId: string;
  clientId: string;
  expiresAt: number;
}

const collections = (ctx: BackendContext) => ({
  users: ctx.store.collection<UserRecord>(`${NAME}.users`),
  failures: ctx.store.collection<FailureRecord>(`${NAME}.failures`),
  states: ctx.store.collection<StateRecord>(`${NAME}.states`),
  sessions: ctx.store.collection<SessionRecord>(`${NAME}.sessions`),
});

// ── seeded accounts ─────────────────────────────────────────────────────────

// User ids in bccastle's format (e.g. `20220425140138519-BF1B-528B0551B` in its id_token example).
const SEEDS: Array<{ id: string; mobile: string; name: string; ageDays: number; state: AccountState; note: string }> = [
  { id: '20240101000000010-ZY10-DEMO00010', mobile: '13800000010', name: 'Demo User', ageDays: 0, state: 'active', note: 'SUCCESS: session_token, expire, id_token' },
  { id: '20240101000000011-ZY11-DEMO00011', mobile: '13800000011', name: 'Warned User', ageDays: 80, state: 'active', note: 'PASSWORD_WARN (password 80 of 90 days old): skip or change; SUCCESS once changed' },
  { id: '20240101000000012-ZY12-DEMO00012', mobile: '13800000012', name: 'Expired User', ageDays: 120, state: 'active', note: 'PASSWORD_EXPIRED: must change (e.g. to Demo-pass1); skip is refused; SUCCESS once changed' },
  { id: '20240101000000013-ZY13-DEMO00013', mobile: '13800000013', name: 'Denied User', ageDays: 0, state: 'access_denied', note: 'status ACCESS_DENIED (HTTP 200)' },
  { id: '20240101000000014-ZY14-DEMO00014', mobile: '13800000014', name: 'Disabled User', ageDays: 0, state: 'disabled', note: 'IDAAS.SDK.USER.0039 user disabled' },
  { id: '20240101000000019-ZY19-DEMO00019', mobile: '13800000019', name: 'Busy User', ageDays: 0, state: 'busy', note: 'IDAAS.SDK.COM.0002 system busy (HTTP 500), any password: a local stand-in for a vendor outage' },
];

// ── helpers ─────────────────────────────────────────────────────────────────

const langOf = (request: Request): Lang => ((request.headers.get('x-l') ?? '').trim().toLowerCase().startsWith('zh') ? 'zh' : 'en');
// [?] not documented: the language without X-L; English here (§4.4's example message is English).

const header = (request: Request, name: string) => (request.headers.get(name) ?? '').trim();

/** Checks X-client-id and the device headers; returns the client id, or the error response. */
function checkHeaders(request: Request, lang: Lang): { clientId: string } | Response {
  // [?] not documented: the order of these checks. A missing X-client-id gets its own code
  // (PARAM.0002) before the other device headers (PARAM.0001); then the registration (PARAM.0003).
  const clientId = header(request, 'x-client-id');
  if (!clientId) return fail('IDAAS.SDK.PARAM.0002', lang);
  for (const name of ['x-operating-sys-version', 'x-device-fingerprint', 'x-agent']) {
    if (!header(request, name)) return fail('IDAAS.SDK.PARAM.0001', lang);
  }
  if (clientId !== CLIENT_ID) return fail('IDAAS.SDK.PARAM.0003', lang);
  // [?] not documented: a missing or non-JSON content-type. Accepted (the body is parsed as JSON anyway).
  return { clientId };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
// [?] not documented: non-string fields count as empty (USER.0004 / USER.0006).

/** A 32-character alphanumeric session token, like the documented `btsiBjx85prcZu6I6Ki057Tmw3nSF2VO`. */
function sessionToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}

function passwordStatus(user: UserRecord, now: number): 'SUCCESS' | 'PASSWORD_WARN' | 'PASSWORD_EXPIRED' {
  const age = now - user.passwordChangedAt;
  if (age >= PASSWORD_MAX_AGE_DAYS * DAY_MS) return 'PASSWORD_EXPIRED';
  if (age >= (PASSWORD_MAX_AGE_DAYS - PASSWORD_WARN_DAYS) * DAY_MS) return 'PASSWORD_WARN';
  return 'SUCCESS';
}

/** Drops expired state tokens and sessions (their records carry their own ids). */
function prune(ctx: BackendContext) {
  const now = ctx.now();
  const { states, sessions } = collections(ctx);
  for (const record of states.values()) if (record.expiresAt <= now) states.delete(record.token);
  for (const record of sessions.values()) if (record.expiresAt <= now) sessions.delete(record.token);
}

async function issueSession(ctx: BackendContext, user: UserRecord, clientId: string): Promise<Response> {
  const now = ctx.now();
  const ttl = ctx.policies.accessTokenTtlSeconds;
  const token = sessionToken();
  collections(ctx).sessions.put(token, { token, userId: user.id, clientId, expiresAt: now + ttl * 1000 });
  // [?] not documented for CIAM: the id_token claims. `sub` is the user id; `api` mirrors the
  // user-info string in bccastle's EIAM id_token example ({name, mobile, id, userName, email}).
  const idToken = await ctx.jwt.sign(
    {
      iss: ctx.baseUrl,
      aud: clientId,
      sub: user.id,
      jti: randomToken('', 16),
      api: JSON.stringify({ name: user.name, mobile: `+86-${user.mobile}`, id: user.id, userName: user.mobile, email: '' }),
    },
    ID_TOKEN_TTL_SECONDS,
    now,
  );
  // Field order as in the seed's success example [C].
  return json(200, { session_token: token, expire: ttl, status: 'SUCCESS', id_token: idToken });
}

function issueState(ctx: BackendContext, user: UserRecord, kind: StateRecord['kind'], clientId: string, lang: Lang): Response {
  // [?] not documented: the state token's format (the docs show a truncated JWT); opaque here,
  // single-use, bound to the user and the client id.
  const token = randomToken('', 32);
  collections(ctx).states.put(token, { token, userId: user.id, kind, clientId, expiresAt: ctx.now() + STATE_TTL_MS });
  const data = JSON.stringify({ ...POLICY, tip: POLICY_TIP[lang] });
  return json(200, { status: kind, state_token: token, data });
}

/** Registers one failed password attempt for `mobile`: LOGIN.0002 with the count left, or LOGIN.0001 at the limit. */
function registerFailure(ctx: BackendContext, mobile: string, lang: Lang): Response {
  const { failures } = collections(ctx);
  const max = Math.max(1, ctx.policies.maxPasswordFailures);
  const record = failures.get(mobile) ?? { count: 0 };
  const count = record.count + 1;
  if (count >= max) {
    // [?] not documented: whether the last failed try answers 0002 "Remaining times: 0" or 0001.
    // Here the attempt that reaches the limit locks and answers LOGIN.0001 with the unlock time.
    const lockedUntil = ctx.now() + ctx.policies.lockoutSeconds * 1000;
    failures.put(mobile, { count, lockedUntil });
    return lockedResponse(ctx, lockedUntil, lang);
  }
  failures.put(mobile, { count });
  return fail('IDAAS.SDK.LOGIN.0002', lang, max - count);
}

function lockedResponse(ctx: BackendContext, lockedUntil: number, lang: Lang): Response {
  const left = Math.max(0, Math.ceil((lockedUntil - ctx.now()) / 1000));
  return fail('IDAAS.SDK.LOGIN.0001', lang, Math.floor(left / 60), left % 60);
}

/** The lock-out end for `mobile` if it is locked now; an expired lock is cleared (with its count). */
function activeLock(ctx: BackendContext, mobile: string): number | undefined {
  const { failures } = collections(ctx);
  const record = failures.get(mobile);
  if (!record?.lockedUntil) return undefined;
  if (record.lockedUntil > ctx.now()) return record.lockedUntil;
  failures.delete(mobile);
  return undefined;
}

/** A live state token for this client, or undefined (unknown, expired, other client). */
function lookupState(ctx: BackendContext, token: string, clientId: string): StateRecord | undefined {
  if (!token) return undefined;
  const { states } = collections(ctx);
  const record = states.get(token);
  if (!record) return undefined;
  if (record.expiresAt <= ctx.now()) {
    states.delete(token);
    return undefined;
  }
  return record.clientId === clientId ? record : undefined;
}

// ── routes ──────────────────────────────────────────────────────────────────

async function login(request: Request, ctx: BackendContext, lang: Lang, clientId: string): Promise<Response> {
  // [?] not documented: a missing or malformed JSON body; treated as empty (→ USER.0004).
  const body = (await readJson(request)) ?? {};
  const mobile = text(body.mobile).trim();
  const password = text(body.password);
  if (!mobile) return fail('IDAAS.SDK.USER.0004', lang);
  if (!password) return fail('IDAAS.SDK.USER.0006', lang);

  const { users, failures } = collections(ctx);
  const user = users.find((u) => u.mobile === mobile);
  // Local stand-in for a vendor outage: this seeded account always answers COM.0002.
  if (user?.state === 'busy') return fail('IDAAS.SDK.COM.0002', lang);

  const lockedUntil = activeLock(ctx, mobile);
  if (lockedUntil) return lockedResponse(ctx, lockedUntil, lang);

  const ok = user ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !ok) return registerFailure(ctx, mobile, lang);
  failures.delete(mobile);

  // [?] not documented: whether disabled / denied accounts are told before the password check;
  // here only after a correct password (so they reveal nothing to a guesser).
  if (user.state === 'disabled') return fail('IDAAS.SDK.USER.0039', lang);
  // [?] not documented: the ACCESS_DENIED body (§4.6 q5); HTTP 200 with only the status.
  if (user.state === 'access_denied') return json(200, { status: 'ACCESS_DENIED' });

  const status = passwordStatus(user, ctx.now());
  if (status === 'SUCCESS') return issueSession(ctx, user, clientId);
  return issueState(ctx, user, status, clientId, lang);
}

async function skipUpdate(request: Request, ctx: BackendContext, lang: Lang, clientId: string): Promise<Response> {
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

async function updatePassword(request: Request, ctx: BackendContext, lang: Lang, clientId: string): Promise<Response> {
  const token = header(request, 'x-state-token');
  const state = lookupState(ctx, token, clientId);
  if (!state) return fail('IDAAS.SDK.PARAM.0014', lang);
  const { users, states, failures } = collections(ctx);
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

  const lockedUntil = activeLock(ctx, user.mobile);
  if (lockedUntil) return restore(lockedResponse(ctx, lockedUntil, lang));
  // [?] not documented: a wrong old_password. Answered like a wrong login password (LOGIN.0002
  // with the countdown, LOGIN.0001 at the limit) and counted toward the same lock-out.
  if (!(await verifyPassword(oldPassword, user.passwordHash))) {
    const response = registerFailure(ctx, user.mobile, lang);
    return restore(response);
  }
  failures.delete(user.mobile);

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

// ── the backend ─────────────────────────────────────────────────────────────

const ROUTES: Record<string, { method: string; run: typeof login }> = {
  '/api/v2/sdk/login/mobile-pwd': { method: 'POST', run: login },
  '/api/v2/sdk/pwd/skip-update': { method: 'GET', run: skipUpdate }, // GET per §4.3 [C]
  '/api/v2/sdk/pwd/update': { method: 'POST', run: updatePassword },
};

export const zhuyunIdaasBackend: Backend = {
  name: NAME,

  accounts: SEEDS.map((s) => ({ identifier: s.mobile, password: DEMO_PASSWORD, note: s.note })),

  async seed(ctx) {
    const { users } = collections(ctx);
    const now = ctx.now();
    for (const s of SEEDS) {
      const existing = users.get(s.id);
      if (!existing) {
        users.put(s.id, {
          id: s.id,
          mobile: s.mobile,
          name: s.name,
          passwordHash: await hashPassword(DEMO_PASSWORD),
          passwordChangedAt: now - s.ageDays * DAY_MS,
          seededAgeDays: s.ageDays,
          state: s.state,
        });
      } else if (existing.seededAgeDays !== undefined) {
        // Password never changed: re-derive its age so WARN / EXPIRED are reached again after a restart.
        users.put(s.id, { ...existing, passwordChangedAt: now - existing.seededAgeDays * DAY_MS });
      }
    }
  },

  async handle(request, path, ctx) {
    const route = ROUTES[path];
    if (!route) return undefined;
    // [?] not documented: another method on a known path; left to the core's JSON 404.
    if (request.method !== route.method) return undefined;
    const lang = langOf(request);
    try {
      prune(ctx);
      const checked = checkHeaders(request, lang);
      if (checked instanceof Response) return checked;
      return await route.run(request, ctx, lang, checked.clientId);
    } catch {
      return fail('IDAAS.SDK.COM.0002', lang);
    }
  },

  async introspect(accessToken, ctx) {
    if (typeof accessToken !== 'string' || !accessToken) return null;
    const { sessions, users } = collections(ctx);
    const session = sessions.get(accessToken);
    if (!session) return null;
    if (session.expiresAt <= ctx.now()) {
      sessions.delete(accessToken);
      return null;
    }
    const user = users.get(session.userId);
    if (!user || user.state === 'disabled') return null;
    return { userId: user.id, name: user.name };
  },
};
