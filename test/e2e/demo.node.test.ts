// End to end: the demo page (as `npm start` serves it) driven in headless Chromium, one main
// flow per backend, with the keyboard where a person would use it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { newUser } from '../../demo/server/cloudbase/model.js';
import { hashPassword } from '../../demo/server/kit/index.js';
import { demoInChromium, NO_CHROMIUM, SIGN_IN_TIMEOUT, signInWithCode } from '../support/demo-browser.js';

describe('demo page, end to end', { skip: NO_CHROMIUM }, () => {
  const rig = demoInChromium();
  let page: Page;

  async function open(provider: string) {
    page = rig.watch(await rig.browser.newPage());
    await page.goto(rig.demo.url);
    await page.selectOption('#provider', provider);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
  }

  async function signedInAs(name: RegExp) {
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('signed in'), null, { timeout: SIGN_IN_TIMEOUT });
    assert.match((await page.textContent('#status'))!, name);
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
    await page.close();
  }

  test('oidc: hosted sign-in at the OpenID provider and back', async () => {
    await open('oidc');
    await page.getByRole('button', { name: 'Continue with single sign-on' }).click();
    await page.getByLabel('Username').fill('demo');
    await page.getByLabel('Password').fill('demo-password');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.href.startsWith(rig.demo.url));
    await signedInAs(/Demo User/);
    assert.ok(!new URL(page.url()).searchParams.has('code'), 'the callback parameters are gone from the address bar');
    await signOut();
  });

  test('zhuyun-idaas: an expired password is changed, then the person is signed in', async () => {
    await open('zhuyun-idaas');
    await page.getByLabel('Phone').fill('13800000012');
    await page.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('demo-password');
    await page.keyboard.press('Enter');
    await page.getByText('Your password has expired.').waitFor();
    await page.getByLabel('New password', { exact: true }).fill('Demo-pass1');
    await page.getByLabel('Confirm new password').fill('Demo-pass1');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    // The demo's own status line speaks the language picked, as the widget does.
    await page.selectOption('#language', 'zh-CN');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('已登录：'));
    await page.selectOption('#language', 'en');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('signed in as '));
    await signOut();
  });

  test('zhuyun-idaas: a wrong password shows the attempts left', async () => {
    await open('zhuyun-idaas');
    await page.getByLabel('Phone').fill('13800000010');
    await page.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('wrong-password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'attempts left' }).waitFor();
    await page.close();
  });

  test('janrain: sign-in through the relay', async () => {
    await open('janrain');
    await page.getByLabel('Email').fill('demo@janrain.example');
    await page.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('demo-password');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('cloudbase: a code by SMS signs a new person up', async () => {
    await open('cloudbase');
    const { outbox } = rig.demo.reference;
    await signInWithCode(page, '13900001234', () => outbox.latestCode('+86 13900001234', 'cloudbase') ?? outbox.list({ backend: 'cloudbase' })[0]?.code);
    await signedInAs(/signed in/);
    await signOut();
  });

  test('cloudbase: password sign-in by username', async () => {
    await open('cloudbase');
    const form = page.locator('auth-login');
    await form.getByRole('radio', { name: 'Username' }).check();
    await form.getByRole('textbox', { name: 'Username' }).fill('demo');
    await form.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('demo-password');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('cloudbase: the image captcha (the SDK\'s /captcha/data) on a password sign-in', async () => {
    await open('cloudbase');
    const form = page.locator('auth-login');
    await form.getByRole('radio', { name: 'Username' }).check();
    await form.getByRole('textbox', { name: 'Username' }).fill('captcha');
    await form.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('demo-password');
    await page.keyboard.press('Enter');
    await form.getByRole('img', { name: 'Characters to type' }).waitFor();
    // The reference server "delivers" the image's answer to its outbox, since no test can read an image.
    const answer = rig.demo.reference.outbox.list({ backend: 'cloudbase' }).find((m) => m.purpose === 'captcha')?.code;
    assert.ok(answer, 'the captcha answer is in the outbox');
    await form.getByLabel('Security check').fill(answer!);
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('cloudbase: forgot password → the code and a new password in the same element → signed in', async () => {
    // A person of its own, put in the emulation's store (a sign-up would send a code, and the next
    // one to the same address waits a minute), so no other test's password changes.
    const email = `forgot-${Date.now()}@example.com`;
    newUser({ email, passwordHash: await hashPassword('first-password'), created_from: 'email' }, rig.demo.reference.context('cloudbase'));
    await open('cloudbase');
    const form = page.locator('auth-login');
    await form.getByRole('button', { name: 'Forgot password?' }).click();
    await form.getByRole('button', { name: 'Send reset instructions' }).waitFor(); // the form opens once its code is here
    await form.getByRole('radio', { name: 'Email' }).check();
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await form.getByRole('button', { name: 'Send reset instructions' }).click();
    await form.getByLabel('Verification code').waitFor();
    await form.getByLabel('Verification code').fill(rig.demo.reference.outbox.latestCode(email, 'cloudbase')!);
    await form.getByLabel('New password', { exact: true }).fill('second-password');
    await form.getByLabel('Confirm new password').fill('second-password');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('cloudbase: an account that finishes by SMS (mfa_phone_required): the phone, then its code', async () => {
    await open('cloudbase');
    const form = page.locator('auth-login');
    await form.getByRole('radio', { name: 'Username' }).check();
    await form.getByRole('textbox', { name: 'Username' }).fill('smsonly');
    await form.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('demo-password');
    await page.keyboard.press('Enter');
    await form.getByText('This account finishes signing in with a code by SMS.').waitFor();
    await form.getByRole('textbox', { name: 'Phone' }).fill('13800000003');
    await form.getByRole('button', { name: 'Send code by SMS' }).click();
    await form.getByText(/We sent a code/).waitFor();
    await form.getByLabel('Verification code').fill(rig.demo.reference.outbox.latestCode('+86 13800000003', 'cloudbase')!);
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('cloudbase: social sign-in (GitHub, a local stand-in) and anonymous sign-in', async () => {
    await open('cloudbase');
    await page.getByRole('button', { name: 'Continue with GitHub' }).click();
    await page.waitForURL((url) => !url.href.startsWith(rig.demo.url));
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.waitForURL((url) => url.href.startsWith(rig.demo.url));
    await signedInAs(/signed in/);
    assert.ok(!new URL(page.url()).searchParams.has('code'), 'the callback parameters are gone from the address bar');
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
    await page.getByRole('button', { name: 'Sign in anonymously' }).click();
    await signedInAs(/signed in/);
    await signOut();
  });

  test('tencent-ciam: a code by SMS, sent through the relay', async () => {
    await open('tencent-ciam');
    const otp = page.locator('auth-login');
    await otp.getByRole('tab', { name: 'Code' }).click();
    await otp.getByLabel('Phone').fill('13800000001');
    await otp.getByRole('button', { name: 'Send code' }).click();
    await otp.getByLabel('Verification code').waitFor();
    const code = rig.demo.reference.outbox.list({ backend: 'tencent-ciam' })[0]?.code;
    assert.ok(code, 'a code is in the outbox');
    await otp.getByLabel('Verification code').fill(code!);
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('alibaba-idaas: password sign-in through the relay (app token added there)', async () => {
    await open('alibaba-idaas');
    const form = page.locator('auth-login');
    await form.getByRole('textbox', { name: 'Username' }).fill('demo');
    await form.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('demo-password');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('alibaba-idaas: a second factor by SMS', async () => {
    await open('alibaba-idaas');
    const form = page.locator('auth-login');
    await form.getByRole('textbox', { name: 'Username' }).fill('mfa');
    await form.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('demo-password');
    await page.keyboard.press('Enter');
    await form.getByRole('button', { name: 'Send code' }).click();
    await form.getByText(/We sent a code/).waitFor();
    const code = rig.demo.reference.outbox.list({ backend: 'alibaba-idaas' })[0]?.code;
    assert.ok(code, 'a code is in the outbox');
    await form.getByLabel('Verification code').fill(code!);
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('alibaba-idaas: an image captcha when the backend asks for one', async () => {
    await open('alibaba-idaas');
    const form = page.locator('auth-login');
    await form.getByRole('textbox', { name: 'Username' }).fill('captcha');
    await form.getByLabel('Password', { exact: true }).and(page.locator('input')).fill('demo-password');
    await page.keyboard.press('Enter');
    await form.getByRole('img', { name: 'Characters to type' }).waitFor();
    // The reference server "delivers" the image's answer to its outbox, since no test can read an image.
    const answer = rig.demo.reference.outbox.list({ backend: 'alibaba-idaas' }).find((m) => m.purpose === 'captcha')?.code;
    assert.ok(answer, 'the captcha answer is in the outbox');
    await form.getByLabel('Security check').fill(answer!);
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('no page errors on the way', () => {
    assert.deepEqual(rig.unexpected(), []);
  });
});
