import '../src/define.js';
import type { AuthConfig, Session } from '../src/index.js';
import { SETTINGS } from '../src/backends/index.js';

declare const __DEMO_OIDC_ISSUER__: string;
declare const __DEMO_REFERENCE_URL__: string;
declare const __DEMO_RELAY_URL__: string;

const REF = __DEMO_REFERENCE_URL__;
const RELAY = __DEMO_RELAY_URL__;
const here = `${location.origin}/`;

/** Each backend as a site would configure it: attributes only, no secret in the page. */
const PROVIDERS: Record<string, { attributes: Record<string, string>; note: string; backend?: string }> = {
  oidc: {
    attributes: { issuer: __DEMO_OIDC_ISSUER__, 'client-id': 'auth-elements-demo', 'redirect-uri': here },
    note: 'Hosted sign-in at the local OpenID provider (authorization code + PKCE).',
  },
  cloudbase: {
    attributes: { 'base-url': `${REF}/cloudbase`, env: 'demo-env', region: 'ap-shanghai', 'access-key': 'demo-publishable-key', providers: 'github wx_open', 'redirect-uri': here },
    note: 'Called directly from the page, as CloudBase is.',
    backend: 'cloudbase',
  },
  'tencent-ciam': {
    attributes: {
      'base-url': `${REF}/tencent-ciam`,
      'relay-url': `${RELAY}/tencent-ciam`,
      // The page's SPA app; the relay holds the Web app (ciam-demo-client) and its secret.
      'client-id': 'ciam-demo-spa',
      'auth-source-id': 'pwd-source',
      'sms-auth-source-id': 'sms-source',
      'email-auth-source-id': 'email-source',
      'redirect-uri': here,
    },
    note: 'Password and the hosted portal go direct (SPA app); codes, the code sign-in and its refresh, sign-up and password reset go through the relay, which holds the Web app’s secret.',
    backend: 'tencent-ciam',
  },
  'zhuyun-idaas': {
    attributes: { 'base-url': `${REF}/zhuyun-idaas`, 'client-id': 'zhuyun-demo-client' },
    note: 'Mobile number + password, with expiring and expired passwords.',
    backend: 'zhuyun-idaas',
  },
  'alibaba-idaas': {
    attributes: {
      'base-url': `${RELAY}/alibaba-idaas`,
      'idaas-app-id': 'app_demo',
      // The emulation's stand-in for a third-party source (a real one is WeChat, Alipay…).
      'social-sources': JSON.stringify([{ enterpriseAuthId: 'ciamlocalsocial', authorizeUrl: `${REF}/alibaba-idaas/social-source/authorize` }]),
    },
    note: 'Through the relay, which adds the app token to every call; sign-up and password recovery by code, social sign-in through a local stand-in source.',
    backend: 'alibaba-idaas',
  },
  janrain: {
    attributes: {
      'base-url': `${RELAY}/janrain`,
      'client-id': 'janrain-login-client',
      flow: 'standard',
      'flow-version': '20240101',
      locale: 'en-US',
      'redirect-uri': here,
      // Its own landing page (here: this page with a marker), so the two emailed links differ.
      'verify-email-uri': `${here}?verify-email`,
    },
    note: 'Through the relay (no CORS upstream); the relay trades the code for tokens. The reset and verify-email links are in the outbox: open them in this tab.',
    backend: 'janrain',
  },
};

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const config = $<AuthConfig>('config');
const picker = $<HTMLSelectElement>('provider');
// Passkeys at the reference server: a session of any backend may register one; a passkey
// sign-in gets its session from /passkeys/authentication/verify.
config.options = {
  passkeys: {
    optionsUrl: `${REF}/passkeys/registration/options`,
    verifyUrl: `${REF}/passkeys/registration/verify`,
    authenticationOptionsUrl: `${REF}/passkeys/authentication/options`,
    authenticationVerifyUrl: `${REF}/passkeys/authentication/verify`,
  },
};
// Every backend's attributes, from the settings tables: a switch clears the last backend's.
const SETTING_ATTRIBUTES = [...new Set(Object.values(SETTINGS).flatMap((table) => Object.values(table).map((row) => row.attribute)))];

function choose(type: string) {
  const chosen = PROVIDERS[type] ?? PROVIDERS.oidc!;
  for (const name of SETTING_ATTRIBUTES) config.removeAttribute(name);
  for (const [name, value] of Object.entries(chosen.attributes)) config.setAttribute(name, value);
  config.setAttribute('provider', type);
  $('provider-note').textContent = chosen.note;
  localStorage.setItem('demo:provider', type);
  void config.updateComplete.then(() => {
    $('anonymous').hidden = !config.client?.capabilities.anonymous;
  });
  void showAccounts(chosen.backend);
}

async function showAccounts(backend?: string) {
  const list = $('accounts');
  list.replaceChildren();
  const add = (text: string) => {
    const item = document.createElement('li');
    item.textContent = text;
    list.append(item);
  };
  if (!backend) return add('demo / demo-password (at the OpenID provider’s own page)');
  try {
    const all = (await (await fetch(`${REF}/__accounts`)).json()) as Array<{ backend: string; accounts: Array<{ identifier: string; password?: string; note: string }> }>;
    for (const account of all.find((b) => b.backend === backend)?.accounts ?? []) {
      add(`${account.identifier}${account.password ? ` / ${account.password}` : ''}: ${account.note}`);
    }
  } catch {
    add('The reference server did not answer.');
  }
}

async function pollOutbox() {
  try {
    const messages = (await (await fetch(`${REF}/__outbox`)).json()) as Array<{ at: number; backend: string; channel: string; to: string; code?: string; purpose: string }>;
    const list = $('outbox');
    list.replaceChildren(
      ...messages.slice(0, 8).map((m) => {
        const item = document.createElement('li');
        item.textContent = `${new Date(m.at).toLocaleTimeString()} ${m.backend} ${m.channel} → ${m.to}: ${m.code ?? ''} (${m.purpose})`;
        return item;
      }),
    );
  } catch {
    /* the server may be restarting */
  }
}

function show(session: Session | null) {
  $('status').textContent = session ? `signed in as ${session.user.name ?? session.user.email ?? session.user.phone ?? session.user.id}` : 'signed out';
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
  log(`auth-state-change ${event.detail.event} (from <${(event.target as Element).localName ?? 'document'}>)`);
  show(event.detail.session);
});
document.addEventListener('auth-error', (event) => log(`auth-error ${event.detail.error.code}${event.detail.error.providerCode ? ` [${event.detail.error.providerCode}]` : ''}: ${event.detail.error.message}`));

picker.addEventListener('change', () => choose(picker.value));
$<HTMLSelectElement>('language').addEventListener('change', (e) => {
  // The elements follow the nearest [lang] as it changes.
  document.documentElement.lang = (e.target as HTMLSelectElement).value;
});
$<HTMLInputElement>('dark').addEventListener('change', (e) => document.body.classList.toggle('dark', (e.target as HTMLInputElement).checked));
// <auth-social popup>: where the backend allows it (OIDC, Tencent CIAM's portal), the page stays.
$<HTMLInputElement>('popup').addEventListener('change', (e) => document.querySelector('auth-social')!.toggleAttribute('popup', (e.target as HTMLInputElement).checked));
$('refresh').addEventListener('click', () => void config.client?.refreshSession());
$('anonymous').addEventListener('click', () => void config.client?.signInAnonymously());
$('sign-out').addEventListener('click', () => void config.client?.signOut());

picker.value = localStorage.getItem('demo:provider') ?? 'oidc';
choose(picker.value);
await config.updateComplete;
show(config.client?.state.session ?? null);
void pollOutbox();
setInterval(pollOutbox, 2000);
