import { later, type LaterHost } from './later.js';
import type { AccountHost } from './account-host.js';

const code = later(() => import('./signed-in.js'));

/**
 * `<auth-login>`'s signed-in view (who, the account actions, Sign out): a chunk of its own, with
 * the styles and the words only it shows, loaded the first time someone is signed in here. A
 * person comes back to it signed in, so it is usually in the browser's cache by then; a sign-in
 * on the page starts loading it with its request (`prefetchSignedIn`).
 */
export function signedInPart(host: AccountHost & LaterHost): unknown {
  return code(host, (module) => module.signedInView(host));
}

/** Starts loading it: a request that may sign someone in is on its way. */
export const prefetchSignedIn = code.prefetch;
