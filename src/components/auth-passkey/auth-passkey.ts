import type { PropertyValues } from 'lit';
import { AuthFormElement } from '../base/auth-form-element.js';
import type * as PasskeyViews from './views.js';

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
export class AuthPasskey extends AuthFormElement<typeof PasskeyViews> {
  static override properties = {
    optionsUrl: { attribute: 'options-url' },
    verifyUrl: { attribute: 'verify-url' },
    noAutofill: { attribute: 'no-autofill', type: Boolean },
  };

  /** @internal */
  static override views = () => import('./views.js');

  /** POST → authentication options JSON; default `passkeys.authenticationOptionsUrl`. */
  declare optionsUrl?: string;
  /** POST the assertion JSON → `{ verified, session }`; default `passkeys.authenticationVerifyUrl`. */
  declare verifyUrl?: string;
  /** Do not offer passkeys in input autofill (conditional UI); the button still works. */
  declare noAutofill: boolean;

  /** @internal */
  defaultRegion = '86';

  constructor() {
    super();
    this.noAutofill = false;
  }

  /** @internal */
  protected override renderViews(views: typeof PasskeyViews): unknown {
    views.offerPasskeys(this); // from the first render on: its controller offers passkeys in autofill by itself
    return views.passkeyView(this);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.auth.state.status === 'signed-in') this.form.clear();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-passkey': AuthPasskey;
  }
}
