// The only place the relay calls fetch. The URL is the configured upstream plus a path constant
// from a backend module; redirects are never followed; bodies are read to a hard cap.
import type { Bytes, UpstreamCall, UpstreamResponse } from './backends/types.js';
import { RelayFailure } from './failure.js';

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Validates `options.upstream` and returns it without a trailing slash. Throws a TypeError. */
export function parseUpstream(value: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError('createRelay: upstream must be an absolute URL such as https://tenant.example.com.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new TypeError('createRelay: upstream must use https: (http: only for localhost/127.0.0.1/[::1]).');
  }
  if (url.username || url.password) throw new TypeError('createRelay: upstream must not carry a user name or password; use credentials.');
  if (url.search || url.hash) throw new TypeError('createRelay: upstream must not have a query or a fragment.');
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** Builds `upstream + path [+ query]` and proves it still points at the upstream. */
export function upstreamUrl(base: URL, call: Pick<UpstreamCall, 'path' | 'query'>): URL {
  if (!/^\/[A-Za-z0-9_\-./]*$/.test(call.path) || call.path.includes('//') || call.path.includes('..')) {
    throw new RelayFailure('server_error', 'The relay refused to build an upstream address.');
  }
  const prefix = base.pathname.replace(/\/+$/, ''); // '' for a bare origin (whose pathname reads '/')
  const url = new URL(base.href);
  url.pathname = `${prefix}${call.path}`;
  const query = call.query?.toString();
  url.search = query ? `?${query}` : '';
  if (url.origin !== base.origin || url.pathname !== `${prefix}${call.path}`) {
    throw new RelayFailure('server_error', 'The relay refused to build an upstream address.');
  }
  return url;
}

/** Maps a failed fetch or body read: the deadline → 504, anything else → 502. Never the error's text. */
export function transportFailure(error: unknown, signal: AbortSignal): unknown {
  if (error instanceof RelayFailure) return error;
  const reason = signal.aborted ? (signal.reason as { name?: string } | undefined) : undefined;
  if (reason?.name === 'TimeoutError' || (error as { name?: string })?.name === 'TimeoutError') {
    return new RelayFailure('upstream_timeout', 'The backend did not answer in time.');
  }
  if (signal.aborted) return error; // the browser went away: nothing to answer
  return new RelayFailure('bad_gateway', 'The backend could not be reached.');
}

export async function fetchUpstream(
  base: URL,
  call: UpstreamCall,
  options: { signal: AbortSignal; maxBytes: number },
): Promise<UpstreamResponse> {
  const url = upstreamUrl(base, call);
  try {
    const response = await fetch(url, {
      method: call.method,
      headers: call.headers,
      body: call.method === 'GET' ? undefined : call.body,
      redirect: 'manual',
      signal: options.signal,
    });
    // A runtime that filters manual redirects the browser way gives status 0: treat it as one.
    if (response.type === 'opaqueredirect' || response.status < 200 || response.status > 599) {
      await response.body?.cancel().catch(() => {});
      throw new RelayFailure('bad_gateway', 'The backend redirected somewhere the relay does not go.');
    }
    const body = await readCapped(response.body, options.maxBytes, Number(response.headers.get('content-length')), () =>
      new RelayFailure('bad_gateway', 'The backend answered with more data than the relay forwards.'),
    );
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    throw transportFailure(error, options.signal);
  }
}

/**
 * Reads a body stream to at most `max` bytes; past it, cancels the stream and throws `tooLarge()`.
 * `declared` is the Content-Length when known, checked before reading anything.
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  max: number,
  declared: number,
  tooLarge: () => RelayFailure,
): Promise<Bytes> {
  if (!stream) return new Uint8Array(0);
  if (Number.isFinite(declared) && declared > max) {
    await stream.cancel().catch(() => {});
    throw tooLarge();
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
