import { css, html, nothing, type TemplateResult } from 'lit';
import { warmUpWebAuthn, webAuthnSupported } from '../../core/passkeys.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { addPasskey } from '../base/passkey-registration.js';
import { formMessages } from '../base/templates.js';

/**
 * Registers a passkey for the signed-in person. The button starts the ceremony from the click
 * (browsers, Safari first, want WebAuthn started by a user gesture): it POSTs `options-url` with
 * the session's `Authorization: Bearer` token, runs `startRegistration()` of
 * `@simplewebauthn/browser` (loaded on first use, not with the element), and POSTs the result to
 * `verify-url`, which answers `{ verified: true, credentialId? }`.
 *
 * Shown only while someone is signed in and the browser has WebAuthn. A dismissed or timed-out
 * prompt is a calm message in the status line, not an error.
 *
 * @summary Add a passkey to the signed-in account.
 *
 * @fires auth-passkey-registered - `{ credentialId }` when the server verified the new passkey.
 * @fires auth-error - `{ error }` when registering failed (not when the person dismissed the prompt).
 *
 * @csspart form - The `<form>`.
 * @csspart button - The "Add a passkey" button.
 * @csspart error - The form's error, announced by screen readers.
 * @csspart message - The status line: "Passkey added.", or why no passkey was added.
 *
 * @cssproperty --auth-primary - Main colour of buttons and links.
 * @cssproperty --auth-primary-contrast - Text on the main colour.
 * @cssproperty --auth-error-color - Errors.
 * @cssproperty --auth-radius - Corner radius of the button.
 * @cssproperty --auth-gap - Space between the button and the messages.
 * @cssproperty --auth-font - Font of the form.
 *
 * @example
 * <auth-webauthn-register
 *   options-url="/passkeys/registration/options"
 *   verify-url="/passkeys/registration/verify"></auth-webauthn-register>
 */
export class AuthWebauthnRegister extends AuthFormElement {
  static override properties = {
    optionsUrl: { attribute: 'options-url' },
    verifyUrl: { attribute: 'verify-url' },
  };

  static override formStyles = [
    css`
      :where(auth-webauthn-register) {
        display: block;
      }
    `,
  ];

  /** POST → registration options JSON; default `passkeys.optionsUrl` of the configuration. */
  declare optionsUrl?: string;
  /** POST the attestation JSON → `{ verified }`; default `passkeys.verifyUrl` of the configuration. */
  declare verifyUrl?: string;

  protected override render(): TemplateResult | typeof nothing {
    if (this.auth.state.status !== 'signed-in' || !webAuthnSupported()) return nothing;
    return html`<form part="form" class="auth-form" @submit=${this.#register}>
      <fieldset>
        <button part="button" type="submit" @pointerenter=${warmUpWebAuthn} @focus=${warmUpWebAuthn}>${this.i18n.t('addPasskey')}</button>
        ${formMessages(this.form, this.i18n, this.id_('error'))}
      </fieldset>
    </form>`;
  }

  protected override willUpdate(): void {
    // Signed out (or someone else signed in): what was said about the last account goes.
    if (this.auth.state.status !== 'signed-in') this.form.clear();
  }

  async #register(event: SubmitEvent) {
    event.preventDefault();
    await addPasskey(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-webauthn-register': AuthWebauthnRegister;
  }
  interface HTMLElementEventMap {
    'auth-passkey-registered': CustomEvent<{ credentialId: string }>;
  }
}
