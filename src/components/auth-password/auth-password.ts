import { css, html, nothing, type TemplateResult } from 'lit';
import type { PasswordCredentials, ProviderContext } from '../../providers/provider.js';
import { checkPassword, type PendingStep } from '../../core/steps.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { field, phoneField, toE164 } from '../base/fields.js';
import { waitForCaptcha } from '../base/captcha-return.js';

type Identifier = 'email' | 'phone' | 'username';

/** A backend whose captcha is an image the form can show (Alibaba IDaaS). */
interface ImageCaptchaProvider {
  getCaptcha(ctx: ProviderContext): Promise<{ captchaCode: string; image?: string }>;
  setCaptcha(code: string, text: string): void;
}

/** A backend whose captcha is a page of its own that returns a token (CloudBase). */
interface PageCaptchaProvider {
  setCaptchaToken(token: string | null, expiresIn?: number): void;
}

function hasPageCaptcha(provider: unknown): provider is PageCaptchaProvider {
  return typeof (provider as PageCaptchaProvider)?.setCaptchaToken === 'function';
}

function hasImageCaptcha(provider: unknown): provider is ImageCaptchaProvider {
  return typeof (provider as ImageCaptchaProvider)?.getCaptcha === 'function' && typeof (provider as ImageCaptchaProvider)?.setCaptcha === 'function';
}

/** Only images: a data URL of an image, or an http(s) address. */
const safeImage = (url: string | undefined) => (url && /^(data:image\/(png|gif|jpeg|webp|svg\+xml)[;,]|https?:)/i.test(url) ? url : undefined);
type View = 'sign-in' | 'sign-up' | 'forgot';

/**
 * Identifier and password: sign in, sign up, forgot password, and the steps a backend may ask
 * for before it signs the person in: a new password (expired, or expiring and skippable) checked
 * against the backend's policy first, and a second factor.
 *
 * The credential inputs are in the page's light DOM inside a real `<form>` with `name` and
 * `autocomplete` set, so password managers fill them; Enter submits.
 *
 * @summary Password sign-in, sign-up, recovery, password change and second factor.
 *
 * @fires auth-state-change - `{ event, session }` when this element signed the person in or out.
 * @fires auth-error - `{ error }` when an action of this element failed.
 *
 * @csspart form - The `<form>`.
 * @csspart field - A label, its input and its message.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart message - Help or an error tied to a field, or a calm status line.
 * @csspart error - The form's error, announced by screen readers.
 * @csspart button - The main button; also `secondary` buttons.
 * @csspart link - A text button switching views (forgot password, sign up).
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
  // Lit merges these with the base class's properties.
  static override properties = {
    identifier: {},
    defaultRegion: { attribute: 'default-region' },
    view: {},
    sent: { state: true },
    captcha: { state: true },
  };

  static override formStyles = [
    css`
      :where(auth-password) {
        display: block;
      }
    `,
  ];

  /** `email`, `phone` or `username`; defaults to the first the provider accepts. */
  declare identifier?: Identifier;
  /** Country calling code for phone numbers without one (default `86`). */
  declare defaultRegion: string;
  /** `sign-in` (default), `sign-up` or `forgot`. */
  declare view: View;
  declare sent: boolean;
  /** The image captcha the backend asked for, until it is answered. */
  declare captcha: { code: string; image?: string } | null;
  /** The password just typed, kept in memory only until a password change completes. */
  #typed = '';
  #invalid = new Map<string, string>();

  constructor() {
    super();
    this.defaultRegion = '86';
    this.view = 'sign-in';
    this.sent = false;
    this.captcha = null;
  }

  get #capabilities() {
    return this.auth.client?.provider.capabilities;
  }

  get #identifiers(): Identifier[] {
    return this.#capabilities?.password ?? [];
  }

  get #identifier(): Identifier {
    const allowed = this.#identifiers;
    return this.identifier && allowed.includes(this.identifier) ? this.identifier : allowed[0] ?? 'email';
  }

  protected override render(): TemplateResult | typeof nothing {
    const { status, pending, user } = this.auth.state;
    // A backend without password sign-in (or no client yet): this element shows nothing.
    if (!this.#identifiers.length) return nothing;
    if (pending) return this.#renderStep(pending);
    if (status === 'signed-in' && this.view !== 'sign-up') {
      return html`<form part="form" class="auth-form" @submit=${this.#signOut}>
        <p part="message">${this.t('signedInAs', { name: user?.name ?? user?.email ?? user?.phone ?? user?.id ?? '' })}</p>
        <button part="button secondary" type="submit">${this.t('signOut')}</button>
      </form>`;
    }
    if (this.view === 'forgot') return this.#renderForgot();
    const signUp = this.view === 'sign-up';
    return html`<form part="form" class="auth-form" novalidate @submit=${this.#submit}>
      <fieldset>
        ${this.#renderIdentifierChoice()} ${this.#renderIdentifier()}
        ${field({
          id: this.id_('password'),
          label: this.t(signUp ? 'newPassword' : 'password'),
          name: 'password',
          type: 'password',
          autocomplete: signUp ? 'new-password' : 'current-password',
          invalid: this.#invalid.get('password'),
        })}
        ${this.captcha && !signUp ? this.#renderCaptcha(this.captcha) : nothing}
        ${this.error?.code === 'captcha_required' && this.error.fields?.captchaUrl && !this.captcha
          ? html`<button part="button secondary" type="button" @click=${() => this.#openCaptcha(this.error!.fields!.captchaUrl!, this.error!.fields!.captchaState)}>${this.t('captcha')}</button>`
          : nothing}
        <p part="error" id=${this.id_('error')} role="alert">${this.error ? this.errorText(this.error) : ''}</p>
        <button part="button" type="submit">${this.t(signUp ? 'signUp' : 'signIn')}</button>
        ${this.#capabilities?.recovery && !signUp ? html`<button part="link" type="button" @click=${() => this.#go('forgot')}>${this.t('forgotPassword')}</button>` : nothing}
        ${this.#capabilities?.signUp
          ? html`<button part="link" type="button" @click=${() => this.#go(signUp ? 'sign-in' : 'sign-up')}>${this.t(signUp ? 'haveAccount' : 'noAccount')}</button>`
          : nothing}
      </fieldset>
      <p part="message" role="status">${this.busy ? this.t('working') : this.notice}</p>
    </form>`;
  }

  #renderCaptcha(captcha: { code: string; image?: string }) {
    const image = safeImage(captcha.image);
    return html`<div part="field">
      ${image ? html`<img part="captcha" src=${image} alt=${this.t('captchaImage')} />` : nothing}
      ${field({ id: this.id_('captcha'), label: this.t('captcha'), name: 'captcha', type: 'text', autocomplete: 'off', help: this.t('captchaHelp'), invalid: this.#invalid.get('captcha') })}
      <button part="link" type="button" @click=${this.#loadCaptcha}>${this.t('newCaptcha')}</button>
    </div>`;
  }

  /** Opens the backend's captcha page (from the click: popups need a user gesture), then retries. */
  async #openCaptcha(url: string, state: string | undefined) {
    const provider = this.auth.client?.provider;
    if (!/^https?:/i.test(url) || !hasPageCaptcha(provider)) return;
    const popup = window.open(url, 'auth-elements-captcha', 'popup,width=480,height=640');
    if (!popup) return;
    const result = await waitForCaptcha(popup, state, this.auth.action().signal);
    if (!result) return;
    provider.setCaptchaToken(result.token, result.expiresIn);
    this.error = null;
    await this.updateComplete;
    this.querySelector('form')?.requestSubmit();
  }

  async #loadCaptcha() {
    const provider = this.auth.client?.provider;
    if (!hasImageCaptcha(provider)) return;
    try {
      const { captchaCode, image } = await provider.getCaptcha({ http: this.auth.client!.http });
      this.captcha = { code: captchaCode, image };
    } catch {
      this.captcha = null;
    }
  }

  #renderIdentifierChoice() {
    const choices = this.#identifiers;
    if (choices.length < 2) return nothing;
    return html`<div part="row" role="radiogroup" aria-label=${this.t('identifier')}>
      ${choices.map(
        (choice) => html`<label part="label"
          ><input type="radio" name="identifier-kind" .checked=${choice === this.#identifier} @change=${() => (this.identifier = choice)} />
          ${this.t(choice)}</label
        >`,
      )}
    </div>`;
  }

  #renderIdentifier() {
    const kind = this.#identifier;
    // `webauthn` (last, as the spec wants): where <auth-passkey> waits with conditional
    // mediation, this input's autofill also offers the site's passkeys. Sign-in view only.
    const autocomplete = this.view === 'sign-in' ? 'username webauthn' : 'username';
    if (kind === 'phone') {
      return phoneField({ id: this.id_('identifier'), label: this.t('phone'), regionLabel: this.t('region'), region: this.defaultRegion, autocomplete, invalid: this.#invalid.get('identifier') });
    }
    return field({
      id: this.id_('identifier'),
      label: this.t(kind),
      name: 'username',
      type: kind === 'email' ? 'email' : 'text',
      autocomplete,
      invalid: this.#invalid.get('identifier'),
    });
  }

  #renderForgot() {
    return html`<form part="form" class="auth-form" novalidate @submit=${this.#forgot}>
      <fieldset>
        ${this.#renderIdentifier()}
        <p part="error" role="alert">${this.error ? this.errorText(this.error) : ''}</p>
        <button part="button" type="submit">${this.t('sendResetLink')}</button>
        <button part="link" type="button" @click=${() => this.#go('sign-in')}>${this.t('back')}</button>
      </fieldset>
      <p part="message" role="status">${this.sent ? this.t('resetSent') : this.busy ? this.t('working') : ''}</p>
    </form>`;
  }

  #renderStep(step: PendingStep) {
    if (step.step === 'password_change') {
      const intro = step.required ? this.t('passwordExpired') : step.daysLeft !== undefined ? this.t('passwordExpiringDays', { days: step.daysLeft }) : this.t('passwordExpiring');
      const rules = step.policy?.tip ? this.t('passwordRules', { tip: step.policy.tip }) : step.policy?.minLength ? this.t('passwordMinLength', { min: step.policy.minLength }) : '';
      return html`<form part="form" class="auth-form" novalidate @submit=${this.#changePassword}>
        <fieldset>
          <p part="message" id=${this.id_('intro')}>${intro}</p>
          <input type="hidden" name="username" autocomplete="username" .value=${this.#lastIdentifier} />
          ${field({ id: this.id_('new'), label: this.t('newPassword'), name: 'new-password', type: 'password', autocomplete: 'new-password', help: rules, invalid: this.#invalid.get('new') })}
          ${field({ id: this.id_('confirm'), label: this.t('confirmPassword'), name: 'confirm-password', type: 'password', autocomplete: 'new-password', invalid: this.#invalid.get('confirm') })}
          <p part="error" role="alert">${this.error ? this.errorText(this.error) : ''}</p>
          <button part="button" type="submit">${this.t('changePassword')}</button>
          ${step.required ? nothing : html`<button part="button secondary" type="button" @click=${this.#skip}>${this.t('notNow')}</button>`}
          <button part="link" type="button" @click=${this.#cancel}>${this.t('back')}</button>
        </fieldset>
        <p part="message" role="status">${this.busy ? this.t('working') : ''}</p>
      </form>`;
    }
    return html`<form part="form" class="auth-form" novalidate @submit=${this.#verifySecondFactor}>
      <fieldset>
        <p part="message">${step.target ? this.t('secondFactor', { target: step.target }) : this.t('secondFactorNoTarget')}</p>
        <div part="row">
          ${step.methods
            .filter((m): m is 'sms' | 'email' => m === 'sms' || m === 'email')
            .map((method) => html`<button part="button secondary" type="button" @click=${() => this.#sendSecondFactor(method)}>${this.t('sendCode')}</button>`)}
        </div>
        ${field({ id: this.id_('code'), label: this.t('code'), name: 'one-time-code', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric', invalid: this.#invalid.get('code') })}
        <p part="error" role="alert">${this.error ? this.errorText(this.error) : ''}</p>
        <button part="button" type="submit">${this.t('verify')}</button>
        <button part="link" type="button" @click=${this.#cancel}>${this.t('back')}</button>
      </fieldset>
      <p part="message" role="status">${this.busy ? this.t('working') : this.notice}</p>
    </form>`;
  }

  #lastIdentifier = '';

  #go(view: View) {
    this.view = view;
    this.error = null;
    this.sent = false;
    this.#invalid.clear();
  }

  /** Reads and checks the identifier field; marks it invalid with a message when it is not. */
  #readIdentifier(form: HTMLFormElement): Omit<PasswordCredentials, 'password'> | null {
    const kind = this.#identifier;
    const data = new FormData(form);
    if (kind === 'phone') {
      const phone = toE164(String(data.get('region') ?? this.defaultRegion), String(data.get('username') ?? ''));
      if (!phone) return this.#mark('identifier', this.t('invalidPhone'));
      return { phone };
    }
    const value = String(data.get('username') ?? '').trim();
    if (!value) return this.#mark('identifier', this.t('required'));
    if (kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return this.#mark('identifier', this.t('invalidEmail'));
    return kind === 'email' ? { email: value } : { username: value };
  }

  #mark(name: string, message: string): null {
    this.#invalid.set(name, message);
    return null;
  }

  async #submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    this.#invalid.clear();
    const identifier = this.#readIdentifier(form);
    const password = String(new FormData(form).get('password') ?? '');
    if (!password) this.#mark('password', this.t('required'));
    if (!identifier || !password) {
      this.requestUpdate();
      await this.updateComplete;
      this.focusAfterAction();
      return;
    }
    this.#lastIdentifier = identifier.email ?? identifier.phone ?? identifier.username ?? '';
    if (this.view === 'sign-up') {
      const result = await this.act((options) => this.auth.client!.signUp({ ...identifier, password }, options));
      await this.#showFieldErrors(result?.error?.fields);
      return;
    }
    this.#typed = password;
    const provider = this.auth.client!.provider;
    if (this.captcha && hasImageCaptcha(provider)) {
      const answer = String(new FormData(form).get('captcha') ?? '').trim();
      if (!answer) {
        this.#mark('captcha', this.t('required'));
        this.requestUpdate();
        await this.updateComplete;
        this.focusAfterAction();
        return;
      }
      provider.setCaptcha(this.captcha.code, answer);
    }
    const result = await this.act((options) => this.auth.client!.signInWithPassword({ ...identifier, password }, options));
    if (!result?.data.step) this.#typed = '';
    // The backend wants a human check: show its image; each image allows one try.
    if (result?.error?.code === 'captcha_required') await this.#loadCaptcha();
    else if (!result?.error) this.captcha = null;
    await this.#showFieldErrors(result?.error?.fields);
  }

  /** A backend's field-level errors (Janrain 390, …) go on the inputs they are about, as text. */
  async #showFieldErrors(fields: Record<string, string> | undefined) {
    if (!fields) return;
    const identifier = fields.email ?? fields.phone ?? fields.username;
    if (identifier) this.#mark('identifier', identifier);
    if (fields.password) this.#mark('password', fields.password);
    if (!this.#invalid.size) return;
    this.requestUpdate();
    await this.updateComplete;
    this.focusAfterAction();
  }

  async #forgot(event: SubmitEvent) {
    event.preventDefault();
    this.#invalid.clear();
    const identifier = this.#readIdentifier(event.currentTarget as HTMLFormElement);
    if (!identifier) return this.requestUpdate();
    const result = await this.act((options) => this.auth.client!.resetPassword(identifier, options));
    this.sent = !!result && !result.error;
  }

  async #changePassword(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const next = String(data.get('new-password') ?? '');
    const confirm = String(data.get('confirm-password') ?? '');
    const step = this.auth.state.pending;
    this.#invalid.clear();
    const broken = step?.step === 'password_change' ? checkPassword(next, step.policy) : null;
    if (!next) this.#mark('new', this.t('required'));
    else if (broken) this.#mark('new', step?.step === 'password_change' && step.policy?.tip ? step.policy.tip : this.errorText({ code: 'password_policy' } as never));
    else if (next !== confirm) this.#mark('confirm', this.t('passwordsDiffer'));
    if (this.#invalid.size) {
      this.requestUpdate();
      await this.updateComplete;
      this.focusAfterAction();
      return;
    }
    const result = await this.act((options) => this.auth.client!.changePassword({ oldPassword: this.#typed, newPassword: next }, options));
    if (result && !result.error && !result.data.step) this.#typed = '';
  }

  async #skip() {
    await this.act((options) => this.auth.client!.skipPasswordChange(options));
    this.#typed = '';
  }

  async #sendSecondFactor(method: 'sms' | 'email') {
    const result = await this.act((options) => this.auth.client!.sendSecondFactor({ method }, options));
    if (result && !result.error) this.notice = this.t('codeSent', { target: (this.auth.state.pending as { target?: string } | null)?.target ?? '' });
  }

  async #verifySecondFactor(event: SubmitEvent) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget as HTMLFormElement).get('one-time-code') ?? '').trim();
    this.#invalid.clear();
    if (!code) {
      this.#mark('code', this.t('required'));
      this.requestUpdate();
      return;
    }
    await this.act((options) => this.auth.client!.verifySecondFactor({ code }, options));
  }

  #cancel() {
    this.#typed = '';
    this.auth.client?.cancelStep();
    this.error = null;
    this.notice = '';
  }

  async #signOut(event: SubmitEvent) {
    event.preventDefault();
    await this.act((options) => this.auth.client!.signOut(options));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-password': AuthPassword;
  }
}
