import { expect } from '@open-wc/testing';
import { waitFor } from '../support/wait.js';

// The built script tag loads each backend's adapter, the Chinese words and @simplewebauthn/browser
// on demand, as ES modules beside the script (issue 19). Here it is served as unpkg serves it
// (/cdn/auth-elements redirects to /cdn/auth-elements@0.1.0/dist/auth-elements.iife.js;
// test/support/wtr-plugins.mjs), in a page under
// DESIGN.md's strict CSP and Trusted Types; and once with its chunks unreachable.

interface Client {
  ready: Promise<void>;
  adapter: { type: string; signInWithPassword?: unknown; load?: unknown };
  capabilities: { password: string[] };
  signInWithPassword(credentials: { phone: string; password: string }): Promise<{ error: { code: string; providerCode?: string | number } | null }>;
}
type ConfigElement = HTMLElement & { client: Client | null };
type FrameWindow = Window & { cspViolations?: string[]; AuthElements?: Record<string, unknown> };

/** The frames the current test opened: removed after it, whatever its outcome. */
const frames: HTMLIFrameElement[] = [];
afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
});

/** A frame of `src` (removed after the test), once its script tag ran. */
async function openFrame(src: string): Promise<{ win: FrameWindow; doc: Document }> {
  const frame = document.createElement('iframe');
  frames.push(frame);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = src;
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as FrameWindow;
  await waitFor(() => typeof win.AuthElements === 'object', 'the script tag ran in the frame');
  return { win, doc: frame.contentDocument! };
}

/** `<auth-config provider=zhuyun-idaas>` around an `<auth-login>`, in the frame's document. */
function zhuyunLogin(doc: Document, origin: string, lang?: string): { config: ConfigElement; login: HTMLElement } {
  const config = doc.createElement('auth-config') as ConfigElement;
  config.setAttribute('provider', 'zhuyun-idaas');
  // Same origin (connect-src 'self'), and nothing answers there: enough to run an adapter call.
  config.setAttribute('base-url', `${origin}/no-such-backend`);
  config.setAttribute('client-id', 'lazy');
  config.setAttribute('storage', 'memory');
  const login = doc.createElement('auth-login');
  if (lang) login.setAttribute('lang', lang);
  config.append(login);
  doc.body.append(config);
  return { config, login };
}

/**
 * `<auth-config provider=cloudbase>` (Shanghai: a password tab and a code tab) around an
 * `<auth-login>`, not yet in the frame's document; `storage` null: the browser's localStorage.
 */
function cloudbaseLogin(doc: Document, env: string, storage: string | null = 'memory'): { config: ConfigElement; login: HTMLElement } {
  const config = doc.createElement('auth-config') as ConfigElement;
  for (const [name, value] of [['provider', 'cloudbase'], ['env', env], ['base-url', `${location.origin}/no-such-backend`]]) config.setAttribute(name!, value!);
  if (storage) config.setAttribute('storage', storage);
  const login = doc.createElement('auth-login');
  config.append(login);
  return { config, login };
}

/** The on-demand chunks the frame fetched, by file name (`zhuyun-idaas-AbC123.js`). */
function chunksFetched(win: Window, directory: string): string[] {
  return win.performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => name.includes(directory))
    .map((name) => name.slice(name.lastIndexOf('/') + 1));
}

/** Where the strict-CSP page's script tag loads its chunks from (a CDN's layout). */
const CDN = '/cdn/auth-elements@0.1.0/dist/script/';

/** How many chunks whose names start with `prefix` the frame fetched from {@link CDN}. */
const fetched = (win: Window, prefix: string): number => chunksFetched(win, CDN).filter((name) => name.startsWith(prefix)).length;

describe('script tag: chunks loaded on demand', () => {
  it('under a strict CSP and Trusted Types, from a CDN directory: one adapter, Chinese and WebAuthn load, with no violation', async () => {
    const { win, doc } = await openFrame('/test/browser/fixtures/strict-csp.html');
    const { config, login } = zhuyunLogin(doc, location.origin);
    await waitFor(() => !!login.querySelector('input'), '<auth-login> shows its first input');
    const client = config.client!;
    await client.ready;
    // No stored session and no parameters in the address: the adapter waits for someone to act.
    expect(client.adapter.load, 'no adapter before anyone acts').to.be.a('function');
    expect(chunksFetched(win, CDN).filter((name) => /^(?:zhuyun-idaas|flows|http|lock|refresh-coordinator|passkey-controller)-/.test(name)), 'no adapter, flow, http, lock, refresh or passkey controller').to.deep.equal([]);
    // A person reaching for the form (focus): the adapter comes, from beside the script.
    login.querySelector('input')!.focus();
    await waitFor(() => client.adapter.load === undefined, 'the adapter loaded on focus');
    expect(typeof client.adapter.signInWithPassword, 'the adapter arrived from beside the script').to.equal('function');
    // An action through the adapter: its request goes out (and fails: nothing answers there).
    const { error } = await client.signInWithPassword({ phone: '+8613800000000', password: 'x' });
    expect(error === null, 'no backend answers').to.equal(false);
    expect(error!.code).to.not.equal('network');
    const adapters = chunksFetched(win, CDN).filter((name) => /^(?:cloudbase|tencent-ciam|alibaba-idaas|zhuyun-idaas|janrain|oidc)-/.test(name));
    // The bundler's hash is 8 characters of [A-Za-z0-9_-]: it may hold a '-' itself.
    expect(adapters.map((name) => name.replace(/-[\w-]{8}\.js$/, ''))).to.deep.equal(['zhuyun-idaas']);

    // Chinese: its words are a chunk too, fetched when an element first speaks it.
    const chinese = zhuyunLogin(doc, location.origin, 'zh-CN').login;
    await waitFor(() => chinese.textContent!.includes('登录'), 'the Chinese <auth-login> shows 登录');
    expect(chunksFetched(win, CDN).some((name) => name.startsWith('zh-cn-')), 'the Chinese words came from the CDN directory').to.equal(true);

    // WebAuthn: the passkey button renders first; its library comes when the button gets focus.
    if (typeof (win as unknown as { PublicKeyCredential?: unknown }).PublicKeyCredential === 'function') {
      const passkey = doc.createElement('auth-passkey');
      config.append(passkey);
      await waitFor(() => !!passkey.querySelector('button'), '<auth-passkey> shows its button');
      passkey.querySelector('button')!.focus();
      await waitFor(() => chunksFetched(win, CDN).some((name) => name.startsWith('esm-')), '@simplewebauthn/browser fetched on focus');
      // No passkey URLs here: the controller did not come with the render, only with the click,
      // which then says what is missing.
      expect(chunksFetched(win, CDN).filter((name) => name.startsWith('passkey-controller-')), 'no passkey controller before the click').to.deep.equal([]);
      passkey.querySelector('button')!.click();
      await waitFor(() => /not set up correctly|登录设置有误/.test(passkey.querySelector('[role="alert"]')?.textContent ?? ''), 'the click says sign-in is not set up');
      expect(fetched(win, 'passkey-controller-'), 'the controller came with the click').to.equal(1);
    }
    expect(win.cspViolations).to.deep.equal([]);
  });

  it('<auth-login> alone: the one-time-code form comes when its tab is pointed at, and other elements\' views only with those elements', async () => {
    const { win, doc } = await openFrame('/test/browser/fixtures/strict-csp.html');
    // CloudBase in Shanghai sends codes: <auth-login> offers a password tab and a code tab.
    const { config, login } = cloudbaseLogin(doc, 'lazy-env');
    doc.body.append(config);
    // README's way to reserve the card's height (`auth-login:empty { min-height: … }`) holds
    // until the first render, and no longer.
    expect(login.matches(':empty'), 'empty before its first render').to.equal(true);
    await waitFor(() => !!login.querySelector('input[type="password"]'), 'the password tab shows its form');
    expect(login.matches(':empty'), 'not once drawn').to.equal(false);
    expect(fetched(win, 'otp-'), 'no code form before anyone points at its tab').to.equal(0);
    expect(fetched(win, 'element-views-'), 'no other element\'s views').to.equal(0);
    expect(fetched(win, 'en-more-'), 'only the first views\' words').to.equal(0);
    const tab = login.querySelector<HTMLButtonElement>('[role="tab"]:not([aria-selected="true"])')!;
    expect(tab.textContent).to.equal('Code');
    tab.dispatchEvent(new PointerEvent('pointerenter'));
    await waitFor(() => fetched(win, 'otp-') === 1 && fetched(win, 'en-more-') === 1, 'pointing at the tab fetched the code form and the rest of the words');
    tab.click();
    await waitFor(() => !!login.querySelector('[role="tabpanel"] input[type="tel"]'), 'the code tab shows the phone field');
    expect(tab.getAttribute('aria-selected')).to.equal('true');
    expect([...login.querySelectorAll('[role="tabpanel"] button[type="submit"]')].map((b) => b.textContent)).to.deep.equal(['Send code']);
    // A forgotten password, in Chinese: the form behind the link comes with the rest of the Chinese words.
    const chinese = doc.createElement('auth-login');
    chinese.setAttribute('lang', 'zh-CN');
    config.append(chinese);
    await waitFor(() => !!chinese.querySelector('input[type="password"]'), 'the Chinese card shows its form');
    expect(fetched(win, 'zh-cn-more-'), 'not the rest of the Chinese words yet').to.equal(0);
    [...chinese.querySelectorAll('button')].find((b) => b.textContent === '忘记密码？')!.click();
    await waitFor(() => chinese.querySelector('h2')?.textContent === '重置密码' && !!chinese.querySelector('form input'), 'the forgot form, in Chinese');
    expect(fetched(win, 'zh-cn-more-'), 'the rest of the Chinese words came with it').to.equal(1);
    expect([...chinese.querySelectorAll('button[type="submit"]')].map((b) => b.textContent), 'its button in Chinese').to.deep.equal(['发送重置说明']);
    // Another element on the page brings its own views (and only then).
    const user = doc.createElement('auth-user');
    config.append(user);
    await waitFor(() => fetched(win, 'element-views-') === 1, '<auth-user> fetched the other elements\' views');
    expect(fetched(win, 'otp-'), 'the code form came once').to.equal(1);
    expect(win.cspViolations).to.deep.equal([]);
  });

  it('<auth-login> signed in: its signed-in view, with its styles and words, comes as a chunk once someone is signed in', async () => {
    const { win, doc } = await openFrame('/test/browser/fixtures/strict-csp.html');
    const { config, login } = cloudbaseLogin(doc, 'lazy-env');
    doc.body.append(config);
    await waitFor(() => !!login.querySelector('input[type="password"]'), 'the sign-in form');
    expect(fetched(win, 'signed-in-'), 'no signed-in view while nobody is signed in').to.equal(0);
    // Tokens the page got elsewhere, with the user: no request to the backend.
    const client = config.client as Client & { setSession(tokens: object): Promise<{ error: unknown }> };
    const { error } = await client.setSession({ access_token: 'lazy-token', refresh_token: 'lazy-refresh', expires_in: 3600, user: { id: 'u-lazy', name: 'Ada Lin', email: 'ada@example.com' } });
    expect(error).to.equal(null);
    await waitFor(() => login.querySelector('[part~="name"]')?.textContent === 'Ada Lin', 'the signed-in view shows who');
    expect(fetched(win, 'signed-in-'), 'the signed-in view came once').to.equal(1);
    expect(fetched(win, 'en-more-'), 'with the words it shows').to.equal(1);
    expect([...login.querySelectorAll('button[type="submit"]')].map((b) => b.textContent)).to.deep.equal(['Sign out']);
    expect(login.querySelector('[part~="detail"]')?.textContent).to.equal('ada@example.com');
    // Its styles came with it: the avatar is a round initial.
    const avatar = login.querySelector<HTMLElement>('[part~="avatar"]')!;
    expect(avatar.textContent).to.equal('A');
    expect(win.getComputedStyle(avatar).borderRadius).to.equal('50%');
    expect(win.cspViolations).to.deep.equal([]);
  });

  it('<auth-login> on a page load with a stored session: a busy card while it is restored, never the sign-in form, then who is signed in', async () => {
    const { win, doc } = await openFrame('/test/browser/fixtures/strict-csp.html');
    let storageKey = '';
    try {
      // The key this configuration stores its session under, from a client that keeps nothing.
      const probe = cloudbaseLogin(doc, 'lazy-restore').config as ConfigElement & { client: Client & { adapter: { key: string } } };
      probe.replaceChildren();
      doc.body.append(probe);
      await waitFor(() => !!probe.client, 'a client');
      storageKey = `auth-elements:${probe.client.adapter.key}:session`;
      probe.remove();
      // A session signed in on an earlier visit, an hour left: nothing to ask the backend.
      const now = Math.floor(Date.now() / 1000);
      win.localStorage.setItem(storageKey, JSON.stringify({ access_token: 'stored-token', refresh_token: 'stored-refresh', token_type: 'Bearer', expires_in: 3600, expires_at: now + 3600, provider: 'cloudbase', user: { id: 'u-stored', name: 'Lin Wei' } }));
      const { config, login } = cloudbaseLogin(doc, 'lazy-restore', null);
      // What the card shows, each time it changes.
      const shown: string[] = [];
      new (win as unknown as typeof globalThis).MutationObserver(() => {
        const what = login.querySelector('[part~="user"]') ? 'signed in' : login.querySelector('[aria-busy="true"]') ? 'busy' : login.querySelector('input') ? 'sign-in form' : 'nothing';
        if (shown.at(-1) !== what) shown.push(what);
      }).observe(login, { childList: true, subtree: true, attributes: true });
      doc.body.append(config);
      await waitFor(() => login.querySelector('[part~="name"]')?.textContent === 'Lin Wei', 'who is signed in');
      expect(shown.filter((what) => what !== 'nothing'), 'what the card showed').to.deep.equal(['busy', 'signed in']);
      expect(login.querySelector('h2')?.textContent).to.equal('You are signed in');
      expect(fetched(win, 'signed-in-'), 'the signed-in view came once').to.equal(1);
      expect(win.cspViolations).to.deep.equal([]);
    } finally {
      if (storageKey) win.localStorage.removeItem(storageKey);
    }
  });

  it('with its views here but no words at all (not even English): an alert and "Try again", which fetches the words again and shows the form', async () => {
    const { win, doc } = await openFrame('/test/browser/fixtures/no-words.html');
    const dir = '/cdn-words-later/dist/script/';
    const { login } = zhuyunLogin(doc, location.origin);
    await waitFor(() => !!login.querySelector('[role="alert"]'), '<auth-login> shows an alert without any words');
    expect(chunksFetched(win, dir).some((name) => name.startsWith('views-')), 'its views came').to.equal(true);
    // The shell carries the few words of this alert, so it speaks even with no catalog at all.
    expect(login.querySelector('[role="alert"]')!.textContent).to.equal('This form could not load. Check your connection.');
    expect(!!login.querySelector('form'), 'no form without words (it would have no labels)').to.equal(false);
    const retry = [...login.querySelectorAll('button')].find((b) => b.textContent === 'Try again');
    expect(!!retry, 'a "Try again" button').to.equal(true);
    // A code-first <auth-login> fetches its code form with the views, and the further words the
    // form shows, before it can draw any (with no words here, nothing is drawn: only the
    // connection asked for them).
    const config = doc.createElement('auth-config');
    for (const [name, value] of [['provider', 'cloudbase'], ['env', 'code-first'], ['base-url', `${location.origin}/no-such-backend`], ['storage', 'memory']]) config.setAttribute(name, value!);
    const codeFirst = doc.createElement('auth-login');
    codeFirst.setAttribute('methods', 'otp password');
    config.append(codeFirst);
    doc.body.append(config);
    await waitFor(() => chunksFetched(win, dir).some((name) => name.startsWith('otp-')), 'the code form came with the views');
    await waitFor(() => chunksFetched(win, dir).some((name) => name.startsWith('en-more-')), 'and the words it shows beyond the first views were asked for');
    expect(!!codeFirst.querySelector('form'), 'still no form without words').to.equal(false);
    // Back online: "Try again" fetches the words again under another address (Chromium and
    // Firefox never fetch a module again at an address that failed), and the form appears.
    await fetch('/cdn-words-later/online');
    const asked = chunksFetched(win, dir).filter((name) => name.startsWith('en-')).length;
    retry!.click();
    await waitFor(() => !!login.querySelector('form input'), 'the form, once the words came');
    // (Booleans: chai formatting an element of another frame for its message never returns.)
    expect(!!login.querySelector('.auth-unavailable'), 'the alert is gone').to.equal(false);
    // The attempt after a failure has an address of its own: the one that came.
    const attempts = chunksFetched(win, dir).filter((name) => name.startsWith('en-'));
    expect(attempts.length, 'Try again asked again').to.be.greaterThan(asked);
    expect(attempts.at(-1)).to.match(/\?retry=\d+$/);
  });

  it('with the chunks unreachable: <auth-login> says so in its language with "Try again" (which tries again), and an action reports network', async () => {
    const { doc } = await openFrame('/test/browser/fixtures/offline-chunks.html');
    const errors: Array<{ code: string; providerCode?: string; message: string }> = [];
    doc.addEventListener('auth-error', (event) => errors.push((event as CustomEvent<{ error: { code: string; providerCode?: string; message: string } }>).detail.error));
    const { config, login } = zhuyunLogin(doc, location.origin);
    await waitFor(() => !!login.querySelector('[role="alert"]'), '<auth-login> shows an alert without its views');
    const alert = login.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.equal('This form could not load. Check your connection.');
    expect(login.querySelector('form'), 'no form without the views').to.equal(null);
    const retry = [...login.querySelectorAll('button')].find((b) => b.textContent === 'Try again');
    expect(!!retry, 'a "Try again" button').to.equal(true);
    expect(retry!.type).to.equal('button');
    await waitFor(() => errors.some((e) => e.providerCode === 'views_not_loaded'), 'auth-error reached the page');
    const told = errors.find((e) => e.providerCode === 'views_not_loaded')!;
    expect(told.code).to.equal('network');
    expect(told.message, 'the event carries the words shown').to.equal(alert.textContent);
    // Still unreachable: the click fetches the views again, and the alert stays (a second error).
    retry!.focus();
    retry!.click();
    await waitFor(() => errors.filter((e) => e.providerCode === 'views_not_loaded').length === 2, 'Try again tried again');
    expect(!!login.querySelector('[role="alert"]')).to.equal(true);
    expect(doc.activeElement === retry, 'focus stays on "Try again"').to.equal(true);

    // In Chinese (its words are a chunk too, just as unreachable): the same, in Chinese.
    const chinese = zhuyunLogin(doc, location.origin, 'zh-CN').login;
    await waitFor(() => !!chinese.querySelector('[role="alert"]'), 'the Chinese <auth-login> shows its alert');
    expect(chinese.querySelector('[role="alert"]')!.textContent).to.equal('表单未能加载，请检查网络连接。');
    expect([...chinese.querySelectorAll('button')].map((b) => b.textContent)).to.deep.equal(['重试']);

    // The client still works without its adapter: an action reports network, the session intact.
    const client = config.client!;
    await client.ready;
    expect(client.capabilities.password).to.deep.equal(['phone']);
    expect(typeof client.adapter.load, 'the adapter never came').to.equal('function');
    const { error } = await client.signInWithPassword({ phone: '+8613800000000', password: 'x' });
    expect(error?.code).to.equal('network');
    expect(error?.providerCode).to.equal('adapter_not_loaded');
    await waitFor(() => errors.some((e) => e.providerCode === 'adapter_not_loaded'), 'auth-error reached the page');
  });
});
