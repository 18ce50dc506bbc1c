// The reference server core: one node:http server on 127.0.0.1 that mounts every backend
// emulation at `/{name}`, the passkey service at `/passkeys`, and the admin endpoints:
//
//   GET    /                 what is mounted where (JSON)
//   GET    /__outbox         codes and messages "sent", newest first (?backend=&to= filter)
//   DELETE /__outbox         empties the outbox
//   GET    /__accounts       each backend's demo accounts
//   GET    /__faults         the active fault rules
//   POST   /__faults         adds a rule (see faults.ts) → 201 with its id
//   DELETE /__faults         removes every rule;  DELETE /__faults/{id} removes one
//
// Every request becomes a standard Request (body capped at 64 KiB → 413), every answer passes
// through CORS (cors.ts) and, for backend and passkey routes, fault injection (faults.ts). A
// failing handler becomes a JSON 500 and a log line, never a crash. This module installs no
// process-wide handlers: the caller decides what to do with signals and stray errors.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { backends as registry } from './backends.js';
import { createCors } from './cors.js';
import { createFaultController, faultBody, parseFaultRule, type FaultController, type FaultRule } from './faults.js';
import { createJwt, createOutbox, createStore, defaultPolicies, type Backend, type BackendContext, type Outbox, type OutboxMessage, type Policies, type Store } from './kit/index.js';
import { createPasskeyService } from './passkeys.js';

export const MAX_BODY_BYTES = 64 * 1024;
const PASSKEYS = 'passkeys';

export interface ReferenceServerOptions {
  host?: '127.0.0.1';
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where the store lives (`store.json` inside); null/undefined keeps everything in memory. */
  dataDir?: string | null;
  /** Browser origins that may call the server (CORS), e.g. the demo page. */
  allowedOrigins: string[];
  /**
   * Also let any loopback origin call it (`http://127.0.0.1:*`, `http://localhost:*`,
   * `http://[::1]:*`): a page of your own in development. Default false. `npm start` sets it.
   */
  loopbackOrigins?: boolean;
  policies?: Partial<Policies>;
  /** Default: the registry in backends.ts. */
  backends?: Backend[];
  /** Milliseconds; tests pass a movable clock. */
  now?: () => number;
  /** WebAuthn relying party id (default 'localhost': passkeys need a host name, not an IP). */
  rpId?: string;
  rpName?: string;
  /** Origins accepted in WebAuthn client data (default: allowedOrigins). */
  expectedOrigins?: string[];
  /** Where errors go (default console.error). */
  log?: (message: string, error?: unknown) => void;
}

export interface ReferenceOutbox extends Outbox {
  /** Removes every message. */
  clear(): void;
}

export interface ReferenceServer {
  /** e.g. `http://127.0.0.1:5175` (no trailing slash). */
  url: string;
  port: number;
  store: Store;
  outbox: ReferenceOutbox;
  policies: Policies;
  /** The context a mounted backend runs with (its store, outbox, clock, jwt, baseUrl). */
  context(name: string): BackendContext;
  faults: FaultController;
  close(): Promise<void>;
}

/** An answer on its way out: CORS and faults work on this before it is written. */
interface Reply {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

const NO_BODY_STATUS = new Set([204, 205, 304]);
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade'];

class PayloadTooLarge extends Error {}

const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: new Headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }),
  body: Buffer.from(JSON.stringify(body)),
});

async function toReply(response: Response): Promise<Reply> {
  return { status: response.status, headers: new Headers(response.headers), body: new Uint8Array(await response.arrayBuffer()) };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function startReferenceServer(options: ReferenceServerOptions): Promise<ReferenceServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('The reference server listens on 127.0.0.1 only.');
  const log = options.log ?? ((message: string, error?: unknown) => console.error(`[reference server] ${message}`, ...(error === undefined ? [] : [error])));
  const now = options.now ?? Date.now;
  const mounted = options.backends ?? registry;
  const names = new Set<string>();
  for (const backend of mounted) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(backend.name) || backend.name === PASSKEYS) throw new Error(`Backend name ${JSON.stringify(backend.name)} cannot be a mount path.`);
    if (names.has(backend.name)) throw new Error(`Two backends are named ${backend.name}.`);
    names.add(backend.name);
  }

  const store = createStore(options.dataDir ? { dir: options.dataDir } : {});
  const policies: Policies = { ...defaultPolicies, ...options.policies };
  const outbox = createOutbox(store, now);
  const outboxMessages = store.collection<OutboxMessage>('outbox');
  const referenceOutbox: ReferenceOutbox = Object.assign(outbox, {
    clear() {
      for (const message of outboxMessages.values()) outboxMessages.delete(message.id);
    },
  });
  /** Newest first; messages sent within one millisecond keep their sending order (newest first). */
  const listOutbox = (filter: { backend?: string; to?: string }) =>
    outboxMessages
      .values()
      .reverse()
      .filter((m) => (!filter.backend || m.backend === filter.backend) && (!filter.to || m.to === filter.to))
      .sort((a, b) => b.at - a.at);

  // Per-backend JWT keys, kept in the store so tokens stay valid across a restart.
  const secrets = store.collection<string>('server.secrets');
  const jwtFor = (name: string) => {
    let secret = secrets.get(`jwt.${name}`);
    if (!secret) {
      secret = randomBytes(32).toString('base64url');
      secrets.put(`jwt.${name}`, secret);
    }
    return createJwt({ secret: new Uint8Array(Buffer.from(secret, 'base64url')), now });
  };

  const faults = createFaultController();
  const sockets = new Set<Socket>();
  const inflight = new Set<Promise<void>>();
  const closing = new AbortController();
  const contexts = new Map<string, BackendContext>();
  let baseUrl = '';
  let cors = createCors(options.allowedOrigins, { loopback: options.loopbackOrigins });

  const server = createServer({ requestTimeout: 60_000 }, (req, res) => {
    const work = serve(req, res).catch((error) => {
      log(`unexpected failure on ${req.method} ${req.url}`, error);
      try {
        if (!res.headersSent && !res.destroyed) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"internal_error"}');
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function write(req: IncomingMessage, res: ServerResponse, out: Reply) {
    if (res.destroyed || res.headersSent || res.writableEnded) return;
    const headers: Record<string, string | string[]> = {};
    out.headers.forEach((value, name) => {
      if (name === 'connection' && value === 'close') headers[name] = value;
      else if (name !== 'set-cookie' && !HOP_BY_HOP.includes(name)) headers[name] = value;
    });
    const cookies = out.headers.getSetCookie();
    if (cookies.length) headers['set-cookie'] = cookies;
    const bodyless = req.method === 'HEAD' || NO_BODY_STATUS.has(out.status);
    if (!NO_BODY_STATUS.has(out.status)) headers['content-length'] = String(out.body.byteLength);
    try {
      res.writeHead(out.status, headers);
    } catch (error) {
      log(`cannot write the headers of a ${out.status} answer to ${req.method} ${req.url}`, error);
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"error":"internal_error","message":"invalid response headers"}');
      return;
    }
    res.end(bodyless ? undefined : out.body);
  }

  async function admin(request: Request, pathname: string, url: URL): Promise<Reply> {
    const method = request.method;
    if (pathname === '/') {
      if (method !== 'GET' && method !== 'HEAD') return reply(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
      return reply(200, {
        name: 'auth-elements reference server',
        backends: mounted.map((b) => ({ name: b.name, url: `${baseUrl}/${b.name}` })),
        passkeys: `${baseUrl}/${PASSKEYS}`,
        admin: { outbox: `${baseUrl}/__outbox`, accounts: `${baseUrl}/__accounts`, faults: `${baseUrl}/__faults` },
      });
    }
    if (pathname === '/__outbox') {
      if (method === 'GET' || method === 'HEAD') {
        return reply(200, listOutbox({ backend: url.searchParams.get('backend') || undefined, to: url.searchParams.get('to') || undefined }));
      }
      if (method === 'DELETE') {
        referenceOutbox.clear();
        return { status: 204, headers: new Headers({ 'cache-control': 'no-store' }), body: new Uint8Array() };
      }
      return reply(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD, DELETE' });
    }
    if (pathname === '/__accounts') {
      if (method !== 'GET' && method !== 'HEAD') return reply(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
      return reply(200, mounted.map((b) => ({ backend: b.name, url: `${baseUrl}/${b.name}`, accounts: b.accounts })));
    }
    if (pathname === '/__faults') {
      if (method === 'GET' || method === 'HEAD') return reply(200, faults.list());
      if (method === 'DELETE') {
        faults.clear();
        return { status: 204, headers: new Headers({ 'cache-control': 'no-store' }), body: new Uint8Array() };
      }
      if (method === 'POST') {
        let value: unknown;
        try {
          value = JSON.parse(await request.text());
        } catch {
          return reply(400, { error: 'invalid_request', message: 'The body must be a JSON fault rule.' });
        }
        const parsed = parseFaultRule(value);
        if (typeof parsed === 'string') return reply(400, { error: 'invalid_request', message: parsed });
        return reply(201, faults.add(parsed));
      }
      return reply(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD, POST, DELETE' });
    }
    const one = /^\/__faults\/([^/]+)$/.exec(pathname);
    if (one) {
      if (method !== 'DELETE') return reply(405, { error: 'method_not_allowed' }, { allow: 'DELETE' });
      return faults.remove(decodeURIComponent(one[1]!)) ? { status: 204, headers: new Headers(), body: new Uint8Array() } : reply(404, { error: 'not_found', message: 'No such fault rule.' });
    }
    return reply(404, { error: 'not_found', message: `Nothing at ${pathname}.` });
  }

  const passkeys = createPasskeyService({
    store,
    backends: mounted,
    contextFor: (backend) => contexts.get(backend.name)!,
    now,
    rpId: options.rpId ?? 'localhost',
    rpName: options.rpName ?? 'auth-elements reference server',
    expectedOrigins: options.expectedOrigins ?? options.allowedOrigins,
  });

  async function route(request: Request, pathname: string): Promise<Reply> {
    const segments = pathname.split('/');
    const mount = segments[1] ?? '';
    const path = `/${segments.slice(2).join('/')}`;
    if (mount === PASSKEYS) {
      const answer = await passkeys.handle(request, path);
      return answer ? toReply(answer) : reply(404, { error: 'not_found', message: `No passkey endpoint at ${path}.` });
    }
    const backend = mounted.find((b) => b.name === mount);
    if (!backend) return reply(404, { error: 'not_found', message: `No backend is mounted at /${mount}.` });
    const answer = await backend.handle(request, path, contexts.get(backend.name)!);
    if (answer) return toReply(answer);
    if (backend.notFound) return toReply(backend.notFound(request, path));
    return reply(404, { error: 'not_found', message: `${backend.name} has nothing at ${path}.` });
  }

  async function serve(req: IncomingMessage, res: ServerResponse) {
    req.on('error', () => {});
    res.on('error', () => {});
    const method = req.method ?? 'GET';
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : null;
    const raw = req.url ?? '/';
    let target = raw;
    if (!raw.startsWith('/')) {
      try {
        const absolute = new URL(raw);
        target = absolute.pathname + absolute.search;
      } catch {
        target = '/';
      }
    }
    let url: URL;
    try {
      url = new URL(`${baseUrl}${target}`);
    } catch {
      return write(req, res, decorate(reply(400, { error: 'invalid_request', message: 'Unreadable request target.' }), origin));
    }
    const pathname = url.pathname;

    // Preflights (and any OPTIONS) never reach a backend.
    if (method === 'OPTIONS') {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const pre = cors.preflight(headers);
      return write(req, res, { status: pre.status, headers: pre.headers, body: Buffer.from(pre.body) });
    }
    if (cors.classify(origin) === 'foreign') {
      return write(req, res, decorate(reply(403, { error: 'origin_not_allowed', message: `Origin ${origin} is not allowed by this reference server.` }), origin));
    }

    let body: Buffer | undefined;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof PayloadTooLarge) {
        const out = decorate(reply(413, { error: 'payload_too_large', message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.` }, { connection: 'close' }), origin);
        // The socket is held now: once the answer is out, node may already have let go of it
        // (req.socket is then null), and a timer must not throw then.
        const socket = req.socket;
        res.on('finish', () => setTimeout(() => socket.destroy(), 1000).unref());
        return write(req, res, out);
      }
      // The client went away or sent a broken body: nobody is left to answer.
      req.socket.destroy();
      return;
    }
    if (req.destroyed && !req.complete) return;

    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      try {
        headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      } catch {
        // A header the fetch API refuses: the backend does not see it.
      }
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let request: Request;
    try {
      request = new Request(url, { method, headers, body: method === 'GET' || method === 'HEAD' || !body?.length ? undefined : new Uint8Array(body), signal: abort.signal });
    } catch {
      return write(req, res, decorate(reply(405, { error: 'method_not_allowed', message: `${method} is not supported.` }), origin));
    }

    let out: Reply;
    try {
      if (pathname === '/' || pathname.startsWith('/__')) {
        out = await admin(request, pathname, url);
      } else {
        const segments = pathname.split('/');
        const mount = segments[1] ?? '';
        const fault = faults.take({ method, pathname, backend: mount, path: `/${segments.slice(2).join('/')}` });
        if (fault?.delayMs) await sleep(fault.delayMs, closing.signal);
        if (closing.signal.aborted) return;
        if (fault?.drop) {
          req.socket.destroy();
          return;
        }
        if (fault?.status !== undefined) {
          out = injected(fault, fault.status);
        } else {
          out = await handleSafely(request, pathname, method);
          if (fault?.body) {
            const replaced = injected(fault, out.status);
            for (const [name, value] of replaced.headers) out.headers.set(name, value);
            out.body = replaced.body;
          }
        }
      }
    } catch (error) {
      log(`${method} ${pathname} failed`, error);
      out = reply(500, { error: 'internal_error', message: error instanceof Error ? error.message : String(error) });
    }
    write(req, res, decorate(out, origin));
  }

  async function handleSafely(request: Request, pathname: string, method: string): Promise<Reply> {
    try {
      return await route(request, pathname);
    } catch (error) {
      log(`${method} ${pathname} threw`, error);
      return reply(500, { error: 'internal_error', message: `The reference server failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  function injected(fault: FaultRule, status: number): Reply {
    const { body, contentType } = faultBody(fault.body, status);
    return { status, headers: new Headers({ 'content-type': contentType, 'cache-control': 'no-store', 'x-fault-injected': fault.id }), body: Buffer.from(body) };
  }

  function decorate(out: Reply, origin: string | null): Reply {
    cors.decorate(out.headers, origin);
    return out;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log('server error', error));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${port}`;
  // The server's own pages (an emulation's hosted form posting back to itself) are same-origin.
  cors = createCors([...options.allowedOrigins, baseUrl, `http://localhost:${port}`], { loopback: options.loopbackOrigins });

  const close = async () => {
    closing.abort();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    // Let handlers that were mid-flight finish their writes (briefly), then persist.
    await Promise.race([Promise.allSettled([...inflight]), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    store.flush();
  };

  for (const backend of mounted) {
    contexts.set(backend.name, { store, outbox, policies, now, baseUrl: `${baseUrl}/${backend.name}`, jwt: jwtFor(backend.name) });
  }
  try {
    for (const backend of mounted) await backend.seed(contexts.get(backend.name)!);
    store.flush();
  } catch (error) {
    await close();
    throw error;
  }

  return {
    url: baseUrl,
    port,
    store,
    outbox: referenceOutbox,
    policies,
    context(name) {
      const ctx = contexts.get(name);
      if (!ctx) throw new Error(`No backend named ${name} is mounted.`);
      return ctx;
    },
    faults,
    close,
  };
}
