// End to end: the React 19 and Vue 3 demo pages (demo/react/, demo/vue/, served by the demo's
// Vite server) in headless Chromium. Each signs in with the Zhuyun IDaaS demo account by
// keyboard and checks that the framework's own state says "Signed in as …": that proves the
// element's `auth-state-change` reached the app through the framework's event binding
// (auth-elements/react's `onAuthStateChange`, React 19's `onauth-state-change`, Vue's
// `@auth-state-change` in a single-file component's template).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { demoInChromium, NO_CHROMIUM } from '../support/demo-browser.js';

const PHONE = '13800000010';
const PASSWORD = 'demo-password';
// A bound for a state that never comes (a sign-in round trip on a loaded machine), not a speed guess.
const STATE_TIMEOUT = 30_000;

describe('React and Vue demo pages, end to end', { skip: NO_CHROMIUM }, () => {
  const rig = demoInChromium();

  /** A fresh page (its own browser context: no session left from another test). */
  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const problems: string[] = [];
    const page = await rig.browser.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    // Vue warns when a template tag is neither a component nor declared a custom element.
    page.on('console', (message) => /Failed to resolve component/.test(message.text()) && problems.push(`vue: ${message.text()}`));
    await page.goto(new URL(path, rig.demo.url).href);
    return { page, problems };
  }

  /** The app's own rendering of the session (not the element's). */
  const appState = (section: Locator) => section.locator('.framework-state [role="status"]');

  async function expectState(section: Locator, expected: 'signed-in' | 'signed-out') {
    await section.locator(`.framework-state [role="status"][data-state="${expected}"]`).waitFor({ timeout: STATE_TIMEOUT });
    const text = (await appState(section).textContent()) ?? '';
    if (expected === 'signed-in') assert.match(text, /^Signed in as \S+/);
    else assert.equal(text, 'Signed out');
  }

  async function signIn(page: Page, section: Locator) {
    const form = section.locator('auth-password');
    await form.getByLabel('Phone').fill(PHONE);
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.keyboard.press('Enter');
    await expectState(section, 'signed-in');
  }

  /** The app's own button (the element shows one too, once signed in). */
  async function signOut(section: Locator) {
    await section.locator('.framework-state').getByRole('button', { name: 'Sign out' }).click();
    await expectState(section, 'signed-out');
  }

  function assertNoProblems(problems: string[]) {
    // A 4xx answer is logged by the browser itself ("Failed to load resource").
    assert.deepEqual(problems.filter((p) => !/favicon|Failed to load resource/.test(p)), []);
  }

  test('React 19, @lit/react wrappers: typed onAuthStateChange, session kept across a reload, sign-out', async () => {
    const { page, problems } = await open('/react/');
    const wrapped = page.locator('#wrapped');
    await expectState(wrapped, 'signed-out');
    await wrapped.getByText('Last event: INITIAL_SESSION').waitFor();
    await signIn(page, wrapped);
    await wrapped.getByText('Last event: SIGNED_IN').waitFor();
    // The other section has its own configuration (storage key): it stays signed out.
    await expectState(page.locator('#native'), 'signed-out');

    await page.reload();
    await expectState(page.locator('#wrapped'), 'signed-in');
    await page.locator('#wrapped').getByText('Last event: INITIAL_SESSION').waitFor();

    await signOut(page.locator('#wrapped'));
    await page.locator('#wrapped').getByText('Last event: SIGNED_OUT').waitFor();
    await page.close();
    assertNoProblems(problems);
  });

  test('React 19, bare tags: onauth-state-change on <auth-config> and <auth-password>', async () => {
    const { page, problems } = await open('/react/');
    const native = page.locator('#native');
    await expectState(native, 'signed-out');
    await signIn(page, native);
    // The listener on <auth-password> itself heard the sign-in it caused.
    await native.getByTestId('from-password').getByText('<auth-password> announced: SIGNED_IN').waitFor();
    await expectState(page.locator('#wrapped'), 'signed-out');
    await signOut(native);
    await page.close();
    assertNoProblems(problems);
  });

  test('Vue 3, single-file component: @auth-state-change, session kept across a reload, sign-out', async () => {
    const { page, problems } = await open('/vue/');
    const section = page.locator('#vue-section');
    await expectState(section, 'signed-out');
    await signIn(page, section);
    await section.getByText('Last event: SIGNED_IN').waitFor();

    await page.reload();
    await expectState(page.locator('#vue-section'), 'signed-in');
    await page.locator('#vue-section').getByText('Last event: INITIAL_SESSION').waitFor();

    await signOut(page.locator('#vue-section'));
    await page.locator('#vue-section').getByText('Last event: SIGNED_OUT').waitFor();
    await page.close();
    assertNoProblems(problems);
  });

  test('a wrong password reaches the app as a typed auth-error', async () => {
    const { page, problems } = await open('/react/');
    const wrapped = page.locator('#wrapped');
    await expectState(wrapped, 'signed-out');
    const form = wrapped.locator('auth-password');
    await form.getByLabel('Phone').fill(PHONE);
    await form.getByLabel('Password', { exact: true }).fill('wrong-password');
    await page.keyboard.press('Enter');
    await wrapped.locator('.framework-state').getByText(/last error: invalid_credentials/).waitFor({ timeout: STATE_TIMEOUT });
    await expectState(wrapped, 'signed-out');
    await page.close();
    assertNoProblems(problems);
  });
});
