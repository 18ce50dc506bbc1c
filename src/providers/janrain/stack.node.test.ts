// Test helper, no tests of its own (the .node.test.ts name keeps it out of the type build and
// the browser runner): the relay in front of the Janrain emulation, and a browser stand-in.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRelay, toNodeHandler } from '../../relay/index.js';

export const ORIGIN = 'http://127.0.0.1:5173';

/** The relay on its own node:http server, closable with every socket. */
export async function startRelay(upstream: string) {
  const relay = createRelay({
    provider: 'janrain',
    upstream,
    credentials: { clientId: 'janrain-api-client', clientSecret: 'janrain-api-secret' },
    allowedOrigins: [ORIGIN],
    limits: { perClient: false, perClientOther: false, signInsPerIdentifier: false, sendsPerIdentifier: false },
  });
  const server: Server = createServer(toNodeHandler(relay));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

/** What a browser adds by itself (Origin) and what the test wants to see (bodies in and out). */
export function browserFetch(log: { sent: string[]; received: string[] }, origin: string | null = ORIGIN): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (origin) headers.set('origin', origin);
    log.sent.push(`${String(input)} ${String(init?.body ?? '')}`);
    const res = await fetch(input, { ...init, headers });
    const text = await res.text();
    log.received.push(text);
    return new Response(text, { status: res.status, headers: res.headers });
  };
}

