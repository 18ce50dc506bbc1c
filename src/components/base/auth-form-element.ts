import { LitElement, type CSSResult, type PropertyDeclarations, type PropertyValues } from 'lit';
import { AuthController } from './auth-controller.js';
import { adoptDocumentStyles } from './document-styles.js';
import { FormController } from './form-controller.js';
import { LanguageController } from './language-controller.js';

let nextId = 0;

/**
 * The shared base of the sign-in elements: three controllers (the client, the language, the
 * form's state and focus) and a light-DOM render root. The credential inputs live in the page's
 * light DOM inside a real `<form>`, so browsers and password managers see them (the failure most
 * reported of widgets that hide them in shadow DOM). Styles are one constructed stylesheet per
 * document, adopted (no inline style: strict CSP works), written against `--auth-*` custom
 * properties and the shared `part` names.
 */
export abstract class AuthFormElement extends LitElement {
  static override properties: PropertyDeclarations = {
    /** Language of the element's words (`en` or `zh-CN`); else the nearest `[lang]`, else the browser's. */
    lang: { reflect: true },
  };

  /**
   * The element's styles; adopted into the document once.
   * @internal
   */
  static formStyles: CSSResult[] = [];

  /** @internal */
  readonly i18n = new LanguageController(this);
  /** @internal */
  readonly auth = new AuthController(this, () => this.i18n.language);
  /** @internal */
  readonly form = new FormController(this, this.auth, this.i18n);
  /** Unique prefix for ids tying labels and messages to inputs. */
  protected readonly uid = `auth-${++nextId}`;

  protected override createRenderRoot(): HTMLElement {
    adoptDocumentStyles(this.ownerDocument, (this.constructor as typeof AuthFormElement).formStyles);
    return this;
  }

  /** Nothing is shown before the words of the element's language are here (no English flash). */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    return super.shouldUpdate(changed) && this.i18n.ready;
  }

  /**
   * `updateComplete` includes the first render, which waits for the words (each language is a chunk).
   * @internal
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this.i18n.whenReady();
    return super.getUpdateComplete();
  }

  /**
   * A unique id for a named node of this element.
   * @internal
   */
  id_(name: string): string {
    return `${this.uid}-${name}`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.auth.abort();
  }
}
