import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter } from '../../../test/support/fake-adapter.js';
import { until } from '../../../test/support/environment.js';
import { key, stored } from '../../../test/support/client.js';
import { memoryStorage } from '../../core/storage.js';
import { lazyAdapter } from '../../providers/lazy.js';
import { AuthError } from '../../contract/index.js';
import '../auth-config/define.js';
import './define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import type { AuthPassword } from './auth-password.js';

async function mount(provider = fakeAdapter(), lang = 'en') {
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang=${lang} .options=${{ provider }}><auth-password></auth-password></auth-config>`);
  await config.client!.ready;
  const element = config.querySelector('auth-password') as AuthPassword;
  await element.updateComplete;
  return { config, element, provider, client: config.client! };
}

const input = (el: Element, name: string) => el.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const button = (el: Element, text: string) => [...el.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;

function type(field: HTMLInputElement, value: string) {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Presses Enter the way a browser does in a form: an implicit submission. */
function pressEnter(field: HTMLInputElement) {
  field.form!.requestSubmit();
}

describe('<auth-password>', () => {
  it('is accessible when idle', async () => {
    const { element } = await mount();
    await expect(element).to.be.accessible();
  });

  it('while a stored session is restored: a busy box, not the sign-in form; then who is signed in', async () => {
    const real = fakeAdapter();
    const storage = memoryStorage();
    storage.setItem(key(real), JSON.stringify(stored(real)));
    // The backend's code is a chunk on its way (as in the script tag): start-up waits for it.
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (release = resolve));
    const provider = lazyAdapter('oidc', { key: real.key, capabilities: real.capabilities }, () => arrived.then(() => real));
    const config = await fixture<AuthConfig>(html`<auth-config .options=${{ provider, storage }}><auth-password></auth-password></auth-config>`);
    const element = config.querySelector('auth-password') as AuthPassword;
    await until(() => config.client!.restoring && !!element.querySelector('[aria-busy="true"]'), undefined, 'a busy box while restoring');
    expect(element.querySelector('input'), 'no sign-in form meanwhile').to.equal(null);
    release();
    await config.client!.ready;
    await element.updateComplete;
    expect(element.querySelector('[aria-busy="true"]')).to.equal(null);
    expect(element.querySelector('[part~="name"]')?.textContent).to.equal('user-1@example.com');
    expect(button(element, 'Sign out'), 'Sign out').to.exist;
  });

  it('keeps the credential inputs in the light DOM inside a real <form>, with autocomplete', async () => {
    const { element } = await mount();
    expect(element.shadowRoot).to.equal(null);
    const username = input(element, 'username');
    const password = input(element, 'password');
    expect(username.closest('form')).to.not.equal(null);
    expect(password.form).to.equal(username.form);
    // `webauthn` last: passkeys from <auth-passkey>'s conditional request appear in its autofill.
    expect(username.getAttribute('autocomplete')).to.equal('username webauthn');
    expect(password.getAttribute('autocomplete')).to.equal('current-password');
    expect(password.type).to.equal('password');
    expect(element.querySelector(`label[for="${password.id}"]`)!.textContent!.trim()).to.equal('Password');
  });

  it('Enter submits and signs in; the element announces SIGNED_IN', async () => {
    const { element, client } = await mount();
    const heard: string[] = [];
    element.addEventListener('auth-state-change', (e) => heard.push(e.detail.event));
    type(input(element, 'username'), 'ana@example.com');
    type(input(element, 'password'), 'right');
    pressEnter(input(element, 'password'));
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
    expect(heard).to.deep.equal(['SIGNED_IN']);
    await element.updateComplete;
    expect(element.querySelector('[part~="name"]')!.textContent).to.equal('ana@example.com');
    expect([...element.querySelectorAll('button')].some((b) => b.textContent!.trim() === 'Sign out')).to.equal(true);
  });

  it('empty fields are marked invalid with messages tied to them, and nothing is sent', async () => {
    const { element, provider } = await mount();
    pressEnter(input(element, 'username'));
    await element.updateComplete;
    const username = input(element, 'username');
    expect(username.getAttribute('aria-invalid')).to.equal('true');
    const message = element.querySelector(`#${username.getAttribute('aria-describedby')}`)!;
    expect(message.textContent).to.equal('Please fill in this field.');
    expect(document.activeElement === username, 'focus' + ': ' + document.activeElement?.outerHTML.slice(0, 120)).to.equal(true);
    expect(provider.calls.password).to.equal(0);
    await expect(element).to.be.accessible();
  });

  it('a wrong password shows the error with attempts left in an alert, and auth-error fires', async () => {
    const { element } = await mount();
    let error: AuthError | undefined;
    element.addEventListener('auth-error', (e) => (error = e.detail.error));
    type(input(element, 'username'), 'ana@example.com');
    type(input(element, 'password'), 'nope');
    pressEnter(input(element, 'password'));
    await until(() => !!error, undefined, 'auth-error');
    await element.updateComplete;
    const alert = element.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.equal('The sign-in details are not correct. 2 attempts left.');
    expect(error!.code).to.equal('invalid_credentials');
    await expect(element).to.be.accessible();
  });

  it('speaks Chinese from the nearest [lang]', async () => {
    const { element } = await mount(fakeAdapter(), 'zh-CN');
    expect(button(element, '登录')).to.not.equal(undefined);
    expect(element.querySelector(`label[for="${input(element, 'password').id}"]`)!.textContent!.trim()).to.equal('密码');
  });

  it('submitting disables the form (no double submit)', async () => {
    const provider = fakeAdapter();
    let release!: () => void;
    provider.signInWithPassword = () => new Promise((resolve) => (release = () => resolve(provider.tokens())));
    const { element } = await mount(provider);
    type(input(element, 'username'), 'ana@example.com');
    type(input(element, 'password'), 'right');
    pressEnter(input(element, 'password'));
    await until(() => !!release);
    await element.updateComplete;
    expect(element.querySelector('fieldset')!.disabled).to.equal(true);
    release();
  });

  it('an expired password: the policy is checked before sending, then the new password signs in', async () => {
    const provider = fakeAdapter();
    provider.steps['old@example.com'] = { kind: 'password_change', required: true, policy: { minLength: 8, tip: 'At least 8 characters' }, context: 'state' };
    const { element, client } = await mount(provider);
    type(input(element, 'username'), 'old@example.com');
    type(input(element, 'password'), 'right');
    pressEnter(input(element, 'password'));
    await until(() => !!element.querySelector('input[name="new-password"]'), undefined, 'password change form');
    expect(element.textContent).to.contain('Your password has expired.');
    expect(button(element, 'Not now')).to.equal(undefined);
    await expect(element).to.be.accessible();
    const next = input(element, 'new-password');
    expect(next.getAttribute('autocomplete')).to.equal('new-password');
    type(next, 'short');
    type(input(element, 'confirm-password'), 'short');
    pressEnter(next);
    await element.updateComplete;
    expect(input(element, 'new-password').getAttribute('aria-invalid')).to.equal('true');
    expect(provider.calls.changed.length).to.equal(0);
    type(input(element, 'new-password'), 'new-Passw0rd');
    type(input(element, 'confirm-password'), 'new-Passw0rd');
    pressEnter(input(element, 'new-password'));
    await until(() => client.state.status === 'signed-in', undefined, 'signed in after change');
    expect(provider.calls.changed).to.deep.equal([{ oldPassword: 'right', newPassword: 'new-Passw0rd' }]);
  });

  it('an expiring password offers "Not now"', async () => {
    const provider = fakeAdapter();
    provider.steps['warn@example.com'] = { kind: 'password_change', required: false, context: 'state' };
    const { element, client } = await mount(provider);
    type(input(element, 'username'), 'warn@example.com');
    type(input(element, 'password'), 'right');
    pressEnter(input(element, 'password'));
    await until(() => !!element.querySelector('input[name="new-password"]'), undefined, 'password change form');
    button(element, 'Not now').click();
    await until(() => client.state.status === 'signed-in', undefined, 'signed in after skip');
  });

  it('a second factor: send the code, then verify it', async () => {
    const provider = fakeAdapter();
    provider.steps['mfa@example.com'] = { kind: 'second_factor', methods: ['sms'], target: '138****0000', context: 'fid' };
    const { element, client } = await mount(provider);
    type(input(element, 'username'), 'mfa@example.com');
    type(input(element, 'password'), 'right');
    pressEnter(input(element, 'password'));
    await until(() => !!element.querySelector('input[name="one-time-code"]'), undefined, 'second factor form');
    expect(input(element, 'one-time-code').getAttribute('autocomplete')).to.equal('one-time-code');
    button(element, 'Send code by SMS').click();
    await until(() => element.textContent!.includes('We sent a code to 138****0000.'), undefined, 'code sent notice');
    type(input(element, 'one-time-code'), '999999');
    pressEnter(input(element, 'one-time-code'));
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
    await expect(element).to.be.accessible();
  });
});

describe('<auth-password> language', () => {
  it('follows a change of the nearest [lang]', async () => {
    const { config, element } = await mount();
    expect(button(element, 'Sign in')).to.not.equal(undefined);
    config.setAttribute('lang', 'zh-CN');
    await until(() => !!button(element, '登录'), undefined, 'Chinese labels');
  });
});

describe('<auth-password> capabilities', () => {
  it('shows nothing for a backend without password sign-in', async () => {
    const provider = fakeAdapter();
    provider.capabilities.password = [];
    const { element } = await mount(provider);
    expect(element.querySelector('form')).to.equal(null);
  });

  it('offers the identifiers the backend accepts, phone with its region code', async () => {
    const provider = fakeAdapter();
    provider.capabilities.password = ['phone', 'email'];
    let sent: unknown;
    const original = provider.signInWithPassword!;
    provider.signInWithPassword = (credentials, ctx) => ((sent = credentials), original({ email: 'x', password: credentials.password }, ctx));
    const { element, client } = await mount(provider);
    expect(element.querySelector(`label[for="${input(element, 'username').id}"]`)!.textContent!.trim()).to.equal('Phone');
    expect(input(element, 'region').value).to.equal('+86');
    type(input(element, 'username'), '138 0000 0000');
    type(input(element, 'password'), 'right');
    pressEnter(input(element, 'password'));
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
    expect(sent).to.deep.equal({ phone: '+8613800000000', password: 'right' });
  });
});

describe('<auth-password> field errors', () => {
  it("a backend's field problems are shown on their inputs, in words, tied by aria-describedby", async () => {
    const provider = fakeAdapter();
    provider.signUp = async () => {
      throw new AuthError('invalid_request', { invalid: { email: 'taken', password: 'too_short' }, policy: { minLength: 8 } });
    };
    const { element } = await mount(provider);
    button(element, 'No account yet? Sign up').click();
    await element.updateComplete;
    type(input(element, 'username'), 'taken@example.com');
    type(input(element, 'password'), 'x');
    pressEnter(input(element, 'password'));
    await until(() => input(element, 'username').getAttribute('aria-invalid') === 'true', undefined, 'field error');
    const message = element.querySelector(`#${input(element, 'username').getAttribute('aria-describedby')}`)!;
    expect(message.textContent).to.equal('This is already in use by another account.');
    expect(input(element, 'password').getAttribute('aria-invalid')).to.equal('true');
    expect(element.querySelector(`#${input(element, 'password').getAttribute('aria-describedby')}`)!.textContent).to.equal('At least 8 characters.');
    expect(document.activeElement === input(element, 'username'), 'focus on the first field in error: ' + document.activeElement?.outerHTML.slice(0, 120)).to.equal(true);
    await expect(element).to.be.accessible();
  });
});

describe('<auth-password> security check', () => {
  it('shows the image the backend asks for; a wrong answer brings a new image, the right one finishes the sign-in', async () => {
    const provider = fakeAdapter();
    provider.captchaFor.add('ana@example.com');
    const { element, client } = await mount(provider);
    type(input(element, 'username'), 'ana@example.com');
    type(input(element, 'password'), 'right');
    pressEnter(input(element, 'password'));
    await until(() => !!element.querySelector('img[part~="captcha"]'), undefined, 'captcha image');
    expect(document.activeElement === input(element, 'captcha'), 'focus on the new step: ' + document.activeElement?.outerHTML.slice(0, 120)).to.equal(true);
    await expect(element).to.be.accessible();
    type(input(element, 'captcha'), 'robot');
    pressEnter(input(element, 'captcha'));
    await until(() => input(element, 'captcha')?.getAttribute('aria-invalid') === 'true', 2000, 'wrong answer marked');
    expect(element.querySelector('[role="alert"]')!.textContent).to.equal('Please complete the security check.');
    type(input(element, 'captcha'), 'human');
    pressEnter(input(element, 'captcha'));
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
    expect(provider.calls.password).to.equal(3);
  });
});
