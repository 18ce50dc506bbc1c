// Starting a client is the session core's: read the stored session (refreshed when due), complete
// a redirect's return or open an emailed link's step, then announce INITIAL_SESSION. The adapter's
// code (a chunk) comes only when start-up may need it.
import type { Adapter, AuthChangeEvent, Language, Session } from '../contract/index.js';
import { loadLanguage } from '../i18n/index.js';
import type { Environment } from './environment.js';
import type { Refresher } from './refresher.js';
import { callbackParams, hasParameters, readLink } from './return-url.js';
import type { SessionStore } from './session-store.js';

export interface StartHost {
  adapter: Adapter;
  store: SessionStore;
  refresher: Refresher;
  env: Environment;
  lang: Language;
  detectSessionInUrl: boolean;
  /** Completes a redirect's return through the OAuth flow (its chunk comes only then). */
  returned(): Promise<{ event: AuthChangeEvent; session: Session | null } | undefined>;
  destroyed(): boolean;
}

/** The adapter's code, when it is a chunk; offline, an action reports it and the next one tries again. */
export function loadAdapter(adapter: Adapter): Promise<void> {
  return adapter.load?.().catch(() => {}) ?? Promise.resolve();
}

/**
 * AuthClient's start-up (`client.ready`). The words of the client's language first (Chinese is
 * its own chunk). The adapter only when start-up may need it: a stored session (a refresh, a
 * sign-out) or an address with parameters (a redirect's return, an emailed link); otherwise it
 * comes with the first action, a session another tab signed in, or `prepare()`.
 */
export async function startSession({ adapter, store, refresher, env, lang, detectSessionInUrl, returned, destroyed }: StartHost): Promise<void> {
  const words = loadLanguage(lang).catch(() => {});
  store.open((session) => {
    // A session to keep: what its refresh and sign-out need comes now.
    if (session) {
      void loadAdapter(adapter);
      refresher.prepare();
    }
    refresher.scheduler.reschedule(session);
  });
  const initial = await store.slot.read();
  if (initial) {
    refresher.prepare(); // its refresh may be due
    store.restore(); // the elements show it is coming, until it is settled below
  }
  if (initial || hasParameters(env.url())) await loadAdapter(adapter);
  await words;
  let session = initial;
  // The OAuth flow's chunk only when the address is a redirect's return.
  const back = detectSessionInUrl && callbackParams(env.url()) ? await returned() : undefined;
  const redirected = back?.session ?? null;
  if (redirected) session = redirected;
  else if (session && refresher.due(session)) {
    store.set(session);
    try {
      session = await refresher.refresh(false, false);
    } catch {
      session = store.state.session;
    }
  }
  // Drop the session read at start if it did not survive; never one another tab wrote since
  // (a callback loaded in two tabs: the tab that lost the state must not erase the winner's).
  if (!session && initial && (await store.slot.read())?.access_token === initial.access_token) await store.slot.remove();
  store.set(session);
  // A link the backend emailed (a password reset, an address to confirm) opens its step.
  if (!redirected && detectSessionInUrl) readLink(adapter, env, store);
  if (destroyed()) return;
  refresher.scheduler.start();
  refresher.scheduler.reschedule(session);
  store.initialize();
  if (redirected) store.emit(back!.event, redirected);
}
