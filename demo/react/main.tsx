// React 19 with the auth elements, two ways:
// 1. the typed wrappers from ./elements.ts (@lit/react): camel-case event props, typed details;
// 2. the bare tags, as React 19 binds them: `onauth-state-change` (the exact event name).
// Written with `createElement` rather than JSX so that it type-checks under the project's
// tsconfig as it is; the JSX form of the same calls is in the README.
import { createElement as h, StrictMode, useCallback, useRef, useState, type JSX } from 'react';
import { createRoot } from 'react-dom/client';
import type { AuthConfig as AuthConfigElement, Session } from '../../src/index.js';
import { AuthConfig, AuthPassword, type AuthErrorEvent, type AuthStateChangeEvent } from './elements.js';

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
  return h(
    'div',
    { className: 'framework-state' },
    h('p', { role: 'status', 'data-state': props.session ? 'signed-in' : 'signed-out' }, props.session ? `Signed in as ${who(props.session)}` : 'Signed out'),
    h('p', { className: 'note' }, `Last event: ${props.lastEvent}`, props.lastError ? ` — last error: ${props.lastError}` : ''),
    props.session ? h('div', { className: 'actions' }, h('button', { type: 'button', onClick: props.onSignOut }, 'Sign out')) : null,
  );
}

/** `<AuthConfig provider baseUrl clientId onAuthStateChange><AuthPassword /></AuthConfig>` */
function Wrapped() {
  const config = useRef<AuthConfigElement>(null);
  const state = useAuthState();
  return h(
    'section',
    { id: 'wrapped', 'aria-labelledby': 'wrapped-title' },
    h('h2', { id: 'wrapped-title' }, 'Typed wrappers (@lit/react)'),
    h(
      AuthConfig,
      {
        ref: config,
        ...ZHUYUN,
        // Its own storage key: the two sections of this page keep separate sessions.
        storageKey: 'react-wrapped',
        onAuthStateChange: state.onAuthStateChange,
        onAuthError: state.onAuthError,
      },
      h(AuthPassword, {}),
    ),
    h(Status, { ...state, onSignOut: () => void config.current?.client?.signOut() }),
  );
}

/** `<auth-config provider base-url client-id onauth-state-change><auth-password onauth-state-change /></auth-config>` */
function Native() {
  const config = useRef<AuthConfigElement>(null);
  const state = useAuthState();
  const [fromPassword, setFromPassword] = useState('nothing yet');
  // Typed by the JSX.IntrinsicElements declaration in ./elements.ts.
  const configProps: JSX.IntrinsicElements['auth-config'] = {
    ref: config,
    provider: ZHUYUN.provider,
    'base-url': ZHUYUN.baseUrl,
    'client-id': ZHUYUN.clientId,
    'storage-key': 'react-native',
    // Hears every change: the element that caused it announces it (it bubbles), and
    // <auth-config> announces the rest (a sign-out called on its client).
    'onauth-state-change': state.onAuthStateChange,
    'onauth-error': state.onAuthError,
  };
  const passwordProps: JSX.IntrinsicElements['auth-password'] = {
    'onauth-state-change': (event) => setFromPassword(event.detail.event),
  };
  return h(
    'section',
    { id: 'native', 'aria-labelledby': 'native-title' },
    h('h2', { id: 'native-title' }, 'Bare tags (React 19 custom-element events)'),
    h('auth-config', configProps, h('auth-password', passwordProps)),
    h('p', { className: 'note', 'data-testid': 'from-password' }, `<auth-password> announced: ${fromPassword}`),
    h(Status, { ...state, onSignOut: () => void config.current?.client?.signOut() }),
  );
}

function App() {
  return h('div', { className: 'framework-demo' }, h(Wrapped), h(Native));
}

createRoot(document.getElementById('root')!).render(h(StrictMode, null, h(App)));
