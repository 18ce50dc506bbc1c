import { expect, fixture, html } from '@open-wc/testing';
import { startServer, stopServer, type RunningServer } from '../support/commands.js';
import { until } from '../support/environment.js';
import '../../src/define.js';
import type { AuthConfig } from '../../src/components/auth-config/auth-config.js';

// The elements against the reference server's emulations, in every engine: what a person sees
// for the main flows and their errors, over real HTTP (Zhuyun and CloudBase are called directly
// from the page; the relayed backends are covered end to end in test/e2e).

let server: RunningServer;
before(async () => {
  server = await startServer('reference', { origin: location.origin });
});
after(async () => {
  await stopServer(server.id);
});
afterEach(() => localStorage.clear());

const input = (el: Element, name: string) => el.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
const type = (field: HTMLInputElement, value: string) => {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
};
const alertText = (el: Element) => el.querySelector('[role="alert"]')?.textContent ?? '';

async function zhuyun() {
  const config = await fixture<AuthConfig>(html`<auth-config lang="en" storage="memory" provider="zhuyun-idaas" base-url=${`${server.url}/zhuyun-idaas`} client-id="zhuyun-demo-client" language="en"><auth-password></auth-password></auth-config>`);
  await config.client!.ready;
  const element = config.querySelector('auth-password')!;
  await element.updateComplete;
  return { config, element, client: config.client! };
}

describe('elements against the reference server', () => {
  it('<auth-password> + Zhuyun: a wrong password shows the attempts left; the right one signs in', async () => {
    const { element, client } = await zhuyun();
    type(input(element, 'username'), '13800000010');
    type(input(element, 'password'), 'wrong-password');
    input(element, 'password').form!.requestSubmit();
    await until(() => /attempts left/.test(alertText(element)), undefined, 'attempts left');
    expect(alertText(element)).to.match(/^The sign-in details are not correct\. \d attempts left\.$/);
    await expect(element).to.be.accessible();
    type(input(element, 'password'), 'demo-password');
    input(element, 'password').form!.requestSubmit();
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
    expect(client.state.session!.provider).to.equal('zhuyun-idaas');
  });

  it('<auth-password> + Zhuyun: an expiring password may be skipped ("Not now")', async () => {
    const { element, client } = await zhuyun();
    type(input(element, 'username'), '13800000011');
    type(input(element, 'password'), 'demo-password');
    input(element, 'password').form!.requestSubmit();
    await until(() => !!input(element, 'new-password'), undefined, 'password change form');
    await expect(element).to.be.accessible();
    [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Not now')!.click();
    await until(() => client.state.status === 'signed-in', undefined, 'signed in');
  });

  it('<auth-password> + Zhuyun: a disabled account says so', async () => {
    const { element } = await zhuyun();
    type(input(element, 'username'), '13800000014');
    type(input(element, 'password'), 'demo-password');
    input(element, 'password').form!.requestSubmit();
    await until(() => !!alertText(element), undefined, 'error');
    expect(alertText(element)).to.equal('This account is disabled. Contact the site for help.');
  });

  it('<auth-otp> + CloudBase: a code by SMS, a wrong code, then the right one', async () => {
    const config = await fixture<AuthConfig>(html`<auth-config lang="en" storage="memory" provider="cloudbase" base-url=${`${server.url}/cloudbase`} env="demo-env"><auth-otp></auth-otp></auth-config>`);
    await config.client!.ready;
    const element = config.querySelector('auth-otp')!;
    await element.updateComplete;
    const phone = `139${String(Date.now()).slice(-8)}`;
    type(input(element, 'username'), phone);
    input(element, 'username').form!.requestSubmit();
    await until(() => !!input(element, 'one-time-code'), undefined, 'code form');
    const outbox = (await (await fetch(`${server.url}/__outbox?backend=cloudbase`)).json()) as Array<{ code?: string }>;
    const code = outbox[0]!.code!;
    type(input(element, 'one-time-code'), code === '000000' ? '111111' : '000000');
    input(element, 'one-time-code').form!.requestSubmit();
    await until(() => !!alertText(element), undefined, 'wrong code');
    expect(alertText(element)).to.equal('That code is not correct.');
    await expect(element).to.be.accessible();
    type(input(element, 'one-time-code'), code);
    input(element, 'one-time-code').form!.requestSubmit();
    await until(() => config.client!.state.status === 'signed-in', undefined, 'signed in');
  });
});
