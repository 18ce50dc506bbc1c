// POST /otp/send (JSON, Basic client credentials) and the OTP grants of POST /oauth2/token. The
// interval, attempts and lifetime of a code are the kit issuer's (model.ts gives the numbers).
import { randomToken, readJson, type BackendContext } from '../kit/index.js';
import { associatedSource, collections, findApp, isAbnormal, newId, normaliseEmail, normalisePhone, otpTokenExpiresAt, policies, secretMatches, type App, type User } from './model.js';
import { ERR, oauthError, parseBasic, reply, str, truthy } from './protocol.js';
import { issueTokens } from './tokens.js';

export const OTP_SMS = 'http://tencentciam.com/oauth2/grant-type/otp/sms';
export const OTP_EMAIL = 'http://tencentciam.com/oauth2/grant-type/otp/email';

const USAGES = new Set(['login', 'signup', 'update_userinfo', 'reset_password']);

export async function sendOtp(request: Request, ctx: BackendContext): Promise<Response> {
  // Authorization: Basic base64(urlenc(client_id):urlenc(client_secret)) [C].
  const basic = parseBasic(request.headers.get('authorization'));
  const app = basic && findApp(basic.id);
  if (!basic || !app || !secretMatches(app, basic.secret)) return ERR.client();

  const body = await readJson(request);
  if (!body) return ERR.malformed();

  const usage = body.usage === undefined ? 'login' : str(body, 'usage');
  if (!usage || !USAGES.has(usage)) return ERR.invalid('usage');

  const rawPhone = str(body, 'phone_number');
  const rawEmail = str(body, 'email');
  if (!rawPhone && !rawEmail) return ERR.missing('phone_number or email');
  if (rawPhone && rawEmail) return ERR.invalid('phone_number and email are exclusive'); // [?]
  const channel = rawPhone ? 'sms' : 'email';
  const recipient = rawPhone ? normalisePhone(rawPhone) : normaliseEmail(rawEmail!);
  if (!recipient) return ERR.invalid(rawPhone ? 'phone_number' : 'email');

  // auth_source_id is required for login [C]; for other usages it is optional [?].
  const authSourceId = str(body, 'auth_source_id') ?? null;
  if (usage === 'login' && !authSourceId) return ERR.missing('auth_source_id');
  if (authSourceId && !associatedSource(app, authSourceId, channel)) return ERR.authSource();

  const issued = policies(ctx).codes.issue({ target: `${channel}:${recipient}`, purpose: usage, id: randomToken('', 32), data: { clientId: app.clientId, authSourceId, channel, recipient } });
  if (!issued.sent) {
    // [?] not documented: the rate-limit body (§3.6 q1). 429 + Retry-After with an OAuth-style body.
    return oauthError('too_many_requests', 'OTP send frequency limit exceeded, try again later', 429, { 'retry-after': String(issued.retryAfterSeconds) });
  }
  const { id: token, code } = issued;
  const ttl = ctx.policies.otpTtlSeconds;
  const minutes = Math.max(1, Math.round(ttl / 60));
  ctx.outbox.deliver({
    backend: 'tencent-ciam',
    channel,
    to: recipient,
    purpose: usage,
    code,
    text: `[Tencent CIAM] Your verification code is ${code}. It is valid for ${minutes} minute${minutes === 1 ? '' : 's'}. Do not share it.`,
  });
  // [?] not documented: the success body (§3.6 q1). The token doc only says otp_token is returned.
  return reply(200, { otp_token: token, expires_in: ttl });
}

/** grant_type = …/otp/sms | …/otp/email, JSON body [C]. `app` is the authenticated client. */
export async function otpGrant(body: Record<string, unknown>, app: App, grantType: string, ctx: BackendContext): Promise<Response> {
  const channel = grantType === OTP_SMS ? 'sms' : 'email';
  const authSourceId = str(body, 'auth_source_id');
  if (!authSourceId) return ERR.missing('auth_source_id');
  if (!associatedSource(app, authSourceId, channel)) return ERR.authSource();
  const field = channel === 'sms' ? 'phone_number' : 'email';
  const raw = str(body, field);
  if (!raw) return ERR.missing(field);
  const otpToken = str(body, 'otp_token');
  if (!otpToken) return ERR.missing('otp_token');
  const otp = str(body, 'otp');
  if (!otp) return ERR.missing('otp');

  const now = ctx.now();
  const { users } = collections(ctx);
  const { codes } = policies(ctx);
  const record = codes.get(otpToken);
  if (!record || record.usedAt !== undefined || otpTokenExpiresAt(ctx, record) <= now) return ERR.otpToken();

  // Every send parameter must match: client_id, auth_source_id, the recipient, the channel [C].
  const recipient = channel === 'sms' ? normalisePhone(raw) : normaliseEmail(raw);
  const sent = record.data;
  if (sent.clientId !== app.clientId || sent.channel !== channel || sent.recipient !== recipient || sent.authSourceId !== authSourceId) return ERR.mismatch();
  // [?] a code sent for update_userinfo / reset_password cannot be used to sign in.
  if (record.purpose !== 'login' && record.purpose !== 'signup') return ERR.mismatch();

  // Wrong, expired and burnt (after otpMaxAttempts wrong ones) all answer the one §3.5 row.
  if (codes.verify(otpToken, otp, { spend: false }).status !== 'ok') return ERR.otp();

  let user = users.find((u) => (channel === 'sms' ? u.phone === recipient : u.email === recipient));
  if (!user) {
    // [?] the code stays valid, so the caller may retry with auto_signup: true.
    if (!truthy(body.auto_signup)) return ERR.userNotFound();
    const created: User = { id: newId(), status: 'normal', createdAt: now, ...(channel === 'sms' ? { phone: recipient } : { email: recipient }) };
    users.put(created.id, created);
    user = created;
  }
  if (isAbnormal(ctx, user)) return ERR.abnormal();

  codes.spend(otpToken); // single use
  return issueTokens(ctx, user, app.clientId, { scope: 'openid', authTime: now });
}
