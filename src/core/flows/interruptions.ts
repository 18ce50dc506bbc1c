// Answers to the steps a backend puts in the middle of any call (a security check, consent):
// the answer goes with the same call, sent again.
import { AuthError, type Adapter, type AuthResult } from '../../contract/index.js';
import type { ActionOptions, ActionRunner, StepResult } from '../runner.js';
import type { SessionStore } from '../session-store.js';

export class InterruptionFlow {
  constructor(
    private readonly adapter: Adapter,
    private readonly runner: ActionRunner,
    private readonly store: SessionStore,
  ) {}

  answerCaptcha(text: string, options: ActionOptions): Promise<StepResult<object>> {
    const step = this.store.state.pending;
    if (step?.kind !== 'captcha') return Promise.resolve(this.runner.fail(new AuthError('invalid_request', { providerCode: 'no_pending_step' }), {}, options.source));
    if (!text?.trim()) return Promise.resolve(this.runner.fail(new AuthError('captcha_required', { invalid: { captcha: 'required' } }), {}, options.source));
    return this.runner.resume({ captcha: { text: text.trim(), context: step.context } }, options);
  }

  async newCaptcha(options: ActionOptions): Promise<AuthResult<{ image: string | null }>> {
    const step = this.store.state.pending;
    try {
      if (step?.kind !== 'captcha' || !this.adapter.newCaptcha) throw new AuthError('invalid_request', { providerCode: 'no_pending_step' });
      const next = await this.adapter.newCaptcha(step, this.runner.context(options));
      this.store.setPending({ ...next, origin: step.origin });
      return { data: { image: next.image ?? null }, error: null };
    } catch (error) {
      return this.runner.fail(error, { image: null }, options.source);
    }
  }

  agreeToTerms(options: ActionOptions): Promise<StepResult<object>> {
    const step = this.store.state.pending;
    if (step?.kind !== 'consent') return Promise.resolve(this.runner.fail(new AuthError('invalid_request', { providerCode: 'no_pending_step' }), {}, options.source));
    return this.runner.resume({ consent: { context: step.context } }, options);
  }
}
