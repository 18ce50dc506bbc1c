import type { AuthErrorCode } from '../../contract/index.js';

/**
 * The relay's own refusals (src/relay/failure.ts: `{ error, error_description }`), which reach
 * an adapter whose `baseUrl` is the relay. They are the site's set-up, not the vendor's answer.
 */
export const RELAY_ERRORS: Record<string, AuthErrorCode> = {
  invalid_request: 'invalid_request',
  origin_not_allowed: 'config',
  not_found: 'config',
  method_not_allowed: 'config',
  unsupported_media_type: 'config',
  payload_too_large: 'invalid_request',
  rate_limited: 'rate_limited',
  server_error: 'server',
  bad_gateway: 'server',
  upstream_timeout: 'timeout',
};
