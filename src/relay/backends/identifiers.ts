// Who a send or sign-in is for: the body field the backend will read for this request, and that
// value normalized, so that one person is one rate-limit key however the number or address is
// spelled. A decoy field beside the real one must never become the key instead of it.
import type { IdentifierKind, IdentifierSpec, ParsedBody } from './types.js';
import { invalid } from './shared.js';

export type { IdentifierKind, IdentifierSpec };

const MAX_KEY = 320;
const DEFAULT_REGION = '86';
/** Separators people and SDKs put in phone numbers: spaces, dashes, dots, parentheses. */
const PHONE_SEPARATORS = /[\s\-.()\u00a0\u3000]/g;

/** The rate-limit keys of one request: one per field counted, de-duplicated. */
export function identifierKeys(spec: IdentifierSpec | undefined, body: ParsedBody): string[] {
  if (!spec) return [];
  const region = countryCode(spec.region?.(body));
  const present = new Map<string, string>();
  for (const [name, kind] of Object.entries(spec.fields)) {
    const value = scalar(body, name);
    if (value !== undefined && value.trim() !== '') present.set(name, normalizeAs(kind, value, region));
  }
  const read = spec.reads?.(body);
  if (read !== undefined && present.has(read)) return [present.get(read)!];
  return [...new Set(present.values())];
}

export function normalizeAs(kind: IdentifierKind, value: string, region = DEFAULT_REGION): string {
  const text = value.normalize('NFKC').trim();
  let key: string;
  if (kind === 'phone') key = normalizePhone(text, region) ?? plain(text);
  else if (kind === 'email') key = text.toLowerCase();
  else if (kind === 'opaque') key = text;
  else key = text.includes('@') ? text.toLowerCase() : (normalizePhone(text, region) ?? plain(text));
  return key.slice(0, MAX_KEY);
}

/**
 * A phone number in E.164 (`+8613800138000`), or undefined when the text is not one. A number
 * without a country code takes `region`; for China a leading `86` before an 11-digit mobile
 * number is the country code written without `+`, and a leading `0` is the trunk prefix.
 */
export function normalizePhone(text: string, region = DEFAULT_REGION): string | undefined {
  let digits = text.replace(PHONE_SEPARATORS, '');
  if (!/^(?:\+|00)?\d{5,20}$/.test(digits)) return undefined;
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (region === '86' && /^861\d{10}$/.test(digits)) return `+${digits}`;
  digits = digits.replace(/^0+/, '');
  return `+${region}${digits}`;
}

/** `+86`, `86`, `0086` → `86`; anything that is not a calling code → the default. */
function countryCode(value: string | undefined): string {
  const digits = (value ?? '').normalize('NFKC').trim().replace(/^(?:\+|00)/, '');
  return /^[1-9]\d{0,3}$/.test(digits) ? digits : DEFAULT_REGION;
}

function plain(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

/**
 * A field's value when it is a string or a number; undefined when absent or null. Any other
 * type is refused: the relay could not tell whom an array or an object names, and the backend
 * might read one of its members.
 */
function scalar(body: ParsedBody, name: string): string | undefined {
  if (body.form) return body.form.get(name) ?? undefined;
  const value = body.json?.[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalid(`The field ${name} must be a string.`);
}
