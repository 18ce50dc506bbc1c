// Public types of the relay. Plain data only: this module is imported by every runtime.

/** The backends the relay can front (the browser provider `type` of each). */
export type RelayProvider = 'alibaba-idaas' | 'tencent-ciam' | 'janrain' | 'zhuyun-idaas';

/** A fixed-window rate: at most `max` requests per `windowMs`. */
export interface RelayRateLimit {
  max: number;
  windowMs: number;
}

/**
 * Overrides of the relay's limits. Every field is optional; `false` turns a rate limit off.
 * Defaults: 16 KiB bodies, 256 KiB upstream responses, 10 s upstream timeout, 30 sign-in/send
 * requests per client address per minute, 5 sends and 10 sign-ins per identifier per 10 minutes.
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
  /** Per identifier (phone, email, username, flow id) on send paths. Default 5 / 10 minutes. */
  sendsPerIdentifier?: RelayRateLimit | false;
  /** Per identifier on sign-in paths. Default 10 / 10 minutes. */
  signInsPerIdentifier?: RelayRateLimit | false;
}

/** One line per request for `options.log`: never a body, a header, a query or a secret. */
export interface RelayLogEntry {
  method: string;
  /** The request path below `basePath`, without its query; cut to 200 characters. */
  path: string;
  status: number;
  durationMs: number;
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
  /** Page origins allowed to call the relay, e.g. `['https://app.example.com']`. No wildcards. */
  allowedOrigins: readonly string[];
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
   * `appTokenIn` says how the token travels on each call: `'query'` (`?access_token=`, as the
   * community SDK does; the default) or `'header'` (`Authorization: Bearer`).
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
