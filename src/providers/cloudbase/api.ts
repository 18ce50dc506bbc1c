import { AuthError } from '../../core/errors.js';
import { randomString } from '../../core/pkce.js';
import type { TokenSet, User } from '../../core/session.js';
import type { ProviderContext } from '../provider.js';
import { readTokens } from '../shared/oauth.js';
import { transportFailure } from '../shared/responses.js';
import { cloudbaseError } from './errors.js';

export const DEVICE_ID_KEY = 'auth-elements:cloudbase:device-id';

/** What the page gets when a human check is needed, in `AuthError.fields` of `captcha_required`. */
export interface CaptchaChallenge {
  /** The page to show (popup, iframe or redirect); it comes back to the redirect URI with `captcha_token` and `state`. */
  url: string;
  state: string;
}

export interface ApiOptions {
  /** `{baseUrl}/auth/v1` without a trailing slash. */
  root: string;
  clientId: string;
  accessKey?: string;
  deviceId: string;
  captchaRedirectUri?: string;
  onCaptchaRequired?: (challenge: CaptchaChallenge) => Promise<string | null | undefined> | string | null | undefined;
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
 * `client_id` query, `x-device-id`, a fresh `x-request-id`, and `x-captcha-token` once a
 * captcha has been passed.
 */
export class CloudbaseApi {
  #captcha: { token: string; expiresAt?: number } | null = null;

  constructor(readonly options: ApiOptions) {}

  /** Sends `token` as `x-captcha-token` until it expires or the backend refuses it. */
  setCaptchaToken(token: string | null, expiresIn?: number): void {
    this.#captcha = token ? { token, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined } : null;
  }

  async call(path: string, options: CallOptions, ctx: ProviderContext): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const response = await ctx.http({
        url: this.url(path, options.query),
        method: options.method ?? (options.body ? 'POST' : 'GET'),
        headers: this.headers(options.bearer),
        body: options.body,
        signal: ctx.signal,
        retry: options.retry ?? false,
      });
      const body = response.body;
      if (response.status >= 200 && response.status < 300) {
        if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
        throw transportFailure(response) ?? new AuthError('server', 'The server sent an unreadable answer.', { status: response.status });
      }
      const error = cloudbaseError(response, options.grant);
      if (error.code !== 'captcha_required') throw error;
      // A refused token is dead; a new check is needed.
      if (error.providerCode === 'captcha_invalid') this.#captcha = null;
      if (attempt > 0) throw error;
      const challenge = await this.initCaptcha(undefined, ctx).catch(() => null);
      if (challenge && 'token' in challenge) continue; // the backend passed us without a page
      const token = challenge && this.options.onCaptchaRequired ? await this.options.onCaptchaRequired(challenge) : null;
      if (token) {
        this.setCaptchaToken(token);
        continue;
      }
      throw new AuthError('captcha_required', error.message, {
        providerCode: error.providerCode,
        status: error.status,
        ...(challenge ? { fields: { captchaUrl: challenge.url, captchaState: challenge.state } } : {}),
      });
    }
  }

  /**
   * `/auth/v1/captcha/init` (PROVIDERS.md §6.3 [C]): either a token straight away or a page URL
   * that returns to `redirectUri` with `captcha_token`. Null without a redirect URI, since the
   * provider cannot know the page's address.
   */
  async initCaptcha(redirectUri: string | undefined, ctx: ProviderContext, state = randomString(16)): Promise<CaptchaChallenge | { token: string } | null> {
    const back = redirectUri ?? this.options.captchaRedirectUri;
    if (!back) return null;
    // Never itself captcha-gated, so it goes straight to the transport.
    const response = await ctx.http({ url: this.url('/captcha/init'), method: 'POST', headers: this.headers(), body: { client_id: this.options.clientId, redirect_uri: back, state }, signal: ctx.signal, retry: false });
    if (response.status !== 200) throw cloudbaseError(response);
    const body = response.body as Record<string, unknown> | undefined;
    if (typeof body?.captcha_token === 'string' && body.captcha_token) {
      this.setCaptchaToken(body.captcha_token, Number(body.expires_in) || undefined);
      return { token: body.captcha_token };
    }
    if (typeof body?.url === 'string' && body.url) return { url: body.url, state };
    throw transportFailure(response) ?? new AuthError('server', 'The server sent no security check.', { status: response.status });
  }

  /** A token response (`{ access_token, refresh_token, expires_in, sub }`) with `user.id` = `sub`. */
  tokens(body: Record<string, unknown>, status = 200): TokenSet {
    const tokens = readTokens({ status, headers: new Headers(), body, text: '' });
    if (typeof body.sub === 'string' && body.sub) tokens.user = { id: body.sub };
    return tokens;
  }

  /** `/auth/v1/user/me` as our User: `sub` becomes `id`, `phone_number` also `phone`. */
  async me(accessToken: string, ctx: ProviderContext): Promise<User> {
    const body = await this.call('/user/me', { bearer: accessToken, retry: true }, ctx);
    const { sub, ...rest } = body;
    if (typeof sub !== 'string' || !sub) throw new AuthError('server', 'The server sent no user.', { status: 200 });
    const user: User = { ...rest, id: sub };
    if (typeof rest.phone_number === 'string' && !user.phone) user.phone = rest.phone_number;
    return user;
  }

  /** Tokens with the full profile when `/user/me` answers; the bare `sub` when it does not. */
  async withUser(tokens: TokenSet, ctx: ProviderContext): Promise<TokenSet> {
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

  headers(bearer?: string): Record<string, string> {
    const headers: Record<string, string> = { 'x-device-id': this.options.deviceId, 'x-request-id': requestId() };
    // [T] the publishable key as a bearer on unauthenticated calls (PROVIDERS.md §6.1, open question 3).
    const auth = bearer ?? this.options.accessKey;
    if (auth) headers.authorization = `Bearer ${auth}`;
    if (this.#captcha && (!this.#captcha.expiresAt || this.#captcha.expiresAt > Date.now())) headers['x-captcha-token'] = this.#captcha.token;
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
