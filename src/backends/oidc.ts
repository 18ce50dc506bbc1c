import { setting, type SettingsOf } from './table.js';

/** Settings of the `oidc` provider (DESIGN.md, "Provider settings"). */
export const oidcSettings = {
  issuer: setting.string({ attribute: 'issuer', doc: 'The issuer; discovery is `{issuer}/.well-known/openid-configuration`.' }),
  baseUrl: setting.string({ attribute: 'base-url', doc: 'Alias of `issuer`, as every provider type accepts `baseUrl`.' }),
  clientId: setting.string({ attribute: 'client-id', required: true, doc: 'The public client id (no secret).' }),
  redirectUri: setting.string({ attribute: 'redirect-uri', doc: 'Where the provider sends the browser back; default: the current page.' }),
  scope: setting.string({ attribute: 'scope', doc: 'Scopes to ask for; default `openid profile email`.' }),
  postLogoutRedirectUri: setting.string({ attribute: 'post-logout-redirect-uri', doc: 'Where end-session returns when `signOut({ redirectTo })` does not say.' }),
};

export type OidcSettings = SettingsOf<typeof oidcSettings>;
