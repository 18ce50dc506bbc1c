import { html, nothing } from 'lit';
import { warmUpWebAuthn } from '../../core/passkeys.js';
import type { FormController } from './form-controller.js';
import type { LanguageController } from './language-controller.js';

/**
 * The form's error (announced by screen readers; focused after a failed submit that no field
 * explains) and its status line: a calm notice, or "Please wait…" for screen readers only while
 * the button shows a spinner, so nothing moves when a request starts. One place for both, in
 * every form. `shown` false: an element with several forms (`<auth-profile>`) keeps the status
 * line of the forms the last action was not about, empty and in place, and no error paragraph.
 */
export function formMessages(form: FormController, i18n: LanguageController, id: string, shown = true) {
  const notice = shown ? form.notice : '';
  return html`${shown ? html`<p part="error" id=${id} role="alert" tabindex="-1">${form.error?.message ?? ''}</p>` : nothing}
    <p part="message status${notice ? ' notice' : ''}" role="status" aria-live="polite">${shown && form.busy ? html`<span class="auth-sr">${i18n.t('working')}</span>` : notice || nothing}</p>`;
}

/**
 * A form of one passkey button (sign in, add one) and its messages; the passkey code starts
 * loading when the button is hovered or focused, so the ceremony the click starts begins sooner.
 */
export function passkeyForm(host: { form: FormController; i18n: LanguageController; id_(name: string): string }, label: string, submit: (event: SubmitEvent) => void) {
  return html`<form part="form" class="auth-form" @submit=${submit}>
    <fieldset>
      <button part="button" type="submit" @pointerenter=${warmUpWebAuthn} @focus=${warmUpWebAuthn}>${label}</button>
      ${formMessages(host.form, host.i18n, host.id_('error'))}
    </fieldset>
  </form>`;
}
