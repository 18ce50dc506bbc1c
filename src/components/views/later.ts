import { html, nothing, type CSSResult } from 'lit';
import { AuthError } from '../../contract/index.js';
import { languageOf, languageReady, languagesHere, loadLanguage, type Language } from '../../i18n/index.js';
import { adoptDocumentStyles } from '../base/adopt-styles.js';
import type { ViewHost } from './host.js';

/** What a part that loads on first use needs of its element (AuthFormElement). */
export interface LaterHost extends ViewHost {
  /** Renders again when `job` settles; `updateComplete` and focus wait for it meanwhile. */
  waitFor(job: Promise<unknown>): void;
}

/** A part of a view whose code is a chunk of its own: `part(host, (module) => view)`. */
export interface Later<M> {
  /** `back`: offline, a way out beside "Try again" (a step's: abandon it). */
  (host: LaterHost, draw: (module: M) => unknown, back?: () => void): unknown;
  /**
   * Starts loading now: the view that needs it is likely next (a request is on its way, a person
   * points at its link: the words of that link's language, else of every language here).
   */
  prefetch(event?: Event): void;
  /** Resolves once it is here in `host`'s language, or could not load (it is drawn then: here, or its sentence). */
  ready(host: Pick<ViewHost, 'i18n'>): Promise<void>;
}

/**
 * What stands in for a view that is coming (a part's code, a stored session being restored): an
 * empty box a screen reader names "Working…", which takes focus meanwhile.
 */
export function busyBox(host: Pick<ViewHost, 'i18n'>) {
  return html`<div class="auth-form" aria-busy="true" tabindex="-1"><span class="auth-sr">${host.i18n.t('working')}</span></div>`;
}

/**
 * A part of a view that few people see (a step after sign-in: a second factor, a captcha, a
 * password change) loads the first time it is drawn instead of with the element, with the words
 * it shows beyond the first views' (i18n/en-more.ts) in the element's language: until both are
 * here, an empty busy box (the element's `updateComplete` and the focus of the last action wait
 * for it); offline, a sentence saying so (`auth-error`: `network`, `views_not_loaded`) and a
 * "Try again" button, the session and the step untouched. A part's module may export the
 * `styles` only it needs: they are adopted into the document before it is first drawn.
 */
export function later<M>(load: () => Promise<M>): Later<M> {
  let module: M | null = null;
  let job: Promise<void> | null = null;
  let failure: AuthError | null = null;
  /** The hosts waiting for it (each once, however often it renders meanwhile). */
  const waiting = new Set<LaterHost>();
  const code = (): Promise<void> =>
    (job ??= load().then(
      (loaded) => void (module = loaded),
      (cause: unknown) => {
        job = null; // a failed chunk load (offline) may succeed next time
        throw cause;
      },
    ));
  const fetch = (languages: Language[]): Promise<void> => Promise.all([code(), ...languages.map((language) => loadLanguage(language, true))]).then(() => {});
  // Only a part someone waits for says so (a prefetch that failed tries again when drawn).
  const early = (languages: Language[]): Promise<void> => fetch(languages).catch(() => {});
  const part = (host: LaterHost, draw: (module: M) => unknown, back?: () => void): unknown => {
    const language = host.i18n.language;
    if (module && languageReady(language, true)) {
      const { styles } = module as { styles?: readonly CSSResult[] };
      if (styles) adoptDocumentStyles(host.ownerDocument, styles);
      return draw(module);
    }
    if (failure) {
      const retry = () => {
        failure = null;
        host.form.focus('first');
      };
      return html`<div class="auth-form">
        <p part="error" role="alert" tabindex="-1">${host.i18n.t('partUnavailable')}</p>
        <button part="button" type="button" @click=${retry}>${host.i18n.t('tryAgain')}</button>
        ${back ? html`<button part="link" type="button" @click=${back}>${host.i18n.t('back')}</button>` : nothing}
      </div>`;
    }
    if (!waiting.has(host)) {
      waiting.add(host);
      host.waitFor(
        fetch([language])
          .catch((cause: unknown) => {
            failure = new AuthError('network', { providerCode: 'views_not_loaded', cause });
            host.auth.announce(failure);
            host.form.focus('alert');
          })
          .finally(() => waiting.delete(host)),
      );
    }
    // Focus may wait here (the link that opened it is gone) until the part is drawn.
    return busyBox(host);
  };
  const prefetch = (event?: Event): void => {
    const target = event?.currentTarget;
    void early(target instanceof Element ? [languageOf(target)] : languagesHere());
  };
  return Object.assign(part, { prefetch, ready: (host: Pick<ViewHost, 'i18n'>) => (module && languageReady(host.i18n.language, true) ? Promise.resolve() : early([host.i18n.language])) });
}
