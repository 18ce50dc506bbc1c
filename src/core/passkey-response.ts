// How the site's passkey service answers, read the same way by the ceremonies (a chunk of their
// own) and the passkey list of <auth-profile>: a module of its own, so that neither pulls in the other.
import { AuthError, type HttpResponse } from '../contract/index.js';
import { parseRetryAfter } from './util/http.js';

export type Ceremony = 'registration' | 'authentication';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `AuthError` of a non-2xx answer of the passkey service. Bodies follow the reference
 * server: `{ verified: false, error, message? }`.
 */
export function responseError(response: HttpResponse, ceremony: Ceremony): AuthError {
  const body = isObject(response.body) ? response.body : {};
  const providerCode = typeof body.error === 'string' ? body.error : undefined;
  const init = { providerCode, status: response.status };
  const { status } = response;
  if (status === 429 || status === 503) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    return new AuthError(status === 429 || retryAfter !== undefined ? 'rate_limited' : 'server', { ...init, retryAfter });
  }
  // Registration needs the session: a refused bearer means the session is over.
  if (status === 401 || status === 403) return new AuthError(ceremony === 'registration' ? 'session_expired' : 'invalid_credentials', init);
  if (status >= 500) return new AuthError('server', init);
  // A passkey the server does not know or could not verify: the sign-in details are wrong.
  if (ceremony === 'authentication' && status < 500) return new AuthError('invalid_credentials', init);
  return new AuthError('invalid_request', init);
}
