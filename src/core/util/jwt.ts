/**
 * Reads a JWT's claims without verifying it. The browser cannot verify a signature it has no
 * reason to trust more than the TLS channel that delivered the token; we read `exp`, `sub`,
 * `nonce` and profile claims only, and the server that accepts the token verifies it.
 */
export type JwtClaims = Record<string, unknown> & {
  sub?: string;
  exp?: number;
  iat?: number;
  nonce?: string;
};

export function decodeJwt(token: string): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as JwtClaims) : null;
  } catch {
    return null;
  }
}
