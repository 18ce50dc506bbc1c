import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter } from '../../../test/support/fake-adapter.js';
import { until } from '../../../test/support/environment.js';
import type { AuthClientOptions } from '../../core/client.js';
import '../auth-config/define.js';
import './define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import type { AuthSocial } from './auth-social.js';

async function mount(sources: string[], attributes: { sources?: string; lang?: string } = {}) {
  const provider = fakeAdapter();
  provider.capabilities.oauth = sources;
  const navigations: string[] = [];
  const options: Partial<AuthClientOptions> = {
    provider,
    environment: { url: () => location.href, navigate: (url) => void navigations.push(url), replaceUrl: () => {}, hidden: () => false, onVisible: () => () => {} },
  };
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang=${attributes.lang ?? 'en'} .options=${options}><auth-social sources=${attributes.sources ?? ''}></auth-social></auth-config>`);
  await config.client!.ready;
  const element = config.querySelector('auth-social') as AuthSocial;
  if (!attributes.sources) element.removeAttribute('sources');
  await element.updateComplete;
  return { element, navigations };
}

const labels = (el: Element) => [...el.querySelectorAll('button')].map((b) => b.textContent!.trim());

describe('<auth-social>', () => {
  it('one accessible button per source, named from our own list', async () => {
    const { element } = await mount(['github', 'wx_open', '<img src=x onerror=alert(1)>']);
    expect(labels(element)).to.deep.equal(['Continue with GitHub', 'Continue with WeChat', 'Continue with <img src=x onerror=alert(1)>']);
    expect(element.querySelector('img')).to.equal(null, 'an unknown id is text, never markup');
    await expect(element).to.be.accessible();
  });

  it('`sources` picks and orders the buttons; Chinese names', async () => {
    const { element } = await mount(['github', 'wx_open'], { sources: 'wx_open', lang: 'zh-CN' });
    expect(labels(element)).to.deep.equal(['通过微信继续']);
  });

  it('a click starts the redirect with state, PKCE and nonce', async () => {
    const { element, navigations } = await mount(['github']);
    element.querySelector('button')!.click();
    await until(() => navigations.length === 1, undefined, 'navigation');
    const url = new URL(navigations[0]!);
    expect(url.searchParams.get('state')).to.match(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).to.match(/^[\w-]{43}$/);
    expect(url.searchParams.get('code_challenge')).to.match(/^[\w-]{43}$/);
  });

  it('`popup`: the click opens the popup in its own task (where the backend allows one), and the page stays', async () => {
    const provider = fakeAdapter();
    Object.assign(provider.capabilities, { oauth: ['oidc'], popup: true });
    const navigations: string[] = [];
    const popups: string[] = [];
    const popup = { navigate: (url: string) => void popups.push(url), close: () => {}, closed: false, onMessage: () => () => {} };
    const options: Partial<AuthClientOptions> = {
      provider,
      environment: { url: () => location.href, navigate: (url) => void navigations.push(url), replaceUrl: () => {}, hidden: () => false, onVisible: () => () => {}, openPopup: () => (opened++, popup) },
    };
    let opened = 0;
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${options}><auth-social popup></auth-social></auth-config>`);
    await config.client!.ready;
    const element = config.querySelector('auth-social') as AuthSocial;
    await element.updateComplete;
    element.querySelector('button')!.click();
    expect(opened, 'opened during the click, before anything was awaited').to.equal(1);
    await until(() => popups.length === 1, undefined, 'the popup sent to the authorization page');
    expect(navigations.length).to.equal(0);
    popup.closed = true;
    // Without `popup`, the same click redirects.
    element.popup = false;
    await element.updateComplete;
    await until(() => !element.querySelector('fieldset')!.disabled, undefined, 'the popup attempt ended');
    element.querySelector('button')!.click();
    await until(() => navigations.length === 1, undefined, 'the redirect');
    expect(opened).to.equal(1);
  });

  it('shows nothing without sources', async () => {
    const { element } = await mount([]);
    expect(element.querySelector('button')).to.equal(null);
  });
});
