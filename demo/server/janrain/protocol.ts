// Janrain's wire format (PROVIDERS.md §5.5): failures are HTTP 200 with `stat: "error"`, a numeric
// Registration `code`, `error`, `error_description` and `request_id`; every call is a form-encoded
// POST whose base fields (client, flow, locale, redirect_uri) are checked alike.
import { json, randomToken } from '../kit/index.js';
import { JANRAIN_CONFIG, type Locale } from './model.js';

export type ErrorExtra = { argument_name?: string; invalid_fields?: Record<string, string[]> };

/** HTTP 200 with `stat: "error"` (§5.5). */
export function fail(code: number, error: string, description: string, extra: ErrorExtra = {}, headers: Record<string, string> = {}): Response {
  return json(200, { stat: 'error', code, error, error_description: description, ...extra, request_id: randomToken('', 12) }, headers);
}
export const ok = (body: Record<string, unknown>) => json(200, { stat: 'ok', ...body });

// [?] not documented: `argument_name` is what Capture sends with 100/200 in third-party code.
export const missing = (name: string) => fail(100, 'missing_argument', `missing required argument: ${name}`, { argument_name: name });
export const invalidArgument = (name: string, why: string) => fail(200, 'invalid_argument', `${name} ${why}`, { argument_name: name });

/** 510 carries Retry-After in seconds. [?] not documented: Janrain's 510 names no wait time. */
export function limited(description: string, retryAfterSeconds: number): Response {
  return fail(510, 'api_limit_error', description, {}, { 'retry-after': String(Math.max(1, retryAfterSeconds)) });
}


export type Form = Record<string, string>;

/** Form body → fields; a duplicated field is Janrain's 201 `duplicate_argument`. */
export async function readBody(request: Request): Promise<{ form: Form } | { error: Response }> {
  let text: string;
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
export const MESSAGES: Record<Locale, Record<string, string>> = {
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

export interface Base {
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
export function checkBase(form: Form, expectedForm: string | null, needsResponseType: boolean): Base | Response {
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


export function basicClient(request: Request): { id: string; secret: string } | null {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

