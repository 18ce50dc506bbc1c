// Small helpers the backend modules share. Standard web APIs only (btoa, TextEncoder).
import { RelayFailure } from '../failure.js';
import type { ParsedBody, RewrittenBody, UpstreamResponse } from './types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const JSON_CONTENT_TYPE = 'application/json';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export function jsonBody(value: Record<string, unknown>): RewrittenBody {
  return { contentType: JSON_CONTENT_TYPE, raw: encoder.encode(JSON.stringify(value)) };
}

export function formBody(params: URLSearchParams): RewrittenBody {
  return { contentType: FORM_CONTENT_TYPE, raw: encoder.encode(params.toString()) };
}

/** UTF-8 → base64 with the standard `btoa`, which only takes Latin-1. */
export function base64(text: string): string {
  return base64Bytes(encoder.encode(text));
}

export function base64Bytes(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 §2.3.1 client credentials). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** A string field of a JSON or form body, or undefined. */
export function field(body: ParsedBody, name: string): string | undefined {
  const value = body.json ? body.json[name] : body.form?.get(name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function invalid(description: string): RelayFailure {
  return new RelayFailure('invalid_request', description);
}

/** The JSON object in an upstream body, or undefined when it is not one. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A 2xx answer whose body is a JSON object, parsed; else undefined. */
export function okJson(res: UpstreamResponse): Record<string, unknown> | undefined {
  return res.status >= 200 && res.status < 300 ? parseJsonObject(res.body) : undefined;
}

export function jsonResponse(status: number, value: unknown): UpstreamResponse {
  return {
    status,
    headers: new Headers({ 'content-type': 'application/json;charset=UTF-8' }),
    body: encoder.encode(JSON.stringify(value)),
  };
}
