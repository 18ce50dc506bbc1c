// Issue 20, L5 and L2: what a redirect sign-in refuses to put in its address, and a callback
// loaded twice at once (two tabs) exchanging its code exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment } from '../../test/support/environment.js';
import { json, startServer } from '../../test/support/http-server.js';
import { make } from '../../test/support/client.js';
import { AuthClient } from './client.js';
import { memoryStorage } from './storage.js';
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
