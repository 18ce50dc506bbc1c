import { html } from 'lit';
import { formatDuration } from '../../i18n/index.js';
import type { CountdownController } from '../base/countdown-controller.js';
import { field } from '../base/fields.js';
import type { ViewHost } from './host.js';

/** A view that asks for a code that can be sent again after a countdown. */
export interface CodeHost extends ViewHost {
  readonly countdown: CountdownController;
}

/** The one-time code input: `autocomplete="one-time-code"` for the browser's SMS autofill. */
export function codeField(host: ViewHost) {
  return field({ id: host.id_('code'), label: host.i18n.t('code'), name: 'one-time-code', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric', invalid: host.form.message('code') });
}

/** "Resend code", disabled with the time left while the countdown runs. */
export function resendButton(host: CodeHost, resend: () => void) {
  const { i18n, countdown } = host;
  const waiting = countdown.seconds > 0;
  return html`<button part="button secondary" type="button" ?disabled=${waiting} @click=${resend}>
    ${waiting ? i18n.t('resendIn', { duration: formatDuration(i18n.language, countdown.seconds) }) : i18n.t('resendCode')}
  </button>`;
}

/** The code typed, without spaces (people copy "123 456"). */
export function readCode(form: HTMLFormElement): string {
  return String(new FormData(form).get('one-time-code') ?? '').replace(/\s/g, '');
}
