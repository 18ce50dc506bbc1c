#!/usr/bin/env node
// `npm run gallery`: PNG screenshots (Debian's Chromium, headless) of every view of <auth-login>,
// <auth-user> and <auth-profile>, in light, dark, Chinese and a 360 px wide viewport, written to docs/gallery/.
// The page is demo/gallery/: each scene drives the element against an in-memory backend.
//
//   node scripts/gallery.mjs [scene…]   only these scenes (default: all)
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { ROOT } from './entries.mjs';

export const SCENES = [
  'login', 'login-error', 'login-invalid', 'login-busy', 'login-code', 'login-code-sent', 'login-phone',
  'sign-up', 'sign-up-code', 'forgot', 'recovery', 'password-expired', 'second-factor', 'step-offline', 'captcha', 'consent',
  'signed-in', 'sso-only', 'user', 'user-phone', 'profile', 'profile-edit', 'profile-email-code', 'profile-unlink',
];
export const VARIANTS = {
  light: { lang: 'en', theme: 'light', width: 520 },
  dark: { lang: 'en', theme: 'dark', width: 520 },
  zh: { lang: 'zh-CN', theme: 'light', width: 520 },
  narrow: { lang: 'en', theme: 'light', width: 360 },
};
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = resolve(ROOT, 'docs/gallery');
/** Scenes whose page cannot fetch a chunk (as offline): the requests refused. */
const OFFLINE = { 'step-offline': '**/src/components/views/steps.ts*' };

export async function gallery(scenes = SCENES) {
  mkdirSync(OUT, { recursive: true });
  const vite = await createServer({ configFile: false, root: ROOT, logLevel: 'error', server: { host: '127.0.0.1', port: 0, hmr: false } });
  await vite.listen();
  const { port } = vite.httpServer.address();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const written = [];
  try {
    for (const [variant, { lang, theme, width }] of Object.entries(VARIANTS)) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      for (const scene of scenes) {
        const refused = OFFLINE[scene];
        if (refused) await page.route(refused, (route) => route.abort());
        await page.goto(`http://127.0.0.1:${port}/demo/gallery/?scene=${scene}&lang=${lang}&theme=${theme}`);
        await page.waitForSelector("body[data-ready]", { timeout: 30_000 }).catch((error) => { throw new Error(`gallery: scene ${scene} (${variant}) never got ready: ${error.message}`); });
        if (refused) await page.unroute(refused);
        const file = resolve(OUT, `${scene}-${variant}.png`);
        await page.locator('#stage').screenshot({ path: file });
        written.push(file);
      }
      if (errors.length) throw new Error(`gallery (${variant}): ${errors.join('; ')}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await vite.close();
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2);
  const written = await gallery(only.length ? only : SCENES);
  console.log(`gallery: ${written.length} pictures in docs/gallery/`);
}
