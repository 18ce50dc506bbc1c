import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AuthError, type AuthErrorCode, type FieldProblem, type FormField } from '../../contract/index.js';
import type { ActionOptions } from '../../core/client.js';
import { fieldMessage, type MessageKey } from '../../i18n/index.js';
import { wordError, type AuthController } from './auth-controller.js';
import type { LanguageController } from './language-controller.js';

type Params = Record<string, string | number>;
/** Where focus goes once the host has rendered what the last action changed. */
type FocusTarget = 'invalid' | 'alert' | 'first' | 'status' | 'button' | `input:${string}` | `#${string}` | null;

/** Errors that are about one input although the backend names no field: the person retypes it. */
const INPUT_OF: Partial<Record<AuthErrorCode, string>> = {
  invalid_code: 'one-time-code',
  captcha_required: 'captcha',
  password_policy: 'new-password',
};

/**
 * The state of one form, for one attempt at a time (Shoelace's FormControlController): the
 * fields in error and why, the error, a calm notice, the busy flag, and where focus goes. A new
 * attempt, identifier, view or configuration clears what the last one said.
 *
 * Focus: after a failed submit on the field in error (else the alert); after a new step on its
 * first input; after sign-in or sign-out on the element's status; or on a node the element names
 * (`#id`: the button that opened a finished edit).
 */
export class FormController implements ReactiveController {
  #busy = false;
  #error: AuthError | null = null;
  #notice: { key: MessageKey; params?: Params } | null = null;
  #invalid = new Map<FormField, { problem: FieldProblem; params?: Params }>();
  #focus: FocusTarget = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly auth: AuthController,
    private readonly i18n: LanguageController,
  ) {
    host.addController(this);
    auth.onClientChange(() => this.clear());
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** The error of the last attempt, in the element's language: the very object its `auth-error` carried. */
  get error(): AuthError | null {
    return this.#error && wordError(this.#error, this.i18n.language);
  }

  /** The calm message of the last attempt (a code was sent), in the element's language. */
  get notice(): string {
    return this.#notice ? this.i18n.t(this.#notice.key, this.#notice.params) : '';
  }

  /** The message under a field, or undefined when the field is fine. */
  message(...fields: FormField[]): string | undefined {
    for (const field of fields) {
      const local = this.#invalid.get(field);
      if (local) return fieldMessage(this.i18n.language, local.problem, local.params);
      const remote = this.error?.fields?.[field];
      if (remote) return remote;
    }
    return undefined;
  }

  /** Forgets what the last attempt said (a new attempt, identifier, view or configuration). */
  clear(): void {
    if (!this.#error && !this.#notice && !this.#invalid.size) return;
    this.#error = null;
    this.#notice = null;
    this.#invalid.clear();
    this.host.requestUpdate();
  }

  setNotice(key: MessageKey | null, params?: Params): void {
    this.#notice = key ? { key, params } : null;
    this.host.requestUpdate();
  }

  /** Marks a field as refused before anything is sent (checked in the page). */
  invalidate(field: FormField, problem: FieldProblem, params?: Params): void {
    this.#invalid.set(field, { problem, params });
    this.#focus = 'invalid';
    this.host.requestUpdate();
  }

  get valid(): boolean {
    return this.#invalid.size === 0;
  }

  /** Starts an attempt: clears the last one's messages; false when the page's checks failed. */
  begin(): void {
    this.clear();
  }

  /**
   * Runs one action of the form: marks it busy (no double submit), cancels the previous action,
   * shows its error in the element's language, and moves focus where the person should look next.
   */
  async run<T extends { error: AuthError | null }>(action: (options: ActionOptions) => Promise<T>): Promise<T | null> {
    if (!this.auth.client) {
      this.#error = this.auth.announce(new AuthError('config', { providerCode: 'no_client' }));
      this.#focus = 'alert';
      this.host.requestUpdate();
      return null;
    }
    const before = this.auth.state;
    this.#busy = true;
    this.#error = null;
    this.#notice = null;
    this.host.requestUpdate();
    let result: T;
    try {
      result = await action(this.auth.action());
    } finally {
      this.#busy = false;
    }
    const error = result.error;
    if (error && error.code !== 'cancelled') this.#error = error;
    const after = this.auth.state;
    const input = this.#error && INPUT_OF[this.#error.code];
    this.#focus = this.#error ? (this.#error.invalid && this.message(...(Object.keys(this.#error.invalid) as FormField[])) ? 'invalid' : input ? `input:${input}` : 'alert')
      : after.pending !== before.pending && after.pending ? 'first'
        : after.status !== before.status ? 'status'
          : 'button';
    this.host.requestUpdate();
    return result;
  }

  /** Shows an error the client did not report (a passkey ceremony's), and announces it. */
  report(error: AuthError): void {
    this.#error = this.auth.announce(error);
    this.#focus = 'alert';
    this.host.requestUpdate();
  }

  /** Focus goes to `target` once the host has rendered. */
  focus(target: FocusTarget): void {
    this.#focus = target;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    // The form's fields follow `busy`: disabled while a request is in flight (no double submit).
    for (const fieldset of this.host.querySelectorAll('fieldset')) fieldset.disabled = this.#busy;
    const target = this.#focus;
    if (!target) return;
    // A part of the view still loading (a step's view, views/later.ts): focus goes there once it
    // is drawn, and waits on its busy box meanwhile rather than on the page.
    if ((this.host as { waiting?: boolean }).waiting) {
      if (!this.host.contains(document.activeElement)) this.host.querySelector<HTMLElement>('[aria-busy="true"]')?.focus();
      return;
    }
    this.#focus = null;
    const root = this.host;
    const pick: Record<'invalid' | 'alert' | 'first' | 'status' | 'button', () => HTMLElement | null> = {
      invalid: () => root.querySelector('[aria-invalid="true"]'),
      alert: () => root.querySelector('[part~="error"]'),
      first: () => root.querySelector('form input:not([type=hidden]):not([disabled])') ?? root.querySelector('form button:not([disabled])'),
      status: () => root.querySelector('[data-auth-status]') ?? root.querySelector('form input:not([type=hidden]):not([disabled])'),
      button: () => root.querySelector('form button[type="submit"]'),
    };
    // A named node that is gone (its section changed meanwhile): the element's status instead.
    if (target.startsWith('#')) return (root.querySelector<HTMLElement>(`[id="${CSS.escape(target.slice(1))}"]`) ?? pick.status())?.focus();
    const named = target.startsWith('input:') ? root.querySelector<HTMLElement>(`form input[name="${target.slice(6)}"]`) : null;
    const element = target.startsWith('input:') ? (named ?? pick.alert()) : (pick[target as keyof typeof pick]() ?? (target === 'invalid' ? pick.alert() : null));
    element?.focus();
  }
}
