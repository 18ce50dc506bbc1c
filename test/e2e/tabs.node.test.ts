// Ten real tabs (separate pages, each with its own client) sharing one expiring session must
// make exactly one refresh request and never spend the same refresh token twice. In one page
// the lock and localStorage agree at once; across tab processes localStorage lags, which a
// test with ten clients in one page cannot see.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('ten tabs, one expiring session', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing` }, () => {
  let vite: ViteDevServer;
  let browser: Browser;
  let origin: string;
  const spent: string[] = [];

  before(async () => {
    vite = await createServer({
      configFile: false,
      root: fileURLToPath(new URL('../..', import.meta.url)),
      logLevel: 'error',
      server: { host: '127.0.0.1', port: 0, hmr: false },
      plugins: [
        {
          name: 'count-refreshes',
          configureServer(server) {
            server.middlewares.use('/api/refresh', (req, res) => {
              let body = '';
              req.on('data', (chunk) => (body += chunk));
              req.on('end', () => {
                spent.push(body);
                res.setHeader('content-type', 'application/json');
                res.end(JSON.stringify({ n: spent.length }));
              });
            });
          },
        },
      ],
    });
    await vite.listen();
    const address = vite.httpServer!.address() as { port: number };
    origin = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await vite?.close();
  });

  for (const trial of [1, 2, 3]) {
    test(`trial ${trial}: one refresh request, no refresh token spent twice`, async () => {
      spent.length = 0;
      const context = await browser.newContext();
      try {
        const setup = await context.newPage();
        await setup.goto(`${origin}/test/e2e/tabs.html?clients=0`);
        const now = Math.floor(Date.now() / 1000);
        const session = { access_token: 'access-0', token_type: 'Bearer', expires_in: 8, expires_at: now + 8, refresh_token: 'refresh-0', user: { id: 'tabs-user' }, provider: 'oidc' };
        await setup.evaluate((value) => localStorage.setItem('auth-elements:bench-tabs:session', value), JSON.stringify(session));
        const tabs: Page[] = [];
        for (let i = 0; i < 10; i++) {
          const tab = await context.newPage();
          await tab.goto(`${origin}/test/e2e/tabs.html?clients=1`);
          tabs.push(tab);
        }
        const refreshed = () => Promise.all(tabs.map((tab) => tab.evaluate(() => (window as unknown as { bench: { refreshed: number } }).bench.refreshed)));
        const deadline = Date.now() + 15_000;
        while ((await refreshed()).some((n) => n < 1) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
        await new Promise((done) => setTimeout(done, 500)); // room for a late duplicate
        assert.deepEqual(await refreshed(), Array(10).fill(1), 'every tab holds the refreshed session');
        assert.deepEqual(spent, ['refresh-0'], 'one refresh request, spending the refresh token once');
      } finally {
        await context.close();
      }
    });
  }
});
