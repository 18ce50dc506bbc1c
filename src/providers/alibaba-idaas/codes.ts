// Everything Alibaba IDaaS does with a code sent by SMS or email: code sign-in
// (`/login/obtain_code`, `/login/verify_code` [T]), registration (`/register/obtain_code`,
// `/register/submit` [T]+[S]) and password recovery (`newPassword` [S]; its paths [?]).
import { AuthError, isAuthError, type AdapterContext, type OtpChallenge, type OtpRequest, type RecoveryRequest, type SignInOutcome, type SignUpParams, type StepRequest } from '../../contract/index.js';
import { readString } from '../shared/responses.js';
import type { CiamCalls } from './calls.js';
import { splitPhone, type Data } from './wire.js';

type Step<K extends StepRequest['kind']> = Extract<StepRequest, { kind: K }>;

/**
 * [?] The password-recovery paths. The vendor documents password recovery as an authentication
 * operation [C] (api-overview) and the seed gives `newPassword` "set during password recovery"
 * [S], but the recovery section of the authentication-interface page could not be read; these
 * paths follow the documented registration pair (`…/obtain_code`, `…/submit`). The reference
 * server answers them; replace them here and in the relay's allowlist once the real ones are known.
 */
export const RECOVERY_PATHS = { send: '/forget/obtain_code', submit: '/forget/submit' } as const;

type Purpose = 'login' | 'register' | 'forget';

/** The contact a code goes to, as the backend takes it [T]. */
type Contact = { type: 'SMS' | 'EMAIL'; phoneRegion?: string; phoneNumber?: string; email?: string };

/** A one-time code's handle: the flow and the contact, never shown to anyone. */
interface OtpContext extends Contact {
  purpose: Purpose;
  fId?: string;
  /** Recovery for a contact the backend does not know: no code was sent, any code is wrong. */
  unknown?: true;
}

// A registration password waits here, keyed by its step's context, so that logging or
// serializing a step can never show it; it lives exactly as long as the step (memory).
const pendingPasswords = new WeakMap<OtpContext, string>();

export function codeCalls(calls: CiamCalls, region: string) {
  function contact(channel: 'sms' | 'email', phone: string | undefined, email: string | undefined): Contact {
    if (channel === 'sms') {
      if (!phone?.trim()) throw new AuthError('invalid_request', { invalid: { phone: 'required' } });
      return { type: 'SMS', ...splitPhone(phone, region) };
    }
    if (!email?.trim()) throw new AuthError('invalid_request', { invalid: { email: 'required' } });
    // Only the email: the community SDK's bug of sending it as phoneRegion is not copied (§2.6 q6).
    return { type: 'EMAIL', email: email.trim() };
  }

  /** `…/obtain_code` for `purpose`; `fId` continues a flow (the seed's registration example carries one). */
  async function sendCode(purpose: Purpose, to: Contact, ctx: AdapterContext, fId?: string): Promise<OtpChallenge> {
    const path = purpose === 'forget' ? RECOVERY_PATHS.send : `/${purpose}/obtain_code`;
    let data: Data;
    try {
      data = await calls.post(path, fId ? { fId, ...to } : { ...to }, ctx);
    } catch (error) {
      // [?] Params.Illegal names no parameter; on a send the contact is the only one the person typed.
      if (isAuthError(error) && error.providerCode === 'Params.Illegal') {
        const invalid = to.type === 'SMS' ? { phone: 'invalid_phone' as const } : { email: 'invalid_email' as const };
        throw new AuthError(error.code, { providerCode: error.providerCode, status: error.status, invalid });
      }
      throw error;
    }
    // [?] the answer of obtain_code is undocumented; the reference server gives `fId` and `expiresIn`.
    const context: OtpContext = { purpose, ...to };
    const flow = readString(data, 'fId') ?? fId;
    if (flow) context.fId = flow;
    const challenge: OtpChallenge = { channel: to.type === 'SMS' ? 'sms' : 'email', context };
    const expiresIn = Number(data.expiresIn);
    if (Number.isFinite(expiresIn) && expiresIn > 0) challenge.expiresIn = expiresIn;
    return challenge;
  }

  function signUpStep(challenge: OtpChallenge, password: string | undefined): Step<'verify_sign_up'> {
    if (password) pendingPasswords.set(challenge.context as OtpContext, password);
    const step: Step<'verify_sign_up'> = { kind: 'verify_sign_up', channel: challenge.channel, context: challenge.context };
    if (challenge.expiresIn !== undefined) step.expiresIn = challenge.expiresIn;
    return step;
  }

  /** The contact and flow of a code, as the verify and submit calls repeat them. */
  function sent(context: OtpContext): Data {
    const { purpose: _, ...body } = context;
    return body;
  }

  return {
    sendOtp(request: OtpRequest, ctx: AdapterContext): Promise<OtpChallenge> {
      // `shouldCreateUser` has no login-side equivalent: registration is its own flow (signUp).
      return sendCode('login', contact(request.channel, request.phone, request.email), ctx);
    },

    async verifyOtp(challenge: OtpChallenge, code: string, ctx: AdapterContext): Promise<SignInOutcome> {
      const context = challenge.context as OtpContext | undefined;
      if (!context || (context.purpose !== 'login' && context.purpose !== 'register')) throw new AuthError('code_expired', { providerCode: 'no_code_sent' });
      const body: Data = { ...sent(context), code };
      if (context.purpose === 'login') return calls.signInCall('/login/verify_code', body, ctx);
      // [?] §2.3 lists no phoneRegion for /register/submit; it is sent as on obtain_code so a
      // non-86 number stays the same number.
      const password = pendingPasswords.get(context);
      if (password) body.password = password;
      const outcome = await calls.signInCall('/register/submit', body, ctx);
      pendingPasswords.delete(context);
      return outcome;
    },

    async signUp(params: SignUpParams, ctx: AdapterContext): Promise<Step<'verify_sign_up'>> {
      const channel = params.phone?.trim() ? 'sms' : params.email?.trim() ? 'email' : null;
      if (!channel) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
      return signUpStep(await sendCode('register', contact(channel, params.phone, params.email), ctx), params.password);
    },

    /** The code again, in the same registration: the seed's `register/obtain_code` example carries the `fId` [S]. */
    async resendSignUp(step: Step<'verify_sign_up'>, ctx: AdapterContext): Promise<Step<'verify_sign_up'>> {
      const context = step.context as OtpContext | undefined;
      if (context?.purpose !== 'register') throw new AuthError('invalid_request', { providerCode: 'no_pending_step' });
      const { purpose: _, fId, ...to } = context;
      return signUpStep(await sendCode('register', to, ctx, fId), pendingPasswords.get(context));
    },

    /**
     * A recovery code to the phone or email [?]. An unknown contact gets the same step as a known
     * one (a reset never tells whether an account exists); the code typed then is simply wrong.
     */
    async startRecovery(request: RecoveryRequest, ctx: AdapterContext): Promise<Step<'recovery'>> {
      const channel = request.phone?.trim() ? 'sms' : request.email?.trim() ? 'email' : null;
      if (!channel) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
      const to = contact(channel, request.phone, request.email);
      let challenge: OtpChallenge;
      try {
        challenge = await sendCode('forget', to, ctx);
      } catch (error) {
        if (!isAuthError(error) || error.code !== 'user_not_found') throw error;
        challenge = { channel, context: { purpose: 'forget', ...to, unknown: true } satisfies OtpContext };
      }
      // No `expiresIn`: it would be there for a known contact only.
      return { kind: 'recovery', stage: 'verify', delivery: 'code', channel, context: challenge.context };
    },

    /** [?] The code and the new password (`newPassword` [S]) in one call; the person then signs in with it. */
    async completeRecovery(step: Step<'recovery'>, newPassword: string, ctx: AdapterContext, code?: string): Promise<null> {
      const context = step.context as OtpContext | undefined;
      if (context?.purpose !== 'forget') throw new AuthError('code_expired', { providerCode: 'no_code_sent' });
      if (!code) throw new AuthError('invalid_code', { invalid: { code: 'required' } });
      // No account, no code: refused as a wrong code is, so the answer tells nothing either.
      if (context.unknown) throw new AuthError('invalid_code');
      await calls.post(RECOVERY_PATHS.submit, { ...sent(context), code, newPassword }, ctx);
      return null;
    },
  };
}
