import { AuthError } from '../../core/errors.js';

const SECRET_KEYS = ['clientSecret', 'client_secret', 'secret', 'appSecret', 'accessKeySecret', 'secretKey', 'apiKey'];

/**
 * The browser never holds a server credential (DESIGN.md, non-goals): a configuration that
 * carries one is refused outright, before anything is sent.
 */
export function checkNoSecret(settings: object): AuthError | undefined {
  const found = SECRET_KEYS.find((key) => key in settings && (settings as Record<string, unknown>)[key]);
  if (!found) return undefined;
  return new AuthError('config', `Remove "${found}" from the page: a secret must stay on your server (use the relay).`, { providerCode: 'secret_in_browser' });
}
