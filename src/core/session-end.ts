// Signing out is the session core's, not a flow's: it must work even when no flow's chunk can
// load (a person on a shared computer who clicks "Sign out" offline is signed out here).
import { AuthChangeEvent, isAuthError, type Adapter, type AuthError } from '../contract/index.js';
import type { Environment } from './environment.js';
import type { SignOutOptions } from './options.js';
import type { ActionOptions, ActionRunner } from './runner.js';
import { loadAdapter } from './session-start.js';
import type { SessionStore } from './session-store.js';

export interface SignOutHost {
  adapter: Adapter;
  runner: ActionRunner;
  store: SessionStore;
  env: Environment;
}

/** Signs out (AuthClient.signOut, once the client is ready). */
export async function signOut({ adapter, runner, store, env }: SignOutHost, options: SignOutOptions & ActionOptions): Promise<{ error: AuthError | null }> {
  const session = store.state.session;
  let redirectUrl: string | undefined;
  let refused: unknown = null;
  // The backend's sign-out needs the adapter's code (a session from another tab may be here before
  // it); offline, the session is cleared here all the same.
  if (session) await loadAdapter(adapter);
  if (session && adapter.signOut) {
    try {
      ({ redirectUrl } = await adapter.signOut(session, { redirectTo: options.redirectTo }, runner.context(options)));
    } catch (error) {
      // The backend did not confirm the sign-out; the local session is cleared anyway. Only a
      // sign-out page the adapter refused to send the browser to is worth telling the site.
      if (isAuthError(error) && error.providerCode === 'unsafe_url') refused = error;
    }
  }
  if (store.state.session) await store.commit({ session: null, event: AuthChangeEvent.SIGNED_OUT, source: options.source, persist: true, notify: true });
  else runner.clearStep();
  if (redirectUrl && options.redirectTo) {
    try {
      env.navigate(redirectUrl);
    } catch (error) {
      refused = error;
    }
  }
  return { error: refused ? runner.fail(refused, null, options.source).error : null };
}
