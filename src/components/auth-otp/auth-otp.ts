import { css, html, nothing, type TemplateResult } from 'lit';
import type { OtpStarted } from '../../core/client.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { field, phoneField, toE164 } from '../base/fields.js';

type Channel = 'sms' | 'email';

/**
 * A one-time code by SMS or email: send, resend after a visible countdown, verify. Unknown
 * people are signed up when `create-user` is set and the backend allows it. The code input has
 * `autocomplete="one-time-code"`, and the WebOTP API fills an SMS code where the browser has it.
 *
 * @summary One-time code sign-in by SMS or email.
 *
 * @fires auth-otp-sent - `{ channel, expiresIn }` when a code was sent.
 * @fires auth-state-change - `{ event, session }` when this element signed the person in.
 * @fires auth-error - `{ error }` when an action of this element failed.
 *
 * @csspart form - The `<form>`.
 * @csspart field - A label, its input and its message.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart region - The country or region code of a phone number.
 * @csspart message - Help, the countdown, or an error tied to a field.
 * @csspart error - The form's error, announced by screen readers.
 * @csspart button - The main button; also `secondary` buttons.
 * @csspart link - A text button (use another number).
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
    secondsLeft: { state: true },
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
  declare secondsLeft: number;
  #started: OtpStarted | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #webOtp: AbortController | null = null;
  #invalid = new Map<string, string>();

  constructor() {
    super();
    this.defaultRegion = '86';
    this.target = '';
    this.secondsLeft = 0;
  }

  get #channel(): Channel | null {
    const supported = this.auth.client?.provider.capabilities.otp ?? [];
    if (this.channel && supported.includes(this.channel)) return this.channel;
    return supported.includes('sms') ? 'sms' : supported.includes('email') ? 'email' : null;
  }

  protected override render(): TemplateResult | typeof nothing {
    const channel = this.#channel;
    if (!channel || this.auth.state.status === 'signed-in') return nothing;
    return this.target ? this.#renderCode() : this.#renderSend(channel);
  }

  #renderSend(channel: Channel) {
    return html`<form part="form" class="auth-form" novalidate @submit=${this.#send}>
      <fieldset>
        ${channel === 'sms'
          ? phoneField({ id: this.id_('to'), label: this.t('phone'), regionLabel: this.t('region'), region: this.defaultRegion, autocomplete: 'tel-national', invalid: this.#invalid.get('to') })
          : field({ id: this.id_('to'), label: this.t('email'), name: 'username', type: 'email', autocomplete: 'email', invalid: this.#invalid.get('to') })}
        <p part="error" role="alert">${this.error ? this.errorText(this.error) : ''}</p>
        <button part="button" type="submit">${this.t('sendCode')}</button>
      </fieldset>
      <p part="message" role="status">${this.busy ? this.t('working') : ''}</p>
    </form>`;
  }

  #renderCode() {
    const waiting = this.secondsLeft > 0;
    return html`<form part="form" class="auth-form" novalidate @submit=${this.#verify}>
      <fieldset>
        <p part="message">${this.t('codeSent', { target: this.target })}</p>
        ${field({ id: this.id_('code'), label: this.t('code'), name: 'one-time-code', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric', invalid: this.#invalid.get('code') })}
        <p part="error" role="alert">${this.error ? this.errorText(this.error) : ''}</p>
        <button part="button" type="submit">${this.t('verify')}</button>
        <button part="button secondary" type="button" ?disabled=${waiting} @click=${this.#resend}>
          ${waiting ? this.t('resendIn', { seconds: this.secondsLeft }) : this.t('resendCode')}
        </button>
        <button part="link" type="button" @click=${this.#restart}>${this.t('back')}</button>
      </fieldset>
      <p part="message" role="status" aria-live="polite">${this.busy ? this.t('working') : ''}</p>
    </form>`;
  }

  #lastRequest: { phone?: string; email?: string } | null = null;

  async #send(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const channel = this.#channel!;
    this.#invalid.clear();
    let request: { phone?: string; email?: string } | null = null;
    if (channel === 'sms') {
      const phone = toE164(String(data.get('region') ?? this.defaultRegion), String(data.get('username') ?? ''));
      if (phone) request = { phone };
      else this.#invalid.set('to', this.t('invalidPhone'));
    } else {
      const email = String(data.get('username') ?? '').trim();
      if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) request = { email };
      else this.#invalid.set('to', email ? this.t('invalidEmail') : this.t('required'));
    }
    if (!request) {
      this.requestUpdate();
      await this.updateComplete;
      this.focusAfterAction();
      return;
    }
    this.#lastRequest = request;
    await this.#request(request, channel);
  }

  async #request(request: { phone?: string; email?: string }, channel: Channel) {
    const result = await this.act((options) => this.auth.client!.signInWithOtp({ ...request, options: { channel, shouldCreateUser: this.createUser } }, options));
    if (!result || result.error) {
      // A send refused for rate reasons still starts the countdown the backend asked for.
      if (result?.error?.retryAfter) this.#countdown(result.error.retryAfter);
      return;
    }
    this.#started = result.data as OtpStarted;
    this.target = request.phone ?? request.email ?? '';
    this.#countdown(result.data.resendAfter ?? 60);
    this.dispatchEvent(new CustomEvent('auth-otp-sent', { detail: { channel, expiresIn: result.data.expiresIn }, bubbles: true, composed: true }));
    await this.updateComplete;
    this.querySelector<HTMLInputElement>('input[name="one-time-code"]')?.focus();
    if (channel === 'sms') this.#listenForSms();
  }

  async #resend() {
    if (this.#lastRequest && this.#channel) await this.#request(this.#lastRequest, this.#channel);
  }

  async #verify(event: SubmitEvent) {
    event?.preventDefault();
    const input = this.querySelector<HTMLInputElement>('input[name="one-time-code"]');
    const code = (input?.value ?? '').replace(/\s/g, '');
    this.#invalid.clear();
    if (!code) {
      this.#invalid.set('code', this.t('required'));
      this.requestUpdate();
      return;
    }
    const result = await this.act((options) => this.#started!.verifyOtp({ token: code }, options));
    if (result && !result.error) this.#restart();
    else if (result?.error?.code === 'code_expired' || result?.error?.code === 'too_many_attempts') this.secondsLeft = 0;
  }

  #countdown(seconds: number) {
    clearInterval(this.#timer);
    this.secondsLeft = Math.max(0, Math.ceil(seconds));
    this.#timer = setInterval(() => {
      this.secondsLeft = Math.max(0, this.secondsLeft - 1);
      if (!this.secondsLeft) clearInterval(this.#timer);
    }, 1000);
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

  #restart() {
    this.#webOtp?.abort();
    clearInterval(this.#timer);
    this.#started = null;
    this.target = '';
    this.secondsLeft = 0;
    this.error = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#webOtp?.abort();
    clearInterval(this.#timer);
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
