import { expect, fixture } from '@open-wc/testing';
import { startServer, stopServer, type RunningServer } from '../support/commands.js';
import { until } from '../support/environment.js';
import '../../src/define.js';
import type { AuthConfig } from '../../src/components/auth-config/auth-config.js';
import type { AuthError } from '../../src/contract/index.js';

// One owner for every sentence (issue 15): for each backend's own wrong-password answer, the
// `auth-error` event carries the very words the form shows, in English and in Chinese.

let server: RunningServer<{ relay: string }>;
before(async () => {
  server = await startServer('reference', { origin: location.origin, relays: true });
});
after(async () => {
  await stopServer(server.id);
});
afterEach(() => localStorage.clear());

/** Each backend as the demo configures it, and an account its emulation knows. */
const backends = () => ({
  cloudbase: { attributes: { 'base-url': `${server.url}/cloudbase`, env: 'demo-env', 'access-key': 'demo-publishable-key' }, who: 'demo' },
  'tencent-ciam': { attributes: { 'base-url': `${server.url}/tencent-ciam`, 'relay-url': `${server.info.relay}/tencent-ciam`, 'client-id': 'ciam-demo-spa', 'auth-source-id': 'pwd-source' }, who: 'demo' },
  'zhuyun-idaas': { attributes: { 'base-url': `${server.url}/zhuyun-idaas`, 'client-id': 'zhuyun-demo-client' }, who: '13800000010' },
  'alibaba-idaas': { attributes: { 'base-url': `${server.info.relay}/alibaba-idaas`, 'idaas-app-id': 'app_demo' }, who: 'demo' },
  janrain: { attributes: { 'base-url': `${server.info.relay}/janrain`, 'client-id': 'janrain-login-client', flow: 'standard', 'flow-version': '20240101', 'redirect-uri': `${location.origin}/` }, who: 'demo@janrain.example' },
});

async function mount(provider: string, attributes: Record<string, string>, lang: string) {
  const config = document.createElement('auth-config') as AuthConfig;
  config.setAttribute('lang', lang);
  config.setAttribute('storage', 'memory');
  config.setAttribute('provider', provider);
  for (const [name, value] of Object.entries(attributes)) config.setAttribute(name, value);
  config.append(document.createElement('auth-password'));
  await fixture(config);
  await config.client!.ready;
  const element = config.querySelector('auth-password')!;
  await element.updateComplete;
  return element;
}

const field = (element: Element, name: string) => element.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;

describe('error words: the event says what the form shows', () => {
  for (const lang of ['en', 'zh-CN']) {
    for (const provider of ['cloudbase', 'tencent-ciam', 'zhuyun-idaas', 'alibaba-idaas', 'janrain'] as const) {
      it(`${provider}, ${lang}: a wrong password`, async () => {
        const { attributes, who } = backends()[provider];
        const element = await mount(provider, attributes, lang);
        let heard: AuthError | null = null;
        element.addEventListener('auth-error', (event) => (heard = event.detail.error));
        field(element, 'username').value = who;
        field(element, 'password').value = 'not-the-password';
        field(element, 'password').form!.requestSubmit();
        await until(() => heard !== null && !!element.querySelector('[role="alert"]')?.textContent, undefined, 'the error, heard and shown');
        const error = heard as unknown as AuthError;
        expect(error.code).to.equal('invalid_credentials');
        const shown = element.querySelector('[role="alert"]')!.textContent;
        expect(shown).to.equal(error.message);
        // Written by i18n in the element's language, never the backend's own text.
        expect(lang === 'zh-CN' ? /^账号或密码不正确。/.test(shown!) : /^The sign-in details are not correct\./.test(shown!)).to.equal(true);
      });
    }
  }
});

// A page the backend does not accept (CORS) looks to the browser exactly like a network failure:
// the words must name both causes, not only "check your connection" (issue 21).
describe('error words: a page the server does not accept', () => {
  let refusing: RunningServer<unknown>;
  before(async () => {
    refusing = await startServer('reference', {});
  });
  after(async () => {
    await stopServer(refusing.id);
  });

  for (const [lang, words] of [
    ['en', /^Could not reach the sign-in service\. Your connection may be down, or the service does not accept requests from this page\.$/],
    ['zh-CN', /^无法连接登录服务：可能是网络不通，也可能是该服务不接受来自本页面的请求。$/],
  ] as const) {
    it(`${lang}: the refused origin is named as a possible cause`, async () => {
      const element = await mount('zhuyun-idaas', { 'base-url': `${refusing.url}/zhuyun-idaas`, 'client-id': 'zhuyun-demo-client' }, lang);
      let heard: AuthError | null = null;
      element.addEventListener('auth-error', (event) => (heard = event.detail.error));
      field(element, 'username').value = '13800000010';
      field(element, 'password').value = 'demo-password';
      field(element, 'password').form!.requestSubmit();
      await until(() => heard !== null && !!element.querySelector('[role="alert"]')?.textContent, undefined, 'the error, heard and shown');
      expect((heard as unknown as AuthError).code).to.equal('network');
      const shown = element.querySelector('[role="alert"]')!.textContent!;
      expect(shown).to.equal((heard as unknown as AuthError).message);
      expect(words.test(shown), shown).to.equal(true);
    });
  }
});
