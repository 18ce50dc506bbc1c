// Secrets and tokens: password hashes, random tokens and codes, HS256 JWTs.
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Now } from './clock.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/** A slow KDF (scrypt, N = 2^14): stored as `scrypt$salt$hash`, never the password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: 16384, r: 8, p: 1 });
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/** Does the work of one password check and fails: an unknown account answers as slowly as a known one. */
export async function verifyNoPassword(password: string): Promise<false> {
  await verifyPassword(password, await (dummyHash ??= hashPassword(randomToken())));
  return false;
}

/** An opaque random token, optionally prefixed so a person can tell them apart in logs. */
export function randomToken(prefix = '', bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** A numeric one-time code of `digits` digits. */
export function randomCode(digits = 6): string {
  const max = 10 ** digits;
  return String(randomBytes(4).readUInt32BE() % max).padStart(digits, '0');
}

/** sha256 of a text: how a token or code is kept when only its holder should know it. */
export function sha256(value: string, encoding: 'hex' | 'base64url' = 'hex'): string {
  return createHash('sha256').update(value).digest(encoding);
}

/**
 * HS256 JWTs signed with a key made at start (tokens do not survive a restart's new key unless
 * `secret` is given). `now` dates what is signed and judges `exp` and `nbf` on verification.
 */
export function createJwt({ secret = randomBytes(32), now = Date.now }: { secret?: Uint8Array; now?: Now } = {}) {
  return {
    sign: (claims: JWTPayload, ttlSeconds: number, at = now()) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(Math.floor(at / 1000)).setExpirationTime(Math.floor(at / 1000) + ttlSeconds).sign(secret),
    verify: async (token: string): Promise<JWTPayload | null> => {
      try {
        return (await jwtVerify(token, secret, { algorithms: ['HS256'], currentDate: new Date(now()) })).payload;
      } catch {
        return null;
      }
    },
  };
}
