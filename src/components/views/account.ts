import { html, nothing } from 'lit';
import type { PendingStep } from '../../contract/index.js';
import { field } from '../base/fields.js';
import { formMessages } from '../base/templates.js';
import type { ViewHost } from './host.js';

/** What the account views need: the way back to the signed-in view. */
export interface AccountHost extends ViewHost {
  /** Who is signing in, as typed: for the password manager beside a new password. */
  account: string;
  go(view: 'sign-in' | 'change-password'): void;
}

/**
 * Under "Signed in as …": what the backend lets the person do with their account here — send
 * the link that verifies their email address (while it is not verified), change their password.
 */
export function accountActions(host: AccountHost) {
  const { auth, i18n, form } = host;
  const caps = auth.capabilities;
  const unverified = caps.verifyEmail && auth.state.user?.email_verified === false;
  const send = async () => {
    const result = await form.run((options) => auth.client!.sendEmailVerification(options));
    if (result && !result.error) form.setNotice('verificationEmailSent', { target: result.data.target ?? '' });
  };
  return html`${unverified
    ? html`<p part="message">${i18n.t('emailNotVerified')}</p>
        <button part="button secondary" type="button" @click=${send}>${i18n.t('sendVerificationEmail')}</button>`
    : nothing}
  ${caps.account?.password ? html`<button part="link" type="button" @click=${() => host.go('change-password')}>${i18n.t('changePassword')}</button>` : nothing}`;
}

/** Whether the backend lets the signed-in person do anything with their account here. */
export function hasAccountActions(host: ViewHost): boolean {
  const caps = host.auth.capabilities;
  return !!caps.account?.password || (!!caps.verifyEmail && host.auth.state.user?.email_verified === false);
}

/** The account actions alone (`<auth-password account>`): no summary, no Sign out; nothing without actions. */
export function accountView(host: AccountHost) {
  const { form, i18n } = host;
  const notice = form.notice || form.error;
  if (!hasAccountActions(host) && !notice) return nothing;
  return html`<form part="form" class="auth-form" @submit=${(event: Event) => event.preventDefault()}>
    <fieldset>
      ${accountActions(host)} ${formMessages(form, i18n, host.id_('error'))}
    </fieldset>
  </form>`;
}

/** The signed-in person changes their password: the current one, then the new one twice. */
export function changePasswordView(host: AccountHost) {
  const { auth, i18n, form } = host;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const current = String(data.get('password') ?? '');
    const next = String(data.get('new-password') ?? '');
    if (!current) form.invalidate('password', 'required');
    if (!next) form.invalidate('newPassword', 'required');
    else if (next !== String(data.get('confirm-password') ?? '')) form.invalidate('confirmPassword', 'mismatch');
    if (!form.valid) return;
    const result = await form.run((options) => auth.client!.changePassword({ oldPassword: current, newPassword: next }, options));
    if (result && !result.error) {
      host.go('sign-in');
      form.setNotice('passwordReset');
    }
  };
  const who = auth.state.user?.email ?? auth.state.user?.phone ?? host.account;
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      <input type="hidden" name="username" autocomplete="username" .value=${who ?? ''} />
      ${field({ id: host.id_('current'), label: i18n.t('currentPassword'), name: 'password', type: 'password', autocomplete: 'current-password', invalid: form.message('password') })}
      ${field({ id: host.id_('new'), label: i18n.t('newPassword'), name: 'new-password', type: 'password', autocomplete: 'new-password', invalid: form.message('newPassword') })}
      ${field({ id: host.id_('confirm'), label: i18n.t('confirmPassword'), name: 'confirm-password', type: 'password', autocomplete: 'new-password', invalid: form.message('confirmPassword') })}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('changePassword')}</button>
      <button part="link" type="button" @click=${() => host.go('sign-in')}>${i18n.t('back')}</button>
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
