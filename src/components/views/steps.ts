import { css, html, nothing } from 'lit';
import type { PendingStep } from '../../contract/index.js';
import { checkPassword } from '../../core/util/password-policy.js';
import { formatDuration, policyText } from '../../i18n/index.js';
import { field, phoneField, toE164 } from '../base/fields.js';
import { formMessages } from '../base/templates.js';
import { captchaStyles, captchaView, type CaptchaHost } from './captcha.js';
import { codeField, readCode, resendButton, type CodeHost } from './code.js';
import { read, type ViewHost } from './host.js';
import { maskPhone } from './mask-phone.js';

type Step<K extends PendingStep['kind']> = Extract<PendingStep, { kind: K }>;

/** What only the steps show: the security check's image, consent's checkbox (adopted with them: views/later.ts). */
export const stepStyles = [
  captchaStyles,
  css`
    :where(.auth-form [part~='checkbox']) {
      display: flex;
      gap: 0.5rem;
      align-items: flex-start;
      font-weight: 500;
    }
    :where(.auth-form [part~='checkbox'] input) {
      inline-size: 1.125rem;
      block-size: 1.125rem;
      margin: 0.1875rem 0 0;
      accent-color: var(--_primary);
    }
  `,
];

/** What the step views need: codes with a countdown, the password typed, a captcha's follow-up. */
export interface StepHost extends CodeHost, CaptchaHost {
  /** The password just typed (the old one of a password change), memory only. */
  typed: string;
  /** Who is signing in, as typed: for the password manager beside a new password. */
  account: string;
  /** After recovery without a sign-in: back to the sign-in view. */
  go(view: 'sign-in'): void;
}

/** The view of any pending step; every one has a way back. */
export function stepView(host: StepHost, step: PendingStep) {
  switch (step.kind) {
    case 'password_change':
      return passwordChange(host, step);
    case 'second_factor':
      return secondFactor(host, step);
    case 'captcha':
      return captchaView(host, step);
    case 'consent':
      return consent(host);
    case 'verify_sign_up':
      return verifySignUp(host, step);
    case 'recovery':
      return recovery(host, step);
    case 'verify_email':
      return verifyEmailView(host, step);
    default:
      return nothing;
  }
}

function back(host: StepHost) {
  return html`<button part="link" type="button" @click=${() => cancel(host)}>${host.i18n.t('back')}</button>`;
}

function cancel(host: StepHost) {
  host.typed = '';
  host.countdown.stop();
  host.form.clear();
  host.auth.client?.cancelStep();
  host.form.focus('first');
}

/** A new password and its confirmation, checked against the backend's policy before sending. */
function newPasswordFields(host: StepHost, policy: Step<'password_change'>['policy']) {
  const { i18n, form } = host;
  const rules = policyText(i18n.language, policy);
  return html`<input type="hidden" name="username" autocomplete="username" .value=${host.account} />
    ${field({ id: host.id_('new'), label: i18n.t('newPassword'), name: 'new-password', type: 'password', autocomplete: 'new-password', help: rules || undefined, invalid: form.message('newPassword') })}
    ${field({ id: host.id_('confirm'), label: i18n.t('confirmPassword'), name: 'confirm-password', type: 'password', autocomplete: 'new-password', invalid: form.message('confirmPassword') })}`;
}

/** The new password of a form, or null with the field marked (checked in the page first). */
function readNewPassword(host: StepHost, element: HTMLFormElement, policy: Step<'password_change'>['policy']): string | null {
  const data = new FormData(element);
  const next = String(data.get('new-password') ?? '');
  const confirm = String(data.get('confirm-password') ?? '');
  const broken = checkPassword(next, policy);
  if (!next) host.form.invalidate('newPassword', 'required');
  else if (broken) host.form.invalidate('newPassword', broken, { min: policy?.minLength ?? '', max: policy?.maxLength ?? '' });
  else if (next !== confirm) host.form.invalidate('confirmPassword', 'mismatch');
  return host.form.valid ? next : null;
}

function passwordChange(host: StepHost, step: Step<'password_change'>) {
  const { auth, i18n, form } = host;
  const intro = step.required ? i18n.t('passwordExpired') : step.daysLeft !== undefined ? i18n.t('passwordExpiringDays', { days: formatDays(host, step.daysLeft) }) : i18n.t('passwordExpiring');
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const next = readNewPassword(host, event.currentTarget as HTMLFormElement, step.policy);
    if (next === null) return;
    const result = await form.run((options) => auth.client!.changePassword({ oldPassword: host.typed, newPassword: next }, options));
    if (result && !result.error && !result.data.step) host.typed = '';
  };
  const skip = async () => {
    await form.run((options) => auth.client!.skipPasswordChange(options));
    host.typed = '';
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      <p part="message">${intro}</p>
      ${newPasswordFields(host, step.policy)}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('changePassword')}</button>
      ${step.required ? nothing : html`<button part="button secondary" type="button" @click=${skip}>${i18n.t('notNow')}</button>`}
      ${back(host)}
    </fieldset>
  </form>`;
}

function formatDays(host: StepHost, days: number): string {
  return formatDuration(host.i18n.language, Math.max(1, days) * 86_400);
}

function secondFactor(host: StepHost, step: Step<'second_factor'>) {
  const { auth, i18n, form } = host;
  const channels = step.methods.filter((method): method is 'sms' | 'email' => method === 'sms' || method === 'email');
  const target = step.target ? maskPhone(step.target) : '';
  // The backend cannot say where to send the code (CloudBase mfa_phone_required): the person types the phone.
  const askPhone = step.ask === 'phone' && !step.target;
  const send = async (event: Event, method: 'sms' | 'email') => {
    let phone: string | undefined;
    if (askPhone) {
      form.begin();
      const element = (event.currentTarget as HTMLButtonElement).form!;
      const typed = read(element, 'username');
      phone = toE164(read(element, 'region') || host.defaultRegion, typed) ?? undefined;
      if (!phone) return form.invalidate('phone', typed ? 'invalid_phone' : 'required');
    }
    const result = await form.run((options) => auth.client!.sendSecondFactor({ method, phone }, options));
    if (result && !result.error) {
      form.setNotice(target || phone ? 'codeSent' : 'secondFactorNoTarget', { target: target || maskPhone(phone ?? '') });
      host.countdown.start(result.data.resendAfter ?? 60);
      if (!askPhone) return form.focus('first');
      // The phone is typed: the code comes next.
      await host.updateComplete;
      host.querySelector<HTMLInputElement>('input[name="one-time-code"]')?.focus();
    }
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const code = readCode(event.currentTarget as HTMLFormElement);
    if (!code) return form.invalidate('code', 'required');
    await form.run((options) => auth.client!.verifySecondFactor({ code }, options));
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      <p part="message">${target ? i18n.t('secondFactor', { target }) : askPhone ? i18n.t('secondFactorPhone') : i18n.t('secondFactorNoTarget')}</p>
      ${askPhone ? phoneField({ id: host.id_('factor-phone'), label: i18n.t('phone'), regionLabel: i18n.t('region'), region: host.defaultRegion, autocomplete: 'tel-national', invalid: form.message('phone') }) : nothing}
      ${channels.length
        ? html`<div part="row">${channels.map((method) => html`<button part="button secondary" type="button" ?disabled=${host.countdown.seconds > 0} @click=${(event: Event) => send(event, method)}>${i18n.t('sendCodeTo', { channel: i18n.t(method === 'sms' ? 'channelSms' : 'channelEmail') })}</button>`)}</div>`
        : nothing}
      ${codeField(host)}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('verify')}</button>
      ${back(host)}
    </fieldset>
  </form>`;
}

function consent(host: StepHost) {
  const { auth, i18n, form } = host;
  const id = host.id_('consent');
  const invalid = form.message('consent');
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    if (!new FormData(event.currentTarget as HTMLFormElement).get('consent')) return form.invalidate('consent', 'not_accepted');
    await form.run((options) => auth.client!.agreeToTerms(options));
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      <p part="message">${i18n.t('consent')}</p>
      <div part="field">
        <label part="label checkbox" for=${id}
          ><input id=${id} type="checkbox" name="consent" value="yes" aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${invalid ? `${id}-message` : nothing} />
          ${i18n.t('agree')}</label
        >
        ${invalid ? html`<p part="message invalid" id=${`${id}-message`}>${invalid}</p>` : nothing}
      </div>
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('continue')}</button>
      ${back(host)}
    </fieldset>
  </form>`;
}

function verifySignUp(host: StepHost, step: Step<'verify_sign_up'>) {
  const { auth, i18n, form } = host;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const code = readCode(event.currentTarget as HTMLFormElement);
    if (!code) return form.invalidate('code', 'required');
    await form.run((options) => auth.client!.verifyOtp({ token: code }, options));
  };
  const resend = async () => {
    const result = await form.run((options) => auth.client!.resendSignUpCode(options));
    const next = host.auth.state.pending;
    if (result && !result.error && next?.kind === 'verify_sign_up') host.countdown.start(next.resendAfter ?? 60);
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      <p part="message">${i18n.t('signUpCodeSent', { target: step.target ? maskPhone(step.target) : '' })}</p>
      ${codeField(host)}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('verify')}</button>
      ${resendButton(host, resend)}
      ${back(host)}
    </fieldset>
  </form>`;
}

function recovery(host: StepHost, step: Step<'recovery'>) {
  const { auth, i18n, form } = host;
  const target = step.target ? maskPhone(step.target) : '';
  if (step.stage === 'verify' && step.delivery === 'link') {
    return html`<form part="form" class="auth-form" @submit=${(event: Event) => event.preventDefault()}>
      <fieldset>
        <p part="message" data-auth-status tabindex="-1">${i18n.t('resetLinkSent', { target })}</p>
        ${formMessages(form, i18n, host.id_('error'))}
        ${back(host)}
      </fieldset>
    </form>`;
  }
  const withCode = step.stage === 'verify';
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    form.begin();
    const code = withCode ? readCode(element) : undefined;
    if (withCode && !code) form.invalidate('code', 'required');
    const next = readNewPassword(host, element, step.policy);
    if (next === null || (withCode && !code)) return;
    const result = await form.run((options) => auth.client!.completeRecovery({ code, newPassword: next }, options));
    if (result && !result.error && !result.data.session && !auth.state.pending) {
      host.go('sign-in');
      form.setNotice('passwordReset');
    }
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      <p part="message">${withCode ? i18n.t('resetCodeSent', { target }) : i18n.t('setNewPassword')}</p>
      ${withCode ? codeField(host) : nothing}
      ${newPasswordFields(host, step.policy)}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('setNewPassword')}</button>
      ${back(host)}
    </fieldset>
  </form>`;
}

/** An emailed link to verify the address brought the person here: one click confirms it. */
export function verifyEmailView(host: ViewHost & { go(view: 'sign-in'): void }, _step: Extract<PendingStep, { kind: 'verify_email' }>) {
  const { auth, i18n, form } = host;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const result = await form.run((options) => auth.client!.verifyEmail(options));
    if (result && !result.error) {
      host.go('sign-in');
      form.setNotice('emailVerified');
    }
  };
  const back = () => {
    auth.client?.cancelStep();
    host.go('sign-in');
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      <p part="message">${i18n.t('verifyEmailIntro')}</p>
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('verifyEmail')}</button>
      <button part="link" type="button" @click=${back}>${i18n.t('back')}</button>
    </fieldset>
  </form>`;
}
