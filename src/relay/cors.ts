// CORS for the configured page origins only. No credentials mode: the relay sets and reads no
// cookies, so `Access-Control-Allow-Credentials` is never sent.

/** Decides whether a page origin (serialized: `scheme://host[:port]`, lower case) may call the relay. */
export type OriginMatcher = (origin: string) => boolean;

/**
 * Validates `allowedOrigins`: a list of origins, or a function that decides per origin (it is
 * given only well-formed http(s) origins, and a throw counts as "no"). Throws a TypeError.
 */
export function parseOrigins(values: unknown): OriginMatcher {
  if (typeof values === 'function') {
    const decide = values as (origin: string) => unknown;
    return (origin) => {
      try {
        return decide(origin) === true;
      } catch {
        return false;
      }
    };
  }
  if (!Array.isArray(values) || values.length === 0) {
    throw new TypeError('createRelay: allowedOrigins must list at least one page origin, e.g. ["https://app.example.com"], or be a function of the origin.');
  }
  const origins = new Set<string>();
  for (const value of values) {
    let url: URL | undefined;
    try {
      url = new URL(String(value));
    } catch {
      url = undefined;
    }
    const bare = String(value).replace(/\/$/, '');
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== bare.toLowerCase()) {
      throw new TypeError(`createRelay: ${JSON.stringify(String(value)).slice(0, 80)} is not an origin (scheme://host[:port], no path, no wildcard).`);
    }
    origins.add(url.origin);
  }
  return (origin) => origins.has(origin);
}

/** The `Origin` header as a serialized http(s) origin in lower case, or null when it is not one. */
function serializedOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.origin === value.toLowerCase() ? url.origin : null;
}

export type OriginCheck = { ok: true; origin: string | null } | { ok: false };

/**
 * An allowed `Origin`, or none at all on a same-origin request (browsers omit Origin on
 * same-origin GETs, and say so in `Sec-Fetch-Site`). A missing Origin without that proof is
 * refused: it is not a page of an allowed origin.
 */
export function checkOrigin(request: Request, allowed: OriginMatcher): OriginCheck {
  const origin = request.headers.get('origin');
  if (origin === null) {
    return request.headers.get('sec-fetch-site') === 'same-origin' ? { ok: true, origin: null } : { ok: false };
  }
  const serialized = serializedOrigin(origin);
  return serialized !== null && allowed(serialized) ? { ok: true, origin } : { ok: false };
}

/** Headers on every answer to an allowed cross-origin request. */
export function corsHeaders(origin: string | null): Record<string, string> {
  if (!origin) return {};
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'Retry-After', vary: 'Origin' };
}

export function preflightHeaders(origin: string | null, methods: readonly string[], headers: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {
    'access-control-allow-methods': methods.join(', '),
    'access-control-allow-headers': headers.join(', '),
    'access-control-max-age': '600',
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    'cache-control': 'no-store',
  };
  if (origin) out['access-control-allow-origin'] = origin;
  return out;
}
