import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Channel, Identifier, PendingStep } from '../../contract/index.js';
import type { StepResult } from '../../core/client.js';
import { warmUpWebAuthn, webAuthnSupported } from '../../core/passkeys.js';
import type { MessageKey } from '../../i18n/index.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { CountdownController } from '../base/countdown-controller.js';
import { PasskeyController } from '../base/passkey-controller.js';
import { formMessages } from '../base/templates.js';
import { changePasswordView } from '../views/account.js';
import { IdentifierInput } from '../views/identifier.js';
import { OtpController } from '../views/otp.js';
import { forgotView, signedInView, signInView, signUpView } from '../views/sign-in.js';
import { offeredSources, socialButtons } from '../views/social.js';
import { stepView } from '../views/steps.js';

type Method = 'password' | 'otp' | 'social' | 'passkey';
type View = 'sign-in' | 'sign-up' | 'forgot' | 'change-password';
const METHODS: Method[] = ['password', 'otp', 'social', 'passkey'];

const STEP_HEADINGS: Record<PendingStep['kind'], MessageKey> = {
  password_change: 'headingPasswordChange',
  second_factor: 'headingSecondFactor',
  captcha: 'headingCaptcha',
  consent: 'headingConsent',
  verify_sign_up: 'headingVerify',
  recovery: 'headingForgot',
  verify_contact: 'headingVerifyContact',
  verify_email: 'verifyEmail',
};

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
export class AuthLogin extends AuthFormElement {
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

  static override formStyles = [
    css`
      :where(auth-login) {
        display: block;
      }
      :where(auth-login [part~='tabs']) {
        display: flex;
        gap: 0.25rem;
        border-block-end: 1px solid color-mix(in srgb, CanvasText 14%, Canvas);
      }
      :where(auth-login [part~='tab']) {
        flex: 1;
        font: inherit;
        font-weight: 600;
        padding: 0.625rem 0.5rem;
        border: 0;
        border-block-end: 2px solid transparent;
        margin-block-end: -1px;
        background: none;
        color: color-mix(in srgb, CanvasText 70%, Canvas);
        cursor: pointer;
      }
      :where(auth-login [part~='tab'][aria-selected='true']) {
        color: var(--auth-color, CanvasText);
        border-block-end-color: var(--auth-primary, #2457d6);
      }
      :where(auth-login [part~='tab']:focus-visible) {
        outline: var(--auth-focus-ring, 2px solid color-mix(in srgb, var(--auth-primary, #2457d6) 78%, CanvasText));
        outline-offset: -2px;
      }
      :where(auth-login [part~='divider']) {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        margin: 0;
        color: color-mix(in srgb, CanvasText 60%, Canvas);
        font-size: 0.875rem;
      }
      :where(auth-login [part~='divider'])::before,
      :where(auth-login [part~='divider'])::after {
        content: '';
        flex: 1;
        border-block-start: 1px solid color-mix(in srgb, CanvasText 14%, Canvas);
      }
      :where(auth-login [part~='others']) {
        display: grid;
        gap: 0.625rem;
      }
    `,
  ];

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
  declare tab: 'password' | 'otp';
  declare current: View;

  readonly who = new IdentifierInput(this);
  readonly countdown = new CountdownController(this);
  readonly otp = new OtpController(this);
  readonly passkey = new PasskeyController(this);
  /** The password just typed, kept in memory only until a password change completes. */
  typed = '';
  /** Who is signing in, as typed. */
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

  /** Shows another view; what the last one said goes with it. */
  go(view: View): void {
    this.current = view;
    this.form.clear();
    this.countdown.stop();
    this.form.focus('first');
  }

  /** A code send went through after a security check: show the code form. */
  afterCaptcha(result: StepResult<object>): void {
    if ('verifyOtp' in result.data) this.otp.afterCaptcha(result);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('identifier')) this.who.chosen = this.identifier;
    if (changed.has('view')) this.current = this.view === 'sign-up' ? 'sign-up' : 'sign-in';
  }

  /** The methods to offer, in order: those asked for that the backend has. */
  get #methods(): Method[] {
    const caps = this.auth.capabilities;
    const has: Record<Method, boolean> = {
      password: caps.password.length > 0,
      otp: this.otp.channel !== null,
      social: offeredSources(this, this.sources).length > 0,
      passkey: webAuthnSupported() && !!this.passkey.urls,
    };
    const asked = this.methods ? this.methods.split(/\s+/).filter((m): m is Method => (METHODS as string[]).includes(m)) : METHODS;
    return asked.filter((method) => has[method]);
  }

  protected override render(): TemplateResult {
    const { status, pending } = this.auth.state;
    let heading: MessageKey = 'headingSignIn';
    let body: unknown;
    if (pending && pending.origin !== 'oauth' && pending.origin !== 'profile') {
      heading = STEP_HEADINGS[pending.kind];
      body = stepView(this, pending);
    } else if (status === 'signed-in' && this.current === 'change-password' && this.auth.capabilities.account?.password) {
      heading = 'changePassword';
      body = changePasswordView(this);
    } else if (status === 'signed-in') {
      heading = 'headingSignedIn';
      body = signedInView(this);
    } else if (this.current === 'sign-up' && this.auth.capabilities.signUp.length) {
      heading = 'headingSignUp';
      body = signUpView(this);
    } else if (this.current === 'forgot' && this.auth.capabilities.recovery.length) {
      heading = 'headingForgot';
      body = forgotView(this);
    } else {
      body = this.#signIn();
    }
    return html`<div part="card" class="auth-card">
      <h2 part="heading" tabindex="-1" data-auth-status>${this.i18n.t(heading)}</h2>
      ${body}
    </div>`;
  }

  #signIn() {
    const methods = this.#methods;
    const forms = methods.filter((m): m is 'password' | 'otp' => m === 'password' || m === 'otp');
    const others = methods.filter((m) => m === 'social' || m === 'passkey');
    const tab = forms.includes(this.tab) ? this.tab : forms[0];
    const panel = tab === 'password' ? signInView(this) : tab === 'otp' ? this.otp.render(this.otp.channel!) : nothing;
    const tabs = forms.length > 1 ? this.#tabs(forms, tab!) : nothing;
    return html`${tabs}
      ${forms.length > 1 ? html`<div part="tabpanel" role="tabpanel" id=${this.id_('panel')} aria-labelledby=${this.id_(`tab-${tab}`)}>${panel}</div>` : panel}
      ${forms.length && others.length ? html`<p part="divider">${this.i18n.t('or')}</p>` : nothing}
      ${others.length ? this.#others(others, !forms.length) : nothing}`;
  }

  /** A real tab list: arrow keys, Home and End move between the tabs (WAI-ARIA tabs pattern). */
  #tabs(forms: Array<'password' | 'otp'>, selected: 'password' | 'otp') {
    const label = (m: 'password' | 'otp') => this.i18n.t(m === 'password' ? 'tabPassword' : 'tabCode');
    const keydown = (event: KeyboardEvent) => {
      const index = forms.indexOf(selected);
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: forms.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      const direction = getComputedStyle(this).direction === 'rtl' && event.key.startsWith('Arrow') ? -1 : 1;
      const target = direction === 1 ? next : index - (next - index);
      this.#select(forms[(target + forms.length) % forms.length]!, true);
    };
    return html`<div part="tabs" role="tablist" aria-label=${this.i18n.t('methods')} @keydown=${keydown}>
      ${forms.map(
        (m) => html`<button part="tab" role="tab" type="button" id=${this.id_(`tab-${m}`)} aria-selected=${m === selected ? 'true' : 'false'} aria-controls=${this.id_('panel')} tabindex=${m === selected ? 0 : -1} @click=${() => this.#select(m, false)}>${label(m)}</button>`,
      )}
    </div>`;
  }

  async #select(tab: 'password' | 'otp', keyboard: boolean) {
    if (tab === this.tab) return;
    this.tab = tab;
    this.form.clear();
    if (!keyboard) return;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#${this.id_(`tab-${tab}`)}`)?.focus();
  }

  /** Social and passkey buttons; the main action when there is no form (OIDC's hosted page). */
  #others(others: Method[], main: boolean) {
    // Without a form, the first of these is the main action; one main button per view.
    const passkey = (first: boolean) => html`<button part=${first ? 'button passkey' : 'button secondary passkey'} type="button" @pointerenter=${warmUpWebAuthn} @focus=${warmUpWebAuthn} @click=${() => this.passkey.signIn()}>${this.i18n.t('passkey')}</button>`;
    return html`<form part="form others" class="auth-form" @submit=${(event: Event) => event.preventDefault()}>
      <fieldset>
        ${others.map((m, index) => (m === 'social' ? socialButtons(this, offeredSources(this, this.sources), main && index === 0, this.popup) : passkey(main && index === 0)))}
        ${main ? formMessages(this.form, this.i18n, this.id_('error')) : nothing}
      </fieldset>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-login': AuthLogin;
  }
}
