import { expect, fixture, html } from '@open-wc/testing';
import { startServer, stopServer, type RunningServer } from '../support/commands.js';
import { until } from '../support/environment.js';
import '../../src/define.js';
import type { AuthConfig } from '../../src/components/auth-config/auth-config.js';

// CloudBase's image captcha (the SDK's /captcha/data → /captcha/data/verify → ?captcha_token=)
// answered in the elements, through the client, against the reference server, in every engine.
// The emulation "delivers" each image's answer to its outbox, since no test can read an image.

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

async function cloudbase(body: ReturnType<typeof html>) {
  const config = await fixture<AuthConfig>(html`<auth-config lang="en" storage="memory" provider="cloudbase" base-url=${`${server.url}/cloudbase`} env="demo-env">${body}</auth-config>`);
  await config.client!.ready;
  return config;
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

describe('CloudBase image captcha in the elements', () => {
  it('<auth-password>: a password sign-in, a wrong answer, then the right one signs in', async () => {
    const config = await cloudbase(html`<auth-password identifier="username"></auth-password>`);
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
    const config = await cloudbase(html`<auth-password identifier="email" view="sign-up"></auth-password>`);
    const element = config.querySelector('auth-password')!;
    await element.updateComplete;
    const email = `captcha-${unique()}@example.com`;
    type(input(element, 'username'), email);
    type(input(element, 'password'), 'long-password');
    input(element, 'password').form!.requestSubmit();
    await answer(element, false);
    await until(() => !!input(element, 'one-time-code'), undefined, 'code form');
    const code = (await outbox()).find((m) => m.to === email)!.code!;
    type(input(element, 'one-time-code'), code);
    input(element, 'one-time-code').form!.requestSubmit();
    await until(() => config.client!.state.status === 'signed-in', undefined, 'signed in');
    expect(config.client!.state.session!.user.email).to.equal(email);
  });

  it('<auth-otp>: a code send asks first; "Show another image" gives a new one; the code then signs in', async () => {
    const config = await cloudbase(html`<auth-otp channel="email"></auth-otp>`);
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
    await until(() => !!input(element, 'one-time-code'), undefined, 'code form');
    const code = (await outbox()).find((m) => m.to === email)!.code!;
    type(input(element, 'one-time-code'), code);
    input(element, 'one-time-code').form!.requestSubmit();
    await until(() => config.client!.state.status === 'signed-in', undefined, 'signed in');
  });
});
