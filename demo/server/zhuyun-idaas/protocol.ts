// Zhuyun (BambooCloud) IDaaS wire format (PROVIDERS.md §4): errors are `{ error_code, error_msg }`
// with HTTP 400 (500 for COM.0002), in the language X-L asks for (zh… → Chinese, else English);
// every call needs the device headers and X-client-id.
import { json } from '../kit/index.js';
import { CLIENT_ID } from './model.js';

export type Lang = 'zh' | 'en';

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
export type ErrorCode = keyof typeof ERRORS;

export function fail(code: ErrorCode, lang: Lang, ...args: Array<string | number>): Response {
  const [status, en, zh] = ERRORS[code];
  const template: string = lang === 'zh' ? zh : en;
  const error_msg = template.replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
  return json(status, { error_code: code, error_msg });
}

export const langOf = (request: Request): Lang => ((request.headers.get('x-l') ?? '').trim().toLowerCase().startsWith('zh') ? 'zh' : 'en');
// [?] not documented: the language without X-L; English here (§4.4's example message is English).

export const header = (request: Request, name: string) => (request.headers.get(name) ?? '').trim();

/** Checks X-client-id and the device headers; returns the client id, or the error response. */
export function checkHeaders(request: Request, lang: Lang): { clientId: string } | Response {
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

export const text = (value: unknown) => (typeof value === 'string' ? value : '');
// [?] not documented: non-string fields count as empty (USER.0004 / USER.0006).
