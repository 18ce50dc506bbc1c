import { html } from 'lit';
import type { FormController } from './form-controller.js';
import type { LanguageController } from './language-controller.js';

/**
 * The form's error (announced by screen readers; focused after a failed submit that no field
 * explains) and its status line (busy, or a calm notice). One place for both, in every form.
 */
export function formMessages(form: FormController, i18n: LanguageController, id: string) {
  return html`<p part="error" id=${id} role="alert" tabindex="-1">${form.error?.message ?? ''}</p>
    <p part="message status" role="status" aria-live="polite">${form.busy ? i18n.t('working') : form.notice}</p>`;
}
