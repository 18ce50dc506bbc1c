// What a backend module gives the relay: its allowlist and its credential step.

/** Bytes backed by a plain ArrayBuffer (what fetch/Response accept as a body). */
export type Bytes = Uint8Array<ArrayBuffer>;

/**
 * Sends and sign-ins are rate limited per client and per identifier; `other` per client only.
 * Every send counts; a sign-in counts unless the backend accepts it (`Backend.signInAccepted`).
 */
export type RouteKind = 'send' | 'signin' | 'other';

/** The body a route accepts from the browser. */
export type BodyType = 'json' | 'form' | 'none';

/** A request body as read from the browser: the exact bytes plus a parsed view. */
export interface ParsedBody {
  type: BodyType;
  /** Bytes forwarded unless a route rewrites the body: as received for forms, re-serialized for JSON. */
  raw: Bytes;
  /** The media type forwarded (`application/json` or `application/x-www-form-urlencoded`). */
  contentType?: string;
  json?: Record<string, unknown>;
  form?: URLSearchParams;
}

/** A body a route wants forwarded instead of the browser's. */
export interface RewrittenBody {
  contentType: string;
  raw: Bytes;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Exact path appended to `upstream`; the browser calls `basePath + path` on the relay. */
  path: string;
  kind: RouteKind;
  body: BodyType;
  /** The body fields naming the person and which one the backend reads, for the per-identifier limits. */
  identifier?: IdentifierSpec;
  /** Query parameters forwarded (GET routes); every other parameter is dropped. */
  query?: readonly string[];
  /** Request headers forwarded on this route beside the backend's common ones (lower case). */
  headers?: readonly string[];
  /** Checks and may rewrite the body before it is sent; throw a RelayFailure to refuse. */
  prepare?: (body: ParsedBody) => RewrittenBody | undefined;
  /** Turns the upstream answer into the browser's (Janrain's code exchange). */
  after?: (response: UpstreamResponse, body: ParsedBody, ctx: BackendContext) => Promise<UpstreamResponse>;
}

/** One call to the upstream. `path` is always one of the backend's own constants. */
export interface UpstreamCall {
  method: 'GET' | 'POST';
  path: string;
  query?: URLSearchParams;
  headers: Headers;
  body?: Bytes;
}

/** A fully read, size-capped upstream answer. */
export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: Bytes;
}

export interface BackendContext {
  /** Calls `upstream + call.path` with the relay's timeout, size cap and redirect policy. */
  fetch(call: UpstreamCall, signal?: AbortSignal): Promise<UpstreamResponse>;
  /** The request's deadline (its timeout, or the browser going away). */
  signal: AbortSignal;
  /** A fresh deadline of the configured timeout, for work shared by several requests. */
  timeoutSignal(): AbortSignal;
  clientAddress?: string;
}

export interface Backend {
  routes: readonly Route[];
  /** Request headers (lower case) forwarded on every route, beside content-type/accept/accept-language. */
  headers: readonly string[];
  /** Adds the credential and sends the call. */
  send(call: UpstreamCall, ctx: BackendContext): Promise<UpstreamResponse>;
  /** Every string that must never reach the browser or a log (secrets, derived tokens). */
  secrets(): readonly string[];
  /**
   * Whether the backend accepted a sign-in (the person proved who they are, or moved on to a
   * next step that needs that). Anything else, errors and unreadable answers included, is
   * counted as a failed sign-in for that person.
   */
  signInAccepted(answer: UpstreamResponse): boolean;
}

/**
 * How a field's value is normalized: `phone` to E.164, `email` trimmed and lower-cased, `login`
 * (a user name that may be an email or a phone number) as whichever it looks like, `opaque`
 * (a flow id) trimmed only.
 */
export type IdentifierKind = 'phone' | 'email' | 'login' | 'opaque';

export interface IdentifierSpec {
  /** Every body field that can name the person on this route, and its kind. */
  fields: Readonly<Record<string, IdentifierKind>>;
  /**
   * The field the backend will read for this request (chosen by its `type` or grant). When it
   * says none, or that field is absent, every identifier field present is counted.
   */
  reads?: (body: ParsedBody) => string | undefined;
  /** Country calling code for a phone number written without one. Default `86`. */
  region?: (body: ParsedBody) => string | undefined;
}

