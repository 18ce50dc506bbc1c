// Test support for the relay: a recording stub upstream on 127.0.0.1, and a browser-side caller
// that keeps every response and log line so a test can prove no secret ever left the relay.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelayLogEntry } from '../../src/relay/index.js';

export interface Recorded {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Respond = (req: Recorded, res: ServerResponse) => void | Promise<void>;

export interface Stub {
  url: string;
  requests: Recorded[];
  /** Replaces the answer for the requests that follow (`undefined` restores the default). */
  override: Respond | undefined;
  close(): Promise<void>;
}

/** A stub backend that records every request (method, path, query, headers, body). */
export async function startStub(respond: Respond): Promise<Stub> {
  const stub: Stub = {
    url: '',
    requests: [],
    override: undefined,
    close: async () => {},
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stub.invalid');
    const recorded: Recorded = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    stub.requests.push(recorded);
    try {
      await (stub.override ?? respond)(recorded, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(text);
}

/** Answers that a test can switch a stub to. */
export const modes = {
  /** Never answers (until the stub closes). */
  hang: (): Respond => () => new Promise<void>(() => {}),
  /** A 1 MiB JSON body. */
  huge: (): Respond => (_req, res) => sendJson(res, 200, { blob: 'x'.repeat(1024 * 1024) }),
  /** A 1 MiB body sent chunked, with no Content-Length to check up front. */
  hugeChunked: (): Respond => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let i = 0; i < 64; i++) res.write('x'.repeat(16 * 1024));
    res.end();
  },
  redirect: (location: string): Respond => (_req, res) => {
    res.writeHead(302, { location, 'content-type': 'text/plain' });
    res.end('moved');
  },
  /** Echoes the request back, credentials included: what a debug page might do. */
  echo: (): Respond => (req, res) => sendJson(res, 200, { headers: req.headers, query: req.query.toString(), body: req.body }),
};

export const ALLOWED_ORIGIN = 'https://app.example.com';
export const FOREIGN_ORIGIN = 'https://evil.example.net';
export const SECRET = 'S3cr3t-Relay-Value-7f41c2a9e0';

export interface Seen {
  status: number;
  headers: Headers;
  text: string;
  // Parsed answer of any shape: tests read into it freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  ms: number;
}

/** Everything the "browser" saw and the relay logged, for the end-of-file secret sweep. */
export class Journal {
  readonly responses: Seen[] = [];
  readonly logs: RelayLogEntry[] = [];
  readonly log = (entry: RelayLogEntry) => {
    this.logs.push(entry);
  };

  /** Every byte the browser or the log saw, as one string. */
  everything(): string {
    const parts: string[] = [];
    for (const r of this.responses) {
      parts.push(String(r.status), r.text);
      r.headers.forEach((value, name) => parts.push(`${name}: ${value}`));
    }
    for (const entry of this.logs) parts.push(JSON.stringify(entry));
    return parts.join('\n');
  }
}

export interface CallInit {
  method?: string;
  origin?: string | null;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
  contentType?: string;
  clientAddress?: string;
}

type Handler = (request: Request, context?: { clientAddress?: string }) => Promise<Response>;

/** Calls the relay as a browser page at `origin` would, and records what came back. */
export async function call(journal: Journal, relay: Handler, path: string, init: CallInit = {}): Promise<Seen> {
  const headers = new Headers(init.headers);
  const origin = init.origin === undefined ? ALLOWED_ORIGIN : init.origin;
  if (origin !== null) headers.set('origin', origin);
  let body: string | undefined = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set('content-type', init.contentType ?? 'application/json');
  } else if (init.form !== undefined) {
    body = new URLSearchParams(init.form).toString();
    headers.set('content-type', init.contentType ?? 'application/x-www-form-urlencoded');
  } else if (init.contentType) {
    headers.set('content-type', init.contentType);
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  const request = new Request(`http://relay.test${path}`, { method, headers, body });
  const started = Date.now();
  const response = await relay(request, { clientAddress: init.clientAddress ?? '203.0.113.7' });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const seen: Seen = { status: response.status, headers: response.headers, text, json, ms: Date.now() - started };
  journal.responses.push(seen);
  return seen;
}

/** The relay's own error shape: `{ error, error_description }` and nothing else. */
export function isRelayError(seen: Seen, code: string): boolean {
  return (
    seen.headers.get('content-type')?.startsWith('application/json') === true &&
    seen.json?.error === code &&
    typeof seen.json?.error_description === 'string' &&
    Object.keys(seen.json).length === 2
  );
}

export function basic(id: string, secret: string): string {
  return Buffer.from(`${id}:${secret}`).toString('base64');
}
