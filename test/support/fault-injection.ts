// Fault injection on the client's side of the wire, for the fault matrix: a `fetch` for the
// client's `http` options that passes every request through to the real server, except the one
// request a test names, which it sends to a local fault server instead. The fault server answers
// as a broken backend or proxy would, over a real socket: a 500, an nginx 502 page, a 429 with
// Retry-After, no answer at all (timeout), a reset connection, truncated JSON, an empty body, or
// a 200 that carries an error.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const FAULTS = ['500', '502 html', '429 retry-after', 'timeout', 'reset', 'truncated json', 'empty body', '200 error body'] as const;
export type Fault = (typeof FAULTS)[number];

/** The Retry-After (seconds) of the 429 fault: short enough that the http layer retries a GET after it. */
export const RETRY_AFTER = 7;

const NGINX_502 = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';

export interface FaultServer {
  url: string;
  close(): Promise<void>;
}

/** Answers `/{fault}` as that fault; `/200 error body?body=…` with the given JSON. */
export async function startFaultServer(): Promise<FaultServer> {
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  const server = createServer(async (req, res) => {
    for await (const _ of req) void _; // drain the request first
    const url = new URL(req.url ?? '/', 'http://faults.invalid');
    const fault = decodeURIComponent(url.pathname.slice(1)) as Fault;
    const json = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    switch (fault) {
      case '500':
        return json(500, '{"error":"server_error","error_description":"Internal error"}');
      case '502 html':
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end(NGINX_502);
      case '429 retry-after':
        return json(429, '{"error":"too_many_requests"}', { 'retry-after': String(RETRY_AFTER) });
      case 'timeout':
        held.add(res); // never answered: the client's timeout has to end it
        return;
      case 'reset':
        return req.socket.destroy();
      case 'truncated json':
        return json(200, '{"access_token":"truncated-token","token_type":"Bearer","expires_in":36');
      case 'empty body':
        return json(200, '');
      case '200 error body':
        return json(200, url.searchParams.get('body') ?? '{}');
      default:
        return json(404, '{"error":"unknown_fault"}');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Injection {
  /** Requests to exactly this URL (origin and path; any query) get the fault. */
  target: string;
  fault: Fault;
  /** The backend's own error envelope, for the `200 error body` fault. */
  errorBody: string;
}

/**
 * A `fetch` that sends what matches the armed injection to the fault server and everything else
 * on (with the page's Origin, as a browser adds it and the relay checks it). `hits` counts the
 * requests the target received.
 */
export function faultyFetch(faults: FaultServer, origin: string) {
  const state = { armed: null as Injection | null, hits: 0 };
  const fetchWithFaults: typeof fetch = (input, init = {}) => {
    const url = String(input);
    const headers = new Headers(init.headers);
    headers.set('origin', origin);
    const armed = state.armed;
    if (armed && url.split('?')[0] === armed.target) {
      state.hits++;
      const query = armed.fault === '200 error body' ? `?body=${encodeURIComponent(armed.errorBody)}` : '';
      return fetch(`${faults.url}/${encodeURIComponent(armed.fault)}${query}`, { ...init, headers });
    }
    return fetch(input, { ...init, headers });
  };
  return { fetch: fetchWithFaults, state };
}
