/** Random, URL-safe strings and the PKCE S256 challenge, with WebCrypto only. */

export function randomString(bytes = 32): string {
  const data = new Uint8Array(bytes);
  crypto.getRandomValues(data);
  return base64url(data);
}

export function base64url(data: Uint8Array): string {
  let binary = '';
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RFC 7636 S256: BASE64URL(SHA-256(ASCII(code_verifier))). */
export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** A verifier of 43 characters (32 random bytes), the RFC's minimum length and plenty of entropy. */
export async function createPkce(): Promise<PkcePair> {
  const verifier = randomString(32);
  return { verifier, challenge: await pkceChallenge(verifier), method: 'S256' };
}
