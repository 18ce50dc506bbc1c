import { css, nothing } from 'lit';
import { webAuthnSupported } from '../../core/passkeys.js';
import { formBase } from '../base/document-styles.js';
import type { PasskeyHost } from '../base/passkey-controller.js';
import { passkeySignIn } from '../base/passkey-lazy.js';
import { passkeyForm } from '../base/templates.js';
import type { ViewHost } from '../views/host.js';

// What <auth-passkey> renders, loaded when the first one connects (AuthFormElement.views).
export { offerPasskeys } from '../base/passkey-lazy.js';

export const styles = [
  formBase,
  css`
    :where(auth-passkey) {
      display: block;
    }
  `,
];

/** The passkey button (its library loads on hover or focus); nothing once signed in (or while a stored session is restored) or without WebAuthn. */
export function passkeyView(host: ViewHost & PasskeyHost) {
  if (host.auth.signedIn || !webAuthnSupported()) return nothing;
  const signIn = (event: SubmitEvent) => {
    event.preventDefault();
    void passkeySignIn(host);
  };
  return passkeyForm(host, host.i18n.t('passkey'), signIn);
}
