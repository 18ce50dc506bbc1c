import '../src/define.js';
import type { BackendType } from '../src/contract/index.js';
import type { AuthConfig, AuthUser, Session } from '../src/index.js';
import { SETTINGS } from '../src/backends/index.js';
import { demoBackends, redirectSetting } from './configs.js';

declare const __DEMO_OIDC_ISSUER__: string;
declare const __DEMO_REFERENCE_URL__: string;
declare const __DEMO_RELAY_URL__: string;

const REF = __DEMO_REFERENCE_URL__;
const RELAY = __DEMO_RELAY_URL__;
const here = `${location.origin}/`;

/**
 * The addresses of this page a backend needs: where it returns, and for Janrain where the emailed
 * verify-email link leads (this page with a marker, so it differs from the reset link).
 */
function pageAddresses(type: BackendType): Record<string, string> {
  const redirect: Record<string, string> = redirectSetting(type) === 'none' ? {} : { 'redirect-uri': here };
  return type === 'janrain' ? { ...redirect, 'verify-email-uri': `${here}?verify-email` } : redirect;
}

/** Each backend as a site would configure it (configs.ts): attributes only, no secret in the page. */
const PROVIDERS = Object.fromEntries(
  demoBackends({ oidcIssuer: __DEMO_OIDC_ISSUER__, referenceUrl: REF, relayUrl: RELAY }).map((backend) => [
    backend.type,
    { ...backend, attributes: { ...backend.attributes, ...pageAddresses(backend.type) } },
  ]),
);

/** The notes in Chinese (configs.ts holds the English ones). */
const ZH_NOTES: Record<string, string> = {
  oidc: '在本地 OpenID 提供方的托管页面登录（授权码 + PKCE）。',
  cloudbase: '页面直接调用，和真实的云开发一样。',
  'tencent-ciam': '密码登录和托管登录页直接调用（SPA 应用）；验证码、验证码登录及其刷新、注册和重置密码经过中转服务，由它持有 Web 应用的密钥。',
  'zhuyun-idaas': '手机号 + 密码，包括即将过期和已过期的密码。',
  'alibaba-idaas': '经过中转服务，由它为每次调用加上应用令牌；通过验证码注册和找回密码，社交登录经由本地的替身来源。',
  janrain: '经过中转服务（上游不支持跨域）；由中转服务用授权码换取令牌。重置密码和验证邮箱的链接在发件箱中：在本标签页打开。',
};
const noteOf = (type: string) => (document.documentElement.lang === 'zh-CN' ? ZH_NOTES[type] : undefined) ?? PROVIDERS[type]?.note ?? '';

/** The demo's own words (the widget brings its own), in both languages. */
const WORDS: Record<string, { en: string; 'zh-CN': string }> = {
  tagline: { en: 'A drop-in login widget, running here against the local reference backends.', 'zh-CN': '即插即用的登录组件，这里连接的是本地的参考后端。' },
  backend: { en: 'Backend', 'zh-CN': '后端' },
  language: { en: 'Language', 'zh-CN': '语言' },
  dark: { en: 'Dark theme', 'zh-CN': '深色主题' },
  popup: { en: 'Social sign-in in a popup', 'zh-CN': '在弹出窗口中社交登录' },
  widget: { en: 'The widget', 'zh-CN': '登录组件' },
  anonymous: { en: 'Sign in anonymously', 'zh-CN': '匿名登录' },
  refresh: { en: 'Refresh the session now', 'zh-CN': '立即刷新会话' },
  status: { en: 'Status', 'zh-CN': '状态' },
  signedInAs: { en: 'signed in as {who}', 'zh-CN': '已登录：{who}' },
  signedOut: { en: 'signed out', 'zh-CN': '未登录' },
  frameworks: { en: 'The same elements in', 'zh-CN': '同样的组件也可用于' },
  and: { en: 'and', 'zh-CN': '和' },
  accounts: { en: 'Demo accounts', 'zh-CN': '演示账号' },
  outbox: { en: 'Outbox (codes “sent”)', 'zh-CN': '发件箱（“已发送”的验证码）' },
  events: { en: 'Events', 'zh-CN': '事件' },
  session: { en: 'Session', 'zh-CN': '会话' },
  reference: { en: 'Every attribute, event and part:', 'zh-CN': '所有属性、事件和部件：' },
  api: { en: 'the API reference', 'zh-CN': 'API 参考' },
};
const words = (key: string) => WORDS[key]?.[document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en'] ?? key;
function translate() {
  for (const node of document.querySelectorAll<HTMLElement>('[data-t]')) node.textContent = words(node.dataset.t!);
  if (shown !== undefined) show(shown);
  const note = document.getElementById('provider-note');
  if (note?.dataset.note) note.textContent = noteOf(note.dataset.note);
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const config = $<AuthConfig>('config');
const picker = $<HTMLSelectElement>('provider');
/**
 * Passkeys at the reference server: a session of an emulated backend may register one; a passkey
 * sign-in gets its session from /passkeys/authentication/verify, asked for this backend only (a
 * passkey of another backend would bring a session of that one).
 */
const passkeysFor = (backend?: string) =>
  backend
    ? {
        optionsUrl: `${REF}/passkeys/registration/options`,
        verifyUrl: `${REF}/passkeys/registration/verify`,
        credentialsUrl: `${REF}/passkeys/credentials`,
        authenticationOptionsUrl: `${REF}/passkeys/authentication/options?backend=${backend}`,
        authenticationVerifyUrl: `${REF}/passkeys/authentication/verify`,
      }
    : undefined;
const ON_IP = /^\d+(\.\d+){3}$/.test(location.hostname);
// Every backend's attributes, from the settings tables: a switch clears the last backend's.
const SETTING_ATTRIBUTES = [...new Set(Object.values(SETTINGS).flatMap((table) => Object.values(table).map((row) => row.attribute)))];

function choose(type: string) {
  const chosen = PROVIDERS[type] ?? PROVIDERS.oidc!;
  for (const name of SETTING_ATTRIBUTES) config.removeAttribute(name);
  for (const [name, value] of Object.entries(chosen.attributes)) config.setAttribute(name, value);
  config.setAttribute('provider', type);
  // WebAuthn refuses IP addresses: on http://127.0.0.1 passkeys are not offered at all.
  config.options = { passkeys: ON_IP ? undefined : passkeysFor(chosen.backend) };
  $('provider-note').dataset.note = type;
  $('provider-note').textContent = noteOf(type);
  // A new backend starts from the first view, with nothing said yet (<auth-login> resets itself
  // when its client changes).
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

/** The session the status line and the session panel show (re-worded when the language changes). */
let shown: Session | null | undefined;

function show(session: Session | null) {
  shown = session;
  $('status').textContent = session ? words('signedInAs').replace('{who}', session.user.name ?? session.user.email ?? session.user.phone ?? session.user.id) : words('signedOut');
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
  // The card gives way to <auth-user> on this page: focus follows to the name there.
  if (event.detail.event === 'SIGNED_IN' && (event.target as Element).localName === 'auth-login') {
    void $<AuthUser>('user').updateComplete.then(() => $('user').querySelector<HTMLElement>('[data-auth-status]')?.focus());
  }
});
document.addEventListener('auth-error', (event) => log(`auth-error ${event.detail.error.code}${event.detail.error.providerCode ? ` [${event.detail.error.providerCode}]` : ''}: ${event.detail.error.message}`));

picker.addEventListener('change', () => choose(picker.value));
const languagePicker = $<HTMLSelectElement>('language');
languagePicker.addEventListener('change', () => {
  // The elements follow the nearest [lang] as it changes.
  document.documentElement.lang = languagePicker.value;
  localStorage.setItem('demo:lang', languagePicker.value);
  translate();
});
languagePicker.value = localStorage.getItem('demo:lang') === 'zh-CN' ? 'zh-CN' : 'en';
document.documentElement.lang = languagePicker.value;
translate();
$<HTMLInputElement>('dark').addEventListener('change', (e) => document.body.classList.toggle('dark', (e.target as HTMLInputElement).checked));
// Social sign-in in a popup where the backend allows it (OIDC, Tencent CIAM's portal): the page stays.
$<HTMLInputElement>('popup').addEventListener('change', (e) => $('login').toggleAttribute('popup', (e.target as HTMLInputElement).checked));
$('refresh').addEventListener('click', () => void config.client?.refreshSession());
$('anonymous').addEventListener('click', () => void config.client?.signInAnonymously());

picker.value = localStorage.getItem('demo:provider') ?? 'oidc';
choose(picker.value);
await config.updateComplete;
show(config.client?.state.session ?? null);
void pollOutbox();
setInterval(pollOutbox, 2000);
