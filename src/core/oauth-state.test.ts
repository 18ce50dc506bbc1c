import { expect } from '@open-wc/testing';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment } from '../../test/support/environment.js';
import { AuthClient } from './client.js';
import type { StorageAdapter } from './storage.js';

// Issue 20, L2, with the browser's lock manager: the same callback loaded in two tabs exchanges
// its code once. Two clients on one page share localStorage; the second one is given storage
// that lags (it still reads what was stored before the first tab took the state), as another
// tab's process may: the lock manager's claim on the state must decide, not storage.

const clients: AuthClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  localStorage.clear();
});

function tab(key: string, url: string, storage: StorageAdapter | 'local' = 'local') {
  const provider = fakeAdapter({ key });
  const client = new AuthClient({ provider, storage, environment: testEnvironment(url), autoRefresh: false });
  clients.push(client);
  return { provider, client };
}

async function startedCallback(key: string): Promise<string> {
  const starter = tab(key, 'http://127.0.0.1/');
  const { data } = await starter.client.signInWithOAuth({ options: { skipBrowserRedirect: true } });
  const url = new URL(data.url!);
  return `http://127.0.0.1/callback?code=c&state=${url.searchParams.get('state')}&test_nonce=${url.searchParams.get('nonce')}`;
}

describe('OAuth state across tabs', () => {
  it('two tabs starting on one callback URL exchange the code once', async () => {
    expect(typeof navigator.locks?.request).to.equal('function');
    for (let trial = 0; trial < 6; trial++) {
      const key = `oidc:l2-${trial}-${Math.random()}`;
      const callback = await startedCallback(key);
      const tabs = [tab(key, callback), tab(key, callback)];
      await Promise.all(tabs.map((t) => t.client.ready));
      expect(tabs[0].provider.calls.exchange + tabs[1].provider.calls.exchange, `trial ${trial}`).to.equal(1);
    }
  });

  it('a tab whose storage has not seen the other tab take the state yet still does not exchange', async () => {
    const key = `oidc:l2-lag-${Math.random()}`;
    const callback = await startedCallback(key);
    const recordKey = `auth-elements:${key}:oauth`;
    const before = localStorage.getItem(recordKey);
    // Reads the state record as it was before anyone took it; everything else is live.
    const lagging: StorageAdapter = {
      getItem: (k) => (k === recordKey ? before : localStorage.getItem(k)),
      setItem: (k, v) => localStorage.setItem(k, v),
      removeItem: (k) => localStorage.removeItem(k),
    };
    const first = tab(key, callback);
    await first.client.ready;
    expect(first.provider.calls.exchange).to.equal(1);
    const second = tab(key, callback, lagging);
    await second.client.ready;
    expect(second.provider.calls.exchange, 'the claim held in the lock manager refused the second tab').to.equal(0);
  });
});
