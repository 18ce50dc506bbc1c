import type { PropertyValues } from 'lit';
import type { Identifier } from '../../contract/index.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { CountdownController } from '../base/countdown-controller.js';
import type { IdentifierInput } from '../views/identifier.js';
import type * as PasswordViews from './views.js';

type View = 'sign-in' | 'sign-up' | 'forgot' | 'change-password';

/**
 * Identifier and password: sign in, sign up (with the code a backend sends to verify), forgot
 * password (code or link, then a new password), and the steps a backend may ask for before it
 * signs the person in: a new password (expired, or expiring and skippable) checked against the
 * backend's policy first, a second factor, a security check, consent to its terms. Signed in:
 * change the password and verify the email address where the backend can, and sign out. With
 * `account`, only those account actions, and nothing while signed out.
 *
 * The credential inputs are in the page's light DOM inside a real `<form>` with `name` and
 * `autocomplete` set, so password managers fill them; Enter submits.
 *
 * @summary Password sign-in, sign-up, recovery, password change and second factor.
 *
 * @fires auth-state-change - `{ event, session }` when this element signed the person in or out.
 * @fires auth-error - `{ error }` when an action of this element failed; `error.message` is the text shown.
 *
 * @csspart form - The `<form>`.
 * @csspart field - A label, its input and its message.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart message - Help or an error tied to a field, or a calm status line.
 * @csspart status - The status line: busy, or a calm notice.
 * @csspart error - The form's error, announced by screen readers.
 * @csspart button - The main button; also `secondary` buttons.
 * @csspart link - A text button switching views (forgot password, sign up).
 * @csspart choice - The choice of identifier (email, phone, username).
 * @csspart region - The country or region code of a phone number.
 * @csspart captcha - The image of a security check the backend asked for.
 *
 * @cssproperty --auth-primary - Main colour of buttons and links.
 * @cssproperty --auth-primary-contrast - Text on the main colour.
 * @cssproperty --auth-error-color - Errors and invalid fields.
 * @cssproperty --auth-border-color - Input borders.
 * @cssproperty --auth-radius - Corner radius of inputs and buttons.
 * @cssproperty --auth-gap - Space between fields.
 * @cssproperty --auth-font - Font of the form.
 * @cssproperty --auth-max-width - Widest the form grows.
 *
 * @example
 * <auth-password></auth-password>
 */
export class AuthPassword extends AuthFormElement<typeof PasswordViews> {
  static override properties = {
    identifier: {},
    defaultRegion: { attribute: 'default-region' },
    view: {},
    accountOnly: { attribute: 'account', type: Boolean },
  };

  /** @internal */
  static override views = () => import('./views.js');

  /** `email`, `phone` or `username`; defaults to the first the backend accepts. */
  declare identifier?: Identifier;
  /** Country calling code for phone numbers without one (default `86`). */
  declare defaultRegion: string;
  /** `sign-in` (default), `sign-up`, `forgot`, or (signed in) `change-password` where the backend allows it. */
  declare view: View;
  /**
   * Only the signed-in person's account: "Change password", "Send verification email" and what
   * they lead to; nothing while signed out (for a page where `<auth-login>` signs in and
   * `<auth-user>` shows who is signed in).
   */
  declare accountOnly: boolean;
  /** @internal */
  readonly countdown = new CountdownController(this);
  #who: IdentifierInput | null = null;
  /** @internal Which identifier the person picked. */
  get who(): IdentifierInput {
    if (!this.#who) {
      this.#who = new this.views.IdentifierInput(this);
      this.#who.chosen = this.identifier;
    }
    return this.#who;
  }
  /**
   * The password just typed, kept in memory only until a password change completes.
   * @internal
   */
  typed = '';
  /**
   * Who is signing in, as typed: for the password manager beside a new password.
   * @internal
   */
  account = '';

  constructor() {
    super();
    this.defaultRegion = '86';
    this.view = 'sign-in';
    this.accountOnly = false;
  }

  /**
   * Shows another view; what the last one said goes with it.
   * @internal
   */
  go(view: View): void {
    this.view = view;
    this.form.clear();
    this.countdown.stop();
    this.form.focus('first');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('identifier') && this.#who) this.#who.chosen = this.identifier;
  }

  /** @internal */
  protected override renderViews(views: typeof PasswordViews): unknown {
    return views.passwordView(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-password': AuthPassword;
  }
}
