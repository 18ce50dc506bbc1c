// Reading what the browser sent: its address and its body (capped, type-checked, parsed).
import { normalizeAddress } from './address.js';
import type { ParsedBody, Route } from './backends/types.js';
import { RelayFailure } from './failure.js';
import type { RelayContext } from './types.js';
import { readCapped } from './upstream.js';

const encoder = new TextEncoder();
const MEDIA_TYPE = { json: 'application/json', form: 'application/x-www-form-urlencoded' } as const;

/** The client address from the handler's second argument (ours, Deno's or Bun's). */
export function clientAddressOf(request: Request, context: RelayContext | undefined): string | undefined {
  if (!context || typeof context !== 'object') return undefined;
  if (context.clientAddress !== undefined) return normalizeAddress(context.clientAddress);
  const deno = context.remoteAddr?.hostname;
  if (typeof deno === 'string') return normalizeAddress(deno);
  if (typeof context.requestIP === 'function') {
    try {
      return normalizeAddress(context.requestIP(request)?.address);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Reads and parses the body a route accepts: 415 for another type, 413 past the cap, 400 if malformed. */
export async function readBody(request: Request, route: Route, maxBytes: number): Promise<ParsedBody> {
  if (route.body === 'none') return { type: 'none', raw: new Uint8Array(0) };
  // Forwarded as the bare media type: the body is UTF-8 (checked below) and JSON is re-serialized.
  const contentType = MEDIA_TYPE[route.body];
  if ((request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== contentType) {
    throw new RelayFailure('unsupported_media_type', `This path takes ${MEDIA_TYPE[route.body]}.`);
  }
  const raw = await readCapped(request.body, maxBytes, Number(request.headers.get('content-length')), () =>
    new RelayFailure('payload_too_large', `The request body is larger than ${maxBytes} bytes.`),
  );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new RelayFailure('invalid_request', 'The request body is not UTF-8.');
  }
  if (route.body === 'form') {
    const form = new URLSearchParams(text);
    // A repeated identifier could name one person to the rate limit and another to the backend.
    for (const name of Object.keys(route.identifier?.fields ?? {})) {
      if (form.getAll(name).length > 1) throw new RelayFailure('invalid_request', `The field ${name} appears more than once.`);
    }
    return { type: 'form', raw, contentType, form };
  }
  if (text.trim() === '') return { type: 'json', raw, contentType, json: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RelayFailure('invalid_request', 'The request body is not valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RelayFailure('invalid_request', 'The request body must be a JSON object.');
  }
  // Forward the object as parsed, not the received bytes: with duplicate keys the backend's
  // parser might otherwise read another identifier than the one that was rate limited.
  return { type: 'json', raw: encoder.encode(JSON.stringify(json)), contentType, json: json as Record<string, unknown> };
}
