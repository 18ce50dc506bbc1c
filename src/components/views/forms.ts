import { html } from 'lit';
import { field } from '../base/fields.js';
import { formMessages } from '../base/templates.js';
import type { AccountHost, PasswordHost } from './account-host.js';

// The forms a person reaches by a link from the first view (sign-up, a forgotten password) or
// once signed in (a new password): loaded with the steps' views, on first use (views/parts.ts).

/** A new account: an identifier the backend can register, and a new password. */
export function signUpView(host: PasswordHost) {
  const { auth, i18n, form } = host;
  const kinds = auth.capabilities.signUp;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    form.begin();
    const who = host.who.read(element, kinds);
    const password = String(new FormData(element).get('password') ?? '');
    if (!password) form.invalidate('password', 'required');
    if (!who || !password) return;
    await form.run((options) => auth.client!.signUp({ ...who, password }, options));
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      ${host.who.render(kinds, 'username')}
      ${field({ id: host.id_('password'), label: i18n.t('newPassword'), name: 'password', type: 'password', autocomplete: 'new-password', invalid: form.message('password', 'newPassword') })}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('signUp')}</button>
      <button part="link" type="button" @click=${() => host.go('sign-in')}>${i18n.t('haveAccount')}</button>
    </fieldset>
  </form>`;
}

/** Forgot password: who, then the backend sends a code or a link (the `recovery` step follows). */
export function forgotView(host: PasswordHost) {
  const { auth, i18n, form } = host;
  const kinds = auth.capabilities.recovery;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const who = host.who.read(event.currentTarget as HTMLFormElement, kinds);
    if (!who) return;
    await form.run((options) => auth.client!.resetPassword(who, options));
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      ${host.who.render(kinds, 'username')}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('sendResetLink')}</button>
      <button part="link" type="button" @click=${() => host.go('sign-in')}>${i18n.t('back')}</button>
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
