// Adapters named by `type` load on demand (issue 19). Before the code arrives the elements draw
// from the backend's facts (src/backends/<type>.ts): they must be exactly what the real adapter
// says, for every backend and the settings that change them. An action waits for the code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment } from '../../test/support/environment.js';
import { AuthError, type Adapter } from '../contract/index.js';
import { AuthClient } from '../core/client.js';
import type { ProviderConfig } from '../backends/index.js';
import { alibabaIdaasProvider } from './alibaba-idaas/alibaba-idaas.js';
import { cloudbaseProvider } from './cloudbase/cloudbase.js';
import { janrainProvider } from './janrain/janrain.js';
import { lazyAdapter } from './lazy.js';
import { oidcProvider } from './oidc/oidc.js';
import { resolveProvider } from './registry.js';
import { tencentCiamProvider } from './tencent-ciam/tencent-ciam.js';
import { zhuyunIdaasProvider } from './zhuyun-idaas/zhuyun-idaas.js';

const base = 'https://id.example.com/prefix/';
const social = [{ enterpriseAuthId: 'ding', authorizeUrl: 'https://login.example/authorize' }];

/** Per backend: its factory and settings that change its key or capabilities. */
const CASES: Array<{ factory: (settings: never) => Adapter; configs: ProviderConfig[] }> = [
  {
    factory: cloudbaseProvider,
    configs: [
      { type: 'cloudbase', env: 'env-1' },
      { type: 'cloudbase', env: ' env-2 ', region: 'ap-guangzhou', providers: ['wx_open', 'github'], clientId: 'client' },
      { type: 'cloudbase', env: 'env-3', region: 'ap-shanghai', baseUrl: base, providers: [] },
    ],
  },
  {
    factory: tencentCiamProvider,
    configs: [
      { type: 'tencent-ciam', baseUrl: base, clientId: 'spa', authSourceId: 'pwd', smsAuthSourceId: 'sms', emailAuthSourceId: 'mail' },
      { type: 'tencent-ciam', baseUrl: base, clientId: 'spa', smsAuthSourceId: 'sms' },
      { type: 'tencent-ciam', baseUrl: base, clientId: 'spa', authSourceId: 'pwd', emailAuthSourceId: 'mail' },
      { type: 'tencent-ciam', baseUrl: base, clientId: 'spa', authSourceId: 'pwd' },
    ],
  },
  {
    factory: alibabaIdaasProvider,
    configs: [
      { type: 'alibaba-idaas', baseUrl: base, idaasAppId: 'app_1' },
      { type: 'alibaba-idaas', baseUrl: base, idaasAppId: 'app_2', socialSources: social, phoneRegion: '+1' },
    ],
  },
  {
    factory: zhuyunIdaasProvider,
    configs: [
      { type: 'zhuyun-idaas', baseUrl: base, clientId: 'c' },
      { type: 'zhuyun-idaas', baseUrl: base, clientId: 'c', tenantId: 't-1' },
    ],
  },
  {
    factory: janrainProvider,
    configs: [
      { type: 'janrain', baseUrl: base, clientId: 'login', flowVersion: '1', redirectUri: 'https://app.example/' },
      { type: 'janrain', baseUrl: base, clientId: 'login', flowVersion: '1', redirectUri: 'https://app.example/', verifyEmailUri: 'https://app.example/verify' },
    ],
  },
  {
    factory: oidcProvider,
    configs: [
      { type: 'oidc', issuer: base, clientId: 'spa' },
      { type: 'oidc', baseUrl: base, clientId: 'spa', scope: 'openid' },
    ],
  },
];

const methods = (adapter: Adapter) => Object.keys(adapter).filter((name) => typeof (adapter as unknown as Record<string, unknown>)[name] === 'function').sort();

describe('lazy adapters: the backend facts and the adapter agree', () => {
  for (const { factory, configs } of CASES) {
    for (const config of configs) {
      test(`${config.type} ${JSON.stringify(config).slice(0, 110)}`, async () => {
        const real = (factory as (settings: unknown) => Adapter)(config);
        const lazy = resolveProvider(config);
        assert.equal(typeof lazy.load, 'function', 'a { type } configuration gives a lazy adapter');
        assert.equal(lazy.type, real.type);
        assert.equal(lazy.key, real.key, 'the storage key is known before the code arrives');
        assert.deepEqual(lazy.capabilities, real.capabilities, 'the first view shows what the adapter can do');
        assert.equal(lazy.signInWithPassword, undefined, 'no method before the code arrives');
        await lazy.load!();
        assert.equal(lazy.load, undefined, 'a loaded adapter has no load()');
        assert.deepEqual(methods(lazy), methods(real).filter((name) => name !== 'load'));
        assert.deepEqual(lazy.capabilities, real.capabilities);
        assert.equal(lazy.configError?.providerCode, real.configError?.providerCode);
        assert.equal(lazy.redirectUri, real.redirectUri);
      });
    }
  }

  test('an unknown type is a config error on every action, not a throw', async () => {
    const client = new AuthClient({ provider: resolveProvider({ type: 'nope' } as never), storage: 'memory', environment: testEnvironment() });
    await client.ready;
    const { error } = await client.signInWithPassword({ email: 'a@example.com', password: 'x' });
    assert.equal(error?.code, 'config');
    assert.equal(error?.providerCode, 'unknown_provider');
    client.destroy();
  });
});

describe('lazy adapters in the client', () => {
  /** A lazy adapter over the fake backend whose code arrives when the test says. */
  function controlled() {
    const real = fakeAdapter();
    let arrive!: () => void;
    let fail!: (error: Error) => void;
    let fetches = 0;
    const fetch = () => {
      fetches++;
      return new Promise<Adapter>((resolve, reject) => {
        arrive = () => resolve(real);
        fail = reject;
      });
    };
    const adapter = lazyAdapter('oidc', { key: real.key, capabilities: real.capabilities }, fetch);
    return { real, adapter, arrive: () => arrive(), fail: (error: Error) => fail(error), fetches: () => fetches };
  }

  test('with no session to keep, the first action asks for the code, waits for it, then runs', async () => {
    const { real, adapter, arrive, fetches } = controlled();
    const client = new AuthClient({ provider: adapter, storage: 'memory', environment: testEnvironment() });
    await client.ready;
    assert.equal(fetches(), 0, 'nothing asked for before anyone acts (core/session-start.ts)');
    assert.deepEqual(client.capabilities.password, ['email'], 'capabilities before the code');
    let settled = false;
    const pending = client.signInWithPassword({ email: 'a@example.com', password: 'right' }).finally(() => (settled = true));
    assert.equal(fetches(), 1, 'the action asks for the code');
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(settled, false, 'the action waits for the adapter');
    assert.equal(real.calls.password, 0);
    arrive();
    const { data, error } = await pending;
    assert.equal(error, null);
    assert.equal(data.session?.user.id, 'a@example.com');
    assert.equal(real.calls.password, 1);
    assert.equal(fetches(), 1, 'fetched once');
    client.destroy();
  });

  test('offline: the action fails with network, the client stays usable, the next action loads again', async () => {
    const { adapter, fail, arrive, fetches } = controlled();
    const client = new AuthClient({ provider: adapter, storage: 'memory', environment: testEnvironment() });
    await client.ready;
    assert.equal(client.state.status, 'signed-out', 'start-up ends without the adapter');
    client.prepare();
    assert.equal(fetches(), 1, 'a person reaching for the form asks for it');
    fail(new TypeError('Failed to fetch dynamically imported module'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const first = client.signInWithPassword({ email: 'a@example.com', password: 'right' });
    assert.equal(fetches(), 2, 'the action asks again');
    fail(new TypeError('Failed to fetch dynamically imported module'));
    const { error } = await first;
    assert.ok(error instanceof AuthError);
    assert.equal(error.code, 'network');
    assert.equal(error.providerCode, 'adapter_not_loaded');
    assert.equal(client.state.session, null);
    const second = client.signInWithPassword({ email: 'a@example.com', password: 'right' });
    assert.equal(fetches(), 3);
    arrive();
    assert.equal((await second).error, null);
    assert.equal(client.state.status, 'signed-in');
    client.destroy();
  });
});
