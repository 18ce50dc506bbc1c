// React 19 with the auth elements, two ways, both from the published entry `auth-elements/react`
// (the demo's Vite server resolves the package's names to the source):
// 1. the typed wrappers (@lit/react): camel-case props and listeners, typed details;
// 2. the bare tags, as React 19 binds them: `onauth-state-change` (the exact event name), typed
//    by the entry's JSX.IntrinsicElements declarations.
import { StrictMode, useCallback, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'auth-elements/define';
import type { AuthConfig as AuthConfigElement, Session } from 'auth-elements';
import { AuthConfig, AuthPassword, type AuthErrorEvent, type AuthStateChangeEvent } from 'auth-elements/react';

declare const __DEMO_REFERENCE_URL__: string;

/** The Zhuyun IDaaS settings of the main demo (demo/main.ts). */
const ZHUYUN = { provider: 'zhuyun-idaas', baseUrl: `${__DEMO_REFERENCE_URL__}/zhuyun-idaas`, clientId: 'zhuyun-demo-client' };

const who = (session: Session) => session.user.name ?? session.user.phone ?? session.user.email ?? session.user.id;

/** The session as the app keeps it: whatever the last `auth-state-change` said. */
function useAuthState() {
  const [session, setSession] = useState<Session | null>(null);
  const [lastEvent, setLastEvent] = useState('none yet');
  const [lastError, setLastError] = useState('');
  const onAuthStateChange = useCallback((event: AuthStateChangeEvent) => {
    setSession(event.detail.session);
    setLastEvent(event.detail.event);
    setLastError('');
  }, []);
  const onAuthError = useCallback((event: AuthErrorEvent) => setLastError(`${event.detail.error.code}: ${event.detail.error.message}`), []);
  return { session, lastEvent, lastError, onAuthStateChange, onAuthError };
}

function Status(props: { session: Session | null; lastEvent: string; lastError: string; onSignOut: () => void }) {
  return (
    <div className="framework-state">
      <p role="status" data-state={props.session ? 'signed-in' : 'signed-out'}>
        {props.session ? `Signed in as ${who(props.session)}` : 'Signed out'}
      </p>
      <p className="note">
        Last event: {props.lastEvent}
        {props.lastError ? ` — last error: ${props.lastError}` : ''}
      </p>
      {props.session ? (
        <div className="actions">
          <button type="button" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** `<AuthConfig provider baseUrl clientId onAuthStateChange><AuthPassword /></AuthConfig>` */
function Wrapped() {
  const config = useRef<AuthConfigElement>(null);
  const state = useAuthState();
  return (
    <section id="wrapped" aria-labelledby="wrapped-title">
      <h2 id="wrapped-title">Typed wrappers (@lit/react)</h2>
      {/* Its own storage key: the two sections of this page keep separate sessions. */}
      <AuthConfig ref={config} {...ZHUYUN} storageKey="react-wrapped" onAuthStateChange={state.onAuthStateChange} onAuthError={state.onAuthError}>
        <AuthPassword />
      </AuthConfig>
      <Status {...state} onSignOut={() => void config.current?.client?.signOut()} />
    </section>
  );
}

/** `<auth-config provider base-url client-id onauth-state-change><auth-password onauth-state-change /></auth-config>` */
function Native() {
  const config = useRef<AuthConfigElement>(null);
  const state = useAuthState();
  const [fromPassword, setFromPassword] = useState('nothing yet');
  return (
    <section id="native" aria-labelledby="native-title">
      <h2 id="native-title">Bare tags (React 19 custom-element events)</h2>
      {/* Hears every change: the element that caused it announces it (it bubbles), and
          <auth-config> announces the rest (a sign-out called on its client). */}
      <auth-config
        ref={config}
        provider={ZHUYUN.provider}
        base-url={ZHUYUN.baseUrl}
        client-id={ZHUYUN.clientId}
        storage-key="react-native"
        onauth-state-change={state.onAuthStateChange}
        onauth-error={state.onAuthError}
      >
        <auth-password onauth-state-change={(event) => setFromPassword(event.detail.event)} />
      </auth-config>
      <p className="note" data-testid="from-password">
        &lt;auth-password&gt; announced: {fromPassword}
      </p>
      <Status {...state} onSignOut={() => void config.current?.client?.signOut()} />
    </section>
  );
}

function App() {
  return (
    <div className="framework-demo">
      <Wrapped />
      <Native />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
