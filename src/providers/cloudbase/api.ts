import { AuthError, type AdapterContext, type TokenSet, type User } from '../../contract/index.js';
import { randomString } from '../../core/util/pkce.js';
import { readTokens } from '../shared/oauth.js';
import { transportFailure } from '../shared/responses.js';
import { cloudbaseError } from './errors.js';

export const DEVICE_ID_KEY = 'auth-elements:cloudbase:device-id';

export interface ApiOptions {
  /** `{baseUrl}/auth/v1` without a trailing slash. */
  root: string;
  clientId: string;
  accessKey?: string;
  deviceId: string;
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  body?: Record<string, unknown>;
  query?: Record<string, string>;
  /** A user's access token; otherwise the publishable key (if any) is sent. */
  bearer?: string;
  /** Only idempotent calls may be sent twice by the transport. */
  retry?: boolean;
  /** What `invalid_grant` means for this call. */
  grant?: 'refresh' | 'code' | 'other';
}

/**
 * One CloudBase `/auth/v1` endpoint family with the headers the SDK sends (PROVIDERS.md §6.1):
 * `client_id` query, `x-device-id`, a fresh `x-request-id` and the person's `Accept-Language`.
 */
export class CloudbaseApi {
  constructor(readonly options: ApiOptions) {}

  async call(path: string, options: CallOptions, ctx: AdapterContext): Promise<Record<string, unknown>> {
    const response = await ctx.http({
      url: this.url(path, options.query),
      method: options.method ?? (options.body ? 'POST' : 'GET'),
      headers: this.headers(ctx, options.bearer),
      body: options.body,
      signal: ctx.signal,
      retry: options.retry ?? false,
    });
    const body = response.body;
    if (response.status >= 200 && response.status < 300) {
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
      throw transportFailure(response) ?? new AuthError('server', { status: response.status });
    }
    // captcha_required / captcha_invalid end here as a plain error: the SDK's image captcha
    // (/captcha/data, then `?captcha_token=` on the retried call, §6.2) is the follow-up.
    throw cloudbaseError(response, options.grant);
  }

  /** A token response (`{ access_token, refresh_token, expires_in, sub }`) with `user.id` = `sub`. */
  tokens(body: Record<string, unknown>, status = 200): TokenSet {
    const tokens = readTokens({ status, headers: new Headers(), body, text: '' });
    if (typeof body.sub === 'string' && body.sub) tokens.user = { id: body.sub };
    return tokens;
  }

  /** `/auth/v1/user/me` as our User: `sub` becomes `id`, `phone_number` also `phone`. */
  async me(accessToken: string, ctx: AdapterContext): Promise<User> {
    const body = await this.call('/user/me', { bearer: accessToken, retry: true }, ctx);
    const { sub, ...rest } = body;
    if (typeof sub !== 'string' || !sub) throw new AuthError('server', { status: 200 });
    const user: User = { ...rest, id: sub };
    if (typeof rest.phone_number === 'string' && !user.phone) user.phone = rest.phone_number;
    return user;
  }

  /** Tokens with the full profile when `/user/me` answers; the bare `sub` when it does not. */
  async withUser(tokens: TokenSet, ctx: AdapterContext): Promise<TokenSet> {
    try {
      const user = await this.me(tokens.access_token, ctx);
      if (!tokens.user || tokens.user.id === user.id) tokens.user = user;
    } catch {
      // The sign-in itself succeeded; the profile can be read later with getUser().
    }
    return tokens;
  }

  url(path: string, query: Record<string, string> = {}): string {
    const url = new URL(`${this.options.root}${path}`);
    url.searchParams.set('client_id', this.options.clientId);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }

  headers(ctx: AdapterContext, bearer?: string): Record<string, string> {
    // The SDK sends Accept-Language on every call (§6.1 [C]); ours is the person's, from the client.
    const headers: Record<string, string> = { 'x-device-id': this.options.deviceId, 'x-request-id': requestId() };
    if (ctx.lang) headers['accept-language'] = ctx.lang;
    // [T] the publishable key as a bearer on unauthenticated calls (PROVIDERS.md §6.1, open question 3).
    const auth = bearer ?? this.options.accessKey;
    if (auth) headers.authorization = `Bearer ${auth}`;
    return headers;
  }
}

function requestId(): string {
  const c = globalThis.crypto as Crypto & { randomUUID?: () => string };
  return typeof c.randomUUID === 'function' ? c.randomUUID() : randomString(16);
}

/**
 * The `x-device-id`: from the settings, else the one this browser kept, else a new one. It
 * decides which anonymous user comes back, so it is worth keeping; `localStorage` is the one
 * storage touch of this provider, guarded because it may be missing or throw (private mode).
 */
export function resolveDeviceId(configured?: string): string {
  if (configured) return configured;
  const storage = typeof localStorage !== 'undefined' ? localStorage : undefined;
  try {
    const kept = storage?.getItem(DEVICE_ID_KEY);
    if (kept) return kept;
  } catch {
    /* unreadable storage: a fresh id for this instance */
  }
  const id = requestId();
  try {
    storage?.setItem(DEVICE_ID_KEY, id);
  } catch {
    /* full or blocked storage: the id lives as long as this provider */
  }
  return id;
}
