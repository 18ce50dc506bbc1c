import { html, nothing } from 'lit';
import type { FormController } from './form-controller.js';
import type { LanguageController } from './language-controller.js';

/**
 * The form's error (announced by screen readers; focused after a failed submit that no field
 * explains) and its status line: a calm notice, or "Please wait…" for screen readers only while
 * the button shows a spinner, so nothing moves when a request starts. One place for both, in
 * every form.
 */
export function formMessages(form: FormController, i18n: LanguageController, id: string) {
  const notice = form.notice;
  return html`<p part="error" id=${id} role="alert" tabindex="-1">${form.error?.message ?? ''}</p>
    <p part="message status${notice ? ' notice' : ''}" role="status" aria-live="polite">${form.busy ? html`<span class="auth-sr">${i18n.t('working')}</span>` : notice || nothing}</p>`;
}
