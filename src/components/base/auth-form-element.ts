import { css, html, LitElement, type CSSResult, type PropertyDeclarations, type PropertyValues } from 'lit';
import { AuthError } from '../../contract/index.js';
import { adoptDocumentStyles } from './adopt-styles.js';
import { AuthController } from './auth-controller.js';
import { FormController } from './form-controller.js';
import { LanguageController } from './language-controller.js';

let nextId = 0;

/** What every element's views module gives the base: the styles its views need (adopted before they first render). */
export interface Views {
  readonly styles: readonly CSSResult[];
}

type LoadViews = () => Promise<Views>;

/** Each views module once per page, shared by every element that renders with it. */
const arrived = new Map<LoadViews, Views>();
const arriving = new Map<LoadViews, Promise<Views>>();

function loadViews(load: LoadViews): Promise<Views> {
  let job = arriving.get(load);
  if (!job) {
    job = load().then(
      (views) => (arrived.set(load, views), views),
      (error: unknown) => {
        arriving.delete(load); // offline: the next try fetches the chunk again
        throw error;
      },
    );
    arriving.set(load, job);
  }
  return job;
}

/**
 * Gives an element class its views at once: its own ESM entry (`auth-elements/<tag>`) ships them
 * in the same file as the class, so its first render waits for no second request. The script tag
 * and `auth-elements/define`, which bring every element, load them on demand instead (one chunk).
 */
export function provideViews(element: { views: LoadViews }, views: Views): void {
  arrived.set(element.views, views);
}

/** The words of a views chunk that could not load: here, not in the chunk of words (which may not load either). */
const UNAVAILABLE = {
  en: { text: 'This form could not load. Check your connection.', retry: 'Try again' },
  'zh-CN': { text: '表单未能加载，请检查网络连接。', retry: '重试' },
} as const;

/** The look of that alert: the views' styles did not come either, so a few lines live here. */
const unavailableStyles = css`
  :where(.auth-unavailable) {
    display: grid;
    justify-items: start;
    gap: var(--auth-gap, 0.75rem);
    font-family: var(--auth-font, system-ui, sans-serif);
    color: var(--auth-color, CanvasText);
  }
  :where(.auth-unavailable p) {
    margin: 0;
    color: var(--auth-error-color, color-mix(in srgb, #d32f2f 82%, CanvasText));
  }
  :where(.auth-unavailable button) {
    font: inherit;
    padding: 0.5rem 1rem;
    border: 0;
    border-radius: var(--auth-radius, 0.5rem);
    background: var(--auth-primary, #2457d6);
    color: var(--auth-primary-contrast, #fff);
    cursor: pointer;
  }
  :where(.auth-unavailable button:focus-visible) {
    outline: var(--auth-focus-ring, 2px solid CanvasText);
    outline-offset: 2px;
  }
`;

/** `auth-error` (`network`) for views that could not load, with the words the element shows. */
function announceUnavailable(host: AuthFormElement, cause: unknown): void {
  const error = new AuthError('network', UNAVAILABLE[host.i18n.language].text, { providerCode: 'views_not_loaded', cause });
  host.dispatchEvent(new CustomEvent('auth-error', { detail: { error }, bubbles: true, composed: true }));
}

/**
 * The shared base of the sign-in elements: three controllers (the client, the language, the
 * form's state and focus) and a light-DOM render root. The credential inputs live in the page's
 * light DOM inside a real `<form>`, so browsers and password managers see them (the failure most
 * reported of widgets that hide them in shadow DOM). Styles are constructed stylesheets adopted
 * by the document (no inline style: strict CSP works), written against `--auth-*` custom
 * properties and the shared `part` names.
 *
 * An element's class is a thin shell (its properties, methods, events and the controllers that
 * hold its state); what it renders and its styles are a views module (`static views`) that
 * loads when the first element of its kind connects, beside the adapter and the words. Nothing
 * renders before it is here (`updateComplete` waits for it); if it cannot load, the element
 * says so with a "Try again" button instead of staying blank.
 */
export abstract class AuthFormElement<V extends Views = Views> extends LitElement {
  static override properties: PropertyDeclarations = {
    /** Language of the element's words (`en` or `zh-CN`); else the nearest `[lang]`, else the browser's. */
    lang: { reflect: true },
  };

  /**
   * Loads the element's views module: `() => import('./views.js')`.
   * @internal
   */
  static views: LoadViews;

  /**
   * Whether the element's first views show words beyond `<auth-login>`'s first views
   * (i18n/en-more.ts), loaded with its views before its first render: every element's but
   * `<auth-login>`'s, whose further parts load them as they open (views/later.ts).
   * @internal
   */
  static moreWords = true;

  /** @internal */
  readonly i18n = new LanguageController(this, (this.constructor as typeof AuthFormElement).moreWords);
  /** @internal */
  readonly auth = new AuthController(this, () => this.i18n.language);
  /** @internal */
  readonly form = new FormController(this, this.auth, this.i18n);
  /** Unique prefix for ids tying labels and messages to inputs. */
  protected readonly uid = `auth-${++nextId}`;

  #views: V | null = null;
  /** The views chunk could not load (offline, blocked): the element offers to try again. */
  #unavailable = false;
  /** Parts of a view still loading (views/later.ts): `updateComplete` and focus wait for them. */
  #parts = new Set<Promise<unknown>>();

  /**
   * The element's views module, once here (every render and what it calls has it).
   * @internal
   */
  get views(): V {
    if (!this.#views) throw new Error('auth-elements: views used before they loaded');
    return this.#views;
  }

  /**
   * Whether the views are here: false before the first render, and while they could not load
   * (the element shows its "Try again" then, and its own lifecycle hooks must not need them).
   * @internal
   */
  get viewsReady(): boolean {
    return this.#views !== null;
  }

  constructor() {
    super();
    // A person reaching for the form (focus, pointer): what an action needs starts loading.
    const prepare = () => this.auth.client?.prepare();
    this.addEventListener('focusin', prepare);
    this.addEventListener('pointerover', prepare);
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /**
   * An update waits for what it needs, with the changes it carries kept (an update skipped by
   * `shouldUpdate` would drop them: `view="sign-up"` set before the words came would be lost):
   * the views and their styles on the first one (no flash of an unstyled or empty form), and
   * the words of the element's language, both loading at once.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waits: Promise<unknown>[] = [];
    if (!this.#views && !this.#unavailable) {
      const load = (this.constructor as typeof AuthFormElement).views;
      const views = arrived.get(load) as V | undefined;
      if (views) this.#use(views);
      else {
        waits.push(
          loadViews(load).then(
            (loaded) => this.#use(loaded as V),
            (cause: unknown) => {
              this.#unavailable = true;
              announceUnavailable(this, cause);
            },
          ),
        );
      }
    }
    // Offline, the words may not come either: with none at all (not even English), the element
    // says so as it does for its views (its words for that are here, in the shell).
    if (!this.i18n.ready) waits.push(this.i18n.whenReady().then(() => (this.#unavailable ||= !this.i18n.ready)));
    return waits.length ? Promise.all(waits).then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  #use(views: V): void {
    adoptDocumentStyles(this.ownerDocument, views.styles);
    this.#views = views;
  }

  /** Nothing is shown before the words of the element's language are here (no English flash). */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    return super.shouldUpdate(changed) && (this.#unavailable || this.i18n.ready);
  }

  protected override render(): unknown {
    return this.#views && this.i18n.ready ? this.renderViews(this.#views) : this.#renderUnavailable();
  }

  /**
   * What the element shows, with its views here.
   * @internal
   */
  protected abstract renderViews(views: V): unknown;

  #renderUnavailable() {
    const words = UNAVAILABLE[this.i18n.language];
    const retry = () => {
      this.#unavailable = false;
      this.i18n.retry();
      this.form.focus('first'); // where the person was (the button) goes with the alert
      this.requestUpdate();
    };
    adoptDocumentStyles(this.ownerDocument, [unavailableStyles]);
    return html`<div class="auth-unavailable">
      <p part="error" role="alert">${words.text}</p>
      <button part="button" type="button" @click=${retry}>${words.retry}</button>
    </div>`;
  }

  /**
   * A part of a view is loading (a step's view, on its first use): the element renders again
   * when it settles, and `updateComplete` and the focus of the last action wait for it. `job`
   * never rejects (the part shows its own error).
   * @internal
   */
  waitFor(job: Promise<unknown>): void {
    if (this.#parts.has(job)) return;
    this.#parts.add(job);
    void job.then(() => {
      this.#parts.delete(job);
      this.requestUpdate();
    });
  }

  /**
   * Whether a part of the view is still loading.
   * @internal
   */
  get waiting(): boolean {
    return this.#parts.size > 0;
  }

  /**
   * `updateComplete` includes the first render, which waits for the words (each language is a
   * chunk), and the parts of a view that load on first use.
   * @internal
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this.i18n.whenReady();
    let complete = await super.getUpdateComplete();
    while (this.#parts.size) {
      await Promise.all(this.#parts);
      complete = await super.getUpdateComplete();
    }
    return complete;
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
