import { html } from 'lit';
import { formMessages } from '../base/templates.js';
import { accountActions, type AccountHost } from './account.js';
import { userStyles, userSummary } from './user.js';

// The signed-in view of <auth-login> and <auth-password>: a chunk of its own in the script tag
// (views/signed-in-part.ts), which a page where nobody is signed in never loads.

/** Adopted when the view is first drawn (views/later.ts). */
export const styles = [userStyles];

/** Signed in: who, what they can do with their account here, and a way out. */
export function signedInView(host: AccountHost) {
  const { auth, i18n, form } = host;
  const signOut = async (event: SubmitEvent) => {
    event.preventDefault();
    await form.run((options) => auth.client!.signOut(options));
  };
  return html`<form part="form" class="auth-form" @submit=${signOut}>
    <fieldset>
      <div part="user">${userSummary(auth.state.user, i18n.language)}</div>
      ${accountActions(host)}
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button secondary" type="submit">${i18n.t('signOut')}</button>
    </fieldset>
  </form>`;
}
