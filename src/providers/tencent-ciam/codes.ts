// Tencent CIAM's one-time codes, all sent through the relay (`/otp/send` is for Web apps, with
// Basic credentials [C]) for one of the documented usages [C]: `login` (then the OTP grant),
// `signup` (then `/signup` [C]) and `reset_password` (then `/reset_user_password` [C]). Both of
// the latter are Web-app calls with Basic credentials too, so they go through the relay as well.
import { AuthError, isAuthError, type AdapterContext, type OtpChallenge, type RecoveryRequest, type SignUpParams, type StepRequest } from '../../contract/index.js';
import { readString, transportFailure } from '../shared/responses.js';
import { ciamError } from './errors.js';

type Step<K extends StepRequest['kind']> = Extract<StepRequest, { kind: K }>;
export type Usage = 'login' | 'signup' | 'reset_password';

/** What the adapter keeps between the send and what follows (opaque to everyone else). */
export interface OtpContext {
  usage: Usage;
  otpToken: string;
  channel: 'sms' | 'email';
  /** Only for `login` [C]. */
  authSourceId?: string;
  /** The identifier exactly as sent: what follows must repeat it [C]. */
  recipient: string;
  autoSignup?: boolean;
  /** Epoch ms at which the code itself expires by this device's clock, when the send said. */
  expiresAt?: number;
}

// A sign-up's password waits here, keyed by its step's context, never in the step itself.
const pendingPasswords = new WeakMap<OtpContext, string>();

/**
 * [?] Number format: the docs show bare mainland numbers (`13612345678`); other regions are
 * sent as `+CC…` (E.164), which the docs do not show.
 */
export function ciamPhone(e164: string): string {
  const compact = e164.replace(/[\s\-()]/g, '');
  const mainland = /^\+?86(1\d{10})$/.exec(compact);
  return mainland ? mainland[1] : compact;
}

/** The contact of a request as the backend takes it: `phone_number` or `email`. */
function contactOf(request: { phone?: string; email?: string }): { channel: 'sms' | 'email'; recipient: string } {
  const phone = request.phone?.trim() ? ciamPhone(request.phone) : '';
  if (phone) return { channel: 'sms', recipient: phone };
  const email = request.email?.trim() ?? '';
  if (!email) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
  return { channel: 'email', recipient: email };
}

/** The proof of a contact that `/signup` and `/reset_user_password` take [C]. */
function proof(context: OtpContext, code: string): Record<string, string> {
  const field = context.channel === 'sms' ? 'phone_number' : 'email';
  // `email`, `email_otp_token`, `email_otp` [C sample]; the phone ones by analogy [?].
  return { [field]: context.recipient, [`${field}_otp_token`]: context.otpToken, [`${field}_otp`]: code };
}

export function codeCalls(relay: string) {
  async function post(path: string, body: Record<string, unknown>, ctx: AdapterContext, call: Parameters<typeof ciamError>[1]) {
    // Each of these sends a code or changes an account: never resent on our own.
    const response = await ctx.http({ url: `${relay}${path}`, method: 'POST', body, signal: ctx.signal, retry: false });
    if (response.status !== 200) throw ciamError(response, call);
    return response;
  }

  /** POST /otp/send through the relay, which adds the Basic credentials [C] (1148/51475). */
  async function send(usage: Usage, to: { channel: 'sms' | 'email'; recipient: string }, ctx: AdapterContext, authSourceId?: string): Promise<OtpChallenge> {
    const body: Record<string, unknown> = { usage, [to.channel === 'sms' ? 'phone_number' : 'email']: to.recipient };
    // auth_source_id goes with a login code [C]; the sign-up and reset examples have none.
    if (authSourceId) body.auth_source_id = authSourceId;
    const response = await post('/otp/send', body, ctx, 'send');
    // [?] §3.6 q1: the success body is undocumented beyond "otp_token is returned"; the
    // reference server adds `expires_in` (seconds), used when present.
    const otpToken = readString(response.body, 'otp_token');
    if (!otpToken) throw transportFailure(response) ?? new AuthError('server', { status: response.status });
    const expiresIn = Number((response.body as Record<string, unknown>).expires_in);
    const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined;
    const context: OtpContext = { usage, otpToken, channel: to.channel, recipient: to.recipient, ...(authSourceId ? { authSourceId } : {}), ...(lifetime ? { expiresAt: Date.now() + lifetime * 1000 } : {}) };
    // [?] The resend interval is not documented (the server answers 429 + Retry-After).
    return { channel: to.channel, ...(lifetime ? { expiresIn: lifetime } : {}), context };
  }

  return {
    send,

    /** A sign-up code to the phone or email (`usage: signup` [C]); the account is made once it is typed. */
    async signUp(params: SignUpParams, ctx: AdapterContext): Promise<Step<'verify_sign_up'>> {
      const to = contactOf(params);
      const challenge = await send('signup', to, ctx);
      if (params.password) pendingPasswords.set(challenge.context as OtpContext, params.password);
      const step: Step<'verify_sign_up'> = { kind: 'verify_sign_up', channel: challenge.channel, context: challenge.context };
      if (challenge.expiresIn !== undefined) step.expiresIn = challenge.expiresIn;
      return step;
    },

    /**
     * POST /signup through the relay [C]: the proven contact and the password. "This API does not
     * handle automatic sign-in" [C]: the caller signs in with the password afterwards.
     */
    async completeSignUp(context: OtpContext, code: string, ctx: AdapterContext): Promise<{ identifier: { phone?: string; email?: string }; password?: string }> {
      const password = pendingPasswords.get(context);
      await post('/signup', { ...proof(context, code), ...(password ? { password } : {}) }, ctx, 'signup');
      pendingPasswords.delete(context);
      return { identifier: context.channel === 'sms' ? { phone: context.recipient } : { email: context.recipient }, password };
    },

    /** A reset code (`usage: reset_password` [C]); no `expiresIn` in the step, which would be a tell. */
    async startRecovery(request: RecoveryRequest, ctx: AdapterContext): Promise<Step<'recovery'>> {
      const challenge = await send('reset_password', contactOf(request), ctx);
      return { kind: 'recovery', stage: 'verify', delivery: 'code', channel: challenge.channel, context: challenge.context };
    },

    /**
     * POST /reset_user_password through the relay [C]: the proven contact and the new password.
     * The client then signs in with it. A code sent to an address no account has is refused the
     * way a wrong code is: the answer never tells whether an account exists.
     */
    async completeRecovery(step: Step<'recovery'>, newPassword: string, ctx: AdapterContext, code?: string): Promise<null> {
      const context = step.context as OtpContext | undefined;
      if (context?.usage !== 'reset_password') throw new AuthError('code_expired', { providerCode: 'no_code_sent' });
      if (!code) throw new AuthError('invalid_code', { invalid: { code: 'required' } });
      try {
        await post('/reset_user_password', { ...proof(context, code), password: newPassword }, ctx, 'reset');
      } catch (error) {
        if (isAuthError(error) && error.code === 'user_not_found') throw new AuthError('invalid_code', { status: error.status });
        throw error;
      }
      return null;
    },
  };
}
