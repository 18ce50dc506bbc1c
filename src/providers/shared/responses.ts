import { AuthError, type AuthErrorCode, type HttpResponse } from '../../contract/index.js';

/**
 * What every backend's failure has in common, decided before its own codes are read: throttling
 * (with the wait), gateway errors and bodies that are not JSON at all (an HTML error page).
 * Returns null when the body is the backend's own error, for the adapter to map.
 */
export function transportFailure(response: HttpResponse): AuthError | null {
  const { status } = response;
  const retryAfter = Number(response.headers.get('retry-after'));
  const wait = Number.isFinite(retryAfter) && response.headers.has('retry-after') ? { retryAfter } : {};
  if (status === 429) return new AuthError('rate_limited', { status, ...wait });
  if (status === 503 && wait.retryAfter !== undefined) return new AuthError('rate_limited', { status, ...wait });
  if (typeof response.body !== 'object' || response.body === null) {
    return new AuthError('server', { status, providerCode: status >= 200 && status < 300 ? 'unreadable_answer' : undefined });
  }
  return null;
}

/** A last resort for an unknown backend code: blame the request on 4xx, the server otherwise. */
export function fallbackCode(status: number): AuthErrorCode {
  return status >= 400 && status < 500 ? 'invalid_request' : 'server';
}

export function readString(body: unknown, key: string): string | undefined {
  const value = (body as Record<string, unknown> | null | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}
