// End to end, one test per flow of issue 17: the demo page (as `npm start` serves it) driven in
// headless Chromium the way a person would finish each flow, for Alibaba IDaaS, Tencent CIAM,
// Janrain and OIDC. Codes and links are read from the reference server's outbox.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { demoInChromium, NO_CHROMIUM, SIGN_IN_TIMEOUT, signInWithCode } from '../support/demo-browser.js';

describe('issue 17 flows on the demo page, end to end', { skip: NO_CHROMIUM }, () => {
  const rig = demoInChromium();
  const watch = rig.watch;
  let page: Page;

  async function open(provider: string) {
    page = watch(await rig.browser.newPage());
    await page.goto(rig.demo.url);
    await page.selectOption('#provider', provider);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
  }

  async function signedInAs(name: RegExp, on = page) {
    await on.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('signed in'), null, { timeout: SIGN_IN_TIMEOUT });
    assert.match((await on.textContent('#status'))!, name);
  }

  /** Sign out in <auth-user>, the bar that takes the card's place on the demo page. */
  async function signOutHere() {
    await page.locator('auth-user').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
  }

  async function signOut() {
    await signOutHere();
    await page.close();
  }

  /** The latest code the reference server "sent" to `to` for `backend`. */
  function code(to: string, backend: string): string {
    const found = rig.demo.reference.outbox.latestCode(to, backend);
    assert.ok(found, `a code for ${to} is in the outbox`);
    return found!;
  }

  /** Sign-up in the card (<auth-login>): the contact, a password, then the code the backend sent. */
  async function signUpByCode(kind: 'Phone' | 'Email', contact: string, password: string, sentTo: string, backend: string) {
    const form = page.locator('auth-login');
    await form.getByRole('button', { name: 'No account yet? Sign up' }).click();
    await form.getByLabel('New password').waitFor(); // the form opens once its code is here
    await form.getByRole('radio', { name: kind }).check();
    await form.getByRole('textbox', { name: kind }).fill(contact);
    await form.getByLabel('New password').fill(password);
    await page.keyboard.press('Enter');
    await form.getByText(/Enter it to finish creating your account/).waitFor();
    await form.getByLabel('Verification code').fill(code(sentTo, backend));
    await form.getByRole('button', { name: 'Verify' }).click();
  }

  /** "Forgot password?" in the card by a code: the contact, then the code and a new password. */
  async function resetByCode(kind: 'Phone' | 'Email', contact: string, sentTo: string, backend: string, password: string) {
    const form = page.locator('auth-login');
    await form.getByRole('button', { name: 'Forgot password?' }).click();
    // The form opens once its code is here: wait for it before asking what it offers.
    await form.getByRole('button', { name: 'Send reset instructions' }).waitFor();
    const choice = form.getByRole('radio', { name: kind });
    if (await choice.count()) await choice.check();
    await form.getByRole('textbox', { name: kind }).fill(contact);
    await form.getByRole('button', { name: 'Send reset instructions' }).click();
    await form.getByText(/we sent it a code/).waitFor();
    await form.getByLabel('Verification code').fill(code(sentTo, backend));
    await form.getByLabel('New password', { exact: true }).fill(password);
    await form.getByLabel('Confirm new password').fill(password);
    await form.getByRole('button', { name: 'Set password' }).click();
  }

  // ── Alibaba IDaaS ─────────────────────────────────────────────────────────

  test('alibaba-idaas: sign-up by phone, the code in the same element, then signed in', async () => {
    await open('alibaba-idaas');
    await signUpByCode('Phone', '13900001717', 'e2e-signup-1', '+8613900001717', 'alibaba-idaas');
    await signedInAs(/13900001717/);
    await signOut();
  });

  test('alibaba-idaas: the terms step is a checkbox the person ticks, then signed in', async () => {
    await open('alibaba-idaas');
    const form = page.locator('auth-login');
    await form.getByRole('textbox', { name: 'Username' }).fill('consent');
    await form.getByRole('textbox', { name: 'Password', exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await form.getByText('The sign-in service asks you to accept its terms').waitFor();
    await form.getByRole('button', { name: 'Continue' }).click();
    await form.getByText('Please accept the terms to continue.').waitFor();
    await form.getByRole('checkbox', { name: 'I agree to the terms of service' }).check();
    await form.getByRole('button', { name: 'Continue' }).click();
    await signedInAs(/consent/);
    await signOut();
  });

  test('alibaba-idaas: social sign-in through the configured source, completed on return', async () => {
    await open('alibaba-idaas');
    await page.getByRole('button', { name: 'Continue with ciamlocalsocial' }).click();
    await page.getByRole('link', { name: 'Demo (bound to demo)' }).click();
    await page.waitForURL((url) => url.href.startsWith(rig.demo.url));
    await signedInAs(/demo/);
    assert.ok(!new URL(page.url()).searchParams.has('code'), 'the callback parameters are gone from the address bar');
    await signOut();
  });

  test('alibaba-idaas: forgot password by email code, a new password, then signed in with it', async () => {
    await open('alibaba-idaas');
    await resetByCode('Email', 'demo@alibaba.example', 'demo@alibaba.example', 'alibaba-idaas', 'e2e-reset-pass-1');
    await signedInAs(/demo/);
    await signOut();
  });

  // ── OIDC ──────────────────────────────────────────────────────────────────

  /** "Continue with single sign-on" in a popup: `user` signs in at the provider's page there. */
  async function signInInPopup(userLabel: string, user: string) {
    await page.locator('#popup').check();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue with single sign-on' }).click()]);
    watch(popup);
    await popup.getByLabel(userLabel).fill(user);
    await popup.getByLabel('Password').fill('demo-password');
    await popup.keyboard.press('Enter');
    await popup.waitForEvent('close', { timeout: SIGN_IN_TIMEOUT });
  }

  test('oidc: sign-in in a popup; this page stays, and the name comes from userinfo', async () => {
    await open('oidc');
    await signInInPopup('Username', 'demo');
    await signedInAs(/Demo User/);
    assert.equal(page.url(), rig.demo.url, 'the page never left');
    await signOut();
  });

  test('oidc: a popup the person closes leaves the page signed out, without an error', async () => {
    await open('oidc');
    await page.locator('#popup').check();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue with single sign-on' }).click()]);
    await popup.getByLabel('Username').waitFor();
    await popup.close();
    await page.locator('auth-login').getByRole('button', { name: 'Continue with single sign-on' }).and(page.locator(':enabled')).waitFor();
    assert.equal(await page.textContent('#status'), 'signed out');
    assert.equal(await page.locator('auth-login [part~="error"]').textContent(), '');
    await page.close();
  });

  // ── Tencent CIAM ──────────────────────────────────────────────────────────

  test('tencent-ciam: sign-up by email code through the relay, then signed in', async () => {
    await open('tencent-ciam');
    await signUpByCode('Email', 'e2e-joiner@example.com', 'e2e-joiner-1', 'e2e-joiner@example.com', 'tencent-ciam');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('tencent-ciam: forgot password by SMS code, a new password, then signed in with it', async () => {
    await open('tencent-ciam');
    await resetByCode('Phone', '13800000003', '13800000003', 'tencent-ciam', 'e2e-reset-3');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('tencent-ciam: a signed-in person changes their password in the account panel', async () => {
    await open('tencent-ciam');
    const card = page.locator('auth-login');
    await card.getByRole('radio', { name: 'Username' }).check();
    await card.getByRole('textbox', { name: 'Username' }).fill('demo');
    await card.getByRole('textbox', { name: 'Password', exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await signedInAs(/Demo User|signed in/);
    // Signed in, the card gives way to <auth-user> and <auth-profile>, whose Password section changes it.
    const form = page.locator('auth-profile');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByLabel('Current password').fill('demo-password');
    await form.getByLabel('New password', { exact: true }).fill('e2e-changed-1');
    await form.getByLabel('Confirm new password').fill('e2e-changed-1');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Your password was changed.').waitFor();
    // Back to the demo password, so the other tests keep theirs.
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByLabel('Current password').fill('e2e-changed-1');
    await form.getByLabel('New password', { exact: true }).fill('demo-password');
    await form.getByLabel('Confirm new password').fill('demo-password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Your password was changed.').waitFor();
    await signOut();
  });

  test('tencent-ciam: the hosted portal (PKCE) in a popup', async () => {
    await open('tencent-ciam');
    await signInInPopup('Phone number, email or username', 'demo');
    await signedInAs(/signed in/);
    assert.equal(page.url(), rig.demo.url, 'the page never left');
    await signOut();
  });

  test('tencent-ciam: a code sign-in (the relay’s Web app) refreshes through the relay', async () => {
    await open('tencent-ciam');
    await signInWithCode(page, '13800000001', () => code('13800000001', 'tencent-ciam'));
    await signedInAs(/signed in/);
    await page.locator('#refresh').click();
    await page.locator('#log').getByText(/TOKEN_REFRESHED/).waitFor();
    assert.equal(await page.locator('#log').getByText(/auth-error/).count(), 0);
    await signOut();
  });

  // ── Janrain ───────────────────────────────────────────────────────────────

  /** The link in the latest email the reference server "sent" to `to`. */
  function emailedLink(to: string): string {
    const message = rig.demo.reference.outbox.list({ backend: 'janrain', to })[0];
    assert.ok(message, `an email to ${to} is in the outbox`);
    return /(http\S+)/.exec(message!.text)![1]!;
  }

  /** From whichever view the element shows: sign-in, sign-up (after a sign-up) or forgot (after "Back"). */
  async function forgot(email: string): Promise<string> {
    const form = page.locator('auth-login');
    const toSignIn = form.getByRole('button', { name: 'Already have an account? Sign in' });
    const toForgot = form.getByRole('button', { name: 'Forgot password?' });
    const send = form.getByRole('button', { name: 'Send reset instructions' });
    // Views and the forms behind links arrive on their own time: wait for one before counting it.
    await toSignIn.or(toForgot).or(send).first().waitFor();
    if (await toSignIn.count()) await toSignIn.click();
    await toForgot.or(send).first().waitFor();
    if (await toForgot.count()) await toForgot.click();
    await send.waitFor();
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await send.click();
    const notice = form.getByText(/we sent it a link to reset the password/);
    await notice.waitFor();
    return (await notice.textContent())!.replace(email, '{email}');
  }

  test('janrain: forgot password tells a known and an unknown email the same thing', async () => {
    await open('janrain');
    const known = await forgot('demo@janrain.example');
    await page.locator('auth-login').getByRole('button', { name: 'Back' }).click();
    const unknown = await forgot('nobody@janrain.example');
    assert.equal(unknown, known);
    assert.match(known, /^If an account exists for \{email\}, we sent it a link/);
    await page.close();
  });

  test('janrain: the emailed reset link opens "New password"; the new password then signs in', async () => {
    await open('janrain');
    const email = `reset-${Date.now()}@janrain.example`;
    const form = page.locator('auth-login');
    await form.getByRole('button', { name: 'No account yet? Sign up' }).click();
    await form.getByLabel('New password').waitFor(); // the form opens once its code is here
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await form.getByLabel('New password').fill('first-pass-1');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOutHere();
    await forgot(email);
    await page.goto(emailedLink(email));
    await form.getByText('Set password').first().waitFor();
    assert.ok(!new URL(page.url()).searchParams.has('verification_code'), 'the code is gone from the address bar');
    await form.getByLabel('New password', { exact: true }).fill('second-pass-2');
    await form.getByLabel('Confirm new password').fill('second-pass-2');
    await form.getByRole('button', { name: 'Set password' }).click();
    await form.getByText('Your password was changed.').waitFor();
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await form.getByRole('textbox', { name: 'Password', exact: true }).fill('second-pass-2');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('janrain: an unverified email address gets a link; following it verifies the address', async () => {
    await open('janrain');
    const form = page.locator('auth-login');
    await form.getByRole('textbox', { name: 'Email' }).fill('unverified@janrain.example');
    await form.getByRole('textbox', { name: 'Password', exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    const account = page.locator('auth-profile');
    const email = account.getByRole('region', { name: 'Email' });
    await email.getByText('Not verified', { exact: true }).waitFor();
    await email.getByRole('button', { name: 'Send verification email' }).click();
    await email.getByText('We sent a link to unverified@janrain.example.').waitFor();
    // Still signed in when the link brings the person back: the step is in the profile's Email section.
    await page.goto(emailedLink('unverified@janrain.example'));
    await email.getByText('Confirm that this email address is yours.').waitFor();
    await email.getByRole('button', { name: 'Verify email address' }).click();
    await email.getByText('Your email address is verified.').waitFor();
    await email.getByText('Verified', { exact: true }).waitFor();
    assert.equal(await email.getByRole('button', { name: 'Send verification email' }).count(), 0);
    await signOut();
  });

  test('janrain: a locked account says it is locked and when to try again, not "too many requests"', async () => {
    await open('janrain');
    const form = page.locator('auth-login');
    await form.getByRole('textbox', { name: 'Email' }).fill('locked@janrain.example');
    await form.getByRole('textbox', { name: 'Password', exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await form.getByRole('alert').filter({ hasText: 'locked' }).waitFor();
    assert.match((await form.getByRole('alert').textContent())!, /^This account is locked after too many attempts\. Try again in \d+ minutes?\.$/);
    await page.close();
  });

  test('no page errors on the way', () => {
    assert.deepEqual(rig.unexpected(), []);
  });
});
