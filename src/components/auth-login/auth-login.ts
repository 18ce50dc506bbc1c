import type { PropertyValues } from 'lit';
import type { Channel, Identifier } from '../../contract/index.js';
import type { StepResult } from '../../core/client.js';
import { loadLanguage } from '../../i18n/index.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { CountdownController } from '../base/countdown-controller.js';
import { askedMethods } from './methods.js';
import type { IdentifierInput } from '../views/identifier.js';
import type { OtpController } from '../views/otp.js';
import type * as LoginViews from './views.js';

type View = 'sign-in' | 'sign-up' | 'forgot' | 'change-password';

/**
 * The one tag a site owner drops in: password, one-time code, social and passkey sign-in,
 * composed by what the backend can do into one card. "Password" / "Code" tabs when both exist,
 * one main button per view, an "or" before the social and passkey buttons, and every further
 * view in place with a way back: sign-up and its code, forgot password, a second factor, a
 * security check, consent to the backend's terms, a new password. Signed in: who, "Change
 * password" and "Send verification email" where the backend can, and Sign out.
 *
 * @summary The whole sign-in in one card.
 *
 * @fires auth-state-change - `{ event, session }` when this element signed the person in or out.
 * @fires auth-error - `{ error }` when an action of this element failed; `error.message` is the text shown.
 * @fires auth-otp-sent - `{ channel, expiresIn }` when a code was sent.
 *
 * @csspart card - The card around everything.
 * @csspart heading - The card's heading (focused after sign-in and sign-out).
 * @csspart tabs - The "Password" / "Code" tab list; `tab` each tab, `tabpanel` the panel.
 * @csspart divider - The "or" between the forms and the other ways to sign in.
 * @csspart form - A `<form>`.
 * @csspart field - A label, its input and its message.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart choice - The choice of identifier (email, phone, username).
 * @csspart message - Help, or a message tied to a field (`invalid` when it is an error).
 * @csspart status - The status line: a calm notice.
 * @csspart error - The form's error, announced by screen readers.
 * @csspart button - The main button; also `secondary` buttons (`social`, `passkey`).
 * @csspart link - A text button switching views.
 * @csspart captcha - The image of a security check the backend asked for.
 *
 * @cssproperty --auth-primary - Main colour of buttons and links.
 * @cssproperty --auth-primary-contrast - Text on the main colour.
 * @cssproperty --auth-surface - The card's background.
 * @cssproperty --auth-color - Text colour.
 * @cssproperty --auth-error-color - Errors and invalid fields.
 * @cssproperty --auth-border-color - Input borders.
 * @cssproperty --auth-radius - Corner radius of inputs and buttons (the card doubles it).
 * @cssproperty --auth-gap - Space between fields.
 * @cssproperty --auth-font - Font of the widget (default: the system's).
 * @cssproperty --auth-max-width - Widest the card grows.
 * @cssproperty --auth-card-shadow - The card's shadow.
 *
 * @example
 * <auth-config provider="cloudbase" env="my-env" access-key="…">
 *   <auth-login></auth-login>
 * </auth-config>
 */
export class AuthLogin extends AuthFormElement<typeof LoginViews> {
  static override properties = {
    methods: {},
    view: {},
    identifier: {},
    channel: {},
    defaultRegion: { attribute: 'default-region' },
    createUser: {
      attribute: 'create-user',
      converter: { fromAttribute: (value: string | null) => (value === null ? undefined : value !== 'false') },
    },
    sources: {},
    optionsUrl: { attribute: 'options-url' },
    verifyUrl: { attribute: 'verify-url' },
    noAutofill: { attribute: 'no-autofill', type: Boolean },
    popup: { type: Boolean },
    tab: { state: true },
    current: { state: true },
  };

  /** @internal */
  static override views = () => import('./views.js');
  /** @internal Its first views need only the first words (i18n/en.ts); its further parts bring the rest. */
  static override moreWords = false;

  /** Space-separated subset and order of `password otp social passkey`; default all the backend has. */
  declare methods?: string;
  /** `sign-in` (default) or `sign-up`: the view to start with. */
  declare view?: 'sign-in' | 'sign-up';
  /** `email`, `phone` or `username`: the identifier to start with. */
  declare identifier?: Identifier;
  /** `sms` or `email` for the Code tab; default the first the backend supports. */
  declare channel?: Channel;
  /** Country calling code for phone numbers without one (default `86`). */
  declare defaultRegion: string;
  /** Sign up people the backend does not know with a code (present: yes; `"false"`: no). */
  declare createUser?: boolean;
  /** Space-separated social sources to show, in order; default all the backend offers. */
  declare sources?: string;
  /** Passkey sign-in: POST → options; default `passkeys.authenticationOptionsUrl`. */
  declare optionsUrl?: string;
  /** Passkey sign-in: POST the assertion → `{ verified, session }`; default `passkeys.authenticationVerifyUrl`. */
  declare verifyUrl?: string;
  /** Do not offer passkeys in the identifier field's autofill. */
  declare noAutofill: boolean;
  /** Social sign-in in a popup where the backend can (`capabilities.popup`); a blocked popup falls back to the redirect. */
  declare popup: boolean;
  /** @internal The open tab. */
  declare tab: 'password' | 'otp';
  /** @internal The open view. */
  declare current: View;

  /** @internal */
  readonly countdown = new CountdownController(this);
  #who: IdentifierInput | null = null;
  /** @internal Which identifier the person picked (from the views: state, not rendering). */
  get who(): IdentifierInput {
    if (!this.#who) {
      this.#who = new this.views.IdentifierInput(this);
      this.#who.chosen = this.identifier;
    }
    return this.#who;
  }
  /** @internal The one-time code form's state and actions, once its code is here (views/otp-part.ts). */
  otp: OtpController | null = null;
  /** The signed-in view's code was asked for (`scheduleUpdate`). */
  #signedInAsked = false;
  /**
   * The password just typed, kept in memory only until a password change completes.
   * @internal
   */
  typed = '';
  /**
   * Who is signing in, as typed.
   * @internal
   */
  account = '';

  constructor() {
    super();
    this.defaultRegion = '86';
    this.noAutofill = false;
    this.popup = false;
    this.tab = 'password';
    this.current = 'sign-in';
    // Another configuration: back to the first view (the form controller clears the messages).
    this.auth.onClientChange(() => (this.current = this.view === 'sign-up' ? 'sign-up' : 'sign-in'));
  }

  /**
   * Shows another view; what the last one said goes with it.
   * @internal
   */
  go(view: View): void {
    this.current = view;
    this.form.clear();
    this.countdown.stop();
    this.form.focus('first');
  }

  /**
   * A code send went through after a security check: show the code form.
   * @internal
   */
  afterCaptcha(result: StepResult<object>): void {
    if ('verifyOtp' in result.data) this.otp?.afterCaptcha(result);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('identifier') && this.#who) this.#who.chosen = this.identifier;
    if (changed.has('view')) this.current = this.view === 'sign-up' ? 'sign-up' : 'sign-in';
  }

  /**
   * Someone is signed in, or start-up is restoring a stored session: the signed-in view's code
   * (views/signed-in-part.ts) and the words it shows start loading now, beside the views if they
   * are still on their way, not once the card is drawn. Each update asks (an update is scheduled
   * on every change of state); the browser fetches each module once.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (!this.#signedInAsked && this.auth.signedIn) {
      this.#signedInAsked = true;
      this.#prefetch(() => import('../views/signed-in.js'), () => (this.#signedInAsked = false));
    }
    return super.scheduleUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The code form is the first view (`methods` names it first, or the backend has no password):
    // it starts loading with the views, not once they are drawn (views/otp-part.ts loads it too).
    if (this.#codeFirst()) this.#prefetch(() => import('../views/otp.js'));
  }

  /**
   * Starts loading a part of the card before it is drawn (views/later.ts): its code and the words
   * beyond the first views it shows, in the element's language, as the part itself asks for them.
   * A failure shows when the part is drawn (it loads again then); `failed` may allow another try.
   */
  #prefetch(load: () => Promise<unknown>, failed = () => {}): void {
    void Promise.all([load(), loadLanguage(this.i18n.language, true)]).catch(failed);
  }

  #codeFirst(): boolean {
    const { password, otp } = this.auth.capabilities;
    return askedMethods(this.methods).find((m) => (m === 'password' && password.length > 0) || (m === 'otp' && otp.length > 0)) === 'otp';
  }

  /** @internal */
  protected override renderViews(views: typeof LoginViews): unknown {
    views.offerPasskeys(this); // from the first render on: its controller offers passkeys in autofill by itself
    return views.loginView(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-login': AuthLogin;
  }
}
