// End to end, one test per flow of issue 17: the demo page (as `npm start` serves it) driven in
// headless Chromium the way a person would finish each flow, for Alibaba IDaaS, Tencent CIAM,
// Janrain and OIDC. Codes and links are read from the reference server's outbox.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo } from '../../demo/start.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// A bound for a sign-in that never comes (several round trips through the demo's servers on a
// loaded machine), not a guess at how fast it is.
const SIGN_IN_TIMEOUT = 30_000;

describe('issue 17 flows on the demo page, end to end', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (node scripts/browsers.mjs --install)` }, () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    demo = await startDemo({ port: 0, dataDir: null });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  function watch(p: Page) {
    p.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    p.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  }

  async function open(provider: string, url = demo.url) {
    page = await browser.newPage();
    watch(page);
    await page.goto(demo.url);
    await page.selectOption('#provider', provider);
    if (url !== demo.url) await page.goto(url);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
  }

  async function signedInAs(name: RegExp, on = page) {
    await on.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('signed in'), null, { timeout: SIGN_IN_TIMEOUT });
    assert.match((await on.textContent('#status'))!, name);
  }

  async function signOut() {
    await page.locator('#sign-out').click();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
    await page.close();
  }

  /** The latest code the reference server "sent" to `to` for `backend`. */
  function code(to: string, backend: string): string {
    const found = demo.reference.outbox.latestCode(to, backend);
    assert.ok(found, `a code for ${to} is in the outbox`);
    return found!;
  }

  // ── Alibaba IDaaS ─────────────────────────────────────────────────────────

  test('alibaba-idaas: sign-up by phone, the code in the same element, then signed in', async () => {
    await open('alibaba-idaas');
    const form = page.locator('auth-password');
    await form.getByRole('button', { name: 'No account yet? Sign up' }).click();
    await form.getByRole('radio', { name: 'Phone' }).check();
    await form.getByRole('textbox', { name: 'Phone' }).fill('13900001717');
    await form.getByLabel('New password').fill('e2e-signup-1');
    await page.keyboard.press('Enter');
    await form.getByText(/Enter it to finish creating your account/).waitFor();
    await form.getByLabel('Verification code').fill(code('+8613900001717', 'alibaba-idaas'));
    await form.getByRole('button', { name: 'Verify' }).click();
    await signedInAs(/13900001717/);
    await signOut();
  });

  test('alibaba-idaas: the terms step is a checkbox the person ticks, then signed in', async () => {
    await open('alibaba-idaas');
    const form = page.locator('auth-password');
    await form.getByRole('textbox', { name: 'Username' }).fill('consent');
    await form.getByLabel('Password', { exact: true }).fill('demo-password');
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
    await page.waitForURL((url) => url.href.startsWith(demo.url));
    await signedInAs(/demo/);
    assert.ok(!new URL(page.url()).searchParams.has('code'), 'the callback parameters are gone from the address bar');
    await signOut();
  });

  test('alibaba-idaas: forgot password by email code, a new password, then signed in with it', async () => {
    await open('alibaba-idaas');
    const form = page.locator('auth-password');
    await form.getByRole('button', { name: 'Forgot password?' }).click();
    await form.getByRole('radio', { name: 'Email' }).check();
    await form.getByRole('textbox', { name: 'Email' }).fill('demo@alibaba.example');
    await form.getByRole('button', { name: 'Send reset instructions' }).click();
    await form.getByText(/we sent it a code/).waitFor();
    await form.getByLabel('Verification code').fill(code('demo@alibaba.example', 'alibaba-idaas'));
    await form.getByLabel('New password', { exact: true }).fill('e2e-reset-pass-1');
    await form.getByLabel('Confirm new password').fill('e2e-reset-pass-1');
    await form.getByRole('button', { name: 'Set password' }).click();
    await signedInAs(/demo/);
    await signOut();
  });

  // ── OIDC ──────────────────────────────────────────────────────────────────

  test('oidc: sign-in in a popup; this page stays, and the name comes from userinfo', async () => {
    await open('oidc');
    await page.locator('#popup').check();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue with single sign-on' }).click()]);
    watch(popup);
    await popup.getByLabel('Username').fill('demo');
    await popup.getByLabel('Password').fill('demo-password');
    await popup.keyboard.press('Enter');
    await popup.waitForEvent('close', { timeout: SIGN_IN_TIMEOUT });
    await signedInAs(/Demo User/);
    assert.equal(page.url(), demo.url, 'the page never left');
    await signOut();
  });

  test('oidc: a popup the person closes leaves the page signed out, without an error', async () => {
    await open('oidc');
    await page.locator('#popup').check();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue with single sign-on' }).click()]);
    await popup.getByLabel('Username').waitFor();
    await popup.close();
    await page.locator('auth-social').getByRole('button', { name: 'Continue with single sign-on' }).and(page.locator(':enabled')).waitFor();
    assert.equal(await page.textContent('#status'), 'signed out');
    assert.equal(await page.locator('auth-social [part~="error"]').textContent(), '');
    await page.close();
  });

  // ── Tencent CIAM ──────────────────────────────────────────────────────────

  test('tencent-ciam: sign-up by email code through the relay, then signed in', async () => {
    await open('tencent-ciam');
    const form = page.locator('auth-password');
    await form.getByRole('button', { name: 'No account yet? Sign up' }).click();
    await form.getByRole('radio', { name: 'Email' }).check();
    await form.getByRole('textbox', { name: 'Email' }).fill('e2e-joiner@example.com');
    await form.getByLabel('New password').fill('e2e-joiner-1');
    await page.keyboard.press('Enter');
    await form.getByText(/Enter it to finish creating your account/).waitFor();
    await form.getByLabel('Verification code').fill(code('e2e-joiner@example.com', 'tencent-ciam'));
    await form.getByRole('button', { name: 'Verify' }).click();
    await signedInAs(/signed in/);
    await signOut();
  });

  test('tencent-ciam: forgot password by SMS code, a new password, then signed in with it', async () => {
    await open('tencent-ciam');
    const form = page.locator('auth-password');
    await form.getByRole('button', { name: 'Forgot password?' }).click();
    await form.getByRole('textbox', { name: 'Phone' }).fill('13800000003');
    await form.getByRole('button', { name: 'Send reset instructions' }).click();
    await form.getByText(/we sent it a code/).waitFor();
    await form.getByLabel('Verification code').fill(code('13800000003', 'tencent-ciam'));
    await form.getByLabel('New password', { exact: true }).fill('e2e-reset-3');
    await form.getByLabel('Confirm new password').fill('e2e-reset-3');
    await form.getByRole('button', { name: 'Set password' }).click();
    await signedInAs(/signed in/);
    await signOut();
  });

  test('tencent-ciam: a signed-in person changes their password in the element', async () => {
    await open('tencent-ciam');
    const form = page.locator('auth-password');
    await form.getByRole('radio', { name: 'Username' }).check();
    await form.getByRole('textbox', { name: 'Username' }).fill('demo');
    await form.getByLabel('Password', { exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await signedInAs(/Demo User|signed in/);
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
    await page.locator('#popup').check();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Continue with single sign-on' }).click()]);
    watch(popup);
    await popup.getByLabel('Phone number, email or username').fill('demo');
    await popup.getByLabel('Password').fill('demo-password');
    await popup.keyboard.press('Enter');
    await popup.waitForEvent('close', { timeout: SIGN_IN_TIMEOUT });
    await signedInAs(/signed in/);
    assert.equal(page.url(), demo.url, 'the page never left');
    await signOut();
  });

  test('tencent-ciam: a code sign-in (the relay’s Web app) refreshes through the relay', async () => {
    await open('tencent-ciam');
    const otp = page.locator('auth-otp');
    await otp.getByLabel('Phone').fill('13800000001');
    await otp.getByRole('button', { name: 'Send code' }).click();
    await otp.getByLabel('Verification code').waitFor();
    await otp.getByLabel('Verification code').fill(code('13800000001', 'tencent-ciam'));
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await page.locator('#refresh').click();
    await page.locator('#log').getByText(/TOKEN_REFRESHED/).waitFor();
    assert.equal(await page.locator('#log').getByText(/auth-error/).count(), 0);
    await signOut();
  });

  // ── Janrain ───────────────────────────────────────────────────────────────

  /** The link in the latest email the reference server "sent" to `to`. */
  function emailedLink(to: string): string {
    const message = demo.reference.outbox.list({ backend: 'janrain', to })[0];
    assert.ok(message, `an email to ${to} is in the outbox`);
    return /(http\S+)/.exec(message!.text)![1]!;
  }

  /** From whichever view the element shows: sign-in, sign-up (after a sign-up) or forgot (after "Back"). */
  async function forgot(email: string): Promise<string> {
    const form = page.locator('auth-password');
    const toSignIn = form.getByRole('button', { name: 'Already have an account? Sign in' });
    if (await toSignIn.count()) await toSignIn.click();
    const toForgot = form.getByRole('button', { name: 'Forgot password?' });
    if (await toForgot.count()) await toForgot.click();
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await form.getByRole('button', { name: 'Send reset instructions' }).click();
    const notice = form.getByText(/we sent it a link to reset the password/);
    await notice.waitFor();
    return (await notice.textContent())!.replace(email, '{email}');
  }

  test('janrain: forgot password tells a known and an unknown email the same thing', async () => {
    await open('janrain');
    const known = await forgot('demo@janrain.example');
    await page.locator('auth-password').getByRole('button', { name: 'Back' }).click();
    const unknown = await forgot('nobody@janrain.example');
    assert.equal(unknown, known);
    assert.match(known, /^If an account exists for \{email\}, we sent it a link/);
    await page.close();
  });

  test('janrain: the emailed reset link opens "New password"; the new password then signs in', async () => {
    await open('janrain');
    const email = `reset-${Date.now()}@janrain.example`;
    const form = page.locator('auth-password');
    await form.getByRole('button', { name: 'No account yet? Sign up' }).click();
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await form.getByLabel('New password').fill('first-pass-1');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await page.locator('#sign-out').click();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed out');
    await forgot(email);
    await page.goto(emailedLink(email));
    await form.getByText('Set password').first().waitFor();
    assert.ok(!new URL(page.url()).searchParams.has('verification_code'), 'the code is gone from the address bar');
    await form.getByLabel('New password', { exact: true }).fill('second-pass-2');
    await form.getByLabel('Confirm new password').fill('second-pass-2');
    await form.getByRole('button', { name: 'Set password' }).click();
    await form.getByText('Your password was changed.').waitFor();
    await form.getByRole('textbox', { name: 'Email' }).fill(email);
    await form.getByLabel('Password', { exact: true }).fill('second-pass-2');
    await page.keyboard.press('Enter');
    await signedInAs(/signed in/);
    await signOut();
  });

  test('janrain: an unverified email address gets a link; following it verifies the address', async () => {
    await open('janrain');
    const form = page.locator('auth-password');
    await form.getByRole('textbox', { name: 'Email' }).fill('unverified@janrain.example');
    await form.getByLabel('Password', { exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await form.getByText('Your email address is not verified yet.').waitFor();
    await form.getByRole('button', { name: 'Send verification email' }).click();
    await form.getByText('We sent a link to unverified@janrain.example.').waitFor();
    await page.goto(emailedLink('unverified@janrain.example'));
    await form.getByText('Confirm that this email address is yours.').waitFor();
    await form.getByRole('button', { name: 'Verify email address' }).click();
    await form.getByText('Your email address is verified.').waitFor();
    assert.equal(await form.getByText('Your email address is not verified yet.').count(), 0);
    await signOut();
  });

  test('janrain: a locked account says it is locked and when to try again, not "too many requests"', async () => {
    await open('janrain');
    const form = page.locator('auth-password');
    await form.getByRole('textbox', { name: 'Email' }).fill('locked@janrain.example');
    await form.getByLabel('Password', { exact: true }).fill('demo-password');
    await page.keyboard.press('Enter');
    await form.getByRole('alert').filter({ hasText: 'locked' }).waitFor();
    assert.match((await form.getByRole('alert').textContent())!, /^This account is locked after too many attempts\. Try again in \d+ minutes?\.$/);
    await page.close();
  });

  test('no page errors on the way', () => {
    // A 4xx answer is logged by the browser itself ("Failed to load resource"): expected here.
    assert.deepEqual(problems.filter((p) => !/favicon|Lit is in dev mode|Failed to load resource/.test(p)), []);
  });
});
