import { css, html, nothing } from 'lit';
import { formBase } from '../base/document-styles.js';
import { formMessages } from '../base/templates.js';
import type { ViewHost } from '../views/host.js';
import { offeredSources, socialButtons } from '../views/social.js';

// What <auth-social> renders, loaded when the first one connects (AuthFormElement.views).

export const styles = [
  formBase,
  css`
    :where(auth-social) {
      display: block;
    }
  `,
];

/** A button per source the backend offers (and the page asked for); nothing once signed in, or while a stored session is restored. */
export function socialView(host: ViewHost & { sources?: string; popup: boolean }) {
  const sources = offeredSources(host, host.sources);
  if (!sources.length || host.auth.signedIn) return nothing;
  return html`<form part="form" class="auth-form" @submit=${(e: Event) => e.preventDefault()}>
    <fieldset>
      ${socialButtons(host, sources, false, host.popup)}
      ${formMessages(host.form, host.i18n, host.id_('error'))}
    </fieldset>
  </form>`;
}
