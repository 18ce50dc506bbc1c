// One-time codes: code sign-in (CloudBase v3's `signInWithOtp` → `verifyOtp`) and sign-up,
// which on backends that verify first waits in a `verify_sign_up` step for the code.
import { AuthError, type Adapter, type Channel, type OtpChallenge, type SignUpParams } from '../../contract/index.js';
import { type ActionOptions, type ActionRunner, type SignInResult, type StepResult } from '../runner.js';
import type { SessionStore } from '../session-store.js';

/** What `signInWithOtp` gives back: call `verifyOtp` with the code the person received. */
export interface OtpStarted {
  session: null;
  user: null;
  channel: Channel;
  expiresIn?: number;
  resendAfter?: number;
  verifyOtp(params: { token: string }, options?: ActionOptions): Promise<SignInResult>;
}

export interface SignInWithOtpParams {
  phone?: string;
  email?: string;
  options?: { shouldCreateUser?: boolean; channel?: Channel };
}

export type OtpResult = StepResult<OtpStarted>;

const EMPTY_OTP = { session: null, user: null, channel: null, expiresIn: null, resendAfter: null, verifyOtp: null };

export class CodeFlow {
  /** The code on its way for a code sign-in (the sign-up's is in its pending step). */
  #challenge: OtpChallenge | null = null;
  /** A sign-up waiting for its code, to send the code again; memory only, gone with the step. */
  #signUp: SignUpParams | null = null;

  constructor(
    private readonly adapter: Adapter,
    private readonly runner: ActionRunner,
    private readonly store: SessionStore,
  ) {}

  signInWithOtp(params: SignInWithOtpParams, options: ActionOptions): Promise<OtpResult> {
    const channel = params.options?.channel ?? (params.email && !params.phone ? 'email' : 'sms');
    return this.runner.attempt(options, 'otp', EMPTY_OTP, async (ctx) => {
      if (!this.adapter.sendOtp || !this.adapter.capabilities.otp.includes(channel)) throw new AuthError('unsupported');
      if (channel === 'sms' ? !params.phone : !params.email) throw new AuthError('invalid_request', { invalid: { [channel === 'sms' ? 'phone' : 'email']: 'required' } });
      const challenge = await this.adapter.sendOtp({ channel, phone: params.phone, email: params.email, shouldCreateUser: params.options?.shouldCreateUser }, ctx);
      this.#challenge = challenge;
      return this.#started(challenge);
    });
  }

  /** Completes the last `signInWithOtp`, or the sign-up waiting for its code. */
  verifyOtp(params: { token: string }, options: ActionOptions): Promise<SignInResult> {
    const pending = this.store.state.pending;
    const signingUp = pending?.kind === 'verify_sign_up';
    return this.runner.signIn(options, signingUp ? 'sign_up' : 'otp', async (ctx) => {
      const challenge: OtpChallenge | null = signingUp ? { channel: pending.channel, context: pending.context } : this.#challenge;
      if (!challenge || !this.adapter.verifyOtp) throw new AuthError('code_expired', { providerCode: 'no_code_sent' });
      const code = params?.token?.replace(/\s/g, '');
      if (!code) throw new AuthError('invalid_code', { invalid: { code: 'required' } });
      return this.adapter.verifyOtp(challenge, code, ctx);
    });
  }

  /** Registers; where the backend verifies first, the result is a `verify_sign_up` step. */
  signUp(params: SignUpParams, options: ActionOptions): Promise<SignInResult> {
    return this.runner.signIn(options, 'sign_up', async (ctx) => {
      if (!this.adapter.signUp || !this.adapter.capabilities.signUp.length) throw new AuthError('unsupported');
      const outcome = await this.adapter.signUp(params, ctx);
      if ('kind' in outcome && outcome.kind === 'verify_sign_up') {
        this.#signUp = params;
        outcome.target ??= params.email ?? params.phone;
      }
      return outcome;
    });
  }

  /** Sends the code of the pending sign-up again (in the same registration where the backend has one). */
  async resendSignUpCode(options: ActionOptions): Promise<SignInResult> {
    const params = this.#signUp;
    const pending = this.store.state.pending;
    if (pending?.kind !== 'verify_sign_up' || !params) {
      return this.runner.fail(new AuthError('invalid_request', { providerCode: 'no_pending_step' }), { session: null, user: null }, options.source);
    }
    const resend = this.adapter.resendSignUp?.bind(this.adapter);
    if (!resend) return this.signUp(params, options);
    return this.runner.signIn(options, 'sign_up', async (ctx) => {
      const next = await resend(pending, ctx);
      next.target ??= pending.target;
      return next;
    });
  }

  /** Forgets codes and sign-up details once the person is signed in or gave up. */
  reset(): void {
    this.#challenge = null;
    this.#signUp = null;
  }

  #started(challenge: OtpChallenge): OtpStarted {
    return {
      session: null,
      user: null,
      channel: challenge.channel,
      expiresIn: challenge.expiresIn,
      resendAfter: challenge.resendAfter,
      verifyOtp: (params, options = {}) => this.verifyOtp(params, options),
    };
  }
}

