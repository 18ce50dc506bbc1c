// How every action of the client ends: tokens become the session, a step becomes the pending
// step, a failure becomes a localized AuthError. A backend that interrupts a call for a step
// (a security check, consent) gets the step answered and the same call sent again.
import { AuthChangeEvent, AuthError, isStep, isStepRequired, toAuthError, type Adapter, type AdapterContext, type Language, type PendingStep, type Session, type SignInOutcome, type StepOrigin, type User } from '../contract/index.js';
import { languageReady, loadLanguage, localizeError } from '../i18n/index.js';
import { toSession } from './util/session.js';
import type { SessionStore } from './session-store.js';

/** Per call: the element that asked (so it can announce the result) and a way to cancel. */
export interface ActionOptions {
  signal?: AbortSignal;
  source?: unknown;
}

/** `{ data, error }` where the data may instead be the step the backend asks for next. */
export type StepResult<T> =
  | { data: T & { step?: undefined }; error: null }
  | { data: { [K in keyof T]: null } & { step: PendingStep }; error: null }
  | { data: { [K in keyof T]: null } & { step?: undefined }; error: AuthError };

/** The result of every sign-in action: a session, or the step the backend asks for next. */
export type SignInResult = StepResult<{ session: Session; user: User }>;

type Extra = Pick<AdapterContext, 'captcha' | 'consent'>;
type Attempt = (extra: Extra, options: ActionOptions) => Promise<StepResult<object>>;

export interface RunnerHost {
  store: SessionStore;
  adapter: Adapter;
  ready(): Promise<void>;
  lang(): Language;
  context(options: ActionOptions): AdapterContext;
}

const EMPTY_SIGN_IN = { session: null, user: null };

export class ActionRunner {
  /** The call a `captcha` or `consent` step interrupted, to send again once it is answered. */
  #interrupted: Attempt | null = null;
  /** Counts sign-in actions: only the latest one may end in a session or a step. */
  #signIns = 0;

  constructor(private readonly host: RunnerHost) {}

  /**
   * An action whose outcome may be tokens (a sign-in), a step, or nothing (`null`). The newest
   * sign-in wins: when another one started meanwhile, or the person changed (a sign-out, a
   * sign-in in another tab), a late answer is dropped as `cancelled` and nothing is committed.
   */
  signIn(options: ActionOptions, origin: StepOrigin, call: (ctx: AdapterContext) => Promise<SignInOutcome | null>, announce = true): Promise<SignInResult> {
    return this.attempt(options, origin, EMPTY_SIGN_IN, async (ctx) => {
      const ticket = ++this.#signIns;
      const generation = this.host.store.generation;
      const stale = () => ticket !== this.#signIns || generation !== this.host.store.generation;
      let outcome: SignInOutcome | null;
      try {
        outcome = await call(ctx);
      } catch (error) {
        throw stale() ? superseded(error) : error;
      }
      if (stale()) throw superseded();
      if (!outcome) return { session: null, user: null } as never;
      if (isStep(outcome)) return this.#stepResult(origin, outcome);
      const session = toSession(outcome, this.host.adapter.type);
      if (!session.user.id) throw new AuthError('server', { providerCode: 'no_user_id' });
      if (announce) await this.host.ready();
      if (stale()) throw superseded();
      await this.host.store.commit({ session, event: AuthChangeEvent.SIGNED_IN, source: options.source, persist: true, notify: announce });
      return { session, user: session.user };
    });
  }

  /**
   * Runs one adapter call. `empty` is the data of a failure (every field null). A step thrown
   * by the adapter becomes the pending step, and the call is kept to be sent again.
   */
  async attempt<T extends object>(options: ActionOptions, origin: StepOrigin, empty: { [K in keyof T]: null }, call: (ctx: AdapterContext) => Promise<T | StepMarker>, extra: Extra = {}): Promise<StepResult<T>> {
    try {
      // Only an adapter still loading, or words not here yet (each language is a chunk, and an
      // error speaks), make the call wait: the others start in this same tick.
      const words = this.words();
      if (this.host.adapter.load || words) {
        await Promise.all([this.host.adapter.load?.(), words]);
        // Cancelled while it waited (the element went away): the call never starts.
        if (options.signal?.aborted) throw new AuthError('cancelled');
      }
      this.checkConfig();
      const value = await call({ ...this.host.context(options), ...extra });
      if (isStepMarker(value)) return { data: { ...empty, step: value.step }, error: null };
      return { data: value, error: null } as StepResult<T>;
    } catch (error) {
      if (isStepRequired(error)) {
        const step: PendingStep = { ...error.step, origin };
        this.host.store.setPending(step);
        // Answers add up: a backend that asks for consent after a captcha still gets the captcha's
        // answer. The call goes again with the answering call's options: the element that answers
        // has cancelled its earlier action (and its signal) by then.
        this.#interrupted = (answer, next) => this.attempt(next, origin, empty, call, { ...extra, ...answer }) as Promise<StepResult<object>>;
        if (error.error) return this.fail(error.error, empty, options.source);
        return { data: { ...empty, step }, error: null };
      }
      return this.fail(error, empty, options.source);
    }
  }

  /** Sends the interrupted call again with the answer to its step. */
  async resume(answer: Extra, options: ActionOptions): Promise<StepResult<object>> {
    const retry = this.#interrupted;
    if (!retry) return this.fail(new AuthError('invalid_request', { providerCode: 'no_pending_step' }), {}, options.source);
    this.#interrupted = null;
    const before = this.host.store.state.pending;
    const result = await retry(answer, options);
    // The step was answered: it is over unless the backend asked again (a new image).
    if (this.host.store.state.pending === before) this.host.store.setPending(null);
    return result;
  }

  /** Forgets a pending step and the call it interrupted. */
  clearStep(): void {
    this.#interrupted = null;
    if (this.host.store.state.pending) this.host.store.setPending(null);
  }

  /** Reports a failure to the elements and hands it back as `{ data, error }`, in the client's language. */
  fail<T>(error: unknown, empty: T, source?: unknown): { data: T; error: AuthError } {
    const failure = localizeError(this.host.lang(), toAuthError(error));
    this.host.store.error(failure, source);
    return { data: empty, error: failure };
  }

  /** Resolves once the words of the client's language are here (or could not come); undefined when they are. */
  words(): Promise<void> | undefined {
    const language = this.host.lang();
    return languageReady(language) ? undefined : loadLanguage(language).catch(() => {});
  }

  context(options: ActionOptions): AdapterContext {
    return this.host.context(options);
  }

  checkConfig(): void {
    if (this.host.adapter.configError) throw this.host.adapter.configError;
  }

  #stepResult(origin: StepOrigin, request: Exclude<SignInOutcome, { access_token: string }>): StepMarker {
    const step = { ...request, origin } as PendingStep;
    this.host.store.setPending(step);
    return { [STEP]: true, step };
  }
}

/** The answer of a sign-in that a newer one replaced: neither its session nor its error counts. */
function superseded(cause?: unknown): AuthError {
  return new AuthError('cancelled', { providerCode: 'superseded', cause });
}

const STEP = Symbol('step');
/** What a call returns instead of its data when it ended in a step. */
export interface StepMarker {
  [STEP]: true;
  step: PendingStep;
}

export function stepMarker(step: PendingStep): StepMarker {
  return { [STEP]: true, step };
}

function isStepMarker(value: unknown): value is StepMarker {
  return typeof value === 'object' && value !== null && STEP in value;
}
