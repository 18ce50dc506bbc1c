import { AuthError, StepRequired, isAuthError, type AdapterContext, type StepRequest, type TokenSet, type User, type LinkedIdentity } from '../../contract/index.js';
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
  method?: 'GET' | 'POST' | 'DELETE';
  body?: Record<string, unknown>;
  query?: Record<string, string>;
  /**
   * A call with credentials (§6.1): this `Authorization: Bearer`, and no `client_id`. Without
   * one the call carries `?client_id=` and no Authorization, as the SDK sends it.
   */
  bearer?: string;
  /** Only idempotent calls may be sent twice by the transport. */
  retry?: boolean;
  /** What `invalid_grant` means for this call. */
  grant?: 'refresh' | 'code' | 'other';
}

type CaptchaStep = Extract<StepRequest, { kind: 'captcha' }>;

/** What a `captcha` step carries: the image's token and the SDK's `<METHOD>:<path>` of the call it is for. */
interface CaptchaContext {
  token: string;
  state: string;
}

/** Failures that say nothing about the typed answer: they are reported as they are. */
const NOT_AN_ANSWER = new Set(['network', 'timeout', 'server', 'cancelled', 'rate_limited']);

/**
 * One CloudBase `/auth/v1` endpoint family as `@cloudbase/js-sdk` 3.7 calls it (PROVIDERS.md
 * §6.1): `x-device-id`, a fresh `x-request-id` and the person's `Accept-Language` on every call;
 * `?client_id=` on a call without credentials, `Authorization` and no client_id on one with them;
 * the JSON body as text/plain (the SDK sends its string body without a Content-Type). A call the
 * backend interrupts for a captcha becomes a `captcha` step, answered the SDK's way.
 */
export class CloudbaseApi {
  /** The last captcha_token, kept until it expires, as the SDK keeps it (in its storage). */
  #captcha: { token: string; expiresAt: number } | null = null;
  /** Answers already traded for a captcha_token: each typed answer is sent once. */
  #answered = new WeakSet<object>();

  constructor(readonly options: ApiOptions) {}

  /**
   * One call. On captcha_required or captcha_invalid (§6.2, last row) the SDK first tries the
   * captcha_token it kept, else asks `/captcha/data` for an image: so do we, and the image
   * becomes a `captcha` step. The client sends the call again with the typed answer, which is
   * traded for a captcha_token at `/captcha/data/verify` and sent with the call as
   * `?captcha_token=`; a wrong answer brings a new image and `captcha_required` (invalid).
   */
  async call(path: string, options: CallOptions, ctx: AdapterContext): Promise<Record<string, unknown>> {
    const state = captchaState(options.method ?? (options.body ? 'POST' : 'GET'), path, options.query);
    let captchaToken: string | undefined;
    const answer = ctx.captcha;
    const context = answer?.context as CaptchaContext | undefined;
    if (answer && context?.state === state && !this.#answered.has(answer)) {
      this.#answered.add(answer);
      captchaToken = await this.#redeem(answer.text, context, ctx);
    }
    try {
      return await this.send(path, options, ctx, captchaToken);
    } catch (error) {
      if (!isCaptchaDemand(error)) throw error;
      const kept = this.#captcha && this.#captcha.expiresAt > Date.now() ? this.#captcha.token : undefined;
      if (!captchaToken && kept) {
        try {
          return await this.send(path, options, ctx, kept);
        } catch (again) {
          if (!isCaptchaDemand(again)) throw again;
          // The SDK gives up here with the error; a new image lets the person carry on instead.
          this.#captcha = null;
        }
      }
      throw new StepRequired(await this.captchaImage(state, true, ctx));
    }
  }

  /** One request as it is: no captcha handling (the captcha's own calls use this). */
  async send(path: string, options: CallOptions, ctx: AdapterContext, captchaToken?: string): Promise<Record<string, unknown>> {
    const response = await ctx.http({
      url: this.url(path, { ...options.query, ...(captchaToken ? { captcha_token: captchaToken } : {}) }, options.bearer === undefined),
      method: options.method ?? (options.body ? 'POST' : 'GET'),
      headers: this.headers(ctx, options.bearer),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: ctx.signal,
      retry: options.retry ?? false,
    });
    const body = response.body;
    const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    // The SDK reads failure from the body, whatever the status: a truthy `error` (or the
    // gateway's `code`) is one, even on a 200 (§6.1 [C]).
    if (object && (object.error || object.code)) throw cloudbaseError(response, options.grant);
    if (response.status >= 200 && response.status < 300) {
      if (object) return object;
      throw transportFailure(response) ?? new AuthError('server', { status: response.status });
    }
    // Unlike the SDK, a 4xx or 5xx without an error body is not taken for a success.
    throw cloudbaseError(response, options.grant);
  }

  /**
   * A new image: `/captcha/data` with the call's state. The SDK sends `redirect_uri: ""` with the
   * first image of a call and only `state` when the person asks for another (its refresh button).
   */
  async captchaImage(state: string, first: boolean, ctx: AdapterContext): Promise<CaptchaStep> {
    const body = await this.send('/captcha/data', { body: first ? { state, redirect_uri: '' } : { state } }, ctx);
    if (typeof body.data !== 'string' || typeof body.token !== 'string' || !body.token) throw new AuthError('server', { status: 200 });
    const context: CaptchaContext = { token: body.token, state };
    return { kind: 'captcha', image: body.data, context };
  }

  /** Trades the typed answer for a captcha_token; a wrong one brings a new image with the error. */
  async #redeem(text: string, context: CaptchaContext, ctx: AdapterContext): Promise<string> {
    let body: Record<string, unknown>;
    try {
      body = await this.send('/captcha/data/verify', { body: { token: context.token, key: text } }, ctx);
    } catch (error) {
      if (!isAuthError(error) || NOT_AN_ANSWER.has(error.code)) throw error;
      const next = await this.captchaImage(context.state, false, ctx);
      throw new StepRequired(next, new AuthError('captcha_required', { invalid: { captcha: 'invalid' }, providerCode: error.providerCode, status: error.status }));
    }
    if (typeof body.captcha_token !== 'string' || !body.captcha_token) throw new AuthError('server', { status: 200 });
    const lifetime = Number(body.expires_in);
    // The SDK keeps the token until 10 s before it expires.
    this.#captcha = { token: body.captcha_token, expiresAt: Date.now() + Math.max(0, (Number.isFinite(lifetime) ? lifetime : 0) - 10) * 1000 };
    return body.captcha_token;
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
    // `providers: [{ id, provider_user_id, name }]` also as the contract's `identities` (the linked sources).
    if (Array.isArray(rest.providers)) user.identities = rest.providers.flatMap(linked);
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

  url(path: string, query: Record<string, string> = {}, withClientId = true): string {
    const url = new URL(`${this.options.root}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    if (withClientId) url.searchParams.set('client_id', this.options.clientId);
    return url.toString();
  }

  headers(ctx: AdapterContext, bearer?: string): Record<string, string> {
    // The SDK sends Accept-Language on every call (§6.1 [C]); ours is the person's, from the client.
    const headers: Record<string, string> = { 'x-device-id': this.options.deviceId, 'x-request-id': requestId() };
    if (ctx.lang) headers['accept-language'] = ctx.lang;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    return headers;
  }

  /**
   * The bearer of a `/verification` send (§6.1): the person's token when signed in, else the
   * Publishable Key when one is set, else none (then `?client_id=`), as the SDK chooses.
   */
  sender(accessToken?: string): string | undefined {
    return accessToken || this.options.accessKey || undefined;
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

/** The SDK's captcha `state`: the method and the path (and query) of the call, as it requested it. */
function captchaState(method: string, path: string, query?: Record<string, string>): string {
  const search = query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : '';
  return `${method}:/v1${path}${search}`;
}

function isCaptchaDemand(error: unknown): boolean {
  return isAuthError(error) && error.code === 'captcha_required';
}

function linked(value: unknown): LinkedIdentity[] {
  const provider = value as { id?: unknown; name?: unknown } | null;
  if (typeof provider?.id !== 'string' || !provider.id) return [];
  return [typeof provider.name === 'string' && provider.name ? { provider: provider.id, name: provider.name } : { provider: provider.id }];
}
