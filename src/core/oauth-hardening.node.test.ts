// Issue 20, L5 and L2: what a redirect sign-in refuses to put in its address, and a callback
// loaded twice at once (two tabs) exchanging its code exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment, until } from '../../test/support/environment.js';
import { json, startServer } from '../../test/support/http-server.js';
import { make } from '../../test/support/client.js';
import { AuthClient } from './client.js';
import { memoryStorage, type StorageAdapter } from './storage.js';
import { oidcProvider } from '../providers/oidc/oidc.js';
import { tencentCiamProvider } from '../providers/tencent-ciam/tencent-ciam.js';

const SECRETS = ['client_secret', 'CLIENT_SECRET', 'clientSecret', 'client-secret', 'secret', 'app_secret', 'appSecret', 'access_key_secret', 'accessKeySecret', 'secret_key', 'secretKey', 'api_key', 'apiKey'];

describe('signInWithOAuth refuses a server secret in queryParams (L5)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') return json(res, 200, { issuer: server.url, authorization_endpoint: `${server.url}/authorize`, token_endpoint: `${server.url}/token` });
      json(res, 404, {});
    });
  });
  after(() => server.close());

  const adapters = () => [
    ['fake', fakeAdapter()],
    ['oidc', oidcProvider({ issuer: server.url, clientId: 'spa', redirectUri: 'https://app.example/cb' })],
    ['tencent-ciam', tencentCiamProvider({ baseUrl: server.url, clientId: 'cid', redirectUri: 'https://app.example/cb' })],
  ] as const;

  for (const name of SECRETS) {
    test(`queryParams.${name} is a config error before any URL is built`, async () => {
      for (const [type, provider] of adapters()) {
        const built: unknown[] = [];
        const original = provider.authorizationUrl!.bind(provider);
        const watched = Object.assign(Object.create(provider), { authorizationUrl: (...args: Parameters<typeof original>) => (built.push(args[0]), original(...args)) });
        const env = testEnvironment('https://app.example/');
        const client = new AuthClient({ provider: watched, storage: memoryStorage(), environment: env, autoRefresh: false });
        const { data, error } = await client.signInWithOAuth({ options: { queryParams: { prompt: 'login', [name]: 'shh-its-a-secret' } } });
        assert.equal(error?.code, 'config', type);
        assert.equal(error?.providerCode, 'secret_in_browser', type);
        assert.equal(data.url, null);
        assert.deepEqual(built, [], `${type}: the adapter was not asked for a URL`);
        assert.deepEqual(env.navigations, []);
        client.destroy();
      }
    });
  }

  test('ordinary parameters still reach the authorization URL', async () => {
    for (const [type, provider] of adapters().slice(1)) {
      const client = new AuthClient({ provider, storage: memoryStorage(), environment: testEnvironment('https://app.example/'), autoRefresh: false });
      const { data, error } = await client.signInWithOAuth({ options: { skipBrowserRedirect: true, queryParams: { prompt: 'login', secretary: 'no', ui_locales: 'zh-CN' } } });
      assert.equal(error, null, type);
      const url = new URL(data.url!);
      assert.equal(url.searchParams.get('prompt'), 'login');
      assert.equal(url.searchParams.get('secretary'), 'no', 'only names of secrets are refused, not names that contain the word');
      client.destroy();
    }
  });

  test('the settings check spells a secret any way too', () => {
    for (const name of ['client_secret', 'CLIENT_SECRET', 'api-key']) {
      const { client } = make({ provider: oidcProvider({ issuer: server.url, clientId: 'spa', [name]: 'x' } as never) });
      assert.equal(client.adapter.configError?.providerCode, 'secret_in_browser', name);
      client.destroy();
    }
  });
});

describe('a callback loaded in two tabs at once exchanges its code once (L2)', () => {
  /** One origin's storage as two tabs see it: shared, and slow enough to interleave (async). */
  function sharedStorage(): StorageAdapter {
    const map = new Map<string, string>();
    const later = () => new Promise((resolve) => setImmediate(resolve));
    return {
      getItem: async (k) => (await later(), map.get(k) ?? null),
      setItem: async (k, v) => void (await later(), map.set(k, v)),
      removeItem: async (k) => void (await later(), map.delete(k)),
    };
  }

  for (const trial of [1, 2, 3, 4, 5, 6]) {
    test(`trial ${trial}: two tabs start on the same callback URL; one exchange, one session`, async () => {
      const storage = sharedStorage();
      const key = `oidc:two-tabs-${trial}`;
      const starter = make({ provider: fakeAdapter({ key }), storage });
      const { data } = await starter.client.signInWithOAuth({ options: { skipBrowserRedirect: true } });
      starter.client.destroy();
      const url = new URL(data.url!);
      const callback = `http://127.0.0.1/callback?code=c&state=${url.searchParams.get('state')}&test_nonce=${url.searchParams.get('nonce')}`;
      const tabs = [0, 1].map(() => {
        const provider = fakeAdapter({ key });
        const client = new AuthClient({ provider, storage, environment: testEnvironment(callback), autoRefresh: false });
        return { provider, client };
      });
      await Promise.all(tabs.map((tab) => tab.client.ready));
      assert.equal(tabs[0]!.provider.calls.exchange + tabs[1]!.provider.calls.exchange, 1, 'the code was exchanged once');
      const winner = tabs.find((tab) => tab.provider.calls.exchange === 1)!;
      await until(() => tabs.every((tab) => tab.client.state.session?.access_token === winner.client.state.session?.access_token), undefined, 'both tabs hold the one session');
      const kept = await storage.getItem(`auth-elements:${key}:session`);
      assert.equal(kept && JSON.parse(kept).access_token, winner.client.state.session?.access_token, 'the session is in storage for the next page');
      for (const tab of tabs) tab.client.destroy();
    });
  }

  test('handleRedirectCallback twice at once in one tab: one session, one replay error', async () => {
    const { client, provider } = make({ storage: sharedStorage() });
    const { data } = await client.signInWithOAuth({ options: { skipBrowserRedirect: true } });
    const url = new URL(data.url!);
    const callback = `http://127.0.0.1/callback?code=c&state=${url.searchParams.get('state')}&test_nonce=${url.searchParams.get('nonce')}`;
    const results = await Promise.all([client.handleRedirectCallback(callback), client.handleRedirectCallback(callback)]);
    assert.equal(provider.calls.exchange, 1);
    assert.deepEqual(results.map((r) => r.error?.providerCode ?? 'ok').sort(), ['ok', 'state_replayed']);
    client.destroy();
  });
});
