import '../src/define.js';
import type { AuthConfig, Session } from '../src/index.js';

declare const __DEMO_OIDC_ISSUER__: string;

const config = document.querySelector<AuthConfig>('#oidc')!;
// The issuer's port is chosen by `npm start`; everything else is plain attributes in the HTML.
config.issuer = __DEMO_OIDC_ISSUER__;
config.redirectUri = `${location.origin}/`;
await config.updateComplete;

const $ = (id: string) => document.getElementById(id)!;

function show(session: Session | null) {
  $('status').textContent = session ? `signed in as ${session.user.name ?? session.user.id}` : 'signed out';
  // Tokens are secrets: the demo shows only their first characters.
  const cut = (token?: string) => (token ? `${token.slice(0, 12)}…` : undefined);
  $('session').textContent = session
    ? JSON.stringify({ ...session, access_token: cut(session.access_token), refresh_token: cut(session.refresh_token), id_token: cut(session.id_token), expires_at: new Date(session.expires_at * 1000).toLocaleTimeString() }, null, 2)
    : '—';
}

function log(text: string) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  $('log').prepend(item);
}

document.addEventListener('auth-state-change', (event) => {
  log(`auth-state-change ${event.detail.event}`);
  show(event.detail.session);
});
document.addEventListener('auth-error', (event) => log(`auth-error ${event.detail.error.code}: ${event.detail.error.message}`));

const client = () => config.client!;
$('sign-in').addEventListener('click', () => void client().signInWithOAuth());
$('refresh').addEventListener('click', () => void client().refreshSession());
$('sign-out').addEventListener('click', () => void client().signOut({ redirectTo: `${location.origin}/` }));
show(client().state.session);
