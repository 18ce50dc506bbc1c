// The demo (demo/start.ts, as `npm start` serves it) and one headless Chromium, for the
// end-to-end tests in test/e2e/: started before a describe's tests, stopped after them.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo } from '../../demo/start.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The `skip` option of an end-to-end describe: why it cannot run here, else false. */
export const NO_CHROMIUM = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (node scripts/browsers.mjs --install)`;

/**
 * A bound for a sign-in that never comes (several round trips through the demo's servers on a
 * loaded machine), not a guess at how fast it is.
 */
export const SIGN_IN_TIMEOUT = 30_000;

type Demo = Awaited<ReturnType<typeof startDemo>>;

/** Call inside a describe: the demo and Chromium for its tests, and the page errors they met. */
export function demoInChromium() {
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  const problems: string[] = [];
  before(async () => {
    demo = await startDemo({ port: 0, dataDir: null });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });
  return {
    get demo(): Demo {
      return demo!;
    },
    get browser(): Browser {
      return browser!;
    },
    problems,
    /** Records the page's uncaught errors and console errors in `problems`. */
    watch(page: Page): Page {
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
      return page;
    },
    /** The problems that are not noise: a 4xx answer is logged by the browser itself, expectedly. */
    unexpected: () => problems.filter((p) => !/favicon|Lit is in dev mode|Failed to load resource/.test(p)),
  };
}

/**
 * The card's Code tab on the demo page: a phone number, "Send code", then the code `sent()` finds
 * (in the reference server's outbox), and Enter.
 */
export async function signInWithCode(page: Page, phone: string, sent: () => string | undefined | null): Promise<void> {
  const card = page.locator('auth-login');
  await card.getByRole('tab', { name: 'Code' }).click();
  await card.getByLabel('Phone').fill(phone);
  await card.getByRole('button', { name: 'Send code' }).click();
  await card.getByLabel('Verification code').waitFor();
  const code = sent();
  assert.ok(code, 'a code is in the outbox');
  await card.getByLabel('Verification code').fill(code);
  await page.keyboard.press('Enter');
}
