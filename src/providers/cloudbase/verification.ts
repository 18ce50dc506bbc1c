import { AuthError, type AdapterContext, type Channel, type OtpChallenge } from '../../contract/index.js';
import type { CloudbaseApi } from './api.js';
import { cloudbasePhone } from './phone.js';

/** What the code's next call needs; in memory only (it may hold the password of a sign-up). */
export interface VerificationContext {
  /** Null for a recovery code that was never sent (the account is unknown, and that stays unsaid). */
  verificationId: string | null;
  isUser: boolean;
  channel: Channel;
  phone_number?: string;
  email?: string;
  /** Present when the code verifies a sign-up: the profile and password `/signup` is given. */
  signUp?: { password?: string; username?: string; name?: string };
  /** Kept after a successful verify so that a failed final step can be tried again. */
  verificationToken?: string;
}

export interface SendOptions {
  /** "USER": only to a contact of an existing account (shouldCreateUser: false, recovery). */
  target?: 'USER';
  /** An email's `usage` (§6.2 [C]): "email" (default), "recovery", "reauthentication". A phone's send has none. */
  usage?: 'email' | 'recovery' | 'reauthentication';
  /** The person's access token, for a code to their new contact. Default: the Publishable Key, if any. */
  bearer?: string;
  signUp?: VerificationContext['signUp'];
}

/** `/verification`: the first of the three steps of every code (PROVIDERS.md §6.2). */
export async function sendCode(api: CloudbaseApi, contact: { phone?: string; email?: string }, channel: Channel, options: SendOptions, ctx: AdapterContext): Promise<OtpChallenge & { context: VerificationContext }> {
  const given = (channel === 'sms' ? contact.phone : contact.email)?.trim();
  if (!given) throw new AuthError('invalid_request', { invalid: channel === 'sms' ? { phone: 'required' } : { email: 'required' } });
  const to = channel === 'sms' ? { phone_number: cloudbasePhone(given) } : { email: given };
  const body = { ...to, ...(channel === 'email' ? { usage: options.usage ?? 'email' } : {}), ...(options.target ? { target: options.target } : {}) };
  const answer = await api.call('/verification', { body, bearer: options.bearer ?? api.sender() }, ctx);
  if (typeof answer.verification_id !== 'string' || !answer.verification_id) throw new AuthError('server', { status: 200 });
  const context: VerificationContext = { verificationId: answer.verification_id, isUser: answer.is_user === true, channel, ...to, ...(options.signUp ? { signUp: options.signUp } : {}) };
  const expiresIn = Number(answer.expires_in);
  // [?] CloudBase does not say how long to wait before resending, so no resendAfter.
  return { channel, ...(expiresIn > 0 ? { expiresIn } : {}), context };
}

/** `/verification/verify`: the code for a single-use verification_token. */
export async function verifyCode(api: CloudbaseApi, verificationId: string, code: string, ctx: AdapterContext): Promise<string> {
  const verified = await api.call('/verification/verify', { body: { verification_id: verificationId, verification_code: code } }, ctx);
  if (typeof verified.verification_token !== 'string' || !verified.verification_token) throw new AuthError('server', { status: 200 });
  return verified.verification_token;
}
