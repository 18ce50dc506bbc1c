// Public types of the relay. Plain data only: this module is imported by every runtime.

/** The backends the relay can front (the browser provider `type` of each). */
export type RelayProvider = 'alibaba-idaas' | 'tencent-ciam' | 'janrain' | 'zhuyun-idaas';

/** A fixed-window rate: at most `max` requests per `windowMs`. */
export interface RelayRateLimit {
  max: number;
  windowMs: number;
}

/** One counted request: the count in the key's current window and when that window ends. */
export interface RelayCounterHit {
  count: number;
  /** End of the window, in ms since the epoch. Also names the window for `undo`. */
  resetAt: number;
}

/**
 * Where the rate-limit counters live: fixed windows, one per key. The relay's default is an
 * in-memory store per process (`createMemoryStore`); `createRedisStore` shares one set of
 * counters between several relay instances. Keys are short strings holding a client address
 * (an IPv6 address cut to its /64) or a normalized phone number, email or user name.
 *
 * @example
 * const store: RelayCounterStore = {
 *   async hit(key, windowMs) { … return { count, resetAt }; },
 *   async undo(key, resetAt) { … },
 * };
 */
export interface RelayCounterStore {
  /**
   * Counts one request against `key` and returns its count in the current window. A key with
   * no live window opens one that ends `windowMs` from now. `max` is the limit the relay will
   * compare the count with: a store that has to forget windows must never forget one whose
   * count is at or over it.
   */
  hit(key: string, windowMs: number, max: number): Promise<RelayCounterHit>;
  /**
   * Takes one hit back (a sign-in the backend accepted, a request the relay refused) if the
   * window that `resetAt` names is still the key's current one; otherwise does nothing.
   */
  undo(key: string, resetAt: number): Promise<void>;
}

/**
 * Overrides of the relay's limits. Every field is optional; `false` turns a rate limit off.
 *
 * Defaults: 16 KiB bodies, 256 KiB upstream responses, 10 s upstream timeout; per client
 * address 30 sign-in/send requests a minute (IPv6 counted per /64); per identifier 5 sends,
 * 30 failed sign-ins, and 10 failed sign-ins from one client address, per 10 minutes.
 *
 * Sends cost money (SMS, email), so every send counts. A sign-in counts against its identifier
 * only as a failure: it is counted when it arrives (so parallel guesses cannot slip past) and
 * taken back when the backend accepts it. So a person who knows the password is never refused
 * by the per-identifier limits until that identifier has `signInsPerIdentifier.max` failures in
 * the window, and failures from one address lock only that address out of that identifier
 * (`signInsPerIdentifierAndClient`). Strangers' failures from many addresses do reach the
 * identifier's limit eventually, and then lock its owner out too until the window ends: that is
 * the price of stopping a guesser with many addresses. Per-address limits count every request.
 */
export interface RelayLimits {
  /** Largest request body accepted from the browser, in bytes (413 above it). Default 16 KiB. */
  maxBodyBytes?: number;
  /** Largest upstream response relayed, in bytes (502 above it). Default 256 KiB. */
  maxResponseBytes?: number;
  /** Time allowed for all upstream calls one request makes, in ms (504 after it). Default 10 000. */
  timeoutMs?: number;
  /** Per client address, on send and sign-in paths. Default 30 / minute. */
  perClient?: RelayRateLimit | false;
  /** Per client address, on every other allowlisted path (config, captcha, refresh). Default 120 / minute. */
  perClientOther?: RelayRateLimit | false;
  /** Sends per identifier (phone, email, username, flow id), every send counted. Default 5 / 10 minutes. */
  sendsPerIdentifier?: RelayRateLimit | false;
  /** Failed sign-ins per identifier, from all client addresses together. Default 30 / 10 minutes. */
  signInsPerIdentifier?: RelayRateLimit | false;
  /** Failed sign-ins per identifier from one client address. Default 10 / 10 minutes. */
  signInsPerIdentifierAndClient?: RelayRateLimit | false;
  /**
   * Where the counters live. Default: in memory, per process, with per-address and
   * per-identifier counters in separate tables. Pass `createRedisStore(client)` to share one
   * set of limits between several relay instances.
   */
  store?: RelayCounterStore;
  /** Time allowed for one call to the store, in ms; a slower answer counts as a store failure. Default 1 000. */
  storeTimeoutMs?: number;
  /**
   * What to do when the store fails (Redis down or too slow). `false` (the default) fails
   * closed: 503 with `Retry-After`. `true` fails open: the request goes on without the limits
   * that could not be checked. Either way one line is logged when the store starts failing and
   * one when it answers again (`log`'s `message`, or `console.error` without `log`).
   */
  failOpen?: boolean;
}

/** One line per request for `options.log`: never a body, a header, a query or a secret. */
export interface RelayLogEntry {
  method: string;
  /** The request path below `basePath`, without its query; cut to 200 characters. */
  path: string;
  status: number;
  durationMs: number;
  /**
   * Only on the request that found the counter store failing, or answering again: one line
   * saying so (never a key, an identifier or a secret).
   */
  message?: string;
}

/** A confidential client's credentials: they stay on the server. */
export interface RelayClientCredentials {
  clientId: string;
  clientSecret: string;
}

interface RelayCommonOptions {
  /**
   * The backend's base URL: an origin, optionally with a path prefix. `https:` is required
   * except for loopback hosts (a local reference server).
   */
  upstream: string;
  /**
   * Page origins allowed to call the relay, e.g. `['https://app.example.com']`. No wildcards: for
   * a rule (preview deployments, any port of `localhost` in development) pass a function; it gets
   * each well-formed `http(s)` origin in lower case, and only `true` allows it.
   *
   * @example
   * allowedOrigins: (origin) => /^https:\/\/[a-z0-9-]+\.my-app\.pages\.dev$/.test(origin)
   */
  allowedOrigins: readonly string[] | ((origin: string) => boolean);
  /** Path prefix the relay is mounted under, stripped before matching, e.g. `'/auth-relay'`. Default `''`. */
  basePath?: string;
  limits?: RelayLimits;
  /** Called once per request with method, path, status and duration only. */
  log?: (entry: RelayLogEntry) => void;
}

export interface AlibabaRelayOptions extends RelayCommonOptions {
  provider: 'alibaba-idaas';
  /**
   * The application's client id and secret, used for the `client_credentials` app token.
   * `appTokenIn` says how the token travels on each call: `'header'` (`Authorization: Bearer`,
   * as the seed documents it; the default) or `'query'` (`?access_token=`, as the community SDK
   * does; it puts a token that can sign in any user into the upstream's access logs).
   */
  credentials: RelayClientCredentials & { appTokenIn?: 'query' | 'header' };
}

export interface TencentCiamRelayOptions extends RelayCommonOptions {
  provider: 'tencent-ciam';
  /** A Web-type application's client id and secret (Basic on `/otp/send`). */
  credentials: RelayClientCredentials;
}

export interface JanrainRelayOptions extends RelayCommonOptions {
  provider: 'janrain';
  /** An API client allowed to call `/oauth/token` (owner, access_issuer or direct_access). */
  credentials: RelayClientCredentials;
}

export interface ZhuyunRelayOptions extends RelayCommonOptions {
  provider: 'zhuyun-idaas';
  /** No secret is needed. `clientId`, when set, pins `X-client-id` to this application. */
  credentials?: { clientId?: string };
}

/** Options of `createRelay`, one shape per backend. */
export type RelayOptions = AlibabaRelayOptions | TencentCiamRelayOptions | JanrainRelayOptions | ZhuyunRelayOptions;

/**
 * What the runtime knows about the connection. Pass `{ clientAddress }`; Deno's `ServeHandlerInfo`
 * (`remoteAddr.hostname`) and Bun's server (`requestIP()`) are understood as they are.
 */
export interface RelayContext {
  /** The real client IP address, as seen by your server (after your own proxy handling). */
  clientAddress?: string;
  remoteAddr?: { hostname?: string };
  requestIP?: (request: Request) => { address?: string } | null | undefined;
}

/** The relay itself: a standard fetch handler. */
export type RelayHandler = (request: Request, context?: RelayContext) => Promise<Response>;
