import { css, html, nothing, type TemplateResult } from 'lit';
import type { Channel } from '../../contract/index.js';
import type { OtpResult, OtpStarted, StepResult } from '../../core/client.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { CountdownController } from '../base/countdown-controller.js';
import { field, phoneField, toE164 } from '../base/fields.js';
import { formMessages } from '../base/templates.js';
import { codeField, readCode, resendButton } from '../views/code.js';
import { read } from '../views/host.js';
import { stepView } from '../views/steps.js';
import { maskPhone } from '../views/user.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A one-time code by SMS or email: send, resend after a visible countdown, verify. Unknown
 * people are signed up when `create-user` is set and the backend allows it. The code input has
 * `autocomplete="one-time-code"`, and the WebOTP API fills an SMS code where the browser has it.
 * A security check the backend asks for before sending is answered here too.
 *
 * @summary One-time code sign-in by SMS or email.
 *
 * @fires auth-otp-sent - `{ channel, expiresIn }` when a code was sent.
 * @fires auth-state-change - `{ event, session }` when this element signed the person in.
 * @fires auth-error - `{ error }` when an action of this element failed; `error.message` is the text shown.
 *
 * @csspart form - The `<form>`.
 * @csspart field - A label, its input and its message.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart region - The country or region code of a phone number.
 * @csspart message - Help, the countdown, or an error tied to a field.
 * @csspart status - The status line: busy, or a calm notice.
 * @csspart error - The form's error, announced by screen readers.
 * @csspart button - The main button; also `secondary` buttons.
 * @csspart link - A text button (use another number).
 * @csspart captcha - The image of a security check the backend asked for.
 *
 * @cssproperty --auth-primary - Main colour of buttons and links.
 * @cssproperty --auth-error-color - Errors and invalid fields.
 * @cssproperty --auth-border-color - Input borders.
 * @cssproperty --auth-radius - Corner radius of inputs and buttons.
 *
 * @example
 * <auth-otp channel="sms" default-region="86"></auth-otp>
 */
export class AuthOtp extends AuthFormElement {
  static override properties = {
    channel: {},
    defaultRegion: { attribute: 'default-region' },
    // Absent: the backend's own default (CloudBase signs unknown people up, Tencent CIAM does not).
    createUser: {
      attribute: 'create-user',
      converter: { fromAttribute: (value: string | null) => (value === null ? undefined : value !== 'false') },
    },
    target: { state: true },
  };

  static override formStyles = [
    css`
      :where(auth-otp) {
        display: block;
      }
    `,
  ];

  /** `sms` or `email`; default: the first the backend supports, SMS first. */
  declare channel?: Channel;
  /** Country calling code for phone numbers without one (default `86`). */
  declare defaultRegion: string;
  /**
   * Sign up people the backend does not know yet (CloudBase `shouldCreateUser`, CIAM
   * `auto_signup`): `create-user` or `create-user="true"` yes, `create-user="false"` no, absent:
   * the backend's default.
   */
  declare createUser?: boolean;
  /** Where the code went; empty before sending. */
  declare target: string;
  readonly countdown = new CountdownController(this);
  typed = '';
  account = '';
  #started: OtpStarted | null = null;
  #request: { phone?: string; email?: string } | null = null;
  #webOtp: AbortController | null = null;

  constructor() {
    super();
    this.defaultRegion = '86';
    this.target = '';
    this.auth.onClientChange(() => this.#restart());
  }

  get #channel(): Channel | null {
    const supported = this.auth.capabilities.otp;
    if (this.channel && supported.includes(this.channel)) return this.channel;
    return supported.includes('sms') ? 'sms' : supported.includes('email') ? 'email' : null;
  }

  protected override render(): TemplateResult | typeof nothing {
    const channel = this.#channel;
    const { status, pending } = this.auth.state;
    if (!channel || status === 'signed-in') return nothing;
    if (pending?.origin === 'otp') return stepView(this, pending);
    return this.target ? this.#renderCode() : this.#renderSend(channel);
  }

  go(): void {
    this.#restart();
  }

  /** The send went through after a security check: carry on as after any send. */
  afterCaptcha(result: StepResult<object>): void {
    if (this.#request) void this.#sent(result as OtpResult, this.#request);
  }

  #renderSend(channel: Channel) {
    const { i18n, form } = this;
    return html`<form part="form" class="auth-form" novalidate @submit=${this.#send}>
      <fieldset>
        ${channel === 'sms'
          ? phoneField({ id: this.id_('to'), label: i18n.t('phone'), regionLabel: i18n.t('region'), region: this.defaultRegion, autocomplete: 'tel-national', invalid: form.message('phone') })
          : field({ id: this.id_('to'), label: i18n.t('email'), name: 'username', type: 'email', autocomplete: 'email', invalid: form.message('email') })}
        ${formMessages(form, i18n, this.id_('error'))}
        <button part="button" type="submit">${i18n.t('sendCode')}</button>
      </fieldset>
    </form>`;
  }

  #renderCode() {
    const { i18n, form } = this;
    return html`<form part="form" class="auth-form" novalidate @submit=${this.#verify}>
      <fieldset>
        <p part="message">${i18n.t('codeSent', { target: maskPhone(this.target) })}</p>
        ${codeField(this)}
        ${formMessages(form, i18n, this.id_('error'))}
        <button part="button" type="submit">${i18n.t('verify')}</button>
        ${resendButton(this, () => this.#resend())}
        <button part="link" type="button" @click=${() => this.#back()}>${i18n.t('back')}</button>
      </fieldset>
    </form>`;
  }

  async #send(event: SubmitEvent) {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const channel = this.#channel!;
    this.form.begin();
    const typed = read(element, 'username');
    let request: { phone?: string; email?: string } | null = null;
    if (channel === 'sms') {
      const phone = toE164(read(element, 'region') || this.defaultRegion, typed);
      if (phone) request = { phone };
      else this.form.invalidate('phone', typed ? 'invalid_phone' : 'required');
    } else if (EMAIL.test(typed)) request = { email: typed };
    else this.form.invalidate('email', typed ? 'invalid_email' : 'required');
    if (!request) return;
    await this.#ask(request, channel);
  }

  async #ask(request: { phone?: string; email?: string }, channel: Channel) {
    this.#request = request;
    const result = await this.form.run((options) => this.auth.client!.signInWithOtp({ ...request, options: { channel, shouldCreateUser: this.createUser } }, options));
    if (result) await this.#sent(result, request);
  }

  async #sent(result: OtpResult, request: { phone?: string; email?: string }) {
    if (result.error) {
      // A send refused for rate reasons still starts the countdown the backend asked for.
      if (result.error.retryAfter && this.target) this.countdown.start(result.error.retryAfter);
      return;
    }
    if (result.data.step) return; // a security check first: shown by render()
    const started = result.data as OtpStarted;
    this.#started = started;
    this.target = request.phone ?? request.email ?? '';
    this.countdown.start(started.resendAfter ?? 60);
    this.dispatchEvent(new CustomEvent('auth-otp-sent', { detail: { channel: started.channel, expiresIn: started.expiresIn }, bubbles: true, composed: true }));
    this.form.focus('first');
    if (started.channel === 'sms') this.#listenForSms();
  }

  async #resend() {
    const channel = this.#channel;
    if (this.#request && channel) await this.#ask(this.#request, channel);
  }

  async #verify(event: SubmitEvent) {
    event.preventDefault();
    this.form.begin();
    const code = readCode(event.currentTarget as HTMLFormElement);
    if (!code) return this.form.invalidate('code', 'required');
    const started = this.#started;
    if (!started) return;
    const result = await this.form.run((options) => started.verifyOtp({ token: code }, options));
    if (result && !result.error) this.#restart();
    else if (result?.error?.code === 'code_expired' || result?.error?.code === 'too_many_attempts') this.countdown.stop();
  }

  /** WebOTP: where the browser supports it, an SMS bound to this origin fills the code. */
  #listenForSms() {
    const credentials = globalThis.navigator?.credentials as (CredentialsContainer & { get(options: unknown): Promise<unknown> }) | undefined;
    if (!credentials || typeof (globalThis as { OTPCredential?: unknown }).OTPCredential === 'undefined') return;
    this.#webOtp?.abort();
    this.#webOtp = new AbortController();
    credentials
      .get({ otp: { transport: ['sms'] }, signal: this.#webOtp.signal })
      .then((otp) => {
        const input = this.querySelector<HTMLInputElement>('input[name="one-time-code"]');
        const code = (otp as { code?: string } | null)?.code;
        if (input && code) {
          input.value = code;
          input.form?.requestSubmit();
        }
      })
      .catch(() => {
        /* no SMS arrived, or the person typed the code: nothing to do */
      });
  }

  #back() {
    this.#restart();
    this.form.clear();
    this.form.focus('first');
  }

  #restart() {
    this.#webOtp?.abort();
    this.countdown.stop();
    this.#started = null;
    this.target = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#webOtp?.abort();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-otp': AuthOtp;
  }
  interface HTMLElementEventMap {
    'auth-otp-sent': CustomEvent<{ channel: Channel; expiresIn?: number }>;
  }
}
