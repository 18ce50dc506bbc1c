import { html, type ReactiveController } from 'lit';
import type { Channel } from '../../contract/index.js';
import type { OtpResult, OtpStarted, StepResult } from '../../core/client.js';
import { field, isEmail, phoneField, toE164 } from '../base/fields.js';
import { formMessages } from '../base/templates.js';
import type { CaptchaHost } from './captcha.js';
import { codeField, readCode, resendButton, type CodeHost } from './code.js';
import { read } from './host.js';
import { otpChannel } from './otp-channel.js';
import { maskPhone } from './mask-phone.js';

export interface OtpHost extends CodeHost, CaptchaHost {
  /** `sms` or `email`; default: the first the backend supports, SMS first. */
  channel?: Channel;
  /** Sign up people the backend does not know: true, false, or the backend's default. */
  createUser?: boolean;
}

/**
 * A one-time code by SMS or email, as one piece `<auth-otp>` and `<auth-login>` share: the send
 * form, the code form with a resend countdown, WebOTP, and the `auth-otp-sent` event.
 */
export class OtpController implements ReactiveController {
  /** Where the code went; empty before sending. */
  target = '';
  #started: OtpStarted | null = null;
  #request: { phone?: string; email?: string } | null = null;
  #webOtp: AbortController | null = null;

  constructor(private readonly host: OtpHost) {
    host.addController(this);
    host.auth.onClientChange(() => this.restart());
  }

  /** The channel in use, or null when the backend sends no codes. */
  get channel(): Channel | null {
    return otpChannel(this.host.auth.capabilities.otp, this.host.channel);
  }

  render(channel: Channel) {
    return this.target ? this.#renderCode() : this.#renderSend(channel);
  }

  /** The send went through after a security check: carry on as after any send. */
  afterCaptcha(result: StepResult<object>): void {
    if (this.#request) void this.#sent(result as OtpResult, this.#request);
  }

  /** Back to the send form; the code on its way is forgotten. */
  restart(): void {
    this.#webOtp?.abort();
    this.host.countdown.stop();
    this.#started = null;
    this.target = '';
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#webOtp?.abort();
  }

  #renderSend(channel: Channel) {
    const { i18n, form } = this.host;
    const id = this.host.id_('to');
    return html`<form part="form" class="auth-form" novalidate @submit=${(event: SubmitEvent) => this.#send(event, channel)}>
      <fieldset>
        ${channel === 'sms'
          ? phoneField({ id, label: i18n.t('phone'), regionLabel: i18n.t('region'), region: this.host.defaultRegion, autocomplete: 'tel-national', invalid: form.message('phone') })
          : field({ id, label: i18n.t('email'), name: 'username', type: 'email', autocomplete: 'email', invalid: form.message('email') })}
        ${formMessages(form, i18n, this.host.id_('error'))}
        <button part="button" type="submit">${i18n.t('sendCode')}</button>
      </fieldset>
    </form>`;
  }

  #renderCode() {
    const { i18n, form } = this.host;
    return html`<form part="form" class="auth-form" novalidate @submit=${this.#verify}>
      <fieldset>
        <p part="message">${i18n.t('codeSent', { target: maskPhone(this.target) })}</p>
        ${codeField(this.host)}
        ${formMessages(form, i18n, this.host.id_('error'))}
        <button part="button" type="submit">${i18n.t('verify')}</button>
        ${resendButton(this.host, () => this.#resend())}
        <button part="link" type="button" @click=${() => this.#back()}>${i18n.t('back')}</button>
      </fieldset>
    </form>`;
  }

  async #send(event: SubmitEvent, channel: Channel) {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const { form } = this.host;
    form.begin();
    const typed = read(element, 'username');
    let request: { phone?: string; email?: string } | null = null;
    if (channel === 'sms') {
      const phone = toE164(read(element, 'region') || this.host.defaultRegion, typed);
      if (phone) request = { phone };
      else form.invalidate('phone', typed ? 'invalid_phone' : 'required');
    } else if (isEmail(typed)) request = { email: typed };
    else form.invalidate('email', typed ? 'invalid_email' : 'required');
    if (request) await this.#ask(request, channel);
  }

  async #ask(request: { phone?: string; email?: string }, channel: Channel) {
    this.#request = request;
    const { auth, form } = this.host;
    const result = await form.run((options) => auth.client!.signInWithOtp({ ...request, options: { channel, shouldCreateUser: this.host.createUser } }, options));
    if (result) await this.#sent(result, request);
  }

  async #sent(result: OtpResult, request: { phone?: string; email?: string }) {
    if (result.error) {
      // A send refused for rate reasons still starts the countdown the backend asked for.
      if (result.error.retryAfter && this.target) this.host.countdown.start(result.error.retryAfter);
      return;
    }
    if (result.data.step) return; // a security check first: the element shows it
    const started = result.data as OtpStarted;
    this.#started = started;
    this.target = request.phone ?? request.email ?? '';
    this.host.countdown.start(started.resendAfter ?? 60);
    this.host.dispatchEvent(new CustomEvent('auth-otp-sent', { detail: { channel: started.channel, expiresIn: started.expiresIn }, bubbles: true, composed: true }));
    this.host.form.focus('first');
    if (started.channel === 'sms') this.#listenForSms();
  }

  async #resend() {
    const channel = this.channel;
    if (this.#request && channel) await this.#ask(this.#request, channel);
  }

  #verify = async (event: SubmitEvent) => {
    event.preventDefault();
    const { form } = this.host;
    form.begin();
    const code = readCode(event.currentTarget as HTMLFormElement);
    if (!code) return form.invalidate('code', 'required');
    const started = this.#started;
    if (!started) return;
    const result = await form.run((options) => started.verifyOtp({ token: code }, options));
    if (result && !result.error) this.restart();
    else if (result?.error?.code === 'code_expired' || result?.error?.code === 'too_many_attempts') this.host.countdown.stop();
  };

  /** WebOTP: where the browser supports it, an SMS bound to this origin fills the code. */
  #listenForSms() {
    const credentials = globalThis.navigator?.credentials as (CredentialsContainer & { get(options: unknown): Promise<unknown> }) | undefined;
    if (!credentials || typeof (globalThis as { OTPCredential?: unknown }).OTPCredential === 'undefined') return;
    this.#webOtp?.abort();
    this.#webOtp = new AbortController();
    credentials
      .get({ otp: { transport: ['sms'] }, signal: this.#webOtp.signal })
      .then((otp) => {
        const input = this.host.querySelector<HTMLInputElement>('input[name="one-time-code"]');
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
    this.restart();
    this.host.form.clear();
    this.host.form.focus('first');
  }
}

