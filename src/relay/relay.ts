// The relay handler: origin check, allowlist, limits, forwarding, and the answer back.
// Standard fetch API only (Request, Response, Headers, fetch, AbortSignal), so it runs in Node,
// Deno, Bun and workers alike.
import { addressKey } from './address.js';
import { identifierKeys } from './backends/identifiers.js';
import { createBackend } from './backends/index.js';
import type { Backend, BackendContext, Route, UpstreamCall, UpstreamResponse } from './backends/types.js';
import { checkOrigin, corsHeaders, parseOrigins, preflightHeaders } from './cors.js';
import { JSON_TYPE, RelayFailure, failureBody } from './failure.js';
import { leaksSecret } from './leak.js';
import { Limiter, resolveLimits, type RequestNotes } from './limits.js';
import { clientAddressOf, readBody } from './request.js';
import type { RelayContext, RelayHandler, RelayLogEntry, RelayOptions } from './types.js';
import { fetchUpstream, parseUpstream, upstreamUrl } from './upstream.js';
import { anySignal } from '../core/util/http.js';

/** Request headers any route forwards (content-type is set by the relay from the checked body). */
const BASE_HEADERS = ['accept', 'accept-language'] as const;
const NO_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * Creates the relay for one backend: a standard fetch handler to mount on your own server.
 * It forwards only that backend's allowlisted browser calls to `upstream`, adds the server-side
 * credential, answers CORS for `allowedOrigins` only, and enforces body, rate and time limits.
 * Pass the real client address as the second argument (`toNodeHandler` does it for node:http).
 *
 * @example
 * const relay = createRelay({
 *   provider: 'tencent-ciam',
 *   upstream: 'https://sample.portal.tencentciam.com',
 *   credentials: { clientId: process.env.CIAM_CLIENT_ID!, clientSecret: process.env.CIAM_CLIENT_SECRET! },
 *   allowedOrigins: ['https://app.example.com'],
 *   basePath: '/auth-relay',
 * });
 * Deno.serve(relay); // or: export default { fetch: relay }; or http.createServer(toNodeHandler(relay))
 */
export function createRelay(options: RelayOptions): RelayHandler {
  if (!options || typeof options !== 'object') throw new TypeError('createRelay: options are required.');
  const backend = createBackend(options);
  const upstream = parseUpstream(options.upstream);
  const origins = parseOrigins(options.allowedOrigins);
  const basePath = parseBasePath(options.basePath);
  const limits = resolveLimits(options.limits);
  const log = typeof options.log === 'function' ? options.log : undefined;
  const limiter = new Limiter(limits, options.limits?.store);
  const routesByPath = new Map<string, Route[]>();
  for (const route of backend.routes) routesByPath.set(route.path, [...(routesByPath.get(route.path) ?? []), route]);

  async function handle(request: Request, context: RelayContext | undefined, seen: Seen): Promise<Response> {
    const url = new URL(request.url);
    seen.path = url.pathname;
    const origin = checkOrigin(request, origins);
    if (!origin.ok) return errorResponse(new RelayFailure('origin_not_allowed', 'This origin may not use the relay.'), null);
    const allowOrigin = origin.origin;

    const relative = basePath === '' ? url.pathname : url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : undefined;
    if (relative !== undefined) seen.path = relative;
    // The URL parser has resolved dot segments; what is left must equal a path constant exactly,
    // so `%2f`, `//`, a URL or any suffix in the path never match. Upstream gets the constant.
    const routes = relative === undefined ? undefined : routesByPath.get(relative);
    if (!routes) return errorResponse(new RelayFailure('not_found', 'The relay does not forward this path.'), allowOrigin);

    const methods = routes.map((r) => r.method);
    if (request.method === 'OPTIONS') {
      const allowed = [...new Set(['content-type', ...BASE_HEADERS, ...backend.headers, ...routes.flatMap((r) => r.headers ?? [])])];
      return new Response(null, { status: 204, headers: preflightHeaders(allowOrigin, methods, allowed) });
    }
    const route = routes.find((r) => r.method === request.method);
    if (!route) {
      return errorResponse(new RelayFailure('method_not_allowed', 'This path takes another method.', { allow: methods.join(', ') }), allowOrigin);
    }

    const deadline: { timeout?: AbortSignal } = {};
    try {
      return await forward(request, context, route, url, allowOrigin, deadline, seen);
    } catch (error) {
      if (error instanceof RelayFailure) return errorResponse(error, allowOrigin);
      if (deadline.timeout?.aborted) return errorResponse(new RelayFailure('upstream_timeout', 'The backend did not answer in time.'), allowOrigin);
      if (request.signal.aborted) return new Response(null, { status: 499 }); // the browser left; nobody reads this
      return errorResponse(new RelayFailure('server_error', 'The relay could not handle the request.'), allowOrigin);
    }
  }

  async function forward(
    request: Request,
    context: RelayContext | undefined,
    route: Route,
    url: URL,
    allowOrigin: string | null,
    deadline: { timeout?: AbortSignal },
    notes: RequestNotes,
  ): Promise<Response> {
    const clientAddress = clientAddressOf(request, context);
    // Without an address every caller shares one bucket: pass `{ clientAddress }` (README).
    const addressBucket = clientAddress === undefined ? 'unknown' : addressKey(clientAddress);
    await limiter.client(route.kind, addressBucket, notes);

    const body = await readBody(request, route, limits.maxBodyBytes);
    // Checked before counting: a request the relay refuses is no attempt on anyone.
    const rewritten = route.prepare?.(body);
    const ticket = route.kind === 'other' ? [] : await limiter.identifiers(route.kind, identifierKeys(route.identifier, body), addressBucket, notes);

    const headers = new Headers();
    for (const name of [...BASE_HEADERS, ...backend.headers, ...(route.headers ?? [])]) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    if (route.body !== 'none') headers.set('content-type', rewritten?.contentType ?? body.contentType ?? '');
    let query: URLSearchParams | undefined;
    if (route.query) {
      query = new URLSearchParams();
      for (const name of route.query) for (const value of url.searchParams.getAll(name)) query.append(name, value);
    }
    const call: UpstreamCall = {
      method: route.method,
      path: route.path,
      query,
      headers,
      body: route.body === 'none' ? undefined : (rewritten?.raw ?? body.raw),
    };

    // The upstream deadline starts once the body is in: a slow upload does not eat into it.
    deadline.timeout = AbortSignal.timeout(limits.timeoutMs);
    const signal = anySignal([deadline.timeout, request.signal]);
    const ctx: BackendContext = {
      fetch: (c, s) => fetchUpstream(upstream, c, { signal: s ?? signal, maxBytes: limits.maxResponseBytes }),
      signal,
      timeoutSignal: () => AbortSignal.timeout(limits.timeoutMs),
      clientAddress,
    };
    let answer = await backend.send(call, ctx);
    if (route.after) answer = await route.after(answer, body, ctx);
    // Only failed sign-ins count against a person: one the backend accepted is taken back.
    if (ticket.length > 0 && backend.signInAccepted(answer)) await limiter.accepted(ticket, notes);
    return reply(answer, call, allowOrigin, backend);
  }

  function reply(answer: UpstreamResponse, call: UpstreamCall, allowOrigin: string | null, b: Backend): Response {
    const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...corsHeaders(allowOrigin) };
    const contentType = answer.headers.get('content-type');
    if (contentType) headers['content-type'] = contentType;
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter) headers['retry-after'] = retryAfter;
    if (answer.status >= 300 && answer.status < 400) {
      // Never a redirect off the upstream: the browser would follow it anywhere.
      const location = answer.headers.get('location');
      let target: URL | undefined;
      try {
        target = location ? new URL(location, upstreamUrl(upstream, call)) : undefined;
      } catch {
        target = undefined;
      }
      if (!target || target.origin !== upstream.origin) throw new RelayFailure('bad_gateway', 'The backend redirected somewhere the relay does not go.');
      headers.location = target.href;
    }
    if (leaksSecret(answer.body, Object.values(headers), b.secrets())) {
      throw new RelayFailure('bad_gateway', 'The backend answer was withheld.');
    }
    const body = NO_BODY_STATUS.has(answer.status) ? null : answer.body;
    return new Response(body, { status: answer.status, headers });
  }

  return async function relay(request: Request, context?: RelayContext): Promise<Response> {
    const started = Date.now();
    const seen: Seen = { path: '' };
    let response: Response;
    try {
      response = await handle(request, context, seen);
    } catch {
      // Only a bad `request` gets here (no URL): answer without reading anything from it.
      response = errorResponse(new RelayFailure('invalid_request', 'The request could not be read.'), null);
    }
    if (log) {
      try {
        const entry: RelayLogEntry = { method: String(request?.method ?? '').slice(0, 16), path: seen.path.slice(0, 200), status: response.status, durationMs: Date.now() - started };
        if (seen.message) entry.message = seen.message;
        log(entry);
      } catch {
        // a logger that throws must not turn an answer into a failure
      }
    } else if (seen.message) {
      console.error(`auth-elements relay: ${seen.message}`);
    }
    return response;
  };
}

/** What the log line of one request says: its path below basePath, and a note from the limiter. */
interface Seen extends RequestNotes {
  path: string;
}

function errorResponse(failure: RelayFailure, allowOrigin: string | null): Response {
  return new Response(failureBody(failure), {
    status: failure.status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...corsHeaders(allowOrigin), ...failure.headers },
  });
}

function parseBasePath(value: unknown): string {
  if (value === undefined || value === '' || value === '/') return '';
  const path = String(value).replace(/\/+$/, '');
  if (!/^(?:\/[A-Za-z0-9_\-.~]+)+$/.test(path) || /\/\.\.?(?:\/|$)/.test(path)) {
    throw new TypeError('createRelay: basePath must look like "/auth-relay" (plain path segments, no trailing slash needed).');
  }
  return path;
}
