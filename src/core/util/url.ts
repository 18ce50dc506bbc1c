import { AuthError } from '../../contract/index.js';

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`: hosts that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The address the browser may be sent to, normalized as the browser would read it: https, or
 * http on a loopback host (development). Anything else — `javascript:`, `data:`, plain http
 * to another machine, a string that is no URL — is a `config` error (`unsafe_url`), because a
 * backend answer or a discovery document is not allowed to run script in the site's origin.
 */
export function navigableUrl(value: unknown): string {
  const url = parse(value);
  const safe = url && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
  if (!url || !safe) throw new AuthError('config', { providerCode: 'unsafe_url' });
  return url.href;
}

function parse(value: unknown): URL | null {
  if (typeof value !== 'string') return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
