// node:http adapter: IncomingMessage → standard Request (with the client's address) → relay →
// Response streamed back. No node: import at all, not even of types (the declaration build has
// no @types/node): the two structural interfaces below are what node:http's objects provide.
import { forwardedClient, normalizeAddress } from './address.js';
import type { RelayContext } from './types.js';

// `any`: node:http event listeners take many argument shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

/** The part of node:http's `IncomingMessage` the adapter uses. */
export interface NodeIncomingMessage {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  complete: boolean;
  socket: { remoteAddress?: string; destroy(): void };
  on(event: string, listener: Listener): unknown;
  removeAllListeners(event?: string): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** The part of node:http's `ServerResponse` the adapter uses. */
export interface NodeServerResponse {
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  readonly writableFinished: boolean;
  setHeader(name: string, value: string | string[]): unknown;
  writeHead(statusCode: number, headers?: Record<string, string>): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: string): unknown;
  destroy(): unknown;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
}

export interface NodeHandlerOptions {
  /**
   * How many proxies of yours stand in front of this server, each appending the address it
   * received the request from to `X-Forwarded-For` (nginx's `$proxy_add_x_forwarded_for`,
   * most load balancers). The client address is then the entry that many places from the
   * right: the rightmost one no proxy of yours wrote. Entries left of it were written by the
   * caller and are never read. `true` means 1. Default: none (the socket address).
   *
   * Set it only to the real number: one too many lets any caller pick its own address (and so
   * its own rate-limit bucket and Zhuyun `X-device-ip`); one too few makes your proxy the client.
   *
   * @example
   * // browser → nginx → this server
   * createServer(toNodeHandler(relay, { trustProxy: 1 }));
   * // browser → cloud load balancer → nginx → this server
   * createServer(toNodeHandler(relay, { trustProxy: 2 }));
   */
  trustProxy?: boolean | number;
}

type FetchHandler = (request: Request, context?: RelayContext) => Promise<Response>;

/** Bytes of an unread request body drained after answering before the socket is dropped. */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * Wraps a relay (or any fetch handler) as a `node:http` request listener.
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(toNodeHandler(relay)).listen(8787);
 */
export function toNodeHandler(handler: FetchHandler, options: NodeHandlerOptions = {}): (req: NodeIncomingMessage, res: NodeServerResponse) => void {
  const hops = trustedHops(options.trustProxy);
  return (req, res) => {
    void serve(handler, req, res, hops).catch(() => {
      if (!res.headersSent) sendJson(res, 500, 'server_error', 'The relay could not handle the request.');
      else res.destroy();
    });
  };
}

/** `trustProxy` as a hop count; a TypeError for anything else than a boolean or a whole number >= 0. */
function trustedHops(value: unknown): number {
  if (value === undefined || value === false) return 0;
  if (value === true) return 1;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new TypeError('toNodeHandler: trustProxy must be the number of proxies in front of the server (or true for 1).');
}

async function serve(handler: FetchHandler, req: NodeIncomingMessage, res: NodeServerResponse, hops: number): Promise<void> {
  res.on('error', () => {});
  const target = req.url ?? '';
  const path = target.split('?')[0]!;
  // Origin-form paths only: no absolute URL (a proxy-style request line), no `//`, no dot
  // segments, no backslash, no percent-encoding (the relay's paths have none).
  if (!/^\/[A-Za-z0-9_\-.~/]*$/.test(path) || path.includes('//') || /\/\.\.?(?:\/|$)/.test(path)) {
    sendJson(res, 400, 'invalid_request', 'The request path is not acceptable.');
    req.resume();
    return;
  }
  const hostHeader = typeof req.headers.host === 'string' ? req.headers.host : '';
  const host = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(hostHeader) ? hostHeader : 'localhost';
  const secure = Boolean((req.socket as { encrypted?: unknown }).encrypted);
  const url = `${secure ? 'https' : 'http'}://${host}${target}`;

  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
    try {
      headers.append(name, req.rawHeaders[i + 1]!);
    } catch {
      // a header value fetch refuses: drop it (the relay forwards only a few anyway)
    }
  }

  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const method = (req.method ?? 'GET').toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: abort.signal };
  if (hasBody) {
    init.body = bodyStream(req);
    init.duplex = 'half';
  }
  const request = new Request(url, init);

  let address = normalizeAddress(req.socket.remoteAddress);
  if (hops > 0) {
    // Node joins repeated X-Forwarded-For lines with ", ", in order.
    const forwarded = req.headers['x-forwarded-for'];
    address = forwardedClient(Array.isArray(forwarded) ? forwarded.join(', ') : forwarded, hops) ?? address;
  }

  const response = await handler(request, { clientAddress: address });
  // The body was not read to the end (refused early, e.g. 413): do not reuse this connection.
  if (hasBody && !req.complete) res.setHeader('connection', 'close');
  const setCookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (setCookies.length) res.setHeader('set-cookie', setCookies);
  res.writeHead(response.status);
  if (response.body && method !== 'HEAD' && !res.destroyed) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel().catch(() => {});
        break;
      }
      if (!res.write(value)) await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
  } else {
    await response.body?.cancel().catch(() => {});
  }
  res.end();
  if (hasBody && !req.complete) drain(req);
}

/** The request body as a web stream, with backpressure: Node pauses while the stream is full. */
function bodyStream(req: NodeIncomingMessage): ReadableStream<Uint8Array> {
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Uint8Array) => {
        if (closed) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on('end', () => {
        if (closed) return;
        closed = true;
        controller.close();
      });
      req.on('error', (error: unknown) => {
        if (closed) return;
        closed = true;
        controller.error(error);
      });
      req.on('close', () => {
        if (closed || req.complete) return;
        closed = true;
        controller.error(new Error('The request was aborted.'));
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      closed = true;
      req.pause();
    },
  });
}

/** Reads and discards what is left of a refused body, up to a limit, then drops the socket. */
function drain(req: NodeIncomingMessage): void {
  let seen = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Uint8Array) => {
    seen += chunk.byteLength;
    if (seen > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

function sendJson(res: NodeServerResponse, status: number, error: string, description: string): void {
  const body = JSON.stringify({ error, error_description: description });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(body.length) });
  res.end(body);
}
