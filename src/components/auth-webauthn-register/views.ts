import { css, nothing } from 'lit';
import { webAuthnSupported } from '../../core/passkeys.js';
import { formBase } from '../base/document-styles.js';
import { addPasskey, type RegistrationHost } from '../base/passkey-registration.js';
import { passkeyForm } from '../base/templates.js';
import type { ViewHost } from '../views/host.js';

// What <auth-webauthn-register> renders, loaded when the first one connects (AuthFormElement.views).

export const styles = [
  formBase,
  css`
    :where(auth-webauthn-register) {
      display: block;
    }
  `,
];

/** "Add a passkey" (its library loads on hover or focus), while someone is signed in and the browser has WebAuthn. */
export function registerView(host: Pick<ViewHost, 'auth' | 'form' | 'i18n' | 'id_'> & RegistrationHost) {
  if (host.auth.state.status !== 'signed-in' || !webAuthnSupported()) return nothing;
  const register = async (event: SubmitEvent) => {
    event.preventDefault();
    await addPasskey(host);
  };
  return passkeyForm(host, host.i18n.t('addPasskey'), register);
}
