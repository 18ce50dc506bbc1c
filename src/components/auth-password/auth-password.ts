import { css, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Identifier } from '../../contract/index.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { CountdownController } from '../base/countdown-controller.js';
import { IdentifierInput } from '../views/identifier.js';
import { accountView, changePasswordView } from '../views/account.js';
import { forgotView, signedInView, signInView, signUpView } from '../views/sign-in.js';
import { stepView } from '../views/steps.js';

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
export class AuthPassword extends AuthFormElement {
  static override properties = {
    identifier: {},
    defaultRegion: { attribute: 'default-region' },
    view: {},
    accountOnly: { attribute: 'account', type: Boolean },
  };

  static override formStyles = [
    css`
      :where(auth-password) {
        display: block;
      }
    `,
  ];

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
  readonly who = new IdentifierInput(this);
  readonly countdown = new CountdownController(this);
  /** The password just typed, kept in memory only until a password change completes. */
  typed = '';
  /** Who is signing in, as typed: for the password manager beside a new password. */
  account = '';

  constructor() {
    super();
    this.defaultRegion = '86';
    this.view = 'sign-in';
    this.accountOnly = false;
  }

  /** Shows another view; what the last one said goes with it. */
  go(view: View): void {
    this.view = view;
    this.form.clear();
    this.countdown.stop();
    this.form.focus('first');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('identifier')) this.who.chosen = this.identifier;
  }

  protected override render(): TemplateResult | typeof nothing {
    const { status, pending } = this.auth.state;
    // A backend without password sign-in (or no client yet): this element shows nothing.
    if (!this.auth.capabilities.password.length) return nothing;
    if (this.accountOnly && status !== 'signed-in') return nothing;
    if (pending && pending.origin !== 'otp' && pending.origin !== 'oauth' && pending.origin !== 'profile') return stepView(this, pending);
    if (status === 'signed-in' && this.view === 'change-password' && this.auth.capabilities.account?.password) return changePasswordView(this);
    if (status === 'signed-in' && this.accountOnly) return accountView(this);
    if (status === 'signed-in' && this.view !== 'sign-up') return signedInView(this);
    if (this.view === 'forgot' && this.auth.capabilities.recovery.length) return forgotView(this);
    if (this.view === 'sign-up' && this.auth.capabilities.signUp.length) return signUpView(this);
    return signInView(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-password': AuthPassword;
  }
}
