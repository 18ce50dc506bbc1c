import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { fakeAdapter } from '../support/fake-adapter.js';
import { until } from '../support/environment.js';
import { AuthClient } from '../../src/core/client.js';
import { browserEnvironment } from '../../src/core/environment.js';

// Popup sign-in with a real window: window.open from a click, the popup's redirect page (another
// document running the client) hands the callback back by postMessage, strictly same-origin, and
// this page completes it. The authorization page is skipped: the fake backend's authorization
// URL is the callback itself.

const RETURN = new URL('./fixtures/popup-return.html', import.meta.url).href;

function setUp() {
  const provider = fakeAdapter({ key: 'popup-test' });
  Object.assign(provider.capabilities, { popup: true });
  provider.authorizationUrl = async (request) => {
    const back = new URL(request.redirectUri);
    back.searchParams.set('code', 'abc');
    back.searchParams.set('state', request.state);
    back.searchParams.set('test_nonce', request.nonce);
    return back.toString();
  };
  const navigations: string[] = [];
  // The real window and messages; only a page-wide redirect (the fallback) is recorded instead.
  const environment = { ...browserEnvironment(), navigate: (url: string) => void navigations.push(url) };
  const client = new AuthClient({ provider, storageKey: 'popup-test', environment, autoRefresh: false });
  return { client, provider, navigations };
}

/**
 * A real key press on a button that starts the sign-in, as a person starts <auth-social popup>:
 * a user gesture, without which a browser may block the popup (WebKit does).
 */
async function pressTo<T>(start: () => Promise<T>): Promise<T> {
  const button = document.createElement('button');
  button.textContent = 'Sign in';
  let result: Promise<T> | undefined;
  button.addEventListener('click', () => (result = start()));
  document.body.append(button);
  button.focus();
  await sendKeys({ press: 'Enter' });
  await until(() => result !== undefined, undefined, 'the click');
  button.remove();
  return result!;
}

describe('popup sign-in in a real window', () => {
  afterEach(() => localStorage.clear());

  it('opens a popup, whose redirect page hands the callback back; the sign-in completes here and the popup closes', async () => {
    const { client, provider, navigations } = setUp();
    await client.ready;
    const opened: Array<Window | null> = [];
    const open = window.open;
    window.open = (...args) => {
      const popup = open.apply(window, args);
      opened.push(popup);
      return popup;
    };
    try {
      const result = await pressTo(() => client.signInWithPopup({ options: { redirectTo: RETURN } }));
      expect(result.error).to.equal(null);
      expect(result.data.session?.user.id).to.equal('user-1');
      expect(navigations.length, 'this page stayed').to.equal(0);
      expect(provider.calls.exchange, 'completed once, here').to.equal(1);
      expect(opened.length).to.equal(1);
      await until(() => opened[0]!.closed, undefined, 'the popup closed');
    } finally {
      window.open = open;
      client.destroy();
    }
  });

  it('a message from another window, or from this origin with another shape, is not taken', async () => {
    const { client, provider } = setUp();
    // The authorization page never answers: the popup waits there until the test closes it.
    provider.authorizationUrl = async () => new URL('./fixtures/popup-wait.html', import.meta.url).href;
    await client.ready;
    let popup: Window | null = null;
    const open = window.open;
    window.open = (...args) => (popup = open.apply(window, args));
    const pending = pressTo(() => client.signInWithPopup({ options: { redirectTo: RETURN } }));
    await until(() => popup !== null, undefined, 'the popup');
    // This very window posting (not the popup): ignored, though the origin and the shape are right.
    const port = new MessageChannel();
    let taken: unknown = null;
    port.port1.onmessage = (event) => (taken = event.data);
    window.postMessage({ type: 'auth-elements:oauth-callback', url: `${RETURN}?code=abc&state=forged` }, location.origin, [port.port2]);
    // Messages arrive in order: once this one is here, the one above was seen and let go.
    await new Promise<void>((resolve) => {
      const marker = (event: MessageEvent) => event.data === 'marker' && (window.removeEventListener('message', marker), resolve());
      window.addEventListener('message', marker);
      window.postMessage('marker', location.origin);
    });
    expect(taken).to.equal(null);
    expect(client.state.session).to.equal(null);
    popup!.close();
    const result = await pending;
    expect(result.error?.code).to.equal('cancelled');
    window.open = open;
    client.destroy();
  });

  it('a popup the browser blocks falls back to the redirect of the whole page', async () => {
    const { client, navigations } = setUp();
    await client.ready;
    const open = window.open;
    window.open = () => null;
    try {
      const result = await pressTo(() => client.signInWithPopup({ options: { redirectTo: RETURN } }));
      expect(result.error).to.equal(null);
      expect(navigations.length).to.equal(1);
      expect(new URL(navigations[0]!).pathname).to.equal(new URL(RETURN).pathname);
    } finally {
      window.open = open;
      client.destroy();
    }
  });
});
