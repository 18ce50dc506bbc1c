import { LitElement, type CSSResult, type PropertyDeclarations, type PropertyValues } from 'lit';
import { isAuthError, toAuthError, type AuthError } from '../../core/errors.js';
import { errorMessage, languageOf, t, type Language, type MessageKey } from '../../i18n/index.js';
import { AuthController } from './auth-controller.js';
import { adoptDocumentStyles } from './document-styles.js';
import { returnCaptchaToOpener } from './captcha-return.js';

let nextId = 0;

/** Connected form elements, re-rendered when any `lang` attribute on the page changes. */
const connected = new Set<AuthFormElement>();
let languageWatch: MutationObserver | null = null;

function watchLanguage(document: Document): void {
  if (languageWatch || typeof MutationObserver === 'undefined') return;
  languageWatch = new MutationObserver(() => {
    for (const element of connected) element.requestUpdate();
  });
  languageWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/**
 * The shared base of the sign-in elements. They render into their own light DOM, inside a real
 * `<form>`, so that browsers and password managers see the credential inputs (the failure most
 * reported of widgets that hide them in shadow DOM). Styles are one constructed stylesheet per
 * document, adopted (no inline style: strict CSP works), written against `--auth-*` custom
 * properties and the shared `part` names.
 */
export abstract class AuthFormElement extends LitElement {
  static override properties: PropertyDeclarations = {
    lang: { reflect: true },
    busy: { state: true },
    error: { state: true },
    notice: { state: true },
  };

  /** The element's styles; adopted into the document once. */
  static formStyles: CSSResult[] = [];

  readonly auth = new AuthController(this);
  declare busy: boolean;
  declare error: AuthError | null;
  /** A calm message for the live region (a code was sent, a countdown). */
  declare notice: string;
  /** Unique prefix for ids tying labels and messages to inputs. */
  protected readonly uid = `auth-${++nextId}`;

  constructor() {
    super();
    this.busy = false;
    this.error = null;
    this.notice = '';
  }

  protected override createRenderRoot(): HTMLElement {
    adoptDocumentStyles(this.ownerDocument, (this.constructor as typeof AuthFormElement).formStyles);
    return this;
  }

  /** The language to speak: `lang` here, else the nearest `[lang]`, else the browser's. */
  protected get language(): Language {
    return languageOf(this);
  }

  protected t(key: MessageKey, params?: Record<string, string | number>): string {
    return t(this.language, key, params);
  }

  protected errorText(error: AuthError): string {
    return errorMessage(this.language, error);
  }

  /**
   * Runs one action of the form: disables the form (no double submit), aborts the previous
   * action, shows its error, and moves focus where the person should look next.
   */
  protected async act<T extends { error: AuthError | null }>(action: (options: ReturnType<AuthController['action']>) => Promise<T>): Promise<T | null> {
    if (!this.auth.client) {
      this.error = toAuthError(new Error('No auth client: add <auth-config> around this element or call configure().'), 'config');
      return null;
    }
    this.busy = true;
    this.error = null;
    try {
      const result = await action(this.auth.action());
      if (result.error && result.error.code !== 'cancelled') this.error = result.error;
      return result;
    } catch (error) {
      this.error = isAuthError(error) ? error : toAuthError(error);
      return null;
    } finally {
      this.busy = false;
      await this.updateComplete;
      this.focusAfterAction();
    }
  }

  /** After an action: the first invalid field, else the error, else the next step's first input. */
  protected focusAfterAction(): void {
    const invalid = this.querySelector<HTMLElement>('[aria-invalid="true"]');
    const first = this.querySelector<HTMLElement>('form input:not([type=hidden]):not([disabled])');
    (invalid ?? first)?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // The form's fields follow `busy`: disabled while a request is in flight.
    const fieldset = this.querySelector('fieldset');
    if (fieldset) fieldset.disabled = this.busy;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    connected.add(this);
    watchLanguage(this.ownerDocument);
    returnCaptchaToOpener();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    connected.delete(this);
    this.auth.abort();
  }

  /** A unique id for a named node of this element. */
  protected id_(name: string): string {
    return `${this.uid}-${name}`;
  }
}
