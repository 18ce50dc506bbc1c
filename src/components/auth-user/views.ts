import { css, html, nothing } from 'lit';
import { formBase } from '../base/document-styles.js';
import { formMessages } from '../base/templates.js';
import type { ViewHost } from '../views/host.js';
import { userStyles, userSummary } from '../views/user.js';

// What <auth-user> renders, loaded when the first one connects (AuthFormElement.views).

export const styles = [
  formBase,
  userStyles,
  css`
    :where(auth-user) {
      display: block;
    }
    :where(auth-user .auth-form) {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem;
      max-inline-size: none;
    }
    :where(auth-user [part~='error']) {
      flex-basis: 100%;
    }
  `,
];

/** Who is signed in, "Manage account" and Sign out; nothing while signed out. */
export function userView(host: ViewHost & { profileUrl?: string; signOutRedirect?: string }) {
  const { auth, i18n, form } = host;
  const { status, user } = auth.state;
  if (status !== 'signed-in' || !user) return nothing;
  const signOut = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    await form.run((options) => auth.client!.signOut({ ...options, redirectTo: host.signOutRedirect || undefined }));
  };
  return html`<form part="form" class="auth-form" @submit=${signOut}>
    ${userSummary(user, i18n.language)}
    ${host.profileUrl && /^(https?:|[/.#?])/i.test(host.profileUrl) ? html`<a part="link" href=${host.profileUrl}>${i18n.t('manageAccount')}</a>` : nothing}
    <fieldset>
      <button part="button secondary" type="submit">${i18n.t('signOut')}</button>
    </fieldset>
    ${formMessages(form, i18n, host.id_('error'))}
  </form>`;
}
