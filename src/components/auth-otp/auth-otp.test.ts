import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter } from '../../../test/support/fake-adapter.js';
import { until } from '../../../test/support/environment.js';
import '../auth-config/define.js';
import './define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import type { AuthOtp } from './auth-otp.js';

async function mount(provider = fakeAdapter(), attributes = '') {
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider }}><auth-otp></auth-otp></auth-config>`);
  await config.client!.ready;
  const element = config.querySelector('auth-otp') as AuthOtp;
  if (attributes === 'email') element.channel = 'email';
  await element.updateComplete;
  return { element, provider, client: config.client! };
}

const input = (el: Element, name: string) => el.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const button = (el: Element, text: RegExp) => [...el.querySelectorAll('button')].find((b) => text.test(b.textContent!.trim()))!;
const type = (field: HTMLInputElement, value: string) => {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
};

describe('<auth-otp>', () => {
  it('is accessible before and after sending', async () => {
    const { element } = await mount();
    await expect(element).to.be.accessible();
    type(input(element, 'username'), '13800000000');
    input(element, 'username').form!.requestSubmit();
    await until(() => !!element.querySelector('input[name="one-time-code"]'), undefined, 'code form');
    await expect(element).to.be.accessible();
  });

  it('sends to the phone with its region code, counts down, and verifies', async () => {
    const { element, provider, client } = await mount();
    const sent: unknown[] = [];
    element.addEventListener('auth-otp-sent', (e) => sent.push(e.detail));
    type(input(element, 'username'), '138 0000 0000');
    input(element, 'username').form!.requestSubmit();
    await until(() => !!element.querySelector('input[name="one-time-code"]'), undefined, 'code form');
    expect(provider.calls.sent).to.deep.equal([{ channel: 'sms', to: '+8613800000000' }]);
    expect(sent).to.deep.equal([{ channel: 'sms', expiresIn: 300 }]);
    const code = input(element, 'one-time-code');
    expect(code.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(document.activeElement).to.equal(code);
    const resend = button(element, /^Resend in (1 minute|\d+ seconds)$/);
    expect(resend.disabled).to.equal(true);
    type(code, '000000');
    code.form!.requestSubmit();
    await until(() => !!element.querySelector('[role="alert"]')?.textContent, undefined, 'error');
    expect(element.querySelector('[role="alert"]')!.textContent).to.equal('That code is not correct.');
    type(input(element, 'one-time-code'), '123456');
    input(element, 'one-time-code').form!.requestSubmit();
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
  });

  it('refuses a malformed phone number before sending', async () => {
    const { element, provider } = await mount();
    type(input(element, 'username'), 'not a number');
    input(element, 'username').form!.requestSubmit();
    await element.updateComplete;
    expect(input(element, 'username').getAttribute('aria-invalid')).to.equal('true');
    expect(provider.calls.sent).to.deep.equal([]);
  });

  it('email channel', async () => {
    const { element, provider } = await mount(fakeAdapter(), 'email');
    expect(input(element, 'username').type).to.equal('email');
    type(input(element, 'username'), 'ana@example.com');
    input(element, 'username').form!.requestSubmit();
    await until(() => provider.calls.sent.length === 1, undefined, 'sent');
    expect(provider.calls.sent[0]).to.deep.equal({ channel: 'email', to: 'ana@example.com' });
  });

  it('a rate-limited send shows the wait', async () => {
    const provider = fakeAdapter();
    const { AuthError } = await import('../../contract/index.js');
    provider.sendOtp = async () => {
      throw new AuthError('rate_limited', { retryAfter: 30 });
    };
    const { element } = await mount(provider);
    type(input(element, 'username'), '13800000000');
    input(element, 'username').form!.requestSubmit();
    await until(() => !!element.querySelector('[role="alert"]')?.textContent, undefined, 'error');
    expect(element.querySelector('[role="alert"]')!.textContent).to.equal('Too many tries. Please wait a moment. Try again in 30 seconds.');
  });

  it('shows nothing for a backend without one-time codes', async () => {
    const provider = fakeAdapter();
    provider.capabilities.otp = [];
    const { element } = await mount(provider);
    expect(element.querySelector('form')).to.equal(null);
  });
});
