import type { ReactiveController } from 'lit';
import type { AuthenticationResponseJSON } from '@simplewebauthn/browser';
import type { AuthError } from '../../contract/index.js';
import type { ActionOptions } from '../../core/client.js';
import { devWarn } from '../../core/util/dev.js';
import { conditionalMediationAvailable, missingUrls, requestAssertion, verifyAssertion, WEBAUTHN_INPUT } from '../../core/passkey-calls.js';
import { authenticationUrls, type CalmReason, type PasskeyUrls } from '../../core/passkeys.js';
import type { ViewHost } from '../views/host.js';

/** Conditional UI: not tried yet (or may be tried again), waiting in autofill, or given up. */
type Autofill = 'idle' | 'armed' | 'off';

export interface PasskeyHost extends ViewHost {
  /** POST → authentication options JSON; default `passkeys.authenticationOptionsUrl`. */
  optionsUrl?: string;
  /** POST the assertion JSON → `{ verified, session }`; default `passkeys.authenticationVerifyUrl`. */
  verifyUrl?: string;
  /** Do not offer passkeys in input autofill (conditional UI). */
  noAutofill: boolean;
}

/**
 * Passkey sign-in, as `<auth-passkey>` and `<auth-login>` share it: the button's ceremony (from
 * the click: Safari wants a user gesture), and conditional UI that waits, without a prompt, for
 * the person to pick a passkey in the autofill of a `webauthn` input. The session is adopted
 * with `setSession`, so SIGNED_IN is announced from the host and stored like any other.
 */
export class PasskeyController implements ReactiveController {
  #autofill: Autofill = 'idle';
  #autofillAbort: AbortController | null = null;
  /** A sign-in started by the button is running: autofill must not start meanwhile. */
  #modal = false;

  constructor(private readonly host: PasskeyHost) {
    host.addController(this);
  }

  get urls(): PasskeyUrls | null {
    return authenticationUrls(this.host, this.host.auth.client?.passkeys);
  }

  hostUpdated(): void {
    const status = this.host.auth.state.status;
    if (status !== 'signed-out' || this.host.noAutofill) {
      this.#stopAutofill();
      if (status === 'signed-in') this.#autofill = 'idle'; // offered again after a sign-out
      return;
    }
    if (this.#autofill === 'idle' && !this.host.form.busy && !this.#modal && this.urls) void this.#startAutofill();
  }

  hostDisconnected(): void {
    this.#stopAutofill();
    this.#autofill = 'idle';
  }

  /** The button: one ceremony, from the click. */
  async signIn(): Promise<void> {
    // The click wins over a waiting autofill request (only one ceremony can run at a time).
    this.#stopAutofill();
    this.#modal = true;
    this.host.form.begin();
    const urls = this.urls;
    try {
      await this.#complete((options) => (urls ? requestAssertion({ http: this.host.auth.client!.http, urls, signal: options.signal }) : Promise.resolve({ data: null, error: missingUrls('authentication'), calm: null })));
    } finally {
      this.#modal = false;
      this.host.requestUpdate(); // offer autofill again if the person is still signed out
    }
  }

  /** Nothing is shown while autofill waits; a failure to set it up stays quiet (the person asked for nothing). */
  async #startAutofill() {
    this.#autofill = 'armed';
    const abort = new AbortController();
    this.#autofillAbort = abort;
    // Sibling elements (an <auth-password> after this one) render their inputs in the same task.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const available = await conditionalMediationAvailable();
    if (abort.signal.aborted) return;
    if (!available || !this.host.ownerDocument.querySelector(WEBAUTHN_INPUT)) {
      this.#autofill = 'off';
      return;
    }
    const urls = this.urls;
    const client = this.host.auth.client;
    if (!urls || !client) return void (this.#autofill = 'idle');
    const assertion = await requestAssertion({ http: client.http, urls, signal: abort.signal, autofill: true });
    if (this.#autofillAbort === abort) this.#autofillAbort = null;
    if (abort.signal.aborted) return;
    if (assertion.error) {
      // Superseded by another ceremony on the page (AbortError): offer autofill again later.
      if (assertion.calm === 'cancelled' && !this.#modal) this.#autofill = 'idle';
      else if (!assertion.calm) {
        this.#autofill = 'off';
        devWarn('Passkey autofill could not start; the button still works.', assertion.error);
      }
      return;
    }
    this.#autofill = 'idle';
    // The person picked a passkey: from here on it is their sign-in, with errors shown.
    await this.#complete(() => Promise.resolve(assertion));
  }

  #stopAutofill() {
    this.#autofillAbort?.abort();
    this.#autofillAbort = null;
    if (this.#autofill === 'armed') this.#autofill = 'idle';
  }

  /** Verifies an assertion and adopts the session; says what went wrong, calmly or not. */
  async #complete(assert: (options: ActionOptions) => ReturnType<typeof requestAssertion>) {
    const { auth, form } = this.host;
    let own: AuthError | null = null; // failures the client did not announce itself
    let calm: CalmReason | null = null;
    const done = { error: null };
    await form.run(async (options) => {
      const assertion = await assert(options);
      if (assertion.error) {
        calm = assertion.calm;
        if (!calm && assertion.error.code !== 'cancelled') own = assertion.error;
        return done;
      }
      const urls = this.urls;
      if (!urls) return (own = missingUrls('authentication')), done;
      const verified = await verifyAssertion({ http: auth.client!.http, urls, assertion: assertion.data as AuthenticationResponseJSON, signal: options.signal });
      if (verified.error) {
        if (verified.error.code !== 'cancelled') own = verified.error;
        return done;
      }
      // `source: host` (in options): SIGNED_IN, or setSession's own error, is announced from the host.
      return auth.client!.setSession(verified.data, options);
    });
    if (own) form.report(own);
    if (calm) form.setNotice(calm === 'exists' ? 'passkeyExists' : 'passkeyCancelled');
  }
}
