import { html } from 'lit';
import { field } from '../base/fields.js';
import { formMessages } from '../base/templates.js';
import type { PasswordHost } from './account-host.js';
import { openPart, prefetchParts } from './parts.js';
import { contactOf } from './identifier.js';

export type { PasswordHost };

/** Identifier and password: the sign-in form, with the ways to recovery and sign-up. */
export function signInView(host: PasswordHost) {
  const { auth, i18n, form } = host;
  const caps = auth.capabilities;
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    form.begin();
    const who = host.who.read(element, caps.password);
    const password = String(new FormData(element).get('password') ?? '');
    if (!password) form.invalidate('password', 'required');
    if (!who || !password) return;
    host.typed = password;
    host.account = contactOf(who);
    const result = await form.run((options) => auth.client!.signInWithPassword({ ...who, password }, options));
    if (!result?.data.step) host.typed = '';
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      ${host.who.render(caps.password, 'username webauthn')}
      ${field({ id: host.id_('password'), label: i18n.t('password'), name: 'password', type: 'password', autocomplete: 'current-password', invalid: form.message('password') })}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('signIn')}</button>
      ${caps.recovery.length || caps.signUp.length
        ? html`<div part="links">
            ${caps.recovery.length ? html`<button part="link" type="button" @pointerenter=${prefetchParts} @focus=${prefetchParts} @click=${() => openPart(host, () => host.go('forgot'))}>${i18n.t('forgotPassword')}</button>` : ''}
            ${caps.signUp.length ? html`<button part="link" type="button" @pointerenter=${prefetchParts} @focus=${prefetchParts} @click=${() => openPart(host, () => host.go('sign-up'))}>${i18n.t('noAccount')}</button>` : ''}
          </div>`
        : ''}
    </fieldset>
  </form>`;
}
