// Keyboard only: the demo's <auth-login> driven with Tab, Shift+Tab, Enter, Space and the arrow
// keys (and typing), asserting where focus lands after each step and after an error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { newUser } from '../../demo/server/cloudbase/model.js';
import { hashPassword } from '../../demo/server/kit/index.js';
import { demoInChromium, NO_CHROMIUM } from '../support/demo-browser.js';

/** What has focus, described the way a test can compare: tag, role or type, name, part. */
const focus = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const name = element.getAttribute('name') ?? element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? '';
    return `${element.localName}${element.getAttribute('role') ? `[role=${element.getAttribute('role')}]` : ''}${element.getAttribute('type') ? `[type=${element.getAttribute('type')}]` : ''} ${name}`.trim();
  });

describe('keyboard only, in <auth-login>', { skip: NO_CHROMIUM }, () => {
  const rig = demoInChromium();
  let page: Page;

  async function open(provider: string) {
    page = await rig.browser.newPage();
    await page.goto(rig.demo.url);
    await page.selectOption('#provider', provider);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }

  /** Presses Tab (or Shift+Tab) until `wanted` matches what has focus; at most 30 presses. */
  async function tabTo(wanted: RegExp, key: 'Tab' | 'Shift+Tab' = 'Tab') {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press(key);
      if (wanted.test(await focus(page))) return;
    }
    assert.fail(`${key} never reached ${wanted}; focus is on ${await focus(page)}`);
  }

  async function signedIn() {
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('signed in'), null, { timeout: 30_000 });
    // After sign-in, focus is on who is signed in (the demo hands it from the card to <auth-user>).
    await page.waitForFunction(() => document.activeElement?.matches('auth-user [data-auth-status]'), null, { timeout: 30_000 });
  }

  async function signOutByKeyboard() {
    await tabTo(/^button.* Sign out$/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
    await page.close();
  }

  test('password sign-in: a wrong password puts focus on the alert, the right one signs in', async () => {
    await open('cloudbase');
    await tabTo(/^button\[role=tab\].* Password$/);
    await page.keyboard.press('Tab'); // the identifier kinds: a radio group, arrow keys choose
    assert.match(await focus(page), /^input\[type=radio\] identifier-kind$/);
    await page.keyboard.press('Tab');
    assert.match(await focus(page), /^input\[type=text\] username$/);
    await page.keyboard.type('demo');
    await page.keyboard.press('Tab');
    assert.match(await focus(page), /^input\[type=password\] password$/);
    await page.keyboard.type('wrong-password');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert', null, { timeout: 30_000 });
    assert.match((await page.textContent('auth-login [role="alert"]'))!, /^The sign-in details are not correct\./);
    await page.keyboard.press('Shift+Tab'); // back from the alert to the password
    assert.match(await focus(page), /^input\[type=password\] password$/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('demo-password');
    await page.keyboard.press('Enter');
    await signedIn();
    await signOutByKeyboard();
  });

  test('code sign-in: the arrow keys open the Code tab; after the send, focus is on the code', async () => {
    await open('cloudbase');
    await tabTo(/^button\[role=tab\].* Password$/);
    await page.keyboard.press('ArrowRight');
    assert.match(await focus(page), /^button\[role=tab\].* Code$/);
    // The code form is a part of its own: Tab goes into it once it is here.
    await page.waitForSelector('auth-login [role=tabpanel] input[type=tel]');
    await tabTo(/^input\[type=tel\] username$/);
    await page.keyboard.type('13900005555');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'one-time-code', null, { timeout: 30_000 });
    const code = rig.demo.reference.outbox.list({ backend: 'cloudbase' })[0]?.code;
    assert.ok(code, 'a code is in the outbox');
    await page.keyboard.type(code!);
    await page.keyboard.press('Enter');
    await signedIn();
    await signOutByKeyboard();
  });

  test('sign-up with a code: Space opens the sign-up view, focus moves to each new step', async () => {
    await open('cloudbase');
    await tabTo(/^button.* No account yet\? Sign up$/);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('auth-login [part~="heading"]')?.textContent === 'Create your account');
    assert.match(await focus(page), /^input\[type=radio\] identifier-kind$/, 'focus on the first input of the new view');
    await page.keyboard.press('Tab');
    assert.match(await focus(page), /^input\[type=email\] username$/);
    await page.keyboard.type('keyboard@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Keyboard-pass1');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'one-time-code', null, { timeout: 30_000 });
    const code = rig.demo.reference.outbox.list({ backend: 'cloudbase' }).find((m) => m.to.includes('keyboard@example.com'))?.code;
    assert.ok(code, 'the sign-up code is in the outbox');
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    // A wrong code: the error is said, and focus stays on the code to type it again.
    await page.waitForFunction(() => !!document.querySelector('auth-login [role="alert"]')?.textContent, null, { timeout: 30_000 });
    assert.match(await focus(page), /^input\[type=text\] one-time-code$/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(code!);
    await page.keyboard.press('Enter');
    await signedIn();
    await signOutByKeyboard();
  });

  test('password reset: Enter on "Forgot password?", the address, then the code and a new password; focus follows each step', async () => {
    // A person of their own, so no other test's password changes.
    const email = `keyboard-reset-${Date.now()}@example.com`;
    newUser({ email, passwordHash: await hashPassword('first-password'), created_from: 'email' }, rig.demo.reference.context('cloudbase'));
    await open('cloudbase');
    await tabTo(/^button.* Forgot password\?$/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('auth-login [part~="heading"]')?.textContent === 'Reset your password');
    assert.match(await focus(page), /^input\[type=radio\] identifier-kind$/, 'focus on the first input of the new view');
    // The arrow keys move between the kinds of identifier; Email is where the address goes.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Tab');
    assert.match(await focus(page), /^input\[type=email\] username$/);
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'one-time-code', null, { timeout: 30_000 });
    const code = rig.demo.reference.outbox.latestCode(email, 'cloudbase');
    assert.ok(code, 'the reset code is in the outbox');
    await page.keyboard.type(code!);
    await page.keyboard.press('Tab');
    assert.match(await focus(page), /^input\[type=password\] new-password$/);
    await page.keyboard.type('second-pass1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('second-pass2');
    await page.keyboard.press('Enter');
    // The two new passwords differ: said under the second, and focus goes there.
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true', null, { timeout: 30_000 });
    assert.match(await focus(page), /^input\[type=password\] confirm-password$/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('second-pass1');
    await page.keyboard.press('Enter');
    await signedIn();
    await signOutByKeyboard();
  });
});
