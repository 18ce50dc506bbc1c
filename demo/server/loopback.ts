// Development convenience: a page served from this machine (127.0.0.1, localhost or [::1], any
// port) may use the local servers, so a page of your own works without configuring anything.
// Every other origin is still refused. The servers bind 127.0.0.1 only, so nothing off this
// machine can reach them in the first place.

const HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL when `value` is an http(s) URL on a loopback host, else null. */
function loopback(value: string | null | undefined): URL | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && HOSTS.has(url.hostname) ? url : null;
}

/** `http(s)://127.0.0.1|localhost|[::1][:port]`, exactly as a browser sends it in `Origin`. */
export function isLoopbackOrigin(origin: string | null | undefined): boolean {
  const url = loopback(origin);
  return url !== null && url.origin === origin!.toLowerCase();
}

/**
 * A redirect URI on a loopback host, any port and path (RFC 8252 §7.3 lets a native app's
 * loopback redirect take any port; the local servers extend that to any page of this machine).
 * No user info and no fragment, as OAuth requires of every redirect URI.
 */
export function isLoopbackUrl(value: string | null | undefined): boolean {
  const url = loopback(value);
  return url !== null && !url.username && !url.password && !value!.includes('#');
}
