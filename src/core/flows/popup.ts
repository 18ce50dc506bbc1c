// Redirect sign-in in a popup (DESIGN.md, <auth-social>): the window opens from the click, goes
// to the authorization page, and on its way back the redirect page (running this client too)
// hands the callback to the page that opened it (Environment.handBack), which completes it here.
// A blocked popup falls back to the redirect of the whole page.
import { AuthError } from '../../contract/index.js';
import { POPUP_MESSAGE, type PopupWindow } from '../environment.js';
import type { ActionOptions, ActionRunner, SignInResult } from '../runner.js';
import type { OAuthFlow, OAuthSignInParams } from './oauth.js';

/** How often to look whether the person closed the popup. */
const CLOSED_POLL = 500;
const EMPTY = { session: null, user: null };

export class PopupFlow {
  constructor(
    private readonly oauth: OAuthFlow,
    private readonly runner: ActionRunner,
  ) {}

  /**
   * Signs in in `popup`, which the client opened in the task of the click (browsers allow one
   * only in a user gesture, before anything is awaited, so before this flow's chunk loads); with
   * none (blocked, or the backend has none), the whole page redirects.
   */
  signIn(popup: PopupWindow | null, params: OAuthSignInParams, options: ActionOptions): Promise<SignInResult> {
    return popup ? this.#inPopup(popup, params, options) : this.#redirect(params, options);
  }

  /** No popup (blocked, or the backend has none): the whole page goes, and comes back signed in. */
  async #redirect(params: OAuthSignInParams, options: ActionOptions): Promise<SignInResult> {
    const started = await this.oauth.start(params, options);
    return { data: EMPTY, error: started.error } as SignInResult;
  }

  async #inPopup(popup: PopupWindow, params: OAuthSignInParams, options: ActionOptions): Promise<SignInResult> {
    const started = await this.oauth.start({ ...params, options: { ...params.options, skipBrowserRedirect: true } }, options);
    if (started.error) {
      popup.close();
      return { data: EMPTY, error: started.error } as SignInResult;
    }
    popup.navigate(started.data.url);
    const url = await this.#callback(popup, options.signal);
    // Closed by the person (or the element went away): a calm cancel, nothing to show.
    if (!url) return this.runner.fail(new AuthError('cancelled', { providerCode: 'popup_closed' }), EMPTY, options.source);
    // The state, nonce and code are checked here exactly as on a redirect's return.
    const done = await this.oauth.complete(url, true, options);
    return done?.result ?? this.runner.fail(new AuthError('invalid_request', { providerCode: 'not_a_callback' }), EMPTY, options.source);
  }

  /** The callback URL the popup hands back; null when it was closed first or the action cancelled. */
  #callback(popup: PopupWindow, signal: AbortSignal | undefined): Promise<string | null> {
    return new Promise((resolve) => {
      const finish = (url: string | null) => {
        stop();
        clearInterval(poll);
        signal?.removeEventListener('abort', cancel);
        popup.close();
        resolve(url);
      };
      // Only this popup, only from this origin (the environment checks both), only this message.
      const stop = popup.onMessage((data, reply) => {
        const message = data as { type?: unknown; url?: unknown } | null;
        if (message?.type !== POPUP_MESSAGE || typeof message.url !== 'string') return;
        reply('taken');
        finish(message.url);
      });
      const poll = setInterval(() => {
        if (popup.closed) finish(null);
      }, CLOSED_POLL);
      const cancel = () => finish(null);
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
  }
}
