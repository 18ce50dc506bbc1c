// The relay's last line of defence: a backend that echoes the request (debug pages, error dumps)
// could hand back the credential the relay added, in any of the encodings a dump uses.
import { base64Bytes } from './backends/shared.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Secrets shorter than this are not searched for (they would match by chance). */
const MIN_SECRET = 6;
/** Nested escaping (JSON in JSON, a doubly percent-encoded query) unwrapped this many times. */
const UNWRAP_DEPTH = 3;

/**
 * Whether `body` or a header value carries one of `secrets`: as it is; JSON-escaped (`\uXXXX`,
 * `\/`, …), percent-encoded or form-encoded, each possibly nested; or in base64 (standard or
 * URL-safe, at each of the three byte alignments, so also inside a larger base64 blob such as an
 * encoded request dump, with or without line breaks).
 */
export function leaksSecret(body: Uint8Array, headerValues: readonly string[], secrets: readonly string[]): boolean {
  const candidates = secrets.filter((s) => s.length >= MIN_SECRET);
  if (candidates.length === 0) return false;
  const views = decodedViews([decoder.decode(body), ...headerValues]);
  const needles = new Set<string>();
  for (const secret of candidates) {
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)])) {
      needles.add(form);
      for (const b64 of base64Fragments(form)) needles.add(b64);
    }
  }
  return views.some((text) => [...needles].some((needle) => text.includes(needle)));
}

/** The texts, and what JSON unescaping and percent-decoding make of them, nested; plus each without whitespace. */
function decodedViews(texts: string[]): string[] {
  const views = new Set<string>();
  let frontier = texts;
  for (let depth = 0; depth <= UNWRAP_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const text of frontier) {
      if (views.has(text)) continue;
      views.add(text);
      next.push(jsonUnescape(text), percentDecode(text));
    }
    frontier = next;
  }
  // Base64 in a dump is often wrapped at 76 characters.
  for (const view of [...views]) if (/\s/.test(view)) views.add(view.replace(/\s+/g, ''));
  return [...views];
}

/** `\uXXXX`, `\/`, `\"`, `\\` and the one-letter escapes, decoded; anything else left alone. */
function jsonUnescape(text: string): string {
  if (!text.includes('\\')) return text;
  const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (_m, hex: string | undefined, c: string | undefined) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : simple[c!]!,
  );
}

/** `%XX` sequences decoded as UTF-8 (`+` as a space too, as forms write it); malformed ones left alone. */
function percentDecode(text: string): string {
  if (!/%[0-9a-fA-F]{2}|\+/.test(text)) return text;
  return text.replace(/\+/g, ' ').replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  });
}

/**
 * The part of base64(… + secret + …) that is the same whatever bytes surround the secret, for
 * each of the 3 offsets the secret can start at within a 3-byte group, in both alphabets.
 */
function base64Fragments(secret: string): string[] {
  const bytes = encoder.encode(secret);
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = base64Bytes(padded).replace(/=+$/, '');
    // Leading characters hold bits of the unknown bytes before; so does the last one if the
    // secret ends inside a group.
    const head = [0, 2, 3][offset]!;
    const tail = padded.length % 3 === 0 ? 0 : 1;
    const fragment = encoded.slice(head, encoded.length - tail);
    if (fragment.length >= MIN_SECRET) out.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}
