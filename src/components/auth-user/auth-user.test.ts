import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter } from '../../../test/support/fake-adapter.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import type { User } from '../../contract/index.js';
import '../auth-config/define.js';
import './define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import type { AuthUser } from './auth-user.js';

async function mount(attributes = '', lang = 'en', adapter = fakeAdapter()) {
  const environment = testEnvironment('http://localhost/page');
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang=${lang} .options=${{ provider: adapter, environment }}></auth-config>`);
  config.innerHTML = `<auth-user ${attributes}></auth-user>`;
  await config.client!.ready;
  const element = config.querySelector('auth-user') as AuthUser;
  await element.updateComplete;
  return { element, client: config.client!, environment, adapter };
}

async function as(user: User, attributes = '', lang = 'en') {
  const mounted = await mount(attributes, lang);
  await mounted.client.setSession({ access_token: 'a', expires_in: 3600, user });
  await mounted.element.updateComplete;
  return mounted;
}

const text = (el: Element, part: string) => el.querySelector(`[part~="${part}"]`)?.textContent?.trim();

describe('<auth-user>', () => {
  it('renders nothing while signed out', async () => {
    const { element } = await mount();
    expect(element.querySelector('form')).to.equal(null);
  });

  it('names the person: the name, else the email, else the phone masked, else "Signed in"; empty values skipped', async () => {
    expect(text((await as({ id: '1', name: 'Ana Lima', email: 'ana@example.com' })).element, 'name')).to.equal('Ana Lima');
    const named = await as({ id: '1', name: 'Ana Lima', email: 'ana@example.com' });
    expect(text(named.element, 'detail')).to.equal('ana@example.com');
    expect(text(named.element, 'avatar')).to.equal('A');
    expect(text((await as({ id: '2', name: '', email: 'bo@example.com' })).element, 'name')).to.equal('bo@example.com');
    expect(text((await as({ id: '3', name: ' ', phone: '+8613800000000' })).element, 'name')).to.equal('+86 138 **** 0000');
    expect(text((await as({ id: 'ciam-user-demo' })).element, 'name')).to.equal('Signed in', 'never a raw id');
    expect(text((await as({ id: 'ciam-user-demo' }, '', 'zh-CN')).element, 'name')).to.equal('已登录');
    await expect(named.element).to.be.accessible();
  });

  it('Sign out signs out and announces SIGNED_OUT from the element', async () => {
    const { element, client } = await as({ id: '1', name: 'Ana' });
    const heard: string[] = [];
    element.addEventListener('auth-state-change', (event) => heard.push(event.detail.event));
    [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Sign out')!.click();
    await until(() => client.state.status === 'signed-out', undefined, 'signed out');
    expect(heard).to.deep.equal(['SIGNED_OUT']);
    await element.updateComplete;
    expect(element.querySelector('form')).to.equal(null);
  });

  it('sign-out-redirect: visits the backend\'s end-session page (OIDC)', async () => {
    const adapter = fakeAdapter();
    adapter.signOut = async (_session, request) => ({ redirectUrl: `https://idp.test/logout?post_logout_redirect_uri=${encodeURIComponent(request.redirectTo ?? '')}` });
    const { element, client, environment } = await mount('sign-out-redirect="http://localhost/bye"', 'en', adapter);
    await client.setSession({ access_token: 'a', expires_in: 3600, user: { id: '1', name: 'Ana' } });
    await element.updateComplete;
    [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Sign out')!.click();
    await until(() => environment.navigations.length === 1, undefined, 'end-session visited');
    expect(environment.navigations[0]).to.equal('https://idp.test/logout?post_logout_redirect_uri=http%3A%2F%2Flocalhost%2Fbye');
  });

  it('profile-url adds "Manage account" for a page URL only', async () => {
    const { element } = await as({ id: '1', name: 'Ana' }, 'profile-url="/account"');
    expect(element.querySelector('a[part~="link"]')!.getAttribute('href')).to.equal('/account');
    const unsafe = await as({ id: '1', name: 'Ana' }, 'profile-url="javascript:alert(1)"');
    expect(unsafe.element.querySelector('a')).to.equal(null);
  });
});
