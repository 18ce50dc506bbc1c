// POST /signup [C] and POST /reset_user_password [C]: Web applications only, with Basic client
// credentials (so a site calls them through its relay), each proving the phone or email with a
// code sent for that usage (`/otp/send` with `usage: signup | reset_password` [C]).
import { hashPassword, readJson, type BackendContext } from '../kit/index.js';
import { collections, findApp, newId, normaliseEmail, normalisePhone, otpTokenExpiresAt, policies, secretMatches, type App, type User } from './model.js';
import { ERR, oauthError, parseBasic, reply, str } from './protocol.js';

/** The Web app behind Basic credentials [C], or null. */
function webApp(request: Request): App | null {
  const basic = parseBasic(request.headers.get('authorization'));
  const app = basic && findApp(basic.id);
  return basic && app && app.type === 'web' && secretMatches(app, basic.secret) ? app : null;
}

// [?] not documented: the texts of these failures and the password policy (8 to 128 characters).
const policyRefused = () => oauthError('invalid_request', 'Password does not meet the password policy');
const exists = () => oauthError('invalid_request', 'User already exists');

type Proven = { channel: 'sms' | 'email'; recipient: string; spend: () => void } | { error: Response };

/**
 * The contact of the body and its code, for `usage` [C]: `phone_number` + `phone_number_otp_token`
 * + `phone_number_otp`, or `email` + `email_otp_token` + `email_otp` (the sample's names; the
 * phone ones by analogy [?]). The same answers as the OTP grant (§3.5 rows 1–3).
 */
function prove(body: Record<string, unknown>, app: App, usage: 'signup' | 'reset_password', ctx: BackendContext): Proven {
  const phone = str(body, 'phone_number');
  const channel = phone ? 'sms' : 'email';
  const field = phone ? 'phone_number' : 'email';
  const raw = str(body, field);
  if (!raw) return { error: ERR.missing('phone_number or email') };
  const recipient = channel === 'sms' ? normalisePhone(raw) : normaliseEmail(raw);
  if (!recipient) return { error: ERR.invalid(field) };
  const token = str(body, `${field}_otp_token`);
  if (!token) return { error: ERR.missing(`${field}_otp_token`) };
  const otp = str(body, `${field}_otp`);
  if (!otp) return { error: ERR.missing(`${field}_otp`) };
  const { codes } = policies(ctx);
  const record = codes.get(token);
  if (!record || record.usedAt !== undefined || otpTokenExpiresAt(ctx, record) <= ctx.now()) return { error: ERR.otpToken() };
  const sent = record.data;
  if (record.purpose !== usage || sent.clientId !== app.clientId || sent.channel !== channel || sent.recipient !== recipient) return { error: ERR.mismatch() };
  if (codes.verify(token, otp, { spend: false }).status !== 'ok') return { error: ERR.otp() };
  return { channel, recipient, spend: () => codes.spend(token) };
}

const acceptable = (password: string) => password.length >= 8 && password.length <= 128;

/** POST /signup [C]: a new user with the proven phone or email, an optional password and profile fields. */
export async function signUp(request: Request, ctx: BackendContext): Promise<Response> {
  const app = webApp(request);
  if (!app) return ERR.client();
  const body = await readJson(request);
  if (!body) return ERR.malformed();
  const password = str(body, 'password');
  if (password !== undefined && !acceptable(password)) return policyRefused();
  const proven = prove(body, app, 'signup', ctx);
  if ('error' in proven) return proven.error;
  const { users } = collections(ctx);
  const username = str(body, 'username')?.trim().toLowerCase();
  const taken = users.find((u) => (proven.channel === 'sms' ? u.phone === proven.recipient : u.email === proven.recipient) || (!!username && u.username === username));
  if (taken) return exists();
  const user: User = {
    id: newId(),
    status: 'normal',
    createdAt: ctx.now(),
    ...(proven.channel === 'sms' ? { phone: proven.recipient } : { email: proven.recipient }),
    ...(username ? { username } : {}),
    ...(str(body, 'nickname') ? { name: str(body, 'nickname') } : {}),
    ...(password ? { passwordHash: await hashPassword(password) } : {}),
  };
  users.put(user.id, user);
  proven.spend();
  // [?] not documented: the answer. "This API does not handle automatic sign-in" [C]: no tokens.
  return reply(200, { user_id: user.id });
}

/** POST /reset_user_password [C]: the new `password` for the user of the proven phone or email. */
export async function resetPassword(request: Request, ctx: BackendContext): Promise<Response> {
  const app = webApp(request);
  if (!app) return ERR.client();
  const body = await readJson(request);
  if (!body) return ERR.malformed();
  const password = str(body, 'password');
  if (!password) return ERR.missing('password');
  if (!acceptable(password)) return policyRefused();
  const proven = prove(body, app, 'reset_password', ctx);
  if ('error' in proven) return proven.error;
  const { users } = collections(ctx);
  const user = users.find((u) => (proven.channel === 'sms' ? u.phone === proven.recipient : u.email === proven.recipient));
  // [?] not documented: a code sent to an address no user has; the send itself did not tell.
  if (!user) return ERR.userNotFound();
  users.put(user.id, { ...user, passwordHash: await hashPassword(password) });
  // A new password ends a lock-out after wrong passwords (not a frozen status).
  policies(ctx).lockout.reset(user.id);
  proven.spend();
  // [?] not documented: the success body.
  return reply(200, {});
}
