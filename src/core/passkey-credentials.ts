// The signed-in person's passkeys on the site's own passkey service (`passkeys.credentialsUrl`):
// list them, remove one. Hanko's field names (`created_at`, `last_used_at`); the session's
// access token goes as `Authorization: Bearer`, as for registration. Plain TypeScript, no DOM.
import { AuthError, toAuthError, type Http, type HttpResponse } from '../contract/index.js';
import { responseError } from './passkey-response.js';

/** One passkey of the person, as `<auth-profile>` lists it. */
export interface PasskeyCredential {
  id: string;
  /** A name the service gave it (the authenticator's, or one the person chose). */
  name?: string;
  /** Epoch milliseconds. */
  createdAt?: number;
  /** Epoch milliseconds. */
  lastUsedAt?: number;
}

interface CredentialCall {
  http: Http;
  /** `passkeys.credentialsUrl`. */
  url: string;
  accessToken: string;
  signal?: AbortSignal;
}

type Outcome<T> = { data: T; error: null } | { data: null; error: AuthError };

/** GET the list. A malformed answer is `server`; entries without an `id` are left out. */
export async function listPasskeys(call: CredentialCall): Promise<Outcome<PasskeyCredential[]>> {
  const answer = await send(call, call.url, 'GET');
  if (answer.error) return answer;
  const body = answer.data.body;
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.credentials) ? body.credentials : null;
  if (!list) return { data: null, error: new AuthError('server', { providerCode: 'malformed_credentials', status: answer.data.status }) };
  return { data: list.flatMap(readCredential), error: null };
}

/** DELETE `{url}/{id}`. A passkey already gone (404) counts as removed. */
export async function removePasskey(call: CredentialCall & { id: string }): Promise<Outcome<true>> {
  const answer = await send(call, `${call.url.replace(/\/+$/, '')}/${encodeURIComponent(call.id)}`, 'DELETE', [404]);
  return answer.error ? answer : { data: true, error: null };
}

function readCredential(value: unknown): PasskeyCredential[] {
  if (!isObject(value) || typeof value.id !== 'string' || !value.id) return [];
  const credential: PasskeyCredential = { id: value.id };
  if (typeof value.name === 'string' && value.name.trim()) credential.name = value.name.trim();
  const created = time(value.created_at ?? value.createdAt);
  const used = time(value.last_used_at ?? value.lastUsedAt);
  if (created !== undefined) credential.createdAt = created;
  if (used !== undefined) credential.lastUsedAt = used;
  return [credential];
}

/** ISO 8601 or epoch milliseconds → epoch milliseconds; anything else is no time. */
function time(value: unknown): number | undefined {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

async function send(call: CredentialCall, url: string, method: 'GET' | 'DELETE', fine: number[] = []): Promise<Outcome<HttpResponse>> {
  let response: HttpResponse;
  try {
    response = await call.http({ url, method, headers: { authorization: `Bearer ${call.accessToken}` }, signal: call.signal, retry: method === 'GET' });
  } catch (error) {
    return { data: null, error: toAuthError(error, 'network') };
  }
  if ((response.status < 200 || response.status >= 300) && !fine.includes(response.status)) return { data: null, error: responseError(response, 'registration') };
  return { data: response, error: null };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
