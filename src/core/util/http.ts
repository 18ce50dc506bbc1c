import { AuthError, type Http, type HttpRequest, type HttpResponse } from '../../contract/index.js';
import { abortableSleep } from './sleep.js';


export interface HttpOptions {
  timeout: number;
  /** Attempts in all, including the first. */
  attempts: number;
  /** Base and cap of the exponential backoff, in ms. */
  backoff: { base: number; cap: number };
  /** The longest `Retry-After` (seconds) the client waits on its own before giving up. */
  maxRetryAfter: number;
  /** Responses larger than this many bytes are refused. */
  maxBytes: number;
  fetch?: typeof fetch;
  /** For tests: replaces `setTimeout`-based sleeping and `Math.random`. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const defaultHttpOptions: HttpOptions = {
  timeout: 15_000,
  attempts: 3,
  backoff: { base: 300, cap: 5_000 },
  maxRetryAfter: 10,
  maxBytes: 1_000_000,
};

/**
 * The only door to the network. Every call gets a timeout and an abort signal; safe calls are
 * retried with full-jitter backoff; `Retry-After` is honoured; nothing but `AuthError` escapes.
 * An HTTP error status is not an exception here: the provider reads the body and maps it.
 */
export function createHttp(overrides: Partial<HttpOptions> = {}): Http {
  const options = { ...defaultHttpOptions, ...overrides };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;

  return async function http(request) {
    const method = request.method ?? (request.body === undefined ? 'GET' : 'POST');
    const retry = request.retry ?? method === 'GET';
    const attempts = retry ? Math.max(1, options.attempts) : 1;
    for (let attempt = 0; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await once(request, method, options);
      } catch (error) {
        const failure = error as AuthError;
        if (failure.code !== 'network' || attempt + 1 >= attempts) throw failure;
        await sleep(backoff(attempt, options, random), request.signal).catch(() => {
          throw new AuthError('cancelled');
        });
        continue;
      }
      if (response.status !== 429 && response.status !== 503) return response;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      const last = attempt + 1 >= attempts;
      if (!retry || last || (retryAfter !== undefined && retryAfter > options.maxRetryAfter)) {
        // Hand the response to the provider, which maps the body; the wait travels with it.
        return withRetryAfter(response, retryAfter);
      }
      const wait = Math.max(retryAfter === undefined ? 0 : retryAfter * 1000, backoff(attempt, options, random));
      await sleep(wait, request.signal).catch(() => {
        throw new AuthError('cancelled');
      });
    }
  };
}

async function once(request: HttpRequest, method: string, options: HttpOptions): Promise<HttpResponse> {
  const signals = [AbortSignal.timeout(request.timeout ?? options.timeout)];
  if (request.signal) signals.push(request.signal);
  const signal = anySignal(signals);
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: BodyInit | undefined;
  if (request.body instanceof URLSearchParams) {
    body = request.body;
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (typeof request.body === 'string') {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    res = await doFetch(request.url, { method, headers, body, signal, credentials: 'omit', redirect: 'follow' });
  } catch (error) {
    throw transportError(error, request.signal);
  }
  let text: string;
  try {
    text = await readCapped(res, options.maxBytes);
  } catch (error) {
    throw error instanceof AuthError ? error : transportError(error, request.signal);
  }
  return { status: res.status, headers: res.headers, body: parseJson(text, res.headers), text };
}

function transportError(error: unknown, callerSignal?: AbortSignal): AuthError {
  const name = (error as Error)?.name;
  if (callerSignal?.aborted) return new AuthError('cancelled', { cause: error });
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new AuthError('timeout', { cause: error });
  }
  return new AuthError('network', { cause: error });
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge(res.status);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(res.status);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

function tooLarge(status: number) {
  return new AuthError('server', { status, providerCode: 'answer_too_large' });
}

function parseJson(text: string, headers: Headers): unknown {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const type = headers.get('content-type') ?? '';
  // An HTML error page from a proxy or gateway is not JSON even when it says so.
  if (!/json/i.test(type) && !/^[[{]/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed, withoutShadows);
  } catch {
    return undefined;
  }
}

/**
 * Own `toString`, `valueOf` or `__proto__` in an answer would shadow what every object inherits:
 * `Number(body.expires_in)` on `{"valueOf":0,"toString":0}` throws a TypeError instead of
 * giving NaN. No backend names a field so; they are dropped before an adapter sees the body.
 */
function withoutShadows(key: string, value: unknown): unknown {
  return key === 'toString' || key === 'valueOf' || key === '__proto__' ? undefined : value;
}

/** Seconds from a `Retry-After` header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function withRetryAfter(response: HttpResponse, retryAfter: number | undefined): HttpResponse {
  if (retryAfter === undefined) return response;
  const headers = new Headers(response.headers);
  headers.set('retry-after', String(retryAfter));
  return { ...response, headers };
}

/** Full jitter: a random wait between 0 and the exponential ceiling. */
function backoff(attempt: number, options: HttpOptions, random: () => number): number {
  const ceiling = Math.min(options.backoff.cap, options.backoff.base * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** `AbortSignal.any` where it exists (not in WebKitGTK before 2.44), else a small stand-in. */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any.call(AbortSignal, signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
