import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter, fakeJwt } from '../../../test/support/fake-adapter.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import { AuthError } from '../../contract/index.js';
import '../auth-config/define.js';
import '../auth-login/define.js';
import '../auth-password/define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import type { AuthLogin } from '../auth-login/auth-login.js';
import type { AuthPassword } from '../auth-password/auth-password.js';

// The signed-in account views of <auth-password> and <auth-login> (a password change, email
// verification) and the step an emailed verification link opens, against an in-memory backend.

function accountAdapter() {
  const provider = fakeAdapter();
  Object.assign(provider.capabilities, { account: { profile: [], email: false, phone: false, password: true, identities: [] }, verifyEmail: true });
  const calls = { updated: [] as Array<{ oldPassword: string; newPassword: string }>, verified: 0, sent: 0 };
  provider.updatePassword = async (_session, passwords) => {
    if (passwords.oldPassword !== 'right') throw new AuthError('invalid_credentials');
    calls.updated.push(passwords);
  };
  provider.sendEmailVerification = async (session) => {
    calls.sent++;
    return { target: session.user.email };
  };
  provider.verifyEmail = async () => {
    calls.verified++;
    return { id: 'ana@example.com', email_verified: true };
  };
  provider.linkStep = (url) => (url.searchParams.has('verification_code') ? { step: { kind: 'verify_email', context: { code: url.searchParams.get('verification_code') } }, params: ['verification_code'] } : null);
  // The person's email is not verified yet (the OIDC claim name).
  provider.tokens = (life = 3600, user = 'ana@example.com') => ({ access_token: `a-${Math.random()}`, expires_in: life, id_token: fakeJwt({ sub: user, email: user, email_verified: false }) });
  return { provider, calls };
}

async function mount(url = 'http://localhost/page', accountOnly = false) {
  const { provider, calls } = accountAdapter();
  const environment = testEnvironment(url);
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider, environment }}><auth-password ?account=${accountOnly}></auth-password></auth-config>`);
  await config.client!.ready;
  const element = config.querySelector('auth-password') as AuthPassword;
  await element.updateComplete;
  return { config, element, client: config.client!, calls, environment };
}

const input = (el: Element, name: string) => el.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const button = (el: Element, text: string) => [...el.querySelectorAll('button')].find((b) => b.textContent!.trim() === text);
const type = (field: HTMLInputElement, value: string) => {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
};

describe('<auth-password> account views', () => {
  it('signed in: "Change password" asks for the current and the new password; a mismatch is caught before sending', async () => {
    const { element, client, calls } = await mount();
    await client.signInWithPassword({ email: 'ana@example.com', password: 'right' });
    await element.updateComplete;
    button(element, 'Change password')!.click();
    await until(() => !!input(element, 'new-password'), undefined, 'change form');
    expect(input(element, 'password').getAttribute('autocomplete')).to.equal('current-password');
    expect(input(element, 'new-password').getAttribute('autocomplete')).to.equal('new-password');
    await expect(element).to.be.accessible();
    type(input(element, 'password'), 'right');
    type(input(element, 'new-password'), 'New-pass-1');
    type(input(element, 'confirm-password'), 'Other-pass-1');
    input(element, 'password').form!.requestSubmit();
    await element.updateComplete;
    expect(calls.updated.length).to.equal(0);
    expect(element.textContent).to.contain('The two passwords differ.');
    type(input(element, 'password'), 'wrong');
    type(input(element, 'confirm-password'), 'New-pass-1');
    input(element, 'password').form!.requestSubmit();
    await until(() => /not correct/.test(element.querySelector('[role="alert"]')?.textContent ?? ''), undefined, 'refused');
    type(input(element, 'password'), 'right');
    input(element, 'password').form!.requestSubmit();
    await until(() => element.textContent!.includes('Your password was changed.'), undefined, 'changed');
    expect(calls.updated).to.deep.equal([{ oldPassword: 'right', newPassword: 'New-pass-1' }]);
    expect(client.state.status).to.equal('signed-in');
    expect(!!input(element, 'new-password'), 'back on the signed-in view').to.equal(false);
  });

  it('signed in with an unverified email: a button sends the link, and says where it went', async () => {
    const { element, client, calls } = await mount();
    await client.signInWithPassword({ email: 'ana@example.com', password: 'right' });
    await element.updateComplete;
    expect(element.textContent).to.contain('Your email address is not verified yet.');
    await expect(element).to.be.accessible();
    button(element, 'Send verification email')!.click();
    await until(() => element.textContent!.includes('We sent a link to ana@example.com.'), undefined, 'sent');
    expect(calls.sent).to.equal(1);
  });

  it('the emailed link opens "Verify email address"; one click verifies, the signed-in person is updated', async () => {
    const { element, client, calls, environment } = await mount('http://localhost/page?verification_code=abc');
    expect(environment.current).to.equal('http://localhost/page');
    expect(client.state.pending?.kind).to.equal('verify_email');
    await element.updateComplete;
    expect(element.textContent).to.contain('Confirm that this email address is yours.');
    await expect(element).to.be.accessible();
    button(element, 'Verify email address')!.click();
    await until(() => element.textContent!.includes('Your email address is verified.'), undefined, 'verified');
    expect(calls.verified).to.equal(1);
    expect(client.state.pending).to.equal(null);
  });

  it('with `account`: nothing while signed out; signed in, the actions alone (no summary, no Sign out)', async () => {
    const { element, client, calls } = await mount('http://localhost/page', true);
    expect(element.querySelector('form'), 'signed out: nothing').to.equal(null);
    await client.signInWithPassword({ email: 'ana@example.com', password: 'right' });
    await element.updateComplete;
    expect(button(element, 'Sign out')).to.equal(undefined);
    expect(element.querySelector('[part~="user"]')).to.equal(null);
    expect(element.textContent).to.contain('Your email address is not verified yet.');
    await expect(element).to.be.accessible();
    button(element, 'Change password')!.click();
    await until(() => !!input(element, 'new-password'), undefined, 'change form');
    type(input(element, 'password'), 'right');
    type(input(element, 'new-password'), 'New-pass-1');
    type(input(element, 'confirm-password'), 'New-pass-1');
    input(element, 'password').form!.requestSubmit();
    await until(() => element.textContent!.includes('Your password was changed.'), undefined, 'changed');
    expect(calls.updated.length).to.equal(1);
    expect(button(element, 'Sign out'), 'back on the actions alone').to.equal(undefined);
    await client.signOut();
    await element.updateComplete;
    expect(element.querySelector('form'), 'signed out again: nothing').to.equal(null);
  });
});

describe('<auth-login> account views', () => {
  it('signed in: the card offers "Change password" and returns to who is signed in', async () => {
    const { provider, calls } = accountAdapter();
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider, environment: testEnvironment('http://localhost/page') }}><auth-login></auth-login></auth-config>`);
    await config.client!.ready;
    const card = config.querySelector('auth-login') as AuthLogin;
    await config.client!.signInWithPassword({ email: 'ana@example.com', password: 'right' });
    await card.updateComplete;
    button(card, 'Change password')!.click();
    await until(() => !!input(card, 'new-password'), undefined, 'change form');
    expect(card.querySelector('[part~="heading"]')!.textContent).to.equal('Change password');
    await expect(card).to.be.accessible();
    type(input(card, 'password'), 'right');
    type(input(card, 'new-password'), 'New-pass-1');
    type(input(card, 'confirm-password'), 'New-pass-1');
    input(card, 'password').form!.requestSubmit();
    await until(() => card.textContent!.includes('Your password was changed.'), undefined, 'changed');
    expect(calls.updated.length).to.equal(1);
    expect(button(card, 'Sign out'), 'the signed-in view').to.not.equal(undefined);
  });
});
