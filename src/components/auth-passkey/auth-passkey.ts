import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { AuthenticationResponseJSON } from '@simplewebauthn/browser';
import type { AuthError } from '../../contract/index.js';
import type { ActionOptions } from '../../core/client.js';
import { devWarn } from '../../core/util/dev.js';
import {
  authenticationUrls,
  conditionalMediationAvailable,
  warmUpWebAuthn,
  missingUrls,
  requestAssertion,
  verifyAssertion,
  webAuthnSupported,
  WEBAUTHN_INPUT,
  type CalmReason,
  type PasskeyUrls,
} from '../../core/passkeys.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { formMessages } from '../base/templates.js';

/** Conditional UI: not tried yet (or may be tried again), waiting in autofill, or given up. */
type Autofill = 'idle' | 'armed' | 'off';

/**
 * Sign-in with a passkey. The button starts `startAuthentication()` of `@simplewebauthn/browser`
 * from the click (a user gesture, which Safari requires); the browser offers the passkeys it
 * holds for this site (discoverable credentials, no username needed).
 *
 * Where the browser supports conditional mediation and the page has an input whose
 * `autocomplete` ends in `webauthn` (e.g. `<input autocomplete="username webauthn">`, as in
 * `<auth-password>`), passkeys are also offered in that input's autofill; picking one signs in.
 *
 * The server contract: `options-url` (POST → `PublicKeyCredentialRequestOptionsJSON`) and
 * `verify-url` (POST the `AuthenticationResponseJSON` →
 * `{ verified: true, session: { access_token, token_type?, expires_in?, refresh_token?, id_token?, user: { id, … } } }`).
 * The session is adopted with `client.setSession()`, so `SIGNED_IN` is announced from this
 * element and the session is stored, shared with other tabs and expires like any other.
 *
 * @summary Passkey sign-in: a button, and passkeys in autofill.
 *
 * @fires auth-state-change - `{ event, session }` when this element signed the person in.
 * @fires auth-error - `{ error }` when signing in failed (not when the person dismissed the prompt).
 *
 * @csspart form - The `<form>`.
 * @csspart button - The "Sign in with a passkey" button.
 * @csspart error - The form's error, announced by screen readers.
 * @csspart message - The status line: why no passkey was used.
 *
 * @cssproperty --auth-primary - Main colour of buttons and links.
 * @cssproperty --auth-primary-contrast - Text on the main colour.
 * @cssproperty --auth-error-color - Errors.
 * @cssproperty --auth-radius - Corner radius of the button.
 * @cssproperty --auth-gap - Space between the button and the messages.
 * @cssproperty --auth-font - Font of the form.
 *
 * @example
 * <auth-password></auth-password>
 * <auth-passkey
 *   options-url="/passkeys/authentication/options"
 *   verify-url="/passkeys/authentication/verify"></auth-passkey>
 */
export class AuthPasskey extends AuthFormElement {
  static override properties = {
    optionsUrl: { attribute: 'options-url' },
    verifyUrl: { attribute: 'verify-url' },
    noAutofill: { attribute: 'no-autofill', type: Boolean },
  };

  static override formStyles = [
    css`
      :where(auth-passkey) {
        display: block;
      }
    `,
  ];

  /** POST → authentication options JSON; default `passkeys.authenticationOptionsUrl`. */
  declare optionsUrl?: string;
  /** POST the assertion JSON → `{ verified, session }`; default `passkeys.authenticationVerifyUrl`. */
  declare verifyUrl?: string;
  /** Do not offer passkeys in input autofill (conditional UI); the button still works. */
  declare noAutofill: boolean;

  #autofill: Autofill = 'idle';
  #autofillAbort: AbortController | null = null;
  /** A sign-in started by the button is running: autofill must not start meanwhile. */
  #modal = false;

  constructor() {
    super();
    this.noAutofill = false;
  }

  get #urls(): PasskeyUrls | null {
    return authenticationUrls(this, this.auth.client?.passkeys);
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.auth.state.status === 'signed-in' || !webAuthnSupported()) return nothing;
    return html`<form part="form" class="auth-form" @submit=${this.#signIn}>
      <fieldset>
        <button part="button" type="submit" @pointerenter=${warmUpWebAuthn} @focus=${warmUpWebAuthn}>${this.i18n.t('passkey')}</button>
        ${formMessages(this.form, this.i18n, this.id_('error'))}
      </fieldset>
    </form>`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.auth.state.status === 'signed-in') this.form.clear();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const status = this.auth.state.status;
    if (status !== 'signed-out' || this.noAutofill) {
      this.#stopAutofill();
      if (status === 'signed-in') this.#autofill = 'idle'; // offered again after a sign-out
      return;
    }
    if (this.#autofill === 'idle' && !this.form.busy && !this.#modal && this.#urls) void this.#startAutofill();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopAutofill();
    this.#autofill = 'idle';
  }

  async #signIn(event: SubmitEvent) {
    event.preventDefault();
    // The click wins over a waiting autofill request (only one ceremony can run at a time).
    this.#stopAutofill();
    this.#modal = true;
    this.form.begin();
    const urls = this.#urls;
    try {
      await this.#complete((options) => (urls ? requestAssertion({ http: this.auth.client!.http, urls, signal: options.signal }) : Promise.resolve({ data: null, error: missingUrls('authentication'), calm: null })));
    } finally {
      this.#modal = false;
      this.requestUpdate(); // offer autofill again if the person is still signed out
    }
  }

  /**
   * Conditional UI: waits, without a prompt, for the person to pick a passkey in the autofill of
   * a `webauthn` input. Nothing is shown while it waits; a failure to set it up stays quiet (the
   * person asked for nothing) and is not retried until the element is connected again.
   */
  async #startAutofill() {
    this.#autofill = 'armed';
    const abort = new AbortController();
    this.#autofillAbort = abort;
    // Sibling elements (an <auth-password> after this one) render their inputs in the same task.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const available = await conditionalMediationAvailable();
    if (abort.signal.aborted) return;
    if (!available || !this.ownerDocument.querySelector(WEBAUTHN_INPUT)) {
      this.#autofill = 'off';
      return;
    }
    const urls = this.#urls;
    const client = this.auth.client;
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
    let own: AuthError | null = null; // failures the client did not announce itself
    let calm: CalmReason | null = null;
    const done = { error: null };
    await this.form.run(async (options) => {
      const assertion = await assert(options);
      if (assertion.error) {
        calm = assertion.calm;
        if (!calm && assertion.error.code !== 'cancelled') own = assertion.error;
        return done;
      }
      const urls = this.#urls;
      if (!urls) return (own = missingUrls('authentication')), done;
      const verified = await verifyAssertion({ http: this.auth.client!.http, urls, assertion: assertion.data as AuthenticationResponseJSON, signal: options.signal });
      if (verified.error) {
        if (verified.error.code !== 'cancelled') own = verified.error;
        return done;
      }
      // `source: this` (in options): SIGNED_IN, or setSession's own error, is announced from here.
      return this.auth.client!.setSession(verified.data, options);
    });
    if (own) this.form.report(own);
    if (calm) this.form.setNotice(calm === 'exists' ? 'passkeyExists' : 'passkeyCancelled');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-passkey': AuthPasskey;
  }
}
