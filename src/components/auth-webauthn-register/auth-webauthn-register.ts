import { AuthFormElement } from '../base/auth-form-element.js';
import type * as RegisterViews from './views.js';

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
export class AuthWebauthnRegister extends AuthFormElement<typeof RegisterViews> {
  static override properties = {
    optionsUrl: { attribute: 'options-url' },
    verifyUrl: { attribute: 'verify-url' },
  };

  /** @internal */
  static override views = () => import('./views.js');

  /** POST → registration options JSON; default `passkeys.optionsUrl` of the configuration. */
  declare optionsUrl?: string;
  /** POST the attestation JSON → `{ verified }`; default `passkeys.verifyUrl` of the configuration. */
  declare verifyUrl?: string;

  /** @internal */
  protected override renderViews(views: typeof RegisterViews): unknown {
    return views.registerView(this);
  }

  protected override willUpdate(): void {
    // Signed out (or someone else signed in): what was said about the last account goes.
    if (this.auth.state.status !== 'signed-in') this.form.clear();
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
