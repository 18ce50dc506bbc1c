// A tiny static server on 127.0.0.1 for the built apps. Pages are made on request; any path
// that is not a built file or a page is an "API request" an app made: it is logged (the
// session-cost rows count them) and answered 404, except POST /api/refresh, which counts the
// fake provider's refreshes.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';

export interface BenchServer {
  origin: string;
  /** Requests that were neither a page nor a built file, since the last reset. */
  api: Array<{ method: string; path: string }>;
  refreshes: number;
  /** The refresh token each refresh spent, in order: a token spent twice is a duplicate refresh. */
  spent: string[];
  reset(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8' };

export async function startServer(scratch: string, pages: Map<string, (origin: string) => string>): Promise<BenchServer> {
  let origin = '';
  const state: BenchServer = {
    origin: '',
    api: [],
    refreshes: 0,
    spent: [],
    reset() {
      state.api = [];
      state.refreshes = 0;
      state.spent = [];
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const headers = { 'cache-control': 'no-store' };
    const page = /^\/([\w-]+)\/index\.html$/.exec(url.pathname)?.[1];
    if (request.method === 'GET' && page && pages.has(page)) {
      response.writeHead(200, { ...headers, 'content-type': TYPES['.html']! });
      response.end(pages.get(page)!(origin));
      return;
    }
    const file = resolve(scratch, `.${decodeURIComponent(url.pathname)}`);
    if (request.method === 'GET' && file.startsWith(scratch + sep) && existsSync(file) && statSync(file).isFile()) {
      response.writeHead(200, { ...headers, 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' });
      createReadStream(file).pipe(response);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/api/refresh') {
      const n = ++state.refreshes;
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        state.spent.push(body);
        response.writeHead(200, { ...headers, 'content-type': 'application/json' });
        response.end(JSON.stringify({ n }));
      });
      return;
    }
    request.resume();
    state.api.push({ method: request.method ?? 'GET', path: url.pathname });
    response.writeHead(404, { ...headers, 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    response.end('{"error":"not_found"}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.origin = origin;
  return state;
}
