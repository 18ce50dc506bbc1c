// A plain page of your own, for end-to-end tests: static HTML on a free port of 127.0.0.1 that no
// demo server uses, and the built script-tag bundle at /auth-elements.iife.js (its chunks at /script/).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './http-server.js';

export const IIFE = fileURLToPath(new URL('../../dist/auth-elements.iife.js', import.meta.url));
const SCRIPT_CHUNKS = fileURLToPath(new URL('../../dist/script/', import.meta.url));
export const RELAY_BUNDLE = fileURLToPath(new URL('../../dist/relay.js', import.meta.url));
/** Why a test that needs the build cannot run, or false. */
export const NOT_BUILT = existsSync(IIFE) && existsSync(RELAY_BUNDLE) ? false : 'dist/ is not built (npm run build; npm test builds first)';

export interface PageServer {
  /** e.g. `http://127.0.0.1:40123` (no trailing slash). */
  origin: string;
  /** Serves `html` at `path` (e.g. `/zhuyun.html`) from now on. */
  page(path: string, html: string): string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, string>();
  const server = await startServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/auth-elements.iife.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(IIFE));
      return;
    }
    // What the script tag loads on demand (an adapter, Chinese, WebAuthn), from beside it.
    const chunk = /^\/script\/([\w.-]+\.js)$/.exec(path)?.[1];
    if (chunk && existsSync(join(SCRIPT_CHUNKS, chunk))) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(join(SCRIPT_CHUNKS, chunk)));
      return;
    }
    const html = pages.get(path);
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  return {
    origin: server.url,
    page(path, html) {
      pages.set(path, html);
      return `${server.url}${path}`;
    },
    close: () => server.close(),
  };
}
