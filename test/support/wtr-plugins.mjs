// @web/test-runner plugins: server commands that browser tests call with
// `executeServerCommand` from '@web/test-runner-commands', plus a small reporter that
// writes pass/fail counts for scripts/test.mjs.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

/** Defaults for WebAuthn.addVirtualAuthenticator; a test overrides any of them. */
export const DEFAULT_AUTHENTICATOR = Object.freeze({
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
});

/**
 * `webauthn-add-authenticator` (options?) → { authenticatorId }
 * `webauthn-remove-authenticator` ({ authenticatorId }) → true
 * `webauthn-set-user-verified` ({ authenticatorId, isUserVerified }) → true
 *
 * Chromium only: it drives the DevTools protocol's virtual authenticator. Firefox (BiDi) and
 * WebKitGTK (WebDriver classic) have none, so these throw there.
 */
export function webauthnPlugin() {
  // One CDP session per page: the virtual authenticators live as long as the session that
  // enabled WebAuthn, so later commands must reuse it. Playwright gives every test file a new
  // page (and context), so nothing leaks between files.
  /** @type {WeakMap<object, Promise<any>>} */
  const cdpSessions = new WeakMap();

  function cdpFor(session, command) {
    const launcher = session.browser;
    if (launcher.type !== 'playwright' || typeof launcher.getPage !== 'function') {
      throw new Error(
        `${command}: needs Chromium driven by @web/test-runner-playwright (this is ` +
          `${launcher.name}); run passkey tests as *.passkey.test.ts in the "passkeys" group.`,
      );
    }
    const page = launcher.getPage(session.id);
    let cdp = cdpSessions.get(page);
    if (!cdp) {
      cdp = (async () => {
        const client = await page.context().newCDPSession(page);
        await client.send('WebAuthn.enable', { enableUI: false });
        return client;
      })();
      cdpSessions.set(page, cdp);
      cdp.catch(() => cdpSessions.delete(page));
    }
    return cdp;
  }

  function requireId(command, payload) {
    const id = payload?.authenticatorId;
    if (typeof id !== 'string' || !id) {
      throw new Error(`${command}: payload.authenticatorId (string) is required`);
    }
    return id;
  }

  return {
    name: 'auth-elements-webauthn',
    async executeCommand({ command, payload, session }) {
      switch (command) {
        case 'webauthn-add-authenticator': {
          const cdp = await cdpFor(session, command);
          const options = { ...DEFAULT_AUTHENTICATOR, ...(payload ?? {}) };
          const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
            options,
          });
          return { authenticatorId };
        }
        case 'webauthn-remove-authenticator': {
          const authenticatorId = requireId(command, payload);
          const cdp = await cdpFor(session, command);
          await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
          return true;
        }
        case 'webauthn-set-user-verified': {
          const authenticatorId = requireId(command, payload);
          if (typeof payload.isUserVerified !== 'boolean') {
            throw new Error(`${command}: payload.isUserVerified (boolean) is required`);
          }
          const cdp = await cdpFor(session, command);
          await cdp.send('WebAuthn.setUserVerified', {
            authenticatorId,
            isUserVerified: payload.isUserVerified,
          });
          return true;
        }
        default:
          return undefined; // not ours: let the next plugin answer
      }
    },
  };
}

/**
 * `start-server` ({ name, options? }) → { id, url, info }
 * `stop-server` ({ id }) → true
 *
 * `name` is a key of `servers` in test/support/servers.ts (loaded through tsx on first use).
 * Every server still running when the test run ends is closed in serverStop.
 */
export function serverCommandsPlugin({
  registry = new URL('./servers.ts', import.meta.url).href,
} = {}) {
  /** @type {Promise<Record<string, (options: any) => Promise<any>>> | undefined} */
  let registryPromise;
  /** @type {Map<string, { name: string, close: () => Promise<void> }>} */
  const running = new Map();

  function loadRegistry() {
    registryPromise ??= tsImport(registry, import.meta.url).then((mod) => {
      if (!mod.servers || typeof mod.servers !== 'object') {
        throw new Error(`${registry} does not export a "servers" object`);
      }
      return mod.servers;
    });
    return registryPromise;
  }

  return {
    name: 'auth-elements-server-commands',
    async executeCommand({ command, payload }) {
      if (command === 'start-server') {
        const name = payload?.name;
        const registryServers = await loadRegistry();
        if (typeof name !== 'string' || !Object.hasOwn(registryServers, name)) {
          throw new Error(
            `start-server: unknown server ${JSON.stringify(name)}; known: ` +
              Object.keys(registryServers).join(', '),
          );
        }
        const started = await registryServers[name](payload.options ?? {});
        const id = `${name}-${randomUUID()}`;
        running.set(id, { name, close: () => started.close() });
        return { id, url: started.url, info: started.info ?? null };
      }
      if (command === 'stop-server') {
        const id = payload?.id;
        const server = running.get(id);
        if (!server) throw new Error(`stop-server: no running server with id ${JSON.stringify(id)}`);
        running.delete(id);
        await server.close();
        return true;
      }
      return undefined;
    },
    async serverStop() {
      const leftovers = [...running.entries()];
      running.clear();
      await Promise.all(
        leftovers.map(async ([id, server]) => {
          try {
            await server.close();
          } catch (error) {
            console.error(`[server-commands] closing ${id} failed:`, error);
          }
        }),
      );
    },
  };
}

/**
 * A reporter that writes `{ passed, failed, skipped, sessions }` as JSON to `file` when the
 * run ends. A test file that failed to load or run (no test results, but errors) counts as one
 * failed test, so a broken file can never look like a pass.
 */
export function summaryReporter({ file }) {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const walk = (suite) => {
        for (const test of suite.tests ?? []) {
          if (test.skipped) skipped += 1;
          else if (test.passed) passed += 1;
          else failed += 1;
        }
        for (const child of suite.suites ?? []) walk(child);
      };
      for (const session of sessions) {
        const before = failed;
        if (session.testResults) walk(session.testResults);
        if (!session.passed && failed === before) failed += 1;
      }
      writeFileSync(file, JSON.stringify({ passed, failed, skipped, sessions: sessions.length }));
    },
  };
}

/**
 * The built script tag as a CDN serves it, for test/browser/lazy-chunks.test.ts:
 * `/cdn/auth-elements@<version>/dist/…` is dist/ (its chunks must be found beside the script,
 * not beside the page), `/cdn/auth-elements` redirects to the script there (as unpkg does),
 * `/cdn-offline/dist/…` is dist/ whose on-demand chunks never come, and `/cdn-words-later/dist/…`
 * is dist/ whose words (each language's chunk) fail until the browser asks for
 * `/cdn-words-later/online` (one switch per browser, by its user agent).
 */
export function cdnMiddleware() {
  /** The user agents that have said they are back online. */
  const online = new Set();
  return async (ctx, next) => {
    if (ctx.path === '/cdn-words-later/online') {
      online.add(ctx.get('user-agent'));
      ctx.body = 'online';
      return;
    }
    // As unpkg does: the bare package name redirects to its script file.
    if (ctx.path === '/cdn/auth-elements') {
      ctx.redirect('/cdn/auth-elements@0.1.0/dist/auth-elements.iife.js');
      return;
    }
    const cdn = /^\/cdn\/auth-elements@[^/]+\/(dist\/.*)$/.exec(ctx.path);
    if (cdn) ctx.url = `/${cdn[1]}`;
    const offline = /^\/cdn-offline\/(dist\/.*)$/.exec(ctx.path);
    if (offline) {
      if (offline[1].startsWith('dist/script/')) {
        ctx.status = 503;
        ctx.body = 'offline';
        return;
      }
      ctx.url = `/${offline[1]}`;
    }
    const later = /^\/cdn-words-later\/(dist\/.*)$/.exec(ctx.path);
    if (later) {
      if (/^dist\/script\/(?:en|zh-cn)-[\w-]+\.js$/.test(later[1]) && !online.has(ctx.get('user-agent'))) {
        ctx.status = 503;
        ctx.body = 'offline';
        return;
      }
      ctx.url = `/${later[1]}`;
    }
    return next();
  };
}
