import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createJwt, createOutbox, createStore, defaultPolicies, json, type Backend, type BackendContext, type ManualClock, type Policies } from '../../demo/server/kit/index.js';

/**
 * Mounts one backend emulation at `/{name}` on 127.0.0.1 and a free port, with a fresh store,
 * for its Node tests. `clock.advance(ms)` moves the backend's time (expiry without waiting). By
 * default that time is the wall clock plus the advances; with `clock` (e.g. the kit's
 * createManualClock()) it is that clock alone, so a test's numbers do not depend on how fast it runs.
 */
export async function mountBackend(backend: Backend, options: { policies?: Partial<Policies>; dataDir?: string; clock?: ManualClock } = {}) {
  let offset = 0;
  const clock: ManualClock = options.clock ?? { now: () => Date.now() + offset, advance: (ms) => void (offset += ms) };
  const now = clock.now;
  const store = createStore({ dir: options.dataDir });
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', base);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
      const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
      const request = new Request(url, { method: req.method, headers, body });
      const prefix = `/${backend.name}`;
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : null;
      const response = (path !== null && (await backend.handle(request, path, ctx))) || backend.notFound?.(request, path ?? url.pathname) || json(404, { error: 'not_found' });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`harness: ${String(error)}`);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctx: BackendContext = {
    store,
    outbox: createOutbox(store, now),
    policies: { ...defaultPolicies, ...options.policies },
    now,
    baseUrl: `${base}/${backend.name}`,
    jwt: createJwt({ now }),
  };
  await backend.seed(ctx);
  return {
    url: ctx.baseUrl,
    ctx,
    clock,
    close: () =>
      new Promise<void>((resolve) => {
        store.flush();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
