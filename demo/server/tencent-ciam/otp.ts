// POST /otp/send (JSON, Basic client credentials) and the OTP grants of POST /oauth2/token.
import { randomCode, readJson, type BackendContext } from '../kit/index.js';
import {
  ERR,
  associatedSource,
  collections,
  findApp,
  hash,
  isAbnormal,
  newId,
  normaliseEmail,
  normalisePhone,
  oauthError,
  parseBasic,
  randomToken,
  reply,
  secretMatches,
  str,
  truthy,
  type App,
  type User,
} from './shared.js';
import { issueTokens } from './tokens.js';

export const OTP_SMS = 'http://tencentciam.com/oauth2/grant-type/otp/sms';
export const OTP_EMAIL = 'http://tencentciam.com/oauth2/grant-type/otp/email';

const USAGES = new Set(['login', 'signup', 'update_userinfo', 'reset_password']);
// [?] not documented: how long the otp_token itself stays known after its code expired. It is kept
// for a second TTL so that an expired code answers "Unknown or expired OTP" and only a token past
// that answers "Unknown or expired otp_token" (both rows of §3.5 stay reachable).
const TOKEN_TTL_FACTOR = 2;

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

  const now = ctx.now();
  const { otps, lastSend } = collections(ctx);
  const interval = ctx.policies.sendIntervalSeconds * 1000;
  const last = lastSend.get(`${channel}:${recipient}`);
  if (last && now - last.at < interval) {
    const retryAfter = Math.max(1, Math.ceil((last.at + interval - now) / 1000));
    // [?] not documented: the rate-limit body (§3.6 q1). 429 + Retry-After with an OAuth-style body.
    return oauthError('too_many_requests', 'OTP send frequency limit exceeded, try again later', 429, { 'retry-after': String(retryAfter) });
  }
  lastSend.put(`${channel}:${recipient}`, { at: now });

  const ttl = ctx.policies.otpTtlSeconds;
  const code = randomCode(6);
  const token = randomToken('', 32);
  otps.put(token, {
    token,
    clientId: app.clientId,
    authSourceId,
    channel,
    recipient,
    usage,
    codeSha256: hash(`${token}:${code}`),
    sentAt: now,
    codeExpiresAt: now + ttl * 1000,
    tokenExpiresAt: now + ttl * 1000 * TOKEN_TTL_FACTOR,
    attempts: 0,
    burnt: false,
  });
  for (const old of otps.values()) if (old.tokenExpiresAt <= now) otps.delete(old.token);

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
  const { otps, users } = collections(ctx);
  const record = otps.get(otpToken);
  if (!record || record.tokenExpiresAt <= now) return ERR.otpToken();

  // Every send parameter must match: client_id, auth_source_id, the recipient, the channel [C].
  const recipient = channel === 'sms' ? normalisePhone(raw) : normaliseEmail(raw);
  if (record.clientId !== app.clientId || record.channel !== channel || record.recipient !== recipient || record.authSourceId !== authSourceId) return ERR.mismatch();
  // [?] a code sent for update_userinfo / reset_password cannot be used to sign in.
  if (record.usage !== 'login' && record.usage !== 'signup') return ERR.mismatch();

  if (record.burnt || record.codeExpiresAt <= now) return ERR.otp();
  if (hash(`${otpToken}:${otp}`) !== record.codeSha256) {
    record.attempts += 1;
    if (record.attempts >= ctx.policies.otpMaxAttempts) record.burnt = true;
    otps.put(otpToken, record);
    return ERR.otp();
  }

  let user = users.find((u) => (channel === 'sms' ? u.phone === recipient : u.email === recipient));
  if (!user) {
    // [?] the code stays valid, so the caller may retry with auto_signup: true.
    if (!truthy(body.auto_signup)) return ERR.userNotFound();
    const created: User = { id: newId(), status: 'normal', failures: 0, createdAt: now, ...(channel === 'sms' ? { phone: recipient } : { email: recipient }) };
    users.put(created.id, created);
    user = created;
  }
  if (isAbnormal(user, now)) return ERR.abnormal();

  otps.delete(otpToken); // single use
  return issueTokens(ctx, user, app.clientId, { scope: 'openid', authTime: now });
}
