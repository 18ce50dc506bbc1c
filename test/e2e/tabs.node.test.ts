// Ten real tabs (separate pages, each with its own client) sharing one expiring session must
// make exactly one refresh request and never spend the same refresh token twice. In one page
// the lock and localStorage agree at once; across tab processes localStorage lags, which a
// test with ten clients in one page cannot see.
//
// Nothing here depends on how fast the machine opens pages: the browser context runs on
// Playwright's clock, so the session does not come due until every tab holds it and the test
// moves time forward; then all ten timers fire together and race for the refresh.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { waitFor } from '../support/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LIFETIME = 3600;
const TABS = 10;

type Bench = { events: string[]; refreshCalls: number };

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
        // Time flows as usual until the test moves it; every page of the context shares it.
        await context.clock.install();
        const setup = await context.newPage();
        await setup.goto(`${origin}/test/e2e/tabs.html?clients=0`);
        const session = await setup.evaluate((lifetime) => {
          const now = Math.floor(Date.now() / 1000);
          const value = { access_token: 'access-0', token_type: 'Bearer', expires_in: lifetime, expires_at: now + lifetime, refresh_token: 'refresh-0', user: { id: 'tabs-user' }, provider: 'oidc' };
          localStorage.setItem('auth-elements:bench-tabs:session', JSON.stringify(value));
          return value;
        }, LIFETIME);
        const tabs: Page[] = [];
        for (let i = 0; i < TABS; i++) {
          const tab = await context.newPage();
          await tab.goto(`${origin}/test/e2e/tabs.html?clients=1`);
          tabs.push(tab);
        }
        const read = () => Promise.all(tabs.map((tab) => tab.evaluate(() => (window as unknown as { bench: Bench }).bench)));
        const events = async () => (await read()).map((bench) => bench.events);

        // Every tab starts with the stored session, however long opening them took.
        await waitFor(async () => (await events()).every((list) => list.length > 0), 'every tab has its INITIAL_SESSION');
        assert.deepEqual(await events(), Array(TABS).fill(['INITIAL_SESSION:access-0']), 'every tab holds the stored session');
        assert.deepEqual(spent, [], 'no refresh before the session comes due');

        // Into the refresh window (the smaller of 60 s and half the lifetime), not past expiry.
        await context.clock.fastForward((session.expires_in - 30) * 1000);
        await waitFor(async () => (await events()).every((list) => list.length > 1), 'every tab has a second event');
        // Settled: no tab holds or waits for the refresh lock, so no late duplicate can follow.
        // (The ":spent:" mark is a lock too, held on purpose for a while after a refresh.)
        await waitFor(() => setup.evaluate(async () => {
          const { held = [], pending = [] } = await navigator.locks.query();
          return ![...held, ...pending].some((lock) => lock.name?.endsWith(':refresh'));
        }), 'the refresh lock is free in every tab');

        assert.deepEqual(await events(), Array(TABS).fill(['INITIAL_SESSION:access-0', 'TOKEN_REFRESHED:access-1']), 'every tab holds the refreshed session');
        assert.deepEqual(spent, ['refresh-0'], 'one refresh request, spending the refresh token once');
        assert.equal((await read()).reduce((sum, bench) => sum + bench.refreshCalls, 0), 1, 'one tab called the backend');
      } finally {
        await context.close();
      }
    });
  }
});
