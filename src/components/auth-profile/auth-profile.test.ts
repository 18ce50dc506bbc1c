import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter, withAccount } from '../../../test/support/fake-adapter.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import type { AccountCapabilities, User } from '../../contract/index.js';
import '../auth-config/define.js';
import './define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import type { AuthProfile } from './auth-profile.js';

const ANA: User = { id: 'u-1', name: 'Ana Lima', email: 'ana@example.com', email_verified: true, phone: '+8613800000000', identities: [{ provider: 'github' }] };
const FULL: AccountCapabilities = { profile: ['name', 'picture'], email: true, phone: true, password: true, identities: ['github', 'wx_open'] };

function accountAdapter(account: AccountCapabilities | undefined) {
  return withAccount(fakeAdapter(), account);
}

async function signedIn(options: { account?: AccountCapabilities; lang?: string; user?: User } = {}) {
  const adapter = accountAdapter('account' in options ? options.account : FULL);
  const environment = testEnvironment('http://localhost/account');
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang=${options.lang ?? 'en'} .options=${{ provider: adapter, environment }}><auth-profile></auth-profile></auth-config>`);
  const client = config.client!;
  await client.ready;
  await client.setSession({ access_token: 'a', expires_in: 3600, user: options.user ?? ANA });
  const element = config.querySelector('auth-profile') as AuthProfile;
  await element.updateComplete;
  const events: string[] = [];
  const errors: string[] = [];
  element.addEventListener('auth-state-change', (event) => events.push(event.detail.event));
  element.addEventListener('auth-error', (event) => errors.push(event.detail.error.code));
  return { element, client, adapter, environment, events, errors };
}

const section = (element: Element, name: string) => element.querySelector<HTMLElement>(`section[part~="${name}"]`)!;
const buttonIn = (root: Element, label: string) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === label)!;
const inputIn = (root: Element, name: string) => root.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const status = (root: Element) => root.querySelector('[part~="status"]')?.textContent?.trim() ?? '';
const alertIn = (root: Element) => root.querySelector('[part~="error"]')?.textContent?.trim() ?? '';
const focused = (root: Element) => root.querySelector(':focus');

async function submit(root: Element, element: AuthProfile) {
  root.querySelector('form')!.requestSubmit();
  await element.updateComplete;
}

describe('<auth-profile>', () => {
  it('renders nothing while signed out', async () => {
    const adapter = accountAdapter(FULL);
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider: adapter, environment: testEnvironment('http://localhost/') }}><auth-profile></auth-profile></auth-config>`);
    await config.client!.ready;
    const element = config.querySelector('auth-profile')!;
    await element.updateComplete;
    expect(element.children.length).to.equal(0);
  });

  it('shows each section the backend can do, under a heading of its own, and nothing it cannot', async () => {
    const { element } = await signedIn();
    const headings = [...element.querySelectorAll('[part~="section-heading"]')].map((h) => h.textContent!.trim());
    expect(headings).to.deep.equal(['Profile', 'Email', 'Phone', 'Password', 'Linked accounts']);
    expect(element.querySelector('[part~="heading"]')!.textContent!.trim()).to.equal('Your account');
    expect(section(element, 'email').getAttribute('aria-labelledby')).to.equal(section(element, 'email').querySelector('h3')!.id);
    expect(section(element, 'email').textContent).to.contain('ana@example.com').and.contain('Verified');
    expect(section(element, 'phone').textContent, 'the phone masked').to.contain('+86 138 **** 0000');
    await expect(element).to.be.accessible();

    const only = await signedIn({ account: { profile: [], email: false, phone: false, password: true, identities: [] } });
    expect([...only.element.querySelectorAll('[part~="section-heading"]')].map((h) => h.textContent!.trim())).to.deep.equal(['Password']);
    const none = await signedIn({ account: undefined });
    expect(none.element.querySelectorAll('section').length, 'a backend that changes nothing: who is signed in, no sections').to.equal(0);
    expect(none.element.querySelector('[part~="name"]')!.textContent!.trim()).to.equal('Ana Lima');
  });

  it('profile: only what changed is sent; a picture must be an https address; saved, focus back on Edit', async () => {
    const { element, adapter, events } = await signedIn();
    const profile = section(element, 'profile');
    buttonIn(profile, 'Edit').click();
    await element.updateComplete;
    expect(inputIn(profile, 'name').value).to.equal('Ana Lima');
    expect(focused(element) === inputIn(profile, 'name'), 'focus on the first field').to.equal(true);
    await expect(element).to.be.accessible();
    inputIn(profile, 'picture').value = 'http://img.example/ana.png';
    await submit(profile, element);
    expect(profile.textContent).to.contain('Enter a web address that starts with https://.');
    expect(inputIn(profile, 'picture').getAttribute('aria-invalid')).to.equal('true');
    expect(adapter.sent.updates, 'nothing sent').to.deep.equal([]);
    inputIn(profile, 'picture').value = '';
    inputIn(profile, 'name').value = 'Ana Maria';
    await submit(profile, element);
    await until(() => status(section(element, 'profile')) === 'Your profile was saved.', undefined, 'saved');
    expect(adapter.sent.updates).to.deep.equal([{ name: 'Ana Maria' }]);
    expect(events).to.deep.equal(['USER_UPDATED']);
    expect(section(element, 'profile').textContent).to.contain('Ana Maria');
    await until(() => focused(element) === buttonIn(section(element, 'profile'), 'Edit'), undefined, 'focus on Edit');
    // Nothing changed: the editor closes without a request.
    buttonIn(section(element, 'profile'), 'Edit').click();
    await element.updateComplete;
    await submit(section(element, 'profile'), element);
    expect(adapter.sent.updates.length).to.equal(1);
    expect(section(element, 'profile').querySelector('input')).to.equal(null);
  });

  it('email: a new address, the code sent to it (a wrong one says so), then changed; the other sections stay quiet', async () => {
    const { element, adapter, client, events, errors } = await signedIn();
    buttonIn(section(element, 'email'), 'Change').click();
    await element.updateComplete;
    const email = section(element, 'email');
    inputIn(email, 'email').value = 'not-an-address';
    await submit(email, element);
    expect(email.textContent).to.contain('Enter a valid email address.');
    inputIn(email, 'email').value = 'taken@example.com';
    await submit(email, element);
    await until(() => section(element, 'email').textContent!.includes('This is already in use by another account.'), undefined, 'the backend refused it, under the field');
    expect(errors).to.deep.equal(['invalid_request']);
    inputIn(section(element, 'email'), 'email').value = 'new@example.com';
    await submit(section(element, 'email'), element);
    await until(() => !!inputIn(section(element, 'email'), 'one-time-code'), undefined, 'the code form');
    expect(section(element, 'email').textContent).to.contain('We sent a code to new@example.com. Enter it to confirm the change.');
    expect(client.state.pending?.origin).to.equal('profile');
    await expect(element).to.be.accessible();
    expect(buttonIn(section(element, 'email'), 'Resend code'), 'resend waits').to.equal(undefined);
    inputIn(section(element, 'email'), 'one-time-code').value = '000000';
    await submit(section(element, 'email'), element);
    await until(() => alertIn(section(element, 'email')) !== '', undefined, 'wrong code');
    expect(alertIn(section(element, 'email'))).to.match(/code/i);
    await expect(element, 'a wrong code').to.be.accessible();
    expect(element.querySelectorAll('[part~="error"]').length, 'one error paragraph in the whole element').to.equal(1);
    inputIn(section(element, 'email'), 'one-time-code').value = '123 456';
    await submit(section(element, 'email'), element);
    await until(() => status(section(element, 'email')) === 'Your email address was changed.', undefined, 'changed');
    expect(adapter.sent.codes).to.deep.equal(['000000', '123456']);
    expect(client.state.user?.email).to.equal('new@example.com');
    expect(events).to.deep.equal(['USER_UPDATED']);
    expect(status(section(element, 'phone')), 'other sections say nothing').to.equal('');
    await until(() => focused(element) === buttonIn(section(element, 'email'), 'Change'), undefined, 'focus on Change');
  });

  it('phone: Cancel on the code form abandons the change; a security check in the middle goes on to the code', async () => {
    const { element, client } = await signedIn();
    buttonIn(section(element, 'phone'), 'Change').click();
    await element.updateComplete;
    const phone = section(element, 'phone');
    inputIn(phone, 'username').value = '139 0000 1111';
    await submit(phone, element);
    await until(() => !!inputIn(section(element, 'phone'), 'one-time-code'), undefined, 'the code form');
    expect(section(element, 'phone').textContent).to.contain('+86 139 **** 1111');
    buttonIn(section(element, 'phone'), 'Cancel').click();
    await element.updateComplete;
    expect(client.state.pending).to.equal(null);
    expect(section(element, 'phone').querySelector('input')).to.equal(null);

    buttonIn(section(element, 'email'), 'Change').click();
    await element.updateComplete;
    inputIn(section(element, 'email'), 'email').value = 'robot@example.com';
    await submit(section(element, 'email'), element);
    await until(() => !!inputIn(section(element, 'email'), 'captcha'), undefined, 'the security check, in the email section');
    await expect(element, 'a security check').to.be.accessible();
    inputIn(section(element, 'email'), 'captcha').value = 'human';
    await submit(section(element, 'email'), element);
    await until(() => !!inputIn(section(element, 'email'), 'one-time-code'), undefined, 'then the code form');
  });

  it('password: checked in the page, refused by the backend, then changed', async () => {
    const { element, adapter } = await signedIn();
    buttonIn(section(element, 'password'), 'Change password').click();
    await element.updateComplete;
    const password = section(element, 'password');
    inputIn(password, 'password').value = 'wrong';
    inputIn(password, 'new-password').value = 'N3w-password';
    inputIn(password, 'confirm-password').value = 'different';
    await submit(password, element);
    expect(inputIn(password, 'confirm-password').getAttribute('aria-invalid')).to.equal('true');
    await expect(element, 'the password form with an error').to.be.accessible();
    expect(adapter.sent.passwords).to.deep.equal([]);
    inputIn(password, 'confirm-password').value = 'N3w-password';
    await submit(password, element);
    await until(() => alertIn(section(element, 'password')) !== '', undefined, 'refused');
    inputIn(section(element, 'password'), 'password').value = 'right';
    await submit(section(element, 'password'), element);
    await until(() => status(section(element, 'password')) === 'Your password was changed.', undefined, 'changed');
    expect(adapter.sent.passwords.map((p) => p.oldPassword)).to.deep.equal(['wrong', 'right']);
    await until(() => focused(element) === buttonIn(section(element, 'password'), 'Change password'), undefined, 'focus back');
  });

  it('linked accounts: Unlink asks first (Cancel keeps it), then unlinks (BIND_IDENTITY); Link is offered for the others', async () => {
    const { element, adapter, events } = await signedIn();
    const linked = section(element, 'identities');
    expect(linked.textContent).to.contain('GitHub').and.contain('WeChat');
    expect(!!buttonIn(linked, 'Link'), 'WeChat can be linked').to.equal(true);
    buttonIn(linked, 'Unlink').click();
    await element.updateComplete;
    expect(section(element, 'identities').textContent).to.contain('Unlink GitHub? You will no longer be able to sign in with it.');
    await expect(element, 'asking first').to.be.accessible();
    await until(() => focused(element)?.textContent?.trim() === 'Unlink', undefined, 'focus on the confirming button');
    buttonIn(section(element, 'identities'), 'Cancel').click();
    await element.updateComplete;
    await until(() => focused(element) === buttonIn(section(element, 'identities'), 'Unlink'), undefined, 'focus back on Unlink');
    expect(adapter.sent.unlinked).to.deep.equal([]);
    buttonIn(section(element, 'identities'), 'Unlink').click();
    await element.updateComplete;
    buttonIn(section(element, 'identities'), 'Unlink').click();
    await until(() => status(section(element, 'identities')) === 'GitHub was unlinked.', undefined, 'unlinked');
    expect(adapter.sent.unlinked).to.deep.equal(['github']);
    expect(events).to.deep.equal(['BIND_IDENTITY']);
    expect([...section(element, 'identities').querySelectorAll('button')].map((b) => b.textContent!.trim())).to.deep.equal(['Link', 'Link']);
  });

  it('speaks Chinese: headings, buttons, badges; accessible', async () => {
    const { element } = await signedIn({ lang: 'zh-CN' });
    await until(() => element.querySelector('[part~="heading"]')?.textContent?.trim() === '账号管理', undefined, 'Chinese');
    const headings = [...element.querySelectorAll('[part~="section-heading"]')].map((h) => h.textContent!.trim());
    expect(headings).to.deep.equal(['个人资料', '邮箱', '手机号', '密码', '关联账号']);
    expect(section(element, 'email').textContent).to.contain('已验证');
    expect(section(element, 'identities').textContent).to.contain('微信').and.contain('未关联');
    await expect(element).to.be.accessible();
  });

  it('signing out empties it; a picture shows only from an https address', async () => {
    const { element, client } = await signedIn({ user: { ...ANA, picture: 'https://img.example/ana.png' } });
    expect(element.querySelector<HTMLImageElement>('img[part~="avatar"]')!.getAttribute('src')).to.equal('https://img.example/ana.png');
    const plain = await signedIn({ user: { ...ANA, picture: 'javascript:alert(1)' } });
    expect(plain.element.querySelector('img'), 'no image of an unsafe address').to.equal(null);
    await client.signOut();
    await element.updateComplete;
    expect(element.children.length).to.equal(0);
  });
});
