/**
 * Registry of Node-side servers that browser tests can start through the `start-server`
 * server command (see test/support/wtr-plugins.mjs), e.g.
 *
 * ```ts
 * import { executeServerCommand } from '@web/test-runner-commands';
 * const { id, url } = await executeServerCommand('start-server', { name: 'echo' });
 * // … fetch(url) …
 * await executeServerCommand('stop-server', { id });
 * ```
 *
 * Each entry starts one server bound to 127.0.0.1 on a free port (port 0) and resolves once
 * it is listening. `info` is passed back to the browser as is, so it must be JSON-safe.
 * Add an entry per server; the runner closes any server a test forgot to stop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StartedTestServer {
  /** Base URL, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  close(): Promise<void>;
  /** Anything else the test needs to know (JSON-safe). */
  info?: unknown;
}

// `any` on purpose: each factory types its own options.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestServerFactory = (options: any) => Promise<StartedTestServer>;

/** Listens on 127.0.0.1:0 and returns the server's base URL. */
export async function listenOnFreePort(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}/`;
}

/** Closes the server, dropping keep-alive connections the browser may still hold open. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Replies `{ ok: true, method, url }` to anything; proves the start/stop plumbing. */
async function echo(): Promise<StartedTestServer> {
  const server = createServer((request, response) => {
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (request.method === 'OPTIONS') {
      // CORS preflight, so tests may also send JSON bodies or custom headers.
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      response.setHeader(
        'Access-Control-Allow-Headers',
        request.headers['access-control-request-headers'] ?? '*',
      );
      response.writeHead(204).end();
      return;
    }
    // Drain any body before answering.
    request.resume();
    request.on('end', () => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ ok: true, method: request.method, url: request.url }));
    });
  });
  const url = await listenOnFreePort(server);
  return { url, close: () => closeServer(server) };
}

export interface ReferenceTestServerOptions {
  /** The test page's origin (`location.origin`, http://localhost:<port> under wtr). */
  origin?: string;
  /** More origins, for CORS and WebAuthn client data alike. */
  origins?: string[];
  /** WebAuthn relying party id; default `localhost` (the wtr page's host). */
  rpId?: string;
  /** Also start the relays in front of Alibaba, Janrain and Tencent CIAM (`info.relay`). */
  relays?: boolean;
}

/**
 * The reference server (demo/server) with every backend and the passkey service, memory only.
 * `url` has no trailing slash: `${url}/passkeys/…`, `${url}/zhuyun-idaas/…`.
 */
async function reference(options: ReferenceTestServerOptions = {}): Promise<StartedTestServer> {
  // Loaded on first use, so the other servers do not pay for every backend emulation.
  const { startReferenceServer } = await import('../../demo/server/server.js');
  const origins = [...new Set([...(options.origin ? [options.origin] : []), ...(options.origins ?? [])])];
  const server = await startReferenceServer({
    port: 0,
    dataDir: null,
    allowedOrigins: origins,
    rpId: options.rpId ?? 'localhost',
    expectedOrigins: origins,
  });
  if (!options.relays) return { url: server.url, close: () => server.close(), info: { passkeys: `${server.url}/passkeys`, origins } };
  const { startRelays } = await import('../../demo/server/relays.js');
  const relays = await startRelays({ referenceUrl: server.url, allowedOrigins: origins });
  return {
    url: server.url,
    close: async () => {
      await relays.close();
      await server.close();
    },
    info: { passkeys: `${server.url}/passkeys`, origins, relay: relays.url },
  };
}

export const servers: Record<string, TestServerFactory> = {
  echo,
  reference,
};
