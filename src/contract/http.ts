/** A response whose body was read within the size cap and parsed when it was JSON. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or `undefined` when the body was empty or not JSON. */
  body: unknown;
  /** The raw text, for adapters whose backends answer in other formats. */
  text: string;
}

export interface HttpRequest {
  url: string | URL;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** An object is sent as JSON; `URLSearchParams` as a form; a string as is. */
  body?: unknown;
  signal?: AbortSignal;
  /** Milliseconds for each attempt. */
  timeout?: number;
  /**
   * Whether the call may be sent again after a 429, 503 or network failure. Defaults to true
   * for GET; a POST that changes state (sends a code, signs in) must opt in.
   */
  retry?: boolean;
}

/** The one door to the network an adapter gets: nothing but `AuthError` escapes it. */
export type Http = (request: HttpRequest) => Promise<HttpResponse>;
