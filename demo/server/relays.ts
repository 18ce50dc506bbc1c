// The relay in front of the reference server, as a site would mount it on its own backend:
// browser → relay (adds the server credential) → backend. One relay per backend that needs
// one, each under its own path on one loopback port.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRelay, toNodeHandler, type RelayOptions } from '../../src/relay/index.js';
import { isLoopbackOrigin } from './loopback.js';

/** The server-side credentials of the emulations' seeded apps (never sent to a page). */
const RELAYED: Array<{ name: RelayOptions['provider']; credentials: RelayOptions['credentials'] }> = [
  { name: 'alibaba-idaas', credentials: { clientId: 'alibaba-demo-client', clientSecret: 'alibaba-demo-secret' } },
  { name: 'janrain', credentials: { clientId: 'janrain-api-client', clientSecret: 'janrain-api-secret' } },
  { name: 'tencent-ciam', credentials: { clientId: 'ciam-demo-client', clientSecret: 'ciam-demo-secret' } },
];

export interface RelaysOptions {
  referenceUrl: string;
  allowedOrigins: string[];
  /** Also any loopback page (127.0.0.1, localhost, [::1]; any port), as `npm start` does: development only. */
  loopbackOrigins?: boolean;
  port?: number;
  host?: '127.0.0.1';
}

export async function startRelays(options: RelaysOptions) {
  const listed = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase()));
  const allowedOrigins = options.loopbackOrigins ? (origin: string) => listed.has(origin) || isLoopbackOrigin(origin) : options.allowedOrigins;
  const handlers = new Map(
    RELAYED.map(({ name, credentials }) => [
      name,
      toNodeHandler(createRelay({ provider: name, upstream: `${options.referenceUrl}/${name}`, credentials, allowedOrigins, basePath: `/${name}` } as RelayOptions)),
    ]),
  );
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('/')[1] ?? '';
    const handler = handlers.get(name as RelayOptions['provider']);
    if (handler) return handler(req, res);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not_found', error_description: `Relays: ${[...handlers.keys()].map((n) => `/${n}`).join(', ')}` }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
