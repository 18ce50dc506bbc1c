// Passkey sign-in's controller (the button's ceremony and autofill, ./passkey-controller.ts) is a
// chunk of its own: it comes when an element that offers passkeys renders with passkey URLs
// configured (autofill is armed from the first render then), or with a click on the button. A
// page without passkeys never loads it.
import { toAuthError } from '../../contract/index.js';
import { authenticationUrls } from '../../core/passkeys.js';
import { chunkOnce } from '../../core/util/once.js';
import type { PasskeyController, PasskeyHost } from './passkey-controller.js';

const code = chunkOnce(() => import('./passkey-controller.js'));
const controllers = new WeakMap<PasskeyHost, PasskeyController>();

function controllerOf(host: PasskeyHost, Controller: typeof PasskeyController): PasskeyController {
  let controller = controllers.get(host);
  if (!controller) {
    controller = new Controller(host);
    controllers.set(host, controller);
    host.requestUpdate(); // its hostUpdated arms autofill
  }
  return controller;
}

/**
 * Whether `host` has passkey URLs (its attributes, else the configuration's `passkeys`); when
 * it has, its controller comes now, so that autofill offers passkeys from the first render on.
 */
export function offerPasskeys(host: PasskeyHost): boolean {
  const offered = !!authenticationUrls(host, host.auth.client?.passkeys);
  if (offered && !controllers.has(host)) void code().then(({ PasskeyController }) => controllerOf(host, PasskeyController), () => {});
  return offered;
}

/** The button: one ceremony, from the click, once the controller is here. Offline, the form says so. */
export async function passkeySignIn(host: PasskeyHost): Promise<void> {
  const ready = controllers.get(host);
  if (ready) return ready.signIn();
  let Controller: typeof PasskeyController;
  try {
    ({ PasskeyController: Controller } = await code());
  } catch (error) {
    host.form.report(toAuthError(error));
    return;
  }
  return controllerOf(host, Controller).signIn();
}
