// CORS for the reference server: only configured origins (and, with `loopback`, any page of this
// machine: loopback.ts) may read responses, preflights included. Requests without an Origin
// header (curl, the relay, Node tests) are served as is.
// A request with a foreign Origin is refused outright (403), not merely left without
// Access-Control-Allow-Origin: some emulated endpoints take form-encoded POSTs, which a browser
// sends cross-origin without a preflight, and a foreign page must not be able to trigger them.

import { isLoopbackOrigin } from './loopback.js';

export const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'authorization, content-type, accept, x-requested-with';
/** Response headers a script may read without being listed in Access-Control-Expose-Headers. */
const SAFELISTED = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']);
const TOKEN_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

export type OriginKind = 'none' | 'allowed' | 'foreign';

export interface Cors {
  classify(origin: string | null): OriginKind;
  /** The answer to an OPTIONS request (a preflight when it carries Origin). */
  preflight(requestHeaders: Headers): { status: number; headers: Headers; body: string };
  /** Adds the CORS headers of an actual (non-preflight) response. */
  decorate(responseHeaders: Headers, origin: string | null): void;
}

export const normalizeOrigin = (origin: string) => origin.trim().replace(/\/+$/, '').toLowerCase();

function addVary(headers: Headers, ...names: string[]) {
  const current = (headers.get('vary') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (current.includes('*')) return;
  for (const name of names) if (!current.some((c) => c.toLowerCase() === name.toLowerCase())) current.push(name);
  headers.set('vary', current.join(', '));
}

export function createCors(allowedOrigins: Iterable<string>, options: { loopback?: boolean } = {}): Cors {
  const allowed = new Set([...allowedOrigins].map(normalizeOrigin));
  const classify = (origin: string | null): OriginKind =>
    origin === null ? 'none' : allowed.has(normalizeOrigin(origin)) || (options.loopback === true && isLoopbackOrigin(origin)) ? 'allowed' : 'foreign';

  return {
    classify,
    preflight(requestHeaders) {
      const origin = requestHeaders.get('origin');
      const headers = new Headers({ 'cache-control': 'no-store' });
      addVary(headers, 'Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers');
      const kind = classify(origin);
      if (kind === 'foreign') {
        headers.set('content-type', 'application/json; charset=utf-8');
        return { status: 403, headers, body: JSON.stringify({ error: 'origin_not_allowed', message: `Origin ${origin} is not allowed by this reference server.` }) };
      }
      headers.set('allow', ALLOWED_METHODS);
      if (kind === 'allowed') {
        headers.set('access-control-allow-origin', origin!);
        headers.set('access-control-allow-credentials', 'true');
        headers.set('access-control-allow-methods', ALLOWED_METHODS);
        const asked = requestHeaders.get('access-control-request-headers')?.trim();
        headers.set('access-control-allow-headers', asked && TOKEN_LIST.test(asked) ? asked : DEFAULT_ALLOWED_HEADERS);
        headers.set('access-control-max-age', '600');
        if (requestHeaders.get('access-control-request-private-network') === 'true') headers.set('access-control-allow-private-network', 'true');
      }
      return { status: 204, headers, body: '' };
    },
    decorate(responseHeaders, origin) {
      addVary(responseHeaders, 'Origin');
      if (classify(origin) !== 'allowed') return;
      responseHeaders.set('access-control-allow-origin', origin!);
      responseHeaders.set('access-control-allow-credentials', 'true');
      const expose = new Set<string>();
      responseHeaders.forEach((_value, name) => {
        const lower = name.toLowerCase();
        if (!SAFELISTED.has(lower) && lower !== 'set-cookie' && !lower.startsWith('access-control-') && lower !== 'vary') expose.add(lower);
      });
      if (expose.size) responseHeaders.set('access-control-expose-headers', [...expose].join(', '));
    },
  };
}
