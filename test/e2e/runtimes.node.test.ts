// The relay where sites deploy it: README's module for Cloudflare Workers (workerd, through
// miniflare), for Deno and for Bun, each run unchanged in that runtime with the built relay
// (dist/relay.js, what `auth-elements/relay` resolves to) in front of the reference server's
// Alibaba IDaaS. For each: the origin and path checks answer as they do on Node, and Chromium
// signs in through it from a plain page. Node itself is covered by src/relay/*.node.test.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startReferenceServer, type ReferenceServer } from '../../demo/server/server.js';
import { NOT_BUILT, RELAY_BUNDLE, startPageServer, type PageServer } from '../support/page-server.js';
import { codeBlocks, readmeSection } from '../support/readme.js';
import { RUNTIMES, type RunningRuntime, type Runtime } from '../support/runtimes.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SIGN_IN_TIMEOUT = 30_000;
const LOGIN = '/api/bff/v1.2/developer/ciam/login/pwd';

const CASES: Array<{ runtime: Runtime; heading: string }> = [
  { runtime: RUNTIMES.workerd, heading: 'Cloudflare Workers' },
  { runtime: RUNTIMES.deno, heading: 'Deno, Deno Deploy, Supabase Edge Functions' },
  { runtime: RUNTIMES.bun, heading: 'Bun' },
];

/** README's module for a runtime, importing the built relay instead of the published package. */
function readmeModule(heading: string): string {
  const [source] = codeBlocks(readmeSection(heading), 'js');
  assert.ok(source, `README's "${heading}" has a js block`);
  const specifier = /from '((?:npm:)?auth-elements\/relay)'/.exec(source!);
  assert.ok(specifier, `README's "${heading}" imports auth-elements/relay`);
  return source!.replace(specifier![0], `from ${JSON.stringify(RELAY_BUNDLE)}`);
}

describe('the relay in the runtimes sites deploy to', { skip: !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (node scripts/browsers.mjs --install)` : NOT_BUILT }, () => {
  let reference: ReferenceServer;
  let pages: PageServer;
  let browser: Browser;

  before(async () => {
    [reference, pages, browser] = await Promise.all([
      // The relay calls it server to server (no Origin): no page origin needs allowing here.
      startReferenceServer({ allowedOrigins: [], dataDir: null, log: () => {} }),
      startPageServer(),
      chromium.launch({ executablePath: CHROMIUM, args: FLAGS }),
    ]);
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    await reference?.close();
  });

  for (const { runtime, heading } of CASES) {
    describe(runtime.name, { skip: runtime.unavailable }, () => {
      let relay: RunningRuntime;
      before(async () => {
        relay = await runtime.start(readmeModule(heading), {
          IDAAS_URL: `${reference.url}/alibaba-idaas`,
          IDAAS_CLIENT_ID: 'alibaba-demo-client',
          IDAAS_CLIENT_SECRET: 'alibaba-demo-secret',
          APP_ORIGIN: pages.origin,
        });
      });
      after(() => relay?.close());

      test('refuses a foreign origin and an unlisted path; answers the page’s preflight', async () => {
        const foreign = await fetch(`${relay.url}${LOGIN}`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
        assert.equal(foreign.status, 403, relay.version);
        assert.equal((await foreign.json()).error, 'origin_not_allowed');
        const unlisted = await fetch(`${relay.url}/api/v2/anything`, { headers: { origin: pages.origin } });
        assert.equal(unlisted.status, 404);
        const preflight = await fetch(`${relay.url}${LOGIN}`, { method: 'OPTIONS', headers: { origin: pages.origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers.get('access-control-allow-origin'), pages.origin);
      });

      test('Chromium signs in through it (Alibaba IDaaS, password; the relay adds the app token)', async () => {
        const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${runtime.name}</title>
<script src="/auth-elements.iife.js"></script></head><body>
<auth-config provider="alibaba-idaas" base-url="${relay.url}" idaas-app-id="app_demo" storage="memory"><auth-password></auth-password></auth-config>
<p id="status">Signed out</p>
<script>document.addEventListener('auth-state-change', (e) => { document.getElementById('status').textContent = e.detail.session ? 'Signed in as ' + e.detail.session.user.id : 'Signed out'; });</script>
</body></html>`;
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('pageerror', (error) => problems.push(error.message));
        try {
          await page.goto(pages.page(`/${encodeURIComponent(heading)}.html`, html));
          const form = page.locator('auth-password');
          await form.getByRole('textbox', { name: 'Username' }).fill('demo');
          await form.getByLabel('Password', { exact: true }).fill('demo-password');
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Signed in as '), null, { timeout: SIGN_IN_TIMEOUT });
          assert.deepEqual(problems, []);
        } finally {
          await page.close();
        }
      });
    });
  }
});
