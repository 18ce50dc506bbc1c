import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter, type FakeAdapter } from '../../../test/support/fake-adapter.js';
import { until } from '../../../test/support/environment.js';
import { webAuthnSupported } from '../../core/passkeys.js';
import '../auth-config/define.js';
import './define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import { AuthLogin } from './auth-login.js';

async function mount(adapter: FakeAdapter = fakeAdapter(), attributes = '', lang = 'en') {
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang=${lang} .options=${{ provider: adapter, passkeys: { authenticationOptionsUrl: '/o', authenticationVerifyUrl: '/v' } }}></auth-config>`);
  config.innerHTML = `<auth-login no-autofill ${attributes}></auth-login>`;
  await config.client!.ready;
  const element = config.querySelector('auth-login') as AuthLogin;
  await element.updateComplete;
  return { config, element, adapter, client: config.client! };
}

const input = (el: Element, name: string) => el.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const button = (el: Element, text: string | RegExp) => [...el.querySelectorAll('button')].find((b) => (typeof text === 'string' ? b.textContent!.trim() === text : text.test(b.textContent!.trim())))!;
const heading = (el: Element) => el.querySelector('[part~="heading"]')!.textContent!.trim();
/** Main (filled) buttons: parts `button` without `secondary`. */
const mainButtons = (el: Element) => [...el.querySelectorAll('[part~="button"]')].filter((b) => !b.getAttribute('part')!.split(' ').includes('secondary'));
function type(field: HTMLInputElement, value: string) {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
const focused = (el: Element | null | undefined) => document.activeElement === el;

async function signIn(element: AuthLogin, email: string, password = 'right') {
  type(input(element, 'username'), email);
  type(input(element, 'password'), password);
  input(element, 'password').form!.requestSubmit();
}

describe('<auth-login>', () => {
  it('is one accessible card: Password / Code tabs, one main button, an "or" before social and passkey', async () => {
    const adapter = fakeAdapter();
    adapter.capabilities.oauth = ['github'];
    const { element } = await mount(adapter);
    expect(heading(element)).to.equal('Sign in');
    const tabs = [...element.querySelectorAll('[role="tab"]')];
    expect(tabs.map((t) => t.textContent!.trim())).to.deep.equal(['Password', 'Code']);
    expect(tabs.map((t) => t.getAttribute('aria-selected'))).to.deep.equal(['true', 'false']);
    expect(element.querySelector('[role="tabpanel"]')!.getAttribute('aria-labelledby')).to.equal(tabs[0]!.id);
    expect(mainButtons(element).map((b) => b.textContent!.trim())).to.deep.equal(['Sign in']);
    expect(element.querySelector('[part~="divider"]')!.textContent!.trim()).to.equal('or');
    expect(button(element, 'Continue with GitHub').getAttribute('part')).to.contain('secondary');
    await expect(element).to.be.accessible();
  });

  it('the tabs follow the arrow keys, Home and End, moving focus', async () => {
    const { element } = await mount();
    const tab = (name: string) => button(element, name);
    tab('Password').focus();
    tab('Password').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await until(() => tab('Code').getAttribute('aria-selected') === 'true', undefined, 'Code selected');
    await until(() => focused(tab('Code')), undefined, 'focus on Code');
    // Focus moves at once; the code form follows once its part is here.
    await until(() => !!input(element, 'region'), undefined, 'the code form is shown');
    expect(focused(tab('Code')), 'focus stays on Code').to.equal(true);
    expect(tab('Password').tabIndex).to.equal(-1);
    tab('Code').dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    await until(() => tab('Password').getAttribute('aria-selected') === 'true', undefined, 'Password selected');
    await expect(element).to.be.accessible();
  });

  it('`methods` narrows and orders what is offered; `view="sign-up"` starts with sign-up', async () => {
    const adapter = fakeAdapter();
    adapter.capabilities.oauth = ['github'];
    const { element } = await mount(adapter, 'methods="otp social"');
    expect(element.querySelector('[role="tablist"]')).to.equal(null, 'one form: no tabs');
    expect(mainButtons(element).map((b) => b.textContent!.trim())).to.deep.equal(['Send code']);
    expect(button(element, 'Sign in with a passkey')).to.equal(undefined);
    const signUp = await mount(fakeAdapter(), 'view="sign-up"');
    expect(heading(signUp.element)).to.equal('Create your account');
    expect(input(signUp.element, 'password').getAttribute('autocomplete')).to.equal('new-password');
  });

  it('without a form, the first other way is the main button (OIDC: single sign-on)', async () => {
    const adapter = fakeAdapter();
    adapter.capabilities.password = [];
    adapter.capabilities.otp = [];
    const { element } = await mount(adapter);
    expect(mainButtons(element).map((b) => b.textContent!.trim())).to.deep.equal(['Continue with single sign-on']);
    // WebKitGTK's MiniBrowser has no WebAuthn: no passkey button there.
    if (webAuthnSupported()) expect(button(element, 'Sign in with a passkey').getAttribute('part')).to.contain('secondary');
    await expect(element).to.be.accessible();
  });

  it('a failed sign-in: the error under the form, focus on the alert; the same words in auth-error', async () => {
    const { element } = await mount();
    let message = '';
    element.addEventListener('auth-error', (event) => (message = event.detail.error.message));
    await signIn(element, 'ana@example.com', 'wrong');
    await until(() => !!message, undefined, 'auth-error');
    await element.updateComplete;
    const alert = element.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.equal(message);
    expect(focused(alert), 'focus on the alert').to.equal(true);
    await expect(element).to.be.accessible();
  });

  it('sign-up with a code, in place: Verify signs in; focus on the new step, then on the heading', async () => {
    const { element, client } = await mount(fakeAdapter(), 'view="sign-up"');
    type(input(element, 'username'), 'new@example.com');
    type(input(element, 'password'), 'a-new-Passw0rd');
    input(element, 'password').form!.requestSubmit();
    await until(() => !!input(element, 'one-time-code'), undefined, 'code field');
    expect(heading(element)).to.equal('Check your inbox');
    expect(focused(input(element, 'one-time-code')), 'focus on the code').to.equal(true);
    expect(mainButtons(element).map((b) => b.textContent!.trim())).to.deep.equal(['Verify']);
    await expect(element).to.be.accessible();
    type(input(element, 'one-time-code'), '654321');
    input(element, 'one-time-code').form!.requestSubmit();
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
    await element.updateComplete;
    expect(heading(element)).to.equal('You are signed in');
    expect(focused(element.querySelector('[data-auth-status]')), 'focus on the status').to.equal(true);
  });

  it('forgot password: the code and a new password, then signed in; every view has a way back', async () => {
    const { element, client } = await mount();
    button(element, 'Forgot password?').click();
    await element.updateComplete;
    expect(heading(element)).to.equal('Reset your password');
    await expect(element).to.be.accessible();
    type(input(element, 'username'), 'ana@example.com');
    input(element, 'username').form!.requestSubmit();
    await until(() => !!input(element, 'one-time-code'), undefined, 'code field');
    expect(element.textContent).to.contain('If an account exists for ana@example.com');
    await expect(element).to.be.accessible();
    type(input(element, 'one-time-code'), '112233');
    type(input(element, 'new-password'), 'new-Passw0rd');
    type(input(element, 'confirm-password'), 'new-Passw0rd');
    input(element, 'new-password').form!.requestSubmit();
    await until(() => client.state.status === 'signed-in', undefined, 'signed in with the new password');
  });

  for (const [name, setup, field] of [
    ['a security check', (a: FakeAdapter) => a.captchaFor.add('x@example.com'), 'captcha'],
    ['consent', (a: FakeAdapter) => a.consentFor.add('x@example.com'), 'consent'],
    ['an expired password', (a: FakeAdapter) => (a.steps['x@example.com'] = { kind: 'password_change', required: true, context: 's' }), 'new-password'],
    ['a second factor', (a: FakeAdapter) => (a.steps['x@example.com'] = { kind: 'second_factor', methods: ['sms'], target: '138****0000', context: 'f' }), 'one-time-code'],
  ] as const) {
    it(`${name}: shown in place, accessible, focus on it, and Back returns to the sign-in`, async () => {
      const adapter = fakeAdapter();
      setup(adapter);
      const { element, client } = await mount(adapter);
      await signIn(element, 'x@example.com');
      await until(() => !!input(element, field), undefined, name);
      expect(focused(element.querySelector('form input:not([type=hidden])')), 'focus on the first input of the step').to.equal(true);
      expect(mainButtons(element).length).to.equal(1);
      // The styles only the steps carry came with them (views/later.ts adopts them).
      const own: Partial<Record<string, [string, 'display' | 'maxWidth', string]>> = { captcha: ['img[part~="captcha"]', 'maxWidth', '192px'], consent: ['[part~="checkbox"]', 'display', 'flex'] };
      const [selector, property, value] = own[field] ?? [];
      if (selector) expect(getComputedStyle(element.querySelector(selector)!)[property!], `${selector} is styled`).to.equal(value);
      await expect(element).to.be.accessible();
      button(element, 'Back').click();
      await until(() => !!input(element, 'password'), undefined, 'back to the sign-in');
      expect(client.state.pending).to.equal(null);
    });
  }

  it('signed in: who, and Sign out; after it, the sign-in again', async () => {
    const { element, client } = await mount();
    await signIn(element, 'ana@example.com');
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
    await element.updateComplete;
    expect(element.querySelector('[part~="name"]')!.textContent).to.equal('ana@example.com');
    expect(getComputedStyle(element.querySelector('[part~="avatar"]')!).borderRadius, 'the signed-in view brought its styles').to.equal('50%');
    await expect(element).to.be.accessible();
    button(element, 'Sign out').click();
    await until(() => client.state.status === 'signed-out', undefined, 'signed out');
    await until(() => !!input(element, 'password'), undefined, 'sign-in again');
  });

  it('speaks Chinese from the nearest [lang]', async () => {
    const { element } = await mount(fakeAdapter(), '', 'zh-CN');
    expect(heading(element)).to.equal('登录');
    expect([...element.querySelectorAll('[role="tab"]')].map((t) => t.textContent!.trim())).to.deep.equal(['密码登录', '验证码登录']);
  });

  it('a new configuration resets the view and what the last attempt said', async () => {
    const { config, element } = await mount();
    await signIn(element, 'ana@example.com', 'wrong');
    await until(() => !!element.querySelector('[role="alert"]')?.textContent, undefined, 'error');
    button(element, 'Forgot password?').click();
    await element.updateComplete;
    expect(heading(element)).to.equal('Reset your password');
    config.options = { provider: fakeAdapter() };
    await until(() => heading(element) === 'Sign in', undefined, 'back to the sign-in view');
    expect(element.querySelector('[role="alert"]')!.textContent).to.equal('');
  });

  it('`popup`: social sign-in opens a popup during the click where the backend allows one; the page stays', async () => {
    const adapter = fakeAdapter();
    Object.assign(adapter.capabilities, { password: [], otp: [], oauth: ['oidc'], popup: true });
    const navigations: string[] = [];
    const popups: string[] = [];
    let opened = 0;
    const popup = { navigate: (url: string) => void popups.push(url), close: () => {}, closed: false, onMessage: () => () => {} };
    const environment = { url: () => location.href, navigate: (url: string) => void navigations.push(url), replaceUrl: () => {}, hidden: () => false, onVisible: () => () => {}, openPopup: () => (opened++, popup) };
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider: adapter, environment }}><auth-login popup></auth-login></auth-config>`);
    await config.client!.ready;
    const element = config.querySelector('auth-login') as AuthLogin;
    await element.updateComplete;
    button(element, /single sign-on/).click();
    expect(opened, 'opened during the click').to.equal(1);
    await until(() => popups.length === 1, undefined, 'the popup sent to the authorization page');
    expect(navigations.length).to.equal(0);
  });

  it('views that could not load: the alert and "Try again" (nothing breaks meanwhile); then the form, with the identifier asked for', async () => {
    let offline = true;
    // The real element and views, behind a loader that fails until the network is back.
    class OfflineLogin extends AuthLogin {
      static override views = () => (offline ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : import('./views.js'));
    }
    customElements.define('offline-login', OfflineLogin);
    const adapter = fakeAdapter();
    adapter.capabilities.signUp = ['email', 'phone'];
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider: adapter }}></auth-config>`);
    config.innerHTML = '<offline-login identifier="email" view="sign-up"></offline-login>';
    await config.client!.ready;
    const element = config.querySelector('offline-login') as AuthLogin;
    await element.updateComplete;
    expect(element.querySelector('[role="alert"]')!.textContent).to.equal('This form could not load. Check your connection.');
    await expect(element).to.be.accessible();
    element.setAttribute('identifier', 'phone'); // an update while the views are missing
    await element.updateComplete;
    offline = false;
    button(element, 'Try again').click();
    await until(() => element.querySelector('[part~="heading"]')?.textContent?.trim() === 'Create your account', undefined, 'the sign-up view after "Try again"');
    expect(input(element, 'region'), 'the phone field: the identifier set while offline').to.not.equal(null);
  });
});

