// Reading what the browser sent: its address, its body (capped, type-checked, parsed) and the
// identifier a rate limit is keyed on.
import { field } from './backends/shared.js';
import type { ParsedBody, Route } from './backends/types.js';
import { RelayFailure } from './failure.js';
import { normalizeIdentifier } from './rate-limit.js';
import type { RelayContext } from './types.js';
import { readCapped } from './upstream.js';

const encoder = new TextEncoder();
const MEDIA_TYPE = { json: 'application/json', form: 'application/x-www-form-urlencoded' } as const;

/** An IP address we are willing to put in a header: IPv4 or IPv6 text, v4-mapped form unwrapped. */
export function normalizeAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let address = value.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (/^::ffff:\d{1,3}(?:\.\d{1,3}){3}$/i.test(address)) address = address.slice(7);
  return /^[0-9a-f:.]{2,45}$/i.test(address) && /[.:]/.test(address) ? address : undefined;
}

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
    for (const name of route.identifier ?? []) {
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

/** The person a send or sign-in is for, from the route's identifier fields. */
export function identifierOf(route: Route, body: ParsedBody): string | undefined {
  for (const name of route.identifier ?? []) {
    const value = field(body, name);
    if (value && value.trim()) return normalizeIdentifier(value);
  }
  return undefined;
}
