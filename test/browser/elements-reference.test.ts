import { expect, fixture, html } from '@open-wc/testing';
import { startServer, stopServer, type RunningServer } from '../support/commands.js';
import { until } from '../support/environment.js';
import '../../src/define.js';
import type { AuthConfig } from '../../src/components/auth-config/auth-config.js';

// The elements against the reference server's emulations, in every engine: what a person sees
// for the main flows and their errors, over real HTTP (Zhuyun and CloudBase are called directly
// from the page; the relayed backends are covered end to end in test/e2e). CloudBase's image
// captcha (the SDK's /captcha/data → /captcha/data/verify → ?captcha_token=) is answered in the
// elements; the emulation "delivers" each image's answer to its outbox, as no test can read an image.

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

const image = (el: Element) => el.querySelector<HTMLImageElement>('img[part="captcha"]');
const unique = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;

type Message = { purpose: string; code?: string; to: string };
async function outbox(): Promise<Message[]> {
  return (await fetch(`${server.url}/__outbox?backend=cloudbase`)).json();
}
/** The answer to the newest image. */
async function captchaAnswer(): Promise<string> {
  return (await outbox()).find((m) => m.purpose === 'captcha')!.code!;
}

async function cloudbaseConfig(body: ReturnType<typeof html>) {
  const config = await fixture<AuthConfig>(html`<auth-config lang="en" storage="memory" provider="cloudbase" base-url=${`${server.url}/cloudbase`} env="demo-env">${body}</auth-config>`);
  await config.client!.ready;
  return config;
}

/** Waits for the code form and types the code sent to `to`. */
async function enterCode(element: Element, to: string) {
  await until(() => !!input(element, 'one-time-code'), undefined, 'code form');
  type(input(element, 'one-time-code'), (await outbox()).find((m) => m.to === to)!.code!);
  input(element, 'one-time-code').form!.requestSubmit();
}

/** Waits for the image, types a wrong answer (an error and a new image), then the right one. */
async function answer(element: Element, wrongFirst: boolean) {
  await until(() => !!image(element) && !!input(element, 'captcha'), undefined, 'captcha form');
  expect(image(element)!.src).to.match(/^data:image\/svg\+xml;base64,/);
  await expect(element).to.be.accessible();
  if (wrongFirst) {
    const first = image(element)!.src;
    const right = await captchaAnswer();
    type(input(element, 'captcha'), right === 'AAAA' ? 'BBBB' : 'AAAA');
    input(element, 'captcha').form!.requestSubmit();
    await until(() => !!alertText(element) && image(element)?.src !== first, undefined, 'wrong answer');
  }
  type(input(element, 'captcha'), await captchaAnswer());
  input(element, 'captcha').form!.requestSubmit();
}

describe('CloudBase in the elements: the image captcha, an SMS second factor', () => {
  it('<auth-password>: a password sign-in, a wrong answer, then the right one signs in', async () => {
    const config = await cloudbaseConfig(html`<auth-password identifier="username"></auth-password>`);
    const element = config.querySelector('auth-password')!;
    await element.updateComplete;
    type(input(element, 'username'), 'captcha');
    type(input(element, 'password'), 'demo-password');
    input(element, 'password').form!.requestSubmit();
    await answer(element, true);
    await until(() => config.client!.state.status === 'signed-in', undefined, 'signed in');
    expect(config.client!.state.session!.user.username).to.equal('captcha');
  });

  it('<auth-password>: a sign-up asks first, then waits for its code', async () => {
    const config = await cloudbaseConfig(html`<auth-password identifier="email" view="sign-up"></auth-password>`);
    const element = config.querySelector('auth-password')!;
    await element.updateComplete;
    const email = `captcha-${unique()}@example.com`;
    type(input(element, 'username'), email);
    type(input(element, 'password'), 'long-password');
    input(element, 'password').form!.requestSubmit();
    await answer(element, false);
    await enterCode(element, email);
    await until(() => config.client!.state.status === 'signed-in', undefined, 'signed in');
    expect(config.client!.state.session!.user.email).to.equal(email);
  });

  it('<auth-otp>: a code send asks first; "Show another image" gives a new one; the code then signs in', async () => {
    const config = await cloudbaseConfig(html`<auth-otp channel="email"></auth-otp>`);
    const element = config.querySelector('auth-otp')!;
    await element.updateComplete;
    const email = `captcha-${unique()}@example.com`;
    type(input(element, 'username'), email);
    input(element, 'username').form!.requestSubmit();
    await until(() => !!image(element), undefined, 'captcha image');
    const first = image(element)!.src;
    [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Show another image')!.click();
    await until(() => !!image(element) && image(element)!.src !== first, undefined, 'another image');
    await answer(element, false);
    await enterCode(element, email);
    await until(() => config.client!.state.status === 'signed-in', undefined, 'signed in');
  });
  it('<auth-password>: an account that finishes by SMS (mfa_phone_required) asks for its phone, then the code', async () => {
    const config = await cloudbaseConfig(html`<auth-password identifier="username"></auth-password>`);
    const element = config.querySelector('auth-password')!;
    await element.updateComplete;
    type(input(element, 'username'), 'smsonly');
    type(input(element, 'password'), 'demo-password');
    input(element, 'password').form!.requestSubmit();
    await until(() => /code by SMS/.test(element.textContent ?? '') && !!input(element, 'username'), undefined, 'phone form');
    await expect(element).to.be.accessible();
    [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Send code by SMS')!.click();
    await until(() => input(element, 'username').getAttribute('aria-invalid') === 'true', undefined, 'phone required');
    type(input(element, 'username'), '13800000003');
    [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Send code by SMS')!.click();
    // The code field is there from the start: wait for the send itself.
    await until(() => /We sent a code/.test(element.textContent ?? ''), undefined, 'code sent');
    await enterCode(element, '+86 13800000003');
    await until(() => config.client!.state.status === 'signed-in', undefined, 'signed in');
    expect(config.client!.state.session!.user.username).to.equal('smsonly');
  });
});
