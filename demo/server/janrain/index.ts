// Akamai Identity Cloud (Janrain) native Authentication API, emulated for the reference server
// (PROVIDERS.md §5). Every `/oauth/*` and `/access/*` call is a form-encoded POST; failures are
// HTTP 200 with `stat: "error"`, a numeric Registration `code`, `error`, `error_description` and
// `request_id` (§5.5). The relay (src/relay/backends/janrain.ts) forwards the native calls
// unchanged and exchanges `authorization_code` at `/oauth/token` with Basic API-client
// credentials, so that is the exact shape produced and accepted here.
//
// Marks: `// [?] not documented: …` where §5 is silent and a plausible shape was chosen.
import { createHash, randomUUID } from 'node:crypto';
import { hashPassword, json, randomToken, verifyPassword, type Backend, type BackendContext, type Collection } from '../kit/index.js';

// ── configuration (one application, one flow) ───────────────────────────────

export const JANRAIN_CONFIG = {
  loginClientId: 'janrain-login-client',
  apiClientId: 'janrain-api-client',
  apiClientSecret: 'janrain-api-secret',
  flow: 'standard',
  flowVersion: '20240101',
  locales: ['en-US', 'zh-CN'] as const,
  /** `http://127.0.0.1:*` and `http://localhost:*`, any path. */
  redirectHosts: ['127.0.0.1', 'localhost'],
  // [?] not documented: Janrain's code lifetime; "short-lived" — 30 s is what the relay needs.
  authorizationCodeTtlSeconds: 30,
  minPasswordLength: 8, // [?] not documented: the flow's password rule is app config
} as const;

const FORMS = { signIn: 'signInForm', registration: 'registrationForm', forgot: 'forgotPasswordForm', verify: 'resendVerificationForm' } as const;

type Locale = (typeof JANRAIN_CONFIG.locales)[number];

// ── stored records ──────────────────────────────────────────────────────────

interface JanrainUser {
  id: number;
  uuid: string;
  email: string; // lower-cased
  passwordHash: string | null; // null: a social-only account (code 211)
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  emailVerified: string | null;
  created: string;
  lastUpdated: string;
  lastLogin: string | null;
  /** Demo only: permanently locked (answers 510 like a lock-out). */
  locked?: boolean;
}
interface Grant {
  /** sha256 of the secret value: the record's id (the value itself is never stored). */
  key: string;
  kind: 'authorization_code' | 'access_token' | 'refresh_token' | 'verification_code';
  uuid: string;
  expiresAt: number;
  clientId: string;
  redirectUri?: string;
  purpose?: string;
  family?: string; // refresh rotation family
  usedAt?: number; // refresh tokens: rotated already (reuse revokes the family)
}
interface Failures {
  count: number;
  lockedUntil: number;
}
interface Send {
  at: number;
}

const collections = (ctx: BackendContext) => ({
  users: ctx.store.collection<JanrainUser>('janrain.users'),
  grants: ctx.store.collection<Grant>('janrain.grants'), // keyed by sha256 of the secret value
  failures: ctx.store.collection<Failures>('janrain.failures'),
  sends: ctx.store.collection<Send>('janrain.sends'),
});

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const normalizeEmail = (value: string) => value.trim().toLowerCase();
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Capture's timestamp format, e.g. `2024-01-01 12:00:00.000000 +0000`. */
function captureTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-01T12:00:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000 +0000`;
}

// ── wire helpers ────────────────────────────────────────────────────────────

type ErrorExtra = { argument_name?: string; invalid_fields?: Record<string, string[]> };

/** HTTP 200 with `stat: "error"` (§5.5). */
function fail(code: number, error: string, description: string, extra: ErrorExtra = {}, headers: Record<string, string> = {}): Response {
  return json(200, { stat: 'error', code, error, error_description: description, ...extra, request_id: randomToken('', 12) }, headers);
}
const ok = (body: Record<string, unknown>) => json(200, { stat: 'ok', ...body });

// [?] not documented: `argument_name` is what Capture sends with 100/200 in third-party code.
const missing = (name: string) => fail(100, 'missing_argument', `missing required argument: ${name}`, { argument_name: name });
const invalidArgument = (name: string, why: string) => fail(200, 'invalid_argument', `${name} ${why}`, { argument_name: name });

/** 510 carries Retry-After in seconds. [?] not documented: Janrain's 510 names no wait time. */
function limited(description: string, retryAfterMs: number): Response {
  return fail(510, 'api_limit_error', description, {}, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
}

type Form = Record<string, string>;

/** Form body → fields; a duplicated field is Janrain's 201 `duplicate_argument`. */
async function readBody(request: Request): Promise<{ form: Form } | { error: Response }> {
  let text = '';
  try {
    text = await request.text();
  } catch {
    text = '';
  }
  const form: Form = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.prototype.hasOwnProperty.call(form, key)) return { error: fail(201, 'duplicate_argument', `argument given more than once: ${key}`, { argument_name: key }) };
    form[key] = value;
  }
  return { form };
}

// Field messages follow the flow's locale (§5.6 q2 is open on localisation; these are ours).
const MESSAGES: Record<Locale, Record<string, string>> = {
  'en-US': {
    required: 'This field is required.',
    email: 'Please enter a valid email address.',
    emailInUse: 'Email address is already in use.',
    passwordLength: `Passwords must be at least ${JANRAIN_CONFIG.minPasswordLength} characters.`,
    passwordMatch: 'Passwords do not match.',
    credentials: 'Incorrect username or password. Please try again.',
    noPassword: 'This account has no password; sign in with your social account.',
    tooLong: 'This value is too long.',
  },
  'zh-CN': {
    required: '此字段为必填项。',
    email: '请输入有效的电子邮件地址。',
    emailInUse: '该电子邮件地址已被使用。',
    passwordLength: `密码至少需要 ${JANRAIN_CONFIG.minPasswordLength} 个字符。`,
    passwordMatch: '两次输入的密码不一致。',
    credentials: '用户名或密码错误，请重试。',
    noPassword: '此账号没有密码，请使用社交账号登录。',
    tooLong: '此值过长。',
  },
};

// ── base fields shared by the native calls ──────────────────────────────────

interface Base {
  clientId: string;
  locale: Locale;
  redirectUri: string;
  responseType?: 'token' | 'code' | 'code_and_token';
}

function redirectAllowed(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && (JANRAIN_CONFIG.redirectHosts as readonly string[]).includes(url.hostname) && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** Checks client_id, flow, flow_version, locale, redirect_uri (and response_type), then `form`. */
function checkBase(form: Form, expectedForm: string | null, needsResponseType: boolean): Base | Response {
  const clientId = form.client_id;
  if (!clientId) return missing('client_id');
  if (clientId === JANRAIN_CONFIG.apiClientId) {
    // The API client lacks the login_client feature (§5.1).
    return fail(403, 'client_permission_error', 'the client does not have the login_client feature required for this call');
  }
  // [?] not documented: the code for an unknown client id among 221–226; 224 is "no such client/application".
  if (clientId !== JANRAIN_CONFIG.loginClientId) return fail(224, 'unknown_client', `unknown client_id: ${clientId}`, { argument_name: 'client_id' });
  // `flow` may be omitted: the login client has `default_flow_name = standard` (§5.3).
  // [?] not documented: 226 `flow_error` for a flow, flow_version or locale the application lacks.
  if (form.flow !== undefined && form.flow !== JANRAIN_CONFIG.flow) return fail(226, 'flow_error', `flow not found: ${form.flow}`, { argument_name: 'flow' });
  if (!form.flow_version) return missing('flow_version');
  if (form.flow_version !== JANRAIN_CONFIG.flowVersion) return fail(226, 'flow_error', `flow version not found: ${form.flow_version}`, { argument_name: 'flow_version' });
  if (!form.locale) return missing('locale');
  if (!(JANRAIN_CONFIG.locales as readonly string[]).includes(form.locale)) return fail(226, 'flow_error', `locale not defined in flow: ${form.locale}`, { argument_name: 'locale' });
  if (!form.redirect_uri) return missing('redirect_uri');
  if (!redirectAllowed(form.redirect_uri)) return fail(420, 'redirect_uri_mismatch', 'redirect_uri is not registered for this client', { argument_name: 'redirect_uri' });
  let responseType: Base['responseType'];
  if (needsResponseType) {
    if (!form.response_type) return missing('response_type');
    // `code_and_token` is seen in third-party code [T].
    if (form.response_type !== 'token' && form.response_type !== 'code' && form.response_type !== 'code_and_token') return invalidArgument('response_type', 'must be token or code');
    responseType = form.response_type;
  }
  if (expectedForm) {
    if (!form.form) return missing('form');
    // [?] not documented: a form name the flow lacks; 200 invalid_argument (a caller mistake).
    if (form.form !== expectedForm) return invalidArgument('form', `must be ${expectedForm} for this call`);
  }
  return { clientId, locale: form.locale as Locale, redirectUri: form.redirect_uri, responseType };
}

// ── tokens ──────────────────────────────────────────────────────────────────

function issue(grants: Collection<Grant>, kind: Grant['kind'], prefix: string, grant: Omit<Grant, 'kind' | 'key'>): string {
  const value = randomToken(prefix, 24);
  const key = digest(value);
  grants.put(key, { key, kind, ...grant });
  return value;
}

/** Returns the live grant of `kind` for `value`, or undefined (unknown, wrong kind, expired). */
function lookup(grants: Collection<Grant>, kind: Grant['kind'], value: unknown, now: number): { key: string; grant: Grant } | undefined {
  if (typeof value !== 'string' || !value || value.length > 512) return undefined;
  const key = digest(value);
  const grant = grants.get(key);
  if (!grant || grant.kind !== kind) return undefined;
  if (grant.expiresAt <= now) {
    grants.delete(key);
    return undefined;
  }
  return { key, grant };
}

function captureUser(user: JanrainUser) {
  return {
    id: user.id,
    uuid: user.uuid,
    email: user.email,
    emailVerified: user.emailVerified,
    givenName: user.givenName,
    familyName: user.familyName,
    displayName: user.displayName,
    created: user.created,
    lastUpdated: user.lastUpdated,
    lastLogin: user.lastLogin,
  };
}

/** The native success body per response_type (§5.4; the code's field name is §5.6 q1). */
function nativeSuccess(ctx: BackendContext, user: JanrainUser, base: Base, extra: Record<string, unknown> = {}): Response {
  const { grants } = collections(ctx);
  const now = ctx.now();
  const body: Record<string, unknown> = { capture_user: captureUser(user), ...extra };
  if (base.responseType === 'code' || base.responseType === 'code_and_token') {
    body.authorization_code = issue(grants, 'authorization_code', '', {
      uuid: user.uuid,
      clientId: base.clientId,
      redirectUri: base.redirectUri,
      expiresAt: now + JANRAIN_CONFIG.authorizationCodeTtlSeconds * 1000,
    });
  }
  if (base.responseType === 'token' || base.responseType === 'code_and_token') {
    // [?] not documented: `expires_in` beside the native access token; no refresh_token here
    // (refresh tokens come only from /oauth/token, which needs the API client's Basic auth).
    body.access_token = issue(grants, 'access_token', '', { uuid: user.uuid, clientId: base.clientId, expiresAt: now + ctx.policies.accessTokenTtlSeconds * 1000 });
    body.expires_in = ctx.policies.accessTokenTtlSeconds;
  }
  return ok(body);
}

function tokenPair(ctx: BackendContext, uuid: string, clientId: string, family: string) {
  const { grants } = collections(ctx);
  const now = ctx.now();
  const access_token = issue(grants, 'access_token', '', { uuid, clientId, expiresAt: now + ctx.policies.accessTokenTtlSeconds * 1000 });
  const refresh_token = issue(grants, 'refresh_token', '', { uuid, clientId, family, expiresAt: now + ctx.policies.refreshTokenTtlSeconds * 1000 });
  // [?] not documented: no `token_type` in Janrain's token answer; the widget assumes Bearer.
  return { access_token, refresh_token, expires_in: ctx.policies.accessTokenTtlSeconds };
}

// ── password failures and send limits ───────────────────────────────────────

function lockState(ctx: BackendContext, email: string): Response | null {
  const record = collections(ctx).failures.get(email);
  const now = ctx.now();
  if (record && record.lockedUntil > now) {
    return limited('too many failed sign-in attempts; try again later', record.lockedUntil - now);
  }
  return null;
}

/** Counts one failure; the one that reaches `maxPasswordFailures` locks for `lockoutSeconds`. */
function recordFailure(ctx: BackendContext, email: string): { remaining: number; locked: Response | null } {
  const { failures } = collections(ctx);
  const now = ctx.now();
  const previous = failures.get(email);
  const count = previous && previous.lockedUntil <= now && previous.lockedUntil !== 0 ? 1 : (previous?.count ?? 0) + 1;
  const max = Math.max(1, ctx.policies.maxPasswordFailures);
  if (count >= max) {
    const lockedUntil = now + ctx.policies.lockoutSeconds * 1000;
    failures.put(email, { count, lockedUntil });
    return { remaining: 0, locked: limited('too many failed sign-in attempts; try again later', lockedUntil - now) };
  }
  failures.put(email, { count, lockedUntil: 0 });
  return { remaining: max - count, locked: null };
}

function checkSendInterval(ctx: BackendContext, email: string): Response | null {
  const last = collections(ctx).sends.get(email);
  const wait = last ? last.at + ctx.policies.sendIntervalSeconds * 1000 - ctx.now() : 0;
  return wait > 0 ? limited('an email was sent to this address recently; try again later', wait) : null;
}

// ── routes ──────────────────────────────────────────────────────────────────

async function signIn(ctx: BackendContext, form: Form): Promise<Response> {
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
  const lock = lockState(ctx, email);
  if (lock) return lock;
  const user = collections(ctx).users.find((u) => u.email === email);
  if (user?.locked) return limited('too many failed sign-in attempts; try again later', ctx.policies.lockoutSeconds * 1000);
  if (user && user.passwordHash === null) {
    return fail(211, 'no_password', 'the account has no password (social sign-in only)', { invalid_fields: { [FORMS.signIn]: [t.noPassword] } });
  }
  // Unknown email and wrong password answer alike (no account enumeration), and both count.
  const good = user ? await verifyPassword(form.currentPassword, user.passwordHash!) : (await verifyPassword(form.currentPassword, DUMMY_HASH), false);
  if (!good || !user) {
    const { remaining, locked } = recordFailure(ctx, email);
    if (locked) return locked;
    // [?] not documented: the attempts left, in error_description only (no field is documented).
    return fail(210, 'invalid_credentials', `some fields are invalid (${remaining} attempt${remaining === 1 ? '' : 's'} left)`, {
      invalid_fields: { [FORMS.signIn]: [t.credentials] },
    });
  }
  collections(ctx).failures.delete(email);
  const nowText = captureTime(ctx.now());
  const updated = { ...user, lastLogin: nowText };
  collections(ctx).users.put(user.uuid, updated);
  // [?] not documented: `is_new` (seen on Janrain social answers) tells sign-in from sign-up.
  return nativeSuccess(ctx, updated, base, { is_new: false });
}

async function register(ctx: BackendContext, form: Form): Promise<Response> {
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
  if (!password) add('newPassword', t.required);
  else if (password.length < JANRAIN_CONFIG.minPasswordLength || !password.trim()) add('newPassword', t.passwordLength);
  else if (password.length > 1024) add('newPassword', t.tooLong);
  if (!form.newPasswordConfirm) add('newPasswordConfirm', t.required);
  else if (password && form.newPasswordConfirm !== password) add('newPasswordConfirm', t.passwordMatch);
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

function nextId(users: Collection<JanrainUser>): number {
  return users.values().reduce((max, u) => Math.max(max, u.id), 1000) + 1;
}

/** forgot_password_native / verify_email_native: email a code and link to the outbox. */
function sendEmail(ctx: BackendContext, form: Form, kind: 'reset_password' | 'verify_email'): Response {
  const base = checkBase(form, kind === 'reset_password' ? FORMS.forgot : FORMS.verify, false);
  if (base instanceof Response) return base;
  const t = MESSAGES[base.locale];
  const fieldName = kind === 'reset_password' ? 'signInEmailAddress' : 'emailAddress';
  // [?] not documented: verify_email_native's field name; the relay's fixture uses emailAddress.
  const raw = form[fieldName] ?? (kind === 'verify_email' ? form.signInEmailAddress : undefined);
  if (!raw?.trim()) return fail(390, 'invalid_form_fields', 'some fields are invalid', { invalid_fields: { [fieldName]: [t.required] } });
  const email = normalizeEmail(raw);
  if (email.length > 254 || !EMAIL.test(email)) return fail(390, 'invalid_form_fields', 'some fields are invalid', { invalid_fields: { [fieldName]: [t.email] } });
  const user = collections(ctx).users.find((u) => u.email === email);
  // 212 is a documented forgot-password outcome [C].
  if (!user) return fail(212, 'no_such_account', 'no account with that email address');
  const wait = checkSendInterval(ctx, email);
  if (wait) return wait;
  const { grants, sends } = collections(ctx);
  // [?] not documented: the code's format and lifetime (otpTtlSeconds); single use, bound to the client.
  const code = randomToken('', 15);
  grants.put(digest(code), { key: digest(code), kind: 'verification_code', uuid: user.uuid, clientId: base.clientId, purpose: kind, expiresAt: ctx.now() + ctx.policies.otpTtlSeconds * 1000 });
  sends.put(email, { at: ctx.now() });
  const link = new URL(base.redirectUri);
  link.searchParams.set('verification_code', code); // [?] not documented: the link's parameter name
  const zh = base.locale === 'zh-CN';
  const text =
    kind === 'reset_password'
      ? zh ? `重置密码：${link}` : `Reset your password: ${link}`
      : zh ? `验证您的电子邮件地址：${link}` : `Verify your email address: ${link}`;
  ctx.outbox.deliver({ backend: 'janrain', channel: 'email', to: email, purpose: kind, code, text });
  return ok({});
}

/** /access/useVerificationCode: no auth [C]; marks the email verified and answers the uuid [T]. */
function useVerificationCode(ctx: BackendContext, form: Form): Response {
  if (!form.verification_code) return missing('verification_code');
  const { grants, users } = collections(ctx);
  const found = lookup(grants, 'verification_code', form.verification_code, ctx.now());
  if (!found) return fail(416, 'verification_code_expired', 'the verification code is expired or invalid');
  grants.delete(found.key); // single use
  const user = users.get(found.grant.uuid);
  if (!user) return fail(416, 'verification_code_expired', 'the verification code is expired or invalid');
  const nowText = captureTime(ctx.now());
  users.put(user.uuid, { ...user, emailVerified: user.emailVerified ?? nowText, lastUpdated: nowText });
  return ok({ uuid: user.uuid });
}

/** Social sign-in needs a Social Login token, which this emulation does not issue. */
function social(form: Form, path: string): Response {
  const base = checkBase(form, null, true);
  if (base instanceof Response) return base;
  if (!form.token) return missing('token');
  // [?] not documented: the exact answers for a bad Social Login token / a missing prior auth_native.
  if (path === '/oauth/register_native') return fail(417, 'creation_token_expired', 'no pending social sign-in for this token; call auth_native first');
  return invalidArgument('token', 'is not a valid Social Login token (social sign-in is not emulated)');
}

function basicClient(request: Request): { id: string; secret: string } | null {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function token(ctx: BackendContext, request: Request, form: Form): Response {
  const client = basicClient(request);
  if (!client) {
    if ((request.headers.get('authorization') ?? '').toLowerCase().startsWith('signature ')) {
      // [?] not documented here: janrain-signed auth is not emulated.
      return fail(205, 'invalid_auth_method', 'janrain-signed authentication is not supported by this emulation; use Basic');
    }
    return fail(402, 'invalid_client_credentials', 'client credentials are required (HTTP Basic)');
  }
  if (client.id === JANRAIN_CONFIG.loginClientId) return fail(403, 'client_permission_error', 'a login_client cannot call /oauth/token');
  if (client.id !== JANRAIN_CONFIG.apiClientId || client.secret !== JANRAIN_CONFIG.apiClientSecret) {
    return fail(402, 'invalid_client_credentials', 'the client id or secret is invalid');
  }
  const { grants, users } = collections(ctx);
  const now = ctx.now();
  if (!form.grant_type) return missing('grant_type');
  if (form.grant_type === 'authorization_code') {
    if (!form.code) return missing('code');
    if (!form.redirect_uri) return missing('redirect_uri');
    const found = lookup(grants, 'authorization_code', form.code, now);
    if (!found) return fail(415, 'authorization_code_expired', 'the authorization code is expired, used or invalid');
    grants.delete(found.key); // single use, even when the redirect_uri is wrong
    if (found.grant.redirectUri !== form.redirect_uri) return fail(420, 'redirect_uri_mismatch', 'redirect_uri does not match the one the code was issued for', { argument_name: 'redirect_uri' });
    if (!users.get(found.grant.uuid)) return fail(415, 'authorization_code_expired', 'the authorization code is expired, used or invalid');
    return ok(tokenPair(ctx, found.grant.uuid, found.grant.clientId, randomToken('', 9)));
  }
  if (form.grant_type === 'refresh_token') {
    if (!form.refresh_token) return missing('refresh_token');
    const found = lookup(grants, 'refresh_token', form.refresh_token, now);
    // [?] not documented: the code for an expired/unknown refresh token; 414 (session_expired kind).
    if (!found || !users.get(found.grant.uuid)) return fail(414, 'access_token_expired', 'the refresh token is expired or invalid');
    if (found.grant.usedAt !== undefined) {
      // Reuse of a rotated refresh token: revoke the whole family.
      for (const grant of grants.values()) if (grant.family === found.grant.family) grants.delete(grant.key);
      return fail(414, 'access_token_expired', 'the refresh token is expired or invalid');
    }
    grants.put(found.key, { ...found.grant, usedAt: now });
    return ok(tokenPair(ctx, found.grant.uuid, found.grant.clientId, found.grant.family ?? randomToken('', 9)));
  }
  return invalidArgument('grant_type', 'must be authorization_code or refresh_token');
}

// A fixed hash so that an unknown email costs one scrypt like a known one (timing).
let DUMMY_HASH = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

// ── the backend ─────────────────────────────────────────────────────────────

const NATIVE_PATHS = new Set([
  '/oauth/auth_native_traditional',
  '/oauth/register_native_traditional',
  '/oauth/forgot_password_native',
  '/oauth/verify_email_native',
  '/oauth/auth_native',
  '/oauth/register_native',
  '/oauth/token',
  '/access/useVerificationCode',
]);

const SEED_PASSWORD = 'demo-password';

export const janrainBackend: Backend = {
  name: 'janrain',
  accounts: [
    { identifier: 'demo@janrain.example', password: SEED_PASSWORD, note: 'verified account; signs in (token or code); registering this email again gives 380' },
    { identifier: 'unverified@janrain.example', password: SEED_PASSWORD, note: 'signs in with capture_user.emailVerified = null (the "verify email" app policy); verify_email_native sends a code to the outbox' },
    { identifier: 'social@janrain.example', note: 'social-only account (no password): password sign-in gives 211 no_password' },
    { identifier: 'locked@janrain.example', password: SEED_PASSWORD, note: 'always locked: sign-in gives 510 api_limit_error' },
    { identifier: 'nobody@janrain.example', note: 'no such account: sign-in gives 210, forgot password gives 212' },
  ],

  async seed(ctx) {
    const { users } = collections(ctx);
    if (DUMMY_HASH.startsWith('scrypt$AAAA')) DUMMY_HASH = await hashPassword(randomToken());
    const created = captureTime(Date.UTC(2024, 0, 1));
    const seeds: Array<Partial<JanrainUser> & { email: string; password: string | null }> = [
      { email: 'demo@janrain.example', password: SEED_PASSWORD, givenName: 'Demo', familyName: 'User', displayName: 'Demo User', emailVerified: created },
      { email: 'unverified@janrain.example', password: SEED_PASSWORD, givenName: 'Una', familyName: 'Verified', displayName: 'Una Verified', emailVerified: null },
      { email: 'social@janrain.example', password: null, givenName: 'Sofia', familyName: 'Social', displayName: 'Sofia Social', emailVerified: created },
      { email: 'locked@janrain.example', password: SEED_PASSWORD, givenName: 'Lock', familyName: 'Ed', displayName: 'Lock Ed', emailVerified: created, locked: true },
    ];
    for (const { password, ...seed } of seeds) {
      if (users.find((u) => u.email === seed.email)) continue;
      const user: JanrainUser = {
        id: nextId(users),
        uuid: randomUUID(),
        passwordHash: password === null ? null : await hashPassword(password),
        givenName: null,
        familyName: null,
        displayName: null,
        emailVerified: null,
        created,
        lastUpdated: created,
        lastLogin: null,
        ...seed,
      };
      users.put(user.uuid, user);
    }
  },

  async handle(request, path, ctx) {
    if (!NATIVE_PATHS.has(path)) return undefined;
    // All calls are POST with form bodies; query parameters are not accepted (§5.1).
    // [?] not documented: the answer to another method; 200 invalid_argument.
    if (request.method !== 'POST') return invalidArgument('method', 'must be POST');
    const body = await readBody(request);
    if ('error' in body) return body.error;
    const { form } = body;
    try {
      switch (path) {
        case '/oauth/auth_native_traditional':
          return await signIn(ctx, form);
        case '/oauth/register_native_traditional':
          return await register(ctx, form);
        case '/oauth/forgot_password_native':
          return sendEmail(ctx, form, 'reset_password');
        case '/oauth/verify_email_native':
          return sendEmail(ctx, form, 'verify_email');
        case '/access/useVerificationCode':
          return useVerificationCode(ctx, form);
        case '/oauth/auth_native':
        case '/oauth/register_native':
          return social(form, path);
        case '/oauth/token':
          return token(ctx, request, form);
      }
    } catch {
      return fail(500, 'unexpected_error', 'an unexpected error occurred');
    }
    return undefined;
  },

  async introspect(accessToken, ctx) {
    const { grants, users } = collections(ctx);
    const found = lookup(grants, 'access_token', accessToken, ctx.now());
    const user = found && users.get(found.grant.uuid);
    return user ? { userId: user.uuid, name: user.displayName ?? user.email } : null;
  },
};
