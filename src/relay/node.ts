// node:http adapter: IncomingMessage → standard Request (with the client's address) → relay →
// Response streamed back. No node: import at all, not even of types (the declaration build has
// no @types/node): the two structural interfaces below are what node:http's objects provide.
import { normalizeAddress } from './address.js';
import type { RelayContext } from './types.js';

// `any`: node:http event listeners take many argument shapes.
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
   * Take the client address from the first `X-Forwarded-For` hop instead of the socket. Only
   * when the server sits behind a proxy you run that sets that header; otherwise any caller
   * could pick its own address (and so its own rate-limit bucket and Zhuyun `X-device-ip`).
   */
  trustProxy?: boolean;
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
  return (req, res) => {
    void serve(handler, req, res, options).catch(() => {
      if (!res.headersSent) sendJson(res, 500, 'server_error', 'The relay could not handle the request.');
      else res.destroy();
    });
  };
}

async function serve(handler: FetchHandler, req: NodeIncomingMessage, res: NodeServerResponse, options: NodeHandlerOptions): Promise<void> {
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
  const host = /^[A-Za-z0-9.\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(hostHeader) ? hostHeader : 'localhost';
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

  let address = req.socket.remoteAddress;
  if (options.trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0];
    if (first && normalizeAddress(first)) address = first;
  }

  const response = await handler(request, { clientAddress: normalizeAddress(address) });
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
