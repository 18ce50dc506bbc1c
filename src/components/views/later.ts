import { html, nothing } from 'lit';
import { AuthError } from '../../contract/index.js';
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
  /** Starts loading now: the view that needs it is likely next (a request is on its way). */
  prefetch(): void;
  /** Resolves once it is here, or could not load (it is drawn then: here, or its sentence). */
  ready(): Promise<void>;
}

/**
 * A part of a view that few people see (a step after sign-in: a second factor, a captcha, a
 * password change) loads the first time it is drawn instead of with the element: until it is
 * here, an empty busy box (the element's `updateComplete` and the focus of the last action wait
 * for it); offline, a sentence saying so (`auth-error`: `network`, `views_not_loaded`) and a
 * "Try again" button, the session and the step untouched.
 */
export function later<M>(load: () => Promise<M>): Later<M> {
  let module: M | null = null;
  let job: Promise<void> | null = null;
  let failure: AuthError | null = null;
  const waiting = new Set<LaterHost>();
  const fetch = (): Promise<void> =>
    (job ??= load().then(
      (loaded) => {
        module = loaded;
      },
      (cause: unknown) => {
        job = null;
        // Only a part someone waits for says so (a prefetch that failed tries again when drawn).
        if (!waiting.size) return;
        failure = new AuthError('network', { providerCode: 'views_not_loaded', cause });
        for (const host of waiting) {
          host.auth.announce(failure);
          host.form.focus('alert');
        }
      },
    ).finally(() => waiting.clear()));
  const part = (host: LaterHost, draw: (module: M) => unknown, back?: () => void): unknown => {
    if (module) return draw(module);
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
    waiting.add(host);
    host.waitFor(fetch());
    // Focus may wait here (the link that opened it is gone) until the part is drawn.
    return html`<div class="auth-form" aria-busy="true" tabindex="-1"><span class="auth-sr">${host.i18n.t('working')}</span></div>`;
  };
  return Object.assign(part, { prefetch: () => void fetch(), ready: fetch });
}
