import { baseUrlOf, zhuyunIdaasFacts } from '../../backends/facts.js';
import { AuthError, type Adapter, type AdapterContext, type HttpResponse, type PasswordCredentials, type PasswordPolicy, type SignInOutcome, type StepRequest, type TokenSet, type User } from '../../contract/index.js';
import { decodeJwt } from '../../core/util/jwt.js';
import { checkPassword } from '../../core/util/password-policy.js';
import { userFromClaims } from '../../core/util/session.js';
import { readString, transportFailure } from '../shared/responses.js';
import { checkConfiguration } from '../../backends/check.js';
import { deviceHeaders, languageHeader, randomDeviceId } from './device.js';
import { zhuyunError } from './errors.js';
import { zhuyunIdaasSettings, type ZhuyunIdaasSettings } from '../../backends/zhuyun-idaas.js';

export type { ZhuyunIdaasSettings };

type PasswordChange = Extract<StepRequest, { kind: 'password_change' }>;

/** The opaque `context` of a password step: the backend's state token. */
interface StepContext {
  stateToken: string;
}

const PATHS = {
  login: '/api/v2/sdk/login/mobile-pwd',
  skip: '/api/v2/sdk/pwd/skip-update',
  update: '/api/v2/sdk/pwd/update',
} as const;

/**
 * Zhuyun / BambooCloud IDaaS CIAM: mobile number + password with the four login statuses
 * (`SUCCESS`, `PASSWORD_WARN`, `PASSWORD_EXPIRED`, `ACCESS_DENIED`), called directly where the
 * tenant allows CORS, else through the relay (same wire format). Sign-out is local only.
 *
 * @example
 * createAuthClient({ provider: zhuyunIdaasProvider({ baseUrl: 'https://acme.bccastle.com', clientId: 'nTo1e…' }) });
 */
export function zhuyunIdaasProvider(settings: ZhuyunIdaasSettings): Adapter {
  const baseUrl = baseUrlOf(settings.baseUrl);
  const configError = checkConfiguration(zhuyunIdaasSettings, settings, { baseUrl });
  const { key, capabilities } = zhuyunIdaasFacts(settings);
  // A fresh id per provider when the page gives none: stable for this page's life only.
  const headers = deviceHeaders({
    clientId: settings.clientId ?? '',
    deviceId: settings.deviceId?.trim() || randomDeviceId(),
    tenantId: settings.tenantId,
  });

  /**
   * Every call: the device headers and `X-L` in the person's language of this call; never an
   * automatic resend (each one spends or checks something).
   */
  async function call(path: string, ctx: AdapterContext, init: { method: 'GET' | 'POST'; body?: object; stateToken?: string }): Promise<HttpResponse> {
    const extra: Record<string, string> = { 'x-l': languageHeader(ctx.lang) };
    if (init.stateToken) extra['x-state-token'] = init.stateToken;
    return ctx.http({ url: `${baseUrl}${path}`, method: init.method, headers: { ...headers, ...extra }, body: init.body, signal: ctx.signal, retry: false });
  }

  return {
    type: 'zhuyun-idaas',
    capabilities,
    key,
    configError,

    async signInWithPassword(credentials: PasswordCredentials, ctx) {
      const mobile = toMobile(credentials.phone ?? credentials.username ?? '');
      // Empty fields are sent as they are: the backend's USER.0004 / USER.0006 say which one.
      const response = await call(PATHS.login, ctx, { method: 'POST', body: { mobile, password: credentials.password ?? '' } });
      return loginOutcome(response);
    },

    async changePassword(step, passwords, ctx) {
      // The AuthClient checks too; this keeps a direct caller from sending what must fail.
      const broken = checkPassword(passwords.newPassword ?? '', step.policy);
      if (broken) throw new AuthError('password_policy', { providerCode: broken, invalid: { newPassword: broken }, policy: step.policy });
      const response = await call(PATHS.update, ctx, {
        method: 'POST',
        stateToken: stateToken(step),
        body: { old_password: passwords.oldPassword ?? '', new_password: passwords.newPassword ?? '' },
      });
      // [?] The success answer of /pwd/update is not documented: a login-shaped SUCCESS is used
      // as a session; any other 200 means "changed", and the client signs in again.
      if (response.status === 200 && changedOnly(response)) return null;
      return loginOutcome(response);
    },

    async skipPasswordChange(step, ctx) {
      if (step.required) throw new AuthError('password_expired', { providerCode: 'PASSWORD_EXPIRED' });
      const response = await call(PATHS.skip, ctx, { method: 'GET', stateToken: stateToken(step) });
      return loginOutcome(response);
    },
  };
}

/**
 * The backend's mobile format is the national number (`15200000000`, §4.4); the form gives
 * E.164. Mainland numbers lose `+86`; others are sent as typed.
 */
// [?] The docs are silent on numbers outside mainland China (+852, +1…).
export function toMobile(phone: string): string {
  const compact = phone.replace(/[\s()-]/g, '');
  return compact.startsWith('+86') ? compact.slice(3) : compact.startsWith('0086') ? compact.slice(4) : compact;
}

/** A 200 that is empty, or an object with neither a status nor an error code. */
function changedOnly(response: HttpResponse): boolean {
  const { body } = response;
  if (body === undefined) return !response.text.trim();
  return typeof body === 'object' && body !== null && !readString(body, 'status') && !readString(body, 'error_code');
}

function stateToken(step: PasswordChange): string {
  const context = step.context as Partial<StepContext> | null;
  if (!context?.stateToken) throw new AuthError('session_expired');
  return context.stateToken;
}

/** Reads a login-shaped answer (login, skip-update, update): tokens, a password step, or the mapped error. */
export function loginOutcome(response: HttpResponse): SignInOutcome {
  const body = response.body as Record<string, unknown> | undefined;
  if (response.status !== 200 || readString(body, 'error_code')) throw zhuyunError(response);
  const early = transportFailure(response);
  if (early) throw early;
  const status = readString(body, 'status');
  switch (status) {
    case 'SUCCESS':
      return tokensFrom(response);
    case 'PASSWORD_WARN':
    case 'PASSWORD_EXPIRED': {
      const token = readString(body, 'state_token');
      if (!token) throw new AuthError('server', { status: 200, providerCode: status });
      const step: PasswordChange = { kind: 'password_change', required: status === 'PASSWORD_EXPIRED', context: { stateToken: token } satisfies StepContext };
      const policy = parsePolicy(body?.data);
      if (policy) step.policy = policy;
      return step;
    }
    case 'ACCESS_DENIED':
      // §4.5: account_disabled (tentative); the body shape is [?] (§4.6 q5): only `status` is read.
      throw new AuthError('account_disabled', { providerCode: 'ACCESS_DENIED', status: 200 });
    default:
      // [?] Only four statuses are documented (§4.6 q3: an MFA status may exist).
      throw new AuthError('unsupported', { providerCode: status ?? 'no_status', status: 200 });
  }
}

function tokensFrom(response: HttpResponse): TokenSet {
  const body = response.body as Record<string, unknown>;
  const sessionToken = readString(body, 'session_token');
  if (!sessionToken) throw new AuthError('server', { status: response.status, providerCode: 'SUCCESS' });
  // DESIGN.md: access_token is the session_token, expires_in its `expire` (seconds).
  const tokens: TokenSet = { access_token: sessionToken, token_type: 'Bearer' };
  const expire = Number(body.expire);
  // [?] No `expire` is undocumented; the client then falls back to its default lifetime.
  if (Number.isFinite(expire) && expire > 0) tokens.expires_in = expire;
  const idToken = readString(body, 'id_token');
  if (idToken) {
    tokens.id_token = idToken;
    const user = userFromIdToken(idToken);
    if (user) tokens.user = user;
  }
  return tokens;
}

/**
 * `user.id` is the id_token's `sub`. bccastle's id_token example packs the profile into an
 * `api` claim holding a JSON string ({name, mobile, id, userName, email}); it is unpacked.
 */
// [?] The CIAM id_token's claims are not documented; only `sub` is relied on.
export function userFromIdToken(idToken: string): User | null {
  const claims = decodeJwt(idToken);
  const user = userFromClaims(claims);
  if (!user || typeof claims?.api !== 'string') return user;
  delete user.api;
  try {
    const profile = JSON.parse(claims.api) as Record<string, unknown>;
    if (typeof profile.name === 'string' && profile.name) user.name ??= profile.name;
    if (typeof profile.email === 'string' && profile.email) user.email ??= profile.email;
    if (typeof profile.userName === 'string' && profile.userName) user.username ??= profile.userName;
    // `+86-13800000010` → E.164, the shape the rest of the widget uses.
    if (typeof profile.mobile === 'string' && profile.mobile) user.phone ??= profile.mobile.replace(/[\s-]/g, '');
  } catch {
    // An unreadable profile claim leaves the user with its id only.
  }
  return user;
}

/** `data` is a JSON string (§4.1) `{ minLength, maxLength, regEx, tip }`; an object is accepted too. */
export function parsePolicy(data: unknown): PasswordPolicy | undefined {
  let raw: unknown = data;
  if (typeof data === 'string') {
    try {
      raw = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const source = raw as Record<string, unknown>;
  const policy: PasswordPolicy = {};
  const min = Number(source.minLength), max = Number(source.maxLength);
  if (source.minLength !== undefined && Number.isFinite(min)) policy.minLength = min;
  if (source.maxLength !== undefined && Number.isFinite(max)) policy.maxLength = max;
  if (typeof source.regEx === 'string' && source.regEx) policy.pattern = source.regEx;
  if (typeof source.tip === 'string' && source.tip) policy.tip = source.tip;
  return Object.keys(policy).length ? policy : undefined;
}
