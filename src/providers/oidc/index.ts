// `auth-elements/providers/oidc`: this backend's adapter factory alone, so an app that uses it
// ships one adapter: `configure({ provider: oidcProvider({ … }) })`.
export { oidcProvider, type OidcSettings } from './oidc.js';
