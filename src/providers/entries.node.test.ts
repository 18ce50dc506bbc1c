// `auth-elements/providers/<type>` gives the same lazy stand-in the registry builds: the
// backend's key and capabilities now, the adapter's code on `load()` (then every method is the
// real adapter's), so an app's initial code carries no adapter.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAuthError, type Adapter } from '../contract/index.js';
import { createHttp } from '../core/util/http.js';
import { alibabaIdaasProvider } from './alibaba-idaas/index.js';
import { alibabaIdaasProvider as realAlibaba } from './alibaba-idaas/alibaba-idaas.js';
import { cloudbaseProvider } from './cloudbase/index.js';
import { cloudbaseProvider as realCloudbase } from './cloudbase/cloudbase.js';
import { janrainProvider } from './janrain/index.js';
import { janrainProvider as realJanrain } from './janrain/janrain.js';
import { oidcProvider } from './oidc/index.js';
import { oidcProvider as realOidc } from './oidc/oidc.js';
import { tencentCiamProvider } from './tencent-ciam/index.js';
import { tencentCiamProvider as realTencent } from './tencent-ciam/tencent-ciam.js';
import { zhuyunIdaasProvider } from './zhuyun-idaas/index.js';
import { zhuyunIdaasProvider as realZhuyun } from './zhuyun-idaas/zhuyun-idaas.js';

const base = 'https://id.example.com';
const entries: Array<[string, () => Adapter, () => Adapter]> = [
  ['oidc', () => oidcProvider({ issuer: base, clientId: 'spa' }), () => realOidc({ issuer: base, clientId: 'spa' })],
  ['zhuyun-idaas', () => zhuyunIdaasProvider({ baseUrl: base, clientId: 'c' }), () => realZhuyun({ baseUrl: base, clientId: 'c' })],
  ['janrain', () => janrainProvider({ baseUrl: base, clientId: 'c', flow: 'standard', flowVersion: '1', locale: 'en-US', redirectUri: 'https://app.example.com/' }), () => realJanrain({ baseUrl: base, clientId: 'c', flow: 'standard', flowVersion: '1', locale: 'en-US', redirectUri: 'https://app.example.com/' })],
  ['cloudbase', () => cloudbaseProvider({ env: 'env-1', baseUrl: base }), () => realCloudbase({ env: 'env-1', baseUrl: base })],
  ['alibaba-idaas', () => alibabaIdaasProvider({ baseUrl: base, idaasAppId: 'app_1' }), () => realAlibaba({ baseUrl: base, idaasAppId: 'app_1' })],
  ['tencent-ciam', () => tencentCiamProvider({ baseUrl: base, clientId: 'c' }), () => realTencent({ baseUrl: base, clientId: 'c' })],
];

describe('the per-backend entries', () => {
  for (const [type, entry, real] of entries) {
    test(`${type}: a stand-in with the adapter's facts, the real adapter once loaded`, async () => {
      const adapter = entry();
      const expected = real();
      assert.equal(adapter.type, type);
      assert.equal(typeof adapter.load, 'function', 'its code comes later');
      assert.equal(adapter.key, expected.key);
      assert.deepEqual(adapter.capabilities, expected.capabilities);
      assert.equal(adapter.signOut, undefined, 'no adapter code yet');
      await adapter.load!();
      assert.equal(adapter.load, undefined);
      assert.equal(typeof adapter.signOut, typeof expected.signOut);
      assert.deepEqual(Object.keys(adapter).sort(), Object.keys(expected).sort());
    });
  }

  test('alibaba-idaas: its own methods wait for the code when called first', async () => {
    const adapter = alibabaIdaasProvider({ baseUrl: 'http://127.0.0.1:9/relay', idaasAppId: 'app_1' });
    // Nothing listens on port 9: the real method's request fails as the adapter reports it.
    const failure = await adapter.loginPageConfig({ http: createHttp({ attempts: 1 }), lang: 'en' }).then(() => null, (error: unknown) => error);
    assert.equal(adapter.load, undefined, 'the call brought the adapter');
    assert.ok(isAuthError(failure) && failure.code === 'network', `the real method ran: ${String(failure)}`);
  });
});
