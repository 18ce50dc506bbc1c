// A tiny static server on 127.0.0.1 for the built apps. Pages are made on request; any path
// that is not a built file or a page is an "API request" an app made: it is logged (the
// session-cost rows count them) and answered 404, except POST /api/refresh, which counts the
// fake provider's refreshes, and the Hanko stub under /hanko/ (hankoStub below).
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
    if (url.pathname.startsWith('/hanko/')) {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        state.api.push({ method: request.method ?? 'GET', path: url.pathname });
        const answer = hankoStub(request.method ?? 'GET', url, body);
        response.writeHead(answer ? 200 : 404, { ...headers, 'content-type': 'application/json' });
        response.end(JSON.stringify(answer ?? { code: 404, message: 'Not Found' }));
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

/**
 * Just enough of the Hanko API (its Flow API, as @teamhanko/hanko-frontend-sdk 2.x calls it) for
 * <hanko-auth>'s first view: the element starts the `login` flow with `POST /login`, which a real
 * Hanko answers with the `preflight` state; the SDK runs that state's one action,
 * `register_client_capabilities` (`POST <href>`, the WebAuthn support it found), and gets
 * `login_init`, whose `continue_with_login_identifier` action has one input, `identifier`: the
 * email/username field that counts as Hanko's first input. Anything else is a 404.
 */
function hankoStub(method: string, url: URL, body: string): object | null {
  if (method !== 'POST' || url.pathname !== '/hanko/login') return null;
  const action = (name: string, inputs: object | null) => ({ action: name, href: `/login?action=${name}@bench`, inputs, description: '' });
  if (!url.searchParams.has('action') && !body.includes('register_client_capabilities')) {
    const flag = (name: string) => ({ name, type: 'boolean', required: true, hidden: true });
    return {
      name: 'preflight',
      status: 200,
      payload: null,
      csrf_token: 'bench',
      actions: {
        register_client_capabilities: action('register_client_capabilities', {
          webauthn_available: flag('webauthn_available'),
          webauthn_conditional_mediation_available: flag('webauthn_conditional_mediation_available'),
          webauthn_platform_authenticator_available: flag('webauthn_platform_authenticator_available'),
        }),
      },
    };
  }
  return {
    name: 'login_init',
    status: 200,
    payload: {},
    csrf_token: 'bench',
    actions: { continue_with_login_identifier: action('continue_with_login_identifier', { identifier: { name: 'identifier', type: 'string', required: true, max_length: 255 } }) },
  };
}
