import { css, html, nothing } from 'lit';
import { warmUpWebAuthn, webAuthnSupported } from '../../core/passkeys.js';
import { formBase } from '../base/document-styles.js';
import type { PasskeyController } from '../base/passkey-controller.js';
import { formMessages } from '../base/templates.js';
import type { ViewHost } from '../views/host.js';

// What <auth-passkey> renders, loaded when the first one connects (AuthFormElement.views).

export const styles = [
  formBase,
  css`
    :where(auth-passkey) {
      display: block;
    }
  `,
];

/** The passkey button (its library loads on hover or focus); nothing once signed in or without WebAuthn. */
export function passkeyView(host: ViewHost & { readonly passkey: PasskeyController }) {
  if (host.auth.state.status === 'signed-in' || !webAuthnSupported()) return nothing;
  const signIn = (event: SubmitEvent) => {
    event.preventDefault();
    void host.passkey.signIn();
  };
  return html`<form part="form" class="auth-form" @submit=${signIn}>
    <fieldset>
      <button part="button" type="submit" @pointerenter=${warmUpWebAuthn} @focus=${warmUpWebAuthn}>${host.i18n.t('passkey')}</button>
      ${formMessages(host.form, host.i18n, host.id_('error'))}
    </fieldset>
  </form>`;
}
