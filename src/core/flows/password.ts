// Password sign-in and the steps a backend may put between it and the session: a new password
// (expired, or expiring and skippable) checked against the backend's policy first, and a second
// factor. Password recovery lives here too: it ends in a password sign-in where the backend asks.
import { AuthChangeEvent, AuthError, type Adapter, type AuthResult, type Channel, type OtpChallenge, type PasswordCredentials, type PasswordPolicy, type PendingStep, type RecoveryRequest } from '../../contract/index.js';
import { checkPassword } from '../util/password-policy.js';
import type { ActionOptions, ActionRunner, SignInResult, StepResult } from '../runner.js';
import type { SessionStore } from '../session-store.js';

type Step<K extends PendingStep['kind']> = Extract<PendingStep, { kind: K }>;

export class PasswordFlow {
  /** Who is signing in (never the password), to sign in again after a password change. */
  #identifier: Omit<PasswordCredentials, 'password'> | null = null;
  /** The code sent for a second factor. */
  #factor: OtpChallenge | null = null;

  constructor(
    private readonly adapter: Adapter,
    private readonly runner: ActionRunner,
    private readonly store: SessionStore,
  ) {}

  signIn(credentials: PasswordCredentials, options: ActionOptions): Promise<SignInResult> {
    return this.runner.signIn(options, 'sign_in', (ctx) => {
      if (!this.adapter.signInWithPassword || !this.adapter.capabilities.password.length) throw new AuthError('unsupported');
      const { password: _, ...identifier } = credentials;
      this.#identifier = identifier;
      this.#factor = null;
      return this.adapter.signInWithPassword(credentials, ctx);
    });
  }

  /**
   * Completes a `password_change` step. The new password is checked against the backend's
   * policy first; when the backend does not sign in by itself, the client signs in again.
   */
  async changePassword(passwords: { oldPassword: string; newPassword: string }, options: ActionOptions): Promise<SignInResult> {
    const pending = this.store.state.pending;
    return this.#endStepOn(await this.runner.signIn(options, 'sign_in', async (ctx) => {
      const step = expect(pending, 'password_change');
      if (!this.adapter.changePassword) throw new AuthError('unsupported');
      checkNewPassword(passwords.newPassword, step);
      const outcome = await this.adapter.changePassword(step, passwords, ctx);
      return outcome ?? this.#signInAgain(passwords.newPassword, ctx);
    }));
  }

  async skipPasswordChange(options: ActionOptions): Promise<SignInResult> {
    const pending = this.store.state.pending;
    return this.#endStepOn(await this.runner.signIn(options, 'sign_in', (ctx) => {
      const step = expect(pending, 'password_change');
      if (step.required || !this.adapter.skipPasswordChange) throw new AuthError('invalid_request', { providerCode: 'not_skippable' });
      return this.adapter.skipPasswordChange(step, ctx);
    }));
  }

  /** `phone`: where the code goes, for a step that asks for it (`ask: 'phone'`). */
  async sendSecondFactor(method: 'sms' | 'email' | 'totp', options: ActionOptions, phone?: string): Promise<AuthResult<{ channel: Channel; expiresIn?: number; resendAfter?: number }>> {
    const pending = this.store.state.pending;
    const result = await this.runner.attempt(options, 'sign_in', { channel: null, expiresIn: null, resendAfter: null }, async (ctx) => {
      let step = expect(pending, 'second_factor');
      if (!this.adapter.sendSecondFactor) throw new AuthError('unsupported');
      if (step.ask === 'phone') {
        if (!phone?.trim()) throw new AuthError('invalid_request', { invalid: { phone: 'required' } });
        step = { ...step, target: phone.trim() };
      }
      const challenge = await this.adapter.sendSecondFactor(step, method, ctx);
      this.#factor = challenge;
      return { channel: challenge.channel, expiresIn: challenge.expiresIn, resendAfter: challenge.resendAfter };
    });
    return this.#endStepOn(result) as AuthResult<{ channel: Channel; expiresIn?: number; resendAfter?: number }>;
  }

  async verifySecondFactor(code: string, options: ActionOptions): Promise<SignInResult> {
    const pending = this.store.state.pending;
    return this.#endStepOn(await this.runner.signIn(options, 'sign_in', (ctx) => {
      const step = expect(pending, 'second_factor');
      if (!this.adapter.verifySecondFactor) throw new AuthError('unsupported');
      const trimmed = code?.replace(/\s/g, '');
      if (!trimmed) throw new AuthError('invalid_code', { invalid: { code: 'required' } });
      return this.adapter.verifySecondFactor(step, trimmed, this.#factor, ctx);
    }));
  }

  /** Starts password recovery: a code or a link goes out; the result is the `recovery` step. */
  startRecovery(request: RecoveryRequest, options: ActionOptions): Promise<SignInResult> {
    return this.runner.signIn(options, 'recovery', async (ctx) => {
      if (!this.adapter.startRecovery || !this.adapter.capabilities.recovery.length) throw new AuthError('unsupported');
      const step = await this.adapter.startRecovery(request, ctx);
      step.target ??= request.email ?? request.phone ?? request.username;
      const { email, phone, username } = request;
      this.#identifier = email ? { email } : phone ? { phone } : { username };
      return step;
    });
  }

  /**
   * Completes recovery with the new password (and the code, when one was sent). Emits
   * PASSWORD_RECOVERY, then SIGNED_IN where the backend signs the person in (or the client can,
   * with the new password).
   */
  async completeRecovery(params: { code?: string; newPassword: string }, options: ActionOptions): Promise<SignInResult> {
    const pending = this.store.state.pending;
    const result = await this.runner.signIn(options, 'recovery', async (ctx) => {
      let step = expect(pending, 'recovery');
      if (!this.adapter.completeRecovery) throw new AuthError('unsupported');
      checkNewPassword(params.newPassword, step);
      let code: string | undefined;
      if (step.stage === 'verify' && step.delivery === 'code') {
        code = params.code?.replace(/\s/g, '');
        if (!code) throw new AuthError('invalid_code', { invalid: { code: 'required' } });
        if (this.adapter.verifyRecovery) {
          step = { ...(await this.adapter.verifyRecovery(step, code, ctx)), origin: 'recovery' };
          // The code passed: if the new password is refused now, it is not asked for again.
          this.store.setPending(step);
        }
      }
      // A backend that checks the code only with the new password gets both in one call.
      const outcome = await this.adapter.completeRecovery(step, params.newPassword, ctx, this.adapter.verifyRecovery ? undefined : code);
      this.store.emit(AuthChangeEvent.PASSWORD_RECOVERY, this.store.state.session, options.source);
      this.store.setPending(null);
      return outcome ?? (this.#identifier && this.adapter.signInWithPassword ? this.#signInAgain(params.newPassword, ctx) : null);
    });
    return result;
  }

  /** Forgets who was signing in once the person is signed in or gave up. */
  reset(): void {
    this.#identifier = null;
    this.#factor = null;
  }

  #signInAgain(password: string, ctx: Parameters<NonNullable<Adapter['signInWithPassword']>>[1]) {
    if (!this.adapter.signInWithPassword || !this.#identifier) return null;
    return this.adapter.signInWithPassword({ ...this.#identifier, password }, ctx);
  }

  /** A step whose state token the backend no longer accepts is over: back to the start. */
  #endStepOn<T extends StepResult<object> | AuthResult<object>>(result: T): T {
    if (result.error?.code === 'session_expired' && this.store.state.pending) this.runner.clearStep();
    return result;
  }
}

function checkNewPassword(password: string, step: { policy?: PasswordPolicy }): void {
  if (!password) throw new AuthError('invalid_request', { invalid: { newPassword: 'required' } });
  const broken = checkPassword(password, step.policy);
  if (broken) throw new AuthError('password_policy', { providerCode: broken, invalid: { newPassword: broken }, policy: step.policy });
}

/** The step an answer is for, taken when the answer was given (a captcha may stand in front of it meanwhile). */
function expect<K extends 'password_change' | 'second_factor' | 'recovery'>(step: PendingStep | null, kind: K): Step<K> {
  if (step?.kind !== kind) throw new AuthError('invalid_request', { providerCode: 'no_pending_step' });
  return step as Step<K>;
}
