// Popup sign-in, with the popup and its messages played by the test (the browser side, where
// the window and the origin check are real, is test/browser/popup.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment, until } from '../../test/support/environment.js';
import { AuthClient } from './client.js';
import { POPUP_MESSAGE, type PopupWindow } from './environment.js';
import { memoryStorage } from './storage.js';

function fakePopup() {
  let listener: ((data: unknown, reply: (answer: unknown) => void) => void) | null = null;
  const popup = {
    navigated: [] as string[],
    replies: [] as unknown[],
    closed: false,
    navigate: (url: string) => void popup.navigated.push(url),
    close: () => void (popup.closed = true),
    onMessage(next: typeof listener) {
      listener = next;
      return () => void (listener = null);
    },
    /** What the popup's redirect page posts. */
    post: (data: unknown) => listener?.(data, (answer) => void popup.replies.push(answer)),
  };
  return popup satisfies PopupWindow;
}

function opener(options: { popup?: ReturnType<typeof fakePopup> | null; canPopup?: boolean } = {}) {
  const provider = fakeAdapter();
  Object.assign(provider.capabilities, { popup: options.canPopup ?? true });
  const popup = options.popup === undefined ? fakePopup() : options.popup;
  const env = { ...testEnvironment('http://127.0.0.1/page'), openPopup: () => popup };
  const storage = memoryStorage();
  const client = new AuthClient({ provider, storage, environment: env, autoRefresh: false });
  return { client, provider, popup, env, storage };
}

/** The callback the authorization page would send the popup to. */
function callbackFor(authorizeUrl: string) {
  const url = new URL(authorizeUrl);
  return `http://127.0.0.1/callback?code=abc&state=${url.searchParams.get('state')}&test_nonce=${url.searchParams.get('nonce')}`;
}

describe('popup sign-in', () => {
  test('the popup goes to the authorization page; its callback, handed back, signs in here', async () => {
    const { client, provider, popup, env } = opener();
    await client.ready;
    const pending = client.signInWithPopup();
    await until(() => popup!.navigated.length === 1, undefined, 'the popup was sent to the authorization page');
    assert.equal(env.navigations.length, 0, 'this page stays');
    popup!.post({ type: 'something else' });
    popup!.post({ type: POPUP_MESSAGE, url: 42 });
    assert.deepEqual(popup!.replies, [], 'other messages are not taken');
    popup!.post({ type: POPUP_MESSAGE, url: callbackFor(popup!.navigated[0]!) });
    const result = await pending;
    assert.equal(result.error, null);
    assert.equal(result.data.session?.user.id, 'user-1');
    assert.deepEqual(popup!.replies, ['taken']);
    assert.equal(popup!.closed, true);
    assert.equal(provider.calls.exchange, 1);
    client.destroy();
  });

  test('a tampered callback from the popup is refused like a redirect’s', async () => {
    const { client, popup } = opener();
    await client.ready;
    const pending = client.signInWithPopup();
    await until(() => popup!.navigated.length === 1);
    popup!.post({ type: POPUP_MESSAGE, url: 'http://127.0.0.1/callback?code=abc&state=forged' });
    const result = await pending;
    assert.equal(result.error?.code, 'invalid_request');
    assert.equal(result.error?.providerCode, 'state_mismatch');
    assert.equal(client.state.session, null);
    client.destroy();
  });

  test('closing the popup is a calm cancel; an aborted action closes it', async () => {
    const first = opener();
    await first.client.ready;
    const pending = first.client.signInWithPopup();
    await until(() => first.popup!.navigated.length === 1);
    first.popup!.closed = true;
    const closed = await pending;
    assert.equal(closed.error?.code, 'cancelled');
    assert.equal(first.client.state.session, null);
    const aborted = new AbortController();
    const again = first.client.signInWithPopup({}, { signal: aborted.signal });
    first.popup!.closed = false;
    aborted.abort();
    assert.equal((await again).error?.code, 'cancelled');
    assert.equal(first.popup!.closed, true);
    first.client.destroy();
  });

  test('a blocked popup, or a backend without one, falls back to the redirect', async () => {
    for (const options of [{ popup: null }, { canPopup: false }]) {
      const { client, env } = opener(options);
      await client.ready;
      const result = await client.signInWithPopup();
      assert.equal(result.error, null);
      assert.equal(result.data.session, null);
      assert.equal(env.navigations.length, 1, 'the whole page goes to the authorization page');
      client.destroy();
    }
  });

  test('the redirect page in the popup hands the callback back and completes nothing itself', async () => {
    const { client, popup, storage } = opener();
    await client.ready;
    const waiting = client.signInWithPopup();
    await until(() => popup!.navigated.length === 1);
    const callback = callbackFor(popup!.navigated[0]!);
    const handed: string[] = [];
    // The redirect page: the same configuration, in the popup (same storage, as localStorage is).
    const provider = fakeAdapter({ key: client.adapter.key });
    const env = { ...testEnvironment(callback), handBack: async (url: string) => (handed.push(url), true) };
    const inPopup = new AuthClient({ provider, storage, environment: env, autoRefresh: false });
    await inPopup.ready;
    assert.deepEqual(handed, [callback]);
    assert.equal(provider.calls.exchange, 0, 'the page that opened the popup completes it');
    assert.equal(inPopup.state.session, null);
    assert.equal(env.url(), 'http://127.0.0.1/callback?test_nonce=' + new URL(callback).searchParams.get('test_nonce'), 'the code is gone from the popup’s address bar');
    // When no page takes it (opened by something else), the callback completes right there.
    const alone = new AuthClient({ provider, storage, environment: { ...testEnvironment(callback), handBack: async () => false }, autoRefresh: false });
    await alone.ready;
    assert.equal(alone.state.status, 'signed-in');
    inPopup.destroy();
    alone.destroy();
    popup!.closed = true;
    await waiting;
    client.destroy();
  });

  test('an authorization address that is not https (or http on loopback) never reaches the popup (oauth.start checks it)', async () => {
    const { client, provider, popup } = opener();
    provider.authorizationUrl = async () => 'javascript:alert(1)';
    await client.ready;
    const result = await client.signInWithPopup();
    assert.equal(result.error?.code, 'config');
    assert.equal(result.error?.providerCode, 'unsafe_url');
    assert.deepEqual(popup!.navigated, []);
    assert.equal(popup!.closed, true);
    client.destroy();
  });
});

