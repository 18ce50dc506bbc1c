import { html, nothing } from 'lit';
import { formMessages } from '../base/templates.js';
import type { AccountHost } from './account-host.js';
import type { ViewHost } from './host.js';
import { openPart, prefetchParts } from './parts.js';

export type { AccountHost };

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
  ${caps.account?.password ? html`<button part="link" type="button" @pointerenter=${prefetchParts} @focus=${prefetchParts} @click=${() => openPart(host, () => host.go('change-password'))}>${i18n.t('changePassword')}</button>` : nothing}`;
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
