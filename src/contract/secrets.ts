/**
 * Names of server credentials that must never be in a page (DESIGN.md, non-goals), however
 * they are spelled: `clientSecret`, `client_secret`, `CLIENT-SECRET` are one name.
 */
const SECRET_NAMES = new Set(['clientsecret', 'secret', 'appsecret', 'accesskeysecret', 'secretkey', 'apikey']);

/** Whether a setting or parameter name is one of a server credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase().replace(/[-_]/g, ''));
}
