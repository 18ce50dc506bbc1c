import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { languageOf, languageReady, loadLanguage, pickLanguage, t, type Language, type MessageKey } from '../../i18n/index.js';

/** Hosts that re-render when any `lang` attribute on their page changes. */
const hosts = new Set<ReactiveControllerHost>();
const watched = new WeakSet<Document>();

function watch(document: Document): void {
  if (watched.has(document) || typeof MutationObserver === 'undefined') return;
  watched.add(document);
  new MutationObserver(() => {
    for (const host of hosts) host.requestUpdate();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/**
 * The language an element speaks: its `lang`, else the nearest `[lang]`, else the browser's
 * (Shoelace's LocalizeController). The host re-renders when a `lang` on the page changes.
 */
export class LanguageController implements ReactiveController {
  /**
   * @param more - The host's first views show words beyond `<auth-login>`'s (i18n/en-more.ts):
   *   they are part of its words, loaded with them.
   */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly more = false,
  ) {
    host.addController(this);
  }

  get language(): Language {
    // The host's own `lang` first: set as a property before connection, it reaches the attribute
    // only during the first update, after that update has picked which words to wait for.
    const own = (this.host as { lang?: string | null }).lang;
    return own ? pickLanguage(own) : languageOf(this.host);
  }

  /** The language whose words could not load (offline): no retry until the host connects again. */
  #failed: Language | null = null;

  /**
   * Whether the words of the host's language are here. When they are not (each language is its
   * own chunk, English too), they are fetched and the host renders again once they arrive.
   * Offline, Chinese falls back to English; with no words at all there is nothing to render.
   */
  get ready(): boolean {
    const language = this.language;
    if (languageReady(language, this.more)) return true;
    if (this.#failed === language) return languageReady('en', this.more);
    void this.whenReady();
    return false;
  }

  /** Resolves once the host's words are here, or could not come; the host renders again then. */
  whenReady(): Promise<void> {
    const language = this.language;
    if (languageReady(language, this.more) || this.#failed === language) return Promise.resolve();
    return loadLanguage(language, this.more).then(
      () => this.host.requestUpdate(),
      () => {
        this.#failed = language;
        this.host.requestUpdate();
      },
    );
  }

  /** Lets the words that could not load be fetched again (the person asked to try again). */
  retry(): void {
    this.#failed = null;
  }

  t(key: MessageKey, params?: Record<string, string | number>): string {
    return t(this.language, key, params);
  }

  hostConnected(): void {
    this.#failed = null; // connected again: perhaps online again
    hosts.add(this.host);
    watch(this.host.ownerDocument);
  }

  hostDisconnected(): void {
    hosts.delete(this.host);
  }
}
