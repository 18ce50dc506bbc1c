// Starts the whole demo: the page (Vite), the OpenID provider, the reference server and the
// relays, all on 127.0.0.1. `npm start` (demo/serve.ts) and the end-to-end test use it.
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { createServer, type Alias, type Plugin } from 'vite';
import { readManifest, renderHtml } from '../scripts/api-docs.js';
import { startOidcServer } from './server/oidc.js';
import { startReferenceServer } from './server/server.js';
import { startRelays } from './server/relays.js';
import { isCustomElement } from '../src/vue/index.js';

const HOST = '127.0.0.1';

export const DEMO_USERS = [
  { id: 'demo-user', username: 'demo', password: 'demo-password', email: 'demo@example.com', name: 'Demo User' },
];

export interface DemoOptions {
  /** 0 picks free ports (tests). */
  port?: number;
  oidcPort?: number;
  referencePort?: number;
  relayPort?: number;
  /** Where the reference server keeps its data; null keeps it in memory. */
  dataDir?: string | null;
}

/** A free port on 127.0.0.1; the page's port must be known before the servers that trust its origin start. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startDemo(options: DemoOptions = {}) {
  const port = options.port || (await freePort());
  const origins = [`http://${HOST}:${port}`, `http://localhost:${port}`];
  const oidc = await startOidcServer({
    host: HOST,
    port: options.oidcPort ?? 0,
    clients: [{ clientId: 'auth-elements-demo', redirectUris: origins.map((o) => `${o}/`), postLogoutRedirectUris: origins.map((o) => `${o}/`) }],
    allowedOrigins: origins,
    // Any page of this machine may use it in development (README, "Use it with a script tag").
    loopback: true,
    users: DEMO_USERS,
    // Short enough to watch a refresh happen on the demo page (at 30 s).
    accessTokenTtl: 60,
    // The name and email come from /userinfo only, as with most providers: the widget reads it.
    idTokenClaims: false,
  });
  const reference = await startReferenceServer({
    host: HOST,
    port: options.referencePort ?? 0,
    dataDir: options.dataDir === undefined ? fileURLToPath(new URL('../.data/reference', import.meta.url)) : options.dataDir,
    allowedOrigins: origins,
    loopbackOrigins: true,
    log: () => {},
  });
  const relays = await startRelays({ referenceUrl: reference.url, allowedOrigins: origins, loopbackOrigins: true, port: options.relayPort ?? 0 });
  const vite = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('.', import.meta.url)),
    server: { host: HOST, port, strictPort: true, hmr: false, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
    define: {
      __DEMO_OIDC_ISSUER__: JSON.stringify(oidc.issuer),
      __DEMO_REFERENCE_URL__: JSON.stringify(reference.url),
      __DEMO_RELAY_URL__: JSON.stringify(relays.url),
      // Vue's esm-bundler build (demo/vue/) expects its compile-time flags, else it warns.
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    logLevel: 'warn',
    resolve: { alias: PACKAGE_ALIASES },
    // Single-file components compile here, in Node: the browser runs no template compiler.
    plugins: [extraPages(), vue({ template: { compilerOptions: { isCustomElement } } })],
  });
  await vite.listen();
  return {
    url: `http://${HOST}:${port}/`,
    port,
    oidc,
    reference,
    relays,
    close: async () => {
      await Promise.allSettled([vite.close(), oidc.close(), relays.close(), reference.close()]);
    },
  };
}

const source = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

/** The package's published names (as in README's examples), served from the source. */
const PACKAGE_ALIASES: Alias[] = [
  { find: /^auth-elements$/, replacement: source('index.ts') },
  { find: /^auth-elements\/define$/, replacement: source('define.ts') },
  { find: /^auth-elements\/react$/, replacement: source('react/index.ts') },
  { find: /^auth-elements\/vue$/, replacement: source('vue/index.ts') },
];

const IIFE = fileURLToPath(new URL('../dist/auth-elements.iife.js', import.meta.url));

/**
 * Two pages beside the demo: `/auth-elements.iife.js`, the script-tag build (`npm run build`
 * writes it; the chunks it loads on demand are under `/script/`), for a page of your own on
 * another port; and `/api.html`, the API reference,
 * rendered from custom-elements.json on each request (scripts/api-docs.ts).
 */
function extraPages(): Plugin {
  return {
    name: 'auth-elements:extra-pages',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        // What the script tag loads on demand (an adapter, Chinese, WebAuthn), from beside it.
        const chunk = /^\/script\/([\w.-]+\.js)$/.exec(path ?? '')?.[1];
        if (chunk && existsSync(fileURLToPath(new URL(`../dist/script/${chunk}`, import.meta.url)))) {
          // ES modules: a page on another origin (yours) may import them only with CORS, as a CDN sends it.
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' }).end(readFileSync(fileURLToPath(new URL(`../dist/script/${chunk}`, import.meta.url))));
          return;
        }
        if (path === '/auth-elements.iife.js') {
          if (!existsSync(IIFE)) {
            res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('dist/auth-elements.iife.js is not built yet: run `npm run build`, then reload.\n');
            return;
          }
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }).end(readFileSync(IIFE));
          return;
        }
        if (path === '/api.html') {
          res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-cache',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
          }).end(renderHtml(readManifest()));
          return;
        }
        next();
      });
    },
  };
}
