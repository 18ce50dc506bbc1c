import { expect } from '@open-wc/testing';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { until } from '../../test/support/environment.js';
import { waitFor } from '../../test/support/wait.js';
import { AuthClient } from './client.js';
import type { AuthChangeEvent } from '../contract/index.js';

// Browser-only parts of the client: Web Storage, Web Locks, BroadcastChannel and the address bar.
// Two clients of one configuration on a page behave as two tabs: they share localStorage, the
// lock manager and the channel name.

const clients: AuthClient[] = [];
function open(provider = fakeAdapter({ key: `browser:${Math.random()}` }), storage: 'local' | 'session' | 'memory' = 'local') {
  const events: AuthChangeEvent[] = [];
  const client = new AuthClient({ provider, storage });
  client.onAuthStateChange((event) => void events.push(event));
  clients.push(client);
  return { client, provider, events };
}

/** Whether a tab waits for the refresh lock of the configuration whose session is stored at `sessionKey`. */
async function waitingForRefreshLock(sessionKey: string): Promise<boolean> {
  const { pending = [] } = await navigator.locks.query();
  return pending.some((lock) => lock.name === sessionKey.replace(/:session$/, ':refresh'));
}

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  localStorage.clear();
  sessionStorage.clear();
});

describe('AuthClient in the browser', () => {
  it('keeps the session in localStorage across a reload', async () => {
    const first = open();
    await first.client.signInWithPassword({ email: 'ana', password: 'right' });
    const key = `auth-elements:${first.provider.key}:session`;
    expect(JSON.parse(localStorage.getItem(key)!).user.id).to.equal('ana');
    const reloaded = open(first.provider);
    await reloaded.client.ready;
    expect(reloaded.client.state.user?.id).to.equal('ana');
    expect(first.provider.calls.refresh).to.equal(0);
  });

  it("'session' storage uses sessionStorage and 'memory' stores nothing", async () => {
    const session = open(undefined, 'session');
    await session.client.signInWithPassword({ email: 'bo', password: 'right' });
    expect(sessionStorage.getItem(`auth-elements:${session.provider.key}:session`)).to.contain('bo');
    const memory = open(undefined, 'memory');
    await memory.client.signInWithPassword({ email: 'cy', password: 'right' });
    expect(JSON.stringify({ ...localStorage, ...sessionStorage })).not.to.contain('cy@');
  });

  it('discards corrupted stored JSON with a warning', async () => {
    const provider = fakeAdapter({ key: 'browser:corrupt' });
    localStorage.setItem(`auth-elements:${provider.key}:session`, '{"access_token":');
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(String(args[0]));
    try {
      const { client, events } = open(provider);
      await client.ready;
      expect(client.state.status).to.equal('signed-out');
      expect(events).to.deep.equal(['INITIAL_SESSION']);
      expect(localStorage.getItem(`auth-elements:${provider.key}:session`)).to.equal(null);
      expect(warnings.some((w) => w.includes('Discarded'))).to.equal(true);
    } finally {
      console.warn = warn;
    }
  });

  it('two tabs with one expiring session make exactly one refresh request', async () => {
    const provider = fakeAdapter({ key: 'browser:two-tabs' });
    const a = open(provider);
    await a.client.signInWithPassword({ email: 'dee', password: 'right' });
    const key = `auth-elements:${provider.key}:session`;
    const due = { ...JSON.parse(localStorage.getItem(key)!), expires_at: Math.floor(Date.now() / 1000) + 2 };
    localStorage.setItem(key, JSON.stringify(due));
    // Hold the refresh until both tabs are surely inside it at once: one at the backend, the other
    // waiting for the refresh lock (however long each took to start).
    let release!: () => void;
    provider.refreshWith.push(() => new Promise((resolve) => (release = () => resolve(provider.tokens()))));
    const b = open(provider);
    const c = open(provider);
    await waitFor(async () => provider.calls.refresh === 1 && (await waitingForRefreshLock(key)), 'one tab at the backend, the other waiting for the lock');
    release();
    await Promise.all([b.client.ready, c.client.ready]);
    expect(provider.calls.refresh).to.equal(1);
    expect(b.client.state.session?.access_token).to.equal(c.client.state.session?.access_token);
    await until(() => a.client.state.session?.access_token === b.client.state.session?.access_token, undefined, 'tab a to adopt');
    expect(a.events).to.deep.equal(['INITIAL_SESSION', 'SIGNED_IN', 'TOKEN_REFRESHED']);
  });

  it('sign-in and sign-out reach the other tab through BroadcastChannel', async () => {
    const provider = fakeAdapter({ key: 'browser:sync' });
    const a = open(provider);
    const b = open(provider);
    await Promise.all([a.client.ready, b.client.ready]);
    await a.client.signInWithPassword({ email: 'eve', password: 'right' });
    await until(() => b.client.state.status === 'signed-in', undefined, 'tab b signed in');
    await b.client.signOut();
    await until(() => a.client.state.status === 'signed-out', undefined, 'tab a signed out');
    expect(a.events).to.deep.equal(['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT']);
    expect(b.events).to.deep.equal(['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT']);
  });

  it('completes a redirect found in the address bar and removes its parameters', async () => {
    const provider = fakeAdapter({ key: 'browser:redirect' });
    const starter = open(provider);
    const { data } = await starter.client.signInWithOAuth({ options: { skipBrowserRedirect: true, redirectTo: location.href } });
    const sent = new URL(data.url!);
    const original = location.href;
    history.replaceState(null, '', `${location.pathname}?keep=1&code=abc&state=${sent.searchParams.get('state')}&test_nonce=${sent.searchParams.get('nonce')}`);
    try {
      const returned = open(provider);
      await returned.client.ready;
      await until(() => returned.events.includes('SIGNED_IN'), undefined, 'SIGNED_IN');
      expect(returned.events).to.deep.equal(['INITIAL_SESSION', 'SIGNED_IN']);
      const now = new URL(location.href);
      expect(now.searchParams.get('code')).to.equal(null);
      expect(now.searchParams.get('state')).to.equal(null);
      expect(now.searchParams.get('keep')).to.equal('1');
    } finally {
      history.replaceState(null, '', original);
    }
  });
});
