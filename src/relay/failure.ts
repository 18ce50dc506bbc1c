// The relay's own refusals: one OAuth-style JSON body per status, and nothing else in it.
// Descriptions are fixed strings written here; no upstream text, URL or exception message is
// ever put in them, so they cannot carry a secret.

export const RelayErrorCode = {
  invalid_request: 400,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  server_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  upstream_timeout: 504,
} as const;

export type RelayErrorCode = keyof typeof RelayErrorCode;

/** Thrown inside the relay to stop a request with a JSON error response. */
export class RelayFailure extends Error {
  readonly code: RelayErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: RelayErrorCode, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'RelayFailure';
    this.code = code;
    this.status = RelayErrorCode[code];
    this.headers = headers;
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** `{ error, error_description }` with the status of `code`. */
export function failureBody(failure: RelayFailure): string {
  return JSON.stringify({ error: failure.code, error_description: failure.message });
}
